// The operator console: snapshot + live events → store → map, queue, KPI strip, alerts.
import {
  beep, connectLive, durationText, el, epochOf, pageConfig, showLiveState, timeFormatter,
  translator,
} from "./common.js";
import { LiveMap } from "./console-map.js";
import { Store, median } from "./console-store.js";

const QUEUE_ROWS = 200;
const cfg = pageConfig();
const T = translator(cfg.strings);
const fmtTime = timeFormatter(cfg.lang, cfg.tz);
const deptByCode = new Map(cfg.departments.map((d) => [d.code, d]));
const wardName = new Map(cfg.wards.map((w) => [w.code, w.name]));
const ward = (code) => (code ? wardName.get(code) || code : "");
const store = new Store();
const liveMap = new LiveMap(window[cfg.map_var], cfg.departments, (id) => select(id));
const $ = (id) => document.getElementById(id);

// ---- filters -----------------------------------------------------------
const form = $("filters");
let filters = readFilters();
function readFilters() {
  const f = new FormData(form);
  return {
    department: f.get("department") || "", channel: f.get("channel") || "",
    status: f.get("status") || "", urgent: f.get("urgent") || "", ward: f.get("ward") || "",
  };
}
function visible(rec) {
  const f = filters;
  if (f.department === "__triage") { if (rec.dept) return false; }
  else if (f.department && rec.dept !== f.department) return false;
  if (f.channel && rec.channel !== f.channel) return false;
  if (f.status && rec.status !== f.status) return false;
  if (f.urgent && String(rec.urgent) !== f.urgent) return false;
  if (f.ward && rec.ward !== f.ward) return false;
  return true;
}
function exportQuery() {
  const q = new URLSearchParams();
  const f = filters;
  if (f.department === "__triage") q.set("triage", "true");
  else if (f.department) q.set("department", f.department);
  for (const k of ["channel", "status", "urgent", "ward"]) if (f[k]) q.set(k, f[k]);
  const s = q.toString();
  return s ? `?${s}` : "";
}
form.addEventListener("change", (e) => {
  if (e.target.name === "heat") { liveMap.setHeat(e.target.checked, heatPoints); return; }
  filters = readFilters();
  $("export-csv").href = cfg.urls.export_csv + exportQuery();
  $("export-geojson").href = cfg.urls.export_geojson + exportQuery();
  liveMap.reset(store.records.values(), visible);
  scheduleRender();
});
function heatPoints() {
  const pts = [];
  for (const rec of store.records.values()) {
    if (rec.lat != null && visible(rec)) pts.push([rec.lat, rec.lon, rec.urgent ? 1 : 0.5]);
  }
  return pts;
}

// ---- queue (first QUEUE_ROWS of the deadline-sorted store, DOM rows reused) ----
const queue = $("queue");
const pool = [];
let renderPending = false;
let selectedId = null;
function scheduleRender() {
  if (renderPending) return;
  renderPending = true;
  requestAnimationFrame(() => { renderPending = false; renderQueue(); renderKpis(); });
}
function rowFor(i) {
  if (!pool[i]) {
    const li = el("li");
    li.append(el("span", "q-dept"), el("span", "q-text"), el("span", "q-left"), el("span", "q-meta"));
    li.addEventListener("click", () => select(Number(li.dataset.id)));
    pool[i] = li;
  }
  return pool[i];
}
function renderQueue() {
  const now = Date.now() / 1000;
  let shown = 0, matching = 0;
  for (const rec of store.order) {
    if (!visible(rec)) continue;
    matching++;
    if (shown >= QUEUE_ROWS) continue;
    const li = rowFor(shown++);
    const [dept, text, left, meta] = li.children;
    li.dataset.id = rec.id;
    li.className = (rec.urgent ? "urgent " : "") + (rec.id === selectedId ? "selected" : "");
    const d = deptByCode.get(rec.dept);
    dept.textContent = d ? d.label : "?";
    dept.className = `q-dept sla-bg-${rec.sla}`;
    dept.title = d ? d.name : T("filter.triage");
    text.textContent = rec.text;
    left.textContent = rec.deadline == null ? "—" : durationText(rec.deadline - now, T);
    meta.textContent = `${rec.code} · ${T(`status.${rec.status}`)}${rec.ward ? ` · ${ward(rec.ward)}` : ""} · ${T("field.waited")} ${durationText(now - rec.created, T)}`;
    if (li.parentNode !== queue || queue.children[shown - 1] !== li) queue.append(li);
  }
  while (queue.children.length > shown) queue.lastChild.remove();
  $("queue-count").textContent = `${T("console.showing")} ${shown} ${T("console.of")} ${matching}`;
}

// ---- KPI strip -----------------------------------------------------------
function minutesText(v) {
  if (v == null) return "—";
  return v >= 120 ? durationText(v * 60, T) : `${Math.round(v)} ${T("unit.min")}`;
}
function satisfactionText(sat) {
  if (!sat || sat.satisfied_rate == null) return "—";
  return `${Math.round(sat.satisfied_rate * 100)}% · ${sat.ratings} ${T("kpi.ratings")}`;
}
function renderKpis() {
  $("kpi-open").textContent = String(store.records.size);
  $("kpi-triage").textContent = String(store.triage);
  $("kpi-ack").textContent = minutesText(median(store.kpi.ack));
  $("kpi-resolve").textContent = minutesText(median(store.kpi.res));
  $("kpi-ontime").textContent = store.kpi.resolved
    ? `${Math.round((100 * store.kpi.onTime) / store.kpi.resolved)}%` : "—";
  $("kpi-satisfaction").textContent = satisfactionText(store.kpi.satisfaction);
  const box = $("kpi-depts");
  box.replaceChildren();
  for (const d of cfg.departments) {
    const n = store.openByDept.get(d.code) || 0;
    const chip = el("span", "kpi-dept", d.label);
    chip.title = d.name;
    chip.append(el("b", null, n));
    box.append(chip);
  }
}
function renderServerKpis(strip) {
  // Before the snapshot arrives, show the server's figures (the strip loads first).
  $("kpi-open").textContent = String(strip.open_total);
  $("kpi-triage").textContent = String(strip.awaiting_triage);
  $("kpi-ack").textContent = minutesText(strip.median_minutes_to_acknowledge_today);
  $("kpi-resolve").textContent = minutesText(strip.median_minutes_to_resolve_today);
  $("kpi-ontime").textContent = strip.on_time_rate_today == null ? "—" : `${Math.round(strip.on_time_rate_today * 100)}%`;
  $("kpi-satisfaction").textContent = satisfactionText(strip.satisfaction_30d);
  const box = $("kpi-depts");
  box.replaceChildren();
  for (const d of cfg.departments) {
    const chip = el("span", "kpi-dept", d.label);
    chip.title = d.name;
    chip.append(el("b", null, strip.open_by_department[d.code] || 0));
    box.append(chip);
  }
}
async function loadKpis() {
  const res = await fetch(cfg.urls.kpis, { credentials: "same-origin" });
  if (!res.ok) return;
  const strip = await res.json();
  store.setKpiBase(strip);
  if (ready) renderKpis(); else renderServerKpis(strip);
}
setInterval(() => {
  if (store.kpi.dayStart && Date.now() / 1000 >= store.kpi.dayStart + 86400) loadKpis();
  scheduleRender(); // time left / waited
}, 15000);

// ---- detail panel --------------------------------------------------------
let detailTimer = null;
async function select(id) {
  selectedId = id;
  liveMap.select(store.records.get(id));
  scheduleRender();
  const res = await fetch(`${cfg.urls.detail}/${id}`, { credentials: "same-origin" });
  if (!res.ok || selectedId !== id) return;
  renderDetail(await res.json());
}
function renderDetail(d) {
  const now = Date.now() / 1000;
  $("detail").hidden = false;
  $("detail-code").textContent = d.code;
  const body = $("detail-body");
  body.replaceChildren();
  const badges = el("p");
  badges.append(el("span", `badge status-${d.status}`, T(`status.${d.status}`)), " ",
    el("span", `badge sla-${d.sla_state}`, T(`sla.${d.sla_state}`)));
  if (d.urgent) badges.append(" ", el("span", "badge urgent", T("field.urgent")));
  body.append(badges, el("p", "incident-text big", d.text));
  const dl = el("dl", "facts");
  const fact = (k, v) => dl.append(el("dt", null, T(k)), el("dd", null, v));
  const dept = deptByCode.get(d.department);
  fact("field.department", dept ? dept.name : T("filter.triage"));
  fact("field.channel", T(`channel.${d.channel}`));
  const cands = (d.candidates || []).slice(0, 3)
    .map(([c, p]) => `${(deptByCode.get(c) || { label: c }).label} ${Math.round(p * 100)}%`).join(", ");
  fact("field.confidence", `${Math.round((d.confidence || 0) * 100)}%${cands ? ` (${cands})` : ""}`);
  fact("field.address", [d.address, ward(d.ward)].filter(Boolean).join(" · ") || "—");
  fact("field.reported_at", fmtTime(epochOf(d.reported_at)));
  fact("field.waited", durationText(now - epochOf(d.created_at), T));
  fact("field.ack_due", fmtTime(epochOf(d.ack_due_at)));
  fact("field.resolve_due", fmtTime(epochOf(d.resolve_due_at)));
  fact("field.reports", d.report_count);
  body.append(dl);
  const photos = [...(d.photos || []), ...d.events.flatMap((e) => (e.data && e.data.photos) || [])];
  if (photos.length) {
    const box = el("div", "photos");
    photos.forEach((url, i) => {
      const a = el("a", null, url.startsWith("/uploads/") ? null : `${T("field.photos")} ${i + 1}`);
      if (url.startsWith("/uploads/")) {
        const img = el("img"); img.src = url; img.alt = `${T("field.photos")} ${i + 1}`; img.loading = "lazy";
        a.append(img); a.href = url;
      } else if (url.startsWith("https://") || url.startsWith("http://")) {
        a.href = url; a.rel = "noopener noreferrer nofollow"; a.target = "_blank";
      } else return;
      box.append(a);
    });
    body.append(el("h3", null, T("field.photos")), box);
  }
  body.append(el("h3", null, T("field.history")));
  const ol = el("ol", "history");
  for (const e of d.events) {
    const li = el("li");
    li.append(el("time", null, fmtTime(epochOf(e.at))), el("strong", null, T(`history.${e.kind}`)), " ",
      el("span", "muted", e.actor));
    const data = e.data || {};
    if (data.note) li.append(el("p", "note", data.note));
    if (data.reason) li.append(el("p", "note", `${T("action.reason")}: ${data.reason}`));
    ol.append(li);
  }
  body.append(ol);
  const link = el("a", "open-link", T("console.open_detail"));
  link.href = cfg.urls.action_page + encodeURIComponent(d.code);
  body.append(el("p")); body.lastChild.append(link);
}
$("detail-close").addEventListener("click", () => {
  selectedId = null; $("detail").hidden = true; liveMap.select(null); scheduleRender();
});
function refreshDetailSoon(id) {
  if (id !== selectedId || detailTimer) return;
  detailTimer = setTimeout(() => { detailTimer = null; if (selectedId === id) select(id); }, 400);
}

// ---- urgent alerts -----------------------------------------------------------
let alertCount = 0, alertId = null;
function raiseAlert(data) {
  alertCount += 1;
  alertId = data.id;
  const dept = deptByCode.get(data.department);
  $("alert-open").textContent = `${data.code} · ${dept ? dept.name : T("filter.triage")} · ${(data.text || "").slice(0, 140)}`;
  $("alert-count").textContent = alertCount > 1 ? `(+${alertCount - 1})` : "";
  $("alert-banner").hidden = false;
  beep();
}
$("alert-open").addEventListener("click", () => { if (alertId) select(alertId); });
$("alert-dismiss").addEventListener("click", () => { alertCount = 0; $("alert-banner").hidden = true; });

// ---- snapshot + live events -------------------------------------------------------
let ready = false;
let buffered = [];
const stats = { batches: 0, events: 0, lastBatchMs: 0, maxBatchMs: 0 };
function applyBatch(batch) {
  const started = performance.now();
  const touched = [];
  for (const item of batch) {
    if (item.type !== "incident.created" && item.type !== "incident.updated") continue;
    const result = store.apply(item.data);
    if (!result) continue;
    touched.push(item.data.id);
    if (item.type === "incident.created" && item.data.urgent && result.open && ready) raiseAlert(item.data);
    refreshDetailSoon(item.data.id);
  }
  if (touched.length) {
    liveMap.sync(touched, (id) => store.records.get(id), visible);
    scheduleRender();
  }
  const ms = performance.now() - started;
  stats.batches += 1; stats.events += batch.length; stats.lastBatchMs = ms;
  stats.maxBatchMs = Math.max(stats.maxBatchMs, ms);
}
liveMap.afterLoad = (ids) => { liveMap.sync(ids, (id) => store.records.get(id), visible); };
let snapshotSeq = 0;
async function loadSnapshot() {
  const seq = ++snapshotSeq; // a reconnect during the fetch starts a newer one: keep only that
  ready = false;
  const res = await fetch(cfg.urls.snapshot, { credentials: "same-origin" });
  if (!res.ok) { showLiveState($("live-state"), "down", T); return; }
  const snapshot = await res.json();
  if (seq !== snapshotSeq) return;
  store.load(snapshot);
  const pending = buffered; buffered = [];
  ready = true;
  applyBatch(pending);
  liveMap.reset(store.records.values(), visible);
  scheduleRender();
  window.iocConsole.snapshotAt = snapshot.at_epoch_ms;
  window.iocConsole.snapshots += 1;
}
window.iocConsole = { store, liveMap, snapshots: 0, snapshotAt: null, select, stats };
loadKpis();
setInterval(() => liveMap.refreshHeat(heatPoints), 1000);
window.iocConsole.socket = connectLive({
  onEvents: (batch) => { if (ready) applyBatch(batch); else buffered.push(...batch); },
  onConnect: () => { loadSnapshot(); loadKpis(); },
  onState: (state) => { showLiveState($("live-state"), state, T); if (state === "down") ready = false; },
});
