"""`optimizers.fast_pow`: ``x ** y`` as ``exp(y ln x)`` must agree with IEEE/C99 ``pow`` (NumPy's) to a few ulp
scaled by ``1 + |y ln x|``, with pow's special cases, and the engine must actually use it."""

from __future__ import annotations


import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

import landscapes
import optimizers
from optimizers.fast_pow import fast_pow, without_slow_pow

from optimizers import engine as R
from optimizers import packing, programs, solver
EPS = np.finfo(np.float64).eps


def test_matches_numpy_pow_on_decay_rates_and_step_counts():
    # What optax raises to powers: decay rates in [0, 1) to step counts up to MAX_STEPS, schedule fractions.
    base = np.concatenate([np.linspace(0.0, 0.9999, 401), [0.5, 0.9, 0.99, 0.999, 0.9999]])
    count = np.arange(0, R.MAX_STEPS + 1, 37, dtype=np.float64)
    x, y = np.meshgrid(base, count)
    got = np.asarray(jax.jit(fast_pow)(x, y))
    want = np.power(x, y)
    scale = 1 + np.abs(y * np.log(np.where(x > 0, x, 1.0)))
    err = np.abs(got - want)
    assert np.all(err <= 8 * EPS * scale * np.abs(want) + np.finfo(np.float64).tiny), float(np.max(err / scale))


def test_bias_correction_agrees_far_below_what_the_formula_tests_resolve():
    t = np.arange(1, 16385, dtype=np.float64)
    for beta in (0.9, 0.99, 0.999, 0.9999):
        got = 1 - np.asarray(jax.jit(fast_pow)(beta, t))
        want = 1 - beta**t
        assert np.max(np.abs(got / want - 1)) < 1e-12


@pytest.mark.parametrize("x, y", [
    (0.0, 0.0), (0.0, 3.0), (0.0, 0.5), (0.0, -1.0), (1.0, np.nan), (1.0, np.inf), (np.nan, 0.0),
    (np.nan, 2.0), (2.0, np.nan), (-2.0, 3.0), (-2.0, 2.0), (-2.0, 0.5), (-0.5, -3.0), (np.inf, 2.0),
    (np.inf, -2.0), (0.5, np.inf), (0.5, -np.inf), (2.0, np.inf), (1e-300, 2.0), (1e300, 2.0), (3.0, -700.0),
])
def test_special_cases_are_those_of_c99_pow(x, y):
    with np.errstate(all="ignore"):
        want = np.power(x, y)
    got = float(jax.jit(fast_pow)(x, y))
    if np.isnan(want):
        assert np.isnan(got)
    else:
        assert got == pytest.approx(want, rel=1e-13, abs=0), (x, y, got, want)


def test_integer_exponents_and_float32_keep_their_dtype():
    out = jax.jit(fast_pow)(jnp.float32(0.9), jnp.int32(10))
    assert out.dtype == jnp.float32 and float(out) == pytest.approx(0.9**10, rel=1e-6)


def test_wrapped_function_equals_the_original_within_rounding():
    tx = optax.adam(0.01, b1=0.8)
    params = jnp.array([0.3, -1.2])
    state = tx.init(params)

    def step(g, s):
        return tx.update(g, s, params)

    fast = jax.jit(without_slow_pow(step))
    slow = jax.jit(step)
    s_fast = s_slow = state
    for k in range(50):
        g = jnp.array([np.sin(k), np.cos(3 * k)])
        u_fast, s_fast = fast(g, s_fast)
        u_slow, s_slow = slow(g, s_slow)
        np.testing.assert_allclose(np.asarray(u_fast), np.asarray(u_slow), rtol=1e-12, atol=0)
    assert "power" in jax.jit(step).lower(g, state).as_text()
    assert "power" not in jax.jit(without_slow_pow(step)).lower(g, state).as_text()


def test_the_engine_compiles_adam_without_a_power():
    # The reason this module exists: a β₁ sweep must not call libm's pow per configuration and step.
    surface = landscapes.get("rosenbrock")
    p = solver.prepare(surface.fn, "adam", 100, None, None, {"b1": np.array([0.5, 0.9])})
    n, args, layout, axes = packing.batch(surface, p.floats, None, 0.0, 0)
    runner = programs.for_static(p.static).get(p.static, "many", packing.bucket(100), layout, False, axes)
    assert "power" not in runner.lower(*args, np.int32(100)).as_text()
    # ... and it is still optax's Adam: the b1 = 0.5 path against optax.adam driven eagerly (libm's pow).
    ours = optimizers.run_many(surface, "adam", steps=100, learning_rate=0.01, b1=np.array([0.5, 0.9]))
    tx = optax.adam(0.01, b1=0.5)
    x = jnp.asarray(surface.start, jnp.float64)
    state, path = tx.init(x), [np.asarray(x)]
    grad = jax.grad(surface.f)
    for _ in range(100):
        updates, state = tx.update(grad(x), state, x)
        x = optax.apply_updates(x, updates)
        path.append(np.asarray(x))
    np.testing.assert_allclose(ours.xy[0], np.array(path), rtol=0, atol=1e-10)
