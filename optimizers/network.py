r"""Training a small network (`landscapes.network`: the model and its loss) with any optimizer of the registry.

`solve` is what `optimizers.solve` runs when its problem is a `landscapes.network.Problem`: one compiled
``lax.scan`` over the steps, full-batch or on sampled mini-batches, returning the same `optimizers.Result` as a run
on a surface (``params (T+1, n)``: θ₀ … θ_T).  Step ``t`` draws a mini-batch of ``batch_size`` distinct training
points from a permutation seeded by ``(seed, t)`` and steps on that batch's gradient (``batch_loss[t]`` is the loss
it saw); ``loss`` and ``grad_norm`` are the full-batch values at each θ_t.  The divergence and convergence tests and
the status codes are `optimizers.stopping`'s, as for every run.

The float hyperparameters, θ₀, the seed and the data are traced (a new learning rate or data set of the same shape
never recompiles); the switches (``bool``/``int``), the schedule's name, the step count and the batch size are part
of the program.  `train` (``optimizers.train_network``) is the wrapper with the historical argument order.
"""

from __future__ import annotations

import functools
from typing import Any, Mapping

import jax
import jax.numpy as jnp
import numpy as np
import optax

from landscapes import network

from . import stopping
from .catalog import get
from .kernel import Static, make_tx
from .solver import DEFAULT_STEPS, Result, check_steps, merge, prepare

STEP_SIZES = ("learning_rate", "max_learning_rate")


def step_size_name(name: str) -> str | None:
    """The name of rule ``name``'s step-size hyperparameter (``learning_rate``, Polyak's ``max_learning_rate``),
    or None when it has none."""
    return next((h.name for h in get(name).hyperparams if h.name in STEP_SIZES), None)


@functools.partial(jax.jit, static_argnames=("static", "steps", "batch_size"))
def _train(static: Static, floats, sched_floats, theta0, steps, batch_size, seed, X, y):
    net = static.fn
    loss_of = network.objective(net)
    grad_full = jax.value_and_grad(lambda p: loss_of(p, X, y))
    tx, lr_of = make_tx(static, floats, sched_floats, steps)
    tx_needs_hessian = "hessian" in static.spec.needs
    N = X.shape[0]
    key = jax.random.key(seed)
    full = batch_size >= N
    f0, g0 = grad_full(theta0)
    g0_norm = jnp.linalg.norm(g0)
    ok0 = stopping.within_bound(theta0, f0) & stopping.finite(g0)
    gtol2 = stopping.gradient_tolerance2(g0_norm, ok0)

    def body(c, t):
        theta, state, f, g, converged_at, diverged_at = c  # f, g: the full-batch loss and gradient at theta
        if full:  # the step's gradient is the one already known at theta: one gradient per step, not two
            value_fn = lambda p: loss_of(p, X, y)  # noqa: E731
            value, gb = f, g
        else:
            index = jax.random.permutation(jax.random.fold_in(key, t), N)[:batch_size]
            value_fn = lambda p: loss_of(p, X[index], y[index])  # noqa: E731
            value, gb = jax.value_and_grad(value_fn)(theta)
        extra = dict(value=value, grad=gb, value_fn=value_fn)
        if tx_needs_hessian:
            extra["hessian"] = jax.hessian(value_fn)(theta)
        updates, new_state = tx.update(gb, state, theta, **extra)
        new = optax.apply_updates(theta, updates)
        f1, g1 = grad_full(new)
        ok = ((diverged_at < 0) & stopping.within_bound(new, f1) & stopping.finite(g1)
              & stopping.tree_finite(new_state))
        keep = lambda a, b: jax.tree.map(lambda u, v: jnp.where(ok, u, v), a, b)  # noqa: E731
        theta1, state1, f1, g1 = keep((new, new_state, f1, g1), (theta, state, f, g))
        step2 = jnp.sum(jnp.square(theta1 - theta))
        still = stopping.still(jnp.sum(g * g), gtol2, step2, jnp.sum(theta * theta))
        converged_at = jnp.where(ok & still & (converged_at < 0), t, converged_at)
        diverged_at = jnp.where((diverged_at < 0) & ~ok, t + 1, diverged_at)
        record = (theta1, f1, jnp.linalg.norm(g1), value, jnp.sqrt(step2), lr_of(t))
        return (theta1, state1, f1, g1, converged_at, diverged_at), record

    carry = (theta0, tx.init(theta0), f0, g0, jnp.asarray(-1), jnp.where(ok0, -1, 0))
    (*_, converged_at, diverged_at), (path, loss, gnorm, seen, moved, rate) = jax.lax.scan(
        body, carry, jnp.arange(steps))
    return (jnp.concatenate([theta0[None], path]), jnp.concatenate([f0[None], loss]),
            jnp.concatenate([g0_norm[None], gnorm]), moved, rate, seen, converged_at, diverged_at)


def solve(problem: network.Problem, optimizer, theta0, steps: int = DEFAULT_STEPS, *,
          hyperparams: Mapping[str, Any] | None = None, schedule: str | None = None,
          schedule_params: Mapping[str, Any] | None = None, noise=0.0, seed: int = 0, record: str = "path",
          batch_size: int | None = None) -> Result:
    """Train ``problem``'s network from ``theta0`` (the flat parameter vector) with ``optimizer`` for ``steps``
    steps on mini-batches of ``batch_size`` points (None: the full batch), batches drawn from ``seed``.  See the
    module docstring; `optimizers.solve` documents the other arguments (one run: no batch axes; no noise)."""
    if theta0 is None:
        raise ValueError("a network's training needs θ₀: e.g. landscapes.network.initial(problem, seed)")
    if np.ndim(noise) or float(noise) != 0.0:
        raise ValueError("gradient noise is for surfaces; a network's mini-batches are its noise")
    steps = check_steps(steps)
    p = prepare(problem.net, optimizer, steps, schedule, schedule_params, dict(hyperparams or {}))
    floats = {k[1]: v for k, v in p.floats.items() if k[0] == "hp"}
    sched_floats = {k[1]: v for k, v in p.floats.items() if k[0] == "schedule"}
    if any(np.ndim(v) for v in (*floats.values(), *sched_floats.values(), seed)):
        raise ValueError("a network's training takes one value per hyperparameter: no batch of runs")
    X, y = network.data(problem)
    n = X.shape[0]
    batch = n if batch_size is None else max(1, min(int(batch_size), n))
    theta0 = jnp.asarray(theta0, jnp.float64).reshape(-1)
    if theta0.size != problem.n_params:
        raise ValueError(f"θ₀ has {theta0.size} entries; this network has {problem.n_params}")
    out = _train(p.static._replace(per_coordinate=False), floats, sched_floats, theta0, steps, batch,
                 jnp.asarray(seed, jnp.uint32), X, y)
    path, loss, gnorm, moved, rate, seen, conv, div = (np.asarray(a) for a in out)
    conv, div = conv.astype(np.int64), div.astype(np.int64)
    result = Result(params=path, loss=loss, grad_norm=gnorm, update_norm=moved, learning_rate=rate,
                    batch_loss=seen, status=stopping.status_codes(conv, div), converged_at=conv, diverged_at=div)
    if record == "final":
        return Result(path[-1], loss[-1], gnorm[-1], None, None, None, result.status, conv, div)
    return result


def train(problem: network.Problem, name: str, theta0, steps: int = DEFAULT_STEPS, batch_size: int | None = None,
          seed: int = 0, hyperparams: Mapping[str, Any] | None = None, **more) -> Result:
    """``optimizers.train_network``: `solve` on ``problem`` with optimizer ``name`` (its defaults, then
    ``hyperparams`` and ``more``, the same as keywords) from ``theta0``.  Returns the `optimizers.Result` of the
    whole parameter path."""
    return solve(problem, name, theta0, steps, hyperparams=merge(hyperparams, more), batch_size=batch_size,
                 seed=seed)
