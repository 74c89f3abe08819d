/* Optional, deferred: remember the reader's script; a copy button beside each code and number. */
(function () {
  var d = document, s = d.currentScript;
  d.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[data-lang]");
    if (a) { try { localStorage.setItem("sitegen-lang", a.getAttribute("data-lang")); } catch (x) {} }
  });
  if (!s || !navigator.clipboard || !d.body.after) return;
  var label = s.getAttribute("data-copy"), done = s.getAttribute("data-copied"), status = d.createElement("span");
  status.className = "vh";
  status.setAttribute("role", "status");
  d.body.appendChild(status);
  d.querySelectorAll("a.tel").forEach(function (a) {
    var code = decodeURIComponent(a.getAttribute("href").slice(4)), b = d.createElement("button");
    b.type = "button";
    b.className = "copy";
    b.textContent = label;
    b.setAttribute("aria-label", label + " " + code);
    b.addEventListener("click", function () {
      navigator.clipboard.writeText(code).then(function () {
        b.textContent = done;
        status.textContent = done + " " + code;
        setTimeout(function () { b.textContent = label; }, 2000);
      }, function () {});
    });
    a.after(b);
  });
})();
