// The live layer on folium's base map: one marker per open incident in a
// cluster group, updated one marker at a time; an optional heat layer.
import { SLA_RANK } from "./common.js";

const SAFE_LABEL = /[^A-Z0-9?]/g;

export class LiveMap {
  constructor(map, departments, onPick) {
    this.map = map;
    // Without a tile layer the map has no zoom range, which clustering needs.
    if (map.getMaxZoom() === Infinity) map.setMaxZoom(19);
    if (map.getMinZoom() === 0 && map.options.minZoom === undefined) map.setMinZoom(3);
    // Credit Leaflet without a link off the closed network.
    if (map.attributionControl) map.attributionControl.setPrefix("Leaflet");
    this.depts = new Map(departments.map((d) => [d.code, d]));
    this.onPick = onPick;
    this.markers = new Map(); // id → L.Marker (in the cluster group or not)
    this.icons = new Map();
    this.loading = false;
    this.pending = new Set();
    this.cluster = L.markerClusterGroup({
      chunkedLoading: true, chunkInterval: 150, chunkDelay: 30, showCoverageOnHover: false,
      maxClusterRadius: 55, disableClusteringAtZoom: 18, spiderfyOnMaxZoom: true,
      iconCreateFunction: (cluster) => this.clusterIcon(cluster),
    });
    this.cluster.on("click", (e) => this.onPick(e.layer.iocId));
    map.addLayer(this.cluster);
    this.heat = null;
    this.heatDirty = false;
    this.selection = L.circleMarker([0, 0], { radius: 18, color: "#1565c0", weight: 3, fill: false, interactive: false });
  }

  icon(rec) {
    const key = `${rec.dept}|${rec.sla}|${rec.urgent ? 1 : 0}`;
    let icon = this.icons.get(key);
    if (!icon) {
      const d = this.depts.get(rec.dept) || { label: "?", shape: "circle" };
      const label = String(d.label).replace(SAFE_LABEL, "");
      const cls = ["ioc-mk", `sla-${rec.sla}`, `shape-${d.shape}`];
      if (!rec.dept) cls.push("triage");
      if (rec.urgent) cls.push("urgent");
      icon = L.divIcon({ className: cls.join(" "), html: `<span>${label}</span>`, iconSize: [22, 22] });
      this.icons.set(key, icon);
    }
    return icon;
  }

  clusterIcon(cluster) {
    let worst = 0;
    const children = cluster.getAllChildMarkers();
    for (let i = 0; i < children.length && worst < 2; i++) worst = Math.max(worst, children[i].iocRank);
    const count = cluster.getChildCount();
    const size = count < 100 ? 34 : count < 1000 ? 42 : 50;
    const sla = ["on_time", "at_risk", "overdue"][worst];
    return L.divIcon({ className: `ioc-cluster sla-${sla}`, html: `<span>${count}</span>`, iconSize: [size, size] });
  }

  makeMarker(rec) {
    const marker = L.marker([rec.lat, rec.lon], { icon: this.icon(rec), keyboard: false });
    marker.iocId = rec.id;
    marker.iocRank = SLA_RANK[rec.sla] || 0;
    marker.iocKey = `${rec.dept}|${rec.sla}|${rec.urgent ? 1 : 0}`;
    marker.iocIn = false;
    return marker;
  }

  // Rebuild from scratch (snapshot or filter change): chunked, so the page stays responsive.
  reset(records, visible) {
    this.cluster.clearLayers();
    this.markers.clear();
    const layers = [];
    for (const rec of records) {
      if (rec.lat == null || rec.lon == null) continue;
      const marker = this.makeMarker(rec);
      this.markers.set(rec.id, marker);
      if (visible(rec)) { marker.iocIn = true; layers.push(marker); }
    }
    this.loading = true;
    const done = () => {
      this.cluster.options.chunkProgress = null;
      this.loading = false;
      const ids = Array.from(this.pending);
      this.pending.clear();
      if (this.afterLoad) this.afterLoad(ids);
    };
    if (!layers.length) { done(); }
    else {
      this.cluster.options.chunkProgress = (processed, total) => { if (processed >= total) done(); };
      this.cluster.addLayers(layers);
    }
    this.heatDirty = true;
  }

  // Make the map agree with the store for these ids: add, move, restyle or remove.
  sync(ids, lookup, visible) {
    if (this.loading) { ids.forEach((id) => this.pending.add(id)); return; }
    const add = [], remove = [], restyled = [];
    for (const id of ids) {
      const rec = lookup(id);
      let marker = this.markers.get(id);
      const show = rec && rec.lat != null && rec.lon != null && visible(rec);
      if (!rec || rec.lat == null || rec.lon == null) {
        if (marker) { if (marker.iocIn) remove.push(marker); this.markers.delete(id); }
        continue;
      }
      if (!marker) { marker = this.makeMarker(rec); this.markers.set(id, marker); }
      else {
        const key = `${rec.dept}|${rec.sla}|${rec.urgent ? 1 : 0}`;
        if (key !== marker.iocKey) {
          marker.iocKey = key;
          marker.iocRank = SLA_RANK[rec.sla] || 0;
          marker.setIcon(this.icon(rec));
          if (marker.iocIn && show) restyled.push(marker);
        }
        const at = marker.getLatLng();
        if (at.lat !== rec.lat || at.lng !== rec.lon) marker.setLatLng([rec.lat, rec.lon]);
      }
      if (show && !marker.iocIn) { marker.iocIn = true; add.push(marker); }
      else if (!show && marker.iocIn) { marker.iocIn = false; remove.push(marker); }
    }
    if (remove.length) this.cluster.removeLayers(remove);
    if (add.length) this.cluster.addLayers(add);
    if (restyled.length) this.cluster.refreshClusters(restyled);
    if (add.length || remove.length) this.heatDirty = true;
  }

  select(rec) {
    if (!rec || rec.lat == null) { this.selection.remove(); return; }
    this.selection.setLatLng([rec.lat, rec.lon]).addTo(this.map);
    const marker = this.markers.get(rec.id);
    if (marker && marker.iocIn) this.cluster.zoomToShowLayer(marker, () => {});
    else this.map.panTo([rec.lat, rec.lon]);
  }

  setHeat(on, points) {
    if (on) {
      if (!this.heat) this.heat = L.heatLayer([], { radius: 18, blur: 16, maxZoom: 16 });
      this.heat.setLatLngs(points());
      this.heat.addTo(this.map);
      this.heatDirty = false;
    } else if (this.heat) {
      this.heat.remove();
    }
  }

  refreshHeat(points) {
    if (this.heat && this.map.hasLayer(this.heat) && this.heatDirty) {
      this.heat.setLatLngs(points());
      this.heatDirty = false;
    }
  }

  visibleCount() {
    let n = 0;
    for (const marker of this.markers.values()) if (marker.iocIn) n++;
    return n;
  }
}
