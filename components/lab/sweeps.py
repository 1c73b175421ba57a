"""The Lab's sweeps, cached (`components.cache`): plain hashable arguments (a surface key, axes as tuples, the other
hyperparameters as ``((name, value), ...)``), bounded ``max_entries``, read-only results.  Each one is a sweep of
`components.lab.compute` on the surface the optimizers see (`surfaces.engine_surface`)."""

from __future__ import annotations

import numpy as np

from components import cache
from components.lab import compute
from components.surfaces import critical_points, engine_surface, surface


@cache.resource(64)
def quadratic_curvature(key: tuple) -> tuple[float, float] | None:
    """`compute.quadratic_curvature`: ``(λmin, λmax)`` when the surface is a quadratic, else None."""
    return compute.quadratic_curvature(surface(key))


@cache.resource(64)
def lr_curve(key: tuple, name: str, lo: float, hi: float, n: int, steps: int, start: tuple, fixed: tuple):
    """`compute.learning_rate_curve` over ``n`` geometric η from ``lo`` to ``hi``."""
    return compute.learning_rate_curve(engine_surface(key), name, np.geomspace(lo, hi, n), steps, start, dict(fixed))


@cache.resource(32)
def phase(key: tuple, name: str, x_axis: tuple, y_axis: tuple, steps: int, start: tuple,
          fixed: tuple) -> compute.Phase:
    """`compute.phase_diagram`; each axis is ``(name, lo, hi, n, log)``."""
    (xn, xlo, xhi, nx, xlog), (yn, ylo, yhi, ny, ylog) = x_axis, y_axis
    return compute.phase_diagram(engine_surface(key), name, xn, compute.values_on_axis(xlo, xhi, nx, xlog), yn,
                                 compute.values_on_axis(ylo, yhi, ny, ylog), steps, start, dict(fixed))


@cache.resource(32)
def search(key: tuple, name: str, x_axis: tuple, y_axis: tuple, budget: int, seed: int, steps: int,
           start: tuple, fixed: tuple) -> compute.Search:
    """`compute.search`; each axis is ``(name, lo, hi, log)``."""
    (xn, xlo, xhi, xlog), (yn, ylo, yhi, ylog) = x_axis, y_axis
    return compute.search(engine_surface(key), name, xn, (xlo, xhi), xlog, yn, (ylo, yhi), ylog, budget, seed, steps,
                          start, dict(fixed))


@cache.resource(16)
def attractors(key: tuple) -> compute.Attractors:
    """`compute.attractors` of the surface's critical points and listed minima."""
    land = surface(key)
    return compute.attractors(critical_points(key), land.minima, land.bounds)


@cache.resource(16)
def basins(key: tuple, name: str, n: int, steps: int, fixed: tuple) -> compute.Basins:
    """`compute.basin_map` on an ``n × n`` grid (at most 16 maps kept: 16 × 200² labels is ~1.3 MB)."""
    return compute.basin_map(engine_surface(key), name, n, steps, attractors(key), dict(fixed))


@cache.resource(32)
def fair(key: tuple, name: str, budget: int, n_starts: int, steps: int, seed: int, f_star: float | None,
         fixed: tuple) -> compute.Fair:
    """`compute.fair_comparison`: tune η on some random starts, score it on others."""
    return compute.fair_comparison(engine_surface(key), name, budget, n_starts, steps, seed, f_star, fixed=dict(fixed))
