"""The familiar entry points, each a thin wrapper of `optimizers.solve` that presents its `Result` in one shape.

===============  ==========================================  ==================================================
function         runs                                        returns
===============  ==========================================  ==================================================
`run`            one optimizer from one start                `Trajectory`, ``status`` a Python string
`run_many`       a batch: starts ``(N, 2)`` and any float    `Trajectory` with a leading ``N`` axis, ``status``
                 hyperparameter, σ or seed as ``(N,)``       an ``(N,)`` array of strings
`run_grid`       `run` for every value of one hyperparameter  `TrajectoryGrid`: one `Trajectory` per value
`sweep`          thousands of configurations, sharded        `SweepResult`: where each run ended
`run_all`        several optimizers from the same start      ``{name: Trajectory}``
===============  ==========================================  ==================================================

Every one takes the same arguments as `solve` (``steps`` defaults to `DEFAULT_STEPS` and may not exceed
`MAX_STEPS`; the hyperparameters as a ``hyperparams`` mapping, or as keywords), plus its own batch arguments.  The
rules a run follows (divergence, convergence, status codes) are `optimizers.stopping`'s; the loop is
`optimizers.kernel`'s; the compiled programs are held by `optimizers.programs`.
"""

from __future__ import annotations

from typing import Any, Mapping, NamedTuple, Sequence

import numpy as np

from . import packing, programs, solver, stopping
from .base import Trajectory, schedule_applies
from .kernel import trace_count  # noqa: F401  (part of this module's interface: compile counting)
from .packing import BUCKETS, CHUNK  # noqa: F401
from .solver import DEFAULT_STEPS, MAX_STEPS, Result, merge, prepare, schedule_spec, solve, spec_of  # noqa: F401
from .stopping import BOUND, GTOL, STATUSES, XTOL  # noqa: F401


class SweepResult(NamedTuple):
    """Where each configuration of a `sweep` ended, with a leading configuration axis ``N``.

    ``xy (N, 2)`` the final point, ``loss`` and ``grad_norm (N,)`` there; ``status (N,)`` strings of `STATUSES`
    and ``code (N,)`` their index; ``converged_at`` / ``diverged_at (N,)`` the step, or -1.
    """

    xy: np.ndarray
    loss: np.ndarray
    grad_norm: np.ndarray
    status: np.ndarray
    code: np.ndarray
    converged_at: np.ndarray
    diverged_at: np.ndarray


def trajectory(result: Result) -> Trajectory:
    """A `Result` of ``record="path"`` as a `Trajectory`: status names, and Python scalars for one run."""
    status, conv, div = stopping.status_names(result.status), result.converged_at, result.diverged_at
    if np.ndim(result.status) == 0:
        status, conv, div = str(status), int(conv), int(div)
    return Trajectory(xy=result.params, loss=result.loss, grad_norm=result.grad_norm,
                      update_norm=result.update_norm, learning_rate=result.learning_rate, status=status,
                      converged_at=conv, diverged_at=div)


def _batched(start, values) -> bool:
    return np.ndim(start) == 2 or any(np.ndim(v) for v in values)


def run(landscape, name, start=None, steps: int = DEFAULT_STEPS, schedule: str | None = None, noise: float = 0.0,
        seed: int = 0, schedule_params: Mapping[str, Any] | None = None,
        hyperparams: Mapping[str, Any] | None = None, **more) -> Trajectory:
    """Run optimizer ``name`` (a registry name or an `OptimizerSpec`) on ``landscape`` for ``steps`` steps.

    ``hyperparams`` (and ``more``, the same as keywords) override the spec's defaults (unknown names raise
    ``ValueError``); ``schedule`` names an `optimizers.schedules` entry that replaces the constant learning rate;
    ``noise`` is σ of the Gaussian gradient noise, reproducible for a ``seed``.  Returns a `Trajectory` of NumPy
    arrays with a Python ``status``.
    """
    hyperparams = merge(hyperparams, more)
    if np.ndim(landscape.start if start is None else start) != 1:
        packing.start_of(landscape, start)  # says what is wrong with a malformed start
        raise ValueError("run takes one start; use run_many for a batch")
    arrays = [k for k, v in {**hyperparams, **(schedule_params or {})}.items() if np.ndim(v)]
    if arrays or np.ndim(noise) or np.ndim(seed):
        raise ValueError(f"run takes one value per hyperparameter ({', '.join(arrays) or 'noise, seed'}); "
                         f"use run_many or sweep")
    return trajectory(solve(landscape, name, start, steps, hyperparams=hyperparams, schedule=schedule,
                            schedule_params=schedule_params, noise=noise, seed=seed))


def compiled(landscape, name, steps: int = DEFAULT_STEPS, schedule: str | None = None, noise: float = 0.0,
             schedule_params: Mapping[str, Any] | None = None, hyperparams: Mapping[str, Any] | None = None,
             **more) -> bool:
    """Whether `run` with these arguments would start at once, its program already compiled in this process.

    Only structure decides (surface function, optimizer, its switches, step bucket, schedule, σ = 0 or not): a
    slider move never changes the answer.  Arguments `run` would refuse count as ready (it fails at once)."""
    try:
        p = prepare(landscape.fn, name, steps, schedule, schedule_params, merge(hyperparams, more))
        x0 = packing.start_of(landscape, None)
        _, _, layout = packing.pack({**p.floats, ("x0",): x0, ("theta",): packing.theta_of(landscape)}, None)
    except ValueError:
        return True
    return programs.for_static(p.static).ready(p.static, "one", packing.bucket(p.steps), layout,
                                               packing.is_noisy(noise))


def run_many(landscape, name, starts=None, steps: int = DEFAULT_STEPS, schedule: str | None = None, noise=0.0,
             seed=0, schedule_params: Mapping[str, Any] | None = None,
             hyperparams: Mapping[str, Any] | None = None, **more) -> Trajectory:
    """`run` over a batch in one compiled call: ``starts (N, 2)``, and any hyperparameter, schedule parameter,
    ``noise`` or ``seed`` given as an ``(N,)`` array (scalars are shared).  Every field gets a leading ``N``
    axis (``N = 1`` when nothing is batched); ``status`` is an ``(N,)`` array of strings."""
    hyperparams = merge(hyperparams, more)
    x0 = packing.start_of(landscape, starts)
    if not _batched(x0, [*hyperparams.values(), *(schedule_params or {}).values(), noise, seed]):
        x0 = x0[None]
    return trajectory(solve(landscape, name, x0, steps, hyperparams=hyperparams, schedule=schedule,
                            schedule_params=schedule_params, noise=noise, seed=seed))


def run_grid(landscape, name, start=None, steps: int = DEFAULT_STEPS, axis: tuple[str, Any] = ("learning_rate", ()),
             schedule: str | None = None, noise: float = 0.0, seed: int = 0,
             schedule_params: Mapping[str, Any] | None = None, hyperparams: Mapping[str, Any] | None = None,
             width: int | None = None, **more) -> "TrajectoryGrid":
    """`run` for every value of one hyperparameter, in one compiled call: one `Trajectory` per value.

    ``axis = (name, values)``: a float hyperparameter of the optimizer, a float parameter of the schedule, or
    ``"noise"`` (σ); the other arguments are shared by all the runs, as in `run`.  The program depends only on the
    structure (`compiled`) and on the batch width: ``len(values)``, or ``width`` when given (the values padded to
    it by repeating the last, the extra runs dropped), so that grids of different lengths share one program.  New
    values, a new start or other hyperparameters reuse it.  It compiles with XLA's fast options, like `run`: a
    visitor waits for the compile, while the run of a 64-wide, 200-step grid takes a few ms either way
    (``benchmarks/scrub.py``).  ``run_grid(..., axis=(k, vs))[i]`` equals ``run(..., k=vs[i])`` (the same
    arithmetic, batched with `vmap`).
    """
    n, kwargs = _grid_solve(landscape, name, start, steps, axis, schedule, noise, seed, schedule_params,
                            merge(hyperparams, more), width)
    result = solve(landscape, **kwargs)
    return TrajectoryGrid(trajectory(Result(*(None if v is None else v[:n] for v in result))))


def grid_compiled(landscape, name, start=None, steps: int = DEFAULT_STEPS,
                  axis: tuple[str, Any] = ("learning_rate", ()), schedule: str | None = None, noise: float = 0.0,
                  seed: int = 0, schedule_params: Mapping[str, Any] | None = None,
                  hyperparams: Mapping[str, Any] | None = None, width: int | None = None, **more) -> bool:
    """Whether `run_grid` with these arguments would start at once, its program already compiled in this process
    (structure only, as `compiled`; arguments it would refuse count as ready)."""
    try:
        _, kwargs = _grid_solve(landscape, name, start, steps, axis, schedule, noise, seed, schedule_params,
                                merge(hyperparams, more), width)
    except (ValueError, KeyError):
        return True
    return solver.compiled(landscape, **kwargs)


def _grid_solve(landscape, name, start, steps, axis, schedule, noise, seed, schedule_params, hyperparams, width):
    """``(len(values), the keyword arguments of solve)`` for `run_grid`; ``ValueError`` for what it refuses."""
    axis_name, values = axis
    values = np.asarray(values, np.float64).reshape(-1)
    n = values.size
    if n == 0:
        raise ValueError("run_grid needs at least one value on its axis")
    if width is not None:
        if int(width) < n:
            raise ValueError(f"run_grid's width ({width}) is smaller than its {n} values")
        values = np.concatenate([values, np.full(int(width) - n, values[-1])])
    x0 = packing.start_of(landscape, start)
    if x0.ndim != 1:
        raise ValueError("run_grid takes one start; use run_many for a batch of starts")
    spec = spec_of(name)
    schedule_params = dict(schedule_params or {})
    if axis_name in hyperparams or axis_name in schedule_params or (axis_name == "noise" and noise != 0.0):
        raise ValueError(f"{axis_name!r} is the grid's axis: give its values in axis, not as a keyword")
    if axis_name == "noise":
        noise = values
    elif any(h.name == axis_name and h.kind == "float" for h in spec.hyperparams):
        hyperparams = {**hyperparams, axis_name: values}
    elif schedule is not None and any(h.name == axis_name for h in schedule_spec(schedule).hyperparams):
        schedule_params = {**schedule_params, axis_name: values}
    else:
        floats = [h.name for h in spec.hyperparams if h.kind == "float"]
        raise ValueError(f"{axis_name!r} is not a float hyperparameter of {spec.name!r} (it has "
                         f"{', '.join(map(repr, floats)) or 'none'}), nor 'noise' or a schedule parameter")
    return n, dict(optimizer=spec, x0=np.broadcast_to(x0, (values.size, 2)), steps=steps, hyperparams=hyperparams,
                   schedule=schedule, schedule_params=schedule_params or None, noise=noise, seed=seed)


class TrajectoryGrid(Sequence):
    """What `run_grid` returns: a sequence of `Trajectory`, one per value, each made when it is read (``batch``
    holds them all as one batched `Trajectory`, which is what a caller that wants arrays should use)."""

    def __init__(self, batch: Trajectory):
        self.batch = batch

    def __len__(self) -> int:
        return len(self.batch.status)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return tuple(self[j] for j in range(*i.indices(len(self))))
        b = self.batch
        return Trajectory(*(np.asarray(field)[i] for field in b[:5]), status=str(b.status[i]),
                          converged_at=int(b.converged_at[i]), diverged_at=int(b.diverged_at[i]))


def sweep(landscape, name, configs: Mapping[str, Any] | None = None, start=None, steps: int = DEFAULT_STEPS,
          schedule: str | None = None, noise=0.0, seed=0, schedule_params: Mapping[str, Any] | None = None,
          **hyperparams) -> SweepResult:
    """Evaluate thousands of configurations in one call and report only where each ended.

    ``configs`` (the ``hyperparams`` mapping of `solve`) maps hyperparameter names to ``(N,)`` arrays (or
    scalars); further ``hyperparams`` are shared by all; ``start`` is one point or ``(N, 2)`` starts (basins of
    attraction); ``noise``/``seed`` and schedule parameters may be ``(N,)`` too.  The configuration axis is padded
    to a multiple of ``len(jax.devices())`` and sharded over all of them (`jax.sharding.NamedSharding`), so the
    same call uses every GPU/TPU it is given.  Memory is independent of ``steps`` (no paths are kept).
    """
    configs = merge(configs, hyperparams, "configs")
    x0 = packing.start_of(landscape, start)
    if not _batched(x0, [*configs.values(), *(schedule_params or {}).values(), noise, seed]):
        x0 = x0[None]
    r = solve(landscape, name, x0, steps, hyperparams=configs, schedule=schedule, schedule_params=schedule_params,
              noise=noise, seed=seed, record="final")
    return SweepResult(xy=r.params, loss=r.loss, grad_norm=r.grad_norm, status=stopping.status_names(r.status),
                       code=r.status, converged_at=r.converged_at, diverged_at=r.diverged_at)


def run_all(landscape, names, start=None, steps: int = DEFAULT_STEPS,
            hyperparams_by_name: Mapping[str, Mapping] | None = None, schedule: str | None = None,
            noise: float = 0.0, seed: int = 0,
            schedule_params: Mapping[str, Any] | None = None) -> dict[str, Trajectory]:
    """`run` each optimizer in ``names`` from the same start: ``{name: Trajectory}``.

    ``hyperparams_by_name[name]`` overrides that optimizer's defaults.  The schedule applies to the optimizers
    that accept one (`schedule_applies`); the others run without it.
    """
    hyperparams_by_name = hyperparams_by_name or {}
    result = {}
    for name in names:
        spec = spec_of(name)
        sched = schedule if schedule_applies(spec, schedule) else None
        result[spec.name] = run(landscape, spec, start=start, steps=steps, schedule=sched, noise=noise, seed=seed,
                                schedule_params=schedule_params if sched else None,
                                hyperparams=hyperparams_by_name.get(spec.name, {}))
    return result
