// The console's in-memory model: every open incident, kept sorted by deadline
// (= by time left), plus the KPI counters, all updated incrementally per event.
import { AWAITING_ACK, OPEN, deadlineOf, epochOf } from "./common.js";

const INF = Number.POSITIVE_INFINITY;

function keyOf(rec) { return [rec.deadline == null ? INF : rec.deadline, rec.id]; }
function before(a, b) { return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]); }

export class Store {
  constructor() {
    this.records = new Map();   // id → record
    this.order = [];            // records sorted by (deadline, id)
    this.tombstones = new Map(); // id → updated (removed records), against stale events
    this.openByDept = new Map(); // dept code ("" = triage) → count
    this.triage = 0;
    this.kpi = { ack: [], res: [], resolved: 0, onTime: 0, dayStart: 0 };
    this.snapshotAt = null;
  }

  // Replace everything with a compact snapshot from /console/snapshot.json.
  load(snapshot) {
    const cols = snapshot.columns;
    const dict = snapshot.dictionaries;
    const ix = Object.fromEntries(cols.map((c, i) => [c, i]));
    this.records.clear();
    this.tombstones.clear();
    for (const row of snapshot.rows) {
      const rec = {
        id: row[ix.id], code: row[ix.code], lat: row[ix.lat], lon: row[ix.lon],
        dept: row[ix.department] == null ? null : dict.department[row[ix.department]],
        status: dict.status[row[ix.status]], sla: dict.sla_state[row[ix.sla_state]],
        urgent: row[ix.urgent] === 1, channel: dict.channel[row[ix.channel]],
        ward: row[ix.ward], created: row[ix.created_at], updated: row[ix.updated_at],
        deadline: row[ix.deadline], resolveDue: row[ix.resolve_due],
        confidence: row[ix.confidence], text: row[ix.text] || "",
      };
      this.records.set(rec.id, rec);
    }
    this.order = Array.from(this.records.values());
    this.order.sort((a, b) => (before(keyOf(a), keyOf(b)) ? -1 : 1));
    this.snapshotAt = snapshot.at_epoch_ms;
    this.recount();
  }

  recount() {
    this.openByDept.clear();
    this.triage = 0;
    for (const rec of this.records.values()) this.count(rec, 1);
  }

  count(rec, delta) {
    const key = rec.dept || "";
    this.openByDept.set(key, (this.openByDept.get(key) || 0) + delta);
    if (!rec.dept && rec.status === "new") this.triage += delta;
  }

  setKpiBase(strip) {
    this.kpi = {
      ack: strip.ack_minutes_today.slice(), res: strip.resolve_minutes_today.slice(),
      resolved: strip.resolved_today, onTime: strip.resolved_on_time_today,
      dayStart: epochOf(strip.day_start), satisfaction: strip.satisfaction_30d,
    };
  }

  // Apply one live event's incident summary; returns {old, rec, changed} or null if stale.
  apply(data) {
    const updated = epochOf(data.updated_at);
    const old = this.records.get(data.id);
    if (old && updated < old.updated) return null;
    const dead = this.tombstones.get(data.id);
    if (!old && dead !== undefined && updated < dead) return null;
    const rec = {
      id: data.id, code: data.code, lat: data.lat, lon: data.lon, dept: data.department,
      status: data.status, sla: data.sla_state, urgent: !!data.urgent, channel: data.channel,
      ward: data.ward, created: epochOf(data.created_at), updated,
      deadline: epochOf(deadlineOf(data.status, data.ack_due_at, data.resolve_due_at)),
      resolveDue: epochOf(data.resolve_due_at), confidence: data.confidence,
      text: data.text || "",
    };
    this.sample(old, rec);
    if (old) { this.unsort(old); this.count(old, -1); this.records.delete(old.id); }
    if (OPEN.has(rec.status)) {
      this.records.set(rec.id, rec);
      this.insort(rec);
      this.count(rec, 1);
      this.tombstones.delete(rec.id);
      return { old, rec, open: true };
    }
    this.tombstones.set(rec.id, updated);
    return { old, rec, open: false };
  }

  // Today's acknowledge / resolve samples, from status transitions seen live.
  sample(old, rec) {
    if (!old || rec.updated < this.kpi.dayStart || rec.created == null) return;
    const minutes = Math.round((rec.updated - rec.created) / 6) / 10;
    if (AWAITING_ACK.has(old.status) && ["acknowledged", "in_progress", "resolved"].includes(rec.status)) {
      this.kpi.ack.push(minutes);
    }
    if (rec.status === "resolved" && old.status !== "resolved") {
      this.kpi.res.push(minutes);
      this.kpi.resolved += 1;
      if (rec.resolveDue == null || rec.updated <= rec.resolveDue) this.kpi.onTime += 1;
    }
  }

  insort(rec) {
    const key = keyOf(rec);
    let lo = 0, hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(keyOf(this.order[mid]), key)) lo = mid + 1; else hi = mid;
    }
    this.order.splice(lo, 0, rec);
  }

  unsort(rec) {
    const key = keyOf(rec);
    let lo = 0, hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(keyOf(this.order[mid]), key)) lo = mid + 1; else hi = mid;
    }
    if (this.order[lo] === rec) { this.order.splice(lo, 1); return; }
    const at = this.order.indexOf(rec); // should not happen; stay correct anyway
    if (at >= 0) this.order.splice(at, 1);
  }
}

export function median(values) {
  if (!values.length) return null;
  const sorted = values.slice().sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
