"""The trajectory player: a Streamlit component that animates optimizer paths in the browser.

Python sends each trajectory once per rerun (compact float32, base64); the iframe draws the contour once and moves
only the path traces with ``requestAnimationFrame``.  That is why it exists at all (both facts measured on these machines):
``st.plotly_chart`` remounts on every data change, losing zoom and the animation, and a figure animated with Plotly
frames stops firing click events after it has played.  Bytes per rerun are O(optimizers x steps) plus the grid,
never O(frames).

The page gets back the last click on the surface as ``{"x", "y", "n"}`` (``n`` counts clicks, so a repeated click on
the same spot is still news) and can use it as the start point.

Protocol: Streamlit's components v1 postMessage API, implemented by hand in ``frontend/protocol.js``; the front end
is a few ES modules (`MODULES`, main.js first) with no npm build.
Plotly.js is plotly.js's cartesian bundle, vendored beside the front end (`PLOTLY_JS`).

Sharing (``frontend/export.js``): the player's GIF and Video buttons draw the animation offline, frame by frame, into
a canvas of the chosen size and encode it in the browser: GIF with gifenc 1.0.3 (npm, MIT, Matt DesLauriers; the
unmodified ``vendor/gifenc.esm.js``, licence beside it), WebM with the browser's own VP9/VP8 encoder (WebCodecs)
and a small muxer in export.js.  "Copy link" copies the page's URL, which holds the whole view.  Nothing of this
goes through Python.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from components.figures import CONTOUR_LINE, CONTOURS, KIND_SIZE, KIND_STYLE, MARKER_OUTLINE, PALETTE
from components.figures import SURFACE_COLORSCALE, head_symbol
from components.figures import display_z, log_levels_wanted as wants_log_levels
from components.i18n import language, t
from components.player import words

FRONTEND = Path(__file__).parent / "frontend"
MODULES = ("main.js", "state.js", "words.js", "protocol.js", "decode.js", "plot.js", "paths.js", "clock.js",
           "keys.js", "scrub.js", "share.js", "export.js")
"""The front end's ES modules (main.js imports the others; no build step)."""
FRONTEND_FILES = ("index.html", "player.css", *MODULES, "vendor/plotly-cartesian.min.js", "vendor/plotly.js-LICENSE",
                  "vendor/gifenc.esm.js", "vendor/gifenc-LICENSE")
LAYOUTS = ("overlay", "side_by_side")
MARKER_KINDS = ("minimum", "maximum", "saddle", "degenerate", "start")

_F32_MAX = float(np.finfo(np.float32).max)


# --------------------------------------------------------------------------------------------------- encoding
def encode_array(a: Any) -> dict:
    """Pack an array as little-endian float32 in base64: ``{"shape": [...], "dtype": "float32", "b64": str}``.

    Never emits a non-finite number: NaN becomes 0 and values beyond the float32 range (including +-inf) are clipped
    to +-3.4028235e38.  Callers that need a better stand-in (a path's last finite point, a surface's wall) replace
    them first.  ``decode.js`` decodes it with a ``DataView`` (``getFloat32(4*i, true)``).
    """
    arr = np.asarray(a, dtype=np.float64)
    # Only a non-finite or out-of-range array pays for nan_to_num and clip (2/3 of the time of a small array's
    # encoding; the live scrub encodes 18 arrays per optimizer per rerun).  NaN fails this test too.
    if arr.size and not np.max(np.abs(arr)) <= _F32_MAX:
        arr = np.clip(np.nan_to_num(arr, nan=0.0, posinf=_F32_MAX, neginf=-_F32_MAX), -_F32_MAX, _F32_MAX)
    raw = np.array(arr, dtype="<f4", order="C")  # keeps 0-d shapes, unlike ascontiguousarray
    return {"shape": list(raw.shape), "dtype": "float32", "b64": base64.b64encode(raw.tobytes()).decode("ascii")}


def decode_array(d: Mapping[str, Any]) -> np.ndarray:
    """Inverse of :func:`encode_array` (what the browser does), returned as a float32 array."""
    if d.get("dtype") != "float32":
        raise ValueError(f"unsupported dtype {d.get('dtype')!r}")
    flat = np.frombuffer(base64.b64decode(d["b64"]), dtype="<f4")
    return flat.reshape(tuple(d["shape"])).astype(np.float32)


# --------------------------------------------------------------------------------------------------- inputs
def _field(obj: Any, name: str, default: Any = None) -> Any:
    """Read ``name`` from a mapping, NamedTuple or dataclass alike."""
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _finite_rows(xy: np.ndarray) -> np.ndarray:
    """Replace each non-finite row by the last finite row before it (the first finite row for a leading gap).

    The engine already stops at the last finite point on divergence; this is the defensive copy of that rule, so a
    path never jumps to the origin the way a NaN -> 0 substitution would.
    """
    xy = np.array(xy, dtype=np.float64, copy=True)
    if xy.ndim == 1:
        ok = np.isfinite(xy)
    else:
        ok = np.isfinite(xy).all(axis=tuple(range(1, xy.ndim)))
    if ok.all() or not ok.any():
        return xy
    idx = np.where(ok, np.arange(len(xy)), -1)
    idx = np.maximum.accumulate(idx)
    idx[idx < 0] = np.flatnonzero(ok)[0]
    return xy[idx]


def _surface_args(surface: Any, log_levels: bool | None, blank: Any = None) -> dict:
    x = np.asarray(_field(surface, "x"), dtype=np.float64).reshape(-1)
    y = np.asarray(_field(surface, "y"), dtype=np.float64).reshape(-1)
    z = np.asarray(_field(surface, "z"), dtype=np.float64)
    if z.shape != (y.size, x.size):
        raise ValueError(f"surface z must have shape (len(y), len(x)) = {(y.size, x.size)}, got {z.shape}")
    blank = None if blank is None else np.asarray(blank, bool)
    if blank is not None and blank.any():
        # Left out of the map (f left the float64 range there): not a wall, no part of the colour scale.
        if blank.shape != z.shape:
            raise ValueError(f"blank must have the shape of z {z.shape}, got {blank.shape}")
        kept = ~blank & np.isfinite(z)
        z = np.where(blank, float(z[kept].min()) if kept.any() else 0.0, z)  # inside the scale, drawn as a gap
    else:
        blank = None
    finite = np.isfinite(z)
    if not finite.all():
        # A non-finite grid value is a wall, not a hole: draw it at the highest finite height.
        wall = float(z[finite].max()) if finite.any() else 0.0
        z = np.where(finite, z, wall)
    z = np.clip(z, -_F32_MAX, _F32_MAX)
    shown = z if blank is None else z[~blank]
    log = wants_log_levels(shown) if log_levels is None else bool(log_levels)
    args = {"x": encode_array(x), "y": encode_array(y), "z": encode_array(z), "log": log}
    if log:  # the shaded values, from the one home of the transform (figures.display_z); z stays for hover
        args["shade"] = encode_array(display_z(z, True)[0])
    if blank is not None:  # the front end draws these grid points as gaps
        args["blank"] = encode_array(blank.astype(np.float32))
    digest = hashlib.blake2b(digest_size=8)
    for key in ("x", "y", "z", "blank"):
        if key in args:
            digest.update(args[key]["b64"].encode())
    digest.update(repr(log).encode())
    args["id"] = digest.hexdigest()
    return args


def _path_args(path: Any, i: int) -> dict:
    name = str(_field(path, "name", f"path{i}"))
    xy = _finite_rows(np.asarray(_field(path, "xy"), dtype=np.float64).reshape(-1, 2))
    n = len(xy)

    def series(field: str, length: int) -> dict:
        v = _field(path, field)
        v = np.zeros(length) if v is None else _finite_rows(np.asarray(v, dtype=np.float64).reshape(-1))
        return encode_array(v[:length])

    color = str(_field(path, "color", None) or PALETTE[i % len(PALETTE)])
    out = {
        "name": name,
        "label": str(_field(path, "label", None) or name),
        "color": color,
        "symbol": head_symbol(color, i),  # the head's shape: overlapping paths differ by more than colour
        "status": _status(_field(path, "status", "")),
        "xy": encode_array(xy),
        "loss": series("loss", n),
        "grad_norm": series("grad_norm", n),
        "learning_rate": series("learning_rate", max(n - 1, 0)),
        # The steps at which the run converged / diverged (-1: never), so the readout says the status at each step.
        "converged_at": int(_field(path, "converged_at", -1)),
        "diverged_at": int(_field(path, "diverged_at", -1)),
    }
    flow = _field(path, "flow_xy")
    if flow is not None and np.size(flow):
        out["flow_xy"] = encode_array(_finite_rows(np.asarray(flow, dtype=np.float64).reshape(-1, 2)))
    return out


def _status(status: Any) -> str:
    """A path's status as sent: a code of `words.STATUSES` (the badge's words are in ``strings``), or "" for none."""
    status = str(status or "")
    if status and status not in words.STATUSES:
        raise ValueError(f"a path's status must be one of {tuple(words.STATUSES)}, got {status!r}")
    return status


def _marker_args(markers: Iterable[Sequence[Any]]) -> list[dict]:
    out = []
    for m in markers:
        x, y, kind, *rest = m
        if kind not in MARKER_KINDS:
            raise ValueError(f"marker kind must be one of {MARKER_KINDS}, got {kind!r}")
        x, y = float(x), float(y)
        if np.isfinite(x) and np.isfinite(y):
            out.append({"x": x, "y": y, "kind": kind, "label": str(rest[0]) if rest else kind})
    return out


NUMBER_DIGITS = 4
"""Significant digits of the numbers the player writes (readout, hover, files): `landscapes.numbers.number`'s
rule, ``%.4g``, which decode.js's fmt implements."""
STYLE = {
    "surface": SURFACE_COLORSCALE,
    "contours": {"count": CONTOURS, **CONTOUR_LINE},
    "kinds": {k: {"symbol": KIND_STYLE[k][0], "color": KIND_STYLE[k][1], "size": KIND_SIZE[k]} for k in MARKER_KINDS},
    "outline": MARKER_OUTLINE,
    "numbers": {"digits": NUMBER_DIGITS},
}
"""The player's look, from `components.figures` (one visual language for every page): colours, contour count and
lines, marker symbols, and the number format."""


def build_args(surface: Any, paths: Sequence[Any], *, layout: str = "overlay", markers: Iterable = (),
               start: Sequence[float] | None = None, log_levels: bool | None = None, height: int = 560,
               title: str | None = None, pending: str = "", scrub: Mapping | None = None, blank: Any = None) -> dict:
    """Everything the front end receives, as plain JSON-ready values (no NaN or inf anywhere).  ``scrub`` is a
    `components.scrub.payload` (its arrays already encoded), or None for no live scrub.  ``strings`` are the
    player's words in the visitor's language (`words.strings`), ``lang`` that language's code."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, got {layout!r}")
    marks = list(markers)
    if start is not None:
        marks.append((start[0], start[1], "start", t(KIND_STYLE["start"][2])))
    return {
        "surface": _surface_args(surface, log_levels, blank),
        "paths": [_path_args(p, i) for i, p in enumerate(paths)],
        "markers": _marker_args(marks),
        "layout": layout,
        "height": int(height),
        "title": title or "",
        "style": STYLE,
        "pending": str(pending or ""),
        "scrub": dict(scrub) if scrub else None,
        "strings": words.strings(),
        "lang": language(),
    }


def payload_size(surface: Any, paths: Sequence[Any]) -> int:
    """Bytes of JSON one rerun sends for this surface and these paths: grid + O(optimizers x steps), no frames.

    Serialised the way Streamlit serialises component arguments (``json.dumps`` with default separators).
    """
    return len(json.dumps(build_args(surface, paths), allow_nan=False))


# --------------------------------------------------------------------------------------------------- serving
PLOTLY_JS = FRONTEND / "vendor" / "plotly-cartesian.min.js"
"""plotly.js's cartesian bundle (npm ``plotly.js-cartesian-dist-min`` 4.1.1, MIT, licence beside it): the contour
and scatter traces the player draws, in 1.5 MB.  The full bundle inside the plotly Python package (4.8 MB) took
~1.6 s of a page load just to evaluate in headless Chromium here, the cartesian one ~0.6 s
(benchmarks/first_frame.py)."""


def served_dir() -> Path:
    """The directory Streamlit serves: the front-end files and the vendored plotly.js, all in the repository."""
    return FRONTEND


@functools.lru_cache(maxsize=1)
def _component():
    from streamlit.components.v1 import declare_component

    return declare_component("player", path=str(served_dir()))


def _ensure_registered(component) -> None:
    """Register again if the module was first imported outside a script run (declare_component then skips it)."""
    from streamlit import runtime

    if runtime.exists():
        registry = runtime.get_instance().component_registry
        if registry.get_component_path(component.name) is None:
            registry.register_component(component)


def player(surface: Any, paths: Sequence[Any], *, layout: str = "overlay", markers: Iterable = (),
           start: Sequence[float] | None = None, log_levels: bool | None = None, height: int = 560,
           key: str = "compare.player", title: str | None = None, pending: str = "",
           scrub: Mapping | None = None, blank: Any = None) -> dict | None:
    """Show the animated player and return the last click on the surface, ``{"x", "y", "n"}``, or None.

    ``surface`` has ``x (nx,)``, ``y (ny,)``, ``z (ny, nx)``; each path has ``name``, ``label``, ``color``,
    ``xy (T+1, 2)``, ``loss``, ``grad_norm (T+1,)``, ``learning_rate (T,)``, ``status`` and optionally
    ``flow_xy (K, 2)`` (the continuous gradient flow, drawn dashed).  ``markers`` are ``(x, y, kind, label)``
    with ``kind`` in :data:`MARKER_KINDS`; ``start`` adds a start marker.  ``log_levels=None`` decides by
    :func:`wants_log_levels`.  ``layout`` is ``"overlay"`` (one panel) or ``"side_by_side"`` (one per path, one
    shared clock).  The component keeps its zoom, step and play state across reruns because ``key`` is stable.
    ``pending`` (words) is shown over the surface, with a spinner, while the page is still computing the paths.
    ``scrub`` (`components.scrub.payload`) adds the live scrub: a slider in the player that redraws every path
    from precomputed runs while dragged; its release is the returned value ``{"n", "scrub": {"name", "values"}}``.
    ``blank`` (a boolean mask shaped like ``z``) leaves those grid points out of the map: drawn as gaps, outside
    the colour scale (where f left the float64 range, `components.surfaces.range_mask`).
    """
    import streamlit as st

    args = build_args(surface, paths, layout=layout, markers=markers, start=start, log_levels=log_levels,
                      height=height, title=title, pending=pending, scrub=scrub, blank=blank)
    previous = st.session_state.get(key)
    # The click counter continues from the last value Python saw, so a reloaded iframe never repeats an old n.
    args["n0"] = int(previous["n"]) if isinstance(previous, Mapping) and "n" in previous else 0
    component = _component()
    _ensure_registered(component)
    value = component(key=key, default=None, **args)
    return dict(value) if isinstance(value, Mapping) else None


if not PLOTLY_JS.is_file():  # at import: a broken checkout fails here, not in the middle of a page
    raise FileNotFoundError(f"the player's plotly.js is missing: {PLOTLY_JS}")
