r"""The loop of one optimizer run on a 2-D surface, as traced inside the engine's compiled programs.

For ``t = 0 … T−1``

    g̃_t = ∇f(x_t) + σ ξ_t,   ξ_t ~ N(0, I),  key = fold_in(PRNGKey(seed), t)      (gradient noise, seeds 000/001)
    u_t, s_{t+1} = tx.update(g̃_t, s_t, x_t, value=f(x_t), grad=g̃_t, value_fn=f [, hessian=∇²f(x_t)])
    x_{t+1} = x_t + u_t

with ``tx = spec.factory(**hyperparams)`` an optax ``GradientTransformation`` (Hessian only when the spec needs it),
run by ``lax.fori_loop``.  The divergence and convergence tests are `optimizers.stopping`'s.  A diverged run freezes
at its last sane iterate (every later row repeats it, with update norm 0); nothing non-finite is returned, except
that a start where ``f`` or ``∇f`` is already non-finite reports ``diverged_at = 0`` with its loss and gradient norm
clipped to the float64 range.

``learning_rate[t]`` is the rate used by step ``t``: ``schedule(t)`` when a schedule is given (optax counts updates
from 0), the constant otherwise, and 0 for rules without a ``learning_rate`` hyperparameter (a placeholder, never
NaN).

Rules that act on each coordinate on their own (`OptimizerSpec.per_coordinate`: SGD, momentum, Adam, ...) get x and
y as two scalar parameters rather than one ``(2,)`` vector: the same arithmetic, but a batch then holds one array per
coordinate (x of every configuration side by side, then y) instead of interleaved ``(N, 2)`` rows, which XLA:CPU
vectorises better; about 1.35x faster per sweep step here.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import optax

from . import stopping
from .base import OptimizerSpec
from .fast_pow import without_slow_pow

COLUMNS = 6
"""A recorded row: x, y, loss, ‖∇f‖, then ‖x_t − x_{t−1}‖ and the learning rate of the step that led there."""


class Static(NamedTuple):
    """The compile-time part of a run: everything here is a cache key, nothing here is a slider."""

    fn: Any  # the surface family fn(xy, theta), or a network's `landscapes.network.Net`
    spec: OptimizerSpec
    static_hps: tuple  # the bool/int hyperparameters, ((name, value), ...)
    schedule: Any  # a schedules.ScheduleSpec or None
    static_schedule: tuple  # schedule parameters that are part of the program (see `static_steps`)
    static_steps: int | None  # the step count, for schedules whose factory needs Python numbers
    per_coordinate: bool = False  # x and y as two parameters (see the module docstring)


_TRACES = [0]


def trace_count() -> int:
    """How many times a surface run has been traced (each trace is one compilation) in this process."""
    return _TRACES[0]


def make_tx(static: Static, floats: dict, sched_floats: dict, n):
    """Build the optax transformation inside the trace; returns it and ``lr(t)``, the rate step ``t`` uses."""
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


def _coordinates(v):
    """The coordinates of a point or gradient, held either as a ``(2,)`` vector or as a tuple of two scalars."""
    return v if isinstance(v, tuple) else v.reshape(-1)


def _square_norm(v) -> jnp.ndarray:
    return sum(e * e for e in _coordinates(v))


def _norm(v) -> jnp.ndarray:
    return jnp.sqrt(_square_norm(v))


def simulate(static: Static, bucket: int | None, layout: tuple, noisy: bool, shared, batched, noise, seed, n):
    """Run ``n`` steps.  With ``bucket``: every iterate, packed as a ``(bucket + 2, COLUMNS)`` table (row t: see
    `COLUMNS`; last row converged_at, diverged_at).  Without: the final row only, ``(6,)`` (x, y, loss, ‖∇f‖,
    converged_at, diverged_at) -- memory independent of the step count, for sweeps.

    The traced floats arrive packed in two vectors, ``shared`` and (inside vmap) ``batched``; ``layout`` says
    where each slot lives (`optimizers.packing.pack`).  A value shared by a whole batch stays unbatched, so the work
    that depends only on it (``b2 ** t`` in Adam, say) is done once per step, not once per configuration."""
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
    tx, lr_of = make_tx(static, floats, sched_floats, n)

    p0 = params_of(x0)
    f0, g0 = value_and_grad(p0)
    g0_norm = _norm(g0)
    ok0 = stopping.within_bound(p0, f0) & stopping.finite(g0)
    gtol2 = stopping.gradient_tolerance2(g0_norm, ok0)
    carry = dict(x=p0, f=f0, g=g0, state=tx.init(p0), converged_at=jnp.asarray(-1),
                 diverged_at=jnp.where(ok0, -1, 0))
    big = jnp.finfo(x0.dtype).max
    if bucket is not None:
        # Only a start where f is already non-finite can put NaN/inf in a row (see the module docstring).
        row0 = jnp.nan_to_num(jnp.concatenate([x0, jnp.stack([f0, g0_norm, 0.0, 0.0])]), posinf=big, neginf=-big)
        carry["table"] = jnp.zeros((bucket + 2, COLUMNS), x0.dtype).at[0].set(row0)

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
        ok = ((diverged_at < 0) & stopping.within_bound(x1, f1) & stopping.finite(g1)
              & stopping.tree_finite(state))
        # Freezing x (not the state) is enough: once diverged_at is set, ok stays False and x stays put.
        x = jax.tree.map(lambda new, old: jnp.where(ok, new, old), x1, xt)
        step2 = _square_norm(jax.tree.map(jnp.subtract, x, xt))
        still = stopping.still(_square_norm(gt), gtol2, step2, _square_norm(xt))
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
