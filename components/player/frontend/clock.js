/* The clock: one step counter for every panel, the animation (requestAnimationFrame repaints only the canvases),
 * the readout under the plots, the step slider and Play, the step said to screen readers, and a click or a tap on
 * the surface (sent to Python as the start point). */

import { fmt } from "./decode.js";
import { paint } from "./paths.js";
import { plotArea } from "./plot.js";
import { sendValue } from "./protocol.js";
import { playerState, st, ui } from "./state.js";
import { say } from "./words.js";

const SECONDS_PER_RUN = 6;     // at 1x a whole run plays in about this long...
const MIN_RATE = 4;            // ...but never slower than this many steps per second
const CLICK_DELAY_MS = 260;    // a second click inside this window is a double-click (Plotly's zoom reset)
const CLICK_SLOP_PX = 5;       // a press that moves further than this is a zoom/pan drag, not a click
const TOUCH_SLOP_PX = 10;      // ... and a finger's, which wobbles more (a scroll moves much further)
const ANNOUNCE_MS = 400;       // the step is said once it has stayed this long (not at every frame of a drag)

export function drawFrame() {
  for (const panel of st.panels) paint(panel);
  const where = say("frame", { step: st.frame, total: st.T });
  ui.frame.textContent = where;
  ui.scrub.value = String(st.frame);
  ui.scrub.setAttribute("aria-valuetext", where);
  playerState.frame = st.frame;
  st.paths.forEach(function (p, j) {
    const row = ui.rows.rows[j];
    if (!row) return;
    const k = Math.min(st.frame, p.T);
    row.cells[2].textContent = k + " / " + p.T;
    row.cells[3].textContent = fmt(p.loss[k]);
    row.cells[4].textContent = fmt(p.grad[k]);
    // learning_rate[t] is the step size used from step t to t+1; at the last iterate show the last one used.
    row.cells[5].textContent = p.lr.length ? fmt(p.lr[Math.min(k, p.lr.length - 1)]) : "\u2014";
  });
  updateBadges();
}

export function buildReadout() {
  ui.rows.textContent = "";
  for (const p of st.paths) {
    const tr = ui.rows.insertRow();
    const sw = document.createElement("span");
    sw.className = "swatch";
    sw.style.background = p.color;
    tr.insertCell().appendChild(sw);
    tr.insertCell().textContent = p.label;
    for (let c = 0; c < 4; c++) tr.insertCell().className = "num";
    const status = document.createElement("span");
    tr.insertCell().appendChild(status);
  }
  updateBadges();
}

/** The status of path p at step k: what the run had done by then (diverged, converged), "running" before that,
 *  and the run's outcome (the page's word: stalled, moving, ...) at its last step. */
function statusAt(p, k) {
  if (p.divergedAt >= 0 && k >= p.divergedAt) return "diverged";
  if (p.convergedAt >= 0 && k >= p.convergedAt) return "converged";
  return k >= p.T ? p.status : "running";
}

export function updateBadges() {
  st.paths.forEach(function (p, j) {
    const row = ui.rows.rows[j], badge = row && row.cells[6] && row.cells[6].firstChild;
    if (!badge) return;
    const code = statusAt(p, Math.min(st.frame, p.T));
    badge.className = "status " + code.replace(/[^a-z_]/gi, "");
    badge.textContent = code ? say("status." + code) : "";
  });
}

let announceTimer = null;
/** Say the step shown to screen readers (a polite live region), once it has settled: after a key, a slider drag
 *  or a pause, never at every frame of the animation. */
export function announce() {
  clearTimeout(announceTimer);
  announceTimer = setTimeout(function () {
    if (st.playing) return;
    const text = say("frame", { step: st.frame, total: st.T });
    ui.announce.textContent = text;
    playerState.announced = text;
  }, ANNOUNCE_MS);
}

/** Show step k (clamped to the run), keeping the play state: the clock goes on from there. */
export function seek(k) {
  st.frame = Math.min(st.T, Math.max(0, Math.round(k)));
  st.clock = st.frame;
  drawFrame();
  announce();
}

function rate() {
  return Math.max(st.T / SECONDS_PER_RUN, MIN_RATE) * Number(ui.speed.value || 1);
}

export function setPlaying(on) {
  on = !!on && st.T > 0;
  if (on && !st.playing && st.frame >= st.T) { st.clock = 0; st.frame = 0; drawFrame(); }
  st.playing = on;
  playerState.playing = on;
  labelPlay();
  if (!on) announce();
  if (on) {
    st.lastTime = null;
    const token = ++st.loopToken;
    requestAnimationFrame((t) => tick(t, token));
  }
}

/** Play's face: the symbol and the word for what a press does now (the symbol is not read aloud). */
export function labelPlay() {
  const word = say(st.playing ? "pause" : "play");
  ui.play.textContent = (st.playing ? "\u275a\u275a " : "\u25b6 ") + word;
  ui.play.classList.toggle("playing", st.playing);
  ui.play.setAttribute("aria-label", word);
}

function tick(now, token) {
  if (!st.playing || token !== st.loopToken) return;
  if (st.lastTime === null) st.lastTime = now;
  const dt = Math.min(0.25, (now - st.lastTime) / 1000); // a hidden tab must not jump to the end on return
  st.lastTime = now;
  st.clock += dt * rate();
  if (ui.loop.checked && st.clock >= st.T + 1) st.clock %= st.T + 1;
  const f = Math.min(st.T, Math.floor(st.clock));
  if (f !== st.frame) { st.frame = f; drawFrame(); }
  if (!ui.loop.checked && st.clock >= st.T) { setPlaying(false); return; }
  requestAnimationFrame((t) => tick(t, token));
}

function sendClick(x, y) {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return;
  st.clicks += 1;
  const value = { x: x, y: y, n: st.clicks };
  playerState.lastClick = value;
  sendValue(value);
}

/** The controls' events: Play, the step slider, speed, and a click or tap (not a drag) on a surface. */
export function wire() {
  ui.play.addEventListener("click", () => setPlaying(!st.playing));
  ui.scrub.addEventListener("input", () => seek(Number(ui.scrub.value)));
  ui.speed.addEventListener("change", () => { st.lastTime = null; });
  // A finger that scrolls the page over a plot is not a tap: the browser cancels its pointer.
  window.addEventListener("pointercancel", () => { st.down = null; }, true);
  window.addEventListener("pointerup", function (e) {
    const down = st.down;
    st.down = null;
    const slop = e.pointerType === "touch" ? TOUCH_SLOP_PX : CLICK_SLOP_PX;
    if (!down || Math.hypot(e.clientX - down.x, e.clientY - down.y) > slop) return;
    const a = plotArea(down.panel);
    if (!a) return;
    const r = down.panel.gd.getBoundingClientRect();
    const px = e.clientX - r.left - a.left, py = e.clientY - r.top - a.top;
    if (px < 0 || py < 0 || px > a.w || py > a.h) return;
    const x = a.xr[0] + (px / a.w) * (a.xr[1] - a.xr[0]), y = a.yr[1] - (py / a.h) * (a.yr[1] - a.yr[0]);
    if (st.pendingClick) { clearTimeout(st.pendingClick); st.pendingClick = null; return; } // double-click
    st.pendingClick = setTimeout(function () { st.pendingClick = null; sendClick(x, y); }, CLICK_DELAY_MS);
  }, true);
}
