"""Learning-rate schedules: closed forms (NumPy), optax's own builders, traced parameters, use inside an optimizer."""

from __future__ import annotations

import collections

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

from optimizers import catalog, schedules

N = 200  # run length
COUNTS = np.array([0, 1, 2, 19, 20, 21, 49, 50, 51, 59, 60, 61, 99, 100, 101, 150, 198, 199, 200, 201, 260])


def _cosine_between(a, b, u):
    return b + (a - b) / 2 * (1 + np.cos(np.pi * u))


def np_schedule(name, lr, t, **p):
    """The formulas of the module docstring, transcribed to NumPy for one step ``t``."""
    if name == "constant":
        return lr
    if name == "step":
        return lr * p["decay_rate"] ** np.floor(t / max(1, np.floor(p["period"] * N)))
    if name == "exponential":
        return lr * np.exp(-p["k"] * t)
    if name == "inverse_time":
        return lr / (1 + p["k"] * t)
    if name == "warmup_cosine":
        warm = np.floor(p["warmup"] * N)
        if t < warm:
            return lr * t / warm
        return lr * (p["alpha"] + (1 - p["alpha"]) * 0.5 * (1 + np.cos(np.pi * min(t - warm, N - warm) / (N - warm))))
    if name == "cyclical":
        half = N / (2 * p["cycles"])
        cycle = np.floor(1 + t / (2 * half))
        low = p["min_ratio"] * lr
        return low + (lr - low) * max(0.0, 1 - abs(t / half - 2 * cycle + 1))
    if name == "one_cycle":
        peak = np.floor(p["pct_start"] * N)
        end = lr / (p["div_factor"] * p["final_div_factor"])
        if t < peak:
            return _cosine_between(lr / p["div_factor"], lr, t / peak)
        return _cosine_between(lr, end, (t - peak) / (N - peak)) if t < N else end
    raise AssertionError(name)


# A second parameter set per schedule, away from the defaults.
OTHER = {
    "constant": {},
    "step": {"decay_rate": 0.3, "period": 0.3},
    "exponential": {"k": 0.02},
    "inverse_time": {"k": 0.5},
    "warmup_cosine": {"warmup": 0.25, "alpha": 0.2},
    "cyclical": {"min_ratio": 0.25, "cycles": 2.5},
    "one_cycle": {"pct_start": 0.45, "div_factor": 10.0, "final_div_factor": 100.0},
}


@pytest.mark.parametrize("which", ["defaults", "other"])
@pytest.mark.parametrize("name", schedules.names())
def test_schedule_matches_closed_form(name, which):
    spec = schedules.get(name)
    params = spec.defaults() if which == "defaults" else OTHER[name]
    schedule = spec.factory(0.3, N, **params)
    got = np.array([float(schedule(jnp.int32(t))) for t in COUNTS])
    expected = np.array([np_schedule(name, 0.3, t, **params) for t in COUNTS])
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=0)


def test_cyclical_peaks_and_troughs():
    # Smith's triangle: η_min at t = 0, 2s, 4s…; η at t = s, 3s…; linear in between.
    schedule = schedules.get("cyclical").factory(1.0, N, min_ratio=0.2, cycles=5.0)
    half = N // 10
    for k in range(10):
        assert float(schedule(jnp.int32(k * half))) == pytest.approx(1.0 if k % 2 else 0.2, abs=1e-12)
    assert float(schedule(jnp.int32(half // 2))) == pytest.approx(0.6, abs=1e-12)


def test_warmup_cosine_shape():
    schedule = schedules.get("warmup_cosine").factory(2.0, N, warmup=0.1, alpha=0.1)
    assert float(schedule(jnp.int32(0))) == 0.0 and float(schedule(jnp.int32(10))) == pytest.approx(1.0)
    assert float(schedule(jnp.int32(20))) == pytest.approx(2.0)  # the peak, where the warm-up ends
    assert float(schedule(jnp.int32(110))) == pytest.approx(0.2 + 1.8 * 0.5)  # half-way down the cosine
    assert float(schedule(jnp.int32(N))) == pytest.approx(0.2) == float(schedule(jnp.int32(N + 50)))


# optax's builders at the same values: Python ints for boundaries, concrete float64 arrays for the rest, evaluated
# at int64 steps (against Python floats or an int32 counter optax computes some fractions in float32).
OPTAX_EQUIVALENT = {
    "constant": lambda lr, p: optax.constant_schedule(lr),
    "step": lambda lr, p: optax.exponential_decay(
        lr, transition_steps=int(np.floor(p["period"] * N)), decay_rate=p["decay_rate"], staircase=True
    ),
    "exponential": lambda lr, p: optax.exponential_decay(lr, transition_steps=1, decay_rate=jnp.exp(-p["k"])),
    "warmup_cosine": lambda lr, p: optax.warmup_cosine_decay_schedule(
        jnp.float64(0), lr, int(np.floor(p["warmup"] * N)), N, end_value=p["alpha"] * lr
    ),
    "one_cycle": lambda lr, p: optax.cosine_onecycle_schedule(
        N, lr, p["pct_start"], p["div_factor"], p["final_div_factor"]
    ),
}


@pytest.mark.parametrize("which", ["defaults", "other"])
@pytest.mark.parametrize("name", OPTAX_EQUIVALENT)
def test_schedule_matches_optax_builder(name, which):
    spec = schedules.get(name)
    params = spec.defaults() if which == "defaults" else OTHER[name]
    ours = spec.factory(0.3, N, **params)
    theirs = OPTAX_EQUIVALENT[name](jnp.float64(0.3), {k: jnp.float64(v) for k, v in params.items()})
    got = jax.vmap(ours)(jnp.asarray(COUNTS, dtype=jnp.int32))
    expected = jax.vmap(theirs)(jnp.asarray(COUNTS, dtype=jnp.int64))
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-15)


TRACES: collections.Counter = collections.Counter()


@pytest.mark.parametrize("name", schedules.names())
def test_schedule_parameters_are_traced(name):
    spec = schedules.get(name)

    @jax.jit
    def values(learning_rate, params, steps):  # the runner traces the step count too
        TRACES[name] += 1
        return jax.vmap(spec.factory(learning_rate, steps, **params))(jnp.asarray(COUNTS, dtype=jnp.int32))

    for params in (spec.defaults(), OTHER[name]):
        got = values(jnp.float64(0.3), {k: jnp.float64(v) for k, v in params.items()}, jnp.int32(N))
        expected = [np_schedule(name, 0.3, t, **params) for t in COUNTS]
        np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-12)
    assert TRACES[name] == 1  # the second parameter set reused the compiled function


@pytest.mark.parametrize("name", schedules.names())
def test_any_optimizer_takes_any_schedule(name):
    # Gradient descent on f = ½ Σ aᵢ xᵢ² with η_t: x_T = Π_t (1 − η_t a) x₀ per coordinate.
    spec, a, x0 = schedules.get(name), np.array([1.0, 4.0]), np.array([1.0, -2.0])

    @jax.jit
    def final(learning_rate):
        tx = catalog.get("sgd").factory(learning_rate=spec.factory(learning_rate, N, **spec.defaults()))
        x = jnp.asarray(x0)

        def body(carry, _):
            x, state = carry
            update, state = tx.update(jnp.asarray(a) * x, state, x)
            return (x + update, state), None

        return jax.lax.scan(body, (x, tx.init(x)), None, length=N)[0][0]

    rates = np.array([np_schedule(name, 0.1, t, **spec.defaults()) for t in range(N)])
    expected = np.prod(1 - np.outer(rates, a), axis=0) * x0
    np.testing.assert_allclose(np.asarray(final(jnp.float64(0.1))), expected, rtol=1e-10, atol=1e-300)
    assert catalog.get("sgd").takes_schedule


def test_registry():
    assert schedules.names()[0] == "constant" and len(set(schedules.names())) == len(schedules.specs()) == 7
    for spec in schedules.specs():
        assert spec.title and spec.latex
        for h in spec.hyperparams:
            assert h.kind == "float" and h.min <= h.default <= h.max and h.help
    with pytest.raises(KeyError, match="warmup_cosine"):
        schedules.get("cosine_warmup")
