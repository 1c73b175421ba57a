/* Trajectory player: a Streamlit components-v1 front end of ES modules, no build step.
 *
 *   protocol.js  the messages to and from Streamlit          decode.js  arrays, surface, paths; the number format
 *   state.js     the elements, the view, playerState          plot.js    what Plotly draws: contour, markers, panels
 *   paths.js     the canvas of moving paths, path hovers      clock.js   animation, readout, controls, clicks
 *   scrub.js     the live scrub                               share.js   GIF / Video / Copy link (export.js draws)
 *   words.js     every text, from Python in the visitor's language   keys.js   Space, arrows, Home / End
 *
 * Drawing is in two layers per panel: Plotly draws what does not depend on the optimizers' hyperparameters
 * (plot.js), a canvas over the plot area draws the paths (paths.js); a new run repaints the canvas only. */

import { buildReadout, drawFrame, labelPlay, setPlaying, wire as wireClock } from "./clock.js";
import { decodePath, decodeSurface } from "./decode.js";
import { wire as wireKeys } from "./keys.js";
import { hoverPath } from "./paths.js";
import { applyTheme, drawPanel, ensurePanels, layoutGrid } from "./plot.js";
import { listen, sendHeight } from "./protocol.js";
import { setupScrub, wire as wireScrub } from "./scrub.js";
import * as share from "./share.js";
import { playerState, st, style, ui } from "./state.js";
import { say, setWords } from "./words.js";

function render(args, theme) {
  if (typeof Plotly === "undefined") throw new Error("plotly.js did not load");
  st.clicks = Math.max(st.clicks, Number(args.n0) || 0);
  const signature = JSON.stringify([args.surface && args.surface.id, args.paths, args.markers, args.layout,
                                    args.height, args.title, args.pending, theme, args.scrub, args.style,
                                    args.strings, args.lang]);
  if (signature === st.signature) return; // the parent re-renders for its own reasons; nothing new here
  st.signature = signature;
  setWords(args.strings, args.lang);
  labelPlay();
  share.cancel(say("view_changed"));
  // What Plotly draws; new routes alone (a hyperparameter slider) only repaint the canvas.
  const staticSignature = JSON.stringify([
    args.surface && args.surface.id, args.markers, args.layout, args.height, args.title, theme, args.style,
    args.strings,
    (args.paths || []).map((p) => [p.name, p.label, p.color, p.symbol, p.flow_xy ? p.flow_xy.b64 : null])]);
  const replot = staticSignature !== st.staticSignature;
  st.staticSignature = staticSignature;

  if (args.style) Object.assign(style, args.style);
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
  if (!share.busy()) share.setExporting(null);
  share.describePlan();
}

wireClock();
wireKeys();
wireScrub();
share.wire();
// The frame height follows the content once laid out (never measured mid-draw, which would make it oscillate).
new ResizeObserver(function () { layoutGrid(); sendHeight(); }).observe(ui.root);
listen(render);
