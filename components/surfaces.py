"""The surfaces every page shows, and what the engine says about them, cached (`components.cache`).

A surface travels as a *key*, not as a `Landscape`: ``("builtin", name, ((param, value), ...))`` or
``("custom", text, bounds)`` (`surface_key`, `custom_key`).  Every function here rebuilds the landscape from its key,
so the caches hash only strings, floats and tuples; the view box, where a page has one, is a parameter.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

import landscapes
from components import cache
from landscapes import analysis
from landscapes.base import PointInfo

GRID_N = 161
"""Grid points per side of the contour sent to the player (161 x 161 float32 is ~140 kB of base64)."""

Grid = analysis.Grid


def surface_key(name: str, params: dict[str, float] | None = None) -> tuple:
    """The key of a built-in surface with these parameter values."""
    return ("builtin", str(name), tuple(sorted((str(k), float(v)) for k, v in (params or {}).items())))


def custom_key(text: str, bounds: landscapes.Bounds) -> tuple:
    """The key of a typed surface on ``bounds``."""
    (x0, x1), (y0, y1) = bounds
    return ("custom", str(text), ((float(x0), float(x1)), (float(y0), float(y1))))


@cache.resource(64)
def surface(key: tuple) -> landscapes.Landscape:
    """The `Landscape` for a key.  A typed surface that does not compile raises `landscapes.ExpressionError`
    (exceptions are not cached, so a fixed expression is tried afresh)."""
    if key[0] == "custom":
        return landscapes.from_expression(key[1], key[2])
    return landscapes.get(key[1], **dict(key[2]))


def engine_surface(key: tuple) -> landscapes.Landscape:
    """The surface as the optimizers should see it: a built-in goes through `landscapes.shared_family`, so one
    compiled runner (or flow solver) per optimizer serves every built-in surface, and a server whose visitors open
    many surfaces compiles each optimizer once, not once per surface.

    Tried and measured (issue 13): giving the default surface programs of its own compiles its six runners ~4x
    faster (1.8 s instead of 8.6 s cold), but the 20-user load test's server then grew +55 to +75 MB in its measured
    minute instead of +40 MB (limit 50): the default page's first frame relies on the warm-up instead."""
    return landscapes.shared_family(surface(key))


@cache.resource(64)
def grid(key: tuple, bounds: landscapes.Bounds | None = None, n: int = GRID_N) -> Grid:
    """``f`` on an ``n x n`` grid over ``bounds`` (default: the surface's box): ``z[iy, ix] = f(x[ix], y[iy])``
    (read-only arrays).  A new box reuses the compiled grid; a new ``n`` compiles once."""
    xs, ys, z = analysis.evaluate_grid(surface(key), bounds, n=n)
    return Grid(np.asarray(xs), np.asarray(ys), np.asarray(z))


class RangeMask(NamedTuple):
    """Where f leaves the float64 range on a grid (`landscapes.floatrange.value_check`), indexed like `grid`."""

    underflow: np.ndarray
    overflow: np.ndarray

    @property
    def any(self) -> np.ndarray:
        return self.underflow | self.overflow


@cache.resource(64)
def range_mask(key: tuple, bounds: landscapes.Bounds | None = None, n: int = GRID_N) -> RangeMask:
    """`RangeMask` on the points of ``grid(key, bounds, n)`` (read-only)."""
    from landscapes import floatrange

    g = grid(key, bounds, n)
    under, over = floatrange.value_check(surface(key), np.stack(np.meshgrid(g.x, g.y), axis=-1))
    return RangeMask(np.asarray(under), np.asarray(over))


@cache.data(64)
def atlas(key: tuple, bounds: landscapes.Bounds | None = None) -> landscapes.Atlas:
    """Every critical point in ``bounds`` (default: the surface's box), classified, lowest f first, with the proof
    of how complete the list is (`landscapes.atlas`, which says what the cap warning would)."""
    return landscapes.atlas(surface(key), bounds=bounds)


def critical_points(key: tuple, bounds: landscapes.Bounds | None = None) -> tuple[PointInfo, ...]:
    """The points of `atlas`: every critical point in the box, lowest value first."""
    return atlas(key, bounds).points


@cache.data(1024)
def classify(key: tuple, xy: tuple[float, float], bounds: landscapes.Bounds | None = None) -> PointInfo:
    """`landscapes.classify` at ``xy`` with the tolerances of ``bounds`` (default: the surface's box): value, ∇f,
    H, eigenpairs (ascending), kind and the reason."""
    with np.errstate(all="ignore"):
        return landscapes.classify(surface(key), np.asarray(xy, dtype=np.float64), bounds=bounds)


@cache.data(1024)
def classify_points(key: tuple, points: tuple[tuple[float, float], ...],
                    bounds: landscapes.Bounds | None = None) -> tuple[PointInfo, ...]:
    """`classify` at each of ``points`` in one evaluation (`landscapes.analysis.classify_points`)."""
    with np.errstate(all="ignore"):
        return tuple(analysis.classify_points(surface(key), np.asarray(points, dtype=np.float64), bounds=bounds))


@cache.resource(32)
def curvature(key: tuple, bounds: landscapes.Bounds, n: int) -> analysis.CurvatureMaps:
    """Hessian eigenvalue maps over ``bounds`` (`analysis.curvature_maps`), read-only."""
    return analysis.curvature_maps(surface(key), bounds, n=n)


@cache.data(256)
def gradient_check(key: tuple, xy: tuple[float, float]) -> analysis.GradientCheck:
    """`landscapes.gradient_check` at ``xy`` over 25 step sizes h from 1e-1 to 1e-13."""
    with np.errstate(all="ignore"):
        return landscapes.gradient_check(surface(key), xy)


@cache.data(256)
def profiles(key: tuple, xy: tuple[float, float], vectors: tuple, span: float,
             n: int = 201) -> tuple[np.ndarray, np.ndarray]:
    """``f(p + t·vᵢ) − f(p)`` for ``n`` values of ``t`` in ``[−span, span]`` along each unit vector vᵢ; returns
    ``(t, values)`` with values of shape ``(len(vectors), n)``."""
    t = np.linspace(-span, span, n)
    p = np.asarray(xy, dtype=np.float64)
    pts = np.concatenate([p + t[:, None] * np.asarray(v, dtype=np.float64)[None, :] for v in vectors])
    with np.errstate(all="ignore"):
        values = analysis.value(surface(key), pts).reshape(len(vectors), n)
        base = float(analysis.value(surface(key), p))
    return t, values - base


@cache.resource(1)
def titles() -> dict[str, str]:
    """``{name: title}`` of the built-in surfaces, for menus."""
    return {name: landscapes.title(name) for name in landscapes.names()}
