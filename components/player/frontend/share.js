/* Share: GIF / Video, the current animation (every panel, the zoom shown now, the step readout) drawn offline and
 * encoded by export.js, with a progress bar and Cancel while it runs and the file's size after; Copy link, the
 * page's URL, which holds the whole view in its query parameters. */

import * as exporter from "./export.js";
import { playerState, st, ui } from "./state.js";
import { say } from "./words.js";

let job = null; // {controller, format, reason} while an export runs

function options() {
  const size = String(ui.exportSize.value || "600x450").split("x").map(Number);
  return { width: size[0], height: size[1], fps: Number(ui.exportFps.value) || 20 };
}

/** Under the buttons: how many frames the file would have, and how long it plays. */
export function describePlan() {
  if (job) return;
  const o = options(), frames = exporter.planFrames(st.T).length;
  ui.exportNote.textContent = st.T > 0
    ? say("plan", { frames: frames, seconds: (frames / o.fps).toFixed(1), fps: o.fps }) : "";
}

function megabytes(n) {
  return n >= 1e6 ? (n / 1e6).toFixed(1) + " MB" : Math.max(1, Math.round(n / 1e3)) + " kB";
}

function slug(text) {
  return String(text || "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40);
}

/** The buttons' state: busy while a file is made; no video where WebCodecs is missing. */
export function setExporting(format) {
  const busy = !!format;
  ui.exportGif.disabled = busy || st.T === 0;
  // WebCodecs exists only in secure contexts (HTTPS, localhost): elsewhere say so on the button instead of failing.
  const video = typeof VideoEncoder !== "undefined";
  ui.exportVideo.disabled = busy || st.T === 0 || !video;
  ui.exportVideo.title = say(video ? "video_help" : "video_missing");
  ui.exportProgress.hidden = !busy;
  ui.exportCancel.hidden = !busy;
  ui.exportProgress.value = 0;
  playerState.exporting = busy;
}

export function busy() {
  return job !== null;
}

async function run(format) {
  if (job || st.T === 0) return;
  const opts = options(), controller = new AbortController();
  job = { controller: controller, format: format };
  setExporting(format);
  // A snapshot of the paths: the live scrub swaps a path's arrays while it is dragged, the file must not mix two.
  const view = { panels: st.panels.slice(), paths: st.paths.map((p) => Object.assign({}, p)), T: st.T,
                 colors: st.colors, title: ui.title.textContent, layout: st.layout };
  const t0 = performance.now();
  ui.exportNote.textContent = say(format === "gif" ? "drawing_gif" : "drawing_video");
  try {
    const done = await exporter[format](view, opts, function (fraction) {
      ui.exportProgress.value = fraction;
      ui.exportNote.textContent = Math.round(100 * fraction) + "%";
    }, controller.signal);
    const seconds = (performance.now() - t0) / 1000;
    const name = (slug(view.title) || "optimizers") + "." + done.ext;
    const link = document.createElement("a");
    link.href = URL.createObjectURL(done.blob);
    link.download = name;
    link.textContent = say("save_again");
    document.body.appendChild(link);
    link.click();
    link.remove();
    ui.exportNote.textContent = say("made", { name: name, size: megabytes(done.blob.size), frames: done.frames,
                                              width: opts.width, height: opts.height, fps: opts.fps,
                                              seconds: seconds.toFixed(1) });
    ui.exportNote.append(" ", link);
    playerState.lastExport = { format: done.ext, bytes: done.blob.size, frames: done.frames, width: opts.width,
                               height: opts.height, fps: opts.fps, seconds: seconds, name: name,
                               ranges: done.ranges };
  } catch (err) {
    ui.exportNote.textContent = err && err.name === "AbortError"
      ? (job && job.reason ? say("cancelled_because", { reason: job.reason }) : say("cancelled"))
      : say("failed", { error: err && err.message ? err.message : err });
    playerState.lastExport = { format: format, error: ui.exportNote.textContent };
  } finally {
    job = null;
    setExporting(null);
  }
}

/** Stop the file being made (the view changed under it, or the visitor pressed Cancel). */
export function cancel(reason) {
  if (!job) return;
  job.reason = reason || "";
  job.controller.abort();
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
  ui.copyLink.textContent = say(ok ? "copied" : "copy_failed");
  ui.copyLink.title = ok ? url : say("copy_refused");
  clearTimeout(copyLink.timer);
  copyLink.timer = setTimeout(() => { ui.copyLink.textContent = say("copy"); }, 2500);
}

export function wire() {
  ui.exportGif.addEventListener("click", () => run("gif"));
  ui.exportVideo.addEventListener("click", () => run("webm"));
  ui.exportCancel.addEventListener("click", () => cancel(""));
  ui.exportSize.addEventListener("change", describePlan);
  ui.exportFps.addEventListener("change", describePlan);
  ui.copyLink.addEventListener("click", copyLink);
}
