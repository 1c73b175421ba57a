"""The Explore page's computations: sizes of its grids, the box and the selected point (events from the map and the
table, snapping to a critical point), and the local geometry at a point (the quadratic model, the eigenvector
arrows, the local shape).

The mathematics (NTU ML 2023, ``shared/seeds/001_*``): the second-order Taylor model at p is
``q(p + d) = f(p) + gᵀd + ½ dᵀHd``, ``g = ∇f(p)``, ``H = ∇²f(p)``; at a critical point, along a unit eigenvector u of
H with eigenvalue λ, ``f(p + t·u) ≈ f(p) + ½ λ t²``: a negative λ is a direction of descent out of a saddle.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from landscapes import analysis
from landscapes.base import Bounds, PointInfo


GRID_N = 121
"""Contour grid points per side (121 = 3·40 + 1, so the 41×41 click grid lies on it)."""
CLICK_N = 41
"""Per side, the invisible points that make a click anywhere on the map selectable (Plotly selects only points)."""
SURFACE3D_N = 61
LOCAL_N = 81
PROFILE_N = 201
CURVATURE_N = 121
MODEL_TOLERANCE = 0.05
"""The local-model figure outlines where ``|f − q| ≤ 5 %`` of the range of f over the window."""
CONTINUUM_MIN = 20
"""This many degenerate critical points, most of the atlas, are read as a sample of a continuum (f = x²)."""
ESCAPE_RADIUS = 0.01
"""A run has left the saddle once it is farther than this fraction of the box diagonal from it."""


def diagonal(bounds: Bounds) -> float:
    (x0, x1), (y0, y1) = bounds
    return float(math.hypot(x1 - x0, y1 - y0))


def inside(xy, bounds: Bounds) -> bool:
    (x0, x1), (y0, y1) = bounds
    return bool(x0 <= xy[0] <= x1 and y0 <= xy[1] <= y1)


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


def critical_tolerance(info: PointInfo, bounds: Bounds) -> float:
    """The gradient norm below which `landscapes.analysis.classify` calls a point critical on ``bounds``:
    ``CRITICAL_RTOL · max(1, |f|/L, max|λ|·L)`` (L = box diagonal), by the engine's own scale."""
    big = float(np.max(np.abs(info.eigenvalues)))
    # The engine's private scale, its one home (issue 27 carries the tolerance in the verdict itself).
    return analysis.CRITICAL_RTOL * float(analysis._gradient_scale(info.value, big, diagonal(bounds)))


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
