"""THE jit boundary of the optimizer engine: `run`, `run_many`, `sweep` and `run_all`.

One compiled call runs a whole optimization: ``lax.fori_loop`` over the steps, ``vmap`` over a batch, and for
`sweep` the configuration axis sharded over every JAX device.  The iteration is, for ``t = 0 … T−1``,

    g̃_t = ∇f(x_t) + σ ξ_t,   ξ_t ~ N(0, I),  key = fold_in(PRNGKey(seed), t)      (gradient noise, seeds 000/001)
    u_t, s_{t+1} = tx.update(g̃_t, s_t, x_t, value=f(x_t), grad=g̃_t, value_fn=f [, hessian=∇²f(x_t)])
    x_{t+1} = x_t + u_t

with ``tx = spec.factory(**hyperparams)`` an optax ``GradientTransformation`` (Hessian only when the spec needs it).

Compilation.  What is *structure* is static: the surface family ``landscape.fn``, the spec, its ``bool``/``int``
hyperparameters, the schedule's name, and the step *bucket* (`BUCKETS`: ``steps`` is padded up to the next bucket
and the result sliced; the loop itself stops at ``steps``, so padding costs memory, not time).  Everything a slider
moves is traced data: ``float`` hyperparameters, the learning rate, the start, the surface parameters
``landscape.theta``, the noise scale σ, the seed, the step count itself and float schedule parameters.  So moving
a slider never recompiles (``tests/test_run.py`` counts).  The one structural bit of the noise is whether σ is
exactly 0 for the whole call: that program draws no random numbers at all (Threefry costs more than the rest of a
step), so the first noisy run compiles once more.  ``steps`` above `MAX_STEPS` is capped at `MAX_STEPS`.

Divergence.  Step ``t`` *diverges* when ``x_t`` or ``f(x_t)`` is non-finite or beyond `BOUND` (1e6) in magnitude,
or when ``∇f(x_t)``, the update or the optimizer state is non-finite.  Then ``diverged_at = t``, the run freezes at
``x_{t−1}`` (every later row repeats it, with update norm 0) and status is ``"diverged"``.  Nothing raises and
nothing non-finite is returned; the one exception to "rows are real values" is a start where ``f`` or ``∇f`` is
already non-finite: ``diverged_at = 0`` and its loss / gradient norm are reported as 0.

Convergence.  Iterate ``t`` is *converged* when ``‖∇f(x_t)‖ ≤ GTOL · max(1, ‖∇f(x_0)‖)`` and the step taken
from it is small, ``‖x_{t+1} − x_t‖ ≤ XTOL · max(1, ‖x_t‖)`` (both 1e-6; the first relative to the starting
gradient): ``x_t`` is a fixed point of the run, which a momentum method passing through the minimum at speed is
not.  ``converged_at`` is the first such ``t`` (0 for a start at a critical point; Newton on a quadratic: 1); the
run continues to ``steps``.  A stationary point is not necessarily a minimum: Newton "converges" to saddles.
Status is ``"diverged"`` if the run diverged, else ``"converged"`` if it converged, else ``"max_steps"``.

Learning rate.  ``learning_rate[t]`` is the rate used by step ``t``: ``schedule(t)`` when a schedule is given (optax
counts updates from 0), the constant otherwise, and 0 for rules without a ``learning_rate`` hyperparameter (the
record is then a placeholder, never NaN).

Speed on CPU.  XLA:CPU compiles a ``while`` loop into one kernel only when an iteration touches less than
``xla_cpu_small_while_loop_byte_threshold`` bytes (1 kB by default); above that every operation of every step is
dispatched on its own, about 4x slower for one 1000-step run here.  Raising it to 256 kB
(``--xla_backend_extra_options=xla_cpu_small_while_loop_byte_threshold=262144``) and exposing the cores as devices
(``--xla_force_host_platform_device_count=<cores>``, so that `sweep` shards over them) only works in ``XLA_FLAGS``
before JAX creates its CPU backend, i.e. before anything computes; ``benchmarks/engine.py`` measures both.
Rules that act on each coordinate on their own (`OptimizerSpec.per_coordinate`: SGD, momentum, Adam, ...) get x and y
as two scalar parameters rather than one ``(2,)`` vector: the same arithmetic, but a batch then holds one array per
coordinate (x of every configuration side by side, then y) instead of interleaved ``(N, 2)`` rows, which XLA:CPU
vectorises better; about 1.35x faster per sweep step here.
Each device runs its share of a `sweep` `CHUNK` configurations at a time (``lax.map`` over chunks): a chunk's loop
state stays in the L1 cache instead of streaming every array of the whole share through memory each step, and its
loop is small enough to become one kernel (about half the CPU time for a 40,000-start basin map here).
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from typing import Any, Mapping, NamedTuple, Sequence

import jax
import jax.numpy as jnp
import numpy as np
import optax
from jax.sharding import Mesh, PartitionSpec

from landscapes._xla import fast_compile

from . import catalog as _catalog
from .base import STATUSES, OptimizerSpec, Trajectory, schedule_applies
from .fast_pow import without_slow_pow

BUCKETS = (64, 256, 1024, 4096, 16384)
"""Step counts are padded up to one of these (static shapes) and sliced back."""
MAX_STEPS = BUCKETS[-1]
"""Requests for more steps are capped here."""
BOUND = 1e6
"""Coordinates or loss beyond this magnitude count as divergence."""
GTOL = 1e-6
XTOL = 1e-6
CHUNK = 128
"""`sweep` runs each device's share of the configurations at most this many at a time (see `_compiled`)."""

_CONVERGED, _DIVERGED, _MAX_STEPS = (STATUSES.index(s) for s in ("converged", "diverged", "max_steps"))
_STATUS_NAMES = np.asarray(STATUSES)


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


class _Static(NamedTuple):
    """The compile-time part of a run: everything here is a cache key, nothing here is a slider."""

    fn: Any
    spec: OptimizerSpec
    static_hps: tuple
    schedule: Any  # a schedules.ScheduleSpec or None
    static_schedule: tuple
    static_steps: int | None  # only for schedules whose factory needs a concrete step count
    per_coordinate: bool = False  # x and y as two parameters (see the module docstring)


_TRACES = [0]


def trace_count() -> int:
    """How many times the engine has been traced (each trace is one compilation) in this process."""
    return _TRACES[0]


# ----------------------------------------------------------------------------------------------- the engine
# Reductions over the two coordinates are written out element by element: a reduce is its own kernel on CPU,
# and under vmap each one is a separate pass over all N configurations; elementwise ops fuse into one.
def _all(flags) -> jnp.ndarray:
    return functools.reduce(jnp.logical_and, flags, jnp.asarray(True))


def _finite(v) -> jnp.ndarray:
    if isinstance(v, tuple):
        return _all(jnp.isfinite(e) for e in v)
    v = jnp.asarray(v)
    if v.size > 8:
        return jnp.all(jnp.isfinite(v))
    return _all(jnp.isfinite(e) for e in v.reshape(-1))


def _coordinates(v):
    """The coordinates of a point or gradient, held either as a ``(2,)`` vector or as a tuple of two scalars."""
    return v if isinstance(v, tuple) else v.reshape(-1)


def _square_norm(v) -> jnp.ndarray:
    return sum(e * e for e in _coordinates(v))


def _norm(v) -> jnp.ndarray:
    return jnp.sqrt(_square_norm(v))


def _tree_finite(tree) -> jnp.ndarray:
    return _all(_finite(x) for x in jax.tree_util.tree_leaves(tree)
                if jnp.issubdtype(jnp.asarray(x).dtype, jnp.inexact))


def _make_tx(static: _Static, floats: dict, sched_floats: dict, n):
    """Build the optax transformation inside the trace; returns it and ``lr(t)`` for the record."""
    hp = dict(static.static_hps)
    hp.update(floats)
    if static.schedule is not None:
        steps = n if static.static_steps is None else static.static_steps
        params = dict(static.static_schedule)
        params.update(sched_floats)
        hp["learning_rate"] = static.schedule.factory(hp["learning_rate"], steps, **params)
    tx = optax.with_extra_args_support(static.spec.factory(**hp))
    lr = hp.get("learning_rate")
    if callable(lr):
        fast_lr = without_slow_pow(lr)
        lr_of = lambda t: jnp.asarray(fast_lr(t), jnp.float64)  # noqa: E731
    elif lr is not None:
        lr_of = lambda t: jnp.asarray(lr, jnp.float64) + 0.0 * t  # noqa: E731
    else:
        lr_of = lambda t: jnp.zeros((), jnp.float64) * t  # noqa: E731
    return tx, lr_of


def _simulate(static: _Static, bucket: int | None, layout: tuple, noisy: bool, shared, batched, noise, seed, n):
    """Run ``n`` steps.  With ``bucket``: every iterate, packed as a ``(bucket + 2, 6)`` table (row t: x, y, loss,
    ‖∇f‖ at x_t, then ‖x_t − x_{t−1}‖ and the learning rate of the step that led there; last row converged_at,
    diverged_at).  Without: the final row only, ``(6,)`` (x, y, loss, ‖∇f‖, converged_at, diverged_at) -- memory
    independent of the step count, for sweeps.

    The traced floats arrive packed in two vectors, ``shared`` and (inside vmap) ``batched``; ``layout`` says
    where each slot lives (see `_pack`).  A value shared by a whole batch stays unbatched, so the work that
    depends only on it (``b2 ** t`` in Adam, say) is done once per step, not once per configuration."""
    _TRACES[0] += 1
    slots = {key: (batched if in_batch else shared)[start:start + size] for key, in_batch, start, size in layout}
    floats = {k[1]: v[0] for k, v in slots.items() if k[0] == "hp"}
    sched_floats = {k[1]: v[0] for k, v in slots.items() if k[0] == "schedule"}
    x0, theta = slots[("x0",)], slots[("theta",)]
    if static.per_coordinate:  # x and y as two parameters: one array per coordinate in a batch
        params_of, vector_of = (lambda v: (v[0], v[1])), (lambda p: jnp.stack(p))
    else:
        params_of = vector_of = lambda v: v  # noqa: E731
    f_of = lambda p: static.fn(vector_of(p), theta)  # noqa: E731
    value_and_grad = jax.value_and_grad(f_of)
    hessian = jax.hessian(f_of) if "hessian" in static.spec.needs else None
    tx, lr_of = _make_tx(static, floats, sched_floats, n)

    def sane(x, f):
        # |v| <= BOUND is False for NaN and ±inf too, so this is also the finiteness test.
        return _all(jnp.abs(e) <= BOUND for e in x) & (jnp.abs(f) <= BOUND)

    p0 = params_of(x0)
    f0, g0 = value_and_grad(p0)
    g0_norm = _norm(g0)
    ok0 = sane(p0, f0) & _finite(g0)
    # The convergence test compares squared norms: no square roots in a sweep's step.
    gtol2 = jnp.square(GTOL * jnp.maximum(1.0, jnp.where(ok0, g0_norm, 1.0)))
    carry = dict(x=p0, f=f0, g=g0, state=tx.init(p0), converged_at=jnp.asarray(-1),
                 diverged_at=jnp.where(ok0, -1, 0))
    big = jnp.finfo(x0.dtype).max
    if bucket is not None:
        # One row per iterate t: x, y, f, ‖∇f‖, then ‖x_t − x_{t−1}‖ and the rate of step t − 1 (0 in row 0).
        # Only a start where f is already non-finite can put NaN/inf in a row (see the module docstring).
        row0 = jnp.nan_to_num(jnp.concatenate([x0, jnp.stack([f0, g0_norm, 0.0, 0.0])]), posinf=big, neginf=-big)
        carry["table"] = jnp.zeros((bucket + 2, 6), x0.dtype).at[0].set(row0)

    def perturbed(t, g):
        # Threefry costs more than the rest of a step, so σ = 0 is a program without it (``noisy`` is static).
        # Still g + σ·0, not g: the sum turns a -0.0 gradient component into +0.0, which some rules can tell.
        if not noisy:
            return jax.tree.map(lambda gi: gi + noise * 0.0, g)
        xi = params_of(jax.random.normal(jax.random.fold_in(jax.random.key(seed), t), x0.shape, x0.dtype))
        return jax.tree.map(lambda gi, xii: gi + noise * xii, g, xi)

    @without_slow_pow  # see fast_pow: Adam's β^t, schedules' powers
    def update(g, state, x, value, *hess):
        extra = dict(value=value, grad=g, value_fn=f_of, **({"hessian": hess[0]} if hess else {}))
        return tx.update(g, state, x, **extra)

    def body(t, c):
        xt, ft, gt, converged_at, diverged_at = (c[k] for k in ("x", "f", "g", "converged_at", "diverged_at"))
        noisy_g = perturbed(t, gt)
        updates, state = update(noisy_g, c["state"], xt, ft, *([hessian(xt)] if hessian is not None else []))
        x1 = optax.apply_updates(xt, updates)
        f1, g1 = value_and_grad(x1)
        # A finite, bounded x1 = x_t + u_t implies a finite update u_t, so only g and the state are checked too.
        ok = (diverged_at < 0) & sane(x1, f1) & _finite(g1) & _tree_finite(state)
        # Freezing x (not the state) is enough: once diverged_at is set, ok stays False and x stays put.
        x = jax.tree.map(lambda new, old: jnp.where(ok, new, old), x1, xt)
        step2 = _square_norm(jax.tree.map(jnp.subtract, x, xt))
        # x_t is a fixed point of the run: its gradient is ~0 and the optimizer does not move away from it.
        still = (_square_norm(gt) <= gtol2) & (step2 <= XTOL**2 * jnp.maximum(1.0, _square_norm(xt)))
        f, g = jnp.where(ok, f1, ft), jax.tree.map(lambda new, old: jnp.where(ok, new, old), g1, gt)
        out = dict(x=x, f=f, g=g, state=state,
                   converged_at=jnp.where(ok & still & (converged_at < 0), t, converged_at),
                   diverged_at=jnp.where((diverged_at < 0) & ~ok, t + 1, diverged_at))
        if bucket is not None:
            # dynamic_update_index_in_dim, not .at[].set: a scatter would split the loop body into many kernels.
            row = jnp.concatenate([vector_of(x), jnp.stack([f, _norm(g), jnp.sqrt(step2), lr_of(t)])])
            row = jnp.nan_to_num(row, posinf=big, neginf=-big)  # a non-finite start repeats itself
            out["table"] = jax.lax.dynamic_update_index_in_dim(c["table"], row, t + 1, 0)
        return out

    c = jax.lax.fori_loop(0, n, body, carry)
    events = jnp.stack([c["converged_at"], c["diverged_at"]]).astype(x0.dtype)
    if bucket is None:
        last = jnp.concatenate([vector_of(c["x"]), jnp.stack([c["f"], _norm(c["g"])]), events])
        return jnp.nan_to_num(last, posinf=big, neginf=-big)
    return c["table"].at[-1, :2].set(events)


def _compiled(static: _Static, *key):
    """The compiled runner for a static key, from one of two LRUs (jax keeps the executables they hold):
    runners of surfaces that serve every built-in (`landscapes.family`, marked ``serves_all_builtins``) are few
    and shared by every visitor, so a storm of typed surfaces, each with runners of its own, must not evict
    them."""
    return _programs_for(static)(static, *key)


def _programs_for(static: _Static) -> "_Programs":
    return _compiled_for_builtins if getattr(static.fn, "serves_all_builtins", False) else _compiled_for_others


def _build(static: _Static, mode: str, bucket: int | None, layout: tuple, noisy: bool, axes: tuple = (),
           devices: tuple = (), chunk: int = 0):
    """One jitted function per static key.

    ``noisy`` is False when σ = 0 for the whole call: that program draws no random numbers.  ``axes`` are the
    vmap axes of ``(batched, noise, seed)`` for batched modes.  A `sweep` runs, on each device, its share of the
    configurations ``chunk`` at a time (``lax.map`` over chunks of a vmapped run): a chunk's loop state stays in
    the L1 cache, where a whole share would stream every array through memory at every step.  Each
    configuration's formula is the same whatever the chunk, and within one program its result does not depend on
    its place in the batch or on the padding.  The programs compiled for different device counts may round an ulp
    apart (XLA:CPU contracts ``a·b + c`` into fused multiply-adds as its fusion decisions allow, and those
    depend on the program): results agree to a few ulp, statuses and event steps exactly (tests/test_run.py);
    the Lab's phase diagram is identical bit for bit (benchmarks/lab.py).

    `run` and `run_many` compile with `_FAST_COMPILE`: a visitor waits for their compile (a new page, surface or
    optimizer), while their run is well under a millisecond either way.  A `sweep` keeps XLA's defaults: thousands
    of configurations make its run, not its compile, the cost.
    """
    fun = functools.partial(_simulate, static, bucket, layout, noisy)
    if mode == "one":
        return jax.jit(fun, compiler_options=_FAST_COMPILE)
    batched = jax.vmap(fun, in_axes=(None,) + axes + (None,))
    if mode == "many":
        return jax.jit(batched, compiler_options=_FAST_COMPILE)
    if mode == "grid":  # run_grid: a batch that is run again at every rerun, so its run is what counts
        return jax.jit(batched)

    def share(shared, *rest):
        *per_config, n = rest
        chunked = [a.reshape(a.shape[0] // chunk, chunk, *a.shape[1:]) for a, ax in zip(per_config, axes)
                   if ax is not None]

        def one_chunk(parts):
            parts = iter(parts)
            return batched(shared, *(a if ax is None else next(parts) for a, ax in zip(per_config, axes)), n)

        rows = jax.lax.map(one_chunk, chunked)
        return rows.reshape(-1, rows.shape[-1])

    mesh = Mesh(np.asarray(devices), ("config",))
    specs = (PartitionSpec(),) + tuple(PartitionSpec() if a is None else PartitionSpec("config") for a in axes)
    return jax.jit(jax.shard_map(share, mesh=mesh, in_specs=specs + (PartitionSpec(),),
                                 out_specs=PartitionSpec("config"), check_vma=False))


class _Programs:
    """A bounded LRU of jitted runners by static key, like ``functools.lru_cache(_build)``, that can also say
    whether a key's program is compiled (`compiled`): the page shows progress instead of a blank wait."""

    def __init__(self, maxsize: int):
        self.maxsize = maxsize
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        # Per instance, as functools' are: scans for "every cache_clear in the module" find the LRUs, not the class.
        self.cache_clear, self.cache_info = self._clear, self._info

    def __call__(self, *key):
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        runner = _build(*key)  # cheap: jax.jit compiles at the first call
        with self._lock:
            runner = self._entries.setdefault(key, runner)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)
        return runner

    def ready(self, *key) -> bool:
        """The program for ``key`` is held and compiled (its jit cache has an entry)."""
        with self._lock:
            runner = self._entries.get(key)
        return runner is not None and runner._cache_size() > 0

    def _clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def _info(self) -> functools._CacheInfo:
        """As ``functools.lru_cache`` reports it (hits and misses are not counted)."""
        return functools._CacheInfo(0, 0, self.maxsize, len(self._entries))

    def __len__(self) -> int:
        return len(self._entries)


_FAST_COMPILE = fast_compile()
_compiled_for_builtins = _Programs(maxsize=64)  # ~10 MB each: all 16 surfaces' code
_compiled_for_others = _Programs(maxsize=32)  # ~3.5 MB each: 4 typed surfaces x 8 optimizers


def _pack(slots: dict[tuple, np.ndarray], n: int | None):
    """Pack named float slots into ``(shared, batched, layout)``.

    ``layout`` is a tuple of ``(key, in_batch, start, size)``.  With ``n`` None everything is shared; otherwise
    a slot whose array has a leading batch axis (ndim 1 for a scalar slot, 2 for a vector slot) goes to the
    ``(n, K)`` batched matrix."""
    shared, batched, layout, s_at, b_at = [], [], [], 0, 0
    for key, value in slots.items():
        value = np.asarray(value, np.float64)
        vector = key[0] in ("x0", "theta")
        in_batch = n is not None and value.ndim == (2 if vector else 1)
        size = value.shape[-1] if vector else 1
        if in_batch:
            batched.append(np.broadcast_to(value.reshape(value.shape[0], -1), (n, size)))
            layout.append((key, True, b_at, size))
            b_at += size
        else:
            shared.append(value.reshape(size))
            layout.append((key, False, s_at, size))
            s_at += size
    shared = np.concatenate(shared) if shared else np.zeros(0)
    batched = np.concatenate(batched, axis=1) if batched else np.zeros((n or 0, 0))
    return shared, batched, tuple(layout)


# ------------------------------------------------------------------------------------------ Python side
def _spec(name) -> OptimizerSpec:
    return name if isinstance(name, OptimizerSpec) else _catalog.get(name)


def _split(owner: str, declared, given: Mapping[str, Any]) -> tuple[dict, tuple]:
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


def _schedule_spec(schedule):
    from . import schedules as _schedules  # imported late: only runs that use a schedule need it

    return _schedules.get(schedule)


_NEEDS_STATIC_STEPS: set[str] = set()  # schedules whose factory needs concrete Python numbers
_TRACE_ERRORS = (jax.errors.ConcretizationTypeError, jax.errors.TracerBoolConversionError,
                 jax.errors.TracerIntegerConversionError)


class _Prepared(NamedTuple):
    static: _Static
    floats: dict  # ("hp" | "schedule", name) -> float64 array (scalar or (N,))
    steps: int


def _prepare(landscape, name, steps, schedule, schedule_params, hyperparams) -> _Prepared:
    """Validate and split the arguments into the static key and the traced floats; cap ``steps``."""
    spec = _spec(name)
    steps = int(steps)
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    steps = min(steps, MAX_STEPS)
    floats, static_hps = _split(f"optimizer {spec.name!r}", spec.hyperparams, hyperparams)
    sched, sched_floats, static_sched = None, {}, ()
    if schedule is not None:
        if not spec.takes_schedule:
            raise ValueError(f"optimizer {spec.name!r} takes no learning-rate schedule")
        sched = _schedule_spec(schedule)
        sched_floats, static_sched = _split(f"schedule {schedule!r}", sched.hyperparams, schedule_params or {})
    elif schedule_params:
        raise ValueError("schedule_params given without a schedule")
    static_steps = None
    if sched is not None and sched.name in _NEEDS_STATIC_STEPS:
        static_sched += tuple((k, float(v)) for k, v in sched_floats.items())
        sched_floats, static_steps = {}, steps
    per_coordinate = spec.per_coordinate
    static = _Static(landscape.fn, spec, static_hps, sched, static_sched, static_steps, per_coordinate)
    slots = {**{("hp", k): v for k, v in floats.items()}, **{("schedule", k): v for k, v in sched_floats.items()}}
    return _Prepared(static, slots, steps)


class _Retry(Exception):
    """The schedule needs concrete numbers: rebuild the static key and call again."""


def _call(static: _Static, args, *key):
    """Call the compiled runner; a schedule that cannot take a traced step count is retried with a static one."""
    try:
        return _compiled(static, *key)(*args)
    except _TRACE_ERRORS:
        if static.schedule is None or static.static_steps is not None:
            raise
        _NEEDS_STATIC_STEPS.add(static.schedule.name)
        raise _Retry from None


def _bucket(steps: int) -> int:
    return next(b for b in BUCKETS if b >= steps)


def _theta(landscape) -> np.ndarray:
    return np.asarray([v for _, v in landscape.params], np.float64).reshape(-1)


def _start(landscape, start) -> np.ndarray:
    x0 = np.asarray(landscape.start if start is None else start, np.float64)
    if x0.shape[-1:] != (2,) or x0.ndim > 2 or not np.all(np.isfinite(x0)):
        raise ValueError(f"start must be a finite (x, y) point or (N, 2) points, got {start!r}")
    return x0


def _status(converged_at, diverged_at):
    code = np.where(diverged_at >= 0, _DIVERGED, np.where(converged_at >= 0, _CONVERGED, _MAX_STEPS))
    return code, _STATUS_NAMES[code]


def _with_retry(make_call):
    try:
        return make_call()
    except _Retry:
        return make_call()


def _trajectory(table: np.ndarray, steps: int) -> Trajectory:
    """Unpack the ``(..., bucket + 2, 6)`` table(s) into a `Trajectory` of ``steps`` steps (see `_simulate`)."""
    rows, events = table[..., : steps + 1, :], table[..., -1, :2].astype(np.int64)
    conv, div = events[..., 0], events[..., 1]
    _, status = _status(conv, div)
    if table.ndim == 2:
        status, conv, div = str(status), int(conv), int(div)
    return Trajectory(xy=rows[..., :2], loss=rows[..., 2], grad_norm=rows[..., 3], update_norm=rows[..., 1:, 4],
                      learning_rate=rows[..., 1:, 5], status=status, converged_at=conv, diverged_at=div)


def run(landscape, name, start=None, steps: int = 200, schedule: str | None = None, noise: float = 0.0,
        seed: int = 0, schedule_params: Mapping[str, Any] | None = None, **hyperparams) -> Trajectory:
    """Run optimizer ``name`` (a registry name or an `OptimizerSpec`) on ``landscape`` for ``steps`` steps.

    ``hyperparams`` override the spec's defaults (unknown names raise ``ValueError``); ``schedule`` names an
    `optimizers.schedules` entry that replaces the constant learning rate; ``noise`` is σ of the Gaussian gradient
    noise, reproducible for a ``seed``.  Returns a `Trajectory` of NumPy arrays with a Python ``status``.
    """
    x0, theta = _start(landscape, start), _theta(landscape)
    if x0.ndim != 1:
        raise ValueError("run takes one start; use run_many for a batch")

    def call():
        p = _prepare(landscape, name, steps, schedule, schedule_params, hyperparams)
        arrays = [k[1] for k, v in p.floats.items() if np.ndim(v)]
        if arrays:
            raise ValueError(f"run takes one value per hyperparameter ({', '.join(arrays)}); use run_many or sweep")
        shared, batched, layout = _pack({**p.floats, ("x0",): x0, ("theta",): theta}, None)
        args = (shared, batched, np.float64(noise), np.int64(seed), np.int32(p.steps))
        return np.asarray(_call(p.static, args, "one", _bucket(p.steps), layout, _noisy(noise))), p.steps

    table, steps_ = _with_retry(call)
    return _trajectory(table, steps_)


def compiled(landscape, name, steps: int = 200, schedule: str | None = None, noise: float = 0.0,
             schedule_params: Mapping[str, Any] | None = None, **hyperparams) -> bool:
    """Whether `run` with these arguments would start at once, its program already compiled in this process.

    Only structure decides (surface function, optimizer, its switches, step bucket, schedule, σ = 0 or not): a
    slider move never changes the answer.  Arguments `run` would refuse count as ready (it fails at once)."""
    try:
        p = _prepare(landscape, name, steps, schedule, schedule_params, hyperparams)
        _, _, layout = _pack({**p.floats, ("x0",): _start(landscape, None), ("theta",): _theta(landscape)}, None)
    except ValueError:
        return True
    return _programs_for(p.static).ready(p.static, "one", _bucket(p.steps), layout, _noisy(noise))


def _batch(landscape, floats: dict, starts, noise, seed):
    """Split the traced inputs of a batch of size ``N``: ``(N, (shared, batched, noise, seed), layout, axes)``.

    Scalars (and a single start) are shared by the batch; ``(N,)`` arrays (and ``(N, 2)`` starts) are batched;
    ``axes`` are the vmap axes of ``(batched, noise, seed)``."""
    x0 = _start(landscape, starts)
    noise, seed = np.asarray(noise, np.float64), np.asarray(seed, np.int64)
    parts = {"start": x0[..., 0], "noise": noise, "seed": seed,
             **{f"{k[0]} parameter {k[1]!r}": np.asarray(v) for k, v in floats.items()}}
    for what, v in parts.items():
        if v.ndim > 1:
            raise ValueError(f"{what} must be a scalar or a 1-D batch, got shape {v.shape}")
    sizes = {v.shape[0] for v in parts.values() if v.ndim == 1}
    if len(sizes) > 1:
        raise ValueError(f"batch sizes differ: {', '.join(f'{k} {v.shape}' for k, v in parts.items() if v.ndim)}")
    n = sizes.pop() if sizes else 1
    shared, batched, layout = _pack({**floats, ("x0",): x0, ("theta",): _theta(landscape)}, n)
    return n, (shared, batched, noise, seed), layout, (0, 0 if noise.ndim else None, 0 if seed.ndim else None)


def run_many(landscape, name, starts=None, steps: int = 200, schedule: str | None = None, noise=0.0, seed=0,
             schedule_params: Mapping[str, Any] | None = None, **hyperparams) -> Trajectory:
    """`run` over a batch in one compiled call: ``starts (N, 2)``, and any hyperparameter, schedule parameter,
    ``noise`` or ``seed`` given as an ``(N,)`` array (scalars are shared).  Every field gets a leading ``N``
    axis; ``status`` is an ``(N,)`` array of strings."""
    return _run_batch("many", landscape, name, starts, steps, schedule, noise, seed, schedule_params, hyperparams)


def _run_batch(mode, landscape, name, starts, steps, schedule, noise, seed, schedule_params, hyperparams):
    """`run_many`'s body; ``mode`` picks the program ("many": fast compile, "grid": XLA's defaults)."""

    def call():
        p = _prepare(landscape, name, steps, schedule, schedule_params, hyperparams)
        _, args, layout, axes = _batch(landscape, p.floats, starts, noise, seed)
        key = (mode, _bucket(p.steps), layout, _noisy(noise), axes)
        table = _call(p.static, args + (np.int32(p.steps),), *key)
        return np.asarray(table), p.steps

    table, steps_ = _with_retry(call)
    return _trajectory(table, steps_)


def run_grid(landscape, name, start=None, steps: int = 200, axis: tuple[str, Any] = ("learning_rate", ()),
             schedule: str | None = None, noise: float = 0.0, seed: int = 0,
             schedule_params: Mapping[str, Any] | None = None, **hyperparams) -> "TrajectoryGrid":
    """`run` for every value of one hyperparameter, in one compiled call: one `Trajectory` per value.

    ``axis = (name, values)``: a float hyperparameter of the optimizer, a float parameter of the schedule, or
    ``"noise"`` (σ); the other arguments are shared by all the runs, as in `run`.  The program depends only on the
    structure (`compiled`) and on ``len(values)``: new values, a new start or other hyperparameters reuse it.
    ``run_grid(..., axis=(k, vs))[i]`` equals ``run(..., k=vs[i])`` (the same arithmetic, batched with `vmap`).
    """
    axis_name, values = axis
    values = np.asarray(values, np.float64).reshape(-1)
    if values.size == 0:
        raise ValueError("run_grid needs at least one value on its axis")
    x0 = _start(landscape, start)
    if x0.ndim != 1:
        raise ValueError("run_grid takes one start; use run_many for a batch of starts")
    spec = _spec(name)
    schedule_params = dict(schedule_params or {})
    if axis_name in hyperparams or axis_name in schedule_params or (axis_name == "noise" and noise != 0.0):
        raise ValueError(f"{axis_name!r} is the grid's axis: give its values in axis, not as a keyword")
    if axis_name == "noise":
        noise = values
    elif any(h.name == axis_name and h.kind == "float" for h in spec.hyperparams):
        hyperparams = {**hyperparams, axis_name: values}
    elif schedule is not None and any(h.name == axis_name for h in _schedule_spec(schedule).hyperparams):
        schedule_params = {**schedule_params, axis_name: values}
    else:
        floats = [h.name for h in spec.hyperparams if h.kind == "float"]
        raise ValueError(f"{axis_name!r} is not a float hyperparameter of {spec.name!r} (it has "
                         f"{', '.join(map(repr, floats)) or 'none'}), nor 'noise' or a schedule parameter")
    batch = _run_batch("grid", landscape, spec, np.broadcast_to(x0, (values.size, 2)), steps, schedule, noise, seed,
                       schedule_params or None, hyperparams)
    return TrajectoryGrid(batch)


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


def _noisy(noise) -> bool:
    return bool(np.any(np.asarray(noise) != 0))


def _chunking(n: int, devices: int) -> tuple[int, int]:
    """``(chunk, padded n)``: each device runs ``ceil(n / devices)`` configurations in equal chunks of at most
    `CHUNK`, so padding is under one chunk per device."""
    share = -(-n // devices)
    if share == 0:
        return 1, 0
    chunk = -(-share // -(-share // CHUNK))
    return chunk, devices * chunk * -(-share // chunk)


def _sweep_on_devices(landscape, name, configs, starts, steps, schedule, noise, seed, schedule_params):
    """The sharded call behind `sweep`: ``(N', 6)`` rows for ``N' ≥ N`` (padded to equal chunks on every
    device; a jax.Array laid out over every device), and ``N``."""
    devices = tuple(jax.devices())

    def call():
        p = _prepare(landscape, name, steps, schedule, schedule_params, dict(configs or {}))
        n, (shared, *rest), layout, axes = _batch(landscape, p.floats, starts, noise, seed)
        chunk, padded = _chunking(n, len(devices))
        # Padding repeats the last configuration; its rows are dropped again by the caller.
        rest = tuple(a if ax is None else np.concatenate([a, np.repeat(a[-1:], padded - n, axis=0)])
                     for a, ax in zip(rest, axes))
        key = ("sweep", None, layout, _noisy(noise), axes, devices, chunk)
        return _call(p.static, (shared, *rest, np.int32(p.steps)), *key), n

    return _with_retry(call)


def sweep(landscape, name, configs: Mapping[str, Any] | None = None, start=None, steps: int = 500,
          schedule: str | None = None, noise=0.0, seed=0, schedule_params: Mapping[str, Any] | None = None,
          **hyperparams) -> SweepResult:
    """Evaluate thousands of configurations in one call and report only where each ended.

    ``configs`` maps hyperparameter names to ``(N,)`` arrays (or scalars); further ``hyperparams`` are shared
    by all; ``start`` is one point or ``(N, 2)`` starts (basins of attraction); ``noise``/``seed`` and schedule
    parameters may be ``(N,)`` too.  The configuration axis is padded to a
    multiple of ``len(jax.devices())`` and sharded over all of them (`jax.sharding.NamedSharding`), so the same
    call uses every GPU/TPU it is given.  Memory is independent of ``steps`` (no paths are kept).
    """
    both = set(configs or {}) & set(hyperparams)
    if both:
        raise ValueError(f"{', '.join(map(repr, sorted(both)))} given both in configs and as a keyword")
    configs = {**(configs or {}), **hyperparams}
    rows, n = _sweep_on_devices(landscape, name, configs, start, steps, schedule, noise, seed, schedule_params)
    rows = np.asarray(rows)[:n]
    conv, div = rows[:, 4].astype(np.int64), rows[:, 5].astype(np.int64)
    code, status = _status(conv, div)
    return SweepResult(xy=rows[:, :2], loss=rows[:, 2], grad_norm=rows[:, 3], status=status, code=code,
                       converged_at=conv, diverged_at=div)


def run_all(landscape, names, start=None, steps: int = 200, hyperparams_by_name: Mapping[str, Mapping] | None = None,
            schedule: str | None = None, noise: float = 0.0, seed: int = 0,
            schedule_params: Mapping[str, Any] | None = None) -> dict[str, Trajectory]:
    """`run` each optimizer in ``names`` from the same start: ``{name: Trajectory}``.

    ``hyperparams_by_name[name]`` overrides that optimizer's defaults.  The schedule applies to the optimizers
    that accept one (a float learning rate that scales every step); the others run without it.
    """
    hyperparams_by_name = hyperparams_by_name or {}
    result = {}
    for name in names:
        spec = _spec(name)
        sched = schedule if schedule_applies(spec, schedule) else None
        result[spec.name] = run(landscape, spec, start=start, steps=steps, schedule=sched, noise=noise, seed=seed,
                                schedule_params=schedule_params if sched else None,
                                **dict(hyperparams_by_name.get(spec.name, {})))
    return result
