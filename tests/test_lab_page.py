"""The Lab page through Streamlit's AppTest (tests/apps/lab_app.py mounts app_pages/lab.py the way app.py does), and
the parts behind it (`components.lab`) against independent computations.

AppTest runs the page in this process, so the engine's compiled sweeps and the page's caches stay warm between
tests: only the first run of each section pays for cold JAX.  Figures are read back from the Plotly JSON the page
sends (``proto.spec``).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import landscapes
from landscapes.base import Minimum
from optimizers.base import STATUSES

from optimizers import engine as R
from components.lab import figures as lab_charts
from components.lab import compute as lab_compute
APP = str(Path(__file__).resolve().parent / "apps" / "lab_app.py")
TIMEOUT = 180  # cold JAX compiles of several sweeps take far longer than AppTest's default 3 s
SIZES = {"lab.curve.points": "16", "lab.phase.size": "10", "lab.basins.size": "16", "lab.fair.budget": "4",
         "lab.fair.starts": "10", "lab.search.budget": "9"}
USES = {"curve": ("curve",), "phase": ("phase",), "search": ("phase", "search"), "basins": ("basins",),
        "fair": ("fair",), "schedules": ()}


def small(section: str = "curve") -> dict[str, str]:
    """Small sizes for the controls ``section`` shows (a link that sets controls of a closed section gets a notice
    that they were ignored), and the section itself."""
    sizes = {k: v for k, v in SIZES.items() if k.split(".")[1] in USES[section]}
    return {"lab.steps": "150", "lab.section": section, **sizes}


def new_app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(query)
    return at


def url(at: AppTest) -> dict[str, str]:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def charts(at: AppTest) -> dict[str, dict]:
    """The page's Plotly figures by element key (``lab.chart.*``), as the JSON sent to the browser."""
    out = {}
    for element in at.get("plotly_chart"):
        key = element.proto.id.split("-", 2)[-1]
        out[key] = json.loads(element.proto.spec)
    return out


def array(value) -> np.ndarray:
    """A Plotly data array, plain or typed (``{"dtype", "bdata", "shape"}``)."""
    if isinstance(value, dict) and "bdata" in value:
        a = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        shape = value.get("shape")
        return a.reshape([int(s) for s in str(shape).split(",")]) if shape else a
    return np.asarray(value, dtype=float)


def assert_clean(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


# ------------------------------------------------------------------------------------------------ AppTest
@pytest.fixture(scope="module")
def default_app() -> AppTest:
    at = new_app(**{"lab.steps": "300"})
    at.run()
    assert_clean(at)
    return at


def test_default_page_draws_the_learning_rate_curve_with_the_analytic_limit(default_app):
    at = default_app
    assert not at.warning
    assert url(at)["lab.section"] == "curve"
    assert url(at)["lab.curve.optimizers"] == "sgd,momentum,adam"
    fig = charts(at)["lab.chart.curve"]
    names = [t.get("name", "") for t in fig["data"]]
    # Gradient descent on the valley (λmax = 1): the dashed line at 2/λmax = 2.
    limit = next(t for t in fig["data"] if t.get("name", "").startswith("Gradient descent: η = 2/λmax"))
    assert array(limit["x"]) == pytest.approx([2.0, 2.0])
    assert any(n.startswith("Momentum: η = 2(1+μ)/λmax = 3.8") for n in names)
    assert fig["layout"]["xaxis2"]["type"] == "log"
    text = "\n".join(m.value for m in at.markdown)
    assert "Gradient descent** first diverges at η = 2." in text
    assert any("10,000 configurations" in c.value for c in at.sidebar.caption)  # the bounds are stated


@pytest.mark.parametrize("section, chart", [
    ("curve", "lab.chart.curve"), ("phase", "lab.chart.phase"), ("search", "lab.chart.search"),
    ("basins", "lab.chart.basins"), ("fair", "lab.chart.fair"), ("schedules", "lab.chart.schedule")])
def test_each_section_renders(section, chart):
    surface = "himmelblau" if section in ("basins", "fair") else "elongated_valley"
    at = new_app(**small(section), **{"lab.surface": surface})
    at.run()
    assert_clean(at)
    assert not at.warning, [w.value for w in at.warning]
    assert chart in charts(at)
    assert url(at)["lab.section"] == section
    assert all(k.startswith("lab.") or k == "lang" for k in url(at))


def test_changing_the_grid_size_and_the_hyperparameter_pair():
    at = new_app(**small("phase"))
    at.run()
    assert_clean(at)
    heat = charts(at)["lab.chart.phase"]["data"][0]
    assert array(heat["z"]).shape == (10, 10)
    at.slider(key="lab.phase.size").set_value(14).run()
    assert_clean(at)
    assert array(charts(at)["lab.chart.phase"]["data"][0]["z"]).shape == (14, 14)
    assert url(at)["lab.phase.size"] == "14"
    # Another optimizer and another pair: Adam's η × β₂; no momentum, so no analytic boundary.
    at.selectbox(key="lab.phase.optimizer").set_value("adam").run()
    at.selectbox(key="lab.phase.y").set_value("b2").run()
    assert_clean(at)
    fig = charts(at)["lab.chart.phase"]
    assert (fig["layout"]["xaxis"]["title"]["text"], fig["layout"]["yaxis"]["title"]["text"]) == ("learning_rate", "b2")
    assert not any("analytic" in t.get("name", "") for t in fig["data"])
    y = array(fig["data"][0]["y"])
    assert y.min() == pytest.approx(0.0) and y.max() == pytest.approx(0.99)  # β₂'s default range, capped at 0.99
    # Swap the axes: μ on x, η on y, still with the analytic boundary (momentum on the valley).
    at.selectbox(key="lab.phase.optimizer").set_value("momentum").run()
    at.selectbox(key="lab.phase.x").set_value("momentum").run()
    assert_clean(at)
    assert url(at)["lab.phase.y"] == "learning_rate"
    fig = charts(at)["lab.chart.phase"]
    boundary = next(t for t in fig["data"] if "analytic" in t.get("name", ""))
    mu, eta = array(boundary["x"]), array(boundary["y"])
    ok = np.isfinite(mu) & np.isfinite(eta)
    np.testing.assert_allclose(eta[ok], 2 * (1 + mu[ok]) / 1.0, rtol=1e-9)  # λmax = 1 on the valley


def test_basin_grid_size_changes_and_settings_survive_another_section():
    at = new_app(**small("basins"), **{"lab.surface": "himmelblau"})
    at.run()
    heat = [t for t in charts(at)["lab.chart.basins"]["data"] if t["type"] == "heatmap"]
    assert len(heat) == 2 and array(heat[0]["z"]).shape == (16, 16)
    at.slider(key="lab.basins.size").set_value(24).run()
    assert_clean(at)
    heat = [t for t in charts(at)["lab.chart.basins"]["data"] if t["type"] == "heatmap"]
    assert array(heat[0]["z"]).shape == (24, 24)
    at.radio(key="lab.section").set_value("curve").run()
    assert "lab.basins.size" not in url(at)  # the link describes the open section only
    at.radio(key="lab.section").set_value("basins").run()
    assert_clean(at)
    assert url(at)["lab.basins.size"] == "24"
    heat = [t for t in charts(at)["lab.chart.basins"]["data"] if t["type"] == "heatmap"]
    assert array(heat[0]["z"]).shape == (24, 24)


def test_bad_url_values_become_notices_not_exceptions():
    at = new_app(**{"lab.section": "phase", "lab.phase.size": "lots", "lab.steps": "1e9",
                    "lab.phase.optimizer": "warp_drive", "lab.phase.momentum.lo": "nan", "lab.surface": "moon",
                    "lab.unknown": "1"})
    at.run()
    assert_clean(at)
    text = "\n".join(w.value for w in at.warning)
    for word in ("lots", "1e+09", "warp_drive", "nan", "moon", "lab.unknown"):
        assert word in text, (word, text)
    assert url(at)["lab.steps"] == str(lab_compute.MAX_STEPS)
    assert url(at)["lab.phase.optimizer"] == "momentum"
    assert "lab.chart.phase" in charts(at)


def test_reversed_range_is_swapped_with_a_note():
    at = new_app(**small(), **{"lab.curve.lo": "5.0", "lab.curve.hi": "0.01"})
    at.run()
    assert_clean(at)
    assert any("swapped" in i.value for i in at.info)
    eta = array(charts(at)["lab.chart.curve"]["data"][0]["x"])
    assert eta.min() == pytest.approx(0.01) and eta.max() == pytest.approx(5.0)


def test_a_broken_typed_surface_is_reported_and_a_typed_quadratic_gets_its_limit():
    at = new_app(**small(), **{"lab.surface": "custom", "lab.expression": "x**2 + (", "lab.box": "2"})
    at.run()
    assert not at.exception
    assert at.sidebar.error
    at = new_app(**small(), **{"lab.surface": "custom", "lab.expression": "x**2 + 4*y**2", "lab.box": "2",
                             "lab.curve.optimizers": "sgd"})
    at.run()
    assert_clean(at)
    limit = next(t for t in charts(at)["lab.chart.curve"]["data"] if "2/λmax" in t.get("name", ""))
    assert array(limit["x"])[0] == pytest.approx(2 / 8)  # Hessian diag(2, 8)


# ------------------------------------------------------------------------------------------------ pure helpers
def test_bucket_pads_by_at_most_a_quarter():
    for n in range(1, 50_000, 37):
        b = lab_compute.bucket(n)
        assert b >= max(n, 64) and (b <= 1.25 * n or b == 64)
    assert lab_compute.bucket(10_000) == 10_240 and lab_compute.bucket(40_000) == 40_960


def test_padded_sweep_equals_the_plain_sweep():
    valley = landscapes.get("elongated_valley")
    etas = np.geomspace(1e-3, 3.0, 37)
    padded = lab_compute.padded_sweep(valley, "momentum", {"learning_rate": etas}, valley.start, 200, {"momentum": 0.8})
    plain = R.sweep(valley, "momentum", {"learning_rate": etas}, start=valley.start, steps=200, momentum=0.8)
    for a, b in zip(padded, plain):
        np.testing.assert_array_equal(a, b)
    assert len(padded.loss) == 37


def test_grid_search_tries_k_values_per_axis_and_random_search_tries_budget():
    gx, gy = lab_compute.grid_points((1e-3, 10.0), (0.0, 0.99), 25, True, False)
    assert len(gx) == 25 and len(np.unique(gx)) == 5 and len(np.unique(gy)) == 5
    assert gx.min() == pytest.approx(1e-3) and gx.max() == pytest.approx(10.0)
    rx, ry = lab_compute.random_points((1e-3, 10.0), (0.0, 0.99), 25, True, False, seed=3)
    assert len(np.unique(rx)) == 25 and len(np.unique(ry)) == 25
    assert rx.min() >= 1e-3 and rx.max() <= 10.0 and ry.min() >= 0 and ry.max() <= 0.99
    # Log-uniform: log10 of many draws is uniform on [-3, 1] (mean -1, variance 4²/12).
    many, _ = lab_compute.random_points((1e-3, 10.0), (0.0, 1.0), 20_000, True, False, seed=0)
    assert np.mean(np.log10(many)) == pytest.approx(-1.0, abs=0.05)
    assert np.var(np.log10(many)) == pytest.approx(16 / 12, rel=0.05)


def test_best_index_ranks_not_diverged_then_converged_then_fewer_steps_or_lower_loss():
    loss = np.array([0.0, 1e-12, 5.0, 0.1, 1e-3])
    conv = np.array([-1, 40, -1, -1, 12])
    div = np.array([True, False, False, False, False])
    assert lab_compute.best_index(loss, conv, div) == 4
    assert lab_compute.best_index(loss[:4], conv[:4], div[:4]) == 1
    assert lab_compute.best_index(np.array([3.0, 2.0]), np.array([-1, -1]), np.array([False, False])) == 1


def _point(xy, kind, value=0.0):
    return SimpleNamespace(xy=xy, kind=kind, value=value)


def test_attractors_merge_listed_minima_and_classify_ends_by_nearest_point():
    points = [_point((1.0, 1.0), "minimum", 0.5), _point((-1.0, 0.0), "minimum", 0.0), _point((0.0, 0.0), "saddle")]
    listed = [Minimum((1.0 + 1e-6, 1.0), 0.5), Minimum((3.0, -3.0), 2.0, "local")]  # the first is a duplicate
    att = lab_compute.attractors(points, listed, ((-4.0, 4.0), (-4.0, 4.0)))
    np.testing.assert_allclose(att.minima, [[-1.0, 0.0], [1.0, 1.0], [3.0, -3.0]], atol=1e-5)  # lowest first
    assert att.tol == pytest.approx(0.01 * np.hypot(8, 8))
    conv, div, moving = (STATUSES.index(s) for s in ("converged", "diverged", "max_steps"))
    ends = np.array([[1.05, 1.0], [-1.0, 0.02], [0.01, 0.0], [2.0, 2.0], [2.0, 2.0], [3.0, -3.0], [0.5, 0.5]])
    code = np.array([conv, moving, conv, conv, moving, div, moving])
    labels = lab_compute.classify_ends(ends, code, att)
    k = len(att.minima)
    assert labels.tolist() == [1, 0, k, k, k + 2, k + 1, k + 2]
    assert lab_compute.categories(att)[k:] == ("stalled at a saddle or other stationary point", "diverged", "still moving")


def test_basin_map_of_a_convex_quadratic_is_one_basin_and_himmelblau_starts_near_a_minimum_end_there():
    valley = landscapes.get("booth")
    att = lab_compute.attractors(landscapes.critical_points(valley), valley.minima, valley.bounds)
    b = lab_compute.basin_map(valley, "sgd", 12, 400, att, {"learning_rate": 0.05})
    assert np.all(b.labels == 0) and b.counts[0] == 144  # GD with ηλmax = 0.9 < 2 converges from everywhere
    himmelblau = landscapes.get("himmelblau")
    att = lab_compute.attractors(landscapes.critical_points(himmelblau), himmelblau.minima, himmelblau.bounds)
    xs, ys, starts = lab_compute.basin_starts(himmelblau.bounds, 40)
    b = lab_compute.basin_map(himmelblau, "sgd", 40, 500, att, {"learning_rate": 0.005})
    # Starts within 0.5 of a minimum lie inside its basin (the basins are far wider), so GD must end there.
    d = np.linalg.norm(starts[:, None, :] - att.minima[None], axis=-1)
    near = d.min(axis=1) < 0.5
    assert near.sum() >= 8
    np.testing.assert_array_equal(b.labels.ravel()[near], d.argmin(axis=1)[near])
    assert b.counts.sum() == 1600 and b.counts[len(att.minima) + 1] == 0  # nothing diverges at this η


def test_fair_comparison_tunes_on_one_set_of_starts_and_evaluates_on_another():
    valley = landscapes.get("elongated_valley")
    tune, held = lab_compute.random_starts(valley.bounds, 30, seed=1)
    assert not np.any(np.all(np.isclose(tune[:, None], held[None]), axis=-1))
    r = lab_compute.fair_comparison(valley, "sgd", 8, 30, 300, seed=1, f_star=0.0, eta_range=(0.01, 4.0))
    assert r.etas[0] == pytest.approx(0.01) and r.etas[-1] == pytest.approx(4.0)
    # GD on the valley: the stable η < 2/λmax = 2 nearest the limit (fastest floor travel) wins; 4 diverges.
    assert np.isinf(r.scores[-1])
    stable = r.etas < 2.0
    assert r.best_eta == pytest.approx(r.etas[stable][np.argmin(r.scores[stable])])
    assert r.best_eta < 2.0 and len(r.final_loss) == 30 and not r.diverged.any()
    # Independent check of the held-out losses: GD on a quadratic is x_t = (I − ηA)^t x_0.
    a = landscapes.analysis.hessian(valley, np.zeros(2))
    step = np.linalg.matrix_power(np.eye(2) - r.best_eta * np.asarray(a), 300)
    ends = held @ step.T
    np.testing.assert_allclose(r.final_loss, 0.5 * np.einsum("ni,ij,nj->n", ends, np.asarray(a), ends),
                               rtol=1e-6, atol=1e-18)


def test_another_pages_url_keys_are_skipped_quietly_but_this_pages_unknown_keys_are_reported():
    at = new_app(**small("schedules"), **{"compare.steps": "5", "explore.x": "1", "lab.bogus": "1"})
    at.run()
    assert_clean(at)
    said = "\n".join(w.value for w in at.warning)
    assert "lab.bogus" in said
    assert "compare.steps" not in said and "explore.x" not in said


def test_the_legend_clears_the_subplot_titles_and_each_line_looks_like_its_entry():
    curve = dict(eta=np.geomspace(0.01, 1, 3), loss=np.ones(3), converged_at=np.array([5, 4, -1]),
                 diverged=np.array([False, False, True]), label="GD", color="#000")
    t = np.arange(4)
    for fig in (lab_charts.learning_rate_figure([curve], 0.0),
                lab_charts.schedule_figure(t, np.ones(3), 1.0, np.ones(4), np.ones(4), 0.0, "cosine")):
        # Subplot titles sit just above the top panel (paper y = 1): the legend is under the panels (a legend of
        # several rows on a phone would otherwise cover the titles).
        assert max(a.y for a in fig.layout.annotations) == pytest.approx(1.0)
        legend = fig.layout.legend
        assert legend.yanchor == "top" and legend.y < 0 and legend.yref in (None, "paper")
    fig = lab_charts.schedule_figure(t, np.ones(3), 1.0, np.ones(4), np.ones(4), 0.0, "cosine")
    dashes = {(tr.name, tr.line.dash) for tr in fig.data}
    assert dashes == {("cosine", None), ("cosine", "solid"), ("constant η", "dash")}
