"""Floating-point powers ``x ** y`` the way XLA:CPU computes them fast, for the optimizers' update rules.

Why.  Adam-family rules correct their moments by ``1 − β^t`` (optax's ``tree_bias_correction`` computes
``decay ** count`` at every step), and optax's schedules raise numbers to powers too.  XLA:CPU lowers a float64
``power`` to a scalar libm call: about 17 ns an element here, where ``exp`` and ``log`` are vectorised
polynomials at about 2 ns together.  In a `sweep` over β₁ that one power is more than half of the whole step
(``benchmarks/engine.py``: 10,000 Adam configurations × 500 steps).

What.  `without_slow_pow(fun)` returns ``fun`` with every ``lax.pow`` in its traced program (including inside
inlined ``jit`` calls) evaluated by `fast_pow` instead:

    x ** y = exp(y · ln x)                        x > 0
           = ±exp(y · ln|x|)                      x < 0 and y an integer (− when y is odd), NaN otherwise
           = 1 when y = 0 or x = 1;  0 or ∞ at x = 0 (y > 0 or y < 0), as C99's pow.

The relative error is a few ulp times ``1 + |y · ln x|`` (the rounding of ``ln x`` is scaled by ``y``), against
libm's < 1 ulp: for a bias correction ``1 − 0.999^t`` that is ~1e-13 relative, far below what any update rule
can tell (the formula tests compare with NumPy and optax at 1e-10 after 200 steps).  Powers inside loops or
branches of the program (``while``, ``cond``, custom derivatives) keep XLA's own ``power``.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
from jax import lax
from jax.extend import core as jcore


def fast_pow(x, y):
    """``x ** y`` as ``exp(y · ln|x|)`` with C99 pow's signs and special cases (see the module docstring)."""
    x = jnp.asarray(x)
    y = jnp.asarray(y, x.dtype)
    magnitude = jnp.abs(x)
    power = jnp.exp(y * jnp.log(jnp.where(magnitude > 0, magnitude, 1)))
    integer = y == jnp.round(y)
    odd = integer & (jnp.round(y) % 2 != 0)
    negative_base = jnp.where(integer, jnp.where(odd, -power, power), jnp.nan)
    at_zero = jnp.where(y > 0, 0.0, jnp.inf).astype(x.dtype)
    result = jnp.where(x > 0, power, jnp.where(x < 0, negative_base, jnp.where(x == 0, at_zero, x + y)))
    return jnp.where((y == 0) | (x == 1), jnp.ones_like(result), result)


def _is_inlined_call(eqn) -> bool:
    """A ``jit`` call inside the traced function: evaluating its body in place changes nothing."""
    return eqn.primitive.name in ("jit", "pjit") and isinstance(eqn.params.get("jaxpr"), jcore.ClosedJaxpr)


def _evaluate(jaxpr, consts, args):
    """Evaluate ``jaxpr`` like ``jax.core.eval_jaxpr``, with `fast_pow` for ``pow``."""
    env = {}

    def read(v):
        return v.val if isinstance(v, jcore.Literal) else env[v]

    for var, value in zip(jaxpr.constvars, consts):
        env[var] = value
    for var, value in zip(jaxpr.invars, args):
        env[var] = value
    for eqn in jaxpr.eqns:
        invals = [read(v) for v in eqn.invars]
        if eqn.primitive is lax.pow_p:
            outvals = [fast_pow(*invals).astype(eqn.outvars[0].aval.dtype)]
        elif _is_inlined_call(eqn):
            inner = eqn.params["jaxpr"]
            outvals = _evaluate(inner.jaxpr, inner.consts, invals)
        else:
            params = eqn.primitive.get_bind_params(eqn.params)
            subfuns, params = params if isinstance(params, tuple) else ((), params)  # older jax: (subfuns, params)
            with eqn.ctx.manager:
                outvals = eqn.primitive.bind(*subfuns, *invals, **params)
            if not eqn.primitive.multiple_results:
                outvals = [outvals]
        for var, value in zip(eqn.outvars, outvals):
            if not isinstance(var, jcore.DropVar):
                env[var] = value
    return [read(v) for v in jaxpr.outvars]


def without_slow_pow(fun):
    """``fun`` (arrays in, a pytree of arrays out) with its ``lax.pow`` computed by `fast_pow`; to be called
    inside a trace (jit, vmap), where it adds no run-time cost of its own."""

    @functools.wraps(fun)
    def wrapped(*args):
        closed, shapes = jax.make_jaxpr(fun, return_shape=True)(*args)
        flat = _evaluate(closed.jaxpr, closed.consts, jax.tree_util.tree_leaves(args))
        return jax.tree_util.tree_unflatten(jax.tree_util.tree_structure(shapes), flat)

    return wrapped
