"""The Network page through Streamlit's AppTest (tests/apps/network_app.py mounts app_pages/network.py the way
app.py does), and its parts (`components.network`)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import optimizers
from landscapes import datasets, network as N
from components.network import compute as net
from components.network import figures as net_charts
from components.network import words as net_words
from tests.test_lab_page import array

APP = str(Path(__file__).resolve().parent / "apps" / "network_app.py")
TIMEOUT = 300
SMALL = {"network.steps": "60", "network.grid": "31", "network.optimizers": "adam"}
FIGURES = {"network.chart.boundary", "network.chart.loss", "network.chart.slice", "network.chart.slice3d",
           "network.chart.spectrum"}


def run(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(query)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def charts(at: AppTest) -> dict[str, dict]:
    return {e.proto.id.split("-", 2)[-1]: json.loads(e.proto.spec) for e in at.get("plotly_chart")}


def url(at: AppTest) -> dict[str, str]:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def alerts(at: AppTest) -> str:
    return " ".join(e.value for kind in ("warning", "info", "success", "error") for e in getattr(at, kind))


def test_default_view_trains_three_optimizers_and_calls_the_end_a_minimum():
    at = run()
    figs = charts(at)
    assert FIGURES <= set(figs), set(figs)
    names = [t.get("name") for t in figs["network.chart.slice"]["data"]]
    assert {"Adam", "Momentum", "Gradient descent"} <= set(names)
    assert "is **a minimum**" in " ".join(e.value for e in at.success)
    assert url(at)["network.plane"] == "pca" and url(at)["network.optimizers"] == "adam,momentum,sgd"
    # what the page says matches the engine
    problem = N.Problem()
    captions = " ".join(c.value for c in at.caption)
    assert f"{problem.n_params} parameters" in captions and "training accuracy" in captions


@pytest.mark.parametrize("name", datasets.names())
def test_every_data_set_renders(name):
    at = run(**SMALL, **{"network.data": name})
    assert FIGURES <= set(charts(at))
    assert datasets.DATASETS[name][0] in " ".join(c.value for c in at.caption)
    assert not at.warning  # nothing was refused


def test_a_link_round_trips():
    query = {**SMALL, "network.data": "circles", "network.hidden": "8-8", "network.activation": "softplus",
             "network.init": "random", "network.seed": "3", "network.batch": "16", "network.plane": "filter",
             "network.at": "30", "network.adam.lr": "0.01", "network.l2": "0.0001"}
    at = run(**query)
    assert url(at) == {**query, "network.optimizers": "adam", "lang": "en"}
    assert not at.warning
    assert at.subheader[-1].value.startswith("The Hessian at step 30")
    assert "Concentric circles, MLP 2–8–8–1 softplus" in at.caption[0].value


def test_hostile_values_are_refused_with_a_notice():
    at = run(**{"network.data": "<script>alert(1)</script>", "network.steps": "1e99", "network.hidden": "999",
                "network.optimizers": "adam,rm -rf,sgd", "network.adam.lr": "nan", "network.seed": "-5",
                "network.grid": "100000", "network.plane": "../../etc"})
    warning = " ".join(w.value for w in at.warning)
    for label in ("Data set", "Steps", "Hidden layers", "Optimizers", "learning rate", "Seed", "Grid", "Plane"):
        assert label in warning, (label, warning)
    assert "`<script>alert(1)</script" in warning  # quoted as code (plain text), never as HTML
    assert FIGURES <= set(charts(at))
    assert url(at)["network.data"] == "moons" and int(url(at)["network.steps"]) <= 2000


def test_no_optimizer_is_a_message_not_an_error():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(SMALL)
    at.run()
    at.multiselect(key="network.optimizers").set_value([]).run()
    assert not at.exception
    assert "Pick at least one optimizer" in " ".join(i.value for i in at.info)


def test_show_me_a_saddle_lands_on_a_saddle_and_escapes_it():
    at = run(**SMALL)
    at.button(key="network.saddle").click().run()
    assert not at.exception, [e.message for e in at.exception]
    verdict = " ".join(w.value for w in at.warning)
    assert "is **a saddle point**" in verdict and "negative and positive eigenvalues" in verdict
    figs = charts(at)
    assert {"network.chart.profile", "network.chart.escape"} <= set(figs)
    escape = {t["name"]: array(t["y"]) for t in figs["network.chart.escape"]["data"]}
    stay, leave = escape["from θ"], next(v for k, v in escape.items() if k.startswith("from θ +"))
    assert leave[-1] < 0.5 * stay[-1]  # the step along v escapes; from θ itself the run stays
    assert abs(stay[-1] - stay[0]) < 1e-3
    marker = [t for t in figs["network.chart.slice"]["data"] if t.get("name") == "saddle"]
    assert marker, "θ* should be marked as a saddle on the slice"
    assert url(at)["network.data"] == "xor" and url(at)["network.init"] == "symmetric"


# ------------------------------------------------------------------------------------------ helpers
def test_newton_type_rules_only_for_small_networks():
    assert "newton" in net.trainable(33)
    assert "newton" not in net.trainable(net.HESSIAN_PARAMS + 1)
    assert "adam" in net.trainable(net.HESSIAN_PARAMS + 1)


def test_eigen_table_keeps_tiny_residuals_readable():
    from landscapes.spectrum import Extremes
    ext = Extremes(np.array([-1e-3]), np.zeros((2, 1)), np.array([2.5]), np.zeros((2, 1)), np.array([3e-17]),
                   np.array([1e-16]), 2, True)
    table = net_words.eigen_table(ext)
    assert table == {"eigenvalue λ": ["-0.001", "2.5"], "‖Hu − λu‖": ["3.0e-17", "1.0e-16"]}


def test_3d_paths_break_where_they_leave_the_box():
    import landscapes
    problem = N.Problem()
    fit = optimizers.train_network(problem, "adam", N.initial(problem, 0), steps=50,
                                   hyperparams={"learning_rate": 0.05})
    s = landscapes.network_slice(problem=problem, directions="filter", theta=fit.params[-1], path=fit.params)
    xs = ys = np.linspace(-1, 1, 5)
    xy = np.array([[0.0, 0.0], [0.5, 0.5], [3.0, 0.0], [0.2, -0.2]])
    plane = net.Plane(s, xs, ys, np.zeros((5, 5)), (xy,), (np.zeros(4),), (np.zeros(4),))
    contour, surface = net_charts.plane_figures(plane, ["adam"], "minimum")
    path3d = [t for t in surface.data if t.name == "Adam"][0]
    assert np.isnan(path3d.x[2]) and path3d.x[3] == pytest.approx(0.2)
    line = [t for t in contour.data if t.name == "Adam"][0]
    assert line.x[2] == 3.0  # the contour keeps it: its axes clip it
    # The plane's coordinates are α and β, as in f(α, β) = L(θ* + α d₁ + β d₂) under the charts, not x and y.
    assert contour.data[0].colorbar.title.text == "f(α, β)"
    assert contour.data[0].hovertemplate.startswith("α=") and "β=" in contour.data[0].hovertemplate
    assert "α=" in contour.data[1].hovertemplate  # θ*'s marker
    assert (surface.layout.scene.xaxis.title.text, surface.layout.scene.yaxis.title.text) == ("α", "β")
    assert surface.data[0].hovertemplate.startswith("α=")
