"""Closed-form stability limits (`optimizers.analytic`) against NumPy's eigenvalues of the iteration matrices, the
matrices against the catalog's own update rules as the engine runs them, and the Lab's sweeps against the limits:
the learning rate where gradient descent starts to diverge, and the momentum phase diagram cell by cell."""

from __future__ import annotations

import math

import numpy as np
import pytest

import landscapes
import optimizers
from landscapes.base import Landscape
from optimizers import analytic
from components.lab import compute as lab_compute
from optimizers.stopping import BOUND  # where the engine calls a run diverged

RNG = np.random.default_rng(20240607)


def _quadratic(xy, theta):
    """½ xᵀAx with A = [[a, b], [b, c]], theta = (a, b, c)."""
    a, b, c = theta[0], theta[1], theta[2]
    return 0.5 * (a * xy[0] ** 2 + 2 * b * xy[0] * xy[1] + c * xy[1] ** 2)


def quadratic(matrix, start=(2.0, -1.5), half=4.0) -> Landscape:
    (a, b), (_, c) = np.asarray(matrix, float)
    return Landscape("quadratic", "Quadratic", r"\tfrac12 x^\top A x", _quadratic, ((-half, half), (-half, half)),
                     start, params=(("a", a), ("b", b), ("c", c)))


def spectral_radius(m: np.ndarray) -> np.ndarray:
    return np.max(np.abs(np.linalg.eigvals(m)), axis=-1)


def samples(n=4000):
    """Random (η, μ, λ): η log-uniform over 1e-3..10, μ uniform over (−1.2, 1.2), λ log-uniform over 1e-2..1e2."""
    eta = 10 ** RNG.uniform(-3, 1, n)
    mu = RNG.uniform(-1.2, 1.2, n)
    lam = 10 ** RNG.uniform(-2, 2, n)
    return eta, mu, lam


# ------------------------------------------------------------------------------------------------ closed forms
@pytest.mark.parametrize("rule, matrix, radius, stable", [
    ("gd", lambda e, m, l: analytic.gd_matrix(e, l), lambda e, m, l: analytic.gd_spectral_radius(e, l),
     lambda e, m, l: analytic.gd_stable(e, l)),
    ("heavy_ball", analytic.heavy_ball_matrix, analytic.heavy_ball_spectral_radius, analytic.heavy_ball_stable),
    ("nesterov", analytic.nesterov_matrix, analytic.nesterov_spectral_radius, analytic.nesterov_stable),
])
def test_spectral_radius_and_stability_match_numpy_eigenvalues(rule, matrix, radius, stable):
    eta, mu, lam = samples()
    rho = spectral_radius(matrix(eta, mu, lam))
    np.testing.assert_allclose(radius(eta, mu, lam), rho, rtol=1e-7, atol=1e-9)
    clear = np.abs(rho - 1) > 1e-7  # exactly on the unit circle, floating point decides either way
    assert clear.sum() > 3500
    np.testing.assert_array_equal(stable(eta, mu, lam)[clear], (rho < 1)[clear])
    assert 0.2 < np.mean(rho < 1) < 0.8  # the samples straddle the boundary


def test_gradient_descent_limit_is_two_over_lambda_max():
    for lam_max in (0.05, 1.0, 18.0, 300.0):
        limit = analytic.gd_limit(lam_max, lam_min=lam_max / 7)
        assert limit == pytest.approx(2 / lam_max)
        assert spectral_radius(analytic.gd_matrix(limit, lam_max)) == pytest.approx(1.0)
        for lam in (lam_max / 7, lam_max):  # every eigen-direction is stable just below, the top one fails above
            assert spectral_radius(analytic.gd_matrix(0.999 * limit, lam)) < 1
        assert spectral_radius(analytic.gd_matrix(1.001 * limit, lam_max)) > 1
    assert analytic.gd_limit(1.0, lam_min=-1.0) == 0.0  # a saddle: no learning rate reaches a minimum


@pytest.mark.parametrize("limit_fn, matrix", [(analytic.heavy_ball_limit, analytic.heavy_ball_matrix),
                                              (analytic.nesterov_limit, analytic.nesterov_matrix)])
def test_momentum_limits_lie_where_the_spectral_radius_crosses_one(limit_fn, matrix):
    mu = np.linspace(0.0, 0.98, 50)
    for lam_max in (0.3, 1.0, 25.0):
        eta = limit_fn(mu, lam_max)
        np.testing.assert_allclose(spectral_radius(matrix(eta, mu, lam_max)), 1.0, atol=1e-7)
        assert np.all(spectral_radius(matrix(0.999 * eta, mu, lam_max)) < 1)
        assert np.all(spectral_radius(matrix(1.001 * eta, mu, lam_max)) > 1)
    np.testing.assert_allclose(analytic.heavy_ball_limit(mu, 2.0), 1 + mu)  # 2(1 + μ)/λ with λ = 2
    assert np.all(analytic.heavy_ball_limit(np.array([1.0, 1.5, -1.0]), 1.0) == 0)  # |μ| ≥ 1: never stable


def test_boundaries_and_registry_agree_with_the_limits():
    b = analytic.heavy_ball_boundary(4.0)
    np.testing.assert_allclose(b.eta, 2 * (1 + b.mu) / 4.0)
    n = analytic.nesterov_boundary(4.0, mu=[0.0, 0.5])
    np.testing.assert_allclose(n.eta, [0.5, 2 * 1.5 / (2.0 * 4.0)])
    assert analytic.learning_rate_limit("sgd", 4.0, 1.0) == pytest.approx(0.5)
    assert analytic.learning_rate_limit("momentum", 4.0, 1.0, momentum=0.9) == pytest.approx(0.95)
    assert analytic.learning_rate_limit("adam", 4.0, 1.0) is None


# ------------------------------------------------------------------------------------------------ the rules that run
def _diagonal(l1, l2, start):
    return quadratic([[l1, 0.0], [0.0, l2]], start=start)


@pytest.mark.parametrize("name, matrix, state0", [
    ("sgd", lambda e, m, l: analytic.gd_matrix(e, l), lambda x0: np.array([x0])),
    ("momentum", analytic.heavy_ball_matrix, lambda x0: np.array([x0, x0])),  # (x₀, x₋₁ = x₀): v₀ = 0
    ("nesterov", analytic.nesterov_matrix, lambda x0: np.array([x0, 0.0])),  # (x₀, v₀ = 0)
])
def test_iteration_matrices_reproduce_the_catalog_rules_as_run(name, matrix, state0):
    """Along each eigenvector of a diagonal quadratic the engine's path is s_t = M^t s_0 (first entry: x_t)."""
    lams, start, eta, mu, steps = (0.7, 3.0), (1.5, -0.8), 0.3, 0.6, 40
    hyper = {"learning_rate": eta} if name == "sgd" else {"learning_rate": eta, "momentum": mu}
    traj = optimizers.run(_diagonal(*lams, start), name, start=start, steps=steps, **hyper)
    for axis, lam in enumerate(lams):
        m, s = matrix(eta, mu, lam), state0(start[axis])
        path = [s[0]]
        for _ in range(steps):
            s = m @ s
            path.append(s[0])
        np.testing.assert_allclose(traj.xy[:, axis], path, rtol=1e-10, atol=1e-12)


def test_quadratic_hessian_recognises_quadratics_only():
    valley = landscapes.get("elongated_valley", kappa=50.0, angle=20.0)
    c, s = math.cos(math.radians(20.0)), math.sin(math.radians(20.0))
    rot = np.array([[c, s], [-s, c]])
    np.testing.assert_allclose(analytic.quadratic_hessian(valley), rot.T @ np.diag([1 / 50.0, 1.0]) @ rot,
                               atol=1e-12)
    np.testing.assert_allclose(analytic.quadratic_hessian(landscapes.get("booth")), [[10, 8], [8, 10]], atol=1e-12)
    typed = landscapes.from_expression("x**2 + 3*y**2 - x*y + 2*x", ((-2, 2), (-2, 2)))
    np.testing.assert_allclose(analytic.quadratic_hessian(typed), [[2, -1], [-1, 6]], atol=1e-12)
    for name in ("rosenbrock", "himmelblau", "quartic", "rastrigin"):
        assert analytic.quadratic_hessian(landscapes.get(name)) is None, name
    assert analytic.extreme_eigenvalues([[10, 8], [8, 10]]) == pytest.approx((2.0, 18.0))


# ------------------------------------------------------------------------------------------------ sweeps vs limits
def gd_diverges_closed_form(matrix, start, eta, steps) -> bool:
    """Whether x_t = (I − ηA)^t x_0 leaves the engine's bound (|x| or f beyond 1e6) within ``steps`` steps."""
    a = np.asarray(matrix, float)
    x = np.asarray(start, float)
    step = np.eye(2) - eta * a
    for _ in range(steps):
        x = step @ x
        if np.max(np.abs(x)) > BOUND or abs(0.5 * x @ a @ x) > BOUND:
            return True
    return False


def spd(lam_min, lam_max, angle):
    c, s = math.cos(angle), math.sin(angle)
    rot = np.array([[c, -s], [s, c]])
    return rot @ np.diag([lam_min, lam_max]) @ rot.T


QUADRATICS = {
    "valley": (landscapes.get("elongated_valley"), None),
    "booth": (landscapes.get("booth"), None),
    "matyas": (landscapes.get("matyas"), None),
    "random_spd": (None, spd(0.37, 6.3, 0.9)),
}


@pytest.mark.parametrize("which", list(QUADRATICS))
def test_gradient_descent_starts_to_diverge_at_two_over_lambda_max(which):
    surface, matrix = QUADRATICS[which]
    if surface is None:
        surface = quadratic(matrix, start=(2.5, -1.0))
    matrix = analytic.quadratic_hessian(surface)
    lam_min, lam_max = analytic.extreme_eigenvalues(matrix)
    limit = analytic.gd_limit(lam_max, lam_min)
    etas = np.geomspace(1e-3, 20.0, 130)
    spacing = etas[1] / etas[0]
    steps = 2000
    r = lab_compute.learning_rate_curve(surface, "sgd", etas, steps)
    diverged = r.diverged_at >= 0
    onset = lab_compute.divergence_onset(etas, diverged)
    # The sweep's onset lies within one grid spacing above the closed-form limit...
    assert limit < onset <= limit * spacing, (limit, onset)
    assert not diverged[etas < limit].any()
    # ...and every cell is what x_t = (I − ηA)^t x_0 says about the engine's bound.
    expected = [gd_diverges_closed_form(matrix, surface.start, eta, steps) for eta in etas]
    np.testing.assert_array_equal(diverged, expected)


def _adjacent_to(mask: np.ndarray) -> np.ndarray:
    """Cells that are in ``mask`` or share an edge or a corner with a cell in it."""
    padded = np.pad(mask, 1)
    out = np.zeros_like(mask)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            out |= padded[1 + dy:1 + dy + mask.shape[0], 1 + dx:1 + dx + mask.shape[1]]
    return out


@pytest.mark.parametrize("name", ["momentum", "nesterov"])
@pytest.mark.parametrize("matrix", [spd(0.05, 1.0, 0.52), spd(0.8, 12.0, -0.3)], ids=["kappa20", "kappa15"])
def test_momentum_phase_diagram_stable_region_matches_the_analytic_condition(name, matrix):
    surface = quadratic(matrix, start=(2.0, -1.5))
    lam_min, lam_max = analytic.extreme_eigenvalues(matrix)
    etas = np.geomspace(1e-3 / lam_max, 20.0 / lam_max, 48)
    mus = np.linspace(0.0, 0.99, 40)
    phase = lab_compute.phase_diagram(surface, name, "learning_rate", etas, "momentum", mus, steps=2000)
    swept = phase.diverged_at < 0
    stable = analytic.RULES[name].stable
    analytic_ok = stable(etas[None, :], mus[:, None], lam_min) & stable(etas[None, :], mus[:, None], lam_max)
    assert 0.2 < analytic_ok.mean() < 0.9  # the grid straddles the boundary
    # Cells next to the boundary may differ (a run just past it grows too slowly to reach the bound); none else.
    boundary = _adjacent_to(analytic_ok) & _adjacent_to(~analytic_ok)
    wrong = (swept != analytic_ok) & ~boundary
    assert not wrong.any(), np.argwhere(wrong)
    assert (swept == analytic_ok).mean() > 0.97
