/* The public map: recent reports as markers; popups built with textContent only. */
(function () {
  "use strict";
  var app = window.IOCCitizen;
  var S = app.strings;
  var config = app.config;
  var node = document.getElementById("public-map");
  if (!node || !window.L) return;
  var map = L.map(node, { attributionControl: !!config.tiles })
    .setView([config.city.lat, config.city.lon], config.city.zoom || 13);
  if (config.tiles) {
    L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution, maxZoom: 19 }).addTo(map);
  } else {
    node.classList.add("no-tiles");
  }

  function popup(item) {
    var box = document.createElement("div");
    box.className = "popup";
    var a = document.createElement("a");
    a.href = config.urls.track + encodeURIComponent(item.code);
    a.className = "code";
    a.textContent = item.code;
    var badge = document.createElement("span");
    badge.className = "badge";
    badge.textContent = " " + (item.open ? S.status_open : S.status_closed);
    var text = document.createElement("p");
    text.className = "text";
    text.textContent = item.text;
    var meta = document.createElement("p");
    meta.className = "meta";
    meta.textContent = item.created_local + (item.department_name ? " · " + item.department_name : "") +
      (item.report_count > 1 ? " · " + item.report_count + " " + S.reports_count : "");
    box.appendChild(a);
    box.appendChild(badge);
    box.appendChild(text);
    box.appendChild(meta);
    return box;
  }

  fetch(config.urls.public + "?days=30", { headers: { "Accept": "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var points = [];
      (data.items || []).forEach(function (item) {
        if (item.lat === null || item.lon === null) return;
        var marker = L.circleMarker([item.lat, item.lon], {
          radius: 8 + Math.min(item.report_count, 5), weight: 2,
          color: item.open ? "#b71c1c" : "#2e7d32", fillOpacity: 0.6,
          className: "incident-marker " + (item.open ? "open" : "closed"),
        }).addTo(map);
        marker.bindPopup(popup(item), { maxWidth: 260, minWidth: 180, keepInView: true });
        marker.options.code = item.code;
        points.push([item.lat, item.lon]);
      });
      if (points.length) map.fitBounds(points, { maxZoom: 16, padding: [24, 24] });
      node.dataset.loaded = String(points.length);
    })
    .catch(function () { node.dataset.loaded = "error"; });
  window.IOCPublicMap = map;
})();
