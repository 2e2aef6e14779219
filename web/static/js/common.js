// Shared helpers of the staff pages: page config, strings, DOM, time, sound, live socket.
// Data from incidents is always put into the page with textContent, never as HTML.

export const OPEN = new Set(["new", "routed", "acknowledged", "in_progress", "reopened"]);
export const AWAITING_ACK = new Set(["new", "routed", "reopened"]);
export const SLA_RANK = { on_time: 0, at_risk: 1, overdue: 2 };

export function pageConfig() {
  const node = document.getElementById("ioc-config");
  return node ? JSON.parse(node.textContent) : {};
}

export function translator(strings) {
  return (key) => (strings && key in strings ? strings[key] : key);
}

// Lower case without diacritics (đ → d), as the server folds incidents for search.
export function fold(text) {
  return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d").toLowerCase();
}

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

export function epochOf(iso) {
  return iso ? Date.parse(iso) / 1000 : null;
}

export function deadlineOf(status, ackDue, resolveDue) {
  return AWAITING_ACK.has(status) ? ackDue : resolveDue;
}

export function timeFormatter(lang, tz) {
  const fmt = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "vi-VN", {
    timeZone: tz, day: "2-digit", month: "2-digit", year: "numeric",
    hour: "2-digit", minute: "2-digit", hour12: false,
  });
  return (epochSeconds) => (epochSeconds == null ? "—" : fmt.format(new Date(epochSeconds * 1000)));
}

export function durationText(seconds, T) {
  if (seconds == null) return "—";
  const minutes = Math.floor(Math.abs(seconds) / 60);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  let text;
  if (days) text = `${days} ${T("unit.d")} ${hours} ${T("unit.h")}`;
  else if (hours) text = `${hours} ${T("unit.h")} ${mins} ${T("unit.min")}`;
  else text = `${mins} ${T("unit.min")}`;
  return seconds < 0 ? `${T("time.overdue_by")} ${text}` : text;
}

// An audible alert without any audio file: two short tones through Web Audio.
let audio = null;
window.iocBeeps = 0;
function audioContext() {
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (!Ctx) return null;
  if (!audio) audio = new Ctx();
  if (audio.state === "suspended") audio.resume().catch(() => {});
  return audio;
}
document.addEventListener("pointerdown", () => audioContext(), { once: true });

export function beep() {
  window.iocBeeps += 1;
  const ctx = audioContext();
  if (!ctx) return;
  const start = ctx.currentTime;
  for (const [offset, freq] of [[0, 880], [0.25, 660]]) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = "square";
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.2, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.2);
    osc.connect(gain).connect(ctx.destination);
    osc.start(start + offset);
    osc.stop(start + offset + 0.22);
  }
}

// The live socket (/live namespace, session cookie). onConnect runs on every
// (re)connect: callers fetch their snapshot again there, then apply events.
export function connectLive({ onEvents, onConnect, onState }) {
  const socket = window.io("/live", { reconnectionDelayMax: 5000 });
  socket.on("connect", () => { onState("live"); onConnect(); });
  socket.on("disconnect", () => onState("down"));
  socket.on("connect_error", () => onState("down"));
  socket.on("events", (batch) => onEvents(batch));
  return socket;
}

export function showLiveState(node, state, T) {
  if (!node) return;
  node.dataset.state = state;
  node.textContent = state === "live" ? T("console.connected") : T("console.disconnected");
}
