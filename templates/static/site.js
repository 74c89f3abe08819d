/* Optional, deferred: remember the reader's script; offline reading (the service worker registers
   after the page has loaded, so it never competes with the page); a copy button beside each code. */
(function () {
  var d = document, s = d.currentScript, sw = s && s.getAttribute("data-sw");
  if (sw && navigator.serviceWorker) {
    addEventListener("load", function () {
      navigator.serviceWorker.register(sw, { scope: s.getAttribute("data-scope") }).catch(function () {});
    });
  }
  // The offline page lists only the guides this device holds.
  var list = d.querySelector("[data-offline-list]");
  if (list && window.caches) {
    list.querySelectorAll("li").forEach(function (li) {
      caches.match(li.querySelector("a").href, { ignoreSearch: true }).then(function (hit) { if (!hit) li.remove(); });
    });
  }
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
