/* The player's shared state: the elements of index.html, what is being shown (`st`), the style Python sends
 * (`style`), and `playerState`, the test contract.  Every other module reads and writes these; none keeps state of
 * its own about the view. */

const $ = (id) => document.getElementById(id);

export const ui = {
  root: $("root"), title: $("title"), play: $("play"), scrub: $("scrub"), frame: $("frame"), speed: $("speed"),
  loop: $("loop"), plots: $("plots"), rows: $("readout").tBodies[0], error: $("error"), pending: $("pending"),
  pendingText: $("pending-text"), hp: $("hp"), hpScrub: $("hp-scrub"), hpLabel: $("hp-label"),
  hpValue: $("hp-value"), exportSize: $("export-size"), exportFps: $("export-fps"), exportGif: $("export-gif"),
  exportVideo: $("export-video"), exportCancel: $("export-cancel"), exportProgress: $("export-progress"),
  exportNote: $("export-note"), copyLink: $("copy-link"), announce: $("announce"),
};

export const st = {
  signature: null, staticSignature: null, surface: null, paths: [], markers: [], layout: null, height: 560,
  colors: null,
  T: 0, clock: 0, frame: 0, playing: false, lastTime: null, loopToken: 0,
  clicks: 0, pendingClick: null, down: null, panels: [], scrub: null, narrow: false,
};

/** What Python decides about the look (components/player/__init__.py STYLE, from components/figures.py): the
 *  surface's colours and contours, the markers, the number format.  Replaced by each render's args.style. */
export const style = {
  surface: [[0, "#f8fafc"], [1, "#475569"]], kinds: {}, outline: "#1f2937",
  contours: { count: 30, width: 0.6, color: "rgba(55,65,81,0.35)" },
  numbers: { digits: 4 },
};

/**
 * The test contract (read by tests/browser/ and benchmarks/browser.py; nothing in the page reads it):
 *   frame      the step shown;            playing  whether the animation runs;
 *   nPaths     paths received;            drawCount  full redraws (a rerun that changes nothing adds none);
 *   plotlyDraws  Plotly.react calls (new routes alone repaint the canvas, not the contour);
 *   lastClick  the last click sent to Python, {x, y, n};
 *   pending    whether the "compiling" note is shown (the runs are not drawn yet);
 *   scrub      the live scrub, {name, values, index, each} (values: the first scrubbed path's, one per notch;
 *              each: every scrubbed path's, by label), or null;
 *   routes(i)  the routes panel i draws, {label: [[x, y], ...]};
 *   exporting  whether a GIF / video is being made;
 *   lastExport the last one, {format, bytes, frames, width, height, fps, seconds, name, ranges: each panel's
 *              {xr, yr} in the file} (or {format, error});
 *   copiedLink the URL "Copy link" put on the clipboard;
 *   announced  what the polite live region last said to screen readers (the step, once it settles);
 *   touch      whether the primary pointer is coarse (a finger: one-finger drags scroll the page, no drag-zoom);
 *   narrow     whether the panels are too narrow for a colour bar beside the map (it goes above, thin).
 * Keep these names: renaming one breaks the tests that drive a real browser, not this file.
 */
export const playerState = (window.playerState = {
  frame: 0, playing: false, nPaths: 0, drawCount: 0, plotlyDraws: 0, lastClick: null, pending: false,
  scrub: null, exporting: false, lastExport: null, copiedLink: null, announced: "", touch: false, narrow: false,
  routes: (i) => Object.fromEntries(((st.panels[i || 0] || {}).pathIdx || []).map(
    (j) => [st.paths[j].label, Array.from(st.paths[j].xs, (x, t) => [x, st.paths[j].ys[t]])])),
});
