/* Every citizen page: config, service worker, the outbox and "my reports".
 * Text from the server is always put into the page with textContent. */
(function () {
  "use strict";
  var el = document.getElementById("citizen-config");
  var config = el ? JSON.parse(el.textContent) : { strings: {}, urls: {} };
  var S = config.strings || {};

  function show(node, visible) { if (node) node.hidden = !visible; }

  function renderOutbox() {
    var box = document.getElementById("outbox");
    if (!box || !window.IOCQueue) return Promise.resolve();
    return IOCQueue.list().then(function (items) {
      box.textContent = items.length ? S.queued_count + ": " + items.length + ". " + S.queued_offline : "";
      show(box, items.length > 0);
    }).catch(function () { /* private mode: no IndexedDB */ });
  }

  function renderMine() {
    var section = document.getElementById("my-reports");
    var list = document.getElementById("my-reports-list");
    if (!section || !list || !window.IOCQueue) return Promise.resolve();
    return IOCQueue.sentList().then(function (items) {
      items.sort(function (a, b) { return a.at < b.at ? 1 : -1; });
      list.textContent = "";
      items.slice(0, 20).forEach(function (item) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = item.status_url;
        a.className = "code";
        a.textContent = item.code;
        var p = document.createElement("span");
        p.className = "meta";
        p.textContent = " " + item.text;
        li.appendChild(a);
        li.appendChild(p);
        list.appendChild(li);
      });
      show(section, items.length > 0);
    }).catch(function () {});
  }

  function flush() {
    if (!window.IOCQueue) return Promise.resolve();
    return IOCQueue.flush(function (record, result) {
      document.dispatchEvent(new CustomEvent("ioc:sent", { detail: { record: record, result: result } }));
    }).then(function () { return Promise.all([renderOutbox(), renderMine()]); })
      .catch(function () {});
  }

  if ("serviceWorker" in navigator && config.urls.sw) {
    navigator.serviceWorker.register(config.urls.sw, { scope: config.urls.sw.replace(/sw\.js$/, "") })
      .catch(function () { /* the app works without it */ });
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "ioc:sent") {
        document.dispatchEvent(new CustomEvent("ioc:sent", { detail: event.data }));
        renderOutbox();
        renderMine();
      }
    });
  }
  window.addEventListener("online", flush);
  window.addEventListener("load", function () { renderOutbox(); renderMine(); if (navigator.onLine) flush(); });

  window.IOCCitizen = { config: config, strings: S, flush: flush, renderOutbox: renderOutbox, renderMine: renderMine };
})();
