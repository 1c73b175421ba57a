"""The Explore page through Streamlit's AppTest, and the parts behind it (`components.explore`).

AppTest runs ``app_pages/explore.py`` in this process, so the engine's compiled functions and the ``st.cache_*``
caches stay warm between tests.  What the page shows is read back from its elements -- the atlas table's
dataframe, the map's Plotly JSON, the LaTeX of the point panel -- and checked against the engine
(`landscapes.critical_points` on the same box) or against closed forms: Himmelblau's Hessian
``[[4A + 8x² + 2, 4(x + y)], [4(x + y), 4B + 8y² + 2]]`` (A = x² + y − 11, B = x + y² − 7), the critical points of
``x³ − 3x + y²`` at (±1, 0), and runs from the saddle of ``x² − y²``.
"""

from __future__ import annotations

import base64
import json
import math
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import landscapes
from landscapes import analysis
from landscapes.base import PointInfo
from landscapes.expression import DEFAULT_BOUNDS
from components.explore import compute as ex_compute
from components.explore import words as ex_words
from components import figures

APP = str(Path(__file__).resolve().parent.parent / "app_pages" / "explore.py")
TIMEOUT = 300  # cold JAX compiles (atlas, grids, three optimizer runners) take far longer than AppTest's 3 s


# ------------------------------------------------------------------------------------------------ reading the page
def new_app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(query)
    return at


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def url(at: AppTest) -> dict[str, str]:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def box_of(at: AppTest):
    q = url(at)
    return ((float(q["explore.xmin"]), float(q["explore.xmax"])), (float(q["explore.ymin"]), float(q["explore.ymax"])))


def table(at: AppTest):
    (frame,) = [d for d in at.dataframe if d.proto.id.endswith("explore.table")]
    return frame.value


def text_of(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [t.value for t in at.text] + [w.value for w in at.warning]
    return "\n".join(parts + [i.value for i in at.info] + [c.value for c in at.caption])


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def array(value) -> np.ndarray:
    """A Plotly JSON array: a plain list or ``{"dtype", "bdata", "shape"}`` (base64 typed array)."""
    if isinstance(value, dict):
        out = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        shape = value.get("shape")
        if shape:
            out = out.reshape([int(s) for s in str(shape).split(",")])
        return out
    return np.asarray(value, dtype=float)


def markers(figure: dict) -> dict[str, set]:
    """Critical-point markers of the map by kind: {kind: {(x, y), ...}}."""
    labels = {figures_label: kind for kind, (_, _, figures_label) in figures.KIND_STYLE.items()}
    out = {}
    for trace in figure["data"]:
        kind = labels.get(trace.get("name"))
        if kind in landscapes.KINDS:
            out[kind] = set(zip(array(trace["x"]).tolist(), array(trace["y"]).tolist()))
    return out


_NUMBER = r"(-?[\d.]+(?: \\times 10\^\{-?\d+\})?)"


def latex_float(text: str) -> float:
    m = re.fullmatch(r"(-?[\d.]+)(?: \\times 10\^\{(-?\d+)\})?", text)
    return float(m.group(1)) * 10.0 ** int(m.group(2) or 0)


def shown_eigenvalues(at: AppTest) -> tuple[float, float]:
    """λ₁, λ₂ as the point panel's LaTeX shows them."""
    body = next(l.value for l in at.latex if r"H v_i = \lambda_i v_i" in l.value)
    return tuple(latex_float(re.search(rf"\\lambda_{i} = {_NUMBER}", body).group(1)) for i in (1, 2))


def engine_rows(surface, bounds) -> list[tuple]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        points = landscapes.critical_points(surface, bounds=bounds)
    return [(float(p.xy[0]), float(p.xy[1]), float(p.value), float(p.eigenvalues[0]), float(p.eigenvalues[1]), p.kind)
            for p in points]


def assert_table_is_engine(at: AppTest, surface, bounds) -> list[tuple]:
    """The table lists exactly what `critical_points` returns on the box, in its order; the map marks the same."""
    rows = engine_rows(surface, bounds)
    df = table(at)
    assert list(df.columns) == list(ex_words.TABLE_COLUMNS)
    assert len(df) == len(rows)
    if rows:
        np.testing.assert_array_equal(df[list(ex_words.TABLE_COLUMNS[:5])].to_numpy(), np.array([r[:5] for r in rows]))
        assert df["kind"].tolist() == [r[5] for r in rows]
    expected = {}
    for r in rows:
        expected.setdefault(r[5], set()).add((r[0], r[1]))
    assert markers(charts(at)[0]) == expected
    return rows


def himmelblau_derivatives(x: float, y: float):
    a, b = x * x + y - 11, x + y * y - 7
    grad = np.array([4 * x * a + 2 * b, 2 * a + 4 * y * b])
    hess = np.array([[4 * a + 8 * x * x + 2, 4 * x + 4 * y], [4 * x + 4 * y, 4 * b + 8 * y * y + 2]])
    return grad, hess


# ------------------------------------------------------------------------------------------------ the atlas
def test_every_builtin_renders_and_its_table_is_the_engines_atlas():
    at = run(new_app())
    for name in landscapes.names():
        at.selectbox(key="explore.surface").set_value(name)
        run(at)
        surface = landscapes.get(name)
        assert box_of(at) == surface.bounds, name  # a new surface brings its own view box
        rows = assert_table_is_engine(at, surface, surface.bounds)
        assert f"{len(rows)} critical point" in text_of(at)
        # The selected point starts at the lowest saddle (else the lowest critical point): the panel shows it.
        kinds = [r[5] for r in rows]
        first = rows[kinds.index("saddle")] if "saddle" in kinds else rows[0]
        assert (float(url(at)["explore.x"]), float(url(at)["explore.y"])) == first[:2], name
        assert np.allclose(shown_eigenvalues(at), first[3:5], rtol=1e-3, atol=1e-9), name
    # Rastrigin has 441 critical points on its box; the engine returns the lowest 400 and the page says so.
    at.selectbox(key="explore.surface").set_value("rastrigin")
    run(at)
    assert len(table(at)) == analysis.MAX_POINTS
    assert "441 critical points were found" in "\n".join(w.value for w in at.warning)


def test_the_atlas_follows_the_view_box():
    at = run(new_app(**{"explore.surface": "himmelblau"}))
    box = ((0.0, 5.0), (-1.0, 4.0))
    for key, value in zip(("explore.xmin", "explore.xmax", "explore.ymin", "explore.ymax"), (0.0, 5.0, -1.0, 4.0)):
        at.number_input(key=key).set_value(value)
    run(at)
    assert box_of(at) == box
    rows = assert_table_is_engine(at, landscapes.get("himmelblau"), box)
    assert [r[5] for r in rows].count("minimum") == 1  # only (3, 2) of the four minima lies in this box
    assert all(0 <= r[0] <= 5 and -1 <= r[1] <= 4 for r in rows)
    layout = charts(at)[0]["layout"]
    assert layout["xaxis"]["range"] == [0.0, 5.0] and layout["yaxis"]["range"] == [-1.0, 4.0]
    # An empty box is refused with words, and the surface's own box is used.
    at.number_input(key="explore.xmin").set_value(4.0)
    at.number_input(key="explore.xmax").set_value(1.0)
    run(at)
    assert "x min (4) must be below x max (1)" in "\n".join(w.value for w in at.warning)
    assert_table_is_engine(at, landscapes.get("himmelblau"), landscapes.get("himmelblau").bounds)


def test_a_typed_surface_gets_its_atlas_and_closed_form_critical_points():
    text = "x**3 - 3*x + y**2"  # ∇f = (3x² − 3, 2y): (1, 0) with H = diag(6, 2), (−1, 0) with H = diag(−6, 2)
    at = run(new_app(**{"explore.surface": "custom", "explore.expression": text}))
    assert box_of(at) == DEFAULT_BOUNDS
    rows = assert_table_is_engine(at, landscapes.from_expression(text, DEFAULT_BOUNDS), DEFAULT_BOUNDS)
    assert [r[5] for r in rows] == ["minimum", "saddle"]  # lowest f first: f(1, 0) = −2 < f(−1, 0) = 2
    by_kind = {r[5]: r for r in rows}
    np.testing.assert_allclose(by_kind["minimum"][:5], (1, 0, -2, 2, 6), atol=1e-9)
    np.testing.assert_allclose(by_kind["saddle"][:5], (-1, 0, 2, -6, 2), atol=1e-9)
    # The formula is shown as LaTeX built from the parsed tree, never as markdown.
    assert any(l.value.strip("$\n") == landscapes.from_expression(text).latex for l in at.latex)
    assert all(text not in m.value for m in at.markdown)


@pytest.mark.parametrize("text, expected", [
    ("x**2", ["critical points were found; the table and the markers show the lowest 400", "continuum"]),
    ("1", ["f is constant on this view box"]),
])
def test_degenerate_and_flat_typed_surfaces_get_words(text, expected):
    at = run(new_app(**{"explore.surface": "custom", "explore.expression": text}))
    said = "\n".join(w.value for w in at.warning)
    for phrase in expected:
        assert phrase in said
    assert set(table(at)["kind"]) == {"degenerate"}
    for tab in ("Saddle escape", "Curvature map", "Gradient check"):
        at.session_state["explore.section"] = tab
        run(at)


def test_a_point_where_the_hessian_is_not_finite_gets_words_in_every_section():
    at = run(new_app(**{"explore.surface": "custom", "explore.expression": "sqrt(x**2 + y**2)",
                        "explore.x": "0", "explore.y": "0"}))
    assert "not twice differentiable here" in text_of(at)
    for tab in ("Local quadratic model", "Saddle escape", "Curvature map", "Gradient check"):
        at.session_state["explore.section"] = tab
        run(at)
    assert "The gradient is not finite at this point" in text_of(at)


@pytest.mark.parametrize("text", ["x +* y", "__import__('os').system('ls')", "log(x - 100)"])
def test_a_bad_expression_shows_its_message_as_code(text):
    at = new_app(**{"explore.surface": "custom"})
    run(at)
    at.text_input(key="explore.expression").set_value(text)
    run(at)
    try:
        landscapes.from_expression(text, DEFAULT_BOUNDS)
    except landscapes.ExpressionError as err:
        message = str(err)
    else:
        pytest.fail(f"{text!r} should be refused")
    assert at.error and "cannot be used" in at.error[0].value
    assert message in [c.value for c in at.code]
    assert all(text not in m.value for m in at.markdown)


# ------------------------------------------------------------------------------------------------ the selected point
def test_typed_coordinates_show_that_points_gradient_hessian_and_eigenvalues():
    at = run(new_app(**{"explore.surface": "himmelblau"}))
    for (x, y), verdict in (((3.0, 2.0), "local minimum"), ((0.0, 0.0), "not a critical point")):
        at.number_input(key="explore.x").set_value(x)
        at.number_input(key="explore.y").set_value(y)
        run(at)
        grad, hess = himmelblau_derivatives(x, y)
        np.testing.assert_allclose(shown_eigenvalues(at), np.linalg.eigvalsh(hess), rtol=1e-3)
        assert verdict in "\n".join(m.value for m in at.markdown)
        body = next(l.value for l in at.latex if r"\nabla f(p)" in l.value)
        shown = [latex_float(v) for v in re.findall(_NUMBER, body.split(r"\nabla f(p) =")[1])]
        np.testing.assert_allclose(shown, grad, rtol=1e-3, atol=1e-9)
    # (0, 0): H = diag(−42, −26), ∇f = (−14, −22): locally a dome, and the arrows are both "curves down".
    assert "Locally the surface is dome" in "\n".join(t.value for t in at.text)
    names = [t.get("name", "") for t in charts(at)[0]["data"]]
    assert sum("< 0: curves down" in n for n in names) == 2


def test_picking_a_table_row_or_clicking_the_map_selects_that_point():
    at = run(new_app(**{"explore.surface": "himmelblau"}))
    rows = engine_rows(landscapes.get("himmelblau"), landscapes.get("himmelblau").bounds)
    for k in (0, 8, 4):
        at.session_state["explore.table"] = {"selection": {"rows": [k], "columns": [], "cells": []}}
        run(at)
        assert (float(url(at)["explore.x"]), float(url(at)["explore.y"])) == rows[k][:2]
        np.testing.assert_allclose(shown_eigenvalues(at), rows[k][3:5], rtol=1e-3)
    # A click lands on a marker (exact coordinates) or anywhere else on the map (that lattice point).
    x, y = rows[8][:2]
    at.session_state["explore.map"] = {"selection": {"points": [{"x": x, "y": y}], "point_indices": [],
                                                     "box": [], "lasso": []}}
    run(at)
    assert (float(url(at)["explore.x"]), float(url(at)["explore.y"])) == (x, y)
    assert rows[8][5] == "maximum" and "local maximum" in "\n".join(m.value for m in at.markdown)
    at.session_state["explore.map"] = {"selection": {"points": [{"x": 1.25, "y": -2.5}], "point_indices": [],
                                                     "box": [], "lasso": []}}
    run(at)
    assert (float(url(at)["explore.x"]), float(url(at)["explore.y"])) == (1.25, -2.5)
    np.testing.assert_allclose(shown_eigenvalues(at), np.linalg.eigvalsh(himmelblau_derivatives(1.25, -2.5)[1]),
                               rtol=1e-3)


def test_hostile_url_values_give_notices_and_no_exception():
    at = run(new_app(**{
        "explore.surface": "<script>alert(1)</script>", "explore.x": "nan", "explore.y": "1e999",
        "explore.xmin": "-inf", "explore.steps": "-5", "explore.noise": "abc", "explore.shade": "`rm -rf`",
        "explore.seed": "1" * 300, "explore.bogus": "1", "explore.radius": "1e308",
    }))
    said = "\n".join(w.value for w in at.warning)
    for label in ("Surface", "x:", "y:", "x min", "Steps", "Gradient noise", "shade by", "Noise seed", "Ignored URL",
                  "Local window"):
        assert label in said, label
    assert "Surface: unknown value `" in said and url(at)["explore.surface"] == "himmelblau"  # quoted as code
    assert_table_is_engine(at, landscapes.get("himmelblau"), landscapes.get("himmelblau").bounds)
    # A typed surface too long for the box, and a view box that is empty.
    at = run(new_app(**{"explore.surface": "custom", "explore.expression": "x+" * 400, "explore.xmin": "2",
                        "explore.xmax": "-2"}))
    said = "\n".join(w.value for w in at.warning)
    assert "longer than 500 characters" in said and "must be below x max" in said


# ------------------------------------------------------------------------------------------------ the sections
def test_saddle_escape_on_x2_minus_y2_matches_the_linear_analysis():
    """At the saddle of x² − y² (H = diag(2, −2)), with η = ½ · 2/λ₂ = ½: GD from (0, 0) has ∇f = 0 exactly and
    stays; with noise, y ← 2y − ησξ doubles each step (escapes, f → −∞); Newton lands on −H⁻¹σξ every step (stays
    within σ|ξ|/2); saddle-free Newton's y ← 2y − σξ/2 doubles (escapes)."""
    at = run(new_app(**{"explore.surface": "saddle", "explore.noise": "0.01", "explore.steps": "100"}))
    assert (url(at)["explore.x"], url(at)["explore.y"]) == ("0.0", "0.0")
    at.session_state["explore.section"] = "Saddle escape"
    run(at)
    outcomes = {m.value.split("**")[1]: m.value for m in at.markdown if m.value.startswith("**") and "**: :" in m.value}
    assert outcomes["Gradient descent"].count(":red[stuck: after 100 steps it is 0 from the saddle") == 1
    assert ":green[escaped and kept falling" in outcomes["Gradient descent + noise"]
    assert ":red[stuck" in outcomes["Newton + noise"]
    assert ":green[escaped and kept falling" in outcomes["Saddle-free Newton + noise"]
    # The profile along v₁ is exactly ½λ₁t² on a quadratic.
    profile = next(c for c in charts(at) if any("½ λ" in t.get("name", "") for t in c["data"]))
    solid = [array(t["y"]) for t in profile["data"] if t["name"].startswith("f(p + t")]
    dashed = [array(t["y"]) for t in profile["data"] if t["name"].startswith("½ λ")]
    for s, d in zip(solid, dashed):
        np.testing.assert_allclose(s, d, atol=1e-12)


def test_sections_render_on_a_saddle_and_the_model_is_exact_on_a_quadratic():
    at = run(new_app(**{"explore.surface": "booth", "explore.x": "1.5", "explore.y": "-2"}))
    model = next(c for c in charts(at) if any(t.get("name") == "quadratic model q" for t in c["data"]))
    true_z, model_z = (array(t["z"]) for t in model["data"][:2])
    np.testing.assert_allclose(model_z.ravel(), true_z.ravel(), rtol=1e-12, atol=1e-9)  # booth is quadratic
    for shade in ex_words.CURVATURE_MODES:
        at.session_state["explore.section"] = "Curvature map"
        at.selectbox(key="explore.shade").set_value(shade)
        run(at)
    # Booth's Hessian is [[10, 8], [8, 10]] everywhere: λmax = 18, so η < 2/18.
    assert "2/λmax = 2/18 = 0.1111" in text_of(at)
    at.session_state["explore.section"] = "Gradient check"
    run(at)
    assert "below 1e-7" in text_of(at)
    # At a critical point the check is meaningless, and the page says so and checks nearby instead.
    at = run(new_app(**{"explore.surface": "himmelblau"}))
    at.session_state["explore.section"] = "Gradient check"
    run(at)
    assert "∇f ≈ 0 at this point" in text_of(at) and "nearby point q" in text_of(at)


# ------------------------------------------------------------------------------------------------ pure helpers
def _info(xy, value, grad, hess) -> PointInfo:
    hess = np.asarray(hess, dtype=float)
    lam, vecs = np.linalg.eigh(hess)
    return PointInfo(np.asarray(xy, float), float(value), np.asarray(grad, float), hess, lam, vecs, "regular", "")


def test_quadratic_model_is_the_second_order_taylor_expansion():
    # f = x³ + xy − y² at p = (1, 2): f = 1 + 2 − 4 = −1, ∇f = (3x² + y, x − 2y) = (5, −3), H = [[6x, 1], [1, −2]].
    f = lambda x, y: x**3 + x * y - y**2  # noqa: E731
    info = _info((1.0, 2.0), -1.0, (5.0, -3.0), [[6.0, 1.0], [1.0, -2.0]])
    for h in (1e-1, 1e-2):
        xs, ys = np.array([1.0 - h, 1.0, 1.0 + h]), np.array([2.0 - h, 2.0 + h])
        q = ex_compute.quadratic_model(info, xs, ys)
        gx, gy = np.meshgrid(xs, ys)
        # The remainder is the cubic term (dx)³ exactly.
        np.testing.assert_allclose(f(gx, gy) - q, (gx - 1.0) ** 3, atol=1e-12)


def test_eigen_arrows_follow_the_eigenvectors_all_the_same_length_and_colour_by_sign():
    hess = np.array([[1.0, 3.0], [3.0, 1.0]])  # λ = −2 along (1, −1)/√2, 4 along (1, 1)/√2
    info = _info((0.5, -0.5), 0.0, (0.0, 0.0), hess)
    arrows = ex_compute.eigen_arrows(info, length=2.0)
    assert [a["sign"] for a in arrows] == ["negative", "positive"]
    for a in arrows:
        d = np.subtract(a["end"], a["start"])
        assert np.linalg.norm(d) == pytest.approx(2.0)
        np.testing.assert_allclose(hess @ d, a["eigenvalue"] * d, atol=1e-12)
    # Issue 26: at Himmelblau's saddle (λ₁ = −14.1, λ₂ = 44.6) the escape direction was drawn a third as long, inside
    # the selected point's marker; at any ratio of |λ| both arrows are drawn in full.
    for ratio in (1e-6, 0.3, 1.0, 1e6):
        both = ex_compute.eigen_arrows(_info((0, 0), 0, (0, 0), [[-ratio, 0.0], [0.0, 1.0]]), 1.0)
        assert [np.linalg.norm(np.subtract(a["end"], a["start"])) for a in both] == pytest.approx([1.0, 1.0])
    flat = ex_compute.eigen_arrows(_info((0, 0), 0, (0, 0), [[0.0, 0.0], [0.0, 5.0]]), 1.0)
    assert [a["sign"] for a in flat] == ["zero", "positive"]
    assert ex_compute.eigen_arrows(_info((0, 0), 0, (0, 0), [[np.nan, 0], [0, 1]]), 1.0) == []


def test_stability_limit_is_where_gradient_descent_on_the_quadratic_stops_converging():
    lam = np.array([0.5, 8.0])
    limit = 2.0 / lam.max()
    assert f"= {ex_words.fmt(limit)}." in ex_words.stability(lam)
    x0 = np.array([1.0, 1.0])  # GD on ½ xᵀ diag(λ) x: x_t = (1 − ηλ)^t x_0, an independent check of the claim
    for eta, converges in ((0.99 * limit, True), (1.01 * limit, False)):
        x = x0.copy()
        for _ in range(3000):
            x = x - eta * lam * x
        assert (np.linalg.norm(x) < 1e-6) == converges
    assert "no step-size limit" in ex_words.stability([-3.0, -1.0])
    assert "grows for every η > 0" in ex_words.stability([-1.0, 2.0])


def test_escape_summary_reads_the_path():
    box = ((-1.0, 1.0), (-1.0, 1.0))  # diagonal 2√2: the escape radius is 0.028
    still = np.zeros((11, 2))
    assert ex_words.escape_summary(still, np.zeros(11), "converged", -1, (0, 0), 0.0, box)[0] == "stuck"
    away = np.stack([np.linspace(0, 0.5, 11), np.zeros(11)], axis=1)
    verdict, sentence = ex_words.escape_summary(away, -away[:, 0] ** 2, "max_steps", -1, (0, 0), 0.0, box)
    assert verdict == "escaped" and "left the saddle at step 1 " in sentence
    assert ex_words.escape_summary(away, away[:, 0] ** 2, "max_steps", -1, (0, 0), 0.0, box)[0] == "stuck"
    assert ex_words.escape_summary(away, -away[:, 0], "diverged", 10, (0, 0), 0.0, box)[0] == "escaped"
    assert ex_words.escape_summary(away, away[:, 0], "diverged", 10, (0, 0), 0.0, box)[0] == "stuck"


def test_box_problems_events_and_atlas_words():
    assert ex_words.box_problem(-1, 1, -2, 2) is None
    assert "x min (1) must be below x max (1)" in ex_words.box_problem(1, 1, 0, 1)
    assert "y range is not finite" in ex_words.box_problem(0, 1, 0, math.inf)
    assert ex_compute.selected_xy({"selection": {"points": [{"x": 1, "y": 2.5}]}}) == (1.0, 2.5)
    for bad in (None, {}, {"selection": {"points": []}}, {"selection": {"points": [{"x": "nan", "y": 0}]}},
                {"selection": {"points": [{"x": "a"}]}}):
        assert ex_compute.selected_xy(bad) is None
    assert ex_compute.selected_row({"selection": {"rows": [3]}}) == 3
    assert ex_compute.selected_row({"selection": {"rows": []}}) is None and ex_compute.selected_row("junk") is None
    line = [_info((0.0, y), 0.0, (0, 0), [[2, 0], [0, 0]])._replace(kind="degenerate") for y in range(30)]
    box = ((-1.0, 1.0), (0.0, 30.0))
    undecided = np.array([[[-1e-3, 0.0], [1e-3, 30.0]]])  # along the line x = 0: a continuum
    summary, notes = ex_words.describe_atlas(analysis.Atlas(tuple(line), 31, undecided, np.array([0]), True), box)
    assert summary == "30 critical points in view: 30 degenerate."  # not "all of them": the list is not complete
    assert any("31 critical points were found" in n for n in notes) and any("continuum" in n for n in notes)
    assert any("neither rule out nor isolate a critical point in x ∈ [−0.001, 0.001], y ∈ [0, 30]" in n
               for n in notes)
    empty = np.empty((0, 2, 2))
    assert ex_words.describe_atlas(analysis.Atlas((), 0, empty, np.empty(0), True), box)[0] == (
        "No critical point in view: bounds on ∇f over a subdivision of the box rule out every one.")
    assert ex_words.describe_atlas(analysis.Atlas((), 0, empty, np.empty(0), False), box)[0] == (
        "No critical point found in view.")
    saddle = _info((1.0, 1.0), 0.0, (0, 0), [[1, 0], [0, -1]])._replace(kind="saddle")
    minimum = _info((0.0, 0.0), -1.0, (0, 0), [[1, 0], [0, 1]])._replace(kind="minimum")
    assert ex_compute.default_point([minimum, saddle], (9, 9)) == (1.0, 1.0)
    assert ex_compute.default_point([minimum], (9, 9)) == (0.0, 0.0) and ex_compute.default_point([], (9, 9)) == (9.0, 9.0)
    assert ex_compute.snap((1.0 + 1e-9, 1.0), [minimum, saddle], ((-1, 1), (-1, 1))) == (1.0, 1.0)
    assert ex_compute.snap((0.5, 0.5), [minimum, saddle], ((-1, 1), (-1, 1))) == (0.5, 0.5)
