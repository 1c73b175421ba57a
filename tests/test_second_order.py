"""Second-order rules (`optimizers.second_order`) against closed forms and NumPy: Newton's jump to the critical
point of the quadratic model (minimum, saddle or maximum alike), saddle-free Newton's escape, the damped and
curvature steps, and the pseudo-inverse on a singular Hessian."""

import jax.numpy as jnp
import numpy as np
import pytest

import landscapes
import optimizers
from landscapes.base import Landscape
from optimizers import second_order

A = np.array([[3.0, 1.0], [1.0, 2.0]])
B = np.array([1.0, -2.0])


def _shifted_quadratic(xy, theta):
    """½ xᵀAx − bᵀx: minimum at A⁻¹b."""
    return 0.5 * xy @ jnp.asarray(A) @ xy - jnp.asarray(B) @ xy


def _bowl_down(xy, theta):
    return -(xy[0] ** 2) - 2.0 * xy[1] ** 2


def _valley_floor(xy, theta):
    """x² + 0·y: the Hessian diag(2, 0) is singular."""
    return xy[0] ** 2 + 0.0 * xy[1]


def _surface(fn, start) -> Landscape:
    return Landscape(fn.__name__, fn.__name__, "", fn, ((-3, 3), (-3, 3)), start)


def _rosenbrock_np(x, y, a=1.0, b=100.0):
    """Value, gradient and Hessian of (a − x)² + b(y − x²)², by hand."""
    f = (a - x) ** 2 + b * (y - x * x) ** 2
    g = np.array([-2 * (a - x) - 4 * b * x * (y - x * x), 2 * b * (y - x * x)])
    h = np.array([[2 - 4 * b * (y - 3 * x * x), -4 * b * x], [-4 * b * x, 2 * b]])
    return f, g, h


POINTS = [(-1.2, 1.0), (0.3, 0.5), (1.5, 2.0), (0.0, -0.5), (0.9, 0.8)]


def test_specs_are_complete_and_need_the_hessian():
    names = [s.name for s in second_order.SPECS]
    assert names == ["newton", "damped_newton", "saddle_free_newton", "curvature_gd"]
    for spec in second_order.SPECS:
        assert spec.family == "second_order" and spec.needs == frozenset({"hessian"})
        assert spec.defaults()["learning_rate"] == 1.0 and "eps" in spec.defaults()
        assert optimizers.get(spec.name) is spec  # the catalog registers these very objects
    assert r"H^{+}" in second_order.SPECS[0].latex and r"\delta I" in second_order.SPECS[1].latex
    assert r"|H|_{\epsilon}" in second_order.SPECS[2].latex and r"|\lambda_i|" in second_order.SPECS[3].latex


def test_update_without_the_hessian_is_an_error():
    tx = second_order.newton()
    with pytest.raises(ValueError, match="Hessian"):
        tx.update(jnp.ones(2), tx.init(jnp.zeros(2)), jnp.zeros(2))


def test_newton_solves_a_quadratic_in_one_step():
    traj = optimizers.run(_surface(_shifted_quadratic, (2.5, -3.0)), "newton", steps=5)
    np.testing.assert_allclose(traj.xy[1], np.linalg.solve(A, B), atol=1e-12)
    assert (traj.status, traj.converged_at) == ("converged", 1)


@pytest.mark.parametrize("start", [(0.1, 0.1), (0.05, 0.4), (-0.4, 0.05), (1.0, -0.3)])
def test_newton_jumps_onto_the_saddle(start):
    """On x² − y² the quadratic model is exact: Newton's step lands on the saddle, not on lower ground."""
    traj = optimizers.run(landscapes.get("saddle"), "newton", start=start, steps=10)
    np.testing.assert_allclose(traj.xy[1], [0.0, 0.0], atol=1e-15)
    assert traj.status == "converged" and traj.converged_at == 1
    assert traj.loss[1] == 0.0
    if start[1] ** 2 > start[0] ** 2:
        assert traj.loss[1] > traj.loss[0]  # it climbed: attracted to the saddle even from lower ground


def test_newton_climbs_to_a_maximum():
    traj = optimizers.run(_surface(_bowl_down, (0.3, -0.2)), "newton", steps=3)
    np.testing.assert_allclose(traj.xy[1], [0.0, 0.0], atol=1e-15)
    assert traj.loss[1] > traj.loss[0]  # the loss went UP: Newton seeks critical points, not minima


def test_saddle_free_newton_escapes_the_saddle():
    traj = optimizers.run(landscapes.get("saddle"), "saddle_free_newton", start=(0.1, 0.1), steps=40)
    # |H|⁻¹ = diag(1/2, 1/2): x ← x − x = 0, y ← y + y = 2y; the loss falls every step.
    ys = 0.1 * 2.0 ** np.arange(1, 8)
    np.testing.assert_allclose(traj.xy[1:8], np.column_stack([np.zeros(7), ys]), rtol=1e-14, atol=1e-15)
    assert np.all(np.diff(traj.loss[: traj.diverged_at]) < 0)
    assert traj.status == "diverged"  # x² − y² is unbounded below: |y| passes 1e3 and f passes −1e6


@pytest.mark.parametrize("damping", [0.5, 5.0, 50.0])
@pytest.mark.parametrize("eta", [1.0, 0.3])
def test_damped_newton_step_matches_numpy(damping, eta):
    surface = landscapes.get("rosenbrock")
    for x, y in POINTS:
        _, g, h = _rosenbrock_np(x, y)
        expected = np.array([x, y]) - eta * np.linalg.solve(h + damping * np.eye(2), g)
        traj = optimizers.run(surface, "damped_newton", start=(x, y), steps=1, learning_rate=eta, damping=damping)
        np.testing.assert_allclose(traj.xy[1], expected, rtol=1e-10, atol=1e-12)


def test_newton_and_saddle_free_steps_match_numpy():
    surface = landscapes.get("rosenbrock")
    for x, y in POINTS:
        _, g, h = _rosenbrock_np(x, y)
        lam, q = np.linalg.eigh(h)
        newton = np.array([x, y]) - np.linalg.solve(h, g)
        saddle_free = np.array([x, y]) - q @ ((q.T @ g) / np.abs(lam))
        got = optimizers.run(surface, "newton", start=(x, y), steps=1).xy[1]
        np.testing.assert_allclose(got, newton, rtol=1e-10, atol=1e-12)
        got = optimizers.run(surface, "saddle_free_newton", start=(x, y), steps=1).xy[1]
        np.testing.assert_allclose(got, saddle_free, rtol=1e-10, atol=1e-12)


def test_curvature_step_is_one_over_the_largest_eigenvalue():
    surface = landscapes.get("rosenbrock")
    for x, y in POINTS:
        _, g, h = _rosenbrock_np(x, y)
        lam_max = np.abs(np.linalg.eigvalsh(h)).max()
        traj = optimizers.run(surface, "curvature_gd", start=(x, y), steps=1, learning_rate=0.7)
        np.testing.assert_allclose(traj.xy[1], np.array([x, y]) - 0.7 * g / lam_max, rtol=1e-10, atol=1e-12)
        assert traj.learning_rate[0] == 0.7


def test_singular_hessian_uses_the_pseudo_inverse():
    surface = _surface(_valley_floor, (1.5, 0.7))
    traj = optimizers.run(surface, "newton", steps=3)
    np.testing.assert_array_equal(traj.xy[1], [0.0, 0.7])  # no step along the zero-curvature direction
    assert traj.status == "converged" and np.all(np.isfinite(traj.xy))
    # H + δI is invertible where H is not: the damped step along y is g_y/δ = 0 as well, along x 2x/(2 + δ).
    damped = optimizers.run(surface, "damped_newton", steps=1, damping=2.0)
    np.testing.assert_allclose(damped.xy[1], [1.5 - 3.0 / 4.0, 0.7], rtol=1e-14)


def test_eigenvalues_below_eps_are_dropped_and_above_kept():
    tx_drop, tx_keep = second_order.scale_by_newton(eps=1e-3), second_order.scale_by_newton(eps=1e-5)
    h = jnp.diag(jnp.array([2.0, 1e-4]))
    g = jnp.array([1.0, 1.0])
    drop, _ = tx_drop.update(g, tx_drop.init(g), hessian=h)
    keep, _ = tx_keep.update(g, tx_keep.init(g), hessian=h)
    np.testing.assert_allclose(drop, [0.5, 0.0])
    np.testing.assert_allclose(keep, [0.5, 1e4])
    floor = second_order.scale_by_saddle_free_newton(eps=1e-2)
    floored, _ = floor.update(g, floor.init(g), hessian=jnp.diag(jnp.array([-4.0, 1e-6])))
    np.testing.assert_allclose(floored, [0.25, 100.0])


def test_closed_form_2x2_eigendecomposition_matches_numpy():
    rng = np.random.default_rng(1)
    matrices = [rng.normal(size=(2, 2)) * rng.choice([1e-6, 1.0, 1e4]) for _ in range(200)]
    matrices += [np.diag([3.0, 3.0]), np.diag([0.0, 0.0]), np.diag([-1.0, 2.0]), np.array([[0.0, 1.0], [1.0, 0.0]])]
    for m in matrices:
        sym = 0.5 * (m + m.T)
        lam, q = second_order._eigh(jnp.asarray(sym))
        scale = max(np.abs(sym).max(), 1e-300)
        np.testing.assert_allclose(lam, np.linalg.eigvalsh(sym), rtol=0, atol=1e-14 * scale)
        np.testing.assert_allclose(q @ np.diag(lam) @ q.T, sym, rtol=0, atol=1e-14 * scale)
        np.testing.assert_allclose(q.T @ q, np.eye(2), atol=1e-15)
