// The department inbox, live and paged. The page shows the first deadlines; "load more"
// asks for the page after a cursor; events of the department's Socket.IO room change,
// add and remove rows and refresh the counts; after a reconnect the pages loaded so far
// are fetched again.
//
// What the table holds: every matching incident up to `state.boundary` (the key of the
// last row loaded), in deadline order, plus incidents that arrived live beyond it. Rows
// past the boundary that were not loaded stay for "load more"; `state.next === null`
// means everything is loaded.
import {
  OPEN, beep, connectLive, deadlineOf, durationText, el, epochOf, fold, pageConfig,
  showLiveState, timeFormatter, translator,
} from "./common.js";

const cfg = pageConfig();
const T = translator(cfg.strings);
const fmtTime = timeFormatter(cfg.lang, cfg.tz);
const fmtCount = new Intl.NumberFormat(cfg.lang === "en" ? "en-GB" : "vi-VN");
const filter = cfg.filter || {};
const tbody = document.getElementById("inbox-rows");
const empty = document.getElementById("inbox-empty");
const banner = document.getElementById("inbox-alert");
const more = document.getElementById("inbox-more");
const RELOAD_MAX_PAGES = 20;

const state = {
  next: cfg.page.next_cursor, boundary: cfg.page.boundary, since: epochOf(cfg.at), reloads: 0,
};
let inFlight = 0;
let buffered = [];
let generation = 0;

// A deadline as whole microseconds since 1970, as the server's cursor keys are.
function micros(iso) {
  if (!iso) return null;
  const frac = /\.(\d+)/.exec(iso);
  return Date.parse(iso.replace(/\.\d+/, "")) * 1000
    + (frac ? Number(frac[1].slice(0, 6).padEnd(6, "0")) : 0);
}

function keyOf(d) {
  return [micros(deadlineOf(d.status, d.ack_due_at, d.resolve_due_at)), d.id];
}

function rowKey(tr) {
  return [tr.dataset.key === "" ? null : Number(tr.dataset.key), Number(tr.dataset.id)];
}

// The inbox order: deadline first (none last), then id.
function compare(a, b) {
  if (a[0] !== b[0]) {
    if (a[0] === null) return 1;
    if (b[0] === null) return -1;
    return a[0] - b[0];
  }
  return a[1] - b[1];
}

function inWindow(key) {
  return state.next === null || (state.boundary !== null && compare(key, state.boundary) <= 0);
}

function matches(d) {
  if (d.department !== cfg.department || !OPEN.has(d.status)) return false;
  if (filter.status && d.status !== filter.status) return false;
  if (filter.ward && d.ward !== filter.ward) return false;
  const q = (filter.q || "").trim();
  return !q || d.code.startsWith(q.toUpperCase())
    || fold(`${d.text || ""}\n${d.address || ""}`).includes(fold(q));
}

// What brings an incident into the department's work: a report, a reassignment to us,
// an operator's triage, a reopening. (A note or an SLA change is not an arrival.)
const ARRIVALS = new Set(["reassigned", "triaged", "reopened"]);

// Arrived while the page is open (created, routed or reopened since the last load).
function isArrival(item) {
  const d = item.data;
  return item.type === "incident.created"
    || (ARRIVALS.has(d.change) && epochOf(d.updated_at) > state.since);
}

function incidentLink(d) {
  const link = el("a", "code", d.code);
  link.href = cfg.urls.incident + encodeURIComponent(d.code);
  return link;
}

function buildRow(d, key) {
  const tr = el("tr");
  tr.id = `inc-${d.id}`;
  tr.dataset.id = d.id;
  tr.dataset.status = d.status;
  tr.dataset.updated = String(epochOf(d.updated_at));
  tr.dataset.key = key[0] === null ? "" : String(key[0]);
  tr.dataset.deadline = key[0] === null ? "" : String(Math.floor(key[0] / 1e6));
  tr.className = `sla-${d.sla_state}${d.urgent ? " urgent" : ""}`;
  const code = el("td");
  code.append(incidentLink(d));
  if (d.urgent) code.append(" ", el("span", "badge urgent", T("field.urgent")));
  const left = el("td", "time-left");
  left.append(el("span", `badge sla-${d.sla_state}`, T(`sla.${d.sla_state}`)), " ", el("span", "left"));
  tr.append(code, el("td", "incident-text", d.text), el("td", "status", T(`status.${d.status}`)),
    left, el("td", null, d.ward ? (cfg.wards[d.ward] || d.ward) : ""), el("td", "muted", fmtTime(epochOf(d.created_at))));
  return tr;
}

function place(tr) {
  const key = rowKey(tr);
  const last = tbody.lastElementChild;
  if (!last || (last !== tr && compare(rowKey(last), key) < 0)) { tbody.append(tr); return; }
  for (const row of tbody.children) {
    if (row !== tr && compare(rowKey(row), key) > 0) { tbody.insertBefore(tr, row); return; }
  }
  tbody.append(tr);
}

function announce(d) {
  banner.replaceChildren(`${T("inbox.new")}: `, incidentLink(d), ` · ${(d.text || "").slice(0, 120)}`);
  banner.hidden = false;
  if (d.urgent) beep();
}

function upsert(d, { announceNew = false, arrival = false } = {}) {
  const existing = document.getElementById(`inc-${d.id}`);
  if (existing && existing.dataset.updated && epochOf(d.updated_at) < Number(existing.dataset.updated)) return;
  if (!matches(d)) { if (existing) existing.remove(); return; }
  const key = keyOf(d);
  if (!existing && !inWindow(key) && !arrival) return; // further down: "load more" brings it
  const tr = buildRow(d, key);
  if (existing) existing.replaceWith(tr);
  place(tr);
  if (!existing && announceNew) {
    tr.classList.add("flash-new");
    announce(d);
  }
}

function showCounts(counts) {
  document.getElementById("inbox-total").textContent = fmtCount.format(counts.total);
  document.getElementById("inbox-matching").textContent = fmtCount.format(counts.matching);
  for (const node of document.querySelectorAll("[data-count-status]")) {
    const status = node.dataset.countStatus;
    const n = status === "all" ? counts.total : (counts.by_status[status] || 0);
    node.textContent = fmtCount.format(n);
    const tab = node.closest("a");
    if (status !== "all" && !tab.classList.contains("active")) tab.hidden = n === 0;
  }
}

function query(extra) {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...filter, limit: cfg.limit, ...extra })) {
    if (value) q.set(name, value);
  }
  return q;
}

async function getJSON(url) {
  const res = await fetch(url, { credentials: "same-origin" });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

const fetchPage = (cursor) => getJSON(`${cfg.urls.page}?${query({ cursor })}`);

let countsTimer = null;
function scheduleCounts() { // at most one counts request in flight per 600 ms
  if (countsTimer) return;
  countsTimer = setTimeout(async () => {
    try { showCounts(await getJSON(`${cfg.urls.counts}?${query({ limit: null })}`)); }
    catch { /* the next event or reconnect fetches them again */ }
    finally { countsTimer = null; }
  }, 600);
}

function refreshView() {
  const now = Date.now() / 1000;
  for (const row of tbody.children) {
    const cell = row.querySelector(".left");
    if (cell) cell.textContent = row.dataset.deadline === "" ? "" : durationText(Number(row.dataset.deadline) - now, T);
  }
  empty.hidden = tbody.children.length > 0;
  document.getElementById("inbox-shown").textContent = fmtCount.format(tbody.children.length);
  more.hidden = !state.next;
  if (state.next) more.href = `?${query({ cursor: state.next })}`;
}

function applyBatch(batch, announceNew) {
  let incidents = 0;
  for (const item of batch) {
    if (item.type !== "incident.created" && item.type !== "incident.updated") continue;
    incidents += 1;
    upsert(item.data, { announceNew, arrival: announceNew && isArrival(item) });
  }
  if (incidents) scheduleCounts();
  refreshView();
}

function loadFailed() {
  banner.replaceChildren(T("inbox.load_failed"));
  banner.hidden = false;
}

// Events that arrive while pages are fetched are held, then applied on top.
async function holdingEvents(work) {
  inFlight += 1;
  try {
    await work();
  } catch {
    loadFailed();
  } finally {
    inFlight -= 1;
    if (inFlight === 0) {
      const pending = buffered;
      buffered = [];
      applyBatch(pending, true);
    }
  }
}

async function reload() {
  // On every (re)connect: the pages loaded so far, fetched again (as deep as before).
  const gen = ++generation;
  const target = state.next === null ? null : state.boundary;
  await holdingEvents(async () => {
    let body = await fetchPage(cfg.start);
    const since = epochOf(body.at);
    const items = [...body.items];
    let boundary = body.boundary;
    for (let pages = 1; body.next_cursor && pages < RELOAD_MAX_PAGES
      && (target === null || compare(body.boundary, target) < 0); pages += 1) {
      body = await fetchPage(body.next_cursor);
      items.push(...body.items);
      boundary = body.boundary || boundary;
    }
    if (gen !== generation) return;
    Object.assign(state, { next: body.next_cursor, boundary, since });
    tbody.replaceChildren();
    for (const d of items) upsert(d);
    showCounts(body.counts);
    state.reloads += 1;
  });
  refreshView();
}

async function loadMore() {
  if (!state.next || more.getAttribute("aria-busy") === "true") return;
  const gen = generation;
  more.setAttribute("aria-busy", "true");
  await holdingEvents(async () => {
    const body = await fetchPage(state.next);
    if (gen !== generation) return;
    Object.assign(state, { next: body.next_cursor, boundary: body.boundary || state.boundary });
    for (const d of body.items) upsert(d);
    showCounts(body.counts);
  });
  more.removeAttribute("aria-busy");
  refreshView();
}

more.addEventListener("click", (event) => { event.preventDefault(); loadMore(); });
connectLive({
  onEvents: (batch) => { if (inFlight) buffered.push(...batch); else applyBatch(batch, true); },
  onConnect: () => reload(),
  onState: (live) => showLiveState(document.getElementById("live-state"), live, T),
});
refreshView();
setInterval(refreshView, 30000);
window.iocInbox = { reload, loadMore, state };
