/* The static layer: what Plotly draws in each panel (the contour, the critical points, the dashed gradient flow and
 * the legend), the panels themselves, and their shared zoom.  It is redrawn only when one of those changes
 * (main.js's staticSignature), never for new paths alone: any change to a trace's x/y makes Plotly replot the whole
 * subplot, contour included (60-185 ms measured in headless Chromium here).  Never Plotly frames / Plotly.animate:
 * after such an animation has played Plotly stops firing click events (measured on these machines), and clicks on
 * the surface are how the page picks a start point. */

import { hoverPath, paint } from "./paths.js";
import { playerState, st, style, ui } from "./state.js";
import { say } from "./words.js";

const ONE_COLUMN_PX = 520; // narrower: side-by-side panels go one under the other
const NARROW_PX = 800;     // narrower (a phone, a tablet upright): the colour bar above the map, thin, not beside it
const NARROW_HYSTERESIS_PX = 40; // once narrow, wide again only above NARROW_PX + this (and the other way round)
/** A finger, not a mouse (the primary pointer is coarse): a one-finger drag scrolls the page instead of zooming
 *  (plotly.js #2844: a drag mode captures the finger), and zoom is an explicit mode, the mode bar's zoom and pan
 *  buttons (with its + / − buttons). */
export const touch = Boolean(window.matchMedia && window.matchMedia("(pointer: coarse)").matches);
playerState.touch = touch;

const CONFIG = {
  displaylogo: false,
  responsive: true,
  doubleClick: "reset",
  modeBarButtonsToRemove: ["lasso2d", "select2d", "toImage"],
};

export function contourTrace(showScale) {
  const s = st.surface, c = style.contours;
  const title = s.log ? "log\u2081\u2080(f \u2212 f\u2098\u1d62\u2099 + \u03b5)" : "f";
  const t = {
    type: "contour", x: s.x, y: s.y, z: s.zPlot, ncontours: c.count, colorscale: style.surface,
    contours: { coloring: "heatmap", showlines: true }, line: { width: c.width, color: c.color },
    showscale: showScale, showlegend: false, name: "surface",
    // Narrow: a thin bar above the map, as wide as the map, so the map keeps the panel's width.
    colorbar: st.narrow
      ? { orientation: "h", thickness: 8, len: 1, x: 0.5, xanchor: "center", y: 1.01, yanchor: "bottom",
          outlinewidth: 0, tickfont: { size: 10 }, title: { text: title, side: "top", font: { size: 11 } } }
      : { thickness: 12, len: 0.85, outlinewidth: 0, tickfont: { size: 11 }, title: { text: title, side: "right" } },
  };
  if (s.log) {
    t.text = s.text;
    t.hovertemplate = "x %{x:.4g}<br>y %{y:.4g}<br>f %{text}<extra></extra>";
  } else {
    t.hovertemplate = "x %{x:.4g}<br>y %{y:.4g}<br>f %{z:.4g}<extra></extra>";
  }
  return t;
}

export function markerTraces(showLegend) {
  const out = [];
  for (const kind of Object.keys(style.kinds)) {
    const ms = st.markers.filter((m) => m.kind === kind);
    if (!ms.length) continue;
    const k = style.kinds[kind], open = k.symbol.endsWith("-open");
    out.push({
      type: "scatter", mode: "markers", name: say("kind." + kind), legendgroup: "kind:" + kind, showlegend: showLegend,
      x: ms.map((m) => m.x), y: ms.map((m) => m.y), text: ms.map((m) => m.label),
      marker: { symbol: k.symbol, size: k.size, color: k.color, line: { width: open ? 2 : 1.2, color: open ? k.color : style.outline } },
      hovertemplate: "%{text}<br>(%{x:.4g}, %{y:.4g})<extra>" + say("kind." + kind) + "</extra>",
    });
  }
  return out;
}

/** Plotly's traces for one path: the dashed gradient flow and the legend entry (the route is on the canvas). */
export function pathTraces(p, showLegend) {
  const group = "path:" + p.name;
  const flow = p.flowX ? {
    type: "scatter", mode: "lines", x: p.flowX, y: p.flowY, legendgroup: group, showlegend: false,
    name: say("flow_name", { label: p.label }), line: { color: p.color, width: 1.5, dash: "dash" }, opacity: 0.75,
    hovertemplate: say("flow") + "<br>(%{x:.4g}, %{y:.4g})<extra>" + p.label + "</extra>",
  } : null;
  // Clicking the legend entry toggles the whole group: the flow here, the route on the canvas (paths.js hidden()).
  const legend = showLegend ? {
    type: "scatter", mode: "lines+markers", x: [null], y: [null], name: p.label, legendgroup: group,
    line: { color: p.color, width: 2 }, marker: { color: p.color, size: 8, symbol: p.symbol }, hoverinfo: "skip",
  } : null;
  return { flow: flow, legend: legend };
}

function panelHeight() {
  return st.layout === "overlay" ? st.height : Math.max(220, Math.round(st.height * 0.6));
}

function margins(overlay) {
  if (!overlay) return { l: 36, r: 8, t: 30, b: 26 };
  return st.narrow ? { l: 40, r: 6, t: 8, b: 36 } : { l: 48, r: 8, t: 8, b: 36 };
}

function baseLayout(overlay, heading) {
  const s = st.surface, c = st.colors;
  return {
    uirevision: s.id, // same surface: Plotly.react keeps the user's zoom
    height: panelHeight(),
    margin: margins(overlay),
    xaxis: { range: s.xRange.slice(), autorange: false, showgrid: false, zeroline: false, ticks: "outside",
             title: overlay ? { text: "x", standoff: 4 } : undefined },
    yaxis: { range: s.yRange.slice(), autorange: false, showgrid: false, zeroline: false, ticks: "outside",
             title: overlay ? { text: "y", standoff: 4 } : undefined },
    showlegend: overlay,
    legend: { orientation: "h", x: 0, xanchor: "left", y: -0.09, yanchor: "top", font: { size: 12 } },
    hovermode: "closest",
    dragmode: touch ? false : "zoom",
    paper_bgcolor: c.bg, plot_bgcolor: c.bg,
    font: { family: c.font, color: c.text, size: 12 },
    title: overlay ? undefined : { text: heading, x: 0.02, xanchor: "left", y: 0.985, yanchor: "top", font: { size: 13 } },
  };
}

export function applyTheme(theme) {
  const t = theme || {};
  st.colors = {
    bg: t.backgroundColor || "#ffffff", text: t.textColor || "#31333f",
    font: t.font || '"Source Sans Pro", sans-serif', primary: t.primaryColor || "#ff4b4b",
  };
  const r = document.documentElement.style;
  r.setProperty("--bg", st.colors.bg);
  r.setProperty("--text", st.colors.text);
  r.setProperty("--primary", st.colors.primary);
  if (t.secondaryBackgroundColor) r.setProperty("--panel", t.secondaryBackgroundColor);
  if (t.font) r.setProperty("font-family", t.font);
}

// ------------------------------------------------------------------------------------------ panels
function makePanel() {
  const wrap = document.createElement("div"), gd = document.createElement("div");
  const canvas = document.createElement("canvas");
  wrap.className = "panel";
  gd.className = "plot";
  canvas.className = "paths";
  wrap.append(gd, canvas);
  ui.plots.appendChild(wrap);
  const tip = document.createElement("div");
  tip.className = "tip";
  tip.hidden = true;
  wrap.append(tip);
  const panel = { wrap: wrap, gd: gd, canvas: canvas, tip: tip, surfaceId: null, ignoreRelayout: 0, pathIdx: [],
                  toggle: [], area: null, live: null };
  // Clicks are read from raw pointer events and converted with the axis ranges, so any spot of the surface is a
  // valid pick (plotly_click fires only on data points).
  gd.addEventListener("pointerdown", function (e) {
    st.down = (e.button === 0 && !e.target.closest(".modebar, .legend, .colorbar"))
      ? { panel: panel, x: e.clientX, y: e.clientY } : null;
    hoverPath(panel, null);
  }, true);
  gd.addEventListener("pointermove", (e) => hoverPath(panel, st.down ? null : e));
  gd.addEventListener("pointerleave", () => hoverPath(panel, null));
  return panel;
}

export function ensurePanels(n, rebuild) {
  if (rebuild) {
    for (const p of st.panels) Plotly.purge(p.gd);
    ui.plots.textContent = "";
    st.panels = [];
  }
  while (st.panels.length > n) {
    const p = st.panels.pop();
    Plotly.purge(p.gd);
    p.wrap.remove();
  }
  while (st.panels.length < n) st.panels.push(makePanel());
  ui.plots.className = st.layout;
  layoutGrid();
}

export function layoutGrid() {
  const n = st.panels.length;
  let cols = st.layout === "overlay" ? 1 : n <= 3 ? n : n === 4 ? 2 : 3;
  // Hysteresis: a page's scroll bar coming and going during a rerun changes the width by ~15 px, which must not
  // move the colour bar back and forth (each move redraws the panels).
  const width = ui.plots.clientWidth;
  const narrow = width ? width < NARROW_PX + (st.narrow ? NARROW_HYSTERESIS_PX : -NARROW_HYSTERESIS_PX) : st.narrow;
  if (width && width < ONE_COLUMN_PX) cols = 1;
  if (narrow !== st.narrow) {
    st.narrow = playerState.narrow = narrow;
    // The colour bar moves.  Plotly.react keeps a drawn colour bar's orientation (measured: a bar turned horizontal
    // stayed vertical, above a map squeezed to a strip), so those panels are drawn afresh.
    st.panels.forEach(function (p, i) {
      if (!p.drawn) return;
      Plotly.purge(p.gd);
      p.drawn = false;
      drawPanel(p, i);
    });
  }
  const template = "repeat(" + Math.max(1, cols) + ", minmax(0, 1fr))";
  if (ui.plots.style.gridTemplateColumns === template) return;
  ui.plots.style.gridTemplateColumns = template;
  // Plotly's `responsive` follows window resizes only; a new column count resizes the panels without one.
  for (const p of st.panels) if (p.drawn) refit(p);
}

/** Resize a drawn panel to its box.  Then place the legend again: Plotly keeps the legend where the first draw's
 *  width put it (measured here: drawn while the iframe was still 296 px wide, a legend of many rows was lifted
 *  into the plot, and stayed there at 816 px), and relaying out its position, even unchanged, recomputes it. */
function refit(panel) {
  return Plotly.Plots.resize(panel.gd).then(function () {
    const layout = panel.gd.layout; // none once the panel was purged (a new layout) while it resized
    if (layout && layout.showlegend && layout.legend) return Plotly.relayout(panel.gd, { "legend.y": layout.legend.y });
  });
}

let refitTimer = null;
window.addEventListener("resize", function () {
  clearTimeout(refitTimer);
  refitTimer = setTimeout(() => {
    layoutGrid(); // a phone turned, a window narrowed: the colour bar's place and the column count may change
    for (const p of st.panels) if (p.drawn) refit(p);
  }, 120);
});

export function drawPanel(panel, i) {
  const overlay = st.layout === "overlay";
  const pathIdx = overlay ? st.paths.map((_, j) => j) : i < st.paths.length ? [i] : [];
  const heading = pathIdx.length === 1 ? st.paths[pathIdx[0]].label : "";
  const built = pathIdx.map((j) => pathTraces(st.paths[j], overlay));
  const data = [contourTrace(overlay)].concat(markerTraces(overlay));
  for (const b of built) if (b.flow) data.push(b.flow);
  panel.toggle = built.map((b) => (b.legend ? data.push(b.legend) - 1 : -1));
  panel.pathIdx = pathIdx;

  // Reuse the live layout object while the surface is unchanged: it holds the current zoom, whether it came from
  // the mouse or from Plotly.relayout, so Plotly.react sees no layout change and keeps the view.
  let layout = panel.gd.layout;
  if (!layout || panel.surfaceId !== st.surface.id) {
    layout = baseLayout(overlay, heading);
    panel.surfaceId = st.surface.id;
  } else {
    if (!overlay) layout.title.text = heading;
    layout.height = panelHeight();
    layout.margin = margins(overlay);
  }
  panel.wrap.style.height = layout.height + "px"; // fixed before Plotly draws, so the frame height is stable
  const first = !panel.drawn;
  Plotly.react(panel.gd, data, layout, CONFIG);
  panel.drawn = true;
  playerState.plotlyDraws += 1;
  if (first) {
    panel.gd.on("plotly_afterplot", () => { panel.live = null; placeCanvas(panel); paint(panel); });
    panel.gd.on("plotly_relayouting", (ev) => { panel.live = liveRanges(panel, ev); paint(panel); });
    panel.gd.on("plotly_relayout", (ev) => syncZoom(panel, ev));
  }
  placeCanvas(panel);
}

/** Side by side: a zoom in one panel is applied to all of them, so the panels stay comparable. */
function syncZoom(source, ev) {
  if (source.ignoreRelayout > 0) { source.ignoreRelayout--; return; }
  if (st.layout !== "side_by_side") return;
  const upd = {};
  for (const key of Object.keys(ev || {})) if (/^[xy]axis\.(range|autorange)/.test(key)) upd[key] = ev[key];
  if (!Object.keys(upd).length) return;
  for (const p of st.panels) {
    if (p === source || !p.drawn) continue;
    p.ignoreRelayout++;
    Plotly.relayout(p.gd, upd);
  }
}

/** The plot area in CSS pixels relative to the panel, and the axis ranges it shows (both axes are linear).
 *  Plotly has no public API for the plot area's pixel geometry: this is the one place that reads its
 *  `_fullLayout` (the axes' `_offset` and `_length`, stable across plotly.js 2-4). */
export function plotArea(panel) {
  const fl = panel.gd._fullLayout;
  if (!fl || !fl.xaxis || !fl.yaxis || !fl.xaxis._length) return null;
  return { left: fl.xaxis._offset, top: fl.yaxis._offset, w: fl.xaxis._length, h: fl.yaxis._length,
           xr: fl.xaxis.range.slice(), yr: fl.yaxis.range.slice() };
}

/** While a pan is being dragged Plotly only translates its layers; follow with the ranges it reports. */
function liveRanges(panel, ev) {
  const a = panel.area;
  if (!a || !ev) return null;
  const pick = (ax, r) => {
    const r0 = ev[ax + ".range[0]"], r1 = ev[ax + ".range[1]"], rr = ev[ax + ".range"];
    return rr ? rr.slice() : r0 !== undefined && r1 !== undefined ? [r0, r1] : r.slice();
  };
  return { xr: pick("xaxis", a.xr), yr: pick("yaxis", a.yr) };
}

function placeCanvas(panel) {
  const a = plotArea(panel);
  panel.area = a;
  if (!a) return;
  const dpr = window.devicePixelRatio || 1, c = panel.canvas;
  c.style.left = a.left + "px"; c.style.top = a.top + "px";
  c.style.width = a.w + "px"; c.style.height = a.h + "px";
  const W = Math.round(a.w * dpr), H = Math.round(a.h * dpr);
  if (c.width !== W || c.height !== H) { c.width = W; c.height = H; }
}
