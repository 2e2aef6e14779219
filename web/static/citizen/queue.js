/* The outbox of citizen reports, shared by the page and the service worker.
 *
 * A report is written to IndexedDB *before* it is sent, so nothing typed on
 * the spot is lost when the connection drops. Sending fetches a fresh CSRF
 * token first (a queued report may leave hours after the page loaded), then
 * posts the form. The phone-generated client_id makes a resend harmless: the
 * server answers with the tracking code of the first copy.
 * Loaded with <script> in pages and importScripts() in the service worker.
 */
(function (root) {
  "use strict";
  var DB_NAME = "ioc-citizen";
  var DB_VERSION = 1;
  var BASE = "/citizen/";
  var SYNC_TAG = "ioc-report-outbox";
  var flushing = null;

  function open() {
    return new Promise(function (resolve, reject) {
      var req = root.indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = function () {
        var db = req.result;
        if (!db.objectStoreNames.contains("outbox")) db.createObjectStore("outbox", { keyPath: "client_id" });
        if (!db.objectStoreNames.contains("sent")) db.createObjectStore("sent", { keyPath: "client_id" });
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function tx(store, mode, fn) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(store, mode);
        var result;
        t.oncomplete = function () { db.close(); resolve(result); };
        t.onerror = function () { db.close(); reject(t.error); };
        var req = fn(t.objectStore(store));
        if (req) req.onsuccess = function () { result = req.result; };
      });
    });
  }

  function uuid() {
    if (root.crypto && root.crypto.randomUUID) return root.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    root.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function add(record) { return tx("outbox", "readwrite", function (s) { return s.put(record); }); }
  function remove(id) { return tx("outbox", "readwrite", function (s) { return s.delete(id); }); }
  function list() { return tx("outbox", "readonly", function (s) { return s.getAll(); }); }
  function sentList() { return tx("sent", "readonly", function (s) { return s.getAll(); }); }
  function markSent(record, data) {
    return tx("sent", "readwrite", function (s) {
      return s.put({ client_id: record.client_id, code: data.code, status_url: data.status_url,
                     text: (record.fields.text || "").slice(0, 120), at: record.reported_at });
    });
  }

  /* Send one record. Resolves {ok, data} or {ok:false, retry, message}. */
  function send(record) {
    return fetch(BASE + "csrf", { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error("csrf " + r.status); return r.json(); })
      .then(function (tok) {
        var form = new FormData();
        Object.keys(record.fields).forEach(function (k) {
          if (record.fields[k] !== null && record.fields[k] !== undefined) form.append(k, record.fields[k]);
        });
        form.append("client_id", record.client_id);
        form.append("reported_at", record.reported_at);
        if (record.photo) form.append("photo", record.photo, record.photo_name || "photo.jpg");
        return fetch(BASE + "report", {
          method: "POST", body: form, credentials: "same-origin",
          headers: { "Accept": "application/json", "X-CSRFToken": tok.csrf_token },
        });
      })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (data) {
          if (res.ok) return { ok: true, data: data };
          var message = data && data.error ? data.error.message : "HTTP " + res.status;
          return { ok: false, retry: res.status === 429 || res.status >= 500, status: res.status, message: message };
        });
      })
      .catch(function (err) { return { ok: false, retry: true, offline: true, message: String(err) }; });
  }

  /* Send everything queued, oldest first; stop at the first failure worth retrying. */
  function flush(onResult) {
    if (flushing) return flushing;
    flushing = list().then(function (records) {
      records.sort(function (a, b) { return a.reported_at < b.reported_at ? -1 : 1; });
      var chain = Promise.resolve(true);
      records.forEach(function (record) {
        chain = chain.then(function (goOn) {
          if (!goOn) return false;
          return send(record).then(function (result) {
            var done = result.ok ? markSent(record, result.data).then(function () { return remove(record.client_id); })
                                 : (result.retry ? Promise.resolve() : remove(record.client_id));
            return done.then(function () {
              if (onResult) onResult(record, result);
              return result.ok || !result.retry;
            });
          });
        });
      });
      return chain;
    }).finally(function () { flushing = null; });
    return flushing;
  }

  /* Ask the browser to flush when the connection returns (Background Sync), if it can. */
  function requestSync() {
    if (!root.navigator || !root.navigator.serviceWorker) return Promise.resolve(false);
    return root.navigator.serviceWorker.ready.then(function (reg) {
      if (reg.sync && reg.sync.register) return reg.sync.register(SYNC_TAG).then(function () { return true; });
      return false;
    }).catch(function () { return false; });
  }

  root.IOCQueue = { add: add, remove: remove, list: list, sentList: sentList, markSent: markSent,
                    send: send, flush: flush, requestSync: requestSync, uuid: uuid, SYNC_TAG: SYNC_TAG };
})(self);
