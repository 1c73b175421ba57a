"""`optimizers.tune_learning_rate` and the Compare page's "Tune η for this surface" button.

The tuner's scores are checked against an independent NumPy closed form (gradient descent on a quadratic:
``x_T = (I − ηA)^T x_0``, final loss ``½ x_Tᵀ A x_T``), its choice against the rule it states, and the page against
what it says it did.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import landscapes
import optimizers
from components import controls
from landscapes import analysis
from optimizers import catalog, presets, tune

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def candidates(name: str, surface) -> tuple[float, ...]:
    """The learning rates on the page's slider for ``name`` on ``surface`` (its grid holds the preset's value)."""
    h = next(h for h in catalog.get(name).hyperparams if h.name == "learning_rate")
    return controls.log_grid(h.min, h.max, presets.defaults(surface, name)["learning_rate"])


def test_scores_equal_the_closed_form_of_gradient_descent_on_the_valley():
    valley = landscapes.get("elongated_valley")
    etas = (0.1, 0.5, 1.0, 1.8, 2.5)
    result = optimizers.tune_learning_rate(valley, "sgd", etas, steps=120)
    a = np.asarray(analysis.hessian(valley, np.zeros(2)))
    for eta, score, diverged in zip(result.candidates, result.score, result.diverged):
        step = np.linalg.matrix_power(np.eye(2) - eta * a, 120)
        ends = result.starts @ step.T
        losses = 0.5 * np.einsum("ni,ij,nj->n", ends, a, ends)
        if eta < 2.0:  # |1 − ηλ| < 1 for both eigenvalues: the closed form, averaged over the starts
            assert diverged == 0 and score == pytest.approx(losses.mean(), rel=1e-8, abs=1e-300)
        else:  # |1 − 2.5| = 1.5 across: the iterates grow past the engine's bound
            assert diverged == len(result.starts) and score == np.inf
    assert result.best == result.candidates[np.argmin(result.score)] and result.best < 2.0


def test_the_median_over_given_starts_tolerates_a_minority_of_diverged_runs():
    """The Lab's fair comparison: uniform starts it draws itself, the median final loss, a diverged run +inf."""
    valley = landscapes.get("elongated_valley")
    a = np.asarray(analysis.hessian(valley, np.zeros(2)))
    starts = np.random.default_rng(4).uniform(-9, 9, (7, 2))
    starts[:2] *= 1e5  # beyond the bound after a step: these two diverge at every η
    etas = (0.1, 0.5, 1.0, 1.8, 2.5)
    mean = optimizers.tune_learning_rate(valley, "sgd", etas, steps=120, starts=starts)
    median = optimizers.tune_learning_rate(valley, "sgd", etas, steps=120, starts=starts, aggregate="median")
    np.testing.assert_array_equal(median.starts, starts)
    assert np.all(mean.score == np.inf) and mean.best is None  # the mean: any divergence is +inf
    for eta, score, diverged in zip(median.candidates, median.score, median.diverged):
        ends = starts @ np.linalg.matrix_power(np.eye(2) - eta * a, 120).T
        losses = 0.5 * np.einsum("ni,ij,nj->n", ends, a, ends)
        losses[:2] = np.inf
        if eta < 2.0:
            assert diverged == 2 and score == pytest.approx(np.median(losses), rel=1e-8, abs=1e-300)
        else:
            assert diverged == len(starts) and score == np.inf
    assert median.best == median.candidates[np.argmin(median.score)]
    with pytest.raises(ValueError, match="aggregate"):
        optimizers.tune_learning_rate(valley, "sgd", etas, aggregate="max")


def test_starts_are_the_given_one_and_reproducible_jitter_inside_the_box():
    valley = landscapes.get("elongated_valley")
    starts = tune.jittered_starts(valley, (9.99, -9.99), seed=3)
    assert starts.shape == (1 + tune.JITTER_STARTS, 2) and tuple(starts[0]) == (9.99, -9.99)
    assert np.all(np.abs(starts) <= 10.0)
    np.testing.assert_array_equal(starts, tune.jittered_starts(valley, (9.99, -9.99), seed=3))


@pytest.mark.parametrize("surface_name", ("elongated_valley", "rosenbrock"))
@pytest.mark.parametrize("name", ("sgd", "momentum"))
def test_the_tuned_rate_beats_the_default_and_never_diverges(surface_name, name):
    surface = landscapes.get(surface_name)
    steps = presets.steps(surface)
    settings = presets.defaults(surface, name)
    result = optimizers.tune_learning_rate(surface, name, candidates(name, surface), steps=steps, **settings)
    assert result.best is not None and result.diverged[list(result.candidates).index(result.best)] == 0
    tuned = optimizers.run_many(surface, name, starts=result.starts, steps=steps, **{**settings,
                                "learning_rate": result.best})
    assert not np.any(tuned.status == "diverged")
    documented = catalog.get(name).defaults()["learning_rate"]
    default = optimizers.run_many(surface, name, starts=result.starts, steps=steps,
                                  **{**settings, "learning_rate": documented})
    # Beats the documented default (which diverges on Rosenbrock) and is never worse than the preset.
    assert np.any(default.status == "diverged") or tuned.loss[:, -1].mean() < default.loss[:, -1].mean()
    preset = result.score[list(result.candidates).index(settings["learning_rate"])]
    assert result.score.min() <= preset
    np.testing.assert_allclose(result.score.min(), tuned.loss[:, -1].mean(), rtol=1e-9)


def test_new_candidates_and_settings_do_not_recompile():
    surface = landscapes.get("booth")
    optimizers.tune_learning_rate(surface, "momentum", np.geomspace(1e-3, 0.1, 12), steps=100)
    before = optimizers.engine.trace_count()
    optimizers.tune_learning_rate(surface, "momentum", np.geomspace(2e-3, 0.2, 12), steps=100, momentum=0.5)
    optimizers.tune_learning_rate(surface, "momentum", np.geomspace(2e-3, 0.2, 12), start=(1.0, -2.0), steps=90)
    assert optimizers.engine.trace_count() == before


def test_rules_without_a_learning_rate_and_bad_candidates_are_refused():
    surface = landscapes.get("booth")
    with pytest.raises(ValueError, match="no learning rate"):
        optimizers.tune_learning_rate(surface, "polyak_sgd", (0.1,))
    for bad in ((), (0.1, -1.0), (float("nan"),)):
        with pytest.raises(ValueError, match="positive"):
            optimizers.tune_learning_rate(surface, "sgd", bad)


def test_everything_diverging_gives_no_choice():
    booth = landscapes.get("booth")  # λmax = 18: GD diverges for η > 2/18
    result = optimizers.tune_learning_rate(booth, "sgd", (0.5, 1.0), steps=100)
    assert result.best is None and np.all(np.isinf(result.score))


# ------------------------------------------------------------------------------------------------ the page
def test_the_button_sets_each_slider_and_says_what_it_tuned():
    at = AppTest.from_file(APP, default_timeout=240)
    at.query_params.update({"compare.surface": "rosenbrock", "compare.optimizers": "sgd,momentum,polyak_sgd"})
    at.run()
    assert not at.exception
    at.button(key="compare.tune").click().run()
    assert not at.exception, at.exception
    surface = landscapes.get("rosenbrock")
    start, steps = surface.start, presets.steps(surface)
    for name in ("sgd", "momentum"):
        settings = presets.defaults(surface, name)
        expected = optimizers.tune_learning_rate(surface, name, candidates(name, surface), start=start, steps=steps,
                                                 **settings).best
        assert at.select_slider(key=f"compare.{name}.learning_rate").value == expected
    (report,) = [i.value for i in at.info if "Tuned η" in i.value]
    assert f"ran {steps} steps" in report and "lowest mean final loss" in report and "never diverged" in report
    assert "Polyak" in report and "no learning rate" in report
    assert "compare.sgd.learning_rate" in at.query_params  # the tuned values are in the link
    # Moving the start makes the report stale: it disappears.
    at.number_input(key="compare.x0").set_value(-1.0).run()
    assert not [i for i in at.info if "Tuned η" in i.value]
