/* Search, on the search page only. Pagefind's own script loads when the reader searches.
   One index serves both scripts: it holds each page's Simplified text as tokens, each pair of
   neighbouring Chinese characters and each run's last character with an end mark, in base 26,
   and Latin words and numbers after an x, Azerbaijani letters made plain (see
   sitegen/output/search.py). A query is turned into Simplified (glossary phrases, then
   characters) and into the same tokens; a result links to the page in the reader's script. */
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
        return r[1].options({ baseUrl: base }).then(function () {
          var parts = [];  /* a large site's index comes in parts (sitegen/output/search.py) */
          for (var i = 1; i < (table.parts || 1); i++) parts.push(r[1].mergeIndex(base + "pagefind/parts/" + i + "/", { baseUrl: base }));
          return Promise.all(parts);
        }).then(function () { return r[1]; });
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

  var AZ = "\u00c7\u00e7\u011e\u011f\u0130\u0131\u00d6\u00f6\u015e\u015f\u00dc\u00fc\u018f\u0259";  /* C, G, I, O, S, U with cedilla, breve, dot, umlaut; dotless i; schwa */
  var WORDS = new RegExp("[\u3400-\u9fff]+|[0-9A-Za-z" + AZ + "]+", "g");  /* as search.py's _RUN */
  var AZ_LETTER = new RegExp("[" + AZ + "]", "g");
  function plain(w) {  /* Azerbaijani letters as the index spells them (Serfeli) */
    return w.replace(AZ_LETTER, function (c) { return "CcGgIiOoSsUuEe"[AZ.indexOf(c)]; });
  }

  function tokens(q) {  /* a single character is found by prefix: the pairs it starts, or a run's end */
    var out = [];
    (q.match(WORDS) || []).forEach(function (w) {
      if (w[0] < "\u3400") { out.push("x" + plain(w).toLowerCase()); return; }
      var c = Array.from(w);
      if (c.length === 1) { out.push("z" + b26(c[0])); return; }
      for (var i = 0; i + 1 < c.length; i++) { out.push("z" + b26(c[i]) + b26(c[i + 1])); }
    });
    return out;
  }

  /* Each token is searched on its own and a page must have all of them. Pagefind skips a query
     word its index lacks; a large site's index comes in parts, and a part lacks many words, so
     one query over the parts would find pages that have only some of them. A token no page has
     is skipped, as Pagefind does; the order is the sum of Pagefind's scores. Each part also holds
     a record of the site's Latin words (so that it treats them as one index would), never a result. */
  function find(pf, words) {
    var options = table.parts ? { filters: { not: { sitegen: "latin" } } } : {};
    return Promise.all(words.map(function (w) { return pf.search(w, options); })).then(function (each) {
      var found = null;
      each.forEach(function (r) {
        if (!r.results.length) return;
        var next = new Map();
        r.results.forEach(function (x) {
          if (!found) next.set(x.id, { result: x, score: x.score });
          else if (found.has(x.id)) next.set(x.id, { result: x, score: found.get(x.id).score + x.score });
        });
        found = next;
      });
      var all = found ? Array.from(found.values()) : [];
      return all.sort(function (a, b) { return b.score - a.score; }).map(function (v) { return v.result; });
    });
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
    load().then(function (pf) { return find(pf, tokens(simplified(q))); })
      .then(function (r) { return Promise.all(r.slice(0, 50).map(function (x) { return x.data(); })); })
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
