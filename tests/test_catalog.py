"""The built-in surfaces against mathematics: independent NumPy formulas, stationarity and curvature at every
listed minimum, a grid search for unlisted minima, finite differences and closed-form Hessians."""

from __future__ import annotations

import math
import re
from functools import lru_cache

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import landscapes
from landscapes import catalog
from landscapes.base import Landscape, ParamSpec

NAMES = catalog.names()
REQUIRED = {
    "elongated_valley", "saddle", "monkey_saddle", "rosenbrock", "beale", "himmelblau", "rastrigin", "ackley",
    "booth", "goldstein_price", "styblinski_tang", "three_hump_camel", "wells", "quartic",
}
NO_MINIMUM = {"saddle", "monkey_saddle"}  # unbounded below
DEGENERATE = {("quartic", (0.0, 0.0))}  # zero Hessian, documented
PARTIAL = {"rastrigin", "ackley"}  # a lattice of local minima; only some are listed

# Non-default parameter values, so closed forms that depend on them are exercised too.
CASES = [(name, {}) for name in NAMES] + [
    ("elongated_valley", {"kappa": 1000.0, "angle": -60.0}),
    ("elongated_valley", {"kappa": 1.0, "angle": 90.0}),
    ("rosenbrock", {"a": -0.7, "b": 3.0}),
    ("rosenbrock", {"a": 1.3, "b": 900.0}),
]
CASE_IDS = [name + "".join(f"-{k}={v:g}" for k, v in p.items()) for name, p in CASES]


def _wells_numpy(x, y):
    wells = [((-2.0, -1.5), 1.0, 1.0), ((-1.5, 2.0), 0.6, 0.5), ((0.0, 0.0), 0.3, 0.4)]
    f = 0.5 * (1 + np.tanh(2.5 * (x - 1)))
    for (cx, cy), d, s in wells:
        f -= d * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / s)
    return f + 0.002 * ((x + 2) ** 2 + (y + 1.5) ** 2)


def _valley_numpy(x, y, kappa, angle):
    phi = np.radians(angle)
    u, v = x * np.cos(phi) + y * np.sin(phi), -x * np.sin(phi) + y * np.cos(phi)
    return 0.5 * (u**2 / kappa + v**2)


# The formulas as the literature writes them, in NumPy, independently of the JAX code.
NUMPY = {
    "elongated_valley": _valley_numpy,
    "saddle": lambda x, y: x**2 - y**2,
    "monkey_saddle": lambda x, y: np.real((x + 1j * y) ** 3),
    "rosenbrock": lambda x, y, a, b: (a - x) ** 2 + b * (y - x**2) ** 2,
    "beale": lambda x, y: sum((c - x * (1 - y**k)) ** 2 for k, c in ((1, 1.5), (2, 2.25), (3, 2.625))),
    "himmelblau": lambda x, y: (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2,
    "rastrigin": lambda x, y: 10 * 2 + sum(t**2 - 10 * np.cos(2 * np.pi * t) for t in (x, y)),
    "ackley": lambda x, y: (-20 * np.exp(-0.2 * np.sqrt(0.5 * (x**2 + y**2)))
                            - np.exp(0.5 * (np.cos(2 * np.pi * x) + np.cos(2 * np.pi * y))) + np.e + 20),
    "booth": lambda x, y: (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2,
    "matyas": lambda x, y: 0.26 * (x**2 + y**2) - 0.48 * x * y,
    "goldstein_price": lambda x, y: (
        (1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x**2 - 14 * y + 6 * x * y + 3 * y**2))
        * (30 + (2 * x - 3 * y) ** 2 * (18 - 32 * x + 12 * x**2 + 48 * y - 36 * x * y + 27 * y**2))),
    "styblinski_tang": lambda x, y: sum(t**4 - 16 * t**2 + 5 * t for t in (x, y)) / 2,
    "three_hump_camel": lambda x, y: 2 * x**2 - 1.05 * x**4 + x**6 / 6 + x * y + y**2,
    "six_hump_camel": lambda x, y: (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2,
    "wells": _wells_numpy,
    "quartic": lambda x, y: x**4 + y**4,
}


# ------------------------------------------------------------------------------------------------ helpers
def _padded(points):
    """Points as ``(m, 2)`` with ``m`` a power of two (at least 256), so each surface compiles two shapes only."""
    p = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    out = np.zeros((max(256, 1 << (len(p) - 1).bit_length()), 2))
    out[: len(p)] = p
    return jnp.asarray(out), len(p)


@lru_cache(maxsize=None)
def _compiled(fn):
    """Batched value, gradient and Hessian of a family ``fn(xy, theta)``, and the value alone."""
    def everything(p, theta):
        return fn(p, theta), jax.grad(fn)(p, theta), jax.hessian(fn)(p, theta)

    return jax.jit(jax.vmap(everything, in_axes=(0, None))), jax.jit(jax.vmap(fn, in_axes=(0, None)))


def _derivatives(surface: Landscape, points):
    p, n = _padded(points)
    return tuple(np.asarray(a)[:n] for a in _compiled(surface.fn)[0](p, surface.theta))


def _values(surface: Landscape, points):
    p, n = _padded(points)
    return np.asarray(_compiled(surface.fn)[1](p, surface.theta))[:n]


@lru_cache(maxsize=None)
def _newton(fn):
    hess, grad = jax.hessian(fn), jax.grad(fn)

    def step(_, state):
        q, theta = state
        (a, b), (c, d) = hess(q, theta)
        g = grad(q, theta)
        # 2x2 solve by Cramer's rule: compiles far faster than a general LU
        return q - jnp.stack([d * g[0] - b * g[1], a * g[1] - c * g[0]]) / (a * d - b * c), theta

    def polish(p, theta):
        return jax.lax.fori_loop(0, 50, step, (p, theta))[0]

    return jax.jit(jax.vmap(polish, in_axes=(0, None)))


def _polish(surface: Landscape, points):
    p, n = _padded(points)
    return np.asarray(_newton(surface.fn)(p, surface.theta))[:n]


def _random_points(surface: Landscape, n: int, seed: int):
    (x0, x1), (y0, y1) = surface.bounds
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)])


def _inside(surface: Landscape, p) -> bool:
    (x0, x1), (y0, y1) = surface.bounds
    return x0 <= p[0] <= x1 and y0 <= p[1] <= y1


# ------------------------------------------------------------------------------------------------ registry
def test_names_registry_order_and_url_safety():
    assert NAMES[0] == "elongated_valley"
    assert len(set(NAMES)) == len(NAMES)
    assert REQUIRED <= set(NAMES)
    assert set(NUMPY) == set(NAMES), "every surface needs an independent NumPy formula here"
    for name in NAMES:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", name), name


@pytest.mark.parametrize("name", NAMES)
def test_surface_record_is_complete(name):
    surface = catalog.get(name)
    assert surface.name == name
    assert surface.title and surface.description and surface.reference
    assert surface.latex.startswith("f(x,y) =")
    assert surface.fn.__doc__ and len(surface.fn.__doc__) > 40
    (x0, x1), (y0, y1) = surface.bounds
    assert x0 < x1 and y0 < y1
    assert _inside(surface, surface.start)
    assert np.isfinite(float(surface.f(surface.start)))
    for m in surface.minima:
        assert _inside(surface, m.xy), m
        assert m.kind in ("global", "local")
        assert math.dist(m.xy, surface.start) > 1e-3, "starting on a minimum makes a dull comparison"
    for spec in catalog.parameters(name):
        assert isinstance(spec, ParamSpec)
        assert spec.min <= spec.default <= spec.max
        assert not spec.log or spec.min > 0
        assert spec.help


@pytest.mark.parametrize("name, params", CASES, ids=CASE_IDS)
def test_values_match_independent_numpy_formula(name, params):
    surface = catalog.get(name, **params)
    points = _random_points(surface, 50, seed=1)
    values = _values(surface, points)
    extra = [v for _, v in surface.params]
    expected = NUMPY[name](points[:, 0], points[:, 1], *extra)
    np.testing.assert_allclose(values, expected, rtol=1e-12, atol=1e-12)


# ------------------------------------------------------------------------------------------------ minima
@pytest.mark.parametrize("name, params", CASES, ids=CASE_IDS)
def test_listed_minima_are_stationary_with_listed_values(name, params):
    surface = catalog.get(name, **params)
    assert bool(surface.minima) == (name not in NO_MINIMUM)
    if not surface.minima:
        return
    values, grads, _ = _derivatives(surface, [m.xy for m in surface.minima])
    for m, value, grad in zip(surface.minima, values, grads):
        assert np.linalg.norm(grad) < 1e-8, (m, grad)
        assert abs(value - m.value) <= 1e-10 * max(1.0, abs(m.value)), (m, value)
    globals_ = [m.value for m in surface.minima if m.kind == "global"]
    assert globals_, "a surface with minima lists its global one"
    assert max(globals_) - min(globals_) <= 1e-10 * max(1.0, abs(min(globals_)))
    assert all(m.value > max(globals_) for m in surface.minima if m.kind == "local")


@pytest.mark.parametrize("name, params", [c for c in CASES if c[0] not in NO_MINIMUM],
                         ids=[i for c, i in zip(CASES, CASE_IDS) if c[0] not in NO_MINIMUM])
def test_hessian_at_minima_is_positive_definite_unless_documented_degenerate(name, params):
    surface = catalog.get(name, **params)
    _, _, hessians = _derivatives(surface, [m.xy for m in surface.minima])
    for m, h in zip(surface.minima, hessians):
        np.testing.assert_allclose(h, h.T, atol=1e-12)
        eig = np.linalg.eigvalsh(h)
        if (name, m.xy) in DEGENERATE:
            np.testing.assert_allclose(h, 0.0, atol=1e-12)
        else:
            assert eig[0] > 1e-6 * max(1.0, eig[-1]), (m, eig)


@pytest.mark.parametrize("name", [n for n in NAMES if n not in NO_MINIMUM])
def test_global_minimum_is_lowest_on_a_grid(name):
    surface = catalog.get(name)
    (x0, x1), (y0, y1) = surface.bounds
    xs, ys = np.meshgrid(np.linspace(x0, x1, 201), np.linspace(y0, y1, 201), indexing="ij")
    values = _values(surface, np.column_stack([xs.ravel(), ys.ravel()]))
    best = min(m.value for m in surface.minima if m.kind == "global")
    assert values.min() >= best - 1e-12 * max(1.0, abs(best))


@pytest.mark.parametrize("name", [n for n in NAMES if n not in PARTIAL and ("quartic" != n)])
def test_no_unlisted_minimum_inside_the_bounds(name):
    """Every discrete local minimum of a 201² grid, polished by Newton, must be a listed minimum and vice versa.

    (The quartic's degenerate minimum defeats Newton's quadratic convergence; it is checked elsewhere.)
    """
    surface = catalog.get(name)
    n = 201
    (x0, x1), (y0, y1) = surface.bounds
    xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    gx, gy = np.meshgrid(xs, ys, indexing="ij")
    values = _values(surface, np.column_stack([gx.ravel(), gy.ravel()]))
    grid = values.reshape(n, n)
    inner = grid[1:-1, 1:-1]
    lowest = np.ones_like(inner, dtype=bool)
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            if dx or dy:
                lowest &= inner < grid[1 + dx:n - 1 + dx, 1 + dy:n - 1 + dy]
    i, j = np.nonzero(lowest)
    candidates = np.column_stack([xs[i + 1], ys[j + 1]])
    polished = _polish(surface, candidates) if len(candidates) else candidates
    _, grads, hessians = _derivatives(surface, polished)
    found = []
    for p, g, h in zip(polished, grads, hessians):
        is_min = np.all(np.isfinite(p)) and np.linalg.norm(g) < 1e-8 and np.linalg.eigvalsh(h)[0] > 0
        if is_min and _inside(surface, p) and not any(np.allclose(p, q, atol=1e-6) for q in found):
            found.append(p)
    listed = [np.array(m.xy) for m in surface.minima]
    assert len(found) == len(listed), (found, listed)
    for p in found:
        assert any(np.allclose(p, q, atol=1e-7) for q in listed), p


def test_closed_form_minima_follow_parameters():
    for a in (-1.5, -0.3, 0.0, 0.8, 1.5):
        (m,) = catalog.get("rosenbrock", a=a).minima
        assert m.xy == (a, a * a) and m.value == 0.0
    (m,) = catalog.get("elongated_valley", kappa=500, angle=-17).minima
    assert m.xy == (0.0, 0.0) and m.value == 0.0
    # Styblinski-Tang: the coordinates are the outer roots of 4t^3 - 32t + 5, as the docstring says.
    roots = np.sort(np.roots([4.0, 0.0, -32.0, 5.0]).real)
    xs = sorted({c for m in catalog.get("styblinski_tang").minima for c in m.xy})
    np.testing.assert_allclose(xs, [roots[0], roots[2]], rtol=1e-13)
    # Three-hump camel: x^2 = (4.2 + sqrt(3.64)) / 2 on the line y = -x/2.
    x1 = math.sqrt((4.2 + math.sqrt(3.64)) / 2)
    local = sorted(m.xy for m in catalog.get("three_hump_camel").minima if m.kind == "local")
    np.testing.assert_allclose(local, [(-x1, x1 / 2), (x1, -x1 / 2)], rtol=1e-14)


def test_ackley_origin_keeps_its_minimum_and_gets_a_finite_gradient():
    surface = catalog.get("ackley")
    (value,), (grad,), _ = _derivatives(surface, [(0.0, 0.0)])
    np.testing.assert_array_equal(grad, 0.0)
    assert abs(value) < 1e-14
    # The cone is untouched: close to the tip, f grows linearly with slope 20 * 0.2 * sqrt(1/2) along every ray.
    r = np.repeat([1e-9, 1e-7], 7)
    angles = np.tile(np.linspace(0, 2 * np.pi, 7), 2)
    near = _values(surface, np.column_stack([r * np.cos(angles), r * np.sin(angles)]))
    np.testing.assert_allclose(near, 4 * math.sqrt(0.5) * r, rtol=1e-5)


def test_valley_eigenstructure_is_documented():
    for kappa, angle in [(20.0, 30.0), (1000.0, -75.0), (3.0, 0.0)]:
        surface = catalog.get("elongated_valley", kappa=kappa, angle=angle)
        _, _, (h,) = _derivatives(surface, [(0.3, -0.2)])
        eig, vec = np.linalg.eigh(h)
        np.testing.assert_allclose(eig, [1 / kappa, 1.0], rtol=1e-12)
        floor = np.array([np.cos(np.radians(angle)), np.sin(np.radians(angle))])
        assert abs(vec[:, 0] @ floor) == pytest.approx(1.0, abs=1e-12)


# ------------------------------------------------------------------------------------------------ derivatives
@pytest.mark.parametrize("name, params", CASES, ids=CASE_IDS)
def test_autodiff_gradient_matches_central_differences(name, params):
    surface = catalog.get(name, **params)
    points = _random_points(surface, 20, seed=7)
    values, grads, _ = _derivatives(surface, points)
    h = 1e-6 * np.maximum(1.0, np.abs(points))
    numeric = np.empty_like(points)
    for i in range(2):
        step = np.zeros_like(points)
        step[:, i] = h[:, i]
        plus, minus = _values(surface, points + step), _values(surface, points - step)
        numeric[:, i] = (plus - minus) / (2 * h[:, i])
    checked = 0
    for a, n, f in zip(grads, numeric, values):
        scale = np.linalg.norm(a) + np.linalg.norm(n)
        if scale < 1e-6 * (1.0 + abs(f)):  # nearly flat: the difference quotient is all rounding
            continue
        assert np.linalg.norm(a - n) / scale < 1e-7, (a, n)
        checked += 1
    assert checked >= 15


def _valley_hessian(x, y, kappa, angle):
    c, s = np.cos(np.radians(angle)), np.sin(np.radians(angle))
    rotation = np.array([[c, s], [-s, c]])  # rows: the u and v directions
    return rotation.T @ np.diag([1 / kappa, 1.0]) @ rotation


CLOSED_FORM_HESSIANS = {
    "elongated_valley": _valley_hessian,
    "saddle": lambda x, y: np.diag([2.0, -2.0]),
    "monkey_saddle": lambda x, y: np.array([[6 * x, -6 * y], [-6 * y, -6 * x]]),
    "rosenbrock": lambda x, y, a, b: np.array([[2 - 4 * b * (y - x**2) + 8 * b * x**2, -4 * b * x],
                                               [-4 * b * x, 2 * b]]),
    "booth": lambda x, y: np.array([[10.0, 8.0], [8.0, 10.0]]),
    "matyas": lambda x, y: np.array([[0.52, -0.48], [-0.48, 0.52]]),
    "quartic": lambda x, y: np.diag([12 * x**2, 12 * y**2]),
}


@pytest.mark.parametrize("name", sorted(CLOSED_FORM_HESSIANS))
def test_closed_form_hessians(name):
    rng = np.random.default_rng(3)
    settings = [{}]
    if catalog.parameters(name):
        settings = [{s.name: float(rng.uniform(s.min, s.max)) for s in catalog.parameters(name)} for _ in range(3)]
    for params in settings:
        surface = catalog.get(name, **params)
        points = _random_points(surface, 20, seed=11)
        _, _, hessians = _derivatives(surface, points)
        extra = [v for _, v in surface.params]
        for (x, y), h in zip(points, hessians):
            expected = CLOSED_FORM_HESSIANS[name](x, y, *extra)
            np.testing.assert_allclose(h, expected, rtol=1e-10, atol=1e-10 * max(1.0, np.abs(expected).max()))


# ------------------------------------------------------------------------------------------------ get()
def test_get_defaults_and_parameters():
    specs = catalog.parameters("elongated_valley")
    assert [s.name for s in specs] == ["kappa", "angle"]
    kappa = specs[0]
    assert kappa.log and kappa.min == 1.0 and kappa.max == 1000.0
    surface = catalog.get("elongated_valley")
    assert surface.params == tuple((s.name, s.default) for s in specs)
    np.testing.assert_array_equal(surface.theta, [s.default for s in specs])
    partial = catalog.get("rosenbrock", b=10)
    assert dict(partial.params) == {"a": 1.0, "b": 10.0}
    assert float(partial.f((0.0, 1.0))) == pytest.approx(1.0 + 10.0)
    assert catalog.parameters("himmelblau") == () and catalog.get("himmelblau").theta.shape == (0,)
    assert landscapes.get is catalog.get and landscapes.names is catalog.names


def test_get_rejects_bad_names_and_parameters():
    with pytest.raises(KeyError) as info:
        catalog.get("rosenbrok")
    assert "rosenbrock" in str(info.value) and "elongated_valley" in str(info.value)
    with pytest.raises(ValueError, match="valid names"):
        catalog.get("nope")
    with pytest.raises(ValueError, match="valid names"):
        catalog.parameters("nope")
    with pytest.raises(ValueError, match="'c'.*parameters: a, b"):
        catalog.get("rosenbrock", c=1.0)
    with pytest.raises(ValueError, match="no parameter"):
        catalog.get("himmelblau", a=1.0)
    with pytest.raises(ValueError, match=r"kappa.*outside \[1, 1000\]"):
        catalog.get("elongated_valley", kappa=0.5)
    with pytest.raises(ValueError, match="outside"):
        catalog.get("elongated_valley", kappa=float("nan"))
    with pytest.raises(ValueError, match="must be a number"):
        catalog.get("rosenbrock", a="one")


def test_landscapes_are_hashable_and_equal_for_equal_parameters():
    a = catalog.get("rosenbrock")
    b = catalog.get("rosenbrock", a=1, b=100.0)
    c = catalog.get("rosenbrock", b=101.0)
    assert a == b and hash(a) == hash(b)
    assert a != c
    assert len({a, b, c, catalog.get("himmelblau"), catalog.get("himmelblau")}) == 3


@pytest.mark.parametrize("name", NAMES)
def test_fn_is_the_same_object_for_every_parameter_value(name):
    surface = catalog.get(name)
    assert surface.fn is getattr(catalog, name), "a module-level function, stable across imports and calls"
    for spec in catalog.parameters(name):
        for value in (spec.min, spec.max):
            assert catalog.get(name, **{spec.name: value}).fn is surface.fn


def test_changing_a_parameter_does_not_retrace():
    traces = []

    @jax.jit
    def value(xy, theta):
        traces.append(None)
        return catalog.elongated_valley(xy, theta)

    for kappa, angle in [(20.0, 30.0), (700.0, -10.0), (1.0, 0.0)]:
        surface = catalog.get("elongated_valley", kappa=kappa, angle=angle)
        assert float(value(jnp.asarray(surface.start), surface.theta)) == pytest.approx(
            _valley_numpy(*surface.start, kappa, angle), rel=1e-13)
    assert len(traces) == 1
