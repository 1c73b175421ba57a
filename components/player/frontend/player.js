/* Trajectory player: Streamlit components-v1 front end, no build step.
 *
 * Protocol (Streamlit's ComponentMessageType, as in streamlit-component-lib's streamlit.ts): every message to the
 * parent carries {isStreamlitMessage: true, type}; we send "streamlit:componentReady" {apiVersion: 1},
 * "streamlit:setComponentValue" {value, dataType: "json"} and "streamlit:setFrameHeight" {height}; the parent sends
 * "streamlit:render" {args, dfs, disabled, theme} on load, whenever the Python arguments change, and also on
 * unrelated re-renders of the parent (frame height, width), which is why render() first compares a signature.
 *
 * Drawing, in two layers per panel:
 *   - Plotly draws what does not depend on the optimizers' hyperparameters: the contour (hover shows x, y, f),
 *     the critical-point markers, the dashed gradient flow and the legend.  It is redrawn only when one of those
 *     changes (staticSignature), never for new paths alone.
 *   - A <canvas> laid over the plot area draws the paths: each whole route as a faint "ghost" line, the route up
 *     to the current step, a fading trail and the head, and answers hovers near a path point with its own label
 *     (step, f, x, y).  requestAnimationFrame advances the clock and repaints only this canvas.
 * Why the paths are not Plotly traces: any change to a trace's x/y makes Plotly recalculate and replot the whole
 * subplot, contour included (60-185 ms per update measured in headless Chromium here, most of a slider move's
 * time in the browser), while the canvas repaint is well under 1 ms.
 * Why never Plotly frames / Plotly.animate: after such an animation has played Plotly stops firing click events
 * (measured on these machines), and clicks on the surface are how the page picks a start point.
 */
(function () {
  "use strict";

  const TRAIL = 24;              // points in the fading trail behind each head
  const SECONDS_PER_RUN = 6;     // at 1x a whole run plays in about this long...
  const MIN_RATE = 4;            // ...but never slower than this many steps per second
  const CLICK_DELAY_MS = 260;    // a second click inside this window is a double-click (Plotly's zoom reset)
  const CLICK_SLOP_PX = 5;       // a press that moves further than this is a zoom/pan drag, not a click
  const HOVER_PX = 8;            // a path point this close to the mouse gets the path's hover label
  // Colours and marker symbols come from Python (components/figures.py, args.style), shared with every page.
  let STYLE = { surface: [[0, "#f8fafc"], [1, "#475569"]], kinds: {}, outline: "#1f2937" };
  const CONFIG = {
    displaylogo: false,
    responsive: true,
    doubleClick: "reset",
    modeBarButtonsToRemove: ["lasso2d", "select2d", "toImage"],
  };

  const $ = (id) => document.getElementById(id);
  const ui = {
    root: $("root"), title: $("title"), play: $("play"), scrub: $("scrub"), frame: $("frame"), speed: $("speed"),
    loop: $("loop"), plots: $("plots"), rows: $("readout").tBodies[0], error: $("error"), pending: $("pending"),
    pendingText: $("pending-text"), hp: $("hp"), hpScrub: $("hp-scrub"), hpLabel: $("hp-label"),
    hpValue: $("hp-value"), exportSize: $("export-size"), exportFps: $("export-fps"), exportGif: $("export-gif"),
    exportVideo: $("export-video"), exportCancel: $("export-cancel"), exportProgress: $("export-progress"),
    exportNote: $("export-note"), copyLink: $("copy-link"),
  };

  const st = {
    signature: null, staticSignature: null, surface: null, paths: [], markers: [], layout: null, height: 560,
    colors: null,
    T: 0, clock: 0, frame: 0, playing: false, lastTime: null, loopToken: 0,
    clicks: 0, pendingClick: null, down: null, panels: [],
  };
  /**
   * The test contract (read by tests/browser/ and benchmarks/browser.py; nothing in the page reads it):
   *   frame      the step shown;            playing  whether the animation runs;
   *   nPaths     paths received;            drawCount  full redraws (a rerun that changes nothing adds none);
   *   plotlyDraws  Plotly.react calls (new routes alone repaint the canvas, not the contour);
   *   lastClick  the last click sent to Python, {x, y, n};
   *   pending    whether the "compiling" note is shown (the runs are not drawn yet);
   *   scrub      the live scrub, {name, values, index} (values: the first scrubbed path's, one per notch), or null;
   *   routes(i)  the routes panel i draws, {label: [[x, y], ...]};
   *   exporting  whether a GIF / video is being made;
   *   lastExport the last one, {format, bytes, frames, width, height, fps, seconds, name, ranges: each panel's
   *              {xr, yr} in the file} (or {format, error});
   *   copiedLink the URL "Copy link" put on the clipboard.
   * Keep these names: renaming one breaks the tests that drive a real browser, not this file.
   */
  const playerState = (window.playerState = {
    frame: 0, playing: false, nPaths: 0, drawCount: 0, plotlyDraws: 0, lastClick: null, pending: false,
    scrub: null, exporting: false, lastExport: null, copiedLink: null,
    routes: (i) => Object.fromEntries(((st.panels[i || 0] || {}).pathIdx || []).map(
      (j) => [st.paths[j].label, Array.from(st.paths[j].xs, (x, t) => [x, st.paths[j].ys[t]])])),
  });

  // ------------------------------------------------------------------------------------------ protocol
  function post(type, data) {
    window.parent.postMessage(Object.assign({ isStreamlitMessage: true, type: type }, data || {}), "*");
  }

  let sentHeight = -1;
  function sendHeight() {
    const h = Math.ceil(ui.root.getBoundingClientRect().height) + 2;
    if (h !== sentHeight) {
      sentHeight = h;
      post("streamlit:setFrameHeight", { height: h });
    }
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent) return;
    const msg = event.data;
    if (!msg || msg.type !== "streamlit:render") return;
    try {
      render(msg.args || {}, msg.theme);
    } catch (err) {
      ui.error.hidden = false;
      ui.error.textContent = "player: " + (err && err.stack ? err.stack : err);
      throw err; // keep it visible to the console and to the browser tests
    }
  });

  // ------------------------------------------------------------------------------------------ decoding
  /** Inverse of encode_array() in __init__.py: base64 of little-endian float32 -> Float64Array. */
  function decode(packed) {
    const bin = atob(packed.b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const view = new DataView(bytes.buffer);
    const out = new Float64Array(bin.length >> 2);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
    return out;
  }

  function decodeSurface(s) {
    const x = Array.from(decode(s.x)), y = Array.from(decode(s.y)), flat = decode(s.z);
    // Log levels: Python sends the shaded values (figures.display_z, log10(f - f_min + eps)); hover shows f.
    const shade = s.log ? decode(s.shade) : flat;
    const blank = s.blank ? decode(s.blank) : null;  // grid points left out of the map (outside float64's range)
    const nx = x.length, ny = y.length;
    const zPlot = [], text = s.log ? [] : null;
    for (let r = 0; r < ny; r++) {
      const row = new Array(nx), trow = s.log ? new Array(nx) : null;
      for (let c = 0; c < nx; c++) {
        row[c] = blank && blank[r * nx + c] ? null : shade[r * nx + c];
        if (trow) trow[c] = fmt(flat[r * nx + c]);
      }
      zPlot.push(row);
      if (text) text.push(trow);
    }
    return { id: s.id, x: x, y: y, zPlot: zPlot, text: text, log: !!s.log,
             xRange: [Math.min(...x), Math.max(...x)], yRange: [Math.min(...y), Math.max(...y)] };
  }

  function unzip(flat) {
    const n = flat.length >> 1, xs = new Float64Array(n), ys = new Float64Array(n);
    for (let i = 0; i < n; i++) { xs[i] = flat[2 * i]; ys[i] = flat[2 * i + 1]; }
    return [xs, ys];
  }

  function decodePath(p) {
    const xy = unzip(decode(p.xy)), flow = p.flow_xy ? unzip(decode(p.flow_xy)) : [null, null];
    return { name: p.name, label: p.label, color: p.color, status: p.status || "", xs: xy[0], ys: xy[1],
             T: Math.max(0, xy[0].length - 1), loss: decode(p.loss), grad: decode(p.grad_norm),
             lr: decode(p.learning_rate), flowX: flow[0], flowY: flow[1],
             convergedAt: p.converged_at === undefined ? -1 : p.converged_at,
             divergedAt: p.diverged_at === undefined ? -1 : p.diverged_at };
  }

  function fmt(v) {
    if (v === undefined || v === null || !Number.isFinite(v)) return "\u2014";
    const a = Math.abs(v);
    if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2);
    return String(Number(v.toPrecision(4)));
  }

  // ------------------------------------------------------------------------------------------ static figure
  function contourTrace(showScale) {
    const s = st.surface;
    const t = {
      type: "contour", x: s.x, y: s.y, z: s.zPlot, ncontours: 26, colorscale: STYLE.surface,
      contours: { coloring: "heatmap", showlines: true }, line: { width: 0.6, color: "rgba(55,65,81,0.35)" },
      showscale: showScale, showlegend: false, name: "surface",
      colorbar: { thickness: 12, len: 0.85, outlinewidth: 0, tickfont: { size: 11 },
                  title: { text: s.log ? "log\u2081\u2080(f \u2212 f\u2098\u1d62\u2099 + \u03b5)" : "f", side: "right" } },
    };
    if (s.log) {
      t.text = s.text;
      t.hovertemplate = "x %{x:.4g}<br>y %{y:.4g}<br>f %{text}<extra></extra>";
    } else {
      t.hovertemplate = "x %{x:.4g}<br>y %{y:.4g}<br>f %{z:.4g}<extra></extra>";
    }
    return t;
  }

  function markerTraces(showLegend) {
    const out = [];
    for (const kind of Object.keys(STYLE.kinds)) {
      const ms = st.markers.filter((m) => m.kind === kind);
      if (!ms.length) continue;
      const k = STYLE.kinds[kind], open = k.symbol.endsWith("-open");
      out.push({
        type: "scatter", mode: "markers", name: kind, legendgroup: "kind:" + kind, showlegend: showLegend,
        x: ms.map((m) => m.x), y: ms.map((m) => m.y), text: ms.map((m) => m.label),
        marker: { symbol: k.symbol, size: k.size, color: k.color, line: { width: open ? 2 : 1.2, color: open ? k.color : STYLE.outline } },
        hovertemplate: "%{text}<br>(%{x:.4g}, %{y:.4g})<extra>" + kind + "</extra>",
      });
    }
    return out;
  }

  /** Plotly's traces for one path: the dashed gradient flow and the legend entry (the route is on the canvas). */
  function pathTraces(p, showLegend) {
    const group = "path:" + p.name;
    const flow = p.flowX ? {
      type: "scatter", mode: "lines", x: p.flowX, y: p.flowY, legendgroup: group, showlegend: false,
      name: p.label + " (gradient flow)", line: { color: p.color, width: 1.5, dash: "dash" }, opacity: 0.75,
      hovertemplate: "gradient flow<br>(%{x:.4g}, %{y:.4g})<extra>" + p.label + "</extra>",
    } : null;
    // Clicking the legend entry toggles the whole group: the flow here, the route on the canvas (see hidden()).
    const legend = showLegend ? {
      type: "scatter", mode: "lines+markers", x: [null], y: [null], name: p.label, legendgroup: group,
      line: { color: p.color, width: 2 }, marker: { color: p.color, size: 8 }, hoverinfo: "skip",
    } : null;
    return { flow: flow, legend: legend };
  }

  function panelHeight() {
    return st.layout === "overlay" ? st.height : Math.max(220, Math.round(st.height * 0.6));
  }

  function baseLayout(overlay, heading) {
    const s = st.surface, c = st.colors;
    return {
      uirevision: s.id, // same surface: Plotly.react keeps the user's zoom
      height: panelHeight(),
      margin: overlay ? { l: 48, r: 8, t: 8, b: 36 } : { l: 36, r: 8, t: 30, b: 26 },
      xaxis: { range: s.xRange.slice(), autorange: false, showgrid: false, zeroline: false, ticks: "outside",
               title: overlay ? { text: "x", standoff: 4 } : undefined },
      yaxis: { range: s.yRange.slice(), autorange: false, showgrid: false, zeroline: false, ticks: "outside",
               title: overlay ? { text: "y", standoff: 4 } : undefined },
      showlegend: overlay,
      legend: { orientation: "h", x: 0, xanchor: "left", y: -0.09, yanchor: "top", font: { size: 12 } },
      hovermode: "closest",
      dragmode: "zoom",
      paper_bgcolor: c.bg, plot_bgcolor: c.bg,
      font: { family: c.font, color: c.text, size: 12 },
      title: overlay ? undefined : { text: heading, x: 0.02, xanchor: "left", y: 0.985, yanchor: "top", font: { size: 13 } },
    };
  }

  function applyTheme(theme) {
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

  function ensurePanels(n, rebuild) {
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

  function layoutGrid() {
    const n = st.panels.length;
    let cols = st.layout === "overlay" ? 1 : n <= 3 ? n : n === 4 ? 2 : 3;
    if (ui.plots.clientWidth && ui.plots.clientWidth < 520) cols = 1;
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
    refitTimer = setTimeout(() => { for (const p of st.panels) if (p.drawn) refit(p); }, 120);
  });

  function drawPanel(panel, i) {
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

  // ------------------------------------------------------------------------------------------ moving layer
  /** The plot area in CSS pixels relative to the panel, and the axis ranges it shows (both axes are linear).
   *  Plotly has no public API for the plot area's pixel geometry: this is the one place that reads its
   *  `_fullLayout` (the axes' `_offset` and `_length`, stable across plotly.js 2-4). */
  function plotArea(panel) {
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

  /** Is the n-th path of the panel switched off in the legend? */
  function hidden(panel, n) {
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
  function mapFor(a, rng) {
    const sx = a.w / (rng.xr[1] - rng.xr[0]), sy = a.h / (rng.yr[1] - rng.yr[0]);
    return { X: (v) => (v - rng.xr[0]) * sx, Y: (v) => a.h - (v - rng.yr[0]) * sy };
  }

  function paint(panel) {
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
  function drawPaths(ctx, panel, frame, map, paths) {
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
      ctx.beginPath(); ctx.arc(X(p.xs[k]), Y(p.ys[k]), 6, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
    });
    ctx.globalAlpha = 1;
  }

  /** The hover label of the path point nearest the mouse (within HOVER_PX), in place of Plotly's surface label. */
  function hoverPath(panel, e) {
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
    tip.append(head, document.createElement("br"), "step " + t + " \u00b7 f " + fmt(p.loss[t]),
               document.createElement("br"), "(" + fmt(p.xs[t]) + ", " + fmt(p.ys[t]) + ")");
    tip.style.borderColor = p.color;
    tip.hidden = false;
    // Beside the point, flipped to its left near the right edge so it stays inside the panel.
    const right = best.left + 12 + tip.offsetWidth > panel.wrap.clientWidth;
    tip.style.left = (right ? best.left - 12 - tip.offsetWidth : best.left + 12) + "px";
    tip.style.top = Math.max(0, best.top - tip.offsetHeight / 2) + "px";
  }

  // ------------------------------------------------------------------------------------------ animation
  function drawFrame() {
    for (const panel of st.panels) paint(panel);
    ui.frame.textContent = "step " + st.frame + " / " + st.T;
    ui.scrub.value = String(st.frame);
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

  function buildReadout() {
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

  function rate() {
    return Math.max(st.T / SECONDS_PER_RUN, MIN_RATE) * Number(ui.speed.value || 1);
  }

  function setPlaying(on) {
    on = !!on && st.T > 0;
    if (on && !st.playing && st.frame >= st.T) { st.clock = 0; st.frame = 0; drawFrame(); }
    st.playing = on;
    playerState.playing = on;
    ui.play.innerHTML = on ? "&#10074;&#10074; Pause" : "&#9654; Play";
    ui.play.classList.toggle("playing", on);
    ui.play.setAttribute("aria-label", on ? "Pause" : "Play");
    if (on) {
      st.lastTime = null;
      const token = ++st.loopToken;
      requestAnimationFrame((t) => tick(t, token));
    }
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

  // ------------------------------------------------------------------------------------------ clicks
  window.addEventListener("pointerup", function (e) {
    const down = st.down;
    st.down = null;
    if (!down || Math.hypot(e.clientX - down.x, e.clientY - down.y) > CLICK_SLOP_PX) return;
    const a = plotArea(down.panel);
    if (!a) return;
    const r = down.panel.gd.getBoundingClientRect();
    const px = e.clientX - r.left - a.left, py = e.clientY - r.top - a.top;
    if (px < 0 || py < 0 || px > a.w || py > a.h) return;
    const x = a.xr[0] + (px / a.w) * (a.xr[1] - a.xr[0]), y = a.yr[1] - (py / a.h) * (a.yr[1] - a.yr[0]);
    if (st.pendingClick) { clearTimeout(st.pendingClick); st.pendingClick = null; return; } // double-click
    st.pendingClick = setTimeout(function () { st.pendingClick = null; sendClick(x, y); }, CLICK_DELAY_MS);
  }, true);

  // ------------------------------------------------------------------------------------------ live scrub
  /** args.scrub -> {name, label, n, index, at, paths: {name: {values, xy, loss, grad, status}}}; a notch's arrays
   *  are decoded the first time it is shown and kept. */
  function setupScrub(s) {
    st.scrub = null;
    playerState.scrub = null;
    ui.hp.hidden = !s;
    if (!s) return;
    st.scrub = { name: s.name, label: s.label, n: s.n, index: s.index, at: s.index, paths: s.paths, decoded: {},
                 titles: Object.fromEntries(st.paths.map((p) => [p.name, p.label])) };
    ui.hpScrub.max = String(s.n - 1);
    ui.hpScrub.value = String(s.index);
    ui.hpLabel.textContent = s.label;
    ui.hpScrub.setAttribute("aria-label", "Scrub " + s.label);
    for (const p of st.paths) {
      p.base = { xs: p.xs, ys: p.ys, loss: p.loss, grad: p.grad, lr: p.lr, T: p.T, status: p.status,
                 convergedAt: p.convergedAt, divergedAt: p.divergedAt };
    }
    showNotch(s.index);
  }

  function notchData(name, i) {
    const key = name + "\u0000" + i, sc = st.scrub;
    if (!sc.decoded[key]) {
      const d = sc.paths[name], xy = unzip(decode(d.xy[i]));
      sc.decoded[key] = { xs: xy[0], ys: xy[1], loss: decode(d.loss[i]), grad: decode(d.grad[i]), status: d.status[i],
                          convergedAt: d.converged_at[i], divergedAt: d.diverged_at[i] };
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
    ui.hpValue.textContent = "notch " + (i + 1) + " / " + sc.n + (i === sc.index ? " (as in the sidebar)" : "") +
      ": " + sc.label + " = " + each.join(", ");
    playerState.scrub = { name: sc.name, values: values, index: i };
    drawFrame();
    updateBadges();
  }

  function updateBadges() {
    st.paths.forEach(function (p, j) {
      const row = ui.rows.rows[j], badge = row && row.cells[6] && row.cells[6].firstChild;
      if (!badge) return;
      const word = statusAt(p, Math.min(st.frame, p.T));
      badge.className = "status " + word.replace(/[^a-z_]/gi, "");
      badge.textContent = word.replace("_", " ");
    });
  }

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
    const value = { n: st.clicks, scrub: { name: sc.name, values: values } };
    post("streamlit:setComponentValue", { value: value, dataType: "json" });
  });

  function sendClick(x, y) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    st.clicks += 1;
    const value = { x: x, y: y, n: st.clicks };
    playerState.lastClick = value;
    post("streamlit:setComponentValue", { value: value, dataType: "json" });
  }

  // ------------------------------------------------------------------------------------------ share
  /* GIF / Video: the current animation (every panel, the zoom shown now, the step readout) drawn offline and encoded
   * by export.js; a progress bar and Cancel while it runs, the file's size after.  Copy link: the page's URL, which
   * holds the whole view in its query parameters. */
  let exportJob = null; // {controller, format} while an export runs

  function exportOptions() {
    const size = String(ui.exportSize.value || "600x450").split("x").map(Number);
    return { width: size[0], height: size[1], fps: Number(ui.exportFps.value) || 20 };
  }

  function describePlan() {
    if (exportJob) return;
    const o = exportOptions(), frames = window.PlayerExport ? PlayerExport.planFrames(st.T).length : st.T + 1;
    ui.exportNote.textContent = st.T > 0 ? frames + " frames \u00b7 " + (frames / o.fps).toFixed(1) + " s at " + o.fps + " fps" : "";
  }

  function megabytes(n) {
    return n >= 1e6 ? (n / 1e6).toFixed(1) + " MB" : Math.max(1, Math.round(n / 1e3)) + " kB";
  }

  function slug(text) {
    return String(text || "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40);
  }

  function setExporting(format) {
    const busy = !!format;
    ui.exportGif.disabled = busy || st.T === 0;
    // WebCodecs exists only in secure contexts (HTTPS, localhost): elsewhere say so on the button instead of failing.
    const video = typeof VideoEncoder !== "undefined";
    ui.exportVideo.disabled = busy || st.T === 0 || !video;
    ui.exportVideo.title = video ? "Download the animation as a WebM video"
      : "This browser cannot encode video here: WebCodecs needs the page served over HTTPS (or from localhost). GIF works.";
    ui.exportProgress.hidden = !busy;
    ui.exportCancel.hidden = !busy;
    ui.exportProgress.value = 0;
    playerState.exporting = busy;
  }

  async function runExport(format) {
    if (exportJob || st.T === 0 || !window.PlayerExport) return;
    const opts = exportOptions(), controller = new AbortController();
    exportJob = { controller: controller, format: format };
    setExporting(format);
    // A snapshot of the paths: the live scrub swaps a path's arrays while it is dragged, the file must not mix two.
    const paths = st.paths.map((p) => Object.assign({}, p));
    const view = {
      panels: st.panels.slice(), paths: paths, T: st.T, colors: st.colors, title: ui.title.textContent,
      layout: st.layout, plotArea: plotArea, mapFor: mapFor, fmt: fmt,
      drawPaths: (ctx, panel, step, map) => drawPaths(ctx, panel, step, map, paths),
    };
    const t0 = performance.now();
    ui.exportNote.textContent = "drawing the " + (format === "gif" ? "GIF" : "video") + "\u2026";
    try {
      const done = await PlayerExport[format](view, opts, function (fraction) {
        ui.exportProgress.value = fraction;
        ui.exportNote.textContent = Math.round(100 * fraction) + "%";
      }, controller.signal);
      const seconds = (performance.now() - t0) / 1000;
      const name = (slug(view.title) || "optimizers") + "." + done.ext;
      const link = document.createElement("a");
      link.href = URL.createObjectURL(done.blob);
      link.download = name;
      link.textContent = "save again";
      document.body.appendChild(link);
      link.click();
      link.remove();
      ui.exportNote.textContent = name + " \u00b7 " + megabytes(done.blob.size) + " \u00b7 " + done.frames + " frames, " +
        opts.width + "\u00d7" + opts.height + " at " + opts.fps + " fps \u00b7 made in " + seconds.toFixed(1) + " s";
      ui.exportNote.append(" ", link);
      playerState.lastExport = { format: done.ext, bytes: done.blob.size, frames: done.frames, width: opts.width,
                                 height: opts.height, fps: opts.fps, seconds: seconds, name: name,
                                 ranges: done.ranges };
    } catch (err) {
      ui.exportNote.textContent = err && err.name === "AbortError"
        ? "cancelled" + (exportJob && exportJob.reason ? ": " + exportJob.reason : "")
        : "could not make the file: " + (err && err.message ? err.message : err);
      playerState.lastExport = { format: format, error: ui.exportNote.textContent };
    } finally {
      exportJob = null;
      setExporting(null);
    }
  }

  function cancelExport(reason) {
    if (!exportJob) return;
    exportJob.reason = reason || "";
    exportJob.controller.abort();
  }

  function pageUrl() {
    try { return window.parent.location.href; } catch (e) { return document.referrer || window.location.href; }
  }

  async function copyLink() {
    const url = pageUrl();
    let ok = false;
    try {
      await navigator.clipboard.writeText(url);
      ok = true;
    } catch (e) { // no clipboard permission (an old browser, an insecure page): the selection route
      const area = document.createElement("textarea");
      area.value = url;
      document.body.appendChild(area);
      area.select();
      try { ok = document.execCommand("copy"); } catch (e2) { ok = false; }
      area.remove();
    }
    playerState.copiedLink = ok ? url : null;
    ui.copyLink.textContent = ok ? "Link copied \u2713" : "Copy failed";
    ui.copyLink.title = ok ? url : "the browser refused the clipboard; copy the address bar instead";
    clearTimeout(copyLink.timer);
    copyLink.timer = setTimeout(() => { ui.copyLink.textContent = "Copy link"; }, 2500);
  }

  ui.exportGif.addEventListener("click", () => runExport("gif"));
  ui.exportVideo.addEventListener("click", () => runExport("webm"));
  ui.exportCancel.addEventListener("click", () => cancelExport(""));
  ui.exportSize.addEventListener("change", describePlan);
  ui.exportFps.addEventListener("change", describePlan);
  ui.copyLink.addEventListener("click", copyLink);

  // ------------------------------------------------------------------------------------------ render
  function render(args, theme) {
    if (typeof Plotly === "undefined") throw new Error("plotly.js did not load");
    st.clicks = Math.max(st.clicks, Number(args.n0) || 0);
    const signature = JSON.stringify([args.surface && args.surface.id, args.paths, args.markers, args.layout,
                                      args.height, args.title, args.pending, theme, args.scrub]);
    if (signature === st.signature) return; // the parent re-renders for its own reasons; nothing new here
    st.signature = signature;
    cancelExport("the view changed");
    // What Plotly draws; new routes alone (a hyperparameter slider) only repaint the canvas.
    const staticSignature = JSON.stringify([
      args.surface && args.surface.id, args.markers, args.layout, args.height, args.title, theme,
      (args.paths || []).map((p) => [p.name, p.label, p.color, p.flow_xy ? p.flow_xy.b64 : null])]);
    const replot = staticSignature !== st.staticSignature;
    st.staticSignature = staticSignature;

    applyTheme(theme);
    st.height = Number(args.height) || 560;
    ui.title.hidden = !args.title;
    ui.title.textContent = args.title || "";
    // While the page computes the paths, say so over the surface (it is already drawn underneath).
    ui.pending.hidden = !args.pending;
    ui.pendingText.textContent = args.pending || "";
    playerState.pending = Boolean(args.pending);
    if (!st.surface || args.surface.id !== st.surface.id) st.surface = decodeSurface(args.surface);
    st.paths = (args.paths || []).map(decodePath);
    st.markers = args.markers || [];
    if (args.style) STYLE = args.style;
    st.T = st.paths.reduce((m, p) => Math.max(m, p.T), 0);
    if (st.frame > st.T) { st.frame = st.T; st.clock = st.T; } // keep the step if it is still in range
    ui.scrub.max = String(st.T);

    const layout = args.layout === "side_by_side" ? "side_by_side" : "overlay";
    if (replot) {
      const rebuild = layout !== st.layout;
      st.layout = layout;
      ensurePanels(layout === "overlay" ? 1 : Math.max(1, st.paths.length), rebuild);
      st.panels.forEach(drawPanel);
    }
    for (const panel of st.panels) hoverPath(panel, null); // a label would describe the old route
    buildReadout();
    setupScrub(args.scrub);
    st.T = st.paths.reduce((m, p) => Math.max(m, (p.base || p).T), 0);
    drawFrame();
    if (st.playing && st.T === 0) setPlaying(false);

    playerState.nPaths = st.paths.length;
    playerState.drawCount += 1;
    if (!exportJob) setExporting(null);
    describePlan();
  }

  // ------------------------------------------------------------------------------------------ controls
  ui.play.addEventListener("click", () => setPlaying(!st.playing));
  ui.scrub.addEventListener("input", function () {
    st.frame = Math.min(st.T, Math.max(0, Math.round(Number(ui.scrub.value))));
    st.clock = st.frame;
    drawFrame();
  });
  ui.speed.addEventListener("change", () => { st.lastTime = null; });
  document.addEventListener("keydown", function (e) {
    if (e.code === "Space" && !/^(INPUT|SELECT|BUTTON)$/.test(e.target.tagName)) {
      e.preventDefault();
      setPlaying(!st.playing);
    }
  });
  // The frame height follows the content once laid out (never measured mid-draw, which would make it oscillate).
  new ResizeObserver(function () { layoutGrid(); sendHeight(); }).observe(ui.root);

  post("streamlit:componentReady", { apiVersion: 1 });
})();
