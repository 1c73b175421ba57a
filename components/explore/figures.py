"""The Explore page's Plotly figures: the atlas map (with a click lattice) and its 3-D view, the local quadratic
model, the escape profile and runs, the curvature maps and the gradient check.  Arrays in, figure out; no st.*.
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from components import figures, titles
from components.i18n import N_, t
from landscapes import analysis
from landscapes.base import KINDS, Bounds, PointInfo
from components.explore.compute import CLICK_N, MODEL_TOLERANCE
from components.explore.words import SHAPE_TICKS, fmt


SIGN_COLOURS = {"positive": "#2166ac", "negative": "#b2182b", "zero": "#7f7f7f"}
ARROW_WORDS = {
    "positive": N_("v{i}: λ{i} = {value} > 0: curves up"),
    "negative": N_("v{i}: λ{i} = {value} < 0: curves down"),
    "zero": N_("v{i}: λ{i} = {value} ≈ 0: flat"),
}
"""An eigenvector arrow's legend entry, by the sign of its eigenvalue."""
SHAPE_COLOURS = (figures.KIND_STYLE["minimum"][1], figures.KIND_STYLE["maximum"][1],
                 figures.KIND_STYLE["saddle"][1], figures.KIND_STYLE["degenerate"][1])


# ------------------------------------------------------------------------------------------------ figures
def _marker_rows(points: Sequence[PointInfo]) -> list[tuple[float, float, str, str]]:
    order = {k: i for i, k in enumerate(KINDS)}
    ranked = sorted(points, key=lambda p: order.get(p.kind, len(order)))  # legend lists kinds in KINDS order
    return [(float(p.xy[0]), float(p.xy[1]), p.kind,
             f"{titles.kind(p.kind)}, f = {fmt(float(p.value))}<br>λ₁ = {fmt(float(p.eigenvalues[0]))}, "
             f"λ₂ = {fmt(float(p.eigenvalues[1]))}") for p in ranked]


def _selected_trace(xy, name: str | None = None) -> go.Scatter:
    return go.Scatter(x=[xy[0]], y=[xy[1]], mode="markers", name=t("selected point") if name is None else name,
                      hoverinfo="skip",
                      marker=dict(symbol="circle-open", size=22, color="#111111", line=dict(width=3)))


def _arrow_traces(arrows: Sequence[Mapping]) -> list[go.Scatter]:
    traces = []
    for a in arrows:
        (x0, y0), (x1, y1) = a["start"], a["end"]
        traces.append(go.Scatter(
            x=[x0, x1], y=[y0, y1], mode="lines+markers", hoverinfo="skip",
            name=t(ARROW_WORDS[a["sign"]], i="₁₂"[a["index"] - 1], value=fmt(a["eigenvalue"])),
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
    return go.Scatter(x=xs, y=ys, mode="lines", fill="toself", name=t("not decided by the search"),
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
        x=cx, y=cy, customdata=cz, mode="markers", name=t("click target"), showlegend=False,
        marker=dict(size=2, color="rgba(0,0,0,0)"), selected=dict(marker=dict(opacity=0)),
        unselected=dict(marker=dict(opacity=0)),
        hovertemplate="x=%{x:.4g}<br>y=%{y:.4g}<br>f=%{customdata:.6g}<br>" + t("click to select") + "<extra></extra>"))
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
                               showscale=False, name=t("surface"),
                               hovertemplate="x=%{x:.4g}<br>y=%{y:.4g}<br>f=%{z:.6g}<extra></extra>"))
    lift = 0.01 * (top - float(finite.min())) if finite.size else 0.0  # markers sit just above the surface
    for kind in KINDS:
        group = [p for p in points if p.kind == kind]
        if not group:
            continue
        symbol, colour, label = figures.KIND_STYLE[kind]
        label = t(label)
        fig.add_trace(go.Scatter3d(
            x=[float(p.xy[0]) for p in group], y=[float(p.xy[1]) for p in group],
            z=[min(float(p.value), top) + lift for p in group], mode="markers", name=label,
            text=[f"{titles.kind(kind)}, f = {fmt(float(p.value))}" for p in group],
            hovertemplate="%{text}<br>x=%{x:.4g}, y=%{y:.4g}<extra></extra>",
            # Scatter3d has no triangles: the maximum is a square there.
            marker=dict(size=6, color=colour, symbol=figures.SYMBOL_3D.get(symbol, "circle"),
                        line=dict(width=1, color="white"))))
    if selected is not None and np.isfinite(selected.value):
        fig.add_trace(go.Scatter3d(x=[float(selected.xy[0])], y=[float(selected.xy[1])],
                                   z=[min(float(selected.value), top) + lift], mode="markers", name=t("selected point"),
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
                             line=dict(color="white", width=2, dash="dash"), name=t("quadratic model q"),
                             showlegend=True, hoverinfo="skip"))
    if hi > lo:
        error = np.abs(z_true - z_model) / (hi - lo)
        fig.add_trace(go.Contour(x=xs, y=ys, z=error, showscale=False, hoverinfo="skip", showlegend=True,
                                 name=t("|f − q| = {share} of the range of f", share=f"{MODEL_TOLERANCE:.0%}"),
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


def profile_figure(along, values, eigenvalues, height: int = 340) -> go.Figure:
    """``f(p + t·vᵢ) − f(p)`` (solid) against the model ``½ λᵢ t²`` (dashed) along each eigenvector, at the
    distances ``along`` (t)."""
    fig = go.Figure()
    for i, lam in enumerate(eigenvalues):
        colour = SIGN_COLOURS["negative" if lam < 0 else "positive"]
        sub = "₁₂"[i]
        fig.add_trace(go.Scatter(x=along, y=values[i], mode="lines", line=dict(color=colour, width=3),
                                 name=f"f(p + t·v{sub}) − f(p)"))
        fig.add_trace(go.Scatter(x=along, y=0.5 * lam * np.asarray(along) ** 2, mode="lines",
                                 line=dict(color=colour, width=2, dash="dash"),
                                 name=f"½ λ{sub} t², λ{sub} = {fmt(float(lam))}"))
    fig.update_layout(height=height, margin=dict(l=50, r=10, t=10, b=40), xaxis_title=t("t (distance along vᵢ)"),
                      yaxis_title=t("change in f"), legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0))
    return fig


def paths_figure(g: analysis.Grid, bounds: Bounds, saddle_xy, paths: Sequence[Mapping], height: int = 520) -> go.Figure:
    """The escape runs drawn on the view box's contour map (each path: ``xy``, ``label``, ``color``)."""
    fig = figures.contour_figure(g.x, g.y, g.z, height=height)
    for path in paths:
        xy = np.asarray(path["xy"])
        fig.add_trace(go.Scatter(x=xy[:, 0], y=xy[:, 1], mode="lines+markers", name=path["label"],
                                 line=dict(color=path["color"], width=3, dash=path.get("dash", "solid")),
                                 marker=dict(size=3), hovertemplate=t("step {n}", n="%{text}") + "<extra></extra>",
                                 text=np.arange(len(xy))))
    fig.add_trace(go.Scatter(x=[saddle_xy[0]], y=[saddle_xy[1]], mode="markers", name=t("saddle (start)"),
                             marker=dict(symbol="x", size=14, color=figures.KIND_STYLE["saddle"][1],
                                         line=dict(width=2, color="white"))))
    _box_axes(fig, bounds)
    return fig


def curvature_figure(maps: analysis.CurvatureMaps, mode: str, points: Sequence[PointInfo] = (),
                     selected: PointInfo | None = None, height: int = 520) -> go.Figure:
    """The plane shaded by the local shape (bowl / dome / saddle / flat), by λmin (diverging, 0 in the middle) or
    by log₁₀ of the condition number, with the critical points and the selected point on top."""
    xs, ys = maps.xs, maps.ys
    if mode == "shape":
        scale = []
        for i, colour in enumerate(SHAPE_COLOURS):
            scale += [[i / 4, colour], [(i + 1) / 4, colour]]
        ticks = [t(SHAPE_TICKS[name]) for name in analysis.SHAPES]
        trace = go.Heatmap(x=xs, y=ys, z=maps.shape.astype(float), zmin=-0.5, zmax=3.5, colorscale=scale,
                           colorbar=dict(tickvals=[0, 1, 2, 3], ticktext=ticks, title=t("shape")),
                           customdata=np.asarray(ticks, dtype=object)[maps.shape],
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
    for marker in figures.marker_traces(_marker_rows(points)):
        fig.add_trace(marker)
    if selected is not None:
        fig.add_trace(_selected_trace(selected.xy))
    fig.update_layout(height=height, margin=dict(l=40, r=10, t=10, b=40),
                      xaxis=dict(title="x", constrain="domain"), yaxis=dict(title="y", scaleanchor="x"),
                      legend=dict(orientation="h", yanchor="top", y=-0.12, x=0))
    _box_axes(fig, ((float(xs[0]), float(xs[-1])), (float(ys[0]), float(ys[-1]))))
    return fig


def gradient_check_figure(check: analysis.GradientCheck, height: int = 380) -> go.Figure:
    """Relative error against h on log-log axes, with the slopes of truncation (∝ h²) and round-off (∝ ε/h)
    anchored at the two ends of the sweep, and the best h marked."""
    hs = np.asarray(check.hs, dtype=float)
    errors = np.asarray(check.errors, dtype=float)
    shown = np.where(errors > 0, errors, np.nan)  # log axes cannot show an exact 0
    fig = go.Figure(go.Scatter(x=hs, y=shown, mode="lines+markers", name=t("relative error ‖a − n‖ / (‖a‖ + ‖n‖)"),
                               line=dict(color="#1f77b4", width=3)))
    finite = np.flatnonzero(np.isfinite(shown))
    if finite.size >= 2:
        big, small = finite[0], finite[-1]  # hs run from large to small
        fig.add_trace(go.Scatter(x=hs, y=shown[big] * (hs / hs[big]) ** 2, mode="lines", name=t("∝ h² (truncation)"),
                                 line=dict(color="#2ca02c", dash="dash")))
        fig.add_trace(go.Scatter(x=hs, y=shown[small] * hs[small] / hs, mode="lines", name=t("∝ ε/h (round-off)"),
                                 line=dict(color="#d62728", dash="dash")))
    if math.isfinite(check.error) and check.error > 0:
        fig.add_trace(go.Scatter(x=[check.best_h], y=[check.error], mode="markers",
                                 name=t("best h = {h}", h=f"{check.best_h:.0e}"),
                                 marker=dict(size=14, symbol="star", color="#111111")))
    for level, label in ((1e-7, "1e-7"), (1e-4, "1e-4"), (1e-2, "1e-2")):
        fig.add_hline(y=level, line=dict(color="#999", width=1, dash="dot"), annotation_text=label,
                      annotation_position="right")
    lo = np.nanmin(shown) if np.any(np.isfinite(shown)) else 1e-16
    hi = np.nanmax(shown) if np.any(np.isfinite(shown)) else 1.0
    fig.update_layout(height=height, margin=dict(l=60, r=40, t=10, b=40),
                      xaxis=dict(title=t("step h"), type="log", autorange="reversed", **figures.LOG_TICKS),
                      yaxis=dict(title=t("relative error"), type="log", **figures.LOG_TICKS,
                                 range=[math.log10(max(lo, 1e-18)) - 0.5, math.log10(max(hi, 1e-2)) + 0.5]),
                      legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0))
    return fig
