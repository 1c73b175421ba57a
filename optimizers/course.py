"""The course's update rules where optax writes them differently, as small optax ``GradientTransformation``s.

Conventions (cs231n notes, ``../shared/seeds/000_*``): accumulators start at zero, ε sits outside the square root,
``η_t`` is the learning rate (or the schedule's value) at step ``t``.  Each builder returns an update ``u`` with
``x ← x + u``, as optax does.  Parameters may be any pytree (the engine passes x and y as two leaves for rules
that act per coordinate); every formula is applied leaf by leaf.  Where optax's own rule is the course rule (plain
SGD, RMSProp with ``eps_in_sqrt=False``, Adam with bias correction) the catalog uses optax directly and nothing here
is needed.

Reference: Stanford CS231n, "Optimization: Stochastic Gradient Descent" / "Neural Networks Part 3" (2016).
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp
import optax


def momentum(learning_rate, momentum: float = 0.9) -> optax.GradientTransformation:
    """Momentum, ``v ← μ v − η_t g;  x ← x + v`` (``v₀ = 0``).

    optax.sgd(momentum=μ) keeps ``v ← μ v + g`` and multiplies by η afterwards: the same path only for constant η.
    Scaling first and then tracing puts η_t inside the velocity, as the course does.
    """
    return optax.chain(optax.scale_by_learning_rate(learning_rate), optax.trace(decay=momentum))


class NesterovState(NamedTuple):
    """The velocity ``v`` of Nesterov momentum."""

    velocity: optax.Updates


def _nesterov_velocity(momentum) -> optax.GradientTransformation:
    def init(params):
        return NesterovState(velocity=jax.tree.map(jnp.zeros_like, params))

    def update(updates, state, params=None):
        del params
        v_prev = state.velocity
        v = jax.tree.map(lambda vp, u: momentum * vp + u, v_prev, updates)  # updates already hold −η_t g
        step = jax.tree.map(lambda vp, vn: -momentum * vp + (1 + momentum) * vn, v_prev, v)
        return step, NesterovState(velocity=v)

    return optax.GradientTransformation(init, update)


def nesterov(learning_rate, momentum: float = 0.9) -> optax.GradientTransformation:
    """Nesterov momentum in the cs231n form: ``v' ← μ v − η_t g;  x ← x − μ v + (1 + μ) v'``.

    optax.sgd(nesterov=True) computes the algebraically equal ``−η (g + μ (μ m + g))``, η outside the velocity;
    this evaluates the course's expression, so the formula shown is the one that runs, schedules included.
    """
    return optax.chain(optax.scale_by_learning_rate(learning_rate), _nesterov_velocity(momentum))


class AdagradState(NamedTuple):
    """The running sum of squared gradients ``c``."""

    sum_of_squares: optax.Updates


def _scale_by_adagrad(initial_accumulator_value, eps, eps_in_sqrt: bool) -> optax.GradientTransformation:
    def init(params):
        start = jax.tree.map(lambda p: jnp.full_like(p, initial_accumulator_value), params)
        return AdagradState(sum_of_squares=start)

    def update(updates, state, params=None):
        del params
        c = jax.tree.map(lambda c, g: c + g * g, state.sum_of_squares, updates)

        def scaled(g, c):
            return g / (jnp.sqrt(c + eps) if eps_in_sqrt else jnp.sqrt(c) + eps)

        return jax.tree.map(scaled, updates, c), AdagradState(sum_of_squares=c)

    return optax.GradientTransformation(init, update)


def adagrad(
    learning_rate, eps: float = 1e-7, initial_accumulator_value: float = 0.0, eps_in_sqrt: bool = False
) -> optax.GradientTransformation:
    """AdaGrad, ``c ← c + g²;  x ← x − η_t g / (√c + ε)`` with ``c₀ = 0`` (Duchi et al. 2011, cs231n form).

    optax.adagrad starts ``c`` at 0.1 and divides by ``√(c + ε)``; ``initial_accumulator_value=0.1,
    eps_in_sqrt=True`` reproduces it (checked in tests/test_optimizer_formulas.py).
    """
    return optax.chain(
        _scale_by_adagrad(initial_accumulator_value, eps, eps_in_sqrt), optax.scale_by_learning_rate(learning_rate)
    )


class AdamState(NamedTuple):
    """First and second moments ``m``, ``v``."""

    mu: optax.Updates
    nu: optax.Updates


def _scale_by_uncorrected_adam(b1, b2, eps) -> optax.GradientTransformation:
    def init(params):
        zeros = jax.tree.map(jnp.zeros_like, params)
        return AdamState(mu=zeros, nu=zeros)

    def update(updates, state, params=None):
        del params
        m = jax.tree.map(lambda m, g: b1 * m + (1 - b1) * g, state.mu, updates)
        v = jax.tree.map(lambda v, g: b2 * v + (1 - b2) * g * g, state.nu, updates)
        return jax.tree.map(lambda m, v: m / (jnp.sqrt(v) + eps), m, v), AdamState(mu=m, nu=v)

    return optax.GradientTransformation(init, update)


def adam(
    learning_rate, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8, bias_correction: bool = True
) -> optax.GradientTransformation:
    """Adam (Kingma & Ba 2015): ``x ← x − η_t m̂/(√v̂ + ε)``; ``bias_correction=False`` steps by ``m/(√v + ε)``.

    With bias correction this is exactly optax.adam; optax has no switch to turn the correction off, hence the
    small transformation for the uncorrected form (the cs231n "simplified Adam").
    """
    if bias_correction:
        return optax.adam(learning_rate, b1=b1, b2=b2, eps=eps)
    return optax.chain(_scale_by_uncorrected_adam(b1, b2, eps), optax.scale_by_learning_rate(learning_rate))

