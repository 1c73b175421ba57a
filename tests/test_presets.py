"""Surface presets: what the Compare page opens with shows each surface's lesson, and every note on it is true.

The page is driven through AppTest (the real app.py); the runs it shows are re-run with the engine from the values
its sliders hold, so the checks are on what a visitor sees.  The valley checks are against the closed form of the
quadratic's coordinates: the cross-valley coordinate ``v = −x sin φ + y cos φ`` of gradient descent is multiplied by
``1 − η`` each step (curvature 1 across), so it flips sign every step exactly when ``η > 1``.
"""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import landscapes
import optimizers
from components import controls
from components.player import decode_array
from landscapes import analysis
from optimizers import analytic, catalog, presets
from components import surfaces

APP = str(Path(__file__).resolve().parent.parent / "app.py")
DEFAULTS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
SHOWCASE = ("elongated_valley", "rosenbrock", "saddle")
DISTINCT = 0.015
"""Every pair of default paths must lie, on average over the steps, at least this fraction of the box diagonal
apart (measured: 2.1 % on the valley, 5.1 % on Rosenbrock, 9.3 % on the saddle)."""


# ------------------------------------------------------------------------------------------------ the page
@pytest.fixture(scope="module")
def views() -> dict[str, dict]:
    """For the default page and then each showcase surface picked in the same session: the sliders' values and
    the paths sent to the player."""
    at = AppTest.from_file(APP, default_timeout=180)
    out = {}
    for i, name in enumerate(SHOWCASE):
        if i:
            at.selectbox(key="compare.surface").set_value(name)
        at.run()
        assert not at.exception, at.exception
        (component,) = at.get("component_instance")
        args = json.loads(component.proto.json_args)
        out[name] = {
            "steps": at.slider(key="compare.steps").value,
            "start": (at.number_input(key="compare.x0").value, at.number_input(key="compare.y0").value),
            "hyperparams": {n: {h.name: at.session_state[f"compare.{n}.{h.name}"]
                                for h in catalog.get(n).hyperparams} for n in DEFAULTS},
            "paths": {p["name"]: decode_array(p["xy"]).astype(np.float64) for p in args["paths"]},
            "outcomes": next(m.value for m in at.markdown if m.value.startswith("**Gradient descent**:")),
        }
    return out


def _runs(name: str, view: dict) -> dict[str, optimizers.Trajectory]:
    own = landscapes.get(name)
    surface = surfaces.engine_surface(surfaces.surface_key(name, dict(own.params)))  # the page's, to the last digit
    return {n: optimizers.run(surface, n, start=view["start"], steps=view["steps"], **view["hyperparams"][n])
            for n in DEFAULTS}


@pytest.mark.parametrize("name", SHOWCASE)
def test_each_showcase_surface_opens_with_its_preset(views, name):
    surface, view = landscapes.get(name), views[name]
    assert view["steps"] == surface.preset.steps
    assert view["start"] == pytest.approx(surface.start, abs=1e-4)
    for n in DEFAULTS:
        assert view["hyperparams"][n] == pytest.approx(presets.defaults(surface, n)), n
    runs = _runs(name, view)
    for n, traj in runs.items():  # the page draws these runs (float32 on the wire)
        np.testing.assert_allclose(view["paths"][n], traj.xy, rtol=1e-6, atol=1e-6 * np.abs(traj.xy).max())


@pytest.mark.parametrize("name", SHOWCASE)
def test_no_default_optimizer_diverges_early_and_the_paths_are_distinct(views, name):
    runs = _runs(name, views[name])
    for n, traj in runs.items():
        assert traj.diverged_at == -1 or traj.diverged_at >= 10, (n, traj.diverged_at)
    (x0, x1), (y0, y1) = landscapes.get(name).bounds
    diagonal = math.hypot(x1 - x0, y1 - y0)
    for a, b in itertools.combinations(DEFAULTS, 2):
        apart = float(np.mean(np.linalg.norm(runs[a].xy - runs[b].xy, axis=1))) / diagonal
        assert apart >= DISTINCT, f"{a} and {b} on {name}: {apart:.2%} of the box diagonal apart on average"


def test_valley_gradient_descent_zigzags_and_momentum_arrives_first(views):
    view = views["elongated_valley"]
    runs = _runs("elongated_valley", view)
    phi = math.radians(dict(landscapes.get("elongated_valley").params)["angle"])
    gd = runs["sgd"].xy[:51]
    across = -gd[:, 0] * math.sin(phi) + gd[:, 1] * math.cos(phi)
    assert np.count_nonzero(np.diff(np.sign(across)) != 0) >= 3
    # Closed form of the zig-zag: v_t = (1 − η)^t v_0 (curvature 1 across the floor).
    eta = view["hyperparams"]["sgd"]["learning_rate"]
    np.testing.assert_allclose(across, across[0] * (1 - eta) ** np.arange(51), rtol=1e-9, atol=1e-12)
    distance = {n: float(np.linalg.norm(runs[n].xy[-1])) for n in ("sgd", "momentum")}  # the minimum is 0
    assert distance["momentum"] < distance["sgd"], distance


@pytest.mark.parametrize("name", SHOWCASE)
def test_the_outcome_lines_make_no_false_claim_of_not_settling(views, name):
    # None of the six default rules is one that cannot settle with a constant η, so none may carry that note.
    assert all(catalog.get(n).converges for n in DEFAULTS)
    assert "not expected to settle" not in views[name]["outcomes"]


# ------------------------------------------------------------------------------------------------ notes vs runs
NOTED = tuple(s.name for s in catalog.specs() if not s.converges)


@pytest.mark.parametrize("name", NOTED)
def test_rules_said_not_to_settle_do_not_settle_on_any_preset(name):
    """The note "not expected to settle with a constant η" is a claim about every surface: check it on each
    built-in surface's preset (start, steps, derived or preset hyperparameters)."""
    assert catalog.get(name).why_not
    for surface_name in landscapes.names():
        surface = landscapes.shared_family(landscapes.get(surface_name))
        traj = optimizers.run(surface, name, steps=presets.steps(surface), **presets.defaults(surface, name))
        assert traj.status != "converged", f"{name} settles on {surface_name} at step {traj.converged_at}"


def test_measured_misses_and_budgets_name_built_in_surfaces_once():
    # A misspelled surface would make its entry apply nowhere, and a second entry for a surface would be hidden by
    # the first: both checked against the surface registry, not against the entries themselves.
    for spec in catalog.specs():
        for entries in (spec.misses, spec.budgets):
            surfaces = [surface for surface, _ in entries]
            assert set(surfaces) <= set(landscapes.names()) and len(surfaces) == len(set(surfaces)), spec.name
        assert all(isinstance(why, str) and why for _, why in spec.misses), spec.name
        assert all(isinstance(n, int) and n > 0 for _, n in spec.budgets), spec.name


def test_miss_and_budget_look_up_the_surface():
    spec = optimizers.OptimizerSpec("x", "X", "test", "x", lambda: None, misses=(("booth", "too slow"),),
                                    budgets=(("matyas", 900),))
    assert spec.miss("booth") == "too slow" and spec.miss("matyas") is None
    assert spec.budget("matyas", 200) == 900 and spec.budget("booth", 200) == 200


# ------------------------------------------------------------------------------------------------ preset data
@pytest.mark.parametrize("surface_name", landscapes.names())
def test_every_preset_value_is_a_valid_slider_value(surface_name):
    surface = landscapes.get(surface_name)
    assert 10 <= surface.preset.steps <= 2000
    for name, values in surface.preset.hyperparams:
        known = {h.name: h for h in catalog.get(name).hyperparams}
        for key, value in values:
            h = known[key]
            assert h.min <= value <= h.max, (surface_name, name, key, value)
    for name in catalog.names():
        for h in catalog.get(name).hyperparams:
            value = presets.defaults(surface, name)[h.name]
            if h.kind == "float":
                assert h.min <= value <= h.max, (surface_name, name, h.name, value)
                if h.log:  # the slider shows it exactly (it is added to the log grid as the default)
                    assert value in controls.log_grid(h.min, h.max, value)


def test_round_down_gives_the_largest_grid_mantissa_below():
    for value, expected in ((1.99, 1.5), (2.0, 2.0), (0.0123, 0.01), (9.99, 8.0), (1e-4, 1e-4), (0.37, 0.3)):
        assert presets.round_down(value) == pytest.approx(expected, rel=1e-12)
    rng = np.random.default_rng(0)
    for value in 10.0 ** rng.uniform(-6, 3, 200):
        down = presets.round_down(value)
        assert down <= value * (1 + 1e-12) and down > value / 1.5  # neighbouring mantissas are at most 1.5x apart (1 -> 1.5)


QUADRATICS = ("elongated_valley", "booth", "matyas")


@pytest.mark.parametrize("surface_name", QUADRATICS)
@pytest.mark.parametrize("name", ("sgd", "momentum", "nesterov"))
def test_derived_learning_rates_sit_below_the_closed_form_stability_limit(surface_name, name):
    surface = landscapes.get(surface_name)
    eta = presets.derived_learning_rate(surface, name)
    lam_max = float(np.linalg.eigvalsh(np.asarray(analysis.hessian(surface, np.zeros(2)))).max())
    mu = catalog.get(name).defaults().get("momentum", 0.0)
    limit = {"sgd": 2 / lam_max, "momentum": 2 * (1 + mu) / lam_max,
             "nesterov": 2 * (1 + mu) / ((1 + 2 * mu) * lam_max)}[name]
    assert limit == pytest.approx(analytic.learning_rate_limit(name, lam_max, momentum=mu))
    top = next(h.max for h in catalog.get(name).hyperparams if h.name == "learning_rate")  # the slider's end
    assert eta == min(presets.round_down(presets.SAFETY * limit), top) and eta < limit
    traj = optimizers.run(surface, name, steps=200, learning_rate=eta)
    assert traj.status != "diverged"


def test_derived_length_rates_follow_the_box():
    booth, rosen = landscapes.get("booth"), landscapes.get("rosenbrock")
    assert presets.derived_learning_rate(booth, "adam") == presets.round_down(0.01 * 20)
    assert presets.derived_learning_rate(booth, "adagrad") == presets.round_down(0.5 * 20 / (2 * math.sqrt(200)))
    assert presets.derived_learning_rate(rosen, "lbfgs") is None  # no step scale: the documented default stays
    assert presets.defaults(rosen, "lbfgs") == catalog.get("lbfgs").defaults()


def test_a_typed_surface_gets_derived_settings():
    typed = landscapes.from_expression("3*x**2 + y**2", bounds=((-2, 2), (-2, 2)))
    assert typed.preset == landscapes.Preset()
    # λmax = 6 at every point: GD's derived η is half of 2/6, rounded down to the grid.
    assert presets.defaults(typed, "sgd")["learning_rate"] == presets.round_down(0.5 * 2 / 6)
