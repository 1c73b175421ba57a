/* The moving layer: a <canvas> laid over each panel's plot area draws the paths (each whole route as a faint ghost,
 * the route up to the current step, a fading trail and the head), and answers hovers near a path point with its
 * own label.  Repainting it is well under 1 ms; requestAnimationFrame (clock.js) repaints only this. */

import { fmt } from "./decode.js";
import { st } from "./state.js";
import { say } from "./words.js";

const TRAIL = 24;    // points in the fading trail behind each head
const HOVER_PX = 8;  // a path point this close to the mouse gets the path's hover label
const HEAD_PX = 6;   // the head's radius

/** Is the n-th path of the panel switched off in the legend? */
export function hidden(panel, n) {
  const i = panel.toggle[n];
  if (i === undefined || i < 0) return false; // no legend entry (side by side): always shown
  const tr = panel.gd.data && panel.gd.data[i];
  return !tr || tr.visible === "legendonly" || tr.visible === false;
}

/** Data -> CSS pixels inside the plot area, for the ranges shown now (also while a pan is being dragged). */
function pixelMap(panel) {
  return mapFor(panel.area, panel.live || panel.area);
}

/** Data -> pixels inside a plot area `a` ({w, h}) that shows the ranges `rng` ({xr, yr}). */
export function mapFor(a, rng) {
  const sx = a.w / (rng.xr[1] - rng.xr[0]), sy = a.h / (rng.yr[1] - rng.yr[0]);
  return { X: (v) => (v - rng.xr[0]) * sx, Y: (v) => a.h - (v - rng.yr[0]) * sy };
}

export function paint(panel) {
  const a = panel.area, c = panel.canvas, ctx = c.getContext("2d");
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, c.width, c.height);
  if (!a) return;
  const dpr = c.width / a.w;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  drawPaths(ctx, panel, st.frame, pixelMap(panel));
}

/** The panel's paths at step `frame`, in the plot area's CSS pixels (`map` from pixelMap).  The one drawing of
 *  the moving layer: the screen (paint) and the GIF / video export (export.js) both call it. */
export function drawPaths(ctx, panel, frame, map, paths) {
  const X = map.X, Y = map.Y, all = paths || st.paths;
  ctx.lineJoin = "round"; ctx.lineCap = "round";
  panel.pathIdx.forEach(function (j, n) {
    if (hidden(panel, n)) return;
    const p = all[j], k = Math.min(frame, p.T);
    ctx.globalAlpha = 0.3; ctx.strokeStyle = p.color; ctx.lineWidth = 1.2; // the whole route, faint
    ctx.beginPath();
    ctx.moveTo(X(p.xs[0]), Y(p.ys[0]));
    for (let t = 1; t <= p.T; t++) ctx.lineTo(X(p.xs[t]), Y(p.ys[t]));
    ctx.stroke();
    ctx.globalAlpha = 0.9; ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(X(p.xs[0]), Y(p.ys[0]));
    for (let t = 1; t <= k; t++) ctx.lineTo(X(p.xs[t]), Y(p.ys[t]));
    ctx.stroke();
    ctx.fillStyle = p.color;
    for (let t = Math.max(0, k - TRAIL + 1); t < k; t++) {
      const age = (k - t) / TRAIL; // 0 at the head, 1 at the end of the trail
      ctx.globalAlpha = 0.85 * Math.pow(1 - age, 1.5);
      ctx.beginPath(); ctx.arc(X(p.xs[t]), Y(p.ys[t]), 1.5 + 3 * (1 - age), 0, 2 * Math.PI); ctx.fill();
    }
    ctx.globalAlpha = 1; ctx.lineWidth = 2; ctx.strokeStyle = "#ffffff";
    ctx.beginPath(); head(ctx, p.symbol, X(p.xs[k]), Y(p.ys[k]), HEAD_PX); ctx.fill(); ctx.stroke();
  });
  ctx.globalAlpha = 1;
}

/** The outline of a path's head at (x, y), radius r: the shape of its legend entry (Plotly's symbol names,
 *  figures.HEAD_SYMBOLS), so paths that overlap differ by shape as well as colour. */
function head(ctx, symbol, x, y, r) {
  const polygon = (points) => points.forEach(([u, v], i) => (i ? ctx.lineTo(x + u, y + v) : ctx.moveTo(x + u, y + v)));
  const turn = (n, r0, r1, start) => Array.from({ length: 2 * n }, (_, i) => {
    const a = start + (i * Math.PI) / n, q = i % 2 ? r1 : r0;
    return [q * Math.cos(a), q * Math.sin(a)];
  });
  const s = r * 0.9, t = r * 0.35; // a square's half side; a cross's half width
  switch (symbol) {
    case "square": polygon([[-s, -s], [s, -s], [s, s], [-s, s]]); break;
    case "diamond": polygon([[0, -r * 1.2], [r * 1.2, 0], [0, r * 1.2], [-r * 1.2, 0]]); break;
    case "triangle-up": polygon([[0, -r * 1.25], [r * 1.1, r * 0.75], [-r * 1.1, r * 0.75]]); break;
    case "triangle-down": polygon([[0, r * 1.25], [r * 1.1, -r * 0.75], [-r * 1.1, -r * 0.75]]); break;
    case "star": polygon(turn(5, r * 1.3, r * 0.55, -Math.PI / 2)); break;
    case "cross": polygon([[-t, -r], [t, -r], [t, -t], [r, -t], [r, t], [t, t], [t, r], [-t, r], [-t, t], [-r, t],
                           [-r, -t], [-t, -t]]); break;
    case "x": polygon([[-t, -r], [t, -r], [t, -t], [r, -t], [r, t], [t, t], [t, r], [-t, r], [-t, t], [-r, t],
                       [-r, -t], [-t, -t]].map(([u, v]) => [(u - v) * Math.SQRT1_2, (u + v) * Math.SQRT1_2])); break;
    default: ctx.arc(x, y, r, 0, 2 * Math.PI); return;
  }
  ctx.closePath();
}

/** The hover label of the path point nearest the mouse (within HOVER_PX), in place of Plotly's surface label. */
export function hoverPath(panel, e) {
  let best = null;
  const a = panel.area;
  if (e && a) {
    const r = panel.gd.getBoundingClientRect(), m = pixelMap(panel);
    const px = e.clientX - r.left - a.left, py = e.clientY - r.top - a.top;
    let d2 = HOVER_PX * HOVER_PX;
    panel.pathIdx.forEach(function (j, n) {
      if (hidden(panel, n)) return;
      const p = st.paths[j];
      for (let t = 0; t <= p.T; t++) {
        const dx = m.X(p.xs[t]) - px, dy = m.Y(p.ys[t]) - py, q = dx * dx + dy * dy;
        if (q <= d2) { d2 = q; best = { p: p, t: t, left: a.left + m.X(p.xs[t]), top: a.top + m.Y(p.ys[t]) }; }
      }
    });
  }
  panel.wrap.classList.toggle("on-path", !!best);
  if (!best) { panel.tip.hidden = true; return; }
  const p = best.p, t = best.t, tip = panel.tip;
  tip.textContent = "";
  const head = document.createElement("b");
  head.textContent = p.label;
  tip.append(head, document.createElement("br"), say("tip", { step: t, value: fmt(p.loss[t]) }),
             document.createElement("br"), "(" + fmt(p.xs[t]) + ", " + fmt(p.ys[t]) + ")");
  tip.style.borderColor = p.color;
  tip.hidden = false;
  // Beside the point, flipped to its left near the right edge so it stays inside the panel.
  const right = best.left + 12 + tip.offsetWidth > panel.wrap.clientWidth;
  tip.style.left = (right ? best.left - 12 - tip.offsetWidth : best.left + 12) + "px";
  tip.style.top = Math.max(0, best.top - tip.offsetHeight / 2) + "px";
}
