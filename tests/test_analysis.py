"""landscapes.analysis against mathematics: closed-form derivatives and critical points, literature values,
independent NumPy linear algebra, the centred-difference error law, and the no-recompile promise."""

from __future__ import annotations

import dataclasses
import math
import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import landscapes
from landscapes import analysis
from landscapes.base import Landscape, Minimum

# ------------------------------------------------------------------------------------------------- test surfaces


def quadratic_form(xy, theta):
    """½ (x − c)ᵀ R diag(λ₁, λ₂) Rᵀ (x − c) with theta = (λ₁, λ₂, angle, c_x, c_y)."""
    l1, l2, phi, cx, cy = theta
    u, v = xy[0] - cx, xy[1] - cy
    p = jnp.cos(phi) * u + jnp.sin(phi) * v
    q = -jnp.sin(phi) * u + jnp.cos(phi) * v
    return 0.5 * (l1 * p * p + l2 * q * q)


def monkey(xy, theta):
    return xy[0] ** 3 - 3 * xy[0] * xy[1] ** 2


def quartic(xy, theta):
    return xy[0] ** 4 + xy[1] ** 4


def sin_sin(xy, theta):
    return jnp.sin(xy[0]) * jnp.sin(xy[1])


def himmelblau_np(x, y):
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def himmelblau_grad_np(x, y):
    return np.array([4 * x * (x**2 + y - 11) + 2 * (x + y**2 - 7), 2 * (x**2 + y - 11) + 4 * y * (x + y**2 - 7)])


def himmelblau_hess_np(x, y):
    return np.array([[12 * x**2 + 4 * y - 42, 4 * x + 4 * y], [4 * x + 4 * y, 4 * x + 12 * y**2 - 26]])


BOX = ((-3.0, 3.0), (-3.0, 3.0))


def surface(fn, bounds=BOX, **params) -> Landscape:
    return Landscape(fn.__name__, fn.__name__, "", fn, bounds, (0.0, 0.0), params=tuple(params.items()))


def quad(l1, l2, phi=0.0, cx=0.0, cy=0.0, bounds=BOX) -> Landscape:
    return surface(quadratic_form, bounds, l1=l1, l2=l2, phi=phi, cx=cx, cy=cy)


# ------------------------------------------------------------------------------------------------- derivatives


def test_gradient_and_hessian_match_closed_form_on_points_and_grids():
    himmelblau = landscapes.get("himmelblau")
    rng = np.random.default_rng(0)
    pts = rng.uniform(-5, 5, size=(4, 3, 2))
    g = analysis.gradient(himmelblau, pts)
    h = analysis.hessian(himmelblau, pts)
    assert g.shape == (4, 3, 2) and h.shape == (4, 3, 2, 2)
    for idx in np.ndindex(4, 3):
        x, y = pts[idx]
        np.testing.assert_allclose(g[idx], himmelblau_grad_np(x, y), rtol=1e-12, atol=1e-10)
        np.testing.assert_allclose(h[idx], himmelblau_hess_np(x, y), rtol=1e-12, atol=1e-10)
    np.testing.assert_allclose(analysis.value(himmelblau, pts), himmelblau_np(pts[..., 0], pts[..., 1]), rtol=1e-13)
    assert analysis.gradient(himmelblau, (1.0, 2.0)).shape == (2,)


def test_evaluate_grid_is_f_on_the_mesh_rows_are_y():
    himmelblau = landscapes.get("himmelblau")
    bounds = ((-4.0, 2.0), (-1.0, 3.0))
    xs, ys, z = analysis.evaluate_grid(himmelblau, bounds, n=200)
    assert xs.shape == ys.shape == (200,) and z.shape == (200, 200)
    assert (xs[0], xs[-1], ys[0], ys[-1]) == (-4.0, 2.0, -1.0, 3.0)
    np.testing.assert_allclose(z, himmelblau_np(xs[None, :], ys[:, None]), rtol=1e-13)


def test_curvature_maps_match_numpy_eigenvalues_and_shapes():
    himmelblau = landscapes.get("himmelblau")
    maps = analysis.curvature_maps(himmelblau, n=40)
    gx, gy = np.meshgrid(maps.xs, maps.ys)
    lam = np.linalg.eigvalsh(himmelblau_hess_np(gx, gy).transpose(2, 3, 0, 1))
    np.testing.assert_allclose(maps.lam_min, lam[..., 0], rtol=1e-10, atol=1e-9)
    np.testing.assert_allclose(maps.lam_max, lam[..., 1], rtol=1e-10, atol=1e-9)
    np.testing.assert_allclose(maps.det, lam[..., 0] * lam[..., 1], rtol=1e-9, atol=1e-8)
    expected = np.where(lam[..., 0] > 0, 0, np.where(lam[..., 1] < 0, 1, 2))
    np.testing.assert_array_equal(maps.shape, expected)  # no grid node of this box sits on det H = 0
    np.testing.assert_allclose(maps.condition, np.abs(lam).max(-1) / np.abs(lam).min(-1), rtol=1e-8)
    # Everywhere-bowl and everywhere-saddle quadratics, and the monkey saddle: saddle-shaped except the flat origin.
    assert set(np.unique(analysis.curvature_maps(quad(1.0, 3.0), n=9).shape)) == {analysis.SHAPES.index("bowl")}
    assert set(np.unique(analysis.curvature_maps(quad(1.0, -3.0), n=9).shape)) == {analysis.SHAPES.index("saddle")}
    m = analysis.curvature_maps(surface(monkey), n=9)
    assert m.shape[4, 4] == analysis.SHAPES.index("flat") and m.condition[4, 4] == np.inf
    assert np.sum(m.shape == analysis.SHAPES.index("saddle")) == 80


# ------------------------------------------------------------------------------------------------- classify


@pytest.mark.parametrize(
    ("landscape", "kind", "eigenvalues", "words"),
    [
        (quad(2.0, 2.0), "minimum", (2.0, 2.0), "positive definite"),
        (quad(-2.0, -2.0), "maximum", (-2.0, -2.0), "negative definite"),
        (quad(2.0, -2.0), "saddle", (-2.0, 2.0), "indefinite"),
        (surface(monkey), "degenerate", (0.0, 0.0), "inconclusive"),
        (surface(quartic), "degenerate", (0.0, 0.0), "inconclusive"),
    ],
)
def test_classify_closed_forms_at_the_origin(landscape, kind, eigenvalues, words):
    info = analysis.classify(landscape, (0.0, 0.0))
    assert info.kind == kind
    assert words in info.reason
    np.testing.assert_allclose(info.eigenvalues, eigenvalues, atol=1e-12)
    np.testing.assert_allclose(info.gradient, 0.0, atol=1e-15)
    assert info.value == 0.0


def test_classify_eigenvectors_are_columns_of_the_rotation():
    phi = 0.3
    info = analysis.classify(quad(1.0, 5.0, phi=phi), (0.0, 0.0))
    np.testing.assert_allclose(info.eigenvalues, (1.0, 5.0), rtol=1e-12)
    np.testing.assert_allclose(np.abs(info.eigenvectors[:, 0]), np.abs([np.cos(phi), np.sin(phi)]), atol=1e-12)
    np.testing.assert_allclose(np.abs(info.eigenvectors[:, 1]), np.abs([-np.sin(phi), np.cos(phi)]), atol=1e-12)
    np.testing.assert_allclose(info.hessian @ info.eigenvectors, info.eigenvectors * info.eigenvalues, atol=1e-12)


def test_classify_regular_point_says_why():
    info = analysis.classify(quad(2.0, 2.0), (1.0, 0.5))
    assert info.kind == "regular"
    np.testing.assert_allclose(info.gradient, (2.0, 1.0), rtol=1e-14)
    assert "not a critical point" in info.reason and "2.236" in info.reason  # ‖∇f‖ = √5


def test_classify_points_gives_each_points_own_verdict_in_one_call():
    # A point of each kind, and one where f underflows float64 (exp(1000x) at x = -1 is 1e-434): batched, each
    # record is the one `classify` gives alone, in the order given.
    cases = [(quad(2.0, -2.0), [(0.0, 0.0), (1.0, 0.5), (0.0, 0.0)]),
             (surface(monkey), [(0.0, 0.0), (0.3, -0.2)])]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cases.append((landscapes.from_expression("exp(1000*x)", BOX), [(-1.0, 0.0), (0.001, 0.0)]))
        for landscape, points in cases:
            batch = analysis.classify_points(landscape, np.array(points))
            alone = [analysis.classify(landscape, xy) for xy in points]
            assert [b.kind for b in batch] == [a.kind for a in alone]
            assert [b.reason for b in batch] == [a.reason for a in alone]
            for b, a in zip(batch, alone):
                np.testing.assert_array_equal(b.xy, a.xy)
                np.testing.assert_allclose(b.eigenvalues, a.eigenvalues, rtol=1e-14, atol=0)
    assert [b.kind for b in analysis.classify_points(cases[0][0], np.array(cases[0][1]))] == [
        "saddle", "regular", "saddle"]
    assert analysis.classify_points(cases[2][0], np.array(cases[2][1]))[0].kind == "out_of_range"


def test_classify_tolerance_is_the_documented_one():
    # f = x² + y² on a box of diagonal L = 6√2: critical iff ‖∇f‖ = 2|x| ≤ 1e-6 · max(1, |f|/L, 2L).
    gtol = 1e-6 * 2 * 6 * math.sqrt(2)
    assert analysis.classify(quad(2.0, 2.0), (0.45 * gtol, 0.0)).kind == "minimum"
    assert analysis.classify(quad(2.0, 2.0), (0.55 * gtol, 0.0)).kind == "regular"
    # Degenerate iff min|λ| ≤ 1e-6 · max(1, max|λ|).
    assert analysis.classify(quad(0.9e-6, 1.0), (0.0, 0.0)).kind == "degenerate"
    assert analysis.classify(quad(1.1e-6, 1.0), (0.0, 0.0)).kind == "minimum"
    assert analysis.classify(quad(-4e-6, 3.0), (0.0, 0.0)).kind == "saddle"


# ------------------------------------------------------------------------------------------------- critical points

HIMMELBLAU_LITERATURE = {  # Himmelblau (1972); the saddles and the maximum as tabulated e.g. on Wikipedia
    "minimum": [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)],
    "maximum": [(-0.270845, -0.923039)],
    "saddle": [(0.086677, 2.884254), (-3.073026, -0.081353), (3.385154, 0.073852), (-0.127961, -1.953715)],
}


def test_himmelblau_has_nine_critical_points_at_the_literature_values():
    found = analysis.critical_points(landscapes.get("himmelblau"), seeds=())
    assert len(found) == 9
    for kind, points in HIMMELBLAU_LITERATURE.items():
        mine = [p for p in found if p.kind == kind]
        assert len(mine) == len(points), kind
        for xy in points:
            assert min(np.linalg.norm(p.xy - xy) for p in mine) < 1e-5, (kind, xy)
    assert [p.value for p in found] == sorted(p.value for p in found)
    assert max(np.linalg.norm(p.gradient) for p in found) < 1e-9


def test_sin_sin_critical_points_are_the_multiples_of_half_pi():
    found = analysis.critical_points(surface(sin_sin, ((-5.0, 5.0), (-5.0, 5.0))))
    half = [k * math.pi / 2 for k in range(-3, 4)]
    expected = {}
    for x in half:
        for y in half:
            odd_x, odd_y = round(2 * x / math.pi) % 2, round(2 * y / math.pi) % 2
            if odd_x != odd_y:
                continue  # ∇f = (cos x sin y, sin x cos y) vanishes only where both or neither cosine does
            if odd_x:  # |sin x sin y| = 1: an extremum of value ±1
                expected[(x, y)] = "maximum" if math.sin(x) * math.sin(y) > 0 else "minimum"
            else:
                expected[(x, y)] = "saddle"  # f ≈ ±(x − kπ)(y − mπ) there
    assert len(expected) == 16 + 9
    assert len(found) == len(expected)
    for (x, y), kind in expected.items():
        p = min(found, key=lambda p: np.linalg.norm(p.xy - (x, y)))
        assert np.linalg.norm(p.xy - (x, y)) < 1e-9 and p.kind == kind, (x, y, p)


@pytest.mark.parametrize("fn", [monkey, quartic])
def test_degenerate_critical_point_found_once(fn):
    found = analysis.critical_points(surface(fn, ((-2.0, 2.0), (-2.0, 2.0))))
    assert len(found) == 1
    assert found[0].kind == "degenerate"
    assert np.linalg.norm(found[0].xy) < 1e-6


def test_points_outside_the_box_are_dropped():
    himmelblau = landscapes.get("himmelblau")
    found = analysis.critical_points(himmelblau, bounds=((0.0, 5.0), (0.0, 5.0)))
    assert sorted(p.kind for p in found) == ["minimum", "saddle", "saddle"]  # (3, 2), (0.087, 2.88), (3.39, 0.074)
    assert all(np.all(p.xy >= 0) for p in found)


def test_cap_keeps_the_lowest_and_warns():
    rastrigin = landscapes.get("rastrigin")
    with pytest.warns(UserWarning, match="441 critical points"):
        found = analysis.critical_points(rastrigin)
    assert len(found) == analysis.MAX_POINTS
    everything = analysis.critical_points(rastrigin, max_points=10_000)
    assert len(everything) == 21 * 21  # 11 minima and 10 maxima per axis in [−5.12, 5.12], crossed
    assert [p.value for p in found] == [p.value for p in everything[: analysis.MAX_POINTS]]


@settings(max_examples=40, deadline=None)
@given(
    l1=st.floats(0.05, 5.0), l2=st.floats(0.05, 5.0), s1=st.sampled_from([-1, 1]), s2=st.sampled_from([-1, 1]),
    phi=st.floats(0.0, math.pi), cx=st.floats(-2.9, 2.9), cy=st.floats(-2.9, 2.9),
)
def test_quadratic_forms_have_one_critical_point_of_the_right_kind(l1, l2, s1, s2, phi, cx, cy):
    lam = sorted((s1 * l1, s2 * l2))
    found = analysis.critical_points(quad(s1 * l1, s2 * l2, phi, cx, cy))
    assert len(found) == 1
    p = found[0]
    np.testing.assert_allclose(p.xy, (cx, cy), atol=1e-9)
    np.testing.assert_allclose(p.eigenvalues, lam, rtol=1e-9)
    kind = "minimum" if lam[0] > 0 else "maximum" if lam[1] < 0 else "saddle"
    assert p.kind == kind


# ------------------------------------------------------------------------------------------------- gradient check


@pytest.mark.parametrize(("name", "xy"), [("himmelblau", (1.3, -0.7)), ("rosenbrock", (-1.2, 1.0)),
                                          ("beale", (1.0, 1.5)), ("goldstein_price", (0.4, -0.3))])
def test_gradient_check_is_tiny_for_smooth_surfaces(name, xy):
    check = analysis.gradient_check(landscapes.get(name), xy)
    assert check.error < 1e-7
    assert np.all(check.relative_error < 1e-7)
    np.testing.assert_allclose(check.analytic, analysis.gradient(landscapes.get(name), xy), rtol=1e-15)
    assert 1e-8 < check.best_h < 1e-3


def test_gradient_check_error_curve_is_a_v():
    # Himmelblau is a quartic, so the centred difference is exact up to f'''h²/6: slope 2 in log-log at large h.
    check = analysis.gradient_check(landscapes.get("himmelblau"), (1.3, -0.7))
    hs, errors = check.hs, check.errors
    assert hs[0] == pytest.approx(1e-1) and hs[-1] == pytest.approx(1e-13)
    best = int(np.argmin(errors))
    assert 0 < best < len(hs) - 1
    assert errors[0] > 1e3 * errors[best] and errors[-1] > 1e3 * errors[best]
    i1, i2 = 0, int(np.argmin(np.abs(hs - 1e-2)))
    slope = math.log10(errors[i1] / errors[i2]) / math.log10(hs[i1] / hs[i2])
    assert slope == pytest.approx(2.0, abs=0.05)


@jax.custom_jvp
def _wrong_square(x):
    return x * x


@_wrong_square.defjvp
def _wrong_square_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    return x * x, 3.0 * x * t  # a planted bug: d(x²)/dx is 2x


def buggy(xy, theta):
    return _wrong_square(xy[0]) + _wrong_square(xy[1])


def test_gradient_check_catches_a_wrong_gradient():
    check = analysis.gradient_check(surface(buggy), (0.7, -1.1))
    assert check.error > 1e-2  # cs231n: above 1e-2 the gradient is wrong
    # |3x − 2x| / (|3x| + |2x|) = 1/5 in each component, whatever h: no V, a flat line at 0.2.
    moderate = (check.hs <= 1e-2) & (check.hs >= 1e-7)
    np.testing.assert_allclose(check.errors[moderate], 0.2, rtol=1e-4)
    np.testing.assert_allclose(check.relative_error, 0.2, rtol=1e-3)


# ------------------------------------------------------------------------------------------------- compile once


def test_changed_theta_and_bounds_do_not_recompile():
    # The jitted functions live per surface family in analysis's LRU; the same bundle must be reused (a fresh one
    # would start with empty caches and hide recompiles), and none of its jits may gain an entry.
    jitted = analysis._compiled(quadratic_form)

    def calls(l1, bounds):
        landscape = quad(l1, -1.0, 0.2, 0.1, -0.1, bounds=bounds)
        analysis.critical_points(landscape)
        analysis.classify(landscape, (0.3, 0.2))
        analysis.evaluate_grid(landscape, n=50)
        analysis.curvature_maps(landscape, n=30)
        analysis.gradient_check(landscape, (0.3, 0.2))

    calls(1.0, BOX)
    sizes = [f._cache_size() for f in jitted]
    calls(2.5, ((-1.0, 2.0), (-4.0, 0.5)))
    calls(-0.7, ((-10.0, 10.0), (-1.0, 1.0)))
    assert analysis._compiled(quadratic_form) is jitted
    assert [f._cache_size() for f in jitted] == sizes
    assert all(size > 0 for size in sizes)  # each jit was really used (and compiled) by `calls`


# ------------------------------------------------------------------------------------------------- the catalog

DEGENERATE_MINIMA = {"quartic"}  # x⁴ + y⁴: H = 0 at the minimum (catalog description says so)


@pytest.mark.parametrize("name", landscapes.names())
def test_catalog_minima_are_minima(name):
    landscape = landscapes.get(name)
    expected = "degenerate" if name in DEGENERATE_MINIMA else "minimum"
    for m in landscape.minima:
        info = analysis.classify(landscape, m.xy)
        assert info.kind == expected, (m, info.reason)


@pytest.mark.parametrize("name", landscapes.names())
def test_catalog_atlas_contains_every_listed_minimum(name):
    """Without seeding from the listed minima (else the check would be circular), except at Ackley's cone tip,
    which Newton cannot approach (f is not differentiable there; seeding finds it, tested below)."""
    landscape = landscapes.get(name)
    (x0, x1), (y0, y1) = landscape.bounds
    diag = math.hypot(x1 - x0, y1 - y0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Rastrigin's cap
        found = analysis.critical_points(landscape, seeds=(), max_points=10_000)
    expected = "degenerate" if name in DEGENERATE_MINIMA else "minimum"
    for m in landscape.minima:
        if name == "ackley" and m.xy == (0.0, 0.0):
            continue
        assert x0 <= m.xy[0] <= x1 and y0 <= m.xy[1] <= y1
        p = min(found, key=lambda p: np.linalg.norm(p.xy - m.xy))
        assert np.linalg.norm(p.xy - m.xy) < 1e-5 * diag and p.kind == expected, (m, p.xy, p.kind)


def test_seeds_recover_ackleys_cone_tip():
    ackley = landscapes.get("ackley")
    assert not any(np.linalg.norm(p.xy) < 1e-9 for p in analysis.critical_points(ackley, seeds=()))
    tip = [p for p in analysis.critical_points(ackley) if np.linalg.norm(p.xy) < 1e-9]
    assert len(tip) == 1 and tip[0].kind == "minimum" and tip[0].value == pytest.approx(0.0, abs=1e-12)


def test_seed_that_is_not_critical_is_not_reported():
    booth = landscapes.get("booth")  # a quadratic bowl with its only critical point at (1, 3)
    bogus = dataclasses.replace(booth, minima=(Minimum((-5.0, 5.0), 0.0),))
    found = analysis.critical_points(bogus)
    assert len(found) == 1 and np.allclose(found[0].xy, (1.0, 3.0), atol=1e-10)


def test_merge_roots_merges_across_bucket_edges_and_keeps_the_best():
    tol = 1e-3
    xy = np.array([[tol * (1 - 1e-3), 0.0], [tol * (1 + 1e-3), 0.0], [5 * tol, 0.0], [5 * tol, 3 * tol]])
    keep = analysis.merge_roots(xy, np.array([2e-12, 1e-12, 0.0, 0.0]), tol)
    assert sorted(keep.tolist()) == [1, 2, 3]  # 0 and 1 are one root (1 has the smaller gradient); 2, 3 apart


# ------------------------------------------------------------------------------------------------ the verdict as data
def test_the_verdict_is_a_reason_code_with_the_numbers_the_test_compared():
    from landscapes import verdict

    surface = landscapes.get("himmelblau")
    for p in landscapes.critical_points(surface):
        why = p.verdict
        assert verdict.REASONS[why.code] == p.kind == why.kind
        np.testing.assert_allclose([why.lam_min, why.lam_max], np.linalg.eigvalsh(p.hessian), rtol=1e-12)
        assert why.grad_norm == pytest.approx(np.linalg.norm(p.gradient)) and why.grad_norm <= why.grad_tol
        assert why.zero_tol == pytest.approx(1e-6 * max(1.0, abs(why.lam_min), abs(why.lam_max)))
    codes = sorted(p.verdict.code for p in landscapes.critical_points(surface))
    assert codes == ["indefinite"] * 4 + ["negative_definite"] + ["positive_definite"] * 4
    off = landscapes.classify(surface, (1.0, 2.0))  # ∇f = (-36, -32)... not critical
    assert off.verdict.code == "not_critical" and off.verdict.grad_norm > off.verdict.grad_tol
    assert off.verdict.curvature in landscapes.KINDS


@pytest.mark.parametrize("lam_min, lam_max, expected", [
    (1.0, 2.0, "minimum"), (-2.0, -1.0, "maximum"), (-1.0, 2.0, "saddle"), (0.0, 2.0, "degenerate"),
    (-3.0, 5e-7, "degenerate"), (-1.0, 2e-6, "saddle"), (2e-6, 1.0, "minimum"), (-3.0, 2e-6, "degenerate"),
    (-1e-7, 1e-7, "degenerate"),
])
def test_curvature_code_is_the_second_derivative_test_in_numpy_and_in_jax(lam_min, lam_max, expected):
    import jax.numpy as jnp

    from landscapes import verdict

    tol = 1e-6 * max(1.0, abs(lam_min), abs(lam_max))  # the surfaces' scale: |λ| ≤ 3e-6 is zero next to λ = −3
    assert landscapes.KINDS[int(verdict.curvature_code(lam_min, lam_max, tol))] == expected
    assert landscapes.KINDS[int(verdict.curvature_code(jnp.float64(lam_min), jnp.float64(lam_max), tol, jnp))] \
        == expected
