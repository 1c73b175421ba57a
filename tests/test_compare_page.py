"""The compare page through Streamlit's AppTest, and the pure parts behind it (controls, export, outcomes).

AppTest runs the real ``app.py`` (navigation + page) in this process: the engine's compiled runners and the
``st.cache_*`` caches stay warm between tests, so only the first run pays for cold JAX.  What the page sends to the
player is read from the component's JSON arguments (``UnknownElement.proto.json_args``) and checked against
closed forms: gradient descent on the valley's quadratic is ``x_t = (I − ηA)^t x_0``.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from streamlit.testing.v1 import AppTest

import landscapes
from components import controls, export, first_view, outcomes, scrub
from optimizers import codegen
from components.player import decode_array
from optimizers import catalog, course, presets

from optimizers import engine as R
from components import runs
from components import surfaces
APP = str(Path(__file__).resolve().parent.parent / "app.py")
DEFAULTS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
TIMEOUT = 120  # cold JAX compiles of six runners take far longer than AppTest's default 3 s


def new_app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(query)
    return at


def player_args(at: AppTest) -> dict:
    (component,) = at.get("component_instance")
    return json.loads(component.proto.json_args)


def paths_by_name(args: dict) -> dict:
    return {p["name"]: p for p in args["paths"]}


def url(at: AppTest) -> dict[str, str]:
    """The page's query parameters after the run, one string per key."""
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def warnings_text(at: AppTest) -> str:
    return "\n".join(w.value for w in at.warning)


def valley_hessian(kappa: float, angle_deg: float) -> np.ndarray:
    """A = Rᵀ diag(1/κ, 1) R for f = ½(u²/κ + v²), (u, v) = R (x, y), R = [[c, s], [−s, c]]."""
    c, s = math.cos(math.radians(angle_deg)), math.sin(math.radians(angle_deg))
    rot = np.array([[c, s], [-s, c]])
    return rot.T @ np.diag([1.0 / kappa, 1.0]) @ rot


# ------------------------------------------------------------------------------------------------ AppTest
@pytest.fixture(scope="module")
def default_app() -> AppTest:
    at = new_app()
    at.run()
    assert not at.exception, at.exception
    return at


def test_default_page_renders_six_paths_markers_and_a_clean_url(default_app):
    at = default_app
    args = player_args(at)
    assert [p["name"] for p in args["paths"]] == ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]
    assert args["layout"] == "overlay"
    kinds = {m["kind"] for m in args["markers"]}
    assert "minimum" in kinds and "start" in kinds
    minimum = next(m for m in args["markers"] if m["kind"] == "minimum")
    assert abs(minimum["x"]) < 1e-9 and abs(minimum["y"]) < 1e-9  # the valley's only minimum is the origin
    for p in args["paths"]:
        assert decode_array(p["xy"]).shape == (201, 2)
    assert url(at)["compare.surface"] == "elongated_valley"
    assert url(at)["compare.optimizers"] == "sgd,momentum,nesterov,adagrad,rmsprop,adam"
    assert not at.warning  # a clean URL gives no notice
    (outcomes,) = [m.value for m in at.markdown if m.value.startswith("**Gradient descent**:")]
    # The valley's preset: gradient descent still crawls along the floor after 200 steps; nothing diverges.
    assert outcomes.startswith("**Gradient descent**: :blue[still moving") and ":red[" not in outcomes


def test_moving_a_slider_changes_exactly_that_optimizers_path_to_the_closed_form(default_app):
    at = default_app
    before = paths_by_name(player_args(at))
    at.select_slider(key="compare.sgd.learning_rate").set_value(0.5).run()
    assert not at.exception
    after = paths_by_name(player_args(at))
    assert after["sgd"]["xy"]["b64"] != before["sgd"]["xy"]["b64"]
    for name in ("momentum", "nesterov", "adagrad", "rmsprop", "adam"):
        assert after[name]["xy"]["b64"] == before[name]["xy"]["b64"]
    # Gradient descent on a quadratic: x_t = (I − ηA)^t x_0 (float32 on the wire).
    xy = decode_array(after["sgd"]["xy"]).astype(np.float64)
    step = np.eye(2) - 0.5 * valley_hessian(100.0, 30.0)
    expected = [xy[0]]
    for _ in range(len(xy) - 1):
        expected.append(step @ expected[-1])
    np.testing.assert_allclose(xy, np.array(expected), atol=1e-5 * np.abs(xy[0]).max())
    assert url(at)["compare.sgd.learning_rate"] == "0.5"


def test_url_round_trip_reproduces_the_view():
    query = {"compare.surface": "rosenbrock", "compare.rosenbrock.b": "10.0", "compare.optimizers": "adam,sgd",
             "compare.steps": "300", "compare.adam.learning_rate": "0.05", "compare.layout": "side_by_side",
             "compare.schedule": "exponential", "compare.exponential.k": "0.01", "compare.noise": "0.1",
             "compare.seed": "7", "compare.x0": "-1.5", "compare.y0": "2.0"}
    at = new_app(**query)
    at.run()
    assert not at.exception and not at.warning
    for key, value in query.items():
        assert url(at)[key] == value, key
    assert at.select_slider(key="compare.adam.learning_rate").value == 0.05
    args = player_args(at)
    assert args["layout"] == "side_by_side" and [p["name"] for p in args["paths"]] == ["adam", "sgd"]
    assert decode_array(args["paths"][0]["xy"]).shape == (301, 2)
    np.testing.assert_allclose(decode_array(args["paths"][0]["xy"])[0], [-1.5, 2.0])
    # η_t = 0.05 e^{−0.01 t} is what the player shows for Adam.
    lr = decode_array(args["paths"][0]["learning_rate"])
    np.testing.assert_allclose(lr, 0.05 * np.exp(-0.01 * np.arange(300)), rtol=1e-6)

    # A link copied from a session where sliders moved opens the same view in a new session.
    at.select_slider(key="compare.sgd.learning_rate").set_value(0.002).run()
    at.toggle(key="compare.flow").set_value(True).run()
    link = url(at)
    copy = new_app(**link)
    copy.run()
    assert not copy.exception and not copy.warning
    strip = lambda a: {k: v for k, v in a.items() if k not in ("n0", "key")}  # noqa: E731
    assert strip(player_args(copy)) == strip(player_args(at))
    assert "flow_xy" in paths_by_name(player_args(copy))["sgd"]


def test_hostile_url_values_give_notices_and_no_exception():
    at = new_app(**{
        "compare.steps": "nan", "compare.x0": "inf", "compare.y0": "1e308", "compare.seed": "abc",
        "compare.optimizers": "adam,evil<script>,sgd", "compare.adam.learning_rate": "9" * 10_000,
        "compare.noise": "-inf", "compare.elongated_valley.kappa": "1e308", "compare.layout": "sideways",
        "compare.flow": "maybe", "compare.no_such_control": "1", "compare.sgd.learning_rate": "NaN",
    })
    at.run()
    assert not at.exception
    text = warnings_text(at)
    for expected in ("Steps: `nan` is not finite", "x₀: `inf` is not finite", "1e+308 is outside [-10, 10]",
                     "`abc` is not a number", "ignored unknown `evil<script>`", "too long",
                     "σ: `-inf` is not finite", "clamped to 1000", "unknown value `sideways`",
                     "`maybe` is not true/false", "`compare.no_such_control`", "Gradient descent learning_rate"):
        assert expected in text, expected
    assert "9" * 100 not in text  # long values are never echoed back
    assert at.slider(key="compare.steps").value == 200
    assert at.number_input(key="compare.y0").value == 10.0
    assert url(at)["compare.optimizers"] == "adam,sgd"
    assert url(at)["compare.elongated_valley.kappa"] == "1000.0"
    assert [p["name"] for p in player_args(at)["paths"]] == ["adam", "sgd"]

    unknown = new_app(**{"compare.surface": "no_such_surface", "compare.optimizers": "nope,nada"})
    unknown.run()
    assert not unknown.exception
    assert "unknown value `no_such_surface`" in warnings_text(unknown)
    assert "ignored unknown `nope`, `nada`. Using the defaults." in warnings_text(unknown)
    assert len(player_args(unknown)["paths"]) == 6


def test_typed_expression_errors_show_inline_and_a_fix_runs():
    at = new_app(**{"compare.surface": "custom", "compare.optimizers": "sgd",
                    "compare.expression": "x**2 + __import__('os')"})
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["This expression cannot be used:"]
    assert at.code[0].value.startswith("x**2 + __import__('os')\n" + " " * 18 + "^\n")  # column 19
    assert "not allowed" in at.code[0].value
    assert not at.get("component_instance")  # nothing runs on a refused surface

    at.text_input(key="compare.expression").input("x**2 + 3*y**2 + sinh(").run()
    assert not at.exception and at.error
    at.text_input(key="compare.expression").input("x**2 + 3*y**2").run()
    assert not at.exception and not at.error
    (path,) = player_args(at)["paths"]
    # GD on f = x² + 3y² (Hessian diag(2, 6)) from the typed surface's start (−2.4, 2.4), with the η the page
    # derives for a new surface (half the stability limit 2/6, on the slider's grid): x_t = (I − ηA)^t x_0.
    eta = at.select_slider(key="compare.sgd.learning_rate").value
    assert eta == presets.round_down(0.5 * 2 / 6)
    xy = decode_array(path["xy"]).astype(np.float64)
    t = np.arange(len(xy))
    np.testing.assert_allclose(xy[:, 0], -2.4 * (1 - 2 * eta) ** t, rtol=1e-5, atol=1e-30)
    np.testing.assert_allclose(xy[:, 1], 2.4 * (1 - 6 * eta) ** t, rtol=1e-5, atol=1e-30)


def test_a_click_on_the_surface_sets_the_start_once(default_app):
    at = default_app
    at.session_state["compare.player"] = {"x": 1.23456, "y": -2.5, "n": 7}
    at.run()
    assert not at.exception
    assert at.number_input(key="compare.x0").value == pytest.approx(1.234)  # snapped to 1e-4 of the box
    assert at.number_input(key="compare.y0").value == pytest.approx(-2.5)
    args = player_args(at)
    assert args["n0"] == 7  # the player continues its click counter from here
    for p in args["paths"]:
        np.testing.assert_allclose(decode_array(p["xy"])[0], [1.234, -2.5], rtol=1e-6)
    # The same click seen again by a later rerun is not applied twice.
    at.number_input(key="compare.x0").set_value(3.0).run()
    at.run()
    assert at.number_input(key="compare.x0").value == 3.0


def test_no_optimizer_selected_shows_the_surface_and_a_hint(default_app):
    at = default_app
    at.multiselect(key="compare.optimizers").set_value([]).run()
    assert not at.exception
    assert player_args(at)["paths"] == [] and "Pick at least one optimizer" in at.info[0].value
    at.multiselect(key="compare.optimizers").set_value(list(DEFAULTS)).run()
    assert len(player_args(at)["paths"]) == 6


def test_layout_and_flow_overlay(default_app):
    at = default_app
    at.radio(key="compare.layout").set_value("side_by_side").run()
    at.toggle(key="compare.flow").set_value(True).run()
    assert not at.exception
    args = paths_by_name(player_args(at))
    assert player_args(at)["layout"] == "side_by_side"
    assert "flow_xy" in args["sgd"] and "flow_xy" in args["momentum"] and "flow_xy" not in args["adam"]
    # The gradient flow of a quadratic from x0: x(t) = exp(−tA) x0, drawn up to t = steps·η.
    flow = decode_array(args["sgd"]["flow_xy"]).astype(np.float64)
    x0 = decode_array(args["sgd"]["xy"])[0].astype(np.float64)
    lam, vecs = np.linalg.eigh(valley_hessian(100.0, 30.0))
    t_end = 200 * at.select_slider(key="compare.sgd.learning_rate").value
    expected = vecs @ (np.exp(-t_end * lam) * (vecs.T @ x0))
    np.testing.assert_allclose(flow[-1], expected, rtol=1e-5, atol=1e-5)
    at.radio(key="compare.layout").set_value("overlay").run()
    at.toggle(key="compare.flow").set_value(False).run()


def test_divergence_is_reported_with_its_cause():
    # Booth's Hessian [[10, 8], [8, 10]] has λmax = 18, so η = 0.2 gives ηλmax = 3.6 > 2.
    at = new_app(**{"compare.surface": "booth", "compare.optimizers": "sgd", "compare.sgd.learning_rate": "0.2"})
    at.run()
    assert not at.exception
    (line,) = [m.value for m in at.markdown if m.value.startswith("**Gradient descent**:")]  # the outcomes
    assert ":red[diverged at step" in line and "η·λmax = 0.2·18 = 3.6 > 2" in line
    assert player_args(at)["paths"][0]["status"] == "diverged"


def test_update_rules_charts_and_exports(default_app):
    at = default_app
    # The default tab shows the rules that ran, with their static switches applied.
    shown = "\n".join(m.value for m in at.markdown)
    for name in DEFAULTS:
        assert f"$$\n{catalog.latex_for(name)}\n$$" in shown
    assert not at.get("plotly_chart")  # no chart is built until its tab is opened
    for tab in ("Loss", "Distance to a minimum", "Gradient norm", "Update / parameter ratio"):
        at.session_state["compare.charts"] = tab
        at.run()
        assert not at.exception
        (chart,) = at.get("plotly_chart")
        figure = json.loads(chart.proto.spec)
        assert len(figure["data"]) == 6 and figure["layout"]["yaxis"]["type"] == "log", tab
    at.session_state["compare.charts"] = "Update rules"
    at.session_state["compare.code"] = True  # the optax code is generated only while its expander is open
    at.run()
    assert not at.exception
    code = at.code[-1].value
    assert "tx = optax.sgd(learning_rate=learning_rate)" in code and "def run(f, start=" in code
    assert url(at)["compare.export"] == "sgd"
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Trajectories (CSV)", "Trajectories (JSON)"]
    at.session_state["compare.code"] = False
    at.run()


# ------------------------------------------------------------------------------------------------ optax code
START = (-1.2, 1.0)


def _reference_path(land, name, hyperparams, steps, schedule=None, schedule_params=None):
    """The engine's update loop written out eagerly: factory -> with_extra_args_support, every extra argument."""
    spec = catalog.get(name)
    hp = {**spec.defaults(), **hyperparams}
    if schedule:
        from optimizers import schedules

        hp["learning_rate"] = schedules.get(schedule).factory(hp["learning_rate"], steps, **(schedule_params or {}))
    tx = optax.with_extra_args_support(spec.factory(**hp))
    f = land.f
    value_and_grad, hess = jax.value_and_grad(f), jax.hessian(f)
    x = jnp.asarray(START, jnp.float64)
    state, path = tx.init(x), [x]
    for _ in range(steps):
        value, grad = value_and_grad(x)
        updates, state = tx.update(grad, state, x, value=value, grad=grad, value_fn=f, hessian=hess(x))
        x = optax.apply_updates(x, updates)
        path.append(x)
    return np.asarray(jnp.stack(path))


# One optimizer per way `optax_code` writes one: direct optax calls, recipes, custom transformations, extra
# update arguments, the schedule-free iterate and the second-order fallback.  The slow eager ones take fewer steps.
SNIPPET_CASES = [
    ("sgd", {}, 8), ("adamw", {}, 8), ("rmsprop", {"eps_in_sqrt": True}, 8), ("momentum", {}, 8),
    ("nesterov", {}, 8), ("adagrad", {}, 8), ("adagrad", {"eps_in_sqrt": True, "initial_accumulator_value": 0.1}, 8),
    ("adam", {}, 8), ("adam", {"bias_correction": False}, 8), ("noisy_sgd", {}, 4), ("optimistic_adam", {}, 6),
    ("rprop", {}, 6), ("sm3", {}, 6), ("dadapt_adamw", {}, 4), ("prodigy", {}, 4), ("mechanize", {}, 3),
    ("polyak_sgd", {}, 4), ("sam", {}, 4), ("schedule_free_sgd", {}, 4), ("schedule_free_adamw", {}, 4),
    ("sophia", {}, 3), ("lbfgs", {}, 2), ("newton", {}, 3),
]


@pytest.mark.parametrize("name,hyperparams,steps", SNIPPET_CASES, ids=[f"{c[0]}{'+' if c[1] else ''}"
                                                                       for c in SNIPPET_CASES])
def test_optax_snippet_builds_the_same_optimizer(name, hyperparams, steps):
    land = landscapes.get("rosenbrock")
    code = codegen.optax_code(name, hyperparams, steps=steps, start=START)
    namespace: dict = {}
    exec(compile(code, f"<optax snippet {name}>", "exec"), namespace)  # the test, never the app, executes it
    got = np.asarray(namespace["run"](land.f))
    np.testing.assert_allclose(got, _reference_path(land, name, hyperparams, steps), rtol=1e-9, atol=1e-12)


def test_every_registered_optimizer_gets_a_snippet_that_builds():
    for name in catalog.names():
        code = codegen.optax_code(name)
        namespace: dict = {}
        exec(compile(code, f"<optax snippet {name}>", "exec"), namespace)
        state = namespace["tx"].init(jnp.zeros(2))
        assert state is not None, name


@pytest.mark.parametrize("name", DEFAULTS)
def test_course_snippets_reproduce_the_pages_default_runs(name):
    # The page's default view (the compiled runners are shared with the AppTest runs above).
    land = landscapes.get("elongated_valley")
    engine = R.run(land, name, start=land.start, steps=200)
    namespace: dict = {}
    exec(codegen.optax_code(name, steps=200, start=land.start), namespace)
    np.testing.assert_allclose(np.asarray(namespace["run"](land.f)), engine.xy, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("schedule", ["step", "exponential", "inverse_time", "warmup_cosine", "cyclical", "one_cycle"])
def test_schedule_snippets_equal_the_engines_schedules(schedule):
    from optimizers import schedules

    spec = schedules.get(schedule)
    params = {h.name: (h.min + h.max) / 2 if not h.log else math.sqrt(h.min * h.max) for h in spec.hyperparams}
    namespace = {"optax": optax, "jnp": jnp}
    exec(codegen.schedule_code(schedule, 0.3, 97, params), namespace)
    engine = spec.factory(0.3, 97, **params)
    counts = [jnp.int32(c) for c in range(120)]  # optax's step counter is an int32
    got = np.array([float(namespace["learning_rate"](c)) for c in counts])
    np.testing.assert_allclose(got, np.array([float(engine(c)) for c in counts]), rtol=1e-12, atol=1e-15)


def test_snippet_with_schedule_and_noise_reproduces_the_engine():
    land = landscapes.get("booth")
    kw = dict(schedule="warmup_cosine", schedule_params={"warmup": 0.2, "alpha": 0.1}, noise=0.5, seed=3)
    engine = R.run(land, "adam", start=START, steps=40, learning_rate=0.2, **kw)
    namespace: dict = {}
    exec(codegen.optax_code("adam", {"learning_rate": 0.2}, steps=40, start=START, **kw), namespace)
    np.testing.assert_allclose(np.asarray(namespace["run"](land.f)), engine.xy, rtol=1e-9, atol=1e-12)


# ------------------------------------------------------------------------------------------------ outcomes
def _escape_factor(tx, lam: float, steps: int = 300) -> float:
    """|x_T| / |x_0| of ``tx`` on f = ½ λ x² (one coordinate), by lax.scan."""

    def body(carry, _):
        x, state = carry
        updates, state = tx.update(lam * x, state, x)
        return (x + updates, state), None

    x0 = jnp.ones(1)
    (x, _), _ = jax.lax.scan(body, (x0, tx.init(x0)), None, length=steps)
    return float(jnp.abs(x[0]))


@pytest.mark.parametrize("name,mu", [("sgd", 0.0), ("momentum", 0.5), ("momentum", 0.9), ("nesterov", 0.5),
                                     ("nesterov", 0.9)])
def test_stability_limits_match_the_rules_that_run(name, mu):
    limit, _ = outcomes.stability_limit(name, {"momentum": mu})
    lam = 1.0
    build = {"sgd": lambda eta: optax.sgd(eta), "momentum": lambda eta: course.momentum(eta, mu),
             "nesterov": lambda eta: course.nesterov(eta, mu)}[name]
    assert _escape_factor(build(0.9 * limit / lam), lam) < 1.0
    assert _escape_factor(build(1.1 * limit / lam), lam) > 1e3


def test_outcomes_in_words():
    booth = landscapes.get("booth")  # Hessian [[10, 8], [8, 10]]: λmax = 18
    crit = [((1.0, 3.0), "minimum")]
    lam = (2.0, 18.0)
    common = dict(critical=crit, global_minima=[(1.0, 3.0)], box_diagonal=20 * math.sqrt(2), start_eigenvalues=lam)
    diverged = R.run(booth, "sgd", start=(-7.0, -6.0), steps=200, learning_rate=0.2)
    result = outcomes.outcome(diverged, end_kind="regular", name="sgd", hyperparams={"learning_rate": 0.2}, **common)
    assert result.status == "diverged" and f"diverged at step {diverged.diverged_at}" in result.text
    assert "η·λmax = 0.2·18 = 3.6 > 2" in result.text and "η < 0.111" in result.text

    converged = R.run(booth, "sgd", start=(-7.0, -6.0), steps=1000, learning_rate=0.05)
    result = outcomes.outcome(converged, end_kind="minimum", name="sgd", hyperparams={"learning_rate": 0.05}, **common)
    assert result == ("converged", f"converged to the global minimum at step {converged.converged_at}.")

    close = R.run(booth, "sgd", start=(1.05, 3.0), steps=3, learning_rate=0.01)
    result = outcomes.outcome(close, end_kind="regular", name="sgd", hyperparams={"learning_rate": 0.01}, **common)
    assert result.status == "moving" and "close to the global minimum" in result.text

    saddle = landscapes.get("saddle")
    common = dict(critical=[((0.0, 0.0), "saddle")], global_minima=[], box_diagonal=4 * math.sqrt(2),
                  start_eigenvalues=(-2.0, 2.0))
    stuck = R.run(saddle, "sgd", start=(-1.8, 1e-12), steps=300, learning_rate=0.01)
    result = outcomes.outcome(stuck, end_kind="regular", name="sgd", hyperparams={"learning_rate": 0.01}, **common)
    assert result.status == "stalled" and result.text.startswith("stalled at a saddle after 300 steps")

    escaped = R.run(saddle, "sgd", start=(-1.8, 0.5), steps=2000, learning_rate=0.1)
    result = outcomes.outcome(escaped, end_kind="regular", name="sgd", hyperparams={"learning_rate": 0.1}, **common)
    assert result.status == "diverged" and "fell without bound" in result.text


# ------------------------------------------------------------------------------------------------ tables, grids
def test_table_columns_against_their_definitions():
    land = landscapes.get("himmelblau")
    traj = R.run(land, "momentum", start=(-0.3, -0.9), steps=50, learning_rate=0.01)
    minima = [m.xy for m in land.minima]
    cols = export.table(traj, minima)
    xy = np.asarray(traj.xy)
    steps = np.linalg.norm(np.diff(xy, axis=0), axis=1)
    np.testing.assert_allclose(cols["update_norm"][:-1], steps, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(cols["update_ratio"][:-1], steps / np.linalg.norm(xy[:-1], axis=1), rtol=1e-12)
    assert np.isnan(cols["update_ratio"][-1]) and np.isnan(cols["learning_rate"][-1])
    brute = [min(math.dist(p, m) for m in minima) for p in xy]
    np.testing.assert_allclose(cols["distance_to_minimum"], brute, rtol=1e-12)

    text = export.to_csv({"momentum": cols})
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 51 and rows[-1]["update_ratio"] == ""
    np.testing.assert_array_equal([float(r["loss"]) for r in rows], cols["loss"])
    data = json.loads(export.to_json({"momentum": cols}, {"compare.steps": "50"}, {"momentum": "moving"}))
    assert data["config"] == {"compare.steps": "50"} and data["runs"]["momentum"]["x"] == list(cols["x"])
    assert data["runs"]["momentum"]["update_norm"][-1] is None


def test_log_axis_shift_only_when_needed():
    positive = [np.array([3.0, 1.0, 0.5])]
    same, note = export.log_axis_losses(positive)
    assert note is None and np.array_equal(same[0], positive[0])
    shifted, note = export.log_axis_losses([np.array([2.0, -1.0]), np.array([0.0, -3.0])], reference=-2.0)
    assert "c = -3" in note
    np.testing.assert_allclose(shifted[0], [5.0, 2.0])
    assert shifted[1][1] == pytest.approx(3e-16) and shifted[1][0] == 3.0


def test_log_grid_is_log_spaced_and_keeps_its_ends_and_default():
    grid = controls.log_grid(1e-4, 1.0, 0.0123)
    assert grid[0] == 1e-4 and grid[-1] == 1.0 and 0.0123 in grid
    ratios = np.array(grid[1:]) / np.array(grid[:-1])
    assert ratios.min() > 1.0 and ratios.max() <= 1.5 + 1e-12
    wide = controls.log_grid(1e-16, 0.1, 1e-8)
    assert wide[0] == 1e-16 and 1e-8 in wide and max(np.array(wide[1:]) / np.array(wide[:-1])) <= 2.5 + 1e-12
    with_zero = controls.log_grid(0.0, 100.0, 0.0)
    assert with_zero[0] == 0.0 and with_zero[1] == pytest.approx(1e-4) and with_zero[-1] == 100.0
    assert controls.nearest(grid, 0.0512, log=True) == 0.05
    assert controls.encode(0.1) == "0.1" and controls.encode(True) == "true" and controls.encode(["a", "b"]) == "a,b"


# ------------------------------------------------------------------------------------------------ live scrub
def test_live_scrub_sends_every_notch_of_every_optimizers_learning_rate():
    at = new_app(**{"compare.scrub": "learning_rate"})
    at.run()
    assert not at.exception and not at.error
    args = player_args(at)
    s = args["scrub"]
    assert s["name"] == "learning_rate" and s["n"] == 64 and set(s["paths"]) == set(DEFAULTS)
    assert scrub.payload_bytes(s) <= scrub.PAYLOAD_BYTES
    key = surfaces.surface_key("elongated_valley", {p.name: p.default for p in landscapes.parameters("elongated_valley")})
    land = landscapes.shared_family(landscapes.get("elongated_valley"))
    drawn = paths_by_name(args)
    for name in ("sgd", "adam"):
        d = s["paths"][name]
        options = [h for h in runs.preset_hyperparams(key, name) if h.name == "learning_rate"][0]
        grid = controls.log_grid(options.min, options.max, options.default)
        assert all(v in grid for v in d["values"])  # every notch is a value the sidebar slider can take
        assert d["values"][s["index"]] == options.default  # the opening notch: the sidebar's value
        # The opening notch is the path the player draws; another notch is the run at its value.
        opening = scrub.notch(d, s["index"], decode_array)["xy"]
        np.testing.assert_allclose(opening, decode_array(drawn[name]["xy"])[:len(opening)], atol=1e-6)
        assert len(d["points"]) == s["n"] and decode_array(d["loss"]).shape == (sum(d["points"]),)
        for i in (0, s["index"] - 5, s["n"] - 1):  # the first notch, one below the opening one, the last
            run = R.run(land, name, steps=200, learning_rate=d["values"][i])
            got = scrub.notch(d, i, decode_array)
            assert len(got["xy"]) == d["points"][i] == scrub.cut(run)
            np.testing.assert_allclose(got["xy"], run.xy[:len(got["xy"])].astype(np.float32), rtol=1e-6, atol=1e-6)
            np.testing.assert_allclose(got["loss"], run.loss[:len(got["xy"])].astype(np.float32), rtol=1e-6)
            np.testing.assert_allclose(got["grad"], run.grad_norm[:len(got["xy"])].astype(np.float32), rtol=1e-6)
    assert any("Live scrub" in c.value and "MB" in c.value for c in at.caption)


def test_a_released_scrub_sets_the_sliders_and_the_url():
    at = new_app(**{"compare.scrub": "learning_rate"})
    at.run()
    s = player_args(at)["scrub"]
    values = {name: s["paths"][name]["values"][s["index"] - 3] for name in ("sgd", "adam")}
    at.session_state["compare.player"] = {"n": 7, "scrub": {"name": "learning_rate", "values": values}}
    at.run()
    assert not at.exception
    for name, value in values.items():
        assert at.select_slider(key=f"compare.{name}.learning_rate").value == value
        assert float(url(at)[f"compare.{name}.learning_rate"]) == pytest.approx(value)
    at.run()  # the same release seen again changes nothing
    assert at.select_slider(key="compare.sgd.learning_rate").value == values["sgd"]


def test_the_scrub_opens_as_set_its_url_key_turns_it_on_and_off_and_it_says_why_it_is_off_for_long_runs():
    at = new_app()
    at.run()
    assert not at.exception
    opened = first_view.SCRUB
    assert at.selectbox(key="compare.scrub").value == url(at)["compare.scrub"] == opened
    assert (player_args(at)["scrub"] is None) == (opened == "off")
    at = new_app(**{"compare.scrub": "off"})
    at.run()
    assert not at.exception and player_args(at)["scrub"] is None and url(at)["compare.scrub"] == "off"
    assert any("Tip: **Live scrub**" in c.value for c in at.caption)
    at = new_app(**{"compare.scrub": "learning_rate"})
    at.run()
    s = player_args(at)["scrub"]
    assert s is not None and s["name"] == "learning_rate" and s["n"] == 64 and set(s["paths"]) == set(DEFAULTS)
    at = new_app(**{"compare.optimizers": "polyak_sgd", "compare.scrub": "learning_rate"})  # none shown has η
    at.run()
    assert not at.exception and player_args(at)["scrub"] is None
    assert at.selectbox(key="compare.scrub").value == "off"
    at = new_app(**{"compare.scrub": "learning_rate", "compare.steps": "2000",
                    "compare.optimizers": "sgd,momentum,nesterov,adagrad,rmsprop,adam,adamw,lion"})
    at.run()
    assert not at.exception and player_args(at)["scrub"] is None
    assert any("live scrub is off" in c.value and "2 MB bound" in c.value for c in at.caption)


def test_a_recorded_miss_names_the_problem_it_was_measured_on():
    """The valley on the page has κ = 100 by default; the convergence test measured the misses at κ = 10."""
    at = new_app(**{"compare.optimizers": "sign_sgd"}).run()
    assert not at.exception
    note = next(m.value for m in at.markdown if "convergence test" in m.value)
    assert "kappa = 10," in note and "within 0.03 of the minimum" in note
    assert catalog.get("sign_sgd").miss("elongated_valley") in note


def test_a_finished_run_leaves_no_page_namespace_behind():
    """The page's namespace (its paths, grid and scrub data) is cleared when its run ends (components.memory), and
    the download buttons are still there, their data deferred (made from a partial when pressed)."""
    import gc

    at = new_app(**{"compare.scrub": "learning_rate"}).run()
    assert not at.exception and player_args(at)["scrub"] is not None
    gc.unfreeze()  # the app's first due collection may have frozen survivors: frozen objects are not listed
    gc.collect()
    left = [o for o in gc.get_objects() if isinstance(o, dict) and "scrub_payload" in o]
    assert left == []
    csv = next(b for b in at.get("download_button") if "CSV" in b.proto.label)
    assert csv.proto.deferred_file_id or csv.proto.url  # the data is made when pressed, from a partial
