"""Every sentence true, every view readable (issue 26): what a new user found, each checked on the real page or on
the engine behind it, against mathematics computed here independently.

1. a typed surface that leaves the float64 range claims nothing there (a family of over/underflowing formulas);
2-3. a preset's sentences about its runs are measured on the runs shown (the Rosenbrock and valley captions were
   false), and a sentence that stops being true when a setting moves goes away;
4. "in view" means every critical point in the box, proven by interval bounds, on boxes from ±2 to ±1000;
5-17. the readout, the arrows, the charts, the scrub, the defaults, the code, the colours, the 3-D view and the
   small words.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import landscapes
import optimizers
from components import figures, outcomes, scrub
from components.player import build_args, decode_array
from landscapes import analysis, exclusion, floatrange
from landscapes.source import python_code
from optimizers import catalog, claims, codegen, presets
from components.explore import words as ex_words

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
EXPLORE = str(ROOT / "app_pages" / "explore.py")
TIMEOUT = 300


def run_app(path: str = APP, **query) -> AppTest:
    at = AppTest.from_file(path, default_timeout=TIMEOUT)
    at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    return at


def player_args(at: AppTest) -> dict:
    (component,) = at.get("component_instance")
    return json.loads(component.proto.json_args)


def said(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "warning", "info", "error") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


# ------------------------------------------------------------------------------------------------ 1. float64 range
# exp(1000 x) is 1e-434 at x = -1: float64 rounds it (and its gradient) to 0, and it overflows beyond x = 0.71.
# None of these has a critical point outside the box's core, and none may be claimed where the values left the range.
OUT_OF_RANGE = ("exp(1000*x)", "exp(-1000*x)", "exp(1000*y)", "-exp(700*x) + exp(-700*y)", "1e300*exp(x*500)",
                "exp(-500*(x**2 + y**2)) + 3")


def _reference_underflow(text: str, xy: np.ndarray) -> np.ndarray:
    """Where float64 loses the formula's value to underflow, from the exponents of its terms computed here: each
    family member is a sum of terms c·exp(a·x + b·y), and a term is lost when its exp is below the smallest normal
    number (1e300·e^{500x} at x = −1.49 is computed from an exp of 4.9e-324); the sum is lost when every term is
    (a term kept, or the constant 3, carries it)."""
    x, y = xy[..., 0], xy[..., 1]
    exponents = {"exp(1000*x)": [1000 * x], "exp(-1000*x)": [-1000 * x], "exp(1000*y)": [1000 * y],
                 "-exp(700*x) + exp(-700*y)": [700 * x, -700 * y],
                 "1e300*exp(x*500)": [500 * x],
                 "exp(-500*(x**2 + y**2)) + 3": [np.full_like(x, 1.0)]}[text]  # + 3: never lost
    tiny = np.log(np.finfo(np.float64).tiny)
    return np.all(np.stack([e < tiny for e in exponents]), axis=0)


@pytest.mark.parametrize("text", OUT_OF_RANGE)
def test_no_critical_point_or_verdict_comes_from_values_outside_float64(text):
    box = ((-3.0, 3.0), (-3.0, 3.0))
    surface = landscapes.from_expression(text, box)
    found = landscapes.atlas(surface)
    # The exponentials have no critical point; the bump has exactly one, its maximum at the origin.
    expected = [(0.0, 0.0)] if "+ 3" in text else []
    assert [tuple(np.round(p.xy, 6)) for p in found.points] == expected
    if found.points:
        assert found.points[0].kind == "maximum"
    # Nothing is proven where float64 cannot decide: those boxes are returned, marked as out of range.
    if len(found.undecided):
        assert set(found.why.tolist()) <= {exclusion.UNDECIDED.index("range")}
    # The map's mask agrees with the exact values (up to the grid points where the rounding itself decides).
    xs = np.linspace(-3, 3, 61)
    grid = np.stack(np.meshgrid(xs, xs), axis=-1)
    under, over = floatrange.value_check(surface, grid)
    exact = _reference_underflow(text, grid)
    assert np.mean(under != exact) < 0.02, text
    with np.errstate(over="ignore"):
        assert not np.any(over & np.isfinite(analysis.value(surface, grid))), text


def test_classify_gives_no_verdict_where_f_underflows_and_a_real_flat_point_keeps_its_verdict():
    surface = landscapes.from_expression("exp(1000*x)")
    info = landscapes.classify(surface, (-1.0, 0.5))
    assert info.value == 0.0 and np.all(info.gradient == 0.0)  # what float64 gives ...
    assert info.kind == analysis.OUT_OF_RANGE  # ... is not taken for a critical point
    assert "underflows" in info.reason
    # A true zero is not a lost one: x⁴ + y⁴ has a real degenerate minimum at the origin.
    assert landscapes.classify(landscapes.get("quartic"), (0.0, 0.0)).kind == "degenerate"
    # x² + exp(−1000 y²) at (0, 1): f = 0 + 1e-434, its y-derivative lost, its x-derivative a true 0.
    check = floatrange.check(landscapes.from_expression("x**2 + exp(-1000*y**2)"), np.array([[0.0, 1.0],
                                                                                              [0.5, 0.0]]))
    assert check.value.tolist() == [True, False] and check.gradient.tolist() == [True, False]


def test_the_compare_page_claims_nothing_where_the_typed_surface_leaves_the_range():
    at = run_app(**{"compare.surface": "custom", "compare.expression": "exp(1000*x)"})
    text = said(at)
    assert "f leaves the float64 range" in text and "underflows to 0 on" in text and "overflows on" in text
    assert "converged" not in text.lower().replace("convergence is claimed", "")
    assert "degenerate" not in text
    args = player_args(at)
    assert args["markers"] == [m for m in args["markers"] if m["kind"] == "start"]  # no critical point drawn
    blank = decode_array(args["surface"]["blank"]).astype(bool)
    xs = decode_array(args["surface"]["x"])
    assert blank[:, xs < -0.76].all() and blank[:, xs > 0.72].all() and not blank[:, np.abs(xs) < 0.6].any()
    # The colour scale is that of the values within range (the contour's largest is exp(0.7·1000) ≈ 1e304 at most).
    z = decode_array(args["surface"]["z"])
    assert np.all(np.isfinite(z[~blank]))
    assert all(p["status"] == "out_of_range" for p in args["paths"])


def test_the_player_leaves_blank_points_out_of_the_colour_scale():
    xs = ys = np.linspace(-1, 1, 5)
    z = np.add.outer(ys, xs)
    blank = np.zeros_like(z, bool)
    blank[:, -1] = True
    args = build_args({"x": xs, "y": ys, "z": np.where(blank, 1e300, z)}, [], blank=blank)
    sent = decode_array(args["surface"]["z"])
    assert sent[~blank].max() == pytest.approx(z[~blank].max()) and sent.max() <= z[~blank].max()
    assert decode_array(args["surface"]["blank"]).astype(bool).tolist() == blank.tolist()


# ------------------------------------------------------------------------------------------------ 2-3. preset claims
SHOWCASE = ("elongated_valley", "rosenbrock", "saddle")
DEFAULTS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")


def _preset_runs(name: str) -> tuple[dict, landscapes.Landscape]:
    own = landscapes.get(name)
    family = landscapes.shared_family(own)
    return ({n: optimizers.run(family, n, steps=presets.steps(own), **presets.defaults(own, n)) for n in DEFAULTS},
            own)


@pytest.mark.parametrize("name", SHOWCASE)
def test_every_claim_of_a_showcase_preset_holds_on_its_own_runs(name):
    runs, own = _preset_runs(name)
    scene = claims.scene(runs, own, landscapes.critical_points(own))
    for claim in own.preset.claims:
        fact = claims.check(claim, scene)
        assert fact is not None and fact.holds, (name, claim, fact)


def test_the_arrival_claim_is_the_first_run_to_converge_or_the_closest():
    runs, own = _preset_runs("elongated_valley")
    fact = claims.check(landscapes.Claim("arrival"), claims.scene(runs, own))
    converged = {n: t.converged_at for n, t in runs.items() if t.converged_at >= 0}
    assert fact.numbers["name"] == min(converged, key=converged.get) == "nesterov"
    assert fact.numbers["step"] == runs["nesterov"].converged_at == 196
    runs, own = _preset_runs("rosenbrock")
    fact = claims.check(landscapes.Claim("arrival"), claims.scene(runs, own))
    assert all(t.converged_at < 0 for t in runs.values())  # none arrives within 500 steps ...
    ends = {n: float(np.linalg.norm(t.xy[-1] - (1.0, 1.0))) for n, t in runs.items()}
    assert fact.numbers["arrived"] == 0 and fact.numbers["name"] == min(ends, key=ends.get)  # ... the closest
    wild = {n: optimizers.run(landscapes.shared_family(own), n, steps=50, learning_rate=1.0)
            for n in ("sgd", "nesterov")}
    assert all(t.diverged_at >= 0 for t in wild.values())  # every run diverged: no closest run to name
    assert not claims.check(landscapes.Claim("arrival"), claims.scene(wild, own)).holds


def test_no_arrival_is_claimed_when_every_run_diverged():
    valley = landscapes.get("elongated_valley")
    blown = {n: optimizers.run(valley, n, steps=50, learning_rate=3.9) for n in ("sgd", "momentum")}
    assert all(t.diverged_at >= 0 for t in blown.values())
    assert not claims.check(landscapes.Claim("arrival"), claims.scene(blown, valley)).holds


def test_the_zigzag_is_the_closed_form_sign_flip_of_gradient_descent():
    runs, own = _preset_runs("elongated_valley")
    fact = claims.check(landscapes.Claim("zigzag", ("sgd",)), claims.scene(runs, own))
    # Across the floor (curvature 1) gradient descent multiplies the coordinate by 1 − η = −0.8: every step flips.
    eta = presets.defaults(own, "sgd")["learning_rate"]
    assert 1 - eta < 0 and fact.holds and fact.numbers["flips"] == fact.numbers["window"] - 1
    slow = optimizers.run(landscapes.shared_family(own), "sgd", steps=200, learning_rate=0.5)
    assert not claims.check(landscapes.Claim("zigzag", ("sgd",)), claims.scene({"sgd": slow}, own)).holds


def test_the_valley_caption_says_who_arrives_first_from_the_runs_shown():
    at = run_app()
    caption = at.caption[0].value
    assert "momentum overshoots and arrives first" not in caption.lower()
    assert "Nesterov momentum reaches the minimum first, at step 196" in caption
    assert "Gradient descent zig-zags across the ravine" in caption
    # Moving a setting so that a claim stops holding removes its sentence (η = 0.5: no sign flip across).
    at.session_state["compare.sgd.learning_rate"] = 0.5
    at.run()
    assert "zig-zags" not in at.caption[0].value


def test_the_rosenbrock_caption_agrees_with_the_outcomes_shown():
    at = run_app(**{"compare.surface": "rosenbrock"})
    caption = at.caption[0].value
    assert "only some reach the minimum" not in caption
    outcomes_text = next(m.value for m in at.markdown if m.value.startswith("**Gradient descent**:"))
    assert "converged" not in outcomes_text  # every run is still moving after 500 steps ...
    assert "None of the 6 runs reaches the minimum within 500 steps; the closest, Momentum" in caption  # ... and so


# ------------------------------------------------------------------------------------------------ 4. complete atlas
def _styblinski_tang_points() -> np.ndarray:
    """f = ½ Σ (t⁴ − 16t² + 5t) is separable: its critical points are the 3 × 3 pairs of roots of 2t³ − 16t + 2.5."""
    roots = np.sort(np.roots([2.0, 0.0, -16.0, 2.5]).real)
    return np.array(list(itertools.product(roots, roots)))


def _himmelblau_points() -> np.ndarray:
    """∇f = 0 of f = (x² + y − 11)² + (x + y² − 7)², found here without the app: sign changes of both gradient
    components on a fine grid of [−6, 6]², polished by Newton's method with the analytic Hessian (NumPy)."""

    def grad(p):
        x, y = p[..., 0], p[..., 1]
        a, b = x**2 + y - 11, x + y**2 - 7
        return np.stack([4 * x * a + 2 * b, 2 * a + 4 * y * b], -1)

    def hess(p):
        x, y = p[..., 0], p[..., 1]
        return np.array([[12 * x**2 + 4 * y - 42, 4 * x + 4 * y], [4 * x + 4 * y, 4 * x + 12 * y**2 - 26]])

    t = np.linspace(-6, 6, 601)
    g = grad(np.stack(np.meshgrid(t, t), -1))
    cells = []
    for k in range(2):
        s = np.sign(g[..., k])
        changes = (s[:-1, :-1] != s[1:, :-1]) | (s[:-1, :-1] != s[:-1, 1:]) | (s[:-1, :-1] != s[1:, 1:])
        cells.append(changes)
    iy, ix = np.nonzero(cells[0] & cells[1])
    found = []
    for i, j in zip(iy, ix):
        p = np.array([t[j], t[i]])
        for _ in range(50):
            p = p - np.linalg.solve(hess(p), grad(p))
        if np.linalg.norm(grad(p)) < 1e-9 and not any(np.linalg.norm(p - q) < 1e-6 for q in found):
            found.append(p)
    return np.array(found)


KNOWN = {"styblinski_tang": _styblinski_tang_points, "himmelblau": _himmelblau_points}


@pytest.mark.parametrize("name", sorted(KNOWN))
@pytest.mark.parametrize("half", [2, 5, 10, 100, 1000])
def test_the_atlas_is_every_critical_point_in_the_box_from_2_to_1000(name, half):
    everywhere = KNOWN[name]()
    assert len(everywhere) == 9  # both have 9 critical points in the whole plane
    box = ((-half, half), (-half, half))
    found = landscapes.atlas(landscapes.get(name), box)
    inside = everywhere[np.all(np.abs(everywhere) <= half, axis=1)]
    got = np.array(sorted(tuple(p.xy) for p in found.points)).reshape(-1, 2)
    assert len(got) == len(inside), (name, half, got)
    np.testing.assert_allclose(got, np.array(sorted(map(tuple, inside))).reshape(-1, 2), atol=1e-6)
    assert found.complete, (name, half, found.undecided, found.why)


@pytest.mark.parametrize("name", ["monkey_saddle", "quartic"])
def test_where_completeness_cannot_be_proven_the_page_says_where(name):
    surface = landscapes.get(name)
    found = landscapes.atlas(surface)
    assert [p.kind for p in found.points] == ["degenerate"] and not found.complete
    summary, notes = ex_words.describe_atlas(found, surface.bounds)
    assert "all of them" not in summary
    assert any("could neither rule out nor isolate a critical point near (" in n for n in notes), notes


def test_explore_on_a_thousand_wide_box_lists_himmelblaus_maximum_and_says_the_list_is_complete():
    at = run_app(EXPLORE, **{"explore.surface": "himmelblau", "explore.xmin": "-1000", "explore.xmax": "1000",
                             "explore.ymin": "-1000", "explore.ymax": "1000"})
    summary = next(m.value for m in at.markdown if "critical point" in m.value)
    assert summary == ("**9 critical points in view: 4 minima, 1 maximum, 4 saddles — all of them: bounds on ∇f "
                       "over a subdivision of the box rule out any other.**")


# ------------------------------------------------------------------------------------------------ 5-17. readable
def test_the_player_gets_each_runs_convergence_and_divergence_step():
    args = player_args(run_app())
    by_name = {p["name"]: p for p in args["paths"]}
    assert by_name["nesterov"]["converged_at"] == 196 and by_name["sgd"]["converged_at"] == -1
    assert all(p["diverged_at"] == -1 for p in args["paths"])


def test_line_charts_keep_the_legend_off_the_title_and_label_log_ticks_with_whole_values():
    series = [{"x": [0, 1, 2], "y": [1.0, 0.3, 0.02], "label": f"run {i}", "color": "#000"} for i in range(8)]
    fig = figures.line_figure(series, ytitle="distance", log_y=True, title="Distance to the nearest known minimum")
    assert fig.layout.legend.y < 0 and fig.layout.legend.yanchor == "top"  # under the plot, not over the title
    assert fig.layout.title.y > 0.9 and fig.layout.yaxis.type == "log"
    assert fig.layout.yaxis.tickformat == ".2~g"  # "0.2" and "2", never a bare "2" for both
    assert fig.layout.yaxis.minor.ticks == "outside" and not fig.layout.yaxis.minor.showgrid


def test_the_scrub_spreads_each_optimizer_over_its_own_slider():
    options = {"sgd": np.geomspace(1e-4, 2.0, 44), "momentum": np.geomspace(1e-4, 1.0, 41),
               "adagrad": np.geomspace(1e-3, 10.0, 41)}
    current = {"sgd": options["sgd"][40], "momentum": options["momentum"][30], "adagrad": options["adagrad"][35]}
    s = scrub.build("learning_rate", "η", options, current, 32)
    for k, o in options.items():
        values = s.values[k]
        assert values[s.index] == current[k]
        assert values[0] == o[0] and values[-1] == o[-1], k  # every optimizer reaches both ends of its slider
        assert np.all(np.diff(values) >= 0), k
        # No notch repeats a value unless its side of the slider has fewer options than notches.
        right = values[s.index:]
        assert len(set(right)) == min(len(right), len(o) - list(o).index(current[k])), k


def test_the_default_typed_surface_shows_all_its_critical_points_in_its_box():
    from components import first_view

    text = first_view.EXPRESSION
    inner = landscapes.atlas(landscapes.from_expression(text, ((-3, 3), (-3, 3))))
    outer = landscapes.atlas(landscapes.from_expression(text, ((-30, 30), (-30, 30))))
    assert inner.complete and outer.complete
    # x² − y² + 0.1x⁴ + 0.1y⁴: a saddle at the origin and minima at (0, ±√5), all well inside the ±3 box.
    assert sorted(p.kind for p in inner.points) == sorted(p.kind for p in outer.points) == ["minimum", "minimum",
                                                                                           "saddle"]
    assert max(np.max(np.abs(p.xy)) for p in inner.points) == pytest.approx(np.sqrt(5), rel=1e-9)


def test_the_optax_code_runs_on_the_surface_shown_and_has_no_unused_noise():
    valley = landscapes.get("elongated_valley")
    code = codegen.optax_code("adam", {"learning_rate": 0.3}, steps=60, start=valley.start,
                              surface=(valley.title, python_code(valley)))
    assert "Rosenbrock" not in code and "# The surface: Elongated valley" in code
    assert "noise" not in code and "seed" not in code and "jax.random" not in code  # σ = 0: no random numbers
    namespace: dict = {}
    exec(compile(code, "<snippet>", "exec"), namespace)  # the test, never the app, executes it
    engine = optimizers.run(valley, "adam", start=valley.start, steps=60, learning_rate=0.3)
    np.testing.assert_allclose(np.asarray(namespace["path"]), engine.xy, rtol=1e-9, atol=1e-12)
    noisy = codegen.optax_code("sgd", steps=5, noise=0.1, seed=3)
    assert "noise=0.1, seed=3" in noisy and "jax.random.key(seed)" in noisy


@pytest.mark.parametrize("name", landscapes.names())
def test_the_copied_surface_code_computes_the_apps_values(name):
    surface = landscapes.get(name)
    namespace = {"jax": jax, "jnp": jnp}
    exec(python_code(surface), namespace)
    (x0, x1), (y0, y1) = surface.bounds
    pts = np.random.default_rng(0).uniform([x0, y0], [x1, y1], (16, 2))
    got = np.array([float(namespace["f"](jnp.asarray(p))) for p in pts])
    np.testing.assert_allclose(got, analysis.value(surface, pts), rtol=1e-12, atol=1e-12)


def test_each_optimizer_has_one_colour_on_every_page():
    compare = figures.optimizer_colours(["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"])
    lab = figures.optimizer_colours(["sgd", "momentum", "rmsprop", "adam"])  # the Lab's fair comparison
    assert lab["rmsprop"] == compare["rmsprop"] and lab["adam"] == compare["adam"]
    for names in (catalog.names()[:8], catalog.names()[-8:], ["lion", "sgd", "fromage", "adam"]):
        colours = figures.optimizer_colours(names)
        assert len(set(colours.values())) == len(names), names  # never two paths of one view alike


def test_the_3d_view_fits_the_part_of_the_surface_the_runs_travel():
    valley = landscapes.get("elongated_valley")
    xs, ys, z = analysis.evaluate_grid(valley, n=41)
    traj = optimizers.run(valley, "sgd", steps=50, learning_rate=1.8)
    fig = figures.surface3d_figure(xs, ys, z, paths=[{"xy": traj.xy, "loss": traj.loss, "label": "GD",
                                                      "color": "#000"}])
    top = float(np.max(fig.data[0].z))
    assert top <= 2.0 * float(traj.loss.max()) + 1e-12 < float(np.percentile(z, 98))
    assert fig.layout.legend.orientation == "h" and fig.layout.legend.y >= 1.0  # clear of the toolbar


def test_small_words():
    # 17: the step where a run stopped comes with the verb, not after the reason.
    class Run:
        xy = np.zeros((49, 2))
        loss = grad_norm = np.zeros(49)
        update_norm = np.zeros(48)
        status, converged_at, diverged_at = "converged", 48, -1

    text = outcomes.outcome(Run, end_kind="regular", critical=[], global_minima=[], box_diagonal=1.0).text
    assert text == "stopped moving at step 48, though the gradient there is not quite zero."
    # 16: the network page's menus fit the sidebar; the detail is in their help.
    from landscapes import network

    assert max(len(v) for v in (*network.DIRECTIONS.values(), *network.INITS.values())) <= 26
    # 13: no emoji icon (an empty box without an emoji font); 17: no raw subscript underscore in a caption.
    source = (ROOT / "app_pages" / "compare.py").read_text()
    assert "🎯" not in source and "η_k" not in source


def test_the_flow_caption_and_the_tuner_box_read_as_meant():
    at = run_app(**{"compare.flow": "true"})
    assert any("t = Σₖ ηₖ" in c.value for c in at.caption)
    at.button(key="compare.tune").click()
    at.run()
    (box,) = [i for i in at.info if i.value.startswith("**Tuned η**")]
    assert box.icon == ":material/tune:"


def test_a_long_typed_formula_error_is_shown_whole():
    at = run_app(**{"compare.surface": "custom", "compare.expression": "x**"})
    (code,) = [c for c in at.code if "incomplete" in c.value or "expression" in c.value]
    assert code.proto.wrap_lines
