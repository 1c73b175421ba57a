/* The live scrub (args.scrub, components/scrub.py): every path for every notch of one hyperparameter is already in
 * the browser, so dragging redraws from it with no server round trip; letting go is the one message to Python,
 * which sets the sidebar's sliders (and so the URL) to the notch's values. */

import { decode, fmt, unzip } from "./decode.js";
import { drawFrame, updateBadges } from "./clock.js";
import { sendValue } from "./protocol.js";
import { playerState, st, ui } from "./state.js";
import { say } from "./words.js";

/** args.scrub -> {name, label, n, index, at, paths: {name: {values, xy, loss, grad, status, ...}}}; a notch's
 *  arrays are decoded the first time it is shown and kept. */
export function setupScrub(s) {
  st.scrub = null;
  playerState.scrub = null;
  ui.hp.hidden = !s;
  if (!s) return;
  st.scrub = { name: s.name, label: s.label, n: s.n, index: s.index, at: s.index, paths: s.paths, decoded: {},
               titles: Object.fromEntries(st.paths.map((p) => [p.name, p.label])) };
  ui.hpScrub.max = String(s.n - 1);
  ui.hpScrub.value = String(s.index);
  ui.hpLabel.textContent = s.label;
  ui.hpScrub.setAttribute("aria-label", say("scrub_label", { name: s.label }));
  for (const p of st.paths) {
    p.base = { xs: p.xs, ys: p.ys, loss: p.loss, grad: p.grad, lr: p.lr, T: p.T, status: p.status,
               convergedAt: p.convergedAt, divergedAt: p.divergedAt };
  }
  showNotch(s.index);
}

/** Notch i of one optimizer: its run is points[i] points of the series that hold every notch one after another
 *  (components/scrub.py payload); each series is decoded once, the first time any of its notches is shown. */
function notchData(name, i) {
  const key = name + "\u0000" + i, sc = st.scrub;
  if (!sc.decoded[key]) {
    const d = sc.paths[name];
    if (!d.series) {
      const offsets = [0];
      for (const count of d.points) offsets.push(offsets[offsets.length - 1] + count);
      d.series = { xy: unzip(decode(d.xy)), loss: decode(d.loss), grad: decode(d.grad), offsets: offsets };
    }
    const s = d.series, a = s.offsets[i], b = s.offsets[i + 1];
    sc.decoded[key] = { xs: s.xy[0].subarray(a, b), ys: s.xy[1].subarray(a, b), loss: s.loss.subarray(a, b),
                        grad: s.grad.subarray(a, b), status: d.status[i], convergedAt: d.converged_at[i],
                        divergedAt: d.diverged_at[i] };
  }
  return sc.decoded[key];
}

/** Draw notch i: every scrubbed path takes that notch's run (the opening notch: exactly what Python drew). */
function showNotch(i) {
  const sc = st.scrub;
  sc.at = i;
  for (const p of st.paths) {
    const d = sc.paths[p.name];
    if (!d || !p.base) continue;
    if (i === sc.index) { Object.assign(p, p.base); continue; }
    const nd = notchData(p.name, i);
    p.xs = nd.xs; p.ys = nd.ys; p.loss = nd.loss; p.grad = nd.grad; p.T = Math.max(0, nd.xs.length - 1);
    p.status = nd.status; p.convergedAt = nd.convergedAt; p.divergedAt = nd.divergedAt;
    // Every schedule is η times a shape, so a notch of η scales the rates the released run used.
    const ratio = sc.name === "learning_rate" ? d.values[i] / d.values[sc.index] : 1;
    p.lr = ratio === 1 ? p.base.lr : p.base.lr.map((v) => v * ratio);
  }
  const first = Object.keys(sc.paths)[0];
  const values = first ? sc.paths[first].values : [];
  // Each optimizer has its own slider, so a notch gives each its own value: say every one.
  const each = Object.keys(sc.paths).map((name) => (sc.titles[name] || name) + " " + fmt(sc.paths[name].values[i]));
  const text = say(i === sc.index ? "notch_opening" : "notch",
                   { notch: i + 1, count: sc.n, name: sc.label, values: each.join(say("list_separator")) });
  ui.hpValue.textContent = text;
  ui.hpScrub.setAttribute("aria-valuetext", text);
  playerState.scrub = { name: sc.name, values: values, index: i,
                        each: Object.fromEntries(Object.keys(sc.paths).map((k) => [sc.titles[k] || k, sc.paths[k].values])) };
  drawFrame();
  updateBadges();
}

export function wire() {
  ui.hpScrub.addEventListener("input", function () {
    if (!st.scrub) return;
    showNotch(Math.min(st.scrub.n - 1, Math.max(0, Math.round(Number(ui.hpScrub.value)))));
  });
  // Released: the one message to Python, which sets the sliders (and so the URL) to this notch's values.
  ui.hpScrub.addEventListener("change", function () {
    const sc = st.scrub;
    if (!sc || sc.at === sc.index) return;
    const values = {};
    for (const name of Object.keys(sc.paths)) values[name] = sc.paths[name].values[sc.at];
    st.clicks += 1;
    sendValue({ n: st.clicks, scrub: { name: sc.name, values: values } });
  });
}
