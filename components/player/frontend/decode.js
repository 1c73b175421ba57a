/* What Python sends, decoded: arrays packed by encode_array() in __init__.py, the surface, the paths; and the one
 * number format of the player (its rule comes from Python: style.numbers). */

import { style } from "./state.js";

/** Inverse of encode_array() in __init__.py: base64 of little-endian float32 -> Float64Array. */
export function decode(packed) {
  const bin = atob(packed.b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  const out = new Float64Array(bin.length >> 2);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}

/** A number for the readout, labels and files: Python's `%.{digits}g` (landscapes/numbers.py, the app's one
 *  number format; `digits` comes from Python as style.numbers.digits): `digits` significant digits, trailing zeros
 *  dropped, scientific notation when the exponent is below -4 or at least `digits` (2.5e-05, 1.235e+04). */
export function fmt(v) {
  if (v === undefined || v === null || !Number.isFinite(v)) return "\u2014";
  if (v === 0) return "0";
  const p = style.numbers.digits;
  const [mantissa, exponent] = v.toExponential(p - 1).split("e");
  const e = Number(exponent);
  const trim = (text) => (text.includes(".") ? text.replace(/\.?0+$/, "") : text);
  if (e < -4 || e >= p) return trim(mantissa) + "e" + (e < 0 ? "-" : "+") + String(Math.abs(e)).padStart(2, "0");
  return trim(v.toFixed(Math.max(0, p - 1 - e)));
}

export function decodeSurface(s) {
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

export function unzip(flat) {
  const n = flat.length >> 1, xs = new Float64Array(n), ys = new Float64Array(n);
  for (let i = 0; i < n; i++) { xs[i] = flat[2 * i]; ys[i] = flat[2 * i + 1]; }
  return [xs, ys];
}

export function decodePath(p) {
  const xy = unzip(decode(p.xy)), flow = p.flow_xy ? unzip(decode(p.flow_xy)) : [null, null];
  return { name: p.name, label: p.label, color: p.color, symbol: p.symbol || "circle", status: p.status || "",
           xs: xy[0], ys: xy[1],
           T: Math.max(0, xy[0].length - 1), loss: decode(p.loss), grad: decode(p.grad_norm),
           lr: decode(p.learning_rate), flowX: flow[0], flowY: flow[1],
           convergedAt: p.converged_at === undefined ? -1 : p.converged_at,
           divergedAt: p.diverged_at === undefined ? -1 : p.diverged_at };
}
