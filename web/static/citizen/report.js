/* The three-step report form: photo, location (GPS, adjustable pin, or address), text.
 * The report goes into the outbox first, then is sent; offline it waits there. */
(function () {
  "use strict";
  var app = window.IOCCitizen;
  var S = app.strings;
  var config = app.config;
  var MAX_BYTES = 8 * 1024 * 1024;
  var $ = function (id) { return document.getElementById(id); };
  var form = $("report-form");
  if (!form) return;
  var lat = $("lat"), lon = $("lon"), source = $("location_source");
  var photoInput = $("photo"), preview = $("photo-preview");
  var submit = $("submit"), errorBox = $("form-error"), geoStatus = $("geo-status");
  var photo = null;
  var marker = null;
  var map = null;

  /* ---- map and location ---------------------------------------------- */
  if (window.L && $("pick-map")) {
    map = L.map("pick-map", { zoomControl: true, attributionControl: !!config.tiles })
      .setView([config.city.lat, config.city.lon], config.city.zoom || 14);
    if (config.tiles) {
      L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution, maxZoom: 19 }).addTo(map);
    } else {
      $("pick-map").classList.add("no-tiles");
    }
    map.on("click", function (e) { setPoint(e.latlng.lat, e.latlng.lng, "map"); });
  }

  function setPoint(la, lo, how) {
    lat.value = la.toFixed(6);
    lon.value = lo.toFixed(6);
    source.value = how;
    if (map) {
      if (!marker) {
        marker = L.marker([la, lo], { draggable: true, autoPan: true }).addTo(map);
        marker.on("dragend", function () {
          var p = marker.getLatLng();
          setPoint(p.lat, p.lng, "map");
        });
      } else {
        marker.setLatLng([la, lo]);
      }
      if (how === "gps") map.setView([la, lo], 17);
    }
    nearby(la, lo);
  }

  function locate() {
    if (lat.value && lon.value) { setPoint(parseFloat(lat.value), parseFloat(lon.value), "map"); return; }
    if (!navigator.geolocation) { geoStatus.textContent = S.no_gps; return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      setPoint(pos.coords.latitude, pos.coords.longitude, "gps");
      geoStatus.textContent = S.located;
    }, function () {
      geoStatus.textContent = S.no_gps;
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }

  /* Reports already filed near the pin: the problem may be known. */
  function nearby(la, lo) {
    var box = $("nearby"), list = $("nearby-list");
    if (!box || !navigator.onLine) return;
    fetch(config.urls.public + "?days=30&limit=5&near=" + la.toFixed(5) + "," + lo.toFixed(5),
          { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (data) {
        var open = (data.items || []).filter(function (i) { return i.open; });
        list.textContent = "";
        open.forEach(function (item) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = config.urls.track + encodeURIComponent(item.code);
          a.textContent = item.code;
          var span = document.createElement("span");
          span.textContent = " " + item.text;
          li.appendChild(a);
          li.appendChild(span);
          list.appendChild(li);
        });
        box.hidden = open.length === 0;
      })
      .catch(function () { box.hidden = true; });
  }

  /* ---- photo ------------------------------------------------------------ */
  photoInput.addEventListener("change", function () {
    var file = photoInput.files && photoInput.files[0];
    photo = file || null;
    if (!file) { preview.hidden = true; return; }
    preview.src = URL.createObjectURL(file);
    preview.hidden = false;
    if (file.size > MAX_BYTES && window.createImageBitmap) {
      shrink(file).then(function (small) { photo = small; }).catch(function () {});
    }
  });

  /* A phone photo past the limit is scaled down here (its EXIF is lost; the GPS of the phone is used). */
  function shrink(file) {
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, 2560 / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve, reject) {
        canvas.toBlob(function (blob) { blob ? resolve(blob) : reject(new Error("encode")); }, "image/jpeg", 0.85);
      });
    });
  }

  /* ---- submit ----------------------------------------------------------- */
  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = !message;
  }

  function showResult(data) {
    $("result-code").textContent = data.code;
    $("result-link").href = data.status_url;
    $("result").hidden = false;
    $("result").scrollIntoView({ behavior: "smooth", block: "start" });
  }

  function resetForm() {
    form.reset();
    photo = null;
    preview.hidden = true;
    if (marker) { var p = marker.getLatLng(); setPoint(p.lat, p.lng, source.value || "gps"); }
  }

  function busy(on) {
    submit.disabled = on;
    submit.textContent = on ? S.sending : S.submit;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    showError("");
    var text = $("text").value.trim();
    if (!text) { showError(S.text_required); return; }
    if (!lat.value && !$("address").value.trim() && !photo) { showError(S.location_required); return; }
    var record = {
      client_id: IOCQueue.uuid(),
      reported_at: new Date().toISOString(),
      fields: {
        text: text, lat: lat.value, lon: lon.value, location_source: source.value,
        address: $("address").value.trim(), category: $("category").value,
        name: $("name").value.trim(), phone: $("phone").value.trim(),
      },
      photo: photo,
      photo_name: photo && photo.name ? photo.name : "photo.jpg",
    };
    busy(true);
    IOCQueue.add(record).then(function () { return true; }, function () { return false; })
      .then(function (queued) {
        return IOCQueue.send(record).then(function (result) { return [queued, result]; });
      })
      .then(function (pair) {
        var queued = pair[0], result = pair[1];
        if (result.ok) {
          return IOCQueue.markSent(record, result.data).catch(function () {})
            .then(function () { return IOCQueue.remove(record.client_id).catch(function () {}); })
            .then(function () { resetForm(); showResult(result.data); });
        }
        if (result.offline && queued) {
          resetForm();
          IOCQueue.requestSync();
          return;
        }
        if (queued && result.status !== 429 && result.status < 500) IOCQueue.remove(record.client_id).catch(function () {});
        if (queued && result.status === 429) IOCQueue.remove(record.client_id).catch(function () {});
        showError(result.message || S.error_generic);
      })
      .catch(function () { showError(S.error_generic); })
      .finally(function () { busy(false); app.renderOutbox(); app.renderMine(); });
  });

  /* A queued report that left later (page 'online' flush or the service worker). */
  document.addEventListener("ioc:sent", function (event) {
    var result = event.detail && event.detail.result;
    if (result && result.ok) showResult(result.data);
  });

  locate();
})();
