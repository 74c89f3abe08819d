/* sitegen's service worker (sitegen/output/offline.py writes CONFIG above this line).
   Install: keep the reader's script whole (the script of the page that registered the worker),
   then the other script as far as the connection allows. Fetch: the network first, so online
   readers always get the current pages; the cache when the network fails or is slower than
   3 s; a page not kept gives the offline page in its script. Activate: delete older caches. */
"use strict";
var PREFIX = "sitegen-";

if (!CONFIG) {
  // Offline reading turned off: remove this worker and its caches from the reader's browser.
  self.addEventListener("install", function () { self.skipWaiting(); });
  self.addEventListener("activate", function (event) {
    event.waitUntil(dropCaches("").then(function () { return self.registration.unregister(); }));
  });
} else {
  var CACHE = PREFIX + CONFIG.version;
  self.addEventListener("install", function (event) { event.waitUntil(install()); });
  self.addEventListener("activate", function (event) {
    event.waitUntil(dropCaches(CACHE).then(function () { return self.clients.claim(); }));
  });
  self.addEventListener("fetch", function (event) {
    var request = event.request;
    if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
    event.respondWith(respond(request));
  });
}

function dropCaches(keep) {
  return caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf(PREFIX) === 0 && k !== keep; })
      .map(function (k) { return caches.delete(k); }));
  });
}

function scriptOf(url) {
  var rest = new URL(url).pathname.slice(CONFIG.scope.length), lang = rest.split("/")[0];
  return CONFIG.scripts[lang] ? lang : null;
}

function fresh(url) { return new Request(url, { cache: "no-cache" }); }

function install() {
  return self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
    var first = windows.map(function (w) { return scriptOf(w.url); }).filter(Boolean)[0] ||
      Object.keys(CONFIG.scripts)[0];
    return caches.open(CACHE).then(function (cache) {
      return cache.addAll(CONFIG.scripts[first].map(fresh)).then(function () {
        var others = [];
        Object.keys(CONFIG.scripts).forEach(function (lang) {
          if (lang === first) return;
          CONFIG.scripts[lang].forEach(function (url) {
            if (CONFIG.scripts[first].indexOf(url) < 0) others.push(cache.add(fresh(url)).catch(function () {}));
          });
        });
        return Promise.all(others);
      });
    });
  }).then(function () { return self.skipWaiting(); });
}

function cached(request) {
  // ignoreSearch: Pagefind asks for its files with a ?ts= query, the search page with ?q=
  return caches.open(CACHE).then(function (cache) { return cache.match(request, { ignoreSearch: true }); });
}

function offlinePage(request) {
  if (request.mode !== "navigate") return Promise.resolve(undefined);
  var lang = scriptOf(request.url) || Object.keys(CONFIG.scripts)[0];
  return caches.open(CACHE).then(function (cache) { return cache.match(CONFIG.offline[lang]); });
}

function respond(request) {
  var network = fetch(request);
  var slow = new Promise(function (resolve) { setTimeout(resolve, 3000, null); });
  return Promise.race([network, slow]).then(function (response) {
    return response || cached(request).then(function (hit) { return hit || network; });
  }).catch(function () {
    return cached(request).then(function (hit) { return hit || offlinePage(request); })
      .then(function (page) { return page || Response.error(); });
  });
}
