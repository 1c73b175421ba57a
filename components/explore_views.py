"""The Explore page's parts: pure helpers (numbers → words and tables) and Plotly figure builders; the engine
calls the page makes are cached in `components.cache`, keyed on plain values (a surface key and a view box).

The mathematics shown on the page, and computed here:

* Second-order Taylor model at a point p (NTU ML 2023, ``shared/seeds/001_*``):
  ``q(p + d) = f(p) + gᵀd + ½ dᵀHd`` with ``g = ∇f(p)``, ``H = ∇²f(p)``.  At a critical point (g = 0) and along a unit
  eigenvector u of H with eigenvalue λ, ``f(p + t·u) ≈ f(p) + ½ λ t²``: a negative λ is a direction of descent out
  of a saddle.
* Gradient descent near a critical point, linearised: the component along eigenvector vᵢ is multiplied by
  ``1 − ηλᵢ`` per step, so it is stable iff ``0 < ηλᵢ < 2`` for all i, i.e. ``η < 2/λmax`` (and every λᵢ > 0).
* Gradient check (cs231n, ``shared/seeds/003_*``): centred differences against autodiff, relative error
  ``|a − n| / (|a| + |n|)``; truncation error ∝ h², round-off ∝ ε/h.

Nothing here renders user text: the page shows typed formulas only as code or as LaTeX built from the parsed tree.
"""

from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components import figures
from landscapes import analysis, numbers
from landscapes.base import KINDS, Bounds, PointInfo

GRID_N = 121
"""Contour grid points per side (121 = 3·40 + 1, so the 41×41 click grid lies on it)."""
CLICK_N = 41
"""Per side, the invisible points that make a click anywhere on the map selectable (Plotly selects only points)."""
SURFACE3D_N = 61
LOCAL_N = 81
PROFILE_N = 201
CURVATURE_N = 121
TABLE_COLUMNS = ("x", "y", "f", "λ₁", "λ₂", "kind")
SIGN_COLOURS = {"positive": "#2166ac", "negative": "#b2182b", "zero": "#7f7f7f"}
SHAPE_COLOURS = (figures.KIND_STYLE["minimum"][1], figures.KIND_STYLE["maximum"][1],
                 figures.KIND_STYLE["saddle"][1], figures.KIND_STYLE["degenerate"][1])
SHAPE_WORDS = {"bowl": "bowl (both λ > 0)", "dome": "dome (both λ < 0)", "saddle": "saddle-shaped (λ₁ < 0 < λ₂)",
               "flat": "flat in a direction (a λ ≈ 0)"}
MODEL_TOLERANCE = 0.05
"""The local-model figure outlines where ``|f − q| ≤ 5 %`` of the range of f over the window."""
CONTINUUM_MIN = 20
"""This many degenerate critical points, most of the atlas, are read as a sample of a continuum (f = x²)."""
ESCAPE_RADIUS = 0.01
"""A run has left the saddle once it is farther than this fraction of the box diagonal from it."""


# ------------------------------------------------------------------------------------------------ boxes
def box_problem(xmin: float, xmax: float, ymin: float, ymax: float) -> str | None:
    """Why ``[xmin, xmax] × [ymin, ymax]`` is not a usable view box, or None."""
    for lo, hi, axis in ((xmin, xmax, "x"), (ymin, ymax, "y")):
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return f"the {axis} range is not finite"
        if not hi - lo > 1e-6 * max(1.0, abs(lo), abs(hi)):
            return f"{axis} min ({lo:g}) must be below {axis} max ({hi:g})"
    return None


def diagonal(bounds: Bounds) -> float:
    (x0, x1), (y0, y1) = bounds
    return float(math.hypot(x1 - x0, y1 - y0))


def inside(xy, bounds: Bounds) -> bool:
    (x0, x1), (y0, y1) = bounds
    return bool(x0 <= xy[0] <= x1 and y0 <= xy[1] <= y1)


# ------------------------------------------------------------------------------------------------ numbers → words
def fmt(v: float, digits: int = 4) -> str:
    """A number for prose: 4 significant digits, a real minus sign (`landscapes.numbers.number`)."""
    return numbers.number(v, digits)


def atlas_table(points: Sequence[PointInfo]) -> pd.DataFrame:
    """The atlas as a table, one row per critical point in engine order (lowest f first): x, y, f, λ₁ ≤ λ₂, kind."""
    rows = [(float(p.xy[0]), float(p.xy[1]), float(p.value), float(p.eigenvalues[0]), float(p.eigenvalues[1]),
             str(p.kind)) for p in points]
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS))


def region_words(boxes: np.ndarray, bounds: Bounds) -> str:
    """Where ``boxes (M, 2, 2)`` lie, in words: near one point when they are tiny, else the range they span."""
    lo, hi = boxes[:, 0].min(axis=0), boxes[:, 1].max(axis=0)
    if float(np.hypot(*(hi - lo))) <= 1e-3 * diagonal(bounds):
        centre = 0.5 * (lo + hi)
        return f"near ({fmt(float(centre[0]))}, {fmt(float(centre[1]))})"
    return f"in x ∈ [{fmt(float(lo[0]))}, {fmt(float(hi[0]))}], y ∈ [{fmt(float(lo[1]))}, {fmt(float(hi[1]))}]"


def describe_atlas(found: analysis.Atlas, bounds: Bounds) -> tuple[str, list[str]]:
    """A one-line count of the atlas by kind with how complete it is, and notes in words: what the search could
    not decide and where, a capped list, a continuum, nothing found."""
    from landscapes.exclusion import MAX_ACTIVE, UNDECIDED

    points = found.points
    counts = {k: sum(p.kind == k for p in points) for k in KINDS}
    plural = {"minimum": "minima", "maximum": "maxima", "saddle": "saddles", "degenerate": "degenerate"}
    parts = [f"{n} {k if n == 1 and k != 'degenerate' else plural[k]}" for k, n in counts.items() if n]
    if points:
        summary = (f"{len(points)} critical point{'s' if len(points) != 1 else ''} in view: " + ", ".join(parts)
                   + (" — all of them: bounds on ∇f over a subdivision of the box rule out any other."
                      if found.complete else "."))
    else:
        summary = ("No critical point in view: bounds on ∇f over a subdivision of the box rule out every one."
                   if found.complete else "No critical point found in view.")
    notes = []
    if not found.proof:
        notes.append("Found by Newton's method from a 48 × 48 grid of starts. This formula uses an operation the "
                     "completeness search cannot bound, so critical points may be missing.")
    box_area = float(np.prod([b[1] - b[0] for b in bounds]))
    for code, reason in enumerate(UNDECIDED):
        boxes = found.undecided[found.why == code]
        if not len(boxes):
            continue
        share = float(np.sum(np.prod(boxes[:, 1] - boxes[:, 0], axis=1))) / box_area
        where = region_words(boxes, bounds)
        notes.append({
            "small": f"The search could neither rule out nor isolate a critical point {where} (a degenerate point, "
                     f"a kink or a curve of critical points): another one may be there.",
            "flat": f"∇f vanishes to within float64 {where} ({share:.1%} of the box): a flat region, where every "
                    f"point is a critical point.",
            "range": f"f or ∇f leaves float64's range {where} ({share:.1%} of the box): no critical point is "
                     f"claimed there, and none can be ruled out.",
            "undefined": f"f or ∇f is not finite {where} (a pole, or the edge of the function's domain): critical "
                         f"points cannot be ruled out there.",
            "budget": f"The search ran out of its budget ({MAX_ACTIVE} boxes at once) before deciding {share:.0%} of "
                      f"the box ({where}): critical points may be missing there.",
        }[reason])
    if found.found > len(points):
        notes.append(f"{found.found} critical points were found; the table and the markers show the lowest "
                     f"{len(points)}.")
    degenerate = counts["degenerate"]
    if degenerate >= CONTINUUM_MIN and degenerate >= len(points) / 2:
        notes.append(f"{degenerate} degenerate critical points: they are most likely a sample of a continuum (a "
                     f"line or curve of critical points, as f = x² has along x = 0, or a flat region). At each "
                     f"one the Hessian is singular, so the second-derivative test is inconclusive there.")
    if not points and not found.complete:
        notes.append("Enlarge the view box, or this surface may have no critical point here (e.g. a plane, or a "
                     "cone tip where f is not differentiable).")
    return summary, notes


def nonfinite_problem(info: PointInfo) -> str | None:
    """Words for a point where f, ∇f or the Hessian is not finite (the test does not apply), else None."""
    bad = [name for name, v in (("f", info.value), ("the gradient", info.gradient), ("the Hessian", info.hessian))
           if not np.all(np.isfinite(v))]
    if not bad:
        return None
    return (f"At this point {', '.join(bad)} {'is' if len(bad) == 1 else 'are'} not finite (inf or NaN): the surface "
            f"is not twice differentiable here (a kink, a pole, or outside the function's domain, like √(x²+y²) at "
            f"the origin or log x for x ≤ 0), so the second-derivative test does not apply. Pick another point.")


def verdict(info: PointInfo) -> tuple[str, str]:
    """A headline (kind in words) and the engine's reason for it (``PointInfo.reason``)."""
    problem = nonfinite_problem(info)
    if problem:
        return "not differentiable here", problem
    headline = {"minimum": "local minimum", "maximum": "local maximum", "saddle": "saddle point",
                "degenerate": "degenerate critical point: the test is inconclusive",
                "regular": "not a critical point",
                analysis.OUT_OF_RANGE: "outside float64's range: no verdict"}.get(info.kind, info.kind)
    reason = info.reason
    if info.kind == "regular":
        lam1, lam2 = (float(v) for v in info.eigenvalues)
        shape = local_shape(lam1, lam2)
        reason += f". Locally the surface is {SHAPE_WORDS[shape]}."
    return headline, reason


def local_shape(lam1: float, lam2: float) -> str:
    """The curvature shape from the eigenvalue signs, with the engine's flatness tolerance."""
    big = max(abs(lam1), abs(lam2))
    if min(abs(lam1), abs(lam2)) <= analysis.DEGENERATE_RTOL * max(1.0, big):
        return "flat"
    if lam1 > 0:
        return "bowl"
    if lam2 < 0:
        return "dome"
    return "saddle"


def stability(eigenvalues) -> str:
    """Gradient descent's step-size limit at a point, in words: ``η < 2/λmax``."""
    lam = np.sort(np.asarray(eigenvalues, dtype=float))
    if not np.all(np.isfinite(lam)):
        return "The Hessian is not finite here, so there is no curvature limit to state."
    lam_max = float(lam[-1])
    base = ("Linearised near a critical point, gradient descent multiplies the component along eigenvector vᵢ by "
            "(1 − ηλᵢ) each step; it shrinks iff 0 < ηλᵢ < 2. ")
    if lam_max <= 0:
        return base + (f"Here λmax = {fmt(lam_max)} ≤ 0: no direction curves up, so curvature sets no step-size "
                       f"limit, and no direction is stable either (steps lead away, downhill).")
    limit = 2.0 / lam_max
    tail = (" The other direction has λ₁ ≤ 0: it grows for every η > 0 (that is how gradient descent leaves a "
            "saddle)." if lam[0] <= 0 else
            f" With λ₁ = {fmt(float(lam[0]))} the slowest direction contracts by |1 − ηλ₁| per step: the "
            f"condition number λmax/λmin = {fmt(lam_max / float(lam[0]))} is how many times slower it converges.")
    return base + f"Stability needs η < 2/λmax = 2/{fmt(lam_max)} = {fmt(limit)}." + tail


def gradient_check_words(check: analysis.GradientCheck, value: float, bounds: Bounds) -> list[str]:
    """cs231n's reading of the relative error at the best h, or why it means nothing here (∇f ≈ 0, not finite)."""
    if not (np.all(np.isfinite(check.analytic)) and math.isfinite(check.error)):
        return ["The gradient is not finite at this point, so there is nothing to check."]
    if gradient_vanishes(check, value, bounds):
        return [f"∇f ≈ 0 at this point (‖a‖ = {fmt(float(np.linalg.norm(check.analytic)), 2)}), so the relative "
                f"error divides round-off by round-off: it is about 1 for every h and says nothing. Check the "
                f"gradient at a point that is not critical (click the map away from the markers)."]
    err = check.error
    if err < 1e-7:
        grade = "below 1e-7: the gradient is right (cs231n: what a smooth function should give)"
    elif err < 1e-4:
        grade = "between 1e-7 and 1e-4: acceptable only near a kink (cs231n)"
    elif err < 1e-2:
        grade = "between 1e-4 and 1e-2: suspicious (cs231n)"
    else:
        grade = "above 1e-2: the gradient is probably wrong here (cs231n), or f has a kink"
    words = [f"Best step h = {check.best_h:.0e}; relative error there {err:.2e}, {grade}."]
    zero = int(np.sum(check.errors == 0))
    if zero:
        words.append(f"At {zero} of the {len(check.hs)} step sizes the centred difference is exact (error 0, not "
                     f"drawn on log axes): along the axes f is locally a polynomial of degree ≤ 2, which the "
                     f"centred difference differentiates without truncation error.")
    return words


def gradient_vanishes(check: analysis.GradientCheck, value: float, bounds: Bounds) -> bool:
    """``‖∇f‖ ≤ 1e-8 · max(1, |f|/L)``: the relative error would compare round-off with round-off."""
    scale = max(1.0, abs(value) / diagonal(bounds)) if math.isfinite(value) else 1.0
    return bool(np.linalg.norm(check.analytic) <= 1e-8 * scale)


def nearest(points: Sequence[PointInfo], xy, kind: str | None = None) -> PointInfo | None:
    """The point of ``points`` (optionally of one ``kind``) closest to ``xy``."""
    pool = [p for p in points if kind is None or p.kind == kind]
    if not pool:
        return None
    return min(pool, key=lambda p: float(np.hypot(p.xy[0] - xy[0], p.xy[1] - xy[1])))


def default_point(points: Sequence[PointInfo], fallback) -> tuple[float, float]:
    """Where the page starts: the lowest saddle in view, else the lowest critical point, else ``fallback``."""
    chosen = next((p for p in points if p.kind == "saddle"), points[0] if points else None)
    if chosen is None:
        return float(fallback[0]), float(fallback[1])
    return float(chosen.xy[0]), float(chosen.xy[1])


# ------------------------------------------------------------------------------------------------ events
def selected_xy(event: Any) -> tuple[float, float] | None:
    """The (x, y) of the first point in a ``st.plotly_chart`` selection state, or None."""
    try:
        point = event["selection"]["points"][0]
        x, y = float(point["x"]), float(point["y"])
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    return (x, y) if math.isfinite(x) and math.isfinite(y) else None


def selected_row(event: Any) -> int | None:
    """The row index of a ``st.dataframe`` single-row selection state, or None."""
    try:
        rows = event["selection"]["rows"]
        return int(rows[0]) if rows else None
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def snap(xy, points: Sequence[PointInfo], bounds: Bounds) -> tuple[float, float]:
    """A clicked location, replaced by the critical point it lands on (within 1e-6 box diagonals) if any."""
    near = nearest(points, xy)
    if near is not None and np.hypot(near.xy[0] - xy[0], near.xy[1] - xy[1]) <= 1e-6 * diagonal(bounds):
        return float(near.xy[0]), float(near.xy[1])
    return float(xy[0]), float(xy[1])


# ------------------------------------------------------------------------------------------------ local geometry
def quadratic_model(info: PointInfo, xs, ys) -> np.ndarray:
    """``q(p + d) = f(p) + gᵀd + ½ dᵀHd`` on the grid ``xs × ys``, indexed ``[iy, ix]`` like `evaluate_grid`."""
    dx, dy = np.meshgrid(np.asarray(xs) - info.xy[0], np.asarray(ys) - info.xy[1])
    g, h = np.asarray(info.gradient), np.asarray(info.hessian)
    return (info.value + g[0] * dx + g[1] * dy
            + 0.5 * (h[0, 0] * dx * dx + 2 * h[0, 1] * dx * dy + h[1, 1] * dy * dy))


def eigen_arrows(info: PointInfo, length: float) -> list[dict]:
    """One arrow per eigenvector from the point, both ``length`` long (so the smaller |λ| stays visible at any
    ratio: the escape direction of a saddle is often the flatter one), coloured by the sign of λᵢ; the legend
    gives each λ."""
    lam = np.asarray(info.eigenvalues, dtype=float)
    if not np.all(np.isfinite(lam)) or not np.all(np.isfinite(info.eigenvectors)):
        return []
    big = float(np.max(np.abs(lam)))
    arrows = []
    for i in range(2):
        v = np.asarray(info.eigenvectors)[:, i]
        flat = abs(lam[i]) <= analysis.DEGENERATE_RTOL * max(1.0, big)
        sign = "zero" if flat else ("positive" if lam[i] > 0 else "negative")
        arrows.append({"start": (float(info.xy[0]), float(info.xy[1])),
                       "end": (float(info.xy[0] + length * v[0]), float(info.xy[1] + length * v[1])),
                       "eigenvalue": float(lam[i]), "sign": sign, "index": i + 1})
    return arrows


def escape_summary(xy: np.ndarray, loss: np.ndarray, status: str, diverged_at: int, saddle_xy, saddle_value: float,
                   bounds: Bounds) -> tuple[str, str]:
    """What a run from a saddle did, as ``(verdict, sentence)``; verdict is ``"escaped"`` or ``"stuck"``.

    With ``r = ESCAPE_RADIUS ·`` box diagonal: a run that ends within r of the saddle is *stuck*; one that ends
    farther away and lower than the saddle has *escaped* (a diverged run counts by its last finite point and
    escaped if f was falling); one that ends away but higher was thrown off, not led downhill (counted as stuck).
    """
    xy, loss = np.asarray(xy), np.asarray(loss)
    steps = len(loss) - 1
    distance = np.hypot(xy[:, 0] - saddle_xy[0], xy[:, 1] - saddle_xy[1])
    radius = ESCAPE_RADIUS * diagonal(bounds)
    far = np.flatnonzero(distance > radius)
    drop = float(loss[-1] - saddle_value)
    if status == "diverged":
        if drop < 0:
            return "escaped", (f"escaped and kept falling: f = {fmt(float(loss[-1]))} when the run left the region "
                               f"|x| ≤ 10⁶ at step {diverged_at} (the surface is unbounded below that way)")
        return "stuck", f"diverged at step {diverged_at}: the step is too large for the curvature it met"
    if distance[-1] <= radius:
        return "stuck", (f"stuck: after {steps} steps it is {fmt(float(distance[-1]), 2)} from the saddle (never "
                         f"farther than {fmt(float(distance.max()), 2)}; f changed by {fmt(drop, 2)})")
    if drop < 0:
        return "escaped", (f"escaped: left the saddle at step {int(far[0])} and ended at ({fmt(float(xy[-1, 0]))}, "
                           f"{fmt(float(xy[-1, 1]))}) with f = {fmt(float(loss[-1]))}, {fmt(-drop)} below the saddle")
    return "stuck", (f"thrown off but not downhill: it ended {fmt(float(distance[-1]), 2)} away with f higher by "
                     f"{fmt(drop)}")


# ------------------------------------------------------------------------------------------------ figures
def _marker_rows(points: Sequence[PointInfo]) -> list[tuple[float, float, str, str]]:
    order = {k: i for i, k in enumerate(KINDS)}
    ranked = sorted(points, key=lambda p: order.get(p.kind, len(order)))  # legend lists kinds in KINDS order
    return [(float(p.xy[0]), float(p.xy[1]), p.kind,
             f"{p.kind}, f = {fmt(float(p.value))}<br>λ₁ = {fmt(float(p.eigenvalues[0]))}, "
             f"λ₂ = {fmt(float(p.eigenvalues[1]))}") for p in ranked]


def _selected_trace(xy, name: str = "selected point") -> go.Scatter:
    return go.Scatter(x=[xy[0]], y=[xy[1]], mode="markers", name=name, hoverinfo="skip",
                      marker=dict(symbol="circle-open", size=22, color="#111111", line=dict(width=3)))


def _arrow_traces(arrows: Sequence[Mapping]) -> list[go.Scatter]:
    traces = []
    for a in arrows:
        (x0, y0), (x1, y1) = a["start"], a["end"]
        word = {"positive": "> 0: curves up", "negative": "< 0: curves down", "zero": "≈ 0: flat"}[a["sign"]]
        traces.append(go.Scatter(
            x=[x0, x1], y=[y0, y1], mode="lines+markers", hoverinfo="skip",
            name=f"v{'₁₂'[a['index'] - 1]}: λ{'₁₂'[a['index'] - 1]} = {fmt(a['eigenvalue'])} {word}",
            line=dict(color=SIGN_COLOURS[a["sign"]], width=4),
            marker=dict(symbol=["circle", "arrow"], size=[6, 16], angleref="previous",
                        color=SIGN_COLOURS[a["sign"]])))
    return traces


def _box_axes(fig: go.Figure, bounds: Bounds) -> None:
    (x0, x1), (y0, y1) = bounds
    fig.update_xaxes(range=[x0, x1], autorange=False)
    fig.update_yaxes(range=[y0, y1], autorange=False)


def click_lattice(g: analysis.Grid, points: Sequence[PointInfo]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(x, y, f)`` of the invisible click targets: every ``k``-th grid point (``CLICK_N`` per side), except those
    within one lattice spacing of a critical point.

    Why the gap: in ``hovermode="closest"`` Plotly scores a marker by ``max(d − r, 1 − 3/r)`` pixels (r its radius,
    at least 3), so a tiny lattice point 2 px from a click beats a 12 px critical-point marker under the cursor
    (score 0.5).  With no lattice point within a spacing (≥ 4 px on any plot this page draws), the marker wins.
    """
    stride = max(1, (len(g.x) - 1) // (CLICK_N - 1))
    xs, ys = np.asarray(g.x)[::stride], np.asarray(g.y)[::stride]
    cx, cy = (a.ravel() for a in np.meshgrid(xs, ys))
    cz = np.asarray(g.z)[::stride, ::stride].ravel()
    keep = np.ones(cx.shape, dtype=bool)
    if points and len(xs) > 1 and len(ys) > 1:
        sx, sy = xs[1] - xs[0], ys[1] - ys[0]
        crit = np.array([p.xy for p in points], dtype=float)
        d2 = ((cx[:, None] - crit[None, :, 0]) / sx) ** 2 + ((cy[:, None] - crit[None, :, 1]) / sy) ** 2
        keep = np.min(d2, axis=1) >= 1.0
    return cx[keep], cy[keep], cz[keep]


UNDECIDED_SHOWN = 0.002
"""Undecided boxes of the atlas are drawn on the map when wider than this fraction of the view box (smaller ones
would not show; their notes say where they are)."""


def _undecided_trace(boxes: np.ndarray, bounds: Bounds) -> go.Scatter | None:
    """The atlas's undecided boxes as one hatched outline trace (polygons separated by gaps)."""
    (x0, x1), (y0, y1) = bounds
    big = boxes[np.max((boxes[:, 1] - boxes[:, 0]) / [x1 - x0, y1 - y0], axis=1) >= UNDECIDED_SHOWN]
    if not len(big):
        return None
    xs, ys = [], []
    for (a, b), (c, d) in big:
        xs += [a, c, c, a, a, None]
        ys += [b, b, d, d, b, None]
    return go.Scatter(x=xs, y=ys, mode="lines", fill="toself", name="not decided by the search",
                      line=dict(color="#d97706", width=1), fillcolor="rgba(217,119,6,0.15)",
                      fillpattern=dict(shape="/", fgcolor="#d97706", size=8, solidity=0.15), hoverinfo="skip")


def atlas_map(g: analysis.Grid, points: Sequence[PointInfo], bounds: Bounds, *, selected: PointInfo | None = None,
              arrows: Sequence[Mapping] = (), height: int = 560, blank=None,
              undecided: np.ndarray | None = None) -> go.Figure:
    """Contour map of the view box with every critical point marked by kind (legend), the selected point, its
    eigenvector arrows, and an invisible ``CLICK_N × CLICK_N`` lattice that makes a click anywhere selectable.
    ``blank`` (a mask like ``g.z``) leaves grid points out of the map (where f left the float64 range);
    ``undecided`` boxes of the atlas are hatched."""
    z = np.asarray(g.z, dtype=float) if blank is None else np.where(blank, np.nan, g.z)
    fig = figures.contour_figure(g.x, g.y, z, markers=_marker_rows(points), height=height)
    # The lattice carries the hover text; the contour itself is skipped, so hover and click agree on the point.
    fig.update_traces(hoverinfo="skip", hovertemplate=None, selector=dict(type="contour"))
    fig.update_traces(unselected=dict(marker=dict(opacity=1)), selector=dict(type="scatter"))
    cx, cy, cz = click_lattice(analysis.Grid(g.x, g.y, z), points)
    fig.add_trace(go.Scatter(
        x=cx, y=cy, customdata=cz, mode="markers", name="click target", showlegend=False,
        marker=dict(size=2, color="rgba(0,0,0,0)"), selected=dict(marker=dict(opacity=0)),
        unselected=dict(marker=dict(opacity=0)),
        hovertemplate="x=%{x:.4g}<br>y=%{y:.4g}<br>f=%{customdata:.6g}<br>click to select<extra></extra>"))
    fig.data = (fig.data[0], fig.data[-1], *fig.data[1:-1])  # lattice under the markers
    hatch = _undecided_trace(undecided, bounds) if undecided is not None and len(undecided) else None
    if hatch is not None:
        fig.add_trace(hatch)
    for trace in _arrow_traces(arrows):
        fig.add_trace(trace)
    if selected is not None:
        fig.add_trace(_selected_trace(selected.xy))
    _box_axes(fig, bounds)
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.12, x=0), margin=dict(b=60))
    return fig


def atlas_3d(g: analysis.Grid, points: Sequence[PointInfo], *, selected: PointInfo | None = None,
             height: int = 560) -> go.Figure:
    """The surface in 3-D with the critical points at their height f, marked by kind (one legend entry each)."""
    z = np.asarray(g.z, dtype=float)
    finite = z[np.isfinite(z)]
    # Clip the tallest 2 % so one steep wall (Rosenbrock) does not flatten the view; markers above it sit on top.
    top = float(np.percentile(finite, 98)) if finite.size else 1.0
    fig = go.Figure(go.Surface(x=g.x, y=g.y, z=np.minimum(z, top), colorscale=figures.SURFACE_COLORSCALE, opacity=0.85,
                               showscale=False, name="surface",
                               hovertemplate="x=%{x:.4g}<br>y=%{y:.4g}<br>f=%{z:.6g}<extra></extra>"))
    lift = 0.01 * (top - float(finite.min())) if finite.size else 0.0  # markers sit just above the surface
    for kind in KINDS:
        group = [p for p in points if p.kind == kind]
        if not group:
            continue
        symbol, colour, label = figures.KIND_STYLE[kind]
        fig.add_trace(go.Scatter3d(
            x=[float(p.xy[0]) for p in group], y=[float(p.xy[1]) for p in group],
            z=[min(float(p.value), top) + lift for p in group], mode="markers", name=label,
            text=[f"{kind}, f = {fmt(float(p.value))}" for p in group],
            hovertemplate="%{text}<br>x=%{x:.4g}, y=%{y:.4g}<extra></extra>",
            # Scatter3d has no triangles: the maximum is a square there.
            marker=dict(size=6, color=colour, symbol=figures.SYMBOL_3D.get(symbol, "circle"),
                        line=dict(width=1, color="white"))))
    if selected is not None and np.isfinite(selected.value):
        fig.add_trace(go.Scatter3d(x=[float(selected.xy[0])], y=[float(selected.xy[1])],
                                   z=[min(float(selected.value), top) + lift], mode="markers", name="selected point",
                                   marker=dict(size=8, color="#111111", symbol="circle-open")))
    fig.update_layout(height=height, margin=dict(l=0, r=0, t=0, b=0), uirevision="keep",
                      scene=dict(xaxis_title="x", yaxis_title="y", zaxis_title="f", camera=figures.CAMERA_3D),
                      legend=dict(orientation="h", yanchor="bottom", y=0.0, x=0))
    return fig


def local_model_figure(xs, ys, z_true, z_model, info: PointInfo, arrows: Sequence[Mapping] = (),
                       height: int = 480) -> go.Figure:
    """The true surface (filled contours) around the point with the quadratic model's contours (dashed) at the same
    levels, and a red outline of where ``|f − q| ≤ MODEL_TOLERANCE ·`` (range of f over the window)."""
    z_true, z_model = np.asarray(z_true, dtype=float), np.asarray(z_model, dtype=float)
    finite = z_true[np.isfinite(z_true)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    size = (hi - lo) / 15 if hi > lo else 1.0
    levels = dict(start=lo, end=hi, size=size)
    fig = go.Figure(go.Contour(x=xs, y=ys, z=z_true, contours=dict(**levels), colorscale=figures.SURFACE_COLORSCALE,
                               name="f", colorbar=dict(title=dict(text="f", side="right")),
                               hovertemplate="x=%{x:.4g}<br>y=%{y:.4g}<br>f=%{z:.6g}<extra></extra>"))
    fig.add_trace(go.Contour(x=xs, y=ys, z=z_model, contours=dict(coloring="none", **levels), showscale=False,
                             line=dict(color="white", width=2, dash="dash"), name="quadratic model q",
                             showlegend=True, hoverinfo="skip"))
    if hi > lo:
        error = np.abs(z_true - z_model) / (hi - lo)
        fig.add_trace(go.Contour(x=xs, y=ys, z=error, showscale=False, hoverinfo="skip", showlegend=True,
                                 name=f"|f − q| = {MODEL_TOLERANCE:.0%} of the range of f",
                                 contours=dict(coloring="none", start=MODEL_TOLERANCE, end=MODEL_TOLERANCE,
                                               size=1.0),
                                 line=dict(color="#e41a1c", width=3)))
    for trace in _arrow_traces(arrows):
        fig.add_trace(trace)
    fig.add_trace(_selected_trace(info.xy, "p"))
    fig.update_layout(height=height, margin=dict(l=40, r=10, t=10, b=40),
                      xaxis=dict(title="x", constrain="domain"), yaxis=dict(title="y", scaleanchor="x"),
                      legend=dict(orientation="h", yanchor="top", y=-0.15, x=0))
    _box_axes(fig, ((float(xs[0]), float(xs[-1])), (float(ys[0]), float(ys[-1]))))
    return fig


def profile_figure(t, values, eigenvalues, height: int = 340) -> go.Figure:
    """``f(p + t·vᵢ) − f(p)`` (solid) against the model ``½ λᵢ t²`` (dashed) along each eigenvector."""
    fig = go.Figure()
    for i, lam in enumerate(eigenvalues):
        colour = SIGN_COLOURS["negative" if lam < 0 else "positive"]
        sub = "₁₂"[i]
        fig.add_trace(go.Scatter(x=t, y=values[i], mode="lines", line=dict(color=colour, width=3),
                                 name=f"f(p + t·v{sub}) − f(p)"))
        fig.add_trace(go.Scatter(x=t, y=0.5 * lam * np.asarray(t) ** 2, mode="lines",
                                 line=dict(color=colour, width=2, dash="dash"),
                                 name=f"½ λ{sub} t², λ{sub} = {fmt(float(lam))}"))
    fig.update_layout(height=height, margin=dict(l=50, r=10, t=10, b=40), xaxis_title="t (distance along vᵢ)",
                      yaxis_title="change in f", legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0))
    return fig


def paths_figure(g: analysis.Grid, bounds: Bounds, saddle_xy, paths: Sequence[Mapping], height: int = 520) -> go.Figure:
    """The escape runs drawn on the view box's contour map (each path: ``xy``, ``label``, ``color``)."""
    fig = figures.contour_figure(g.x, g.y, g.z, height=height)
    for path in paths:
        xy = np.asarray(path["xy"])
        fig.add_trace(go.Scatter(x=xy[:, 0], y=xy[:, 1], mode="lines+markers", name=path["label"],
                                 line=dict(color=path["color"], width=3, dash=path.get("dash", "solid")),
                                 marker=dict(size=3), hovertemplate="step %{text}<extra></extra>",
                                 text=np.arange(len(xy))))
    fig.add_trace(go.Scatter(x=[saddle_xy[0]], y=[saddle_xy[1]], mode="markers", name="saddle (start)",
                             marker=dict(symbol="x", size=14, color=figures.KIND_STYLE["saddle"][1],
                                         line=dict(width=2, color="white"))))
    _box_axes(fig, bounds)
    return fig


CURVATURE_MODES = {"shape": "Shape (eigenvalue signs)", "lam_min": "Smallest eigenvalue λmin",
                   "condition": "Condition number max|λ| / min|λ|"}


def curvature_figure(maps: analysis.CurvatureMaps, mode: str, points: Sequence[PointInfo] = (),
                     selected: PointInfo | None = None, height: int = 520) -> go.Figure:
    """The plane shaded by the local shape (bowl / dome / saddle / flat), by λmin (diverging, 0 in the middle) or
    by log₁₀ of the condition number, with the critical points and the selected point on top."""
    xs, ys = maps.xs, maps.ys
    if mode == "shape":
        scale = []
        for i, colour in enumerate(SHAPE_COLOURS):
            scale += [[i / 4, colour], [(i + 1) / 4, colour]]
        trace = go.Heatmap(x=xs, y=ys, z=maps.shape.astype(float), zmin=-0.5, zmax=3.5, colorscale=scale,
                           colorbar=dict(tickvals=[0, 1, 2, 3], ticktext=list(analysis.SHAPES), title="shape"),
                           customdata=np.asarray(analysis.SHAPES, dtype=object)[maps.shape],
                           hovertemplate="x=%{x:.4g}<br>y=%{y:.4g}<br>%{customdata}<extra></extra>")
    elif mode == "lam_min":
        lam = np.where(np.isfinite(maps.lam_min), maps.lam_min, np.nan)
        finite = np.abs(lam[np.isfinite(lam)])
        top = float(np.percentile(finite, 98)) if finite.size and np.percentile(finite, 98) > 0 else 1.0
        trace = go.Heatmap(x=xs, y=ys, z=lam, zmid=0.0, zmin=-top, zmax=top, colorscale="RdBu",
                           colorbar=dict(title="λmin"),
                           hovertemplate="x=%{x:.4g}<br>y=%{y:.4g}<br>λmin=%{z:.4g}<extra></extra>")
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            logc = np.log10(np.where(np.isfinite(maps.condition), maps.condition, np.nan))
        trace = go.Heatmap(x=xs, y=ys, z=np.minimum(logc, 12.0), colorscale="Magma", zmin=0.0,
                           colorbar=dict(title="log₁₀ κ"),
                           hovertemplate="x=%{x:.4g}<br>y=%{y:.4g}<br>log₁₀ κ=%{z:.3g}<extra></extra>")
    fig = go.Figure(trace)
    for t in figures.marker_traces(_marker_rows(points)):
        fig.add_trace(t)
    if selected is not None:
        fig.add_trace(_selected_trace(selected.xy))
    fig.update_layout(height=height, margin=dict(l=40, r=10, t=10, b=40),
                      xaxis=dict(title="x", constrain="domain"), yaxis=dict(title="y", scaleanchor="x"),
                      legend=dict(orientation="h", yanchor="top", y=-0.12, x=0))
    _box_axes(fig, ((float(xs[0]), float(xs[-1])), (float(ys[0]), float(ys[-1]))))
    return fig


def shape_shares(maps: analysis.CurvatureMaps) -> str:
    """How much of the box each shape covers, in words."""
    total = maps.shape.size
    parts = [f"{SHAPE_WORDS[name].split(' (')[0]} {np.sum(maps.shape == i) / total:.0%}"
             for i, name in enumerate(analysis.SHAPES) if np.any(maps.shape == i)]
    return "Share of the view box: " + ", ".join(parts) + "."


def gradient_check_figure(check: analysis.GradientCheck, height: int = 380) -> go.Figure:
    """Relative error against h on log-log axes, with the slopes of truncation (∝ h²) and round-off (∝ ε/h)
    anchored at the two ends of the sweep, and the best h marked."""
    hs = np.asarray(check.hs, dtype=float)
    errors = np.asarray(check.errors, dtype=float)
    shown = np.where(errors > 0, errors, np.nan)  # log axes cannot show an exact 0
    fig = go.Figure(go.Scatter(x=hs, y=shown, mode="lines+markers", name="relative error ‖a − n‖ / (‖a‖ + ‖n‖)",
                               line=dict(color="#1f77b4", width=3)))
    finite = np.flatnonzero(np.isfinite(shown))
    if finite.size >= 2:
        big, small = finite[0], finite[-1]  # hs run from large to small
        fig.add_trace(go.Scatter(x=hs, y=shown[big] * (hs / hs[big]) ** 2, mode="lines", name="∝ h² (truncation)",
                                 line=dict(color="#2ca02c", dash="dash")))
        fig.add_trace(go.Scatter(x=hs, y=shown[small] * hs[small] / hs, mode="lines", name="∝ ε/h (round-off)",
                                 line=dict(color="#d62728", dash="dash")))
    if math.isfinite(check.error) and check.error > 0:
        fig.add_trace(go.Scatter(x=[check.best_h], y=[check.error], mode="markers", name=f"best h = {check.best_h:.0e}",
                                 marker=dict(size=14, symbol="star", color="#111111")))
    for level, label in ((1e-7, "1e-7"), (1e-4, "1e-4"), (1e-2, "1e-2")):
        fig.add_hline(y=level, line=dict(color="#999", width=1, dash="dot"), annotation_text=label,
                      annotation_position="right")
    lo = np.nanmin(shown) if np.any(np.isfinite(shown)) else 1e-16
    hi = np.nanmax(shown) if np.any(np.isfinite(shown)) else 1.0
    fig.update_layout(height=height, margin=dict(l=60, r=40, t=10, b=40),
                      xaxis=dict(title="step h", type="log", autorange="reversed", **figures.LOG_TICKS),
                      yaxis=dict(title="relative error", type="log", **figures.LOG_TICKS,
                                 range=[math.log10(max(lo, 1e-18)) - 0.5, math.log10(max(hi, 1e-2)) + 0.5]),
                      legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0))
    return fig


# ------------------------------------------------------------------------------------------------ LaTeX
def latex_number(v: float) -> str:
    """A float as LaTeX: 4 significant digits, ``a \\times 10^{b}`` for exponents (`landscapes.numbers.latex`)."""
    return numbers.latex(v)


def latex_matrix(rows) -> str:
    """A numeric matrix (or column vector, given ``[[a], [b]]``) as a LaTeX bmatrix."""
    return r"\begin{bmatrix}" + r" \\ ".join(" & ".join(latex_number(float(v)) for v in row) for row in rows) + \
        r"\end{bmatrix}"
