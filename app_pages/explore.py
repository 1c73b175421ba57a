"""Explore: every critical point of a surface, found and classified from its Hessian, and what happens near one.

The sidebar picks the surface (built-in or typed), the view box, the selected point and the settings of the
sections below; each widget key is also its URL parameter (``explore.*``), so a copied link reproduces the view.
The main area shows the atlas (contour map and 3-D view with every critical point marked by kind, and the same
points as a table), then the selected point (click the map, pick a table row, or type x and y): its gradient,
Hessian, eigenvectors and verdict, and four tabs: the local quadratic model, escaping a saddle, curvature maps and
the gradient check.  All computation is in the engine, reached through `components.explore` and
`components.surfaces` / `components.runs`.
"""

import json

import numpy as np
import streamlit as st

from components import callbacks, controls, figures, memory, runs, scaffold, surfaces, titles
from components.explore import compute, figures as charts, words
from components.i18n import N_, t
from landscapes.expression import DEFAULT_BOUNDS
from optimizers import analytic

PAGE = "explore"
CUSTOM = scaffold.CUSTOM
DEFAULT_SURFACE = "himmelblau"
DEFAULT_EXPRESSION = "x**3 - 3*x + y**2"
LIMIT = 1000.0  # coordinates of the box and the point are kept within ±LIMIT
MAP, TABLE = "explore.map", "explore.table"
ESCAPE_RUNS = (
    # (optimizer, noisy, line dash, what to expect); each optimizer keeps its colour of every page
    ("sgd", False, "solid",
     N_("∇f = 0 at a saddle, so gradient descent started exactly there does not move. The saddle is only known to "
        "about 1e-12, though, and that error along v₁ grows by a factor 1 + η|λ₁| per step.")),
    ("sgd", True, "dash",
     N_("Gradient noise (a stand-in for minibatch noise) kicks it off the saddle; the kick along v₁ then grows by "
        "1 + η|λ₁| per step, downhill.")),
    ("newton", True, "solid",
     N_("Newton's step −H⁻¹∇f jumps to the stationary point of the local quadratic model, and near a saddle that is "
        "the saddle itself: every kick is undone, so Newton is attracted to it.")),
    ("saddle_free_newton", True, "solid",
     N_("Saddle-free Newton steps with |H|⁻¹ (Dauphin et al. 2014): along v₁, where λ₁ < 0, the step is reversed, "
        "so the kick grows and it escapes.")),
)

frame = scaffold.Frame(PAGE)
memory.release_with_run(globals())  # this run's results go when it ends (components.memory)
problems: list[str] = []  # what this page had to fix beyond the URL (e.g. an empty view box), shown with notices


def show_notices() -> None:
    frame.show_notices(problems)


def run_label(name: str, noisy: bool) -> str:
    """An escape run's name: the optimizer's, with "+ noise" when its gradient is noisy."""
    return t("{name} + noise", name=titles.optimizer(name)) if noisy else titles.optimizer(name)


def new_event(key: str) -> object | None:
    """The state of the selectable chart or table ``key`` if it changed since the last run, else None."""
    event = st.session_state.get(key)
    text = json.dumps(event, sort_keys=True, default=str) if event is not None else None
    seen = st.session_state.get(f"_{key}.seen")
    st.session_state[f"_{key}.seen"] = text
    return event if text != seen else None


# ------------------------------------------------------------------------------------------------ sidebar
with st.sidebar:
    choice = scaffold.surface_picker(PAGE, DEFAULT_SURFACE, DEFAULT_EXPRESSION)
    surface_name, text, key = choice.name, choice.text, choice.key
    identity = (CUSTOM, text) if surface_name == CUSTOM else (surface_name,)
    default_box = DEFAULT_BOUNDS if choice.box is None else choice.box

    st.header(t("View box"))
    if st.session_state.get("_explore.box_for", identity[0]) != identity[0]:
        callbacks.explore_set_box(default_box)  # another surface: its own box
    st.session_state["_explore.box_for"] = identity[0]
    cx, cy = st.columns(2)
    with cx:
        xmin = controls.number("explore.xmin", t("x min"), default_box[0][0], -LIMIT, LIMIT, format="%.4g")
        ymin = controls.number("explore.ymin", t("y min"), default_box[1][0], -LIMIT, LIMIT, format="%.4g")
    with cy:
        xmax = controls.number("explore.xmax", t("x max"), default_box[0][1], -LIMIT, LIMIT, format="%.4g")
        ymax = controls.number("explore.ymax", t("y max"), default_box[1][1], -LIMIT, LIMIT, format="%.4g")
    st.button(t("Reset the view box"), on_click=callbacks.explore_set_box, args=(default_box,), key="explore.reset_box",
              help=t("The surface's own box. The atlas, the maps and the tolerances follow the view box."))
    problem = words.box_problem(xmin, xmax, ymin, ymax)
    if problem:
        problems.append(problem)
        box = default_box
    else:
        box = ((float(xmin), float(xmax)), (float(ymin), float(ymax)))

    usable = True
    if surface_name == CUSTOM:
        key, typed = scaffold.typed_surface(text, box)
        usable = typed is not None

    if usable:
        atlas = surfaces.atlas(key, box)
        points = atlas.points
        # A click on the map or a row of the table (from the last run) moves the selected point, before its inputs.
        if st.session_state.get("_explore.point_for", identity) != identity:
            callbacks.explore_set_point(compute.default_point(points, surfaces.surface(key).start))
        st.session_state["_explore.point_for"] = identity
        clicked = compute.selected_xy(new_event(MAP))
        if clicked is not None:
            callbacks.explore_set_point(compute.snap(clicked, points, box))
        row = compute.selected_row(new_event(TABLE))
        if row is not None and row < len(points):
            callbacks.explore_set_point(points[row].xy)
        start = compute.default_point(points, surfaces.surface(key).start)
    else:
        points, start = (), (0.0, 0.0)

    st.header(t("Selected point"))
    st.caption(t("Click the map, pick a row of the table, or type the coordinates."))
    px_col, py_col = st.columns(2)
    with px_col:
        x = controls.number("explore.x", "x", start[0], -LIMIT, LIMIT, format="%.6g")
    with py_col:
        y = controls.number("explore.y", "y", start[1], -LIMIT, LIMIT, format="%.6g")
    xy = (float(x), float(y))
    saddles = [p for p in points if p.kind == "saddle"]
    if saddles:
        st.button(t("Go to the nearest saddle"), key="explore.to_saddle", on_click=callbacks.explore_set_point,
                  args=(compute.nearest(saddles, xy).xy,))

    st.header(t("Sections"))
    radius = controls.scalar("explore.radius", t("Local window (fraction of the box)"), 0.25, 0.02, 1.0,
                             help=t("Half-width of the quadratic-model window and of the escape profile, as a "
                                    "fraction of the view box's half-width."))
    eta_fraction = controls.scalar("explore.eta", t("Gradient descent η, as a fraction of 2/λmax"), 0.5, 0.05, 0.95,
                                   help=t("Saddle escape: η = fraction · 2/λmax at the saddle, below the stability "
                                          "limit of the directions that curve up."))
    noise = controls.scalar("explore.noise", t("Gradient noise σ"), 0.01, 1e-4, 10.0, log=True,
                            help=t("Saddle escape: each step sees ∇f + σξ, ξ ~ N(0, I)."))
    steps = controls.scalar("explore.steps", t("Steps"), 200, 20, 2000, integer=True)
    seed = controls.number("explore.seed", t("Noise seed"), 0, 0, 2**31 - 1, integer=True)
    shades = {mode: t(label) for mode, label in words.CURVATURE_MODES.items()}  # now: AppTest formats after the run
    shade = controls.choice("explore.shade", t("Curvature map: shade by"), list(shades), "shape",
                            format_func=shades.get)

controls.finish(PAGE)

# ------------------------------------------------------------------------------------------------ the atlas
st.title(t("Explore critical points"))
if not usable:
    st.info(t("Fix the expression in the sidebar to see its critical points."))
    show_notices()
    st.stop()

surface = surfaces.surface(key)
st.latex(surface.latex)  # built-in LaTeX, or built from the parsed tree of a typed formula
if surface.name != CUSTOM and surface.description:
    st.caption(t(surface.description))

summary, atlas_notes = words.describe_atlas(atlas, box)
st.markdown(f"**{summary}**")
for note in atlas_notes:
    st.warning(note)
g = surfaces.grid(key, box, compute.GRID_N)
lost = surfaces.range_mask(key, box, compute.GRID_N)
if np.all(np.isfinite(g.z)) and np.ptp(g.z) == 0 and not lost.any.any():
    st.warning(t("f is constant on this view box: every point is a critical point and the Hessian is zero, so the "
                 "second-derivative test says nothing anywhere."))
range_note = scaffold.range_note(lost)
if range_note:
    st.caption(range_note)
elif not np.all(np.isfinite(g.z)):
    st.caption(t("f is not finite (inf or NaN) at {share} of the map's grid: those regions are left blank.",
                 share=f"{np.mean(~np.isfinite(g.z)):.0%}"))

info = surfaces.classify(key, xy, box)
arrows = compute.eigen_arrows(info, 0.2 * min(box[0][1] - box[0][0], box[1][1] - box[1][0]))
map_col, view3d_col = st.columns([3, 2])
with map_col:
    st.plotly_chart(charts.atlas_map(g, points, box, selected=info, arrows=arrows, blank=lost.any,
                                    undecided=atlas.undecided), key=MAP, on_select="rerun", selection_mode="points")
with view3d_col:
    coarse = surfaces.grid(key, box, compute.SURFACE3D_N)
    st.plotly_chart(charts.atlas_3d(coarse, points, selected=info), key="explore.chart3d")
st.caption(t("Markers: ★ minimum, ▲ maximum, ✕ saddle, ◇ degenerate (test inconclusive). The arrows are the "
             "Hessian's eigenvectors at the selected point, drawn the same length (the legend gives each λ), blue "
             "where λ > 0 (f curves up), red where λ < 0 (f curves down)."))
if points:
    st.dataframe(words.atlas_table(points), key=TABLE, on_select="rerun", selection_mode="single-row",
                 hide_index=True, height=min(38 + 35 * len(points), 320),
                 column_config={c: st.column_config.NumberColumn(c, format="%.6g") for c in words.TABLE_COLUMNS[:5]})

# ------------------------------------------------------------------------------------------------ the selected point
st.header(t("Point ({x}, {y})", x=words.fmt(xy[0], 6), y=words.fmt(xy[1], 6)))
if not compute.inside(xy, box):
    st.caption(t("This point lies outside the view box, so it is not on the map."))
headline, reason = words.verdict(info, box)
colour = {"minimum": "green", "maximum": "red", "saddle": "violet", "degenerate": "orange"}.get(info.kind, "gray")
st.markdown(f"#### :{colour}[{headline}]")
st.text(reason)  # plain text: the second-derivative test's reasoning, with its arrows and numbers
finite = words.nonfinite_problem(info) is None
if finite:
    grad_col, hess_col = st.columns(2)
    grad_col.latex(r"f(p) = " + words.latex_number(info.value) + r",\qquad \nabla f(p) = "
                   + words.latex_matrix([[info.gradient[0]], [info.gradient[1]]]))
    hess_col.latex(r"H(p) = \nabla^2 f(p) = " + words.latex_matrix(info.hessian))
    vec = info.eigenvectors
    st.latex(r"H v_i = \lambda_i v_i:\qquad \lambda_1 = " + words.latex_number(info.eigenvalues[0]) + r",\ v_1 = "
             + words.latex_matrix([[vec[0, 0]], [vec[1, 0]]]) + r"\qquad \lambda_2 = "
             + words.latex_number(info.eigenvalues[1]) + r",\ v_2 = " + words.latex_matrix([[vec[0, 1]], [vec[1, 1]]]))

# ------------------------------------------------------------------------------------------------ sections
# A tab's state is its label: after a language switch, the open tab's label in the new language keeps it open.
if (open_label := words.section_label(st.session_state.get("explore.section"))) is not None:
    st.session_state["explore.section"] = open_label
model_tab, escape_tab, curvature_tab, check_tab = st.tabs(
    [t(label) for label in words.SECTIONS.values()], key="explore.section", on_change="rerun")
half = radius * 0.5 * min(box[0][1] - box[0][0], box[1][1] - box[1][0])

if model_tab.open:
    with model_tab:
        st.latex(r"q(p + d) = f(p) + \nabla f(p)^\top d + \tfrac12\, d^\top H(p)\, d")
        if not finite:
            st.info(t("The quadratic model needs a finite gradient and Hessian at p."))
        else:
            window = ((xy[0] - half, xy[0] + half), (xy[1] - half, xy[1] + half))
            local = surfaces.grid(key, window, compute.LOCAL_N)
            model = compute.quadratic_model(info, local.x, local.y)
            st.plotly_chart(charts.local_model_figure(local.x, local.y, local.z, model, info,
                                                     compute.eigen_arrows(info, 0.6 * half)), key="explore.chart.model")
            st.caption(t("Filled: the true f around p (window ±{half}). Dashed: the model q at the same levels. "
                         "Inside the red line q is within {share} of f's range over the window: there the "
                         "second-order Taylor picture holds. Shrink the window in the sidebar to see the two agree.",
                         half=words.fmt(half), share=f"{compute.MODEL_TOLERANCE:.0%}"))

if escape_tab.open:
    with escape_tab:
        st.latex(r"\nabla f(\theta) = 0:\quad f(\theta + t\,u) \approx f(\theta) + \tfrac12 \lambda\, t^2 "
                 r"\quad (H u = \lambda u,\ \|u\| = 1)")
        if info.kind != "saddle" or not finite:
            st.info(t("Select a saddle (✕ on the map, or ‘{button}’ in the sidebar) to see how optimizers leave it.",
                      button=t("Go to the nearest saddle")) if saddles else t("There is no saddle in the view box."))
        else:
            lam1, lam2 = (float(v) for v in info.eigenvalues)
            vectors = (tuple(map(float, info.eigenvectors[:, 0])), tuple(map(float, info.eigenvectors[:, 1])))
            along, change = surfaces.profiles(key, xy, vectors, half, compute.PROFILE_N)
            st.plotly_chart(charts.profile_figure(along, change, (lam1, lam2)), key="explore.chart.profile")
            st.caption(t("Along v₁ (λ₁ = {lam1} < 0) f falls like ½λ₁t²: the eigenvector of the negative eigenvalue "
                         "points downhill out of the saddle, though the gradient there is zero.",
                         lam1=words.fmt(lam1)))
            eta = eta_fraction * analytic.learning_rate_limit("sgd", lam2)  # a fraction of 2/λ₂
            st.markdown(t("Four runs of {steps} steps from the saddle: gradient descent with η = {eta} (= {fraction} "
                          "· 2/λ₂, growth 1 + η|λ₁| = {growth} per step along v₁), the second-order rules with their "
                          "full step η = 1; the noisy ones see ∇f + σξ with σ = {noise} (seed {seed}).",
                          steps=steps, eta=words.fmt(eta), fraction=f"{eta_fraction:g}",
                          growth=words.fmt(1 + eta * abs(lam1)), noise=f"{noise:g}", seed=seed))
            paths, lines = [], []
            escape_colours = figures.optimizer_colours([run[0] for run in ESCAPE_RUNS])
            for name, noisy, dash, expect in ESCAPE_RUNS:
                label, colour_ = run_label(name, noisy), escape_colours[name]
                hyper = (("learning_rate", float(eta)),) if name == "sgd" else ()
                try:
                    traj = runs.trajectory(key, name, xy, steps, hyper, noise=noise if noisy else 0.0, seed=seed)
                except Exception as err:  # the engine refused this configuration: say which and why
                    scaffold.engine_failed(label, err)
                    continue
                outcome, sentence = words.escape_summary(traj.xy, traj.loss, traj.status, traj.diverged_at, xy,
                                                         info.value, box)
                st.markdown(t("**{label}**: :{colour}[{outcome}]. {expect}", label=label, outcome=sentence,
                              colour="green" if outcome == "escaped" else "red", expect=t(expect)))
                paths.append({"xy": traj.xy, "label": label, "color": colour_, "dash": dash})
                lines.append({"x": np.arange(len(traj.loss)), "y": traj.loss, "label": label, "color": colour_,
                              "dash": dash})
            if paths:
                st.plotly_chart(charts.paths_figure(g, box, xy, paths), key="explore.chart.paths")
                st.plotly_chart(figures.line_figure(lines, ytitle="f(x_t)", title=t("f along each run")),
                                key="explore.chart.escape_loss")

if curvature_tab.open:
    with curvature_tab:
        maps = surfaces.curvature(key, box, compute.CURVATURE_N)
        st.plotly_chart(charts.curvature_figure(maps, shade, points, info), key="explore.chart.curvature")
        if shade == "shape":
            st.caption(words.shape_shares(maps))
        elif shade == "condition":
            st.caption(t("κ = max|λ| / min|λ|: the ratio of the steepest to the flattest curvature; gradient "
                         "descent slows down by about this factor where it is large (white where min|λ| = 0)."))
        else:
            st.caption(t("λmin < 0 (red): some direction curves down, as on a saddle or a dome."))
        st.subheader(t("Gradient descent's stability limit at p"))
        st.markdown(words.stability(info.eigenvalues).replace("*", "\\*"))

if check_tab.open:
    with check_tab:
        st.latex(r"n_i(h) = \frac{f(p + h e_i) - f(p - h e_i)}{2h},\qquad "
                 r"\text{" + t("relative error") + r"} = \frac{\|a - n\|}{\|a\| + \|n\|}")
        check, value = surfaces.gradient_check(key, xy), info.value
        for sentence in words.gradient_check_words(check, value, box):
            st.markdown(sentence)
        if compute.gradient_vanishes(check, value, box):
            # At a critical point the check is meaningless; show the V-shape a little way off instead.
            (x0, x1), (y0, y1) = box
            near = (xy[0] + 0.05 * (x1 - x0), xy[1] + 0.05 * (y1 - y0))
            check, value = surfaces.gradient_check(key, near), float(surfaces.classify(key, near, box).value)
            st.markdown(t("Here instead is the check at a nearby point q = ({x}, {y}), 5 % of the box away:",
                          x=words.fmt(near[0]), y=words.fmt(near[1])))
            for sentence in words.gradient_check_words(check, value, box):
                st.markdown(sentence)
        if np.all(np.isfinite(check.analytic)) and not compute.gradient_vanishes(check, value, box):
            st.plotly_chart(charts.gradient_check_figure(check), key="explore.chart.check")
            numeric = (t("autodiff a"), t("centred difference n (best h)"), t("relative error"))
            st.dataframe({t("component"): ["∂f/∂x", "∂f/∂y"], numeric[0]: check.analytic, numeric[1]: check.numeric,
                          numeric[2]: check.relative_error}, hide_index=True, key="explore.check_table",
                         column_config={c: st.column_config.NumberColumn(c, format="%.10e") for c in numeric})
            st.caption(t("Right of the dip, truncation error (∝ h²) dominates; left of it, round-off (∝ ε/h, "
                         "ε ≈ 1e-16): the best h balances the two, near ε^(1/3) ≈ 1e-5 for a well-scaled f."))

show_notices()
