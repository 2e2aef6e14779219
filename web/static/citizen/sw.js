/* Service worker of the citizen app (scope /citizen/).
 * - keeps the app shell (pages, CSS, JS, Leaflet, icons) so the report form opens offline;
 * - pages: network first, cached copy when offline; static files: cache first;
 * - never caches POSTs, API answers or photos;
 * - Background Sync ("ioc-report-outbox"): sends the reports queued in IndexedDB. */
"use strict";
importScripts("/static/citizen/queue.js");

var CACHE = "ioc-citizen-v1";
var SHELL = [
  "/citizen/",
  "/citizen/offline",
  "/citizen/manifest.webmanifest",
  "/static/citizen/citizen.css",
  "/static/citizen/queue.js",
  "/static/citizen/app.js",
  "/static/citizen/report.js",
  "/static/citizen/map.js",
  "/static/citizen/track.js",
  "/static/citizen/icons/icon-192.png",
  "/static/vendor/leaflet-1.9.4/leaflet.js",
  "/static/vendor/leaflet-1.9.4/leaflet.css",
  "/static/vendor/leaflet-1.9.4/images/marker-icon.png",
  "/static/vendor/leaflet-1.9.4/images/marker-icon-2x.png",
  "/static/vendor/leaflet-1.9.4/images/marker-shadow.png",
];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("ioc-citizen-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var req = event.request;
  if (req.method !== "GET") return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/citizen/api/") === 0 || url.pathname === "/citizen/csrf" ||
      url.pathname.indexOf("/uploads/") === 0) return;
  if (req.mode === "navigate") {
    event.respondWith(fetch(req).then(function (res) {
      if (res.ok && url.pathname === "/citizen/") {
        var copy = res.clone();
        caches.open(CACHE).then(function (cache) { cache.put("/citizen/", copy); });
      }
      return res;
    }).catch(function () {
      return caches.match(req, { ignoreSearch: true }).then(function (hit) {
        return hit || caches.match("/citizen/offline");
      });
    }));
    return;
  }
  if (url.pathname.indexOf("/static/") === 0 || url.pathname === "/citizen/manifest.webmanifest") {
    event.respondWith(caches.match(req).then(function (hit) { return hit || fetch(req); }));
  }
});

function flushOutbox() {
  return IOCQueue.flush(function (record, result) {
    return self.clients.matchAll({ includeUncontrolled: true }).then(function (clients) {
      clients.forEach(function (client) {
        client.postMessage({ type: "ioc:sent", record: { client_id: record.client_id }, result: result });
      });
    });
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag === IOCQueue.SYNC_TAG) event.waitUntil(flushOutbox());
});

self.addEventListener("message", function (event) {
  if (event.data === "flush") event.waitUntil(flushOutbox());
});
