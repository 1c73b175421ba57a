"""Every registry entry, with its documented defaults, reaches the minimum of a quadratic valley and of Rosenbrock
(in the style of optax's ``alias_test.py``: a registry crossed with test problems).

An entry passes when its final point after its budget (`STEPS`, or the spec's longer ``budget`` for that problem
where it is merely slow) from the surface's default start lies within `TOLERANCE` of the minimum.  Where the spec
records a measured miss for that (optimizer, problem) pair, the case is a *strict* expected failure carrying the
measured reason: an entry that starts reaching the minimum fails the suite, so the table cannot go stale.

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
from optimizers.catalog._common import CONVERGENCE_PROBLEMS, CONVERGENCE_STEPS, CONVERGENCE_TOLERANCE

STEPS = CONVERGENCE_STEPS
TOLERANCE = CONVERGENCE_TOLERANCE

VALLEY = landscapes.get("elongated_valley", **dict(CONVERGENCE_PROBLEMS["elongated_valley"]))
ROSENBROCK = landscapes.get("rosenbrock", **dict(CONVERGENCE_PROBLEMS["rosenbrock"]))


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


PROBLEM_SURFACES = {"valley": "elongated_valley", "rosenbrock": "rosenbrock"}


def _cases():
    for name in optimizers.names():
        spec = optimizers.get(name)
        for problem, surface in PROBLEM_SURFACES.items():
            why = spec.miss(surface)
            marks = [pytest.mark.xfail(strict=True, reason=f"{name} on {problem}: {why}")] if why else []
            yield pytest.param(name, problem, marks=marks, id=f"{name}-{problem}")


@pytest.mark.parametrize("name, problem", list(_cases()))
def test_defaults_reach_the_minimum(name, problem):
    spec, surface = optimizers.get(name), PROBLEMS[problem]
    steps = spec.budget(PROBLEM_SURFACES[problem], STEPS)
    traj = optimizers.run(surface, name, steps=steps)
    minimum = np.array(surface.minima[0].xy)
    distance = float(np.linalg.norm(traj.xy[-1] - minimum))
    reached = traj.status != "diverged" and distance <= TOLERANCE
    assert reached, (f"{name} on {problem}: ended at {traj.xy[-1]} ({traj.status}), {distance:.3g} from the "
                     f"minimum {minimum} after {steps} steps with its defaults")


def test_every_recorded_miss_and_budget_names_a_problem_of_this_test():
    for spec in optimizers.specs():
        for surface, _ in spec.misses + spec.budgets:
            assert surface in PROBLEM_SURFACES.values(), (spec.name, surface)
        assert not set(dict(spec.misses)) & set(dict(spec.budgets)), spec.name  # a miss is not also "slow"
