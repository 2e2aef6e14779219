// The department inbox, live: rows appear, change and leave as events arrive
// in the department's Socket.IO room; after a reconnect the list is fetched again.
import {
  OPEN, beep, connectLive, deadlineOf, durationText, el, epochOf, pageConfig, showLiveState,
  timeFormatter, translator,
} from "./common.js";

const cfg = pageConfig();
const T = translator(cfg.strings);
const fmtTime = timeFormatter(cfg.lang, cfg.tz);
const tbody = document.getElementById("inbox-rows");
const empty = document.getElementById("inbox-empty");
const banner = document.getElementById("inbox-alert");
let loading = false;
let buffered = [];

function buildRow(d) {
  const tr = el("tr");
  tr.id = `inc-${d.id}`;
  tr.dataset.id = d.id;
  tr.dataset.status = d.status;
  tr.dataset.updated = String(epochOf(d.updated_at));
  const deadline = epochOf(deadlineOf(d.status, d.ack_due_at, d.resolve_due_at));
  tr.dataset.deadline = deadline == null ? "" : String(Math.floor(deadline));
  tr.className = `sla-${d.sla_state}${d.urgent ? " urgent" : ""}`;
  const code = el("td");
  const link = el("a", "code", d.code);
  link.href = cfg.urls.incident + encodeURIComponent(d.code);
  code.append(link);
  if (d.urgent) code.append(" ", el("span", "badge urgent", T("field.urgent")));
  const left = el("td", "time-left");
  left.append(el("span", `badge sla-${d.sla_state}`, T(`sla.${d.sla_state}`)), " ", el("span", "left"));
  tr.append(code, el("td", "incident-text", d.text), el("td", "status", T(`status.${d.status}`)),
    left, el("td", null, d.ward ? (cfg.wards[d.ward] || d.ward) : ""), el("td", "muted", fmtTime(epochOf(d.created_at))));
  return tr;
}

function place(tr) {
  const key = tr.dataset.deadline === "" ? Infinity : Number(tr.dataset.deadline);
  for (const row of tbody.children) {
    const other = row.dataset.deadline === "" ? Infinity : Number(row.dataset.deadline);
    if (row !== tr && (other > key || (other === key && Number(row.dataset.id) > Number(tr.dataset.id)))) {
      tbody.insertBefore(tr, row);
      return;
    }
  }
  tbody.append(tr);
}

function upsert(d, announce) {
  const existing = document.getElementById(`inc-${d.id}`);
  if (existing && existing.dataset.updated && epochOf(d.updated_at) < Number(existing.dataset.updated)) return;
  const mine = d.department === cfg.department && OPEN.has(d.status);
  if (!mine) { if (existing) existing.remove(); return; }
  const tr = buildRow(d);
  if (existing) existing.replaceWith(tr);
  place(tr);
  if (!existing && announce) {
    tr.classList.add("flash-new");
    banner.textContent = `${T("inbox.new")}: ${d.code} · ${(d.text || "").slice(0, 120)}`;
    banner.hidden = false;
    if (d.urgent) beep();
  }
}

function refreshTimes() {
  const now = Date.now() / 1000;
  for (const row of tbody.children) {
    const cell = row.querySelector(".left");
    if (cell) cell.textContent = row.dataset.deadline === "" ? "" : durationText(Number(row.dataset.deadline) - now, T);
  }
  empty.hidden = tbody.children.length > 0;
}

function applyBatch(batch, announce) {
  for (const item of batch) {
    if (item.type === "incident.created" || item.type === "incident.updated") upsert(item.data, announce);
  }
  refreshTimes();
}

let reloadSeq = 0;
async function reload() {
  // The inbox's snapshot, fetched on every (re)connect: this department's open
  // incidents from the JSON API (session cookie); events meanwhile are held back.
  const seq = ++reloadSeq;
  loading = true;
  try {
    const q = new URLSearchParams({ department: cfg.department, open: "true", limit: "1000" });
    const res = await fetch(`/api/v1/incidents?${q}`, { credentials: "same-origin" });
    if (!res.ok) return;
    const body = await res.json();
    if (seq !== reloadSeq) return;
    tbody.replaceChildren();
    for (const d of body.items) upsert(d, false);
  } finally {
    if (seq === reloadSeq) { // the newest reload releases the events held meanwhile
      loading = false;
      const pending = buffered;
      buffered = [];
      applyBatch(pending, true);
    }
  }
}

connectLive({
  onEvents: (batch) => { if (loading) buffered.push(...batch); else applyBatch(batch, true); },
  onConnect: () => reload(),
  onState: (state) => showLiveState(document.getElementById("live-state"), state, T),
});
refreshTimes();
setInterval(refreshTimes, 30000);
window.iocInbox = { reload };
