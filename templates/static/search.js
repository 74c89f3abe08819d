/* Search, on the search page only. Pagefind's own script loads when the reader searches.
   One index serves both scripts: it holds each page's Simplified text as tokens, each pair of
   neighbouring Chinese characters and each run's last character with an end mark, in base 26,
   and Latin words and numbers after an x (see sitegen/output/search.py). A query is turned into
   Simplified (glossary phrases, then characters) and into the same tokens; a result links to the
   page in the reader's script. */
(function () {
  var d = document, s = d.currentScript, base = s.getAttribute("data-base"), lang = s.getAttribute("data-lang");
  var script = lang === "zh-hant" ? "1" : "0";
  var form = d.getElementById("search-form"), input = d.getElementById("q");
  var out = d.getElementById("search-results"), status = d.getElementById("search-status");
  var ready = null, table = null;

  function load() {
    if (!ready) {
      ready = Promise.all([
        fetch(base + "pagefind/sitegen-query.json").then(function (r) { return r.json(); }),
        import(base + "pagefind/pagefind.js")
      ]).then(function (r) {
        table = r[0];
        return r[1].options({ baseUrl: base }).then(function () { return r[1]; });
      });
    }
    return ready;
  }

  function simplified(q) {
    table.phrases.forEach(function (p) { q = q.split(p[0]).join(p[1]); });
    return Array.from(q).map(function (c) { return table.chars[c] || c; }).join("");
  }

  function b26(c) {  /* four letters: Pagefind splits words where digits meet letters */
    var n = c.codePointAt(0), out = "";
    for (var i = 0; i < 4; i++) { out = String.fromCharCode(97 + n % 26) + out; n = Math.floor(n / 26); }
    return out;
  }

  function tokens(q) {  /* a single character is found by prefix: the pairs it starts, or a run's end */
    var out = [];
    (q.match(/[\u3400-\u9fff]+|[0-9A-Za-z]+/g) || []).forEach(function (w) {
      if (w[0] < "\u3400") { out.push("x" + w.toLowerCase()); return; }
      var c = Array.from(w);
      if (c.length === 1) { out.push("z" + b26(c[0])); return; }
      for (var i = 0; i + 1 < c.length; i++) { out.push("z" + b26(c[i]) + b26(c[i + 1])); }
    });
    return out.join(" ");
  }

  function show(items) {
    out.textContent = "";
    if (!items.length) {
      var none = d.createElement("p");
      none.setAttribute("data-empty", "");
      none.textContent = s.getAttribute("data-none");
      out.appendChild(none);
      status.textContent = none.textContent;
      return;
    }
    var list = d.createElement("ul");
    items.forEach(function (item) {
      var li = d.createElement("li"), a = d.createElement("a"), p = d.createElement("p");
      a.href = base + lang + "/" + item.url.slice(base.length);  /* the record of /nar/top-up/ is both scripts' */
      a.textContent = item.meta["t" + script];
      p.textContent = item.meta["s" + script] || "";
      li.appendChild(a);
      li.appendChild(p);
      list.appendChild(li);
    });
    out.appendChild(list);
    status.textContent = s.getAttribute("data-count").replace("{n}", items.length);
  }

  function run(q) {
    q = q.trim();
    if (!q) { out.textContent = ""; return; }
    load().then(function (pf) { return pf.search(tokens(simplified(q))); })
      .then(function (r) { return Promise.all(r.results.slice(0, 50).map(function (x) { return x.data(); })); })
      .then(show);
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    run(input.value);
  });
  var q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; run(q); }
})();
