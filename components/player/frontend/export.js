/* The player's animation as a file: an animated GIF (gifenc, vendored: vendor/gifenc.esm.js, MIT) or a WebM video
 * (the browser's own VP9/VP8 encoder through WebCodecs, muxed by muxWebM below).
 *
 * Every frame is drawn offline into an offscreen canvas of the chosen size, one frame per exported step, as fast as
 * the encoder takes them: nothing waits for the screen's refresh, so no frame is dropped and the file's timing is
 * exactly frames / fps.  A frame is the same picture as the screen:
 *   - what Plotly draws (contour, critical points, legend, colour bar, each panel's heading), laid out again for
 *     the file's size (side by side: the panels in the grid that suits it) with the zoom shown now, and rendered
 *     once per export by Plotly.toImage;
 *   - the paths up to that step, drawn by the player's own drawPaths (one drawing for the screen and the file);
 *   - a band under the plots with the title, the step readout and each optimizer's f at that step.
 * The player (share.js) owns the buttons; this module owns the pictures and the bytes.
 */

import { fmt } from "./decode.js";
import { drawPaths, mapFor } from "./paths.js";
import { plotArea } from "./plot.js";
import * as gifenc from "./vendor/gifenc.esm.js";
import { say } from "./words.js";

export const MAX_FRAMES = 600;      // a longer run is exported every k-th step (k the smallest that fits)
const GIF_HOLD_MS = 1000;    // the GIF's last frame stays this long before it loops (not in the video: its
                             // duration is frames / fps)
const KEY_EVERY_S = 2;       // a video key frame every this many seconds (seeking)
const LEGEND_GAP_PX = 42;    // the x axis's ticks and title, between the plot and an overlaid panel's legend
const STATIC_CONFIG = { staticPlot: true, displayModeBar: false }; // the hidden plots that are photographed

/** The steps the frames show: 0, k, 2k, ..., T (T always last), at most MAX_FRAMES of them. */
export function planFrames(T, maxFrames) {
  const limit = Math.max(2, maxFrames || MAX_FRAMES);
  const stride = Math.max(1, Math.ceil(T / (limit - 1)));
  const steps = [];
  for (let t = 0; t < T; t += stride) steps.push(t);
  steps.push(T);
  return steps;
}

/** Let the page breathe (progress bar, Cancel) between frames: a message-channel turn, which, unlike
 *  setTimeout, is not throttled to once a second in a background tab. */
function yieldToBrowser() {
  return new Promise(function (resolve) {
    const ch = new MessageChannel();
    ch.port1.onmessage = function () { ch.port1.close(); resolve(); };
    ch.port2.postMessage(0);
  });
}

function cancelled() {
  return new DOMException("export cancelled", "AbortError");
}

async function loadImage(url) {
  const img = new Image();
  img.src = url;
  await img.decode();
  return img;
}

/** Columns x rows for n panels in a W x H picture: the grid whose cells are the largest at about 4:3
 *  (a panel as wide as the screen's would be a thin strip in a 4:3 file). */
function exportGrid(n, W, H) {
  let best = { cols: 1, rows: n, score: -1 };
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols), score = Math.min(W / cols, (H / rows) * 4 / 3);
    if (score > best.score + 1e-9) best = { cols: cols, rows: rows, score: score };
  }
  return best;
}

/** What Plotly draws for `panel`, laid out again at w x h (so the axes, legend and fonts fit the file, not the
 *  screen) in a hidden plot, with the ranges shown on screen now: {img, area}. */
async function staticLayer(panel, w, h) {
  const div = document.createElement("div");
  div.style.cssText = "position:fixed;left:-20000px;top:0;width:" + w + "px;height:" + h + "px";
  document.body.appendChild(div);
  try {
    const layout = JSON.parse(JSON.stringify(panel.gd.layout));
    Object.assign(layout, { width: w, height: h, autosize: false });
    const data = panel.gd.data.map((t) => Object.assign({}, t)); // the same arrays, Plotly's own fields apart
    await Plotly.newPlot(div, data, layout, STATIC_CONFIG);
    if (layout.showlegend && layout.legend) {
      // The legend's y is a fraction of the plot's height, tuned for the screen's: in a smaller file it would
      // touch the x axis's title.  Keep it LEGEND_GAP_PX under the axis instead.
      await Plotly.relayout(div, { "legend.y": -LEGEND_GAP_PX / div._fullLayout.yaxis._length });
    }
    const fl = div._fullLayout;
    const area = { left: fl.xaxis._offset, top: fl.yaxis._offset, w: fl.xaxis._length, h: fl.yaxis._length,
                   xr: fl.xaxis.range.slice(), yr: fl.yaxis.range.slice() };
    const url = await Plotly.toImage(div, { format: "png", width: w, height: h });
    return { img: await loadImage(url), area: area };
  } finally {
    Plotly.purge(div);
    div.remove();
  }
}

/**
 * A frame painter for `view` (what share.js hands over: panels, a snapshot of the paths, T, colors, title, layout)
 * at W x H pixels, drawn with the screen's own drawPaths.  draw(step) paints that step; pixels() reads it back.
 */
async function composer(view, W, H) {
  const canvas = document.createElement("canvas");
  canvas.width = W; canvas.height = H;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  const colors = view.colors, paths = view.paths, n = paths.length;

  // The readout band: a title line, then each path's swatch, label and f, in columns.
  const font = Math.max(11, Math.round(H / 34)), line = Math.round(font * 1.45), pad = Math.round(font * 0.6);
  const cols = n <= 1 ? 1 : W >= 560 ? 3 : 2, rows = Math.ceil(n / cols);
  const band = 2 * pad + line * (1 + rows);

  // The panels, each laid out for its cell of the file.
  const panels = view.panels.filter((p) => plotArea(p));
  const grid = exportGrid(Math.max(1, panels.length), W, H - band);
  const cellW = Math.floor(W / grid.cols), cellH = Math.floor((H - band) / grid.rows);
  const gap = panels.length > 1 ? 4 : 0;
  const layers = [];
  for (let i = 0; i < panels.length; i++) {
    const layer = await staticLayer(panels[i], cellW - gap, cellH - gap);
    layer.panel = panels[i];
    layer.map = mapFor(layer.area, layer.area);
    layer.left = (i % grid.cols) * cellW + gap / 2;
    layer.top = Math.floor(i / grid.cols) * cellH + gap / 2;
    layers.push(layer);
  }

  function draw(step) {
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.globalAlpha = 1;
    ctx.fillStyle = colors.bg;
    ctx.fillRect(0, 0, W, H);
    for (const l of layers) {
      ctx.drawImage(l.img, l.left, l.top);
      ctx.save();
      ctx.translate(l.left + l.area.left, l.top + l.area.top);
      ctx.beginPath(); ctx.rect(0, 0, l.area.w, l.area.h); ctx.clip();
      drawPaths(ctx, l.panel, step, l.map, view.paths);
      ctx.restore();
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.textBaseline = "middle";
    let y = H - band + pad + line / 2;
    ctx.fillStyle = colors.text;
    ctx.font = "600 " + font + "px " + colors.font;
    const head = say(view.title ? "band_title" : "frame", { title: view.title, step: step, total: view.T });
    ctx.fillText(head, pad, y);
    ctx.font = font + "px " + colors.font;
    const colW = (W - 2 * pad) / cols;
    paths.forEach(function (p, i) {
      const x = pad + (i % cols) * colW, yy = y + line * (1 + Math.floor(i / cols));
      const k = Math.min(step, p.T);
      ctx.fillStyle = p.color;
      ctx.fillRect(x, yy - font * 0.4, font * 0.8, font * 0.8);
      ctx.fillStyle = colors.text;
      const text = p.label + "  f " + fmt(p.loss[k]);
      ctx.fillText(text, x + font * 1.2, yy, colW - font * 1.6);
    });
  }

  return { canvas: canvas, draw: draw, pixels: () => ctx.getImageData(0, 0, W, H).data,
           ranges: layers.map((l) => ({ xr: l.area.xr, yr: l.area.yr })) };
}

/** An animated GIF of the steps planFrames picks, W x H, at fps.
 *  One palette for every frame, quantized from the first and last frames (the surface and the paths' colours are
 *  in both): colours stay steady from frame to frame and each frame is a table lookup, not a quantization.
 *  Each frame after the first keeps only the pixels that changed; the rest is the transparent index over the
 *  previous frame ("do not dispose"), long runs that LZW packs to almost nothing: the surface is written once. */
export async function gif(view, opts, progress, signal) {
  const enc = gifenc;
  const W = opts.width, H = opts.height, steps = planFrames(view.T, opts.maxFrames);
  const comp = await composer(view, W, H);
  comp.draw(steps[0]);
  const first = comp.pixels();
  comp.draw(steps[steps.length - 1]);
  const last = comp.pixels();
  const both = new Uint8ClampedArray(first.length + last.length);
  both.set(first); both.set(last, first.length);
  const palette = enc.quantize(both, 255, { format: "rgb565" });
  const clear = palette.length; // the transparent index: one slot past the colours
  palette.push([0, 0, 0]);
  const out = enc.GIFEncoder();
  let previous = null;
  for (let i = 0; i < steps.length; i++) {
    if (signal && signal.aborted) throw cancelled();
    comp.draw(steps[i]);
    const index = enc.applyPalette(comp.pixels(), palette.slice(0, clear), "rgb565");
    const delay = i === steps.length - 1 ? GIF_HOLD_MS : 1000 / opts.fps;
    if (!previous) {
      out.writeFrame(index, W, H, { palette: palette, delay: delay, dispose: 1 });
    } else {
      const changed = new Uint8Array(index.length);
      for (let p = 0; p < index.length; p++) changed[p] = index[p] === previous[p] ? clear : index[p];
      out.writeFrame(changed, W, H, { delay: delay, dispose: 1, transparent: true, transparentIndex: clear });
    }
    previous = index;
    progress((i + 1) / steps.length);
    if (i % 3 === 2) await yieldToBrowser();
  }
  out.finish();
  return { blob: new Blob([out.bytes()], { type: "image/gif" }), frames: steps.length, ext: "gif",
           ranges: comp.ranges };
}

// -------------------------------------------------------------------------------------------- video
const CODECS = [{ codec: "vp09.00.10.08", webm: "V_VP9" }, { codec: "vp8", webm: "V_VP8" }];

/** The first codec this browser encodes at W x H, or null (no WebCodecs: it needs a secure context, i.e. HTTPS
 *  or localhost). */
export async function videoCodec(W, H, fps) {
  if (typeof VideoEncoder === "undefined" || typeof VideoFrame === "undefined") return null;
  for (const c of CODECS) {
    try {
      const r = await VideoEncoder.isConfigSupported(videoConfig(c.codec, W, H, fps));
      if (r.supported) return c;
    } catch (e) { /* try the next one */ }
  }
  return null;
}

function videoConfig(codec, W, H, fps) {
  // ~0.15 bits per pixel per frame: flat-shaded plots compress well, and thin paths stay sharp.
  return { codec: codec, width: W, height: H, framerate: fps, bitrate: Math.round(0.15 * W * H * fps),
           latencyMode: "quality" };
}

/** A WebM video of the steps planFrames picks, W x H, each frame 1/fps long: VideoEncoder with explicit
 *  timestamps, so the duration is frames / fps whatever the encoding speed. */
export async function webm(view, opts, progress, signal) {
  const W = opts.width, H = opts.height, fps = opts.fps, steps = planFrames(view.T, opts.maxFrames);
  const codec = await videoCodec(W, H, fps);
  if (!codec) throw new Error(say("no_encoder"));
  const comp = await composer(view, W, H);
  const chunks = [];
  let failure = null;
  const encoder = new VideoEncoder({
    output: function (chunk) {
      const data = new Uint8Array(chunk.byteLength);
      chunk.copyTo(data);
      chunks.push({ us: chunk.timestamp, key: chunk.type === "key", data: data });
    },
    error: function (e) { failure = e; },
  });
  encoder.configure(videoConfig(codec.codec, W, H, fps));
  const frameUs = 1e6 / fps;
  try {
    for (let i = 0; i < steps.length; i++) {
      if (signal && signal.aborted) throw cancelled();
      if (failure) throw failure;
      comp.draw(steps[i]);
      const frame = new VideoFrame(comp.canvas, { timestamp: Math.round(i * frameUs), duration: Math.round(frameUs) });
      encoder.encode(frame, { keyFrame: i % Math.max(1, Math.round(KEY_EVERY_S * fps)) === 0 });
      frame.close();
      progress((i + 1) / steps.length);
      while (encoder.encodeQueueSize > 4) await yieldToBrowser(); // the encoder sets the pace
      if (i % 3 === 2) await yieldToBrowser();
    }
    await encoder.flush();
    if (failure) throw failure;
  } finally {
    if (encoder.state !== "closed") encoder.close();
  }
  const bytes = muxWebM(chunks, { codec: codec.webm, width: W, height: H, durationMs: steps.length * 1000 / fps });
  return { blob: new Blob([bytes], { type: "video/webm" }), frames: steps.length, ext: "webm",
           ranges: comp.ranges };
}

// -------------------------------------------------------------------------------------------- WebM muxer
/* The smallest WebM a player accepts (Matroska/WebM spec, https://www.webmproject.org/docs/container/): an EBML
 * header, then one Segment of known size with Info (TimecodeScale 1 ms, Duration), one video track, and Clusters
 * of SimpleBlocks, a new Cluster at every key frame (a block's time is an int16 offset from its Cluster's). */
function vint(n) {        // an element size: the shortest of 1..8 bytes, the top bit of the first marking the length
  for (let len = 1; len <= 8; len++) {
    if (n < Math.pow(2, 7 * len) - 1) {
      const out = new Uint8Array(len);
      let v = n;
      for (let i = len - 1; i >= 0; i--) { out[i] = v % 256; v = Math.floor(v / 256); }
      out[0] |= 1 << (8 - len);
      return out;
    }
  }
  throw new Error("element too large");
}

function idBytes(id) {    // element ids carry their own length marker already: write their bytes as they are
  const out = [];
  for (let v = id; v > 0; v = Math.floor(v / 256)) out.unshift(v % 256);
  return Uint8Array.from(out);
}

function concat(parts) {
  const total = parts.reduce((s, p) => s + p.length, 0), out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

function el(id, payload) {
  const body = Array.isArray(payload) ? concat(payload) : payload;
  return concat([idBytes(id), vint(body.length), body]);
}

function uint(id, v) {
  const out = [];
  for (let x = v; out.length === 0 || x > 0; x = Math.floor(x / 256)) out.unshift(x % 256);
  return el(id, Uint8Array.from(out));
}

function float64(id, v) {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, v, false);
  return el(id, b);
}

function text(id, s) {
  return el(id, new TextEncoder().encode(s));
}

function simpleBlock(relMs, key, data) {
  const head = new Uint8Array(4);
  head[0] = 0x81;                                   // track number 1, as a 1-byte vint
  new DataView(head.buffer).setInt16(1, relMs, false);
  head[3] = key ? 0x80 : 0x00;
  return el(0xA3, [head, data]);
}

function muxWebM(chunks, o) {
  const header = el(0x1A45DFA3, [uint(0x4286, 1), uint(0x42F7, 1), uint(0x42F2, 4), uint(0x42F3, 8),
                                 text(0x4282, "webm"), uint(0x4287, 4), uint(0x4285, 2)]);
  const info = el(0x1549A966, [uint(0x2AD7B1, 1000000), float64(0x4489, o.durationMs),
                               text(0x4D80, "loss-landscapes player"), text(0x5741, "loss-landscapes player")]);
  const track = el(0xAE, [uint(0xD7, 1), uint(0x73C5, 1), uint(0x83, 1), text(0x86, o.codec),
                          el(0xE0, [uint(0xB0, o.width), uint(0xBA, o.height)])]);
  const tracks = el(0x1654AE6B, [track]);
  const clusters = [];
  let cluster = null;
  const close = () => { if (cluster) clusters.push(el(0x1F43B675, cluster.parts)); };
  for (const c of chunks) {
    const ms = Math.round(c.us / 1000);
    if (!cluster || c.key || ms - cluster.ms > 30000) {
      close();
      cluster = { ms: ms, parts: [uint(0xE7, ms)] };
    }
    cluster.parts.push(simpleBlock(ms - cluster.ms, c.key, c.data));
  }
  close();
  return concat([header, el(0x18538067, [info, tracks].concat(clusters))]);
}
