"""The runner (`optimizers.run`) against closed forms, independent NumPy, and its own contracts: no recompiles when
a slider moves, divergence guarded, noise reproducible, batches equal loops, sharded sweeps equal unsharded."""

import dataclasses
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

import landscapes
import optimizers
from landscapes.base import Landscape
from optimizers.base import Hyperparam, OptimizerSpec

from counting import CompileCounter  # tests/counting.py

from optimizers import engine as R
from optimizers import solver, stopping
ROOT = Path(__file__).resolve().parent.parent


def _quadratic(xy, theta):
    """½ xᵀAx with A = [[a, b], [b, c]], theta = (a, b, c)."""
    a, b, c = theta[0], theta[1], theta[2]
    return 0.5 * (a * xy[0] ** 2 + 2 * b * xy[0] * xy[1] + c * xy[1] ** 2)


def quadratic(a=3.0, b=1.0, c=2.0, start=(2.0, -1.0)) -> Landscape:
    return Landscape("quadratic", "Quadratic", r"\tfrac12 x^\top A x", _quadratic, ((-3, 3), (-3, 3)), start,
                     params=(("a", a), ("b", b), ("c", c)))


def _stiff(xy, theta):
    return xy[0] ** 2 + 50.0 * xy[1] ** 2


def _exp_bowl(xy, theta):
    return jnp.exp(xy[0] ** 2 + xy[1] ** 2)


def _log_x(xy, theta):
    return jnp.log(xy[0]) + xy[1] ** 2


def _flat(xy, theta):
    return 0.0 * xy[0]


def _surface(fn, start=(1.0, 1.0)) -> Landscape:
    return Landscape(fn.__name__, fn.__name__, "", fn, ((-3, 3), (-3, 3)), start)


GD = OptimizerSpec("gd", "GD", "test", r"x_{t+1} = x_t - \eta g_t", optax.sgd, (Hyperparam("learning_rate", 0.1),))


def _matrix(landscape) -> np.ndarray:
    a, b, c = (v for _, v in landscape.params)
    return np.array([[a, b], [b, c]])


# --------------------------------------------------------------------------------------------- closed forms
@pytest.mark.parametrize("eta", [0.05, 0.2, 0.5])
def test_gd_on_a_quadratic_is_the_matrix_power(eta):
    surface = quadratic()
    A, x0 = _matrix(surface), np.array(surface.start)
    traj = optimizers.run(surface, "sgd", steps=150, learning_rate=eta)
    expected = np.array([np.linalg.matrix_power(np.eye(2) - eta * A, t) @ x0 for t in range(151)])
    np.testing.assert_allclose(traj.xy, expected, rtol=0, atol=1e-12)
    np.testing.assert_allclose(traj.loss, 0.5 * np.einsum("ti,ij,tj->t", expected, A, expected), atol=1e-12)
    np.testing.assert_allclose(traj.grad_norm, np.linalg.norm(expected @ A, axis=1), atol=1e-12)
    np.testing.assert_allclose(traj.update_norm, np.linalg.norm(np.diff(expected, axis=0), axis=1), atol=1e-12)
    np.testing.assert_array_equal(traj.learning_rate, np.full(150, eta))
    assert traj.xy.shape == (151, 2) and traj.loss.shape == traj.grad_norm.shape == (151,)
    assert traj.update_norm.shape == traj.learning_rate.shape == (150,)


def test_status_converged_at_the_first_fixed_point():
    surface = quadratic()
    traj = optimizers.run(surface, "sgd", steps=1000, learning_rate=0.3)
    assert traj.status == "converged" and traj.diverged_at == -1
    # Definition (run.py): first t with ‖∇f(x_t)‖ ≤ 1e-6·max(1, ‖∇f(x_0)‖) and ‖x_{t+1} − x_t‖ ≤ 1e-6·max(1, ‖x_t‖).
    gtol = 1e-6 * max(1.0, traj.grad_norm[0])
    xtol = 1e-6 * np.maximum(1.0, np.linalg.norm(traj.xy[:-1], axis=1))
    ok = (traj.grad_norm[:-1] <= gtol) & (traj.update_norm <= xtol)
    assert traj.converged_at == int(np.argmax(ok)) and ok.any()
    short = optimizers.run(surface, "sgd", steps=traj.converged_at - 1, learning_rate=0.3)
    assert short.status == "max_steps" and short.converged_at == -1


def test_start_at_the_minimum_converges_at_step_zero():
    traj = optimizers.run(quadratic(), "sgd", start=(0.0, 0.0), steps=5, learning_rate=0.1)
    assert (traj.status, traj.converged_at) == ("converged", 0)


def test_schedule_gives_the_product_of_steps_and_is_recorded():
    from optimizers import schedules

    surface, steps, eta, k = quadratic(), 120, 0.3, 0.02
    A, x = _matrix(surface), np.array(surface.start)
    traj = optimizers.run(surface, "sgd", steps=steps, learning_rate=eta, schedule="exponential",
                          schedule_params={"k": k})
    rates = np.array([schedules.get("exponential").factory(eta, steps, k=k)(t) for t in range(steps)])
    np.testing.assert_allclose(rates, eta * np.exp(-k * np.arange(steps)), rtol=1e-14)
    np.testing.assert_allclose(traj.learning_rate, rates, rtol=1e-14)
    expected = [x]
    for rate in rates:
        expected.append((np.eye(2) - rate * A) @ expected[-1])
    np.testing.assert_allclose(traj.xy, np.array(expected), atol=1e-12)


def _halving(learning_rate, steps, share=0.5):  # Python int() of steps and share: fails on tracers
    switch = int(share * steps)
    return lambda t: jnp.where(t < switch, learning_rate, learning_rate / 2)


def test_a_schedule_that_needs_concrete_numbers_says_so_and_gets_them(monkeypatch):
    from optimizers import schedules

    spec = schedules.ScheduleSpec("halving", "Halving", r"\eta_t", _halving, (Hyperparam("share", 0.5, 0.0, 1.0),),
                                  static_steps=True)
    monkeypatch.setitem(schedules._REGISTRY, "halving", spec)
    traj = optimizers.run(quadratic(), "sgd", steps=40, learning_rate=0.2, schedule="halving",
                          schedule_params={"share": 0.25})
    np.testing.assert_array_equal(traj.learning_rate, np.where(np.arange(40) < 10, 0.2, 0.1))


def test_a_schedule_that_needs_concrete_numbers_but_does_not_say_so_is_a_clear_error(monkeypatch):
    from optimizers import schedules

    spec = schedules.ScheduleSpec("halving", "Halving", r"\eta_t", _halving, (Hyperparam("share", 0.5, 0.0, 1.0),))
    monkeypatch.setitem(schedules._REGISTRY, "halving", spec)
    with pytest.raises(ValueError, match="static_steps=True"):
        optimizers.run(quadratic(), "sgd", steps=40, learning_rate=0.2, schedule="halving")


def test_learning_rate_record_is_zero_without_a_learning_rate():
    spec = OptimizerSpec("fixed", "fixed", "test", r"x - 0.1 g", lambda: optax.sgd(0.1))
    traj = optimizers.run(quadratic(), spec, steps=10)
    np.testing.assert_array_equal(traj.learning_rate, np.zeros(10))
    with pytest.raises(ValueError, match="schedule"):
        optimizers.run(quadratic(), spec, steps=10, schedule="exponential")


# --------------------------------------------------------------------------------------------- arguments
def test_unknown_hyperparameter_is_a_clear_error():
    with pytest.raises(ValueError, match=r"'adam' has no hyperparameter 'beta1'.*'b1'"):
        optimizers.run(quadratic(), "adam", steps=10, beta1=0.9)
    with pytest.raises(ValueError, match="'warmup'"):
        optimizers.run(quadratic(), "adam", steps=10, schedule="exponential", schedule_params={"warmup": 0.1})


def test_missing_hyperparameters_take_the_spec_defaults():
    spec = optimizers.get("adam")
    implicit = optimizers.run(quadratic(), "adam", steps=50)
    explicit = optimizers.run(quadratic(), "adam", steps=50, **spec.defaults())
    np.testing.assert_array_equal(implicit.xy, explicit.xy)
    different = optimizers.run(quadratic(), "adam", steps=50, b1=0.5)
    assert not np.array_equal(implicit.xy, different.xy)


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match="start"):
        optimizers.run(quadratic(), "sgd", start=(np.nan, 0.0), steps=5)
    with pytest.raises(ValueError, match="steps"):
        optimizers.run(quadratic(), "sgd", steps=-1)
    with pytest.raises(ValueError, match="number"):
        optimizers.run(quadratic(), "sgd", steps=5, learning_rate="fast")
    with pytest.raises(ValueError, match="run_many"):
        optimizers.run(quadratic(), "sgd", steps=5, learning_rate=np.array([0.1, 0.2]))


def test_steps_beyond_the_cap_are_an_error_and_zero_steps_work():
    traj = optimizers.run(quadratic(), "sgd", steps=optimizers.MAX_STEPS, learning_rate=0.01)
    assert traj.xy.shape == (optimizers.MAX_STEPS + 1, 2) and traj.update_norm.shape == (optimizers.MAX_STEPS,)
    for entry in (optimizers.run, optimizers.run_many, optimizers.sweep):
        with pytest.raises(ValueError, match="steps must be between 0 and 16,384"):
            entry(quadratic(), "sgd", steps=optimizers.MAX_STEPS + 1)
    none = optimizers.run(quadratic(), "sgd", steps=0)
    assert none.xy.shape == (1, 2) and none.update_norm.shape == (0,) and none.status == "max_steps"


# --------------------------------------------------------------------------------------------- recompiles
def test_moving_any_slider_compiles_nothing():
    valley = landscapes.get("rosenbrock")
    base = dict(steps=300, learning_rate=0.01, schedule="warmup_cosine", schedule_params={"warmup": 0.1})
    optimizers.run(valley, "adam", **base)
    optimizers.run(valley, "adam", noise=0.5, **base)  # noise on/off is structure: compile both once
    other_surface = landscapes.get("rosenbrock", a=0.5, b=30.0)
    with CompileCounter() as counter:
        optimizers.run(valley, "adam", **{**base, "learning_rate": 0.003})
        optimizers.run(valley, "adam", b1=0.5, b2=0.9, eps=1e-3, **base)
        optimizers.run(valley, "adam", start=(0.3, -0.7), **base)
        optimizers.run(valley, "adam", noise=0.1, seed=7, **base)
        optimizers.run(other_surface, "adam", **base)
        optimizers.run(valley, "adam", **{**base, "steps": 257})  # same bucket (1024) as 300
        optimizers.run(valley, "adam", **{**base, "schedule_params": {"warmup": 0.4, "alpha": 0.2}})
    assert (counter.traces, counter.compiles) == (0, 0)
    with CompileCounter() as counter:  # the counter can see a compile: structure is static
        optimizers.run(valley, "adam", **{**base, "steps": 2000})
        optimizers.run(valley, "adam", bias_correction=False, **base)
    assert counter.traces == 2 and counter.compiles >= 2


def test_batched_calls_do_not_recompile_for_new_values():
    surface = quadratic()
    optimizers.run_many(surface, "sgd", starts=np.ones((5, 2)), steps=40, learning_rate=np.linspace(0.01, 0.1, 5))
    optimizers.sweep(surface, "sgd", {"learning_rate": np.linspace(0.01, 0.1, 7)}, steps=40)
    with CompileCounter() as counter:
        optimizers.run_many(surface, "sgd", starts=-np.ones((5, 2)), steps=60, learning_rate=np.full(5, 0.2))
        optimizers.sweep(quadratic(a=5.0), "sgd", {"learning_rate": np.linspace(0.1, 0.3, 7)}, steps=900)
    assert (counter.traces, counter.compiles) == (0, 0)


# --------------------------------------------------------------------------------------------- divergence
def _assert_frozen(traj):
    t = traj.diverged_at
    assert traj.status == "diverged" and t >= 1
    for a in (traj.xy, traj.loss, traj.grad_norm, traj.update_norm, traj.learning_rate):
        assert np.all(np.isfinite(a))
    np.testing.assert_array_equal(traj.xy[t:], np.broadcast_to(traj.xy[t - 1], traj.xy[t:].shape))
    np.testing.assert_array_equal(traj.loss[t:], traj.loss[t - 1])
    np.testing.assert_array_equal(traj.update_norm[t - 1:], 0.0)


def test_gd_too_large_a_step_diverges_at_the_predicted_step():
    surface = _surface(_stiff, start=(1e-3, 1e-3))
    traj = optimizers.run(surface, GD, steps=100, learning_rate=3.0)
    # x_t = (1 − 2η)^t x_0, y_t = (1 − 100η)^t y_0: diverged at the first t where x, y or f leaves [-1e6, 1e6].
    t = np.arange(10)
    x, y = 1e-3 * (1 - 6.0) ** t, 1e-3 * (1 - 300.0) ** t
    beyond = (np.maximum(np.abs(x), np.abs(y)) > stopping.BOUND) | (np.abs(x**2 + 50 * y**2) > stopping.BOUND)
    assert traj.diverged_at == int(np.argmax(beyond)) == 3
    np.testing.assert_allclose(traj.xy[:3], np.column_stack([x, y])[:3], rtol=1e-12)
    _assert_frozen(traj)


def test_overflowing_surface_diverges_without_raising():
    traj = optimizers.run(_surface(_exp_bowl, start=(2.0, 2.0)), GD, steps=50, learning_rate=0.1)
    assert traj.diverged_at == 1  # the first step lands where exp overflows to inf
    _assert_frozen(traj)
    np.testing.assert_array_equal(traj.xy[-1], [2.0, 2.0])


def test_nan_producing_surface_diverges_without_raising():
    traj = optimizers.run(_surface(_log_x, start=(0.5, 0.5)), GD, steps=20, learning_rate=1.0)
    assert traj.diverged_at == 1  # x_1 = 0.5 − 1/0.5 < 0, where log is NaN
    _assert_frozen(traj)


def test_a_start_where_f_is_nan_is_diverged_at_zero_with_finite_output():
    traj = optimizers.run(_surface(_log_x), GD, start=(-1.0, 0.0), steps=20, learning_rate=0.1)
    assert (traj.status, traj.diverged_at) == ("diverged", 0)
    assert np.all(np.isfinite(traj.loss)) and np.all(np.isfinite(traj.grad_norm))
    np.testing.assert_array_equal(traj.xy, np.broadcast_to([-1.0, 0.0], (21, 2)))


def test_every_registry_optimizer_survives_a_hostile_surface():
    surface = _surface(_exp_bowl, start=(1.5, -1.0))
    table = R.run_all(surface, ["sgd", "adam", "rmsprop", "newton", "saddle_free_newton"], steps=30,
                               hyperparams_by_name={"sgd": {"learning_rate": 1.0}, "adam": {"learning_rate": 5.0}})
    for traj in table.values():
        for a in (traj.xy, traj.loss, traj.grad_norm, traj.update_norm):
            assert np.all(np.isfinite(a))


# --------------------------------------------------------------------------------------------- noise
def test_noise_is_reproducible_per_seed_and_absent_at_zero():
    surface = quadratic()
    a = optimizers.run(surface, "sgd", steps=100, learning_rate=0.1, noise=0.3, seed=1)
    b = optimizers.run(surface, "sgd", steps=100, learning_rate=0.1, noise=0.3, seed=1)
    c = optimizers.run(surface, "sgd", steps=100, learning_rate=0.1, noise=0.3, seed=2)
    clean = optimizers.run(surface, "sgd", steps=100, learning_rate=0.1, noise=0.0, seed=1)
    np.testing.assert_array_equal(a.xy, b.xy)
    assert np.abs(a.xy - c.xy).max() > 1e-3
    A, x0 = _matrix(surface), np.array(surface.start)
    exact = np.array([np.linalg.matrix_power(np.eye(2) - 0.1 * A, t) @ x0 for t in range(101)])
    np.testing.assert_allclose(clean.xy, exact, atol=1e-12)


def test_noise_is_sigma_times_the_documented_normal_draws():
    eta, sigma, seed, steps = 0.5, 0.2, 42, 2000
    traj = optimizers.run(_surface(_flat), GD, steps=steps, learning_rate=eta, noise=sigma, seed=seed)
    xi = -np.diff(traj.xy, axis=0) / (eta * sigma)  # flat surface: x_{t+1} − x_t = −η σ ξ_t
    key = jax.random.key(seed)
    expected = np.array([jax.random.normal(jax.random.fold_in(key, t), (2,), jnp.float64) for t in range(5)])
    np.testing.assert_allclose(xi[:5], expected, rtol=1e-9)
    assert abs(xi.mean()) < 5 / np.sqrt(xi.size) and abs(xi.std() - 1) < 0.05


# --------------------------------------------------------------------------------------------- batches
def test_run_many_equals_a_loop_of_run():
    surface = landscapes.get("rosenbrock")
    starts = np.array([[-1.2, 1.0], [0.5, 2.0], [1.5, -0.5], [0.0, 0.0]])
    lrs = np.array([0.001, 0.003, 0.01, 0.5])
    batch = optimizers.run_many(surface, "momentum", starts=starts, steps=80, learning_rate=lrs, momentum=0.8,
                                noise=0.05, seed=np.arange(4))
    assert batch.xy.shape == (4, 81, 2) and batch.status.shape == (4,)
    for i in range(4):
        one = optimizers.run(surface, "momentum", start=starts[i], steps=80, learning_rate=lrs[i], momentum=0.8,
                             noise=0.05, seed=i)
        np.testing.assert_allclose(batch.xy[i], one.xy, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(batch.loss[i], one.loss, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(batch.learning_rate[i], one.learning_rate)
        assert (batch.status[i], batch.diverged_at[i], batch.converged_at[i]) == (
            one.status, one.diverged_at, one.converged_at)
    assert "diverged" in batch.status  # lr = 0.5 on Rosenbrock


def test_solve_batches_over_any_leading_axes_and_each_run_is_its_own():
    surface = landscapes.get("himmelblau")
    starts = np.array([[[0.0, 0.0], [1.0, 1.0], [-1.0, 2.0]], [[2.0, -1.0], [-3.0, -3.0], [0.5, 0.5]]])
    rates = np.array([[0.001, 0.002, 0.003], [0.004, 0.005, 0.0025]])
    paths = optimizers.solve(surface, "momentum", starts, 60, hyperparams={"learning_rate": rates})
    finals = optimizers.solve(surface, "momentum", starts, 60, hyperparams={"learning_rate": rates}, record="final")
    assert paths.params.shape == (2, 3, 61, 2) and paths.status.shape == finals.status.shape == (2, 3)
    assert finals.params.shape == (2, 3, 2) and finals.update_norm is None
    for i, j in np.ndindex(2, 3):
        one = optimizers.run(surface, "momentum", start=starts[i, j], steps=60, learning_rate=rates[i, j])
        np.testing.assert_allclose(paths.params[i, j], one.xy, rtol=1e-12, atol=1e-12)
        # The final-only program is another program: equal up to floating-point contraction (a few ulp per step).
        np.testing.assert_allclose(finals.params[i, j], one.xy[-1], rtol=1e-10, atol=1e-12)
        assert optimizers.STATUSES[paths.status[i, j]] == optimizers.STATUSES[finals.status[i, j]] == one.status
        assert paths.converged_at[i, j] == finals.converged_at[i, j] == one.converged_at


def test_run_many_rejects_mismatched_batches():
    with pytest.raises(ValueError, match="batch sizes differ"):
        optimizers.run_many(quadratic(), "sgd", starts=np.zeros((3, 2)), learning_rate=np.ones(4) * 0.1)


def test_sweep_equals_run_many_finals():
    surface = quadratic()
    lrs = np.geomspace(0.01, 1.2, 37)  # includes diverging rates (η > 2/λmax ≈ 0.55)
    full = optimizers.run_many(surface, "sgd", steps=200, learning_rate=lrs)
    swept = optimizers.sweep(surface, "sgd", {"learning_rate": lrs}, steps=200)
    # Two different programs (one records every step): equal up to floating-point contraction, not bit for bit.
    np.testing.assert_allclose(swept.xy, full.xy[:, -1], rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(swept.loss, full.loss[:, -1], rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(swept.grad_norm, full.grad_norm[:, -1], rtol=1e-13, atol=1e-300)
    np.testing.assert_array_equal(swept.status, full.status)
    np.testing.assert_array_equal(swept.converged_at, full.converged_at)
    np.testing.assert_array_equal(swept.diverged_at, full.diverged_at)
    np.testing.assert_array_equal(swept.code, [optimizers.STATUSES.index(s) for s in swept.status])
    assert {"converged", "diverged", "max_steps"} == set(swept.status)


@jax.custom_jvp
def _poisoned(x):
    return x


# d/dx is NaN beyond x = 2 while the value stays finite: a divergence that only the gradient test sees.
_poisoned.defjvp(lambda p, t: (_poisoned(p[0]), jnp.where(p[0] > 2.0, jnp.nan, 1.0) * t[0]))


def _nan_gradient(xy, theta):
    return _poisoned(xy[0]) ** 2 + xy[1] ** 2


@pytest.mark.parametrize("fn, start", [(_exp_bowl, (1.0, 1.0)), (_log_x, (0.5, 0.5)), (_nan_gradient, (1.5, 1.0)),
                                       (_stiff, (1e-3, 1e-3))])
def test_sweep_reports_what_run_reports_on_hostile_surfaces(fn, start):
    # Learning rates from harmless to explosive: overflow, NaN, a non-finite gradient at a finite value, and
    # leaving the bound, each at its own step; the sweep only keeps the final row, run keeps every row.
    surface, lrs = _surface(fn, start=start), np.geomspace(1e-3, 3.0, 23)
    swept = optimizers.sweep(surface, GD, {"learning_rate": lrs}, steps=60)
    assert (swept.diverged_at >= 0).any() and (swept.diverged_at < 0).any()
    for i, lr in enumerate(lrs):
        one = optimizers.run(surface, GD, steps=60, learning_rate=lr)
        assert (swept.status[i], swept.diverged_at[i], swept.converged_at[i]) == (
            one.status, one.diverged_at, one.converged_at)
        np.testing.assert_allclose(swept.xy[i], one.xy[-1], rtol=1e-13, atol=1e-300)  # two programs: see above
        np.testing.assert_allclose(swept.loss[i], one.loss[-1], rtol=1e-13, atol=1e-300)
        np.testing.assert_allclose(swept.grad_norm[i], one.grad_norm[-1], rtol=1e-13, atol=1e-300)


def test_a_sweep_with_some_zero_noise_runs_those_configurations_clean():
    surface = quadratic()
    sigma, seeds = np.array([0.0, 0.3, 0.0, 0.1]), np.arange(4)
    swept = optimizers.sweep(surface, "sgd", steps=50, learning_rate=0.1, noise=sigma, seed=seeds)
    for i in range(4):
        one = optimizers.run(surface, "sgd", steps=50, learning_rate=0.1, noise=sigma[i], seed=i)
        np.testing.assert_allclose(swept.xy[i], one.xy[-1], rtol=1e-12, atol=1e-15)
    A, x0 = _matrix(surface), np.array(surface.start)
    exact = np.linalg.matrix_power(np.eye(2) - 0.1 * A, 50) @ x0
    np.testing.assert_allclose(swept.xy[[0, 2]], [exact, exact], atol=1e-12)
    assert np.abs(swept.xy[1] - exact).max() > 1e-3


def test_sweep_over_starts_finds_the_basins():
    surface = landscapes.get("himmelblau")
    grid = np.stack(np.meshgrid(np.linspace(-4.5, 4.5, 9), np.linspace(-4.5, 4.5, 9)), -1).reshape(-1, 2)
    swept = optimizers.sweep(surface, "sgd", start=grid, steps=3000, learning_rate=0.005)
    minima = np.array([m.xy for m in surface.minima])
    ends = np.linalg.norm(swept.xy[:, None] - minima[None], axis=2).min(axis=1)
    assert np.all(ends[swept.status == "converged"] < 1e-5) and (swept.status == "converged").mean() > 0.9


SHARDED = textwrap.dedent("""
    import importlib, json, sys
    import numpy as np, jax
    import landscapes, optimizers
    from optimizers import solver
    surface = landscapes.get("rosenbrock")
    lrs = np.geomspace(1e-4, 3e-2, 10)          # 10 configurations: padded to 12 on 4 devices
    rows, n = solver.final_rows(surface, "adam", None, 300, None, None, {"learning_rate": lrs}, 0.0, 0)
    out = optimizers.sweep(surface, "adam", {"learning_rate": lrs}, steps=300)
    print(json.dumps({"devices": len(jax.devices()), "sharded_over": len(rows.sharding.device_set),
                      "shards": len(rows.addressable_shards), "n": n, "rows": rows.shape[0],
                      "xy": out.xy.tolist(), "loss": out.loss.tolist(), "status": out.status.tolist()}))
""")


def _sweep_in_subprocess(devices: int) -> dict:
    env = {**os.environ, "XLA_FLAGS": f"--xla_force_host_platform_device_count={devices}", "JAX_PLATFORMS": "cpu"}
    done = subprocess.run([sys.executable, "-c", SHARDED], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_sweep_shards_over_four_host_devices_with_identical_results():
    one, four = _sweep_in_subprocess(1), _sweep_in_subprocess(4)
    assert (one["devices"], one["sharded_over"], one["rows"]) == (1, 1, 10)
    assert (four["devices"], four["sharded_over"], four["shards"], four["n"], four["rows"]) == (4, 4, 4, 10, 12)
    # Programs compiled for 1 and 4 devices may contract a*b + c into FMAs differently: a few ulp, no more.
    np.testing.assert_allclose(four["xy"], one["xy"], rtol=4e-15, atol=0)
    np.testing.assert_allclose(four["loss"], one["loss"], rtol=1e-13, atol=1e-300)
    assert four["status"] == one["status"]


def test_run_all_equals_individual_runs():
    surface = landscapes.get("elongated_valley")
    names = ["sgd", "adam", "rprop", "newton"]
    table = R.run_all(surface, names, steps=50, hyperparams_by_name={"adam": {"learning_rate": 0.2}},
                               schedule="exponential")
    assert list(table) == names
    adam = optimizers.run(surface, "adam", steps=50, learning_rate=0.2, schedule="exponential")
    np.testing.assert_array_equal(table["adam"].xy, adam.xy)
    rprop = optimizers.run(surface, "rprop", steps=50)  # Rprop takes no schedule: it runs without one
    np.testing.assert_array_equal(table["rprop"].xy, rprop.xy)


# --------------------------------------------------------------------------------------------- compile cache
CACHE = textwrap.dedent("""
    import sys
    import landscapes, optimizers
    from optimizers import compile_cache
    path = compile_cache.enable(sys.argv[1])
    assert compile_cache.enable(sys.argv[1]) == path == compile_cache.enabled()
    # JAX's default jax_compilation_cache_max_size of -1 would let the directory grow for ever on a public server.
    import jax
    assert jax.config.jax_compilation_cache_max_size == compile_cache.MAX_BYTES > 0
    optimizers.run(landscapes.get("rosenbrock"), "sgd", steps=10)
""")


def test_compile_cache_writes_compiled_runners_to_disk(tmp_path):
    env = {**os.environ, "JAX_PLATFORMS": "cpu"}
    done = subprocess.run([sys.executable, "-c", CACHE, str(tmp_path / "cache")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    entries = [p.name for p in (tmp_path / "cache").iterdir()]
    assert any("simulate" in name for name in entries), entries


SHARED = textwrap.dedent("""
    import json, sys, warnings
    import jax
    events = []
    jax.monitoring.register_event_listener(lambda name, **kw: events.append(name))
    import landscapes, optimizers
    from optimizers import compile_cache
    compile_cache.enable(sys.argv[1])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        runs = [optimizers.run(landscapes.get("rosenbrock"), name, steps=30) for name in ("sgd", "adam", "lion")]
    print(json.dumps({"hits": events.count("/jax/compilation_cache/cache_hits"),
                      "writes": events.count("/jax/compilation_cache/cache_misses"),
                      "warnings": [str(w.message)[:200] for w in caught if "cache" in str(w.message)],
                      "xy": [r.xy.tolist() for r in runs]}))
""")


def _share(cache) -> subprocess.Popen:
    env = {**os.environ, "JAX_PLATFORMS": "cpu"}
    return subprocess.Popen([sys.executable, "-c", SHARED, str(cache)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _result(proc: subprocess.Popen) -> dict:
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err[-3000:]
    return json.loads(out.strip().splitlines()[-1])


def test_replicas_share_one_compile_cache(tmp_path):
    """Two processes compiling the same programs into one empty cache at the same time (two replicas starting
    together) both succeed without a cache error: JAX's LRUCache takes a file lock (``filelock``, i.e. flock)
    around every read and write once a size cap is set, which `compile_cache.enable` does.  A third process then
    loads every program from the cache and compiles none, with the same numbers."""
    cache = tmp_path / "shared"
    first, second = [_result(p) for p in [_share(cache), _share(cache)]]
    for r in (first, second):
        assert r["warnings"] == [] and r["writes"] + r["hits"] >= 3
    # Whichever compiles a program first writes it, and the other may load it instead: which one is a race (CI saw
    # the process started first write 2 of the 3), so only the pair's writes are bound.
    assert first["writes"] + second["writes"] >= 3
    third = _result(_share(cache))
    assert third["writes"] == 0 and third["hits"] >= 3 and third["warnings"] == []
    assert third["xy"] == first["xy"] == second["xy"]


def test_a_truncated_cache_entry_costs_a_compile_not_a_wrong_answer(tmp_path):
    """JAX writes an entry in place (no temporary file and rename): a replica killed in the middle of a write leaves
    a truncated file.  Another process then warns, compiles that program itself and computes the same numbers."""
    cache = tmp_path / "shared"
    whole = _result(_share(cache))
    for entry in cache.glob("*-cache"):
        entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])
    broken = _result(_share(cache))
    assert broken["hits"] == 0 and broken["warnings"]
    assert all("Error reading persistent compilation cache entry" in w for w in broken["warnings"])
    assert broken["xy"] == whole["xy"]


# --------------------------------------------------------------------------------------- x and y as two params
PER_COORDINATE_SURFACES = ("rosenbrock", "himmelblau", "elongated_valley")


@pytest.mark.parametrize("name", sorted(s.name for s in optimizers.catalog.specs() if s.per_coordinate))
def test_rules_marked_per_coordinate_give_the_same_run_with_x_and_y_as_two_parameters(name, monkeypatch):
    """The engine hands these rules x and y as two scalar parameters; with the mark removed it hands them one
    (2,) vector.  Same formula either way, so the same numbers (to the rounding of a fused multiply-add)."""
    assert optimizers.catalog.get(name).per_coordinate
    split = {s: optimizers.run(landscapes.get(s), name, steps=200, noise=0.01, seed=3)
             for s in PER_COORDINATE_SURFACES}
    spec = optimizers.catalog.get(name)
    monkeypatch.setitem(optimizers.catalog._registry(), name, dataclasses.replace(spec, per_coordinate=False))
    for s, a in split.items():
        b = optimizers.run(landscapes.get(s), name, steps=200, noise=0.01, seed=3)
        assert (a.status, a.converged_at, a.diverged_at) == (b.status, b.converged_at, b.diverged_at)
        np.testing.assert_allclose(a.xy, b.xy, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(a.loss, b.loss, rtol=1e-9, atol=1e-12)


def test_a_spec_that_is_not_the_registered_one_keeps_the_vector_form():
    spec = optimizers.catalog.get("adam")
    copy = OptimizerSpec(spec.name, spec.title, spec.family, spec.latex, spec.factory, spec.hyperparams)
    assert copy is not spec
    fn = landscapes.get("rosenbrock").fn
    assert solver.prepare(fn, copy, 10, None, None, {}).static.per_coordinate is False
    assert solver.prepare(fn, "adam", 10, None, None, {}).static.per_coordinate is True


def test_compiled_says_whether_a_run_would_start_at_once():
    """`compiled` follows structure only: the step bucket, σ = 0 or not, the optimizer -- never a slider value."""
    surface = landscapes.from_expression("x**2 + 3*y**2 + 0.1*x*y", ((-2.0, 2.0), (-2.0, 2.0)))  # fresh programs
    assert not R.compiled(surface, "momentum", steps=100)
    optimizers.run(surface, "momentum", steps=100, learning_rate=0.05)
    assert R.compiled(surface, "momentum", steps=100)
    assert R.compiled(surface, "momentum", steps=250, learning_rate=0.3, momentum=0.5)  # same bucket (256)
    assert not R.compiled(surface, "momentum", steps=300)  # the next bucket
    assert not R.compiled(surface, "momentum", steps=100, noise=0.1)  # a noisy program is another program
    assert not R.compiled(surface, "adam", steps=100)
    assert R.compiled(surface, "momentum", steps=100, no_such_setting=1.0)  # run would refuse it at once


# --------------------------------------------------------------------------------------- run_grid (live scrub)
GRID_CASES = [
    ("sgd", "elongated_valley", ("learning_rate", np.geomspace(1e-3, 4.0, 16)), {}),  # the top notches diverge
    ("momentum", "rosenbrock", ("momentum", np.linspace(0.0, 0.99, 12)), {"learning_rate": 1e-4}),
    ("adam", "himmelblau", ("b1", np.linspace(0.0, 0.999, 9)), {}),
    ("rmsprop", "elongated_valley", ("eps", np.geomspace(1e-10, 1e-1, 7)), {}),
    ("sgd", "saddle", ("noise", np.linspace(0.0, 0.5, 6)), {"learning_rate": 0.05}),
]


@pytest.mark.parametrize("name, surface, axis, fixed", GRID_CASES, ids=[f"{c[0]}-{c[2][0]}" for c in GRID_CASES])
def test_run_grid_equals_looping_run_value_by_value(name, surface, axis, fixed):
    land = landscapes.get(surface)
    grid = optimizers.run_grid(land, name, steps=150, axis=axis, seed=2, **fixed)
    axis_name, values = axis
    assert len(grid) == len(values)
    for traj, value in zip(grid, values):
        one = optimizers.run(land, name, steps=150, seed=2, **{**fixed, axis_name: float(value)})
        assert (traj.status, traj.converged_at, traj.diverged_at) == (one.status, one.converged_at, one.diverged_at)
        for a, b in zip(traj[:5], one[:5]):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    if axis_name == "learning_rate" and name == "sgd":
        assert grid[-1].status == "diverged" and grid[0].status != "diverged"  # the case covers both


def test_run_grid_takes_a_schedule_parameter_as_its_axis():
    land = landscapes.get("elongated_valley")
    ks = np.geomspace(1e-3, 1e-1, 5)
    grid = optimizers.run_grid(land, "sgd", steps=80, schedule="exponential", axis=("k", ks))
    for traj, k in zip(grid, ks):
        one = optimizers.run(land, "sgd", steps=80, schedule="exponential", schedule_params={"k": float(k)})
        np.testing.assert_allclose(traj.learning_rate, one.learning_rate, rtol=1e-12)
        np.testing.assert_allclose(traj.xy, one.xy, rtol=1e-12, atol=1e-12)


def test_run_grid_compiles_once_for_new_values_start_and_other_hyperparameters():
    land = landscapes.from_expression("x**2 + 5*y**2 - 0.2*x*y", ((-3.0, 3.0), (-3.0, 3.0)))  # fresh programs
    optimizers.run_grid(land, "momentum", steps=200, axis=("learning_rate", np.geomspace(1e-3, 0.5, 64)))
    with CompileCounter() as counted:
        optimizers.run_grid(land, "momentum", start=(1.0, -2.0), steps=180, momentum=0.5,
                            axis=("learning_rate", np.geomspace(1e-2, 0.3, 64)))
    assert (counted.compiles, counted.traces) == (0, 0)


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_run_grid_compiled_fast_gives_the_runs_of_the_default_compile(name):
    """The scrub's programs now compile with XLA's fast options; the runs are those of XLA's default compile (the
    design before, still ``solve(..., optimize_for="run")``) to 1e-12, statuses and event steps exactly.  Values
    where the runs settle or diverge cleanly (an oscillating run, e.g. RMSProp at a large η, amplifies an ulp)."""
    land = landscapes.get("elongated_valley")
    values = np.geomspace(1e-3, 0.05, 16)
    grid = optimizers.run_grid(land, name, steps=200, axis=("learning_rate", values))
    before = optimizers.solve(land, name, np.broadcast_to(np.asarray(land.start), (16, 2)), 200,
                              hyperparams={"learning_rate": values}, optimize_for="run")
    np.testing.assert_allclose(grid.batch.xy, before.params, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(grid.batch.loss, before.loss, rtol=1e-12, atol=1e-12)
    assert list(grid.batch.status) == list(stopping.status_names(before.status))
    assert (grid.batch.converged_at == before.converged_at).all()
    assert (grid.batch.diverged_at == before.diverged_at).all()


def test_run_grid_pads_to_its_width_and_says_when_its_program_is_compiled():
    land = landscapes.from_expression("x**2 + 3*y**2 + 0.1*x*y", ((-3.0, 3.0), (-3.0, 3.0)))  # fresh programs
    values = np.geomspace(1e-3, 0.2, 5)
    axis = ("learning_rate", values)
    assert not R.grid_compiled(land, "adam", steps=120, axis=axis, width=8)
    grid = optimizers.run_grid(land, "adam", steps=120, axis=axis, width=8)
    assert len(grid) == 5 and grid.batch.xy.shape == (5, 121, 2)
    for traj, value in zip(grid, values):
        one = optimizers.run(land, "adam", steps=120, learning_rate=float(value))
        np.testing.assert_allclose(traj.xy, one.xy, rtol=1e-12, atol=1e-12)
    # Ready: other values, start and step count in the same bucket find the program compiled, and do not compile.
    other = ("learning_rate", np.geomspace(1e-2, 0.1, 7))
    assert R.grid_compiled(land, "adam", start=(1.0, 1.0), steps=110, axis=other, width=8)
    with CompileCounter() as counted:
        optimizers.run_grid(land, "adam", start=(1.0, 1.0), steps=110, axis=other, width=8)
    assert counted.compiles == 0
    assert not R.grid_compiled(land, "adam", steps=120, axis=axis, width=8, noise=0.1)  # σ ≠ 0: another program
    assert not R.grid_compiled(land, "sgd", steps=120, axis=axis, width=8)
    with pytest.raises(ValueError, match="width"):
        optimizers.run_grid(land, "adam", steps=120, axis=axis, width=4)


def test_run_grid_refuses_an_axis_it_cannot_sweep():
    land = landscapes.get("elongated_valley")
    with pytest.raises(ValueError, match="not a float hyperparameter"):
        optimizers.run_grid(land, "adam", axis=("bias_correction", [0.0, 1.0]))
    with pytest.raises(ValueError, match="grid's axis"):
        optimizers.run_grid(land, "sgd", axis=("learning_rate", [0.1, 0.2]), learning_rate=0.3)
    with pytest.raises(ValueError, match="at least one value"):
        optimizers.run_grid(land, "sgd", axis=("learning_rate", []))
