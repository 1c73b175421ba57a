"""Gradient flow and the heavy-ball ODE (`optimizers.flow`) against their closed forms on quadratics, and the
discrete optimizers against the flows they discretise (error ∝ η for GD, ∝ √η for momentum)."""

import jax.numpy as jnp
import numpy as np
import pytest
import scipy.linalg

import landscapes
import optimizers
from landscapes.base import Landscape
from optimizers import flow
from optimizers.stopping import BOUND

A = np.array([[3.0, 1.0], [1.0, 2.0]])


def _quadratic(xy, theta):
    return 0.5 * xy @ jnp.asarray(A) @ xy


def _diagonal(xy, theta):
    """½(λ₁x² + λ₂y²), theta = (λ₁, λ₂)."""
    return 0.5 * (theta[0] * xy[0] ** 2 + theta[1] * xy[1] ** 2)


def _hill(xy, theta):
    return -(xy[0] ** 2) - xy[1] ** 2


def _log_x(xy, theta):
    return jnp.log(xy[0]) + xy[1] ** 2


def _surface(fn, start=(2.0, -1.0), params=()) -> Landscape:
    return Landscape(fn.__name__, fn.__name__, "", fn, ((-3, 3), (-3, 3)), start, params=params)


def _oscillator(lam, a, x0, v0, t):
    """Closed form of ẍ + aẋ + λx = 0, x(0) = x0, ẋ(0) = v0 (under- or over-damped)."""
    disc = a * a - 4 * lam
    if disc < 0:
        w = np.sqrt(-disc) / 2
        return np.exp(-a * t / 2) * (x0 * np.cos(w * t) + (v0 + a * x0 / 2) / w * np.sin(w * t))
    r1, r2 = (-a + np.sqrt(disc)) / 2, (-a - np.sqrt(disc)) / 2
    c1 = (v0 - r2 * x0) / (r1 - r2)
    return c1 * np.exp(r1 * t) + (x0 - c1) * np.exp(r2 * t)


def test_gradient_flow_on_a_quadratic_is_the_matrix_exponential():
    path = flow.gradient_flow(_surface(_quadratic), t_max=6.0, n_points=61)
    x0 = np.array([2.0, -1.0])
    exact = np.array([scipy.linalg.expm(-A * t) @ x0 for t in path.t])
    np.testing.assert_allclose(path.t, np.linspace(0, 6, 61))
    np.testing.assert_allclose(path.xy, exact, rtol=0, atol=1e-8)
    np.testing.assert_allclose(path.loss, 0.5 * np.einsum("ti,ij,tj->t", exact, A, exact), atol=1e-8)
    np.testing.assert_allclose(path.velocity, -exact @ A, atol=1e-8)
    assert (path.status, path.diverged_at) == ("finished", -1) and path.steps > 0


@pytest.mark.parametrize("friction, velocity0", [(1.0, (0.0, 0.0)), (0.3, (1.0, -0.5)), (3.0, (0.0, 2.0))])
def test_heavy_ball_on_a_diagonal_quadratic_is_the_damped_oscillator(friction, velocity0):
    lam = (4.0, 0.1)  # the first coordinate oscillates for a < 4, the second is over-damped for a > 0.63
    surface = _surface(_diagonal, start=(1.5, -2.0), params=(("l1", lam[0]), ("l2", lam[1])))
    path = flow.heavy_ball_flow(surface, t_max=8.0, friction=friction, velocity0=velocity0, n_points=81)
    for i in range(2):
        exact = _oscillator(lam[i], friction, surface.start[i], velocity0[i], path.t)
        np.testing.assert_allclose(path.xy[:, i], exact, rtol=0, atol=1e-8)
    assert path.status == "finished"


def test_gd_with_a_small_step_tracks_the_flow_with_error_proportional_to_eta():
    surface, t_max = _surface(_quadratic), 2.0
    target = flow.gradient_flow(surface, t_max=t_max, n_points=2).xy[-1]
    errors = []
    for eta in (0.02, 0.01, 0.005):
        traj = optimizers.run(surface, "sgd", steps=round(t_max / eta), learning_rate=eta)
        errors.append(np.linalg.norm(traj.xy[-1] - target))
    ratios = np.array(errors[1:]) / np.array(errors[:-1])
    np.testing.assert_allclose(ratios, 0.5, atol=0.02)  # Euler's method is first order


def test_momentum_tracks_the_heavy_ball_with_error_proportional_to_sqrt_eta():
    surface, t_max, friction = landscapes.get("rosenbrock"), 0.1, 1.0
    target = flow.heavy_ball_flow(surface, t_max=t_max, friction=friction, n_points=2).xy[-1]
    errors = []
    for eta in (1e-4, 2.5e-5, 6.25e-6):
        mu = 1.0 - friction * np.sqrt(eta)
        h, a = flow.momentum_time_and_friction(eta, mu)
        assert a == pytest.approx(friction)
        traj = optimizers.run(surface, "momentum", steps=round(t_max / h), learning_rate=eta, momentum=mu)
        errors.append(np.linalg.norm(traj.xy[-1] - target))
    ratios = np.array(errors[1:]) / np.array(errors[:-1])
    np.testing.assert_allclose(ratios, 0.5, atol=0.07)  # quartering η halves h = √η


def test_momentum_time_and_friction():
    h, a = flow.momentum_time_and_friction(0.01, 0.9)
    assert h == pytest.approx(0.1) and a == pytest.approx(1.0)


def test_flow_up_a_hill_diverges_where_the_closed_form_leaves_the_box():
    start = np.array([0.5, 0.5])
    path = flow.gradient_flow(_surface(_hill, start=tuple(start)), t_max=10.0, n_points=21)
    # ẋ = 2x: x(t) = x0 e^{2t}, f = −‖x0‖² e^{4t}; the first sample beyond 1e6 in |x| or |f| is the divergence.
    beyond = (np.abs(start).max() * np.exp(2 * path.t) > BOUND) | (start @ start * np.exp(4 * path.t) > BOUND)
    assert path.status == "diverged" and path.diverged_at == int(np.argmax(beyond))
    t = path.diverged_at
    np.testing.assert_allclose(path.xy[:t], start * np.exp(2 * path.t[:t, None]), rtol=1e-8)
    np.testing.assert_array_equal(path.xy[t:], np.broadcast_to(path.xy[t - 1], path.xy[t:].shape))
    assert np.all(np.isfinite(path.loss)) and np.all(np.isfinite(path.velocity))


def test_flow_into_a_nan_region_stops_at_the_last_good_sample():
    # ẋ = −1/x: x(t)² = x0² − 2t hits 0 at t = 0.125, beyond which log x is NaN.
    path = flow.gradient_flow(_surface(_log_x, start=(0.5, 0.5)), t_max=1.0, n_points=11)
    assert path.status == "diverged" and path.diverged_at == 2
    np.testing.assert_allclose(path.xy[1, 0], np.sqrt(0.25 - 2 * 0.1), rtol=1e-8)
    assert np.all(np.isfinite(path.xy)) and np.all(np.isfinite(path.loss))
    bad_start = flow.gradient_flow(_surface(_log_x, start=(-1.0, 0.0)), t_max=1.0, n_points=5)
    assert (bad_start.status, bad_start.diverged_at) == ("diverged", 0) and np.all(np.isfinite(bad_start.loss))


def test_step_budget_is_reported():
    path = flow.gradient_flow(_surface(_quadratic), t_max=50.0, n_points=3, max_steps=20)
    assert path.status == "max_steps" and path.diverged_at >= 1 and path.steps == 20


def test_bad_arguments_raise():
    with pytest.raises(ValueError):
        flow.gradient_flow(_surface(_quadratic), t_max=-1.0)
    with pytest.raises(ValueError):
        flow.gradient_flow(_surface(_quadratic), start=(np.inf, 0.0))
