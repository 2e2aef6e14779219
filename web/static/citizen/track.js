/* The status page refreshes itself when the report changes (checked every 30 s and
 * whenever the page comes back into view). */
(function () {
  "use strict";
  var app = window.IOCCitizen;
  var box = document.getElementById("status");
  if (!box) return;
  var url = app.config.urls.track.replace(/track\/$/, "api/track/") + encodeURIComponent(box.dataset.code);
  var known = box.dataset.updated;

  function check() {
    if (document.hidden || !navigator.onLine) return;
    fetch(url, { headers: { "Accept": "application/json" }, cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data && data.updated_at && data.updated_at !== known) {
          window.location.replace(window.location.pathname);
        }
      })
      .catch(function () {});
  }
  setInterval(check, 30000);
  document.addEventListener("visibilitychange", check);
})();
