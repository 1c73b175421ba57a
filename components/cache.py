"""Engine calls cached at the UI seam: plain hashable values in, results that are never mutated out.

A surface travels as a *key*, not as a `Landscape`: ``("builtin", name, ((param, value), ...))`` or
``("custom", text, bounds)`` (see `surface_key`).  Every wrapper rebuilds the landscape from its key, so the cache
hashes only strings, floats and tuples.  Bounded ``max_entries`` everywhere (DESIGN.md principle 7): a session that
drags sliders for an hour cannot grow memory without limit.

* ``st.cache_resource`` for the big results shared read-only across sessions (trajectories, grids, flows): a hit
  costs no unpickling.  Their arrays are flagged read-only, so an accidental in-place write raises instead of
  corrupting what other sessions see.
* ``st.cache_data`` for small derived values (critical points, point classifications).

Importing this module also turns on JAX's persistent compilation cache (`optimizers.compile_cache`), so a restarted
server loads compiled runners from ``.jax_cache/`` instead of compiling them again.
"""

from __future__ import annotations

import dataclasses
import importlib
from typing import NamedTuple

import numpy as np
import streamlit as st

import landscapes
from landscapes import analysis
from optimizers import catalog, compile_cache, flow as _flow, presets, tune as _tune
from optimizers.base import Hyperparam, Trajectory

_run = importlib.import_module("optimizers.run")  # the module; `optimizers.run` is also the name of a function

compile_cache.enable()

GRID_N = 161
"""Grid points per side of the contour sent to the player (161 x 161 float32 is ~140 kB of base64)."""
FLOW_POINTS = 401
"""Samples of a flow path.  Fixed, because the ODE solver compiles once per sample count."""


def surface_key(name: str, params: dict[str, float] | None = None) -> tuple:
    """The cache key of a built-in surface with these parameter values."""
    return ("builtin", str(name), tuple(sorted((str(k), float(v)) for k, v in (params or {}).items())))


def custom_key(text: str, bounds: landscapes.Bounds) -> tuple:
    """The cache key of a typed surface on ``bounds``."""
    (x0, x1), (y0, y1) = bounds
    return ("custom", str(text), ((float(x0), float(x1)), (float(y0), float(y1))))


def _frozen(*arrays: np.ndarray) -> None:
    for a in arrays:
        if isinstance(a, np.ndarray):
            a.flags.writeable = False


@st.cache_resource(max_entries=64, show_spinner=False)
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


class Grid(NamedTuple):
    x: np.ndarray
    y: np.ndarray
    z: np.ndarray


@st.cache_resource(max_entries=32, show_spinner=False)
def grid(key: tuple, n: int = GRID_N) -> Grid:
    """``f`` on an ``n x n`` grid over the surface's box: ``z[iy, ix] = f(x[ix], y[iy])`` (read-only arrays)."""
    xs, ys, z = analysis.evaluate_grid(surface(key), n=n)
    out = Grid(np.asarray(xs), np.asarray(ys), np.asarray(z))
    _frozen(*out)
    return out


class Point(NamedTuple):
    """A classified point: location, value, the verdict of the second-derivative test and the Hessian's
    eigenvalues (ascending)."""

    xy: tuple[float, float]
    value: float
    kind: str
    reason: str
    eigenvalues: tuple[float, float]


def _point(info) -> Point:
    return Point((float(info.xy[0]), float(info.xy[1])), float(info.value), str(info.kind), str(info.reason),
                 (float(info.eigenvalues[0]), float(info.eigenvalues[1])))


@st.cache_data(max_entries=32, show_spinner=False)
def critical_points(key: tuple) -> tuple[Point, ...]:
    """Every critical point in the surface's box, classified, lowest value first (`landscapes.critical_points`)."""
    return tuple(_point(p) for p in landscapes.critical_points(surface(key)))


@st.cache_data(max_entries=1024, show_spinner=False)
def classify(key: tuple, xy: tuple[float, float]) -> Point:
    """The second-derivative test at ``xy`` (`landscapes.classify`); also gives the Hessian's eigenvalues there."""
    return _point(landscapes.classify(surface(key), np.asarray(xy, np.float64)))


@st.cache_resource(max_entries=512, show_spinner=False)
def trajectory(key: tuple, name: str, start: tuple[float, float], steps: int, hyperparams: tuple,
               schedule: str | None = None, schedule_params: tuple = (), noise: float = 0.0,
               seed: int = 0) -> Trajectory:
    """One optimizer run (`optimizers.run.run`) as a read-only `Trajectory`.

    ``hyperparams`` and ``schedule_params`` are ``((name, value), ...)`` tuples.  The schedule is applied only when
    the optimizer accepts one (`optimizers.catalog.accepts_schedule`); constant means none.
    """
    sched = schedule if schedule_applies(name, schedule) else None
    traj = _run.run(engine_surface(key), name, start=start, steps=int(steps), schedule=sched, noise=float(noise),
                    seed=int(seed), schedule_params=dict(schedule_params) if sched else None, **dict(hyperparams))
    _frozen(*traj)
    return traj


def trajectory_ready(key: tuple, name: str, steps: int, hyperparams: tuple, schedule: str | None = None,
                     noise: float = 0.0) -> bool:
    """Whether `trajectory` with these arguments would return at once: its program is compiled (or the call would
    fail at once).  Cheap; start, seed and slider values never change the answer."""
    sched = schedule if schedule_applies(name, schedule) else None
    try:
        land = engine_surface(key)
    except Exception:  # a typed surface that does not compile: the page reports it elsewhere
        return True
    return _run.compiled(land, name, steps=int(steps), schedule=sched, noise=float(noise), **dict(hyperparams))


def schedule_applies(name: str, schedule: str | None) -> bool:
    """Whether ``trajectory`` runs ``name`` with ``schedule`` (constant counts as no schedule)."""
    return schedule not in (None, "constant") and catalog.accepts_schedule(name)


@st.cache_resource(max_entries=128, show_spinner=False)
def flow(key: tuple, start: tuple[float, float], kind: str, t_max: float, friction: float = 0.0) -> np.ndarray:
    """The continuous limit of a run, sampled at `FLOW_POINTS` times in ``[0, t_max]``: ``kind="gradient"`` for
    gradient descent (``ẋ = −∇f``), ``"heavy_ball"`` for momentum (``ẍ + a ẋ + ∇f = 0``, ``a = friction``).
    Returns the ``(FLOW_POINTS, 2)`` path (read-only)."""
    land = engine_surface(key)
    if kind == "gradient":
        path = _flow.gradient_flow(land, start=start, t_max=float(t_max), n_points=FLOW_POINTS)
    else:
        path = _flow.heavy_ball_flow(land, start=start, t_max=float(t_max), friction=float(friction),
                                     n_points=FLOW_POINTS)
    xy = np.asarray(path.xy)
    _frozen(xy)
    return xy


@st.cache_resource(max_entries=512, show_spinner=False)
def preset_hyperparams(key: tuple, name: str) -> tuple[Hyperparam, ...]:
    """Optimizer ``name``'s hyperparameters with the defaults this surface opens with (`optimizers.presets`):
    the metadata the sliders are built from, so a surface's preset is just its sliders' starting values."""
    values = presets.defaults(surface(key), name)
    return tuple(dataclasses.replace(h, default=values[h.name]) for h in catalog.get(name).hyperparams)


@st.cache_data(max_entries=256, show_spinner="Tuning the learning rate…")
def tuning(key: tuple, name: str, start: tuple[float, float], steps: int, hyperparams: tuple,
           candidates: tuple[float, ...], schedule: str | None = None, schedule_params: tuple = (),
           noise: float = 0.0, seed: int = 0) -> _tune.Tuning:
    """`optimizers.tune.tune_learning_rate` over ``candidates`` (the slider's values).

    On the surface's own function, not the shared family: a sweep over the family's 16-way ``lax.switch`` took
    6.3 s to compile here against 0.8 s for one surface (warm, 1.7 vs 1.2 ms), and a tuning click should not
    wait for it.  The price is one sweep program per (surface, optimizer) tuned, in the engine's bounded LRU.
    """
    sched = schedule if schedule_applies(name, schedule) else None
    return _tune.tune_learning_rate(surface(key), name, candidates, start=start, steps=int(steps),
                                    schedule=sched, schedule_params=dict(schedule_params) if sched else None,
                                    noise=float(noise), seed=int(seed), **dict(hyperparams))


def clear() -> None:
    """Drop every cached result (tests use it to measure cold paths)."""
    for fn in (surface, grid, critical_points, classify, trajectory, flow, surface_titles, preset_hyperparams, tuning):
        fn.clear()


@st.cache_resource(max_entries=1, show_spinner=False)
def surface_titles() -> dict[str, str]:
    """``{name: title}`` of the built-in surfaces, for menus."""
    return {name: landscapes.title(name) for name in landscapes.names()}
