"""Every registry entry, with its documented defaults, reaches the minimum of a quadratic valley and of Rosenbrock
(in the style of optax's ``alias_test.py``: a registry crossed with test problems).

An entry passes when its final point after `STEPS` steps from the surface's default start lies within `TOLERANCE`
of the minimum.  An entry whose spec says ``converges=False`` is not expected to: if it misses, the test is an
``xfail`` carrying the spec's ``why_not``; if it gets there anyway, it passes.

Both problems are the catalog's own surfaces, ``elongated_valley`` (κ = 10) and ``rosenbrock`` (a = 1, b = 100),
run through one family ``w_v · valley(xy) + w_r · rosenbrock(xy)`` with weights (1, 0) or (0, 1) in ``theta``: the
same functions, but one compiled runner per optimizer instead of two (the weights are traced data).
"""

import numpy as np
import pytest

import landscapes
import optimizers
from landscapes import catalog as surfaces
from landscapes.base import Landscape

STEPS = 4000
TOLERANCE = 3e-2

VALLEY = landscapes.get("elongated_valley", kappa=10.0)
ROSENBROCK = landscapes.get("rosenbrock")


def _either(xy, theta):
    """theta = (w_v, κ, angle, w_r, a, b): w_v · elongated_valley + w_r · rosenbrock."""
    return theta[0] * surfaces.elongated_valley(xy, theta[1:3]) + theta[3] * surfaces.rosenbrock(xy, theta[4:6])


def _problem(surface: Landscape, weights: tuple[float, float]) -> Landscape:
    valley, rosen = dict(VALLEY.params), dict(ROSENBROCK.params)
    params = (("w_v", weights[0]), ("kappa", valley["kappa"]), ("angle", valley["angle"]),
              ("w_r", weights[1]), ("a", rosen["a"]), ("b", rosen["b"]))
    return Landscape(surface.name, surface.title, surface.latex, _either, surface.bounds, surface.start,
                     surface.minima, params)


PROBLEMS = {"valley": _problem(VALLEY, (1.0, 0.0)), "rosenbrock": _problem(ROSENBROCK, (0.0, 1.0))}


def test_the_blended_problems_are_the_catalog_surfaces():
    rng = np.random.default_rng(0)
    for name, original in (("valley", VALLEY), ("rosenbrock", ROSENBROCK)):
        for xy in rng.uniform(-2, 2, size=(5, 2)):
            assert float(PROBLEMS[name].f(xy)) == float(original.f(xy))


@pytest.mark.parametrize("problem", sorted(PROBLEMS))
@pytest.mark.parametrize("name", optimizers.names())
def test_defaults_reach_the_minimum(name, problem):
    spec, surface = optimizers.get(name), PROBLEMS[problem]
    traj = optimizers.run(surface, name, steps=STEPS)
    minimum = np.array(surface.minima[0].xy)
    distance = float(np.linalg.norm(traj.xy[-1] - minimum))
    reached = traj.status != "diverged" and distance <= TOLERANCE
    if not reached and not spec.converges:
        pytest.xfail(f"{name}: {spec.why_not}")
    assert reached, (f"{name} on {problem}: ended at {traj.xy[-1]} ({traj.status}), {distance:.3g} from the "
                     f"minimum {minimum} after {STEPS} steps with its defaults")
