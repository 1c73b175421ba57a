r"""`solve`: THE entry point of every optimizer run, and `Result`, the one record it returns.

    result = optimizers.solve(surface, "adam", x0=(0.0, 0.0), steps=500, hyperparams={"learning_rate": 0.05})

One compiled call runs a whole optimization (`optimizers.kernel`: ``lax.fori_loop`` over the steps), ``vmap`` over
a batch, and with ``record="final"`` the batch sharded over every JAX device.  A network's training
(``problem`` a `landscapes.network.Problem`) runs the same way through `optimizers.network`.  `optimizers.run`,
`run_many`, `run_grid`, `sweep` and `train_network` are thin wrappers that present a `Result` in their own
documented shapes.

Compilation.  What is *structure* is static: the surface family ``landscape.fn``, the spec, its ``bool``/``int``
hyperparameters, the schedule's name, and the step *bucket* (`optimizers.packing.BUCKETS`: ``steps`` is padded up
to the next bucket and the result sliced).  Everything a slider moves is traced data: ``float`` hyperparameters,
the learning rate, the start, the surface parameters ``landscape.theta``, the noise scale σ, the seed, the step
count itself and float schedule parameters.  So moving a slider never recompiles (``tests/test_run.py`` counts).
The one structural bit of the noise is whether σ is exactly 0 for the whole call: that program draws no random
numbers at all (Threefry costs more than the rest of a step), so the first noisy run compiles once more.  A
schedule whose factory needs Python numbers says so (`optimizers.schedules.ScheduleSpec.static_steps`); its step
count and parameters are then part of the program.

Limits.  ``steps`` runs from 0 to `MAX_STEPS`; more raises ``ValueError`` (nothing is capped silently).  The
divergence and convergence tests and the status codes are `optimizers.stopping`'s.

Speed on CPU.  XLA:CPU compiles a ``while`` loop into one kernel only when an iteration touches less than
``xla_cpu_small_while_loop_byte_threshold`` bytes (1 kB by default); above that every operation of every step is
dispatched on its own, about 4x slower for one 1000-step run here.  Raising it to 256 kB and exposing the cores as
devices (so that a sweep shards over them) only works in ``XLA_FLAGS`` before JAX creates its CPU backend
(`landscapes._xla`); ``benchmarks/engine.py`` measures both.
"""

from __future__ import annotations

from typing import Any, Mapping, NamedTuple

import jax
import numpy as np

from landscapes.network import Problem

from . import catalog as _catalog
from . import packing, programs, stopping
from .base import OptimizerSpec
from .kernel import Static

MAX_STEPS = packing.BUCKETS[-1]
"""The most steps one run may take (16,384); `solve` raises ``ValueError`` beyond it."""
DEFAULT_STEPS = 200
"""The step count of every entry point that is not given one."""
RECORDS = ("path", "final")


class Result(NamedTuple):
    """What `solve` returns: one run, or a batch of runs with leading batch axes ``B…`` (none for one run).

    ``n`` is the number of parameters (2 on a surface), ``T`` the number of steps.  With ``record="final"`` only
    where each run ended is kept: the per-step fields are None and the others lose their step axis.  Every value is
    finite: a diverged run repeats its last sane iterate from ``diverged_at`` on.
    """

    params: np.ndarray  # (B…, T+1, n) every iterate x_0 … x_T; final: (B…, n)
    loss: np.ndarray  # (B…, T+1) f(x_t); final: (B…,)
    grad_norm: np.ndarray  # (B…, T+1) ‖∇f(x_t)‖; final: (B…,)
    update_norm: np.ndarray | None  # (B…, T) ‖x_{t+1} − x_t‖; final: None
    learning_rate: np.ndarray | None  # (B…, T) the rate step t used (0 for a rule without one); final: None
    batch_loss: np.ndarray | None  # (B…, T) the loss step t's gradient was taken on (a mini-batch's); final: None
    status: np.ndarray  # (B…,) int codes into optimizers.stopping.STATUSES
    converged_at: np.ndarray  # (B…,) the first converged iterate, or -1
    diverged_at: np.ndarray  # (B…,) the first diverged iterate, or -1


def spec_of(optimizer) -> OptimizerSpec:
    """``optimizer`` as an `OptimizerSpec` (a registry name, a chain name or a spec)."""
    return optimizer if isinstance(optimizer, OptimizerSpec) else _catalog.get(optimizer)


def schedule_spec(schedule):
    from . import schedules as _schedules  # imported late: only runs that use a schedule need it

    return _schedules.get(schedule)


def split(owner: str, declared, given: Mapping[str, Any]) -> tuple[dict, tuple]:
    """Defaults overridden by ``given``; float kinds → traced dict, others → static tuple (in declared order)."""
    known = {h.name: h for h in declared}
    unknown = [k for k in given if k not in known]
    if unknown:
        raise ValueError(f"{owner} has no hyperparameter {', '.join(map(repr, unknown))}; "
                         f"it takes {', '.join(map(repr, known)) or 'none'}")
    floats, static = {}, []
    for name, h in known.items():
        value = given.get(name, h.default)
        if h.kind == "float" and value is not None and not callable(value):
            try:
                floats[name] = np.asarray(value, np.float64)
            except (TypeError, ValueError):
                raise ValueError(f"{owner}: hyperparameter {name!r} must be a number, got {value!r}") from None
        else:
            static.append((name, value))
    return floats, tuple(static)


def check_steps(steps) -> int:
    """``steps`` as an int in ``[0, MAX_STEPS]``, else ``ValueError``: the one step cap of the engine."""
    n = int(steps)
    if not 0 <= n <= MAX_STEPS:
        raise ValueError(f"steps must be between 0 and {MAX_STEPS:,}, got {steps}")
    return n


def merge(hyperparams: Mapping[str, Any] | None, keywords: Mapping[str, Any], what: str = "hyperparams") -> dict:
    """``hyperparams`` and the same given as keywords, as one dict; a name given both ways is an error."""
    both = set(hyperparams or {}) & set(keywords)
    if both:
        raise ValueError(f"{', '.join(map(repr, sorted(both)))} given both in {what} and as a keyword")
    return {**(hyperparams or {}), **keywords}


class Prepared(NamedTuple):
    static: Static
    floats: dict  # ("hp" | "schedule", name) -> float64 array (scalar or batched)
    steps: int


def prepare(fn, optimizer, steps, schedule, schedule_params, hyperparams) -> Prepared:
    """Validate the arguments and split them into the static key and the traced floats."""
    spec = spec_of(optimizer)
    steps = check_steps(steps)
    floats, static_hps = split(f"optimizer {spec.name!r}", spec.hyperparams, hyperparams)
    sched, sched_floats, static_sched, static_steps = None, {}, (), None
    if schedule is not None:
        if not spec.takes_schedule:
            raise ValueError(f"optimizer {spec.name!r} takes no learning-rate schedule")
        sched = schedule_spec(schedule)
        sched_floats, static_sched = split(f"schedule {schedule!r}", sched.hyperparams, schedule_params or {})
        if sched.static_steps:
            static_sched += tuple((k, float(v)) for k, v in sched_floats.items())
            sched_floats, static_steps = {}, steps
    elif schedule_params:
        raise ValueError("schedule_params given without a schedule")
    static = Static(fn, spec, static_hps, sched, static_sched, static_steps, spec.per_coordinate)
    slots = {**{("hp", k): v for k, v in floats.items()}, **{("schedule", k): v for k, v in sched_floats.items()}}
    return Prepared(static, slots, steps)


_TRACE_ERRORS = (jax.errors.ConcretizationTypeError, jax.errors.TracerBoolConversionError,
                 jax.errors.TracerIntegerConversionError)


def call(static: Static, args, *key):
    """Run the compiled program for ``key`` on ``args``."""
    try:
        return programs.for_static(static).get(static, *key)(*args)
    except _TRACE_ERRORS as err:
        if static.schedule is None or static.schedule.static_steps:
            raise
        raise ValueError(f"schedule {static.schedule.name!r} cannot take a traced step count or parameters; "
                         f"declare it with ScheduleSpec(static_steps=True)") from err


def _flat_batch(x0: np.ndarray, floats: dict, noise, seed):
    """The batch shape ``B…`` of the inputs (None for one run) and the inputs flattened to one batch axis."""
    parts = {"start": (x0, 1), "noise": (np.asarray(noise), 0), "seed": (np.asarray(seed), 0),
             **{f"{k[0]} parameter {k[1]!r}": (np.asarray(v), 0) for k, v in floats.items()}}
    shapes = {what: v.shape[:v.ndim - inner] for what, (v, inner) in parts.items() if v.ndim > inner}
    if len(set(shapes.values())) > 1:
        raise ValueError(f"batch sizes differ: {', '.join(f'{k} {s}' for k, s in shapes.items())}")
    if not shapes:
        return None, x0, floats, noise, seed
    shape = next(iter(shapes.values()))
    flat = lambda v, inner: v.reshape((-1,) + v.shape[v.ndim - inner:]) if v.ndim > inner else v  # noqa: E731
    return (shape, flat(x0, 1), {k: flat(np.asarray(v), 0) for k, v in floats.items()},
            flat(np.asarray(noise), 0), flat(np.asarray(seed), 0))


def final_rows(landscape, optimizer, x0, steps, schedule, schedule_params, hyperparams, noise, seed):
    """The sharded call behind ``record="final"``: ``(N', 6)`` rows for ``N' ≥ N`` (padded to equal chunks on every
    device; a jax.Array laid out over every device), and ``N``.  Inputs with one batch axis at most."""
    devices = tuple(jax.devices())
    p = prepare(landscape.fn, optimizer, steps, schedule, schedule_params, hyperparams)
    n, (shared, *rest), layout, axes = packing.batch(landscape, p.floats, x0, noise, seed)
    chunk, padded = packing.chunking(n, len(devices))
    rest = packing.pad_rows(rest, axes, n, padded)  # repeats the last configuration; its rows are dropped again
    key = ("sweep", None, layout, packing.is_noisy(noise), axes, devices, chunk)
    return call(p.static, (shared, *rest, np.int32(p.steps)), *key), n


def _path_call(landscape, optimizer, x0, steps, schedule, schedule_params, hyperparams, noise, seed, batched, mode):
    """The prepared run, the program key and the arguments of a ``record="path"`` call."""
    p = prepare(landscape.fn, optimizer, steps, schedule, schedule_params, hyperparams)
    if not batched:
        shared, batched_, layout = packing.pack({**p.floats, ("x0",): x0, ("theta",): packing.theta_of(landscape)},
                                                None)
        args = (shared, batched_, np.float64(noise), np.int64(seed), np.int32(p.steps))
        return p, ("one", packing.bucket(p.steps), layout, packing.is_noisy(noise)), args
    n, args, layout, axes = packing.batch(landscape, p.floats, x0, noise, seed)
    key = (mode, packing.bucket(p.steps), layout, packing.is_noisy(noise), axes, (), 0, n)
    return p, key, args + (np.int32(p.steps),)


def _paths(*path_args):
    """Every iterate: the ``(…, bucket + 2, 6)`` table(s) of `optimizers.kernel.simulate` and the step count."""
    p, key, args = _path_call(*path_args)
    return np.asarray(call(p.static, args, *key)), p.steps


def _result_of_table(table: np.ndarray, steps: int) -> Result:
    rows, events = table[..., : steps + 1, :], table[..., -1, :2].astype(np.int64)
    conv, div = events[..., 0], events[..., 1]
    loss = rows[..., 2]
    return Result(params=rows[..., :2], loss=loss, grad_norm=rows[..., 3], update_norm=rows[..., 1:, 4],
                  learning_rate=rows[..., 1:, 5], batch_loss=loss[..., :-1],
                  status=stopping.status_codes(conv, div), converged_at=conv, diverged_at=div)


def _result_of_rows(rows: np.ndarray) -> Result:
    conv, div = rows[..., 4].astype(np.int64), rows[..., 5].astype(np.int64)
    return Result(params=rows[..., :2], loss=rows[..., 2], grad_norm=rows[..., 3], update_norm=None,
                  learning_rate=None, batch_loss=None, status=stopping.status_codes(conv, div), converged_at=conv,
                  diverged_at=div)


def _reshaped(result: Result, shape: tuple) -> Result:
    """``result`` with its one batch axis unfolded into ``shape``."""
    return Result(*(None if v is None else v.reshape(shape + v.shape[1:]) for v in result))


def solve(problem, optimizer, x0=None, steps: int = DEFAULT_STEPS, *, hyperparams: Mapping[str, Any] | None = None,
          schedule: str | None = None, schedule_params: Mapping[str, Any] | None = None, noise=0.0, seed=0,
          record: str = "path", batch_size: int | None = None, optimize_for: str = "compile") -> Result:
    """Run ``optimizer`` (a registry name, a chain name or an `OptimizerSpec`) on ``problem`` for ``steps`` steps.

    ``problem``: a `landscapes.Landscape` (``x0`` a point ``(2,)``, default the surface's start, or starts
    ``(B…, 2)``) or a `landscapes.network.Problem` (``x0`` the flat parameter vector θ₀, required; ``batch_size``
    points per mini-batch, None for the full batch; see `optimizers.network`).  ``hyperparams`` override the spec's
    defaults (unknown names raise ``ValueError``); on a surface any float one may be an array of the batch shape
    ``B…``, as may ``noise`` (σ of the Gaussian gradient noise) and ``seed``.  ``schedule`` names an
    `optimizers.schedules` entry that replaces the constant learning rate (``schedule_params`` its parameters).

    ``record="path"`` keeps every iterate; ``"final"`` only where each run ended (memory independent of ``steps``;
    the batch is sharded over every JAX device).  ``optimize_for="compile"`` compiles with XLA's fast options (a
    visitor waits for the compile; the run is short); ``"run"`` with its defaults, for a batch that is run again
    and again (``record="final"`` always is).  Returns a `Result`.
    """
    if record not in RECORDS:
        raise ValueError(f"record must be one of {', '.join(map(repr, RECORDS))}, got {record!r}")
    if optimize_for not in ("compile", "run"):
        raise ValueError(f"optimize_for must be 'compile' or 'run', got {optimize_for!r}")
    hyperparams = dict(hyperparams or {})
    if isinstance(problem, Problem):
        from . import network

        return network.solve(problem, optimizer, x0, steps, hyperparams=hyperparams, schedule=schedule,
                             schedule_params=schedule_params, noise=noise, seed=seed, record=record,
                             batch_size=batch_size)
    if batch_size is not None:
        raise ValueError("batch_size is for a network's training; a surface has no data to batch")
    shape, args = _surface_args(problem, optimizer, x0, steps, hyperparams, schedule, schedule_params, noise, seed,
                                record, optimize_for)
    if record == "final":
        rows, n = final_rows(*args)
        result = _result_of_rows(np.asarray(rows)[:n] if shape is not None else np.asarray(rows)[0])
    else:
        result = _result_of_table(*_paths(*args, shape is not None, _MODES[optimize_for]))
    return result if shape is None or len(shape) == 1 else _reshaped(result, shape)


_MODES = {"compile": "many", "run": "grid"}
"""The batched program mode (`optimizers.programs.MODES`) of each ``optimize_for``."""


def _surface_args(problem, optimizer, x0, steps, hyperparams, schedule, schedule_params, noise, seed, record,
                  optimize_for):
    """The batch shape ``B…`` (None for one run) and the arguments of `final_rows` / `_paths` for a surface."""
    x0 = packing.start_of(problem, x0) if np.ndim(x0) <= 2 else np.asarray(x0, np.float64)
    floats = {("hp", k): v for k, v in hyperparams.items() if np.ndim(v)}
    floats.update({("schedule", k): v for k, v in (schedule_params or {}).items() if np.ndim(v)})
    shape, x0, flat, noise, seed = _flat_batch(x0, floats, noise, seed)
    if shape is None and optimize_for == "run" and record == "path":
        shape, x0 = (), x0[None]  # a batch of one: the batched programs are the ones compiled for their run
    if shape is not None:
        x0 = packing.start_of(problem, x0)
        hyperparams = {**hyperparams, **{k[1]: v for k, v in flat.items() if k[0] == "hp"}}
        schedule_params = {**(schedule_params or {}), **{k[1]: v for k, v in flat.items() if k[0] == "schedule"}}
    return shape, (problem, optimizer, x0, steps, schedule, schedule_params, hyperparams, noise, seed)


def compiled(landscape, optimizer, x0=None, steps: int = DEFAULT_STEPS, *,
             hyperparams: Mapping[str, Any] | None = None, schedule: str | None = None,
             schedule_params: Mapping[str, Any] | None = None, noise=0.0, seed=0,
             optimize_for: str = "compile") -> bool:
    """Whether `solve` on a surface with these arguments (``record="path"``) would find its program compiled in
    this process, so it returns at once.  Only the structure (see `solve`) and the batch size decide.  Arguments
    `solve` would refuse count as ready (it fails at once)."""
    try:
        shape, args = _surface_args(landscape, optimizer, x0, steps, dict(hyperparams or {}), schedule,
                                    schedule_params, noise, seed, "path", optimize_for)
        p, key, _ = _path_call(*args, shape is not None, _MODES[optimize_for])
    except (ValueError, KeyError):
        return True
    return programs.for_static(p.static).ready(p.static, *key)


def one(result: Result, i) -> Result:
    """Run ``i`` of a batched `Result` (an index into its batch axes)."""
    return Result(*(None if v is None else np.asarray(v)[i] for v in result))
