"""`landscapes.shared_family`: every built-in through one switch must be the same surface (values, gradients,
Hessians, runs), and one compiled runner must then serve all of them."""

from __future__ import annotations


import jax
import numpy as np
import pytest

import landscapes
import optimizers

from optimizers import engine as R
RNG = np.random.default_rng(7)


def _points(surface, n=25):
    (x0, x1), (y0, y1) = surface.bounds
    return np.stack([RNG.uniform(x0, x1, n), RNG.uniform(y0, y1, n)], 1)


@pytest.mark.parametrize("name", landscapes.names())
def test_values_gradients_and_hessians_are_the_surfaces_own(name):
    own = landscapes.get(name)
    shared = landscapes.shared_family(own)
    assert shared.fn is not own.fn and shared.name == own.name and shared.minima == own.minima
    p = _points(own)
    for transform in (lambda g: g, jax.grad, jax.hessian):
        want = np.asarray(jax.vmap(transform(own.f))(p))
        got = np.asarray(jax.vmap(transform(shared.f))(p))
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12 * max(1.0, float(np.max(np.abs(want)))))


def test_surface_parameters_still_act():
    for kappa in (5.0, 200.0):
        own = landscapes.get("elongated_valley", kappa=kappa, angle=10.0)
        shared = landscapes.shared_family(own)
        p = _points(own, 5)
        np.testing.assert_allclose(np.asarray(jax.vmap(shared.f)(p)), np.asarray(jax.vmap(own.f)(p)), rtol=1e-13)


@pytest.mark.parametrize("name, optimizer", [("rosenbrock", "adam"), ("himmelblau", "newton"),
                                             ("elongated_valley", "momentum"), ("beale", "rmsprop")])
def test_runs_match_the_surfaces_own_runner(name, optimizer):
    own = landscapes.get(name)
    a = optimizers.run(own, optimizer, steps=150)
    b = optimizers.run(landscapes.shared_family(own), optimizer, steps=150)
    assert a.status == b.status and a.converged_at == b.converged_at and a.diverged_at == b.diverged_at
    np.testing.assert_allclose(b.xy, a.xy, rtol=0, atol=1e-10)
    np.testing.assert_allclose(b.loss, a.loss, rtol=1e-9, atol=1e-12)


def test_one_compiled_runner_serves_every_builtin():
    optimizers.run(landscapes.shared_family(landscapes.get("booth")), "nesterov", steps=30)
    before = R.trace_count()
    for name in landscapes.names():
        optimizers.run(landscapes.shared_family(landscapes.get(name)), "nesterov", steps=40)
    assert R.trace_count() == before


def test_typed_surfaces_pass_through_unchanged():
    typed = landscapes.from_expression("x**2 + 3*y**2", ((-1.0, 1.0), (-1.0, 1.0)))
    assert landscapes.shared_family(typed) is typed
