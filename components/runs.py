"""Optimizer runs on the surfaces the pages show, cached (`components.cache`): one run, a run per value of one
hyperparameter (the live scrub), the continuous-time flows, the sliders' opening values and the η tuner.

Every run on a built-in surface goes through `surfaces.engine_surface` (the shared family: one compiled runner per
optimizer serves every built-in).  ``hyperparams`` and ``schedule_params`` travel as ``((name, value), ...)``
tuples; whether a run uses the schedule is `optimizers.base.schedule_applies`, the one answer to that question.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from components import cache
from components.surfaces import engine_surface, surface
from optimizers import base, catalog, engine, flow as _flow, presets, tune as _tune
from optimizers.base import Hyperparam, Trajectory

FLOW_POINTS = 401
"""Samples of a flow path.  Fixed, because the ODE solver compiles once per sample count."""


def _schedule(name: str, schedule: str | None) -> str | None:
    """The schedule ``name`` runs with: ``schedule`` where it applies (`optimizers.base.schedule_applies`)."""
    return schedule if base.schedule_applies(catalog.get(name), schedule) else None


@cache.resource(512)
def trajectory(key: tuple, name: str, start: tuple[float, float], steps: int, hyperparams: tuple,
               schedule: str | None = None, schedule_params: tuple = (), noise: float = 0.0,
               seed: int = 0) -> Trajectory:
    """One optimizer run (`optimizers.run`) as a read-only `Trajectory`; the schedule only where it applies."""
    sched = _schedule(name, schedule)
    return engine.run(engine_surface(key), name, start=start, steps=int(steps), schedule=sched, noise=float(noise),
                      seed=int(seed), schedule_params=dict(schedule_params) if sched else None, **dict(hyperparams))


def grid_width(n: int) -> int:
    """Runs in the scrub program of ``n`` notches (`optimizers.run_grid`'s ``width``): the next power of two, at
    least 8.  Scrubs of different notch counts (they depend on the paths and steps shown) then share a few
    programs per optimizer and step bucket (8, 16, 32 or 64 runs), at under twice the runs; a narrower program
    would compile no faster (``benchmarks/scrub.py``)."""
    return max(8, 1 << (max(1, int(n)) - 1).bit_length())


WIDEST = 64
"""The widest scrub program (`grid_width` of `components.scrub.MAX_NOTCHES`)."""


@cache.resource(48)
def trajectory_grid(key: tuple, name: str, start: tuple[float, float], steps: int, hyperparams: tuple,
                    schedule: str | None, schedule_params: tuple, noise: float, seed: int, axis: str,
                    values: tuple[float, ...]):
    """`optimizers.run_grid`: one read-only `Trajectory` per value of ``axis`` (a float hyperparameter of
    ``name``, or ``"noise"``), the other arguments as in `trajectory` (``hyperparams`` without the axis)."""
    land = engine_surface(key)
    return engine.run_grid(land, name, **_grid_arguments(land, name, start, steps, hyperparams, schedule,
                                                         schedule_params, noise, seed, axis, values))


def trajectory_grid_ready(key: tuple, name: str, start: tuple[float, float], steps: int, hyperparams: tuple,
                          schedule: str | None, schedule_params: tuple, noise: float, seed: int, axis: str,
                          values: tuple[float, ...]) -> bool:
    """Whether `trajectory_grid` with these arguments would return at once: its program is compiled (or the call
    would fail at once).  Cheap; values, start, seed and slider values never change the answer."""
    try:
        land = engine_surface(key)
    except Exception:  # a typed surface that does not compile: the page reports it elsewhere
        return True
    return engine.grid_compiled(land, name, **_grid_arguments(land, name, start, steps, hyperparams, schedule,
                                                              schedule_params, noise, seed, axis, values))


def _grid_arguments(land, name, start, steps, hyperparams, schedule, schedule_params, noise, seed, axis,
                    values) -> dict:
    """`engine.run_grid`'s arguments on the engine's surface ``land``.  Its width: `grid_width` of the notches,
    unless only a wider program of the same optimizer and step bucket is compiled already (a run's result does not
    depend on its batch's width): then that one, at once.  1000 steps' 16 notches run in the 32-wide program a
    500-step scrub compiled, instead of compiling six more programs (6.8 s here, benchmarks/actions.py)."""
    sched = _schedule(name, schedule)
    args = dict(start=start, steps=int(steps), axis=(axis, values), schedule=sched,
                noise=0.0 if axis == "noise" else float(noise), seed=int(seed),
                schedule_params=dict(schedule_params) if sched else None, hyperparams=dict(hyperparams))
    width = grid_width(len(values))
    if not engine.grid_compiled(land, name, **args, width=width):
        wider = [w for w in (width * 2 ** k for k in range(1, 8)) if w <= WIDEST]
        width = next((w for w in wider if engine.grid_compiled(land, name, **args, width=w)), width)
    return {**args, "width": width}


def trajectory_ready(key: tuple, name: str, steps: int, hyperparams: tuple, schedule: str | None = None,
                     noise: float = 0.0) -> bool:
    """Whether `trajectory` with these arguments would return at once: its program is compiled (or the call would
    fail at once).  Cheap; start, seed and slider values never change the answer."""
    try:
        land = engine_surface(key)
    except Exception:  # a typed surface that does not compile: the page reports it elsewhere
        return True
    return engine.compiled(land, name, steps=int(steps), schedule=_schedule(name, schedule), noise=float(noise),
                           **dict(hyperparams))


@cache.resource(128)
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
    return np.asarray(path.xy)


@cache.resource(512)
def preset_hyperparams(key: tuple, name: str) -> tuple[Hyperparam, ...]:
    """Optimizer ``name``'s hyperparameters with the defaults this surface opens with (`optimizers.presets`):
    the metadata the sliders are built from, so a surface's preset is just its sliders' starting values."""
    values = presets.defaults(surface(key), name)
    return tuple(dataclasses.replace(h, default=values[h.name]) for h in catalog.get(name).hyperparams)


@cache.data(256, spinner="Tuning the learning rate…")
def tuning(key: tuple, name: str, start: tuple[float, float], steps: int, hyperparams: tuple,
           candidates: tuple[float, ...], schedule: str | None = None, schedule_params: tuple = (),
           noise: float = 0.0, seed: int = 0) -> _tune.Tuning:
    """`optimizers.tune.tune_learning_rate` over ``candidates`` (the slider's values), on `engine_surface` like
    every optimizer call: one sweep program per optimizer serves every built-in surface."""
    sched = _schedule(name, schedule)
    return _tune.tune_learning_rate(engine_surface(key), name, candidates, start=start, steps=int(steps),
                                    schedule=sched, schedule_params=dict(schedule_params) if sched else None,
                                    noise=float(noise), seed=int(seed), **dict(hyperparams))
