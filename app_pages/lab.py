"""Lab: sweeps at scale.  Thousands of runs per view, each view one compiled `optimizers.engine.sweep` call.

The sidebar picks the surface, the start and the run length; a row of sections (a tab bar whose choice is in the
URL) picks the experiment: the learning-rate curve, a phase diagram over two hyperparameters, random against grid
search, basins of attraction, a fair comparison of tuned optimizers, and learning-rate schedules.  Only the open
section computes.  Every widget key starts with ``lab.`` and is also its URL parameter.  The computations, their
caches and their figures live in `components.lab` (compute, sweeps, words, figures); closed-form limits in
`optimizers.analytic`.
"""

import numpy as np
import streamlit as st

from components import controls, figures, outcomes, runs, scaffold, surfaces, titles
from components.lab import compute, figures as charts, sweeps, words
from landscapes.expression import MAX_LENGTH
from optimizers import analytic, catalog, schedules

PAGE = "lab"
DEFAULT_SURFACE = "elongated_valley"
DEFAULT_EXPRESSION = "x**2 + 10*y**2"
SECTIONS = {
    "curve": "Learning-rate curve",
    "phase": "Phase diagram",
    "search": "Random vs grid search",
    "basins": "Basins of attraction",
    "fair": "Fair comparison",
    "schedules": "Schedules",
}
METRICS = {"loss": "Final loss", "steps": "Steps to converge"}

controls.restore_widget_state(PAGE)
frame = scaffold.Frame(PAGE)


def ordered(lo: float, hi: float, label: str, log: bool) -> tuple[float, float]:
    """A usable range from two sliders: swapped if reversed, widened if empty (with a note, never an error)."""
    if lo < hi:
        return lo, hi
    if lo > hi:
        st.info(f"{label}: the lower end was above the upper end; the two have been swapped.")
        return hi, lo
    wider = (lo, lo * 10.0) if log else (lo, lo + max(abs(lo), 1.0))
    st.info(f"{label}: the range is empty; using {wider[0]:g} to {wider[1]:g}.")
    return wider


def other_hyperparams(prefix: str, name: str, skip=()) -> dict:
    """Widgets for ``name``'s hyperparameters not on an axis (defaults until moved), in a collapsed expander."""
    spec = catalog.get(name)
    rest = [h for h in spec.hyperparams if h.name not in skip]
    if not rest:
        return {}
    with st.expander(f"{spec.title}: other hyperparameters"):
        return controls.hyperparameters(f"{prefix}.{name}", rest, context=spec.title)


def frozen(values: dict) -> tuple:
    """A hyperparameter dict as the sorted tuple the caches hash."""
    return tuple(sorted(values.items()))


# ------------------------------------------------------------------------------------------------ sidebar
with st.sidebar:
    choice = scaffold.surface_picker(
        PAGE, DEFAULT_SURFACE, DEFAULT_EXPRESSION,
        expression_help=f"At most {MAX_LENGTH} characters. A quadratic gets its analytic limits drawn.",
        box_help="Basins and random starts cover [−w, w] × [−w, w].")
    surface_name, key, surface = choice.name, choice.key, choice.surface

    if surface is not None:
        st.header("Runs")
        start = scaffold.start_point(PAGE, surface.bounds, surface.start, choice.identity,
                                     help="Start of every run except the basin map's grid and the fair "
                                          "comparison's random starts.")
        steps = controls.scalar("lab.steps", "Steps per run", 500, 10, compute.MAX_STEPS, integer=True,
                                help=f"At most {compute.MAX_STEPS:,}. Sweeps keep only where each run ended, so memory "
                                     "does not grow with the steps.")
    st.caption(f"Bounds, so that no request can exhaust the server: {words.LIMITS}.")

# ------------------------------------------------------------------------------------------------ main area
st.title("Lab: sweeps at scale")
if surface is None:
    st.info("Fix the expression in the sidebar to run the sweeps.")
    controls.finish(PAGE)
    controls.remember_widget_state(PAGE, controls.values(PAGE))
    frame.show_notices()
    st.stop()

st.latex(surface.latex)
with st.spinner("Finding the critical points…", show_time=True):
    critical = surfaces.critical_points(key)
    curvature = sweeps.quadratic_curvature(key)  # (λmin, λmax) on a quadratic, else None
f_star = compute.lowest_minimum(critical, surface.minima)
quadratic_pd = curvature is not None and curvature[0] > 0
section = controls.choice("lab.section", "Section", list(SECTIONS), "curve", format_func=SECTIONS.get, radio=True)




def gap_caption() -> None:
    if f_star is None:
        st.caption("No minimum is known on this surface: losses are shown as they are.")
    else:
        st.caption(f"f* = {f_star:.6g}, the lowest known minimum; gaps below {compute.GAP_FLOOR:g} are drawn at "
                   f"{compute.GAP_FLOOR:g}.")


def curvature_note() -> None:
    if curvature is None:
        st.caption("This surface is not a quadratic (its Hessian varies), so no closed-form limit is drawn; try the "
                   "elongated valley, Booth, Matyas or a typed quadratic.")
    elif not quadratic_pd:
        st.caption(f"A quadratic with λmin = {curvature[0]:.4g} ≤ 0: no learning rate reaches a minimum.")
    else:
        st.caption(f"A quadratic: the Hessian is constant, λmin = {curvature[0]:.4g}, λmax = {curvature[1]:.4g}.")


# ------------------------------------------------------------------------------------------------ sections
def curve_section() -> None:
    st.markdown("Each optimizer runs once per learning rate η, all from the same start; ✕ marks the η whose run "
                "diverged (|x| or f passed 10⁶, or a value became non-finite). Dashed: the closed-form stability "
                "limit on a quadratic.")
    with_lr = [n for n in catalog.names() if compute.has_learning_rate(n)]
    c1, c2, c3, c4 = st.columns([3, 1, 1, 1])
    with c1:
        chosen = controls.choices("lab.curve.optimizers", "Optimizers", with_lr, ("sgd", "momentum", "adam"),
                                  max_items=compute.MAX_CURVE_OPTIMIZERS, format_func=titles.optimizer,
                                  help=f"At most {compute.MAX_CURVE_OPTIMIZERS}.")
    with c2:
        lo = controls.scalar("lab.curve.lo", "η from", 1e-3, *compute.LR_RANGE, log=True)
    with c3:
        hi = controls.scalar("lab.curve.hi", "η to", 10.0, *compute.LR_RANGE, log=True)
    with c4:
        n = controls.scalar("lab.curve.points", "Points", 80, 10, compute.MAX_LR_POINTS, integer=True,
                            help=f"At most {compute.MAX_LR_POINTS} learning rates, log-spaced.")
    lo, hi = ordered(lo, hi, "η range", log=True)
    fixed = {name: other_hyperparams("lab.curve", name, skip=("learning_rate",)) for name in chosen}
    curves, limits = [], []
    with st.spinner(f"Sweeping {n * len(chosen):,} runs of {steps:,} steps…", show_time=True):
        palette = figures.optimizer_colours(chosen)
        for name in chosen:
            colour = palette[name]
            try:
                r = sweeps.lr_curve(key, name, float(lo), float(hi), int(n), int(steps), start, frozen(fixed[name]))
            except Exception as err:  # noqa: BLE001 -- any refusal of the engine is shown, not raised
                scaffold.engine_failed(titles.optimizer(name), err)
                continue
            curves.append(dict(eta=np.geomspace(lo, hi, n), loss=r.loss, converged_at=r.converged_at,
                               diverged=r.diverged_at >= 0, label=titles.optimizer(name), color=colour, name=name))
            if quadratic_pd and name in analytic.RULES:
                mu = float(fixed[name].get("momentum", 0.0))
                limit = analytic.learning_rate_limit(name, curvature[1], curvature[0], momentum=mu)
                expr = analytic.eta_text(name)
                limits.append(dict(eta=limit, label=f"{titles.optimizer(name)}: η = {expr} = {limit:.4g}",
                                   color=colour))
    if not curves:
        return
    st.plotly_chart(charts.learning_rate_figure(curves, f_star, limits), key="lab.chart.curve")
    curvature_note()
    lines = []
    for c in curves:
        onset = compute.divergence_onset(c["eta"], c["diverged"])
        limit = next((lim["eta"] for lim in limits if lim["label"].startswith(c["label"] + ":")), None)
        said = f"first diverges at η = {onset:.4g}" if onset is not None else "never diverges on this range"
        if limit is not None:
            spacing = (hi / lo) ** (1 / max(n - 1, 1))
            said += f" (closed form: {limit:.4g}; grid spacing ×{spacing:.3f})"
        lines.append(f"- **{c['label']}** {said}")
    st.markdown("\n".join(lines))
    gap_caption()
    st.caption("Steps to converge: the first step where ‖∇f‖ ≤ 10⁻⁶·max(1, ‖∇f(x₀)‖) and the step taken is "
               "≤ 10⁻⁶·max(1, ‖x‖); blank where the run had not converged by its last step.")


def phase_settings() -> dict:
    """The optimizer, the two hyperparameters, their ranges and the grid: shared by the phase diagram and the
    search section, so switching between the two keeps them."""
    eligible = [n for n in catalog.names() if len(compute.float_hyperparams(n)) >= 2]
    c1, c2, c3 = st.columns(3)
    with c1:
        name = controls.choice("lab.phase.optimizer", "Optimizer", eligible, "momentum", format_func=titles.optimizer,
                               help="Any optimizer with two or more real-valued hyperparameters.")
    floats = {h.name: h for h in compute.float_hyperparams(name)}
    with c2:
        x_name = controls.choice("lab.phase.x", "x axis", list(floats),
                                 "learning_rate" if "learning_rate" in floats else next(iter(floats)))
    y_options = [h for h in floats if h != x_name]
    with c3:
        y_name = controls.choice("lab.phase.y", "y axis", y_options,
                                 "momentum" if "momentum" in y_options else y_options[0])
    axes = {}
    columns = st.columns(4)
    for j, h_name in enumerate((x_name, y_name)):
        h = floats[h_name]
        lo_lim, hi_lim, log = compute.axis_limits(h)
        d_lo, d_hi = compute.default_range(h)
        with columns[2 * j]:
            lo = controls.scalar(f"lab.phase.{h_name}.lo", f"{h_name} from", d_lo, lo_lim, hi_lim, log=log)
        with columns[2 * j + 1]:
            hi = controls.scalar(f"lab.phase.{h_name}.hi", f"{h_name} to", d_hi, lo_lim, hi_lim, log=log)
        lo, hi = ordered(float(lo), float(hi), f"{h_name} range", log)
        axes[h_name] = (lo, hi, log)
    fixed = other_hyperparams("lab.phase", name, skip=(x_name, y_name))
    return dict(name=name, x=x_name, y=y_name, x_axis=axes[x_name], y_axis=axes[y_name], fixed=fixed)


def phase_grid_controls() -> tuple[int, str]:
    c1, c2 = st.columns([1, 2])
    with c1:
        size = controls.scalar("lab.phase.size", "Cells per side", 40, 5, compute.MAX_PHASE, integer=True,
                               help=f"At most {compute.MAX_PHASE} × {compute.MAX_PHASE} = {compute.MAX_CONFIGS:,} runs.")
    with c2:
        metric = controls.choice("lab.phase.metric", "Colour by", list(METRICS), "loss", format_func=METRICS.get,
                                 radio=True)
    return int(size), metric


def compute_phase(p: dict, size: int):
    (xlo, xhi, xlog), (ylo, yhi, ylog) = p["x_axis"], p["y_axis"]
    with st.spinner(f"Sweeping {size * size:,} configurations of {steps:,} steps…", show_time=True):
        return sweeps.phase(key, p["name"], (p["x"], xlo, xhi, size, xlog), (p["y"], ylo, yhi, size, ylog),
                               int(steps), start, frozen(p["fixed"]))


def boundary_for(p: dict):
    boundary = compute.stability_boundary(p["name"], p["x"], p["y"], curvature if quadratic_pd else None)
    label = ""
    if boundary is not None:
        label = f"analytic boundary η = {analytic.eta_text(p['name'])}"
    return boundary, label


def phase_section() -> None:
    st.markdown("One run per cell, all from the same start; red cells diverged. On a quadratic, with η and μ on the "
                "axes, the dashed line is the closed-form edge of stability of heavy-ball (or Nesterov) momentum.")
    p = phase_settings()
    size, metric = phase_grid_controls()
    try:
        phase = compute_phase(p, size)
    except Exception as err:  # noqa: BLE001
        scaffold.engine_failed(titles.optimizer(p["name"]), err)
        return
    boundary, label = boundary_for(p)
    st.plotly_chart(charts.phase_figure(phase, p["x"], p["y"], p["x_axis"][2], p["y_axis"][2], metric, f_star,
                                    boundary, label), key="lab.chart.phase")
    if metric == "loss":
        gap_caption()
    div = phase.diverged_at >= 0
    st.markdown(f"{int(div.sum()):,} of {div.size:,} configurations diverged; "
                f"{int(((phase.converged_at >= 0) & ~div).sum()):,} converged within {steps:,} steps.")
    if boundary is not None:
        eta = phase.x[None, :] if p["x"] == "learning_rate" else phase.y[:, None]
        mu = phase.y[:, None] if p["x"] == "learning_rate" else phase.x[None, :]
        stable = np.all([analytic.RULES[p["name"]].stable(eta, mu, lam) for lam in curvature], axis=0)
        agree = float(np.mean(stable == ~div))
        st.latex(analytic.RULES[p["name"]].latex)
        st.caption(f"The sweep agrees with this condition on {100 * agree:.1f} % of the cells. Near the edge a run "
                   f"grows by only a little per step and may not pass |x| = 10⁶ within {steps:,} steps.")
    else:
        curvature_note()


def search_section() -> None:
    st.markdown("The same budget spent two ways (cs231n: *prefer random search to grid search*): a k × k grid tries "
                "only k values of each hyperparameter, random search tries as many values as it has runs, which "
                "matters when one hyperparameter matters more than the other (Bergstra & Bengio 2012).")
    p = phase_settings()
    size, metric = phase_grid_controls()
    c1, c2 = st.columns(2)
    with c1:
        budget = int(controls.choice("lab.search.budget", "Budget (runs per method)",
                                     [str(b) for b in compute.SEARCH_BUDGETS], "25",
                                     help="A perfect square, so that the grid is k × k."))
    with c2:
        seed = int(controls.number("lab.search.seed", "Random seed", 0, 0, 2**31 - 1, integer=True))
    (xlo, xhi, xlog), (ylo, yhi, ylog) = p["x_axis"], p["y_axis"]
    try:
        phase = compute_phase(p, size)
        with st.spinner(f"Running {2 * budget} searches…", show_time=True):
            s = sweeps.search(key, p["name"], (p["x"], xlo, xhi, xlog), (p["y"], ylo, yhi, ylog), budget, seed,
                                 int(steps), start, frozen(p["fixed"]))
    except Exception as err:  # noqa: BLE001
        scaffold.engine_failed(titles.optimizer(p["name"]), err)
        return
    boundary, label = boundary_for(p)
    st.plotly_chart(charts.phase_figure(phase, p["x"], p["y"], xlog, ylog, metric, f_star, boundary, label,
                                    search_result=s), key="lab.chart.search")

    def describe(loss, conv, div, i):
        if div[i]:
            return "diverged"
        gap = loss[i] - (f_star or 0.0)
        return f"converged in {int(conv[i])} steps" if conv[i] >= 0 else f"final f − f* = {gap:.3g}"

    rows = {
        "method": ["grid", "random"],
        "distinct " + p["x"]: [len(np.unique(s.grid_x)), len(np.unique(s.random_x))],
        "distinct " + p["y"]: [len(np.unique(s.grid_y)), len(np.unique(s.random_y))],
        "best " + p["x"]: [float(s.grid_x[s.grid_best]), float(s.random_x[s.random_best])],
        "best " + p["y"]: [float(s.grid_y[s.grid_best]), float(s.random_y[s.random_best])],
        "best run": [describe(s.grid_loss, s.grid_converged_at, s.grid_diverged, s.grid_best),
                     describe(s.random_loss, s.random_converged_at, s.random_diverged, s.random_best)],
    }
    st.dataframe(rows, hide_index=True)
    order = compute.best_index(np.array([s.grid_loss[s.grid_best], s.random_loss[s.random_best]]),
                          np.array([s.grid_converged_at[s.grid_best], s.random_converged_at[s.random_best]]),
                          np.array([s.grid_diverged[s.grid_best], s.random_diverged[s.random_best]]))
    st.caption(f"With {budget} runs each, {'grid' if order == 0 else 'random'} search found the better "
               "configuration here (ranked: not diverged, then converged, then fewer steps or lower loss). "
               "Change the seed to see how much that depends on luck.")


def basins_section() -> None:
    att = sweeps.attractors(key)
    st.markdown("Every start of a grid over the box runs once; its colour says where the run ended: at which "
                "minimum (within " f"{att.tol:.3g} of it), stalled at a saddle or another stationary point, "
                "diverged, or still moving when the steps ran out.")
    c1, c2 = st.columns([3, 1])
    with c1:
        chosen = controls.choices("lab.basins.optimizers", "Optimizers", catalog.names(), ("sgd", "momentum"),
                                  max_items=compute.MAX_BASIN_OPTIMIZERS, format_func=titles.optimizer,
                                  help=f"At most {compute.MAX_BASIN_OPTIMIZERS}, side by side.")
    with c2:
        n = int(controls.scalar("lab.basins.size", "Starts per side", 100, 10, compute.MAX_GRID, integer=True,
                                help=f"At most {compute.MAX_GRID} × {compute.MAX_GRID} = {compute.MAX_GRID ** 2:,} starts per "
                                     "optimizer, in one sweep."))
    fixed = {name: other_hyperparams("lab.basins", name) for name in chosen}
    if len(att.minima) < 2:
        st.info("This surface has fewer than two minima, so every run that settles lands in the same basin; "
                "Himmelblau, Styblinski–Tang, six-hump camel or Wells show more.")
    maps = {}
    with st.spinner(f"Running {n * n * len(chosen):,} starts of {steps:,} steps…", show_time=True):
        for name in chosen:
            try:
                maps[titles.optimizer(name)] = sweeps.basins(key, name, n, int(steps), frozen(fixed[name]))
            except Exception as err:  # noqa: BLE001
                scaffold.engine_failed(titles.optimizer(name), err)
    if not maps:
        return
    st.plotly_chart(charts.basin_figure(maps, att), key="lab.chart.basins")
    st.dataframe(words.basin_table(maps, att), hide_index=True)
    st.caption("Shares of starts, in %. Minima are the surface's listed minima and every minimum the critical-point "
               "atlas finds in the box; white dots mark them.")


def fair_section() -> None:
    st.markdown("One lucky run proves little. Here each optimizer's learning rate is tuned with the same budget "
                "(log-spaced over its slider's range, each η scored by the median final loss over random starts), "
                "then the chosen η runs from as many *other* random starts; the violins show those final losses.")
    with_lr = [n for n in catalog.names() if compute.has_learning_rate(n)]
    chosen = controls.choices("lab.fair.optimizers", "Optimizers", with_lr, ("sgd", "momentum", "rmsprop", "adam"),
                              max_items=compute.MAX_FAIR_OPTIMIZERS, format_func=titles.optimizer,
                              help=f"At most {compute.MAX_FAIR_OPTIMIZERS}.")
    c1, c2, c3 = st.columns(3)
    with c1:
        budget = int(controls.scalar("lab.fair.budget", "Tuning budget (η values)", 12, 2, compute.MAX_TUNING_BUDGET,
                                     integer=True))
    with c2:
        m = int(controls.scalar("lab.fair.starts", "Random starts", 100, 10, compute.MAX_STARTS, integer=True))
    with c3:
        seed = int(controls.number("lab.fair.seed", "Seed", 0, 0, 2**31 - 1, integer=True))
    fixed = {name: other_hyperparams("lab.fair", name, skip=("learning_rate",)) for name in chosen}
    results, colours = {}, {}
    with st.spinner(f"Tuning and evaluating {len(chosen)} optimizers ({(budget + 1) * m * len(chosen):,} runs)…",
                    show_time=True):
        palette = figures.optimizer_colours(chosen)
        for name in chosen:
            try:
                results[titles.optimizer(name)] = sweeps.fair(key, name, budget, m, int(steps), seed, f_star,
                                                                frozen(fixed[name]))
                colours[titles.optimizer(name)] = palette[name]
            except Exception as err:  # noqa: BLE001
                scaffold.engine_failed(titles.optimizer(name), err)
    if not results:
        return
    st.plotly_chart(charts.fair_figure(results, f_star, colours), key="lab.chart.fair")
    with st.expander("Tuning curves"):
        st.plotly_chart(charts.tuning_figure(results, f_star, colours), key="lab.chart.tuning")
    ref = f_star or 0.0
    rows = {"optimizer": list(results), "tuned η": [f"{r.best_eta:.3g}" for r in results.values()],
            "median final f − f*" if f_star is not None else "median final f":
                [f"{float(np.median(r.final_loss)) - ref:.3g}" for r in results.values()],
            "converged": [int(((r.converged_at >= 0) & ~r.diverged).sum()) for r in results.values()],
            "diverged": [int(r.diverged.sum()) for r in results.values()]}
    st.dataframe(rows, hide_index=True)
    gap_caption()


def schedules_section() -> None:
    st.markdown("A schedule replaces the constant η by η(t). Top: η(t) as the run used it; bottom: the loss per "
                "step with the schedule and with the constant peak η, from the same start.")
    schedulable = [n for n in catalog.names() if catalog.get(n).takes_schedule]  # a float η that scales every step
    c1, c2, c3 = st.columns(3)
    with c1:
        name = controls.choice("lab.schedules.optimizer", "Optimizer", schedulable, "sgd",
                               format_func=titles.optimizer)
    with c2:
        names = [s for s in schedules.names() if s != "constant"]
        sched = controls.choice("lab.schedules.schedule", "Schedule", names, "warmup_cosine",
                                format_func=lambda s: schedules.get(s).title)
    with c3:
        eta = controls.scalar("lab.schedules.eta", "Peak learning rate η", 0.5, 1e-4, 10.0, log=True)
    spec = schedules.get(sched)
    st.latex(spec.latex)
    params = controls.hyperparameters(f"lab.schedules.{sched}", spec.hyperparams, context=spec.title)
    hp = {"learning_rate": float(eta), **other_hyperparams("lab.schedules", name, skip=("learning_rate",))}
    try:
        with st.spinner("Running with and without the schedule…", show_time=True):
            scheduled = runs.trajectory(key, name, start, int(steps), frozen(hp), sched, frozen(params))
            constant = runs.trajectory(key, name, start, int(steps), frozen(hp), "constant", ())
    except Exception as err:  # noqa: BLE001
        scaffold.engine_failed(titles.optimizer(name), err)
        return
    t = np.arange(len(scheduled.loss))
    st.plotly_chart(charts.schedule_figure(t, scheduled.learning_rate, float(eta), scheduled.loss, constant.loss, f_star,
                                       spec.title), key="lab.chart.schedule")
    st.markdown(f"**{spec.title}**: {outcomes.ENGINE_WORDS[scheduled.status]}, final f = {scheduled.loss[-1]:.4g}. "
                f"**Constant η**: {outcomes.ENGINE_WORDS[constant.status]}, final f = {constant.loss[-1]:.4g}.")
    if spec.reference:
        st.caption(spec.reference)


VIEWS = {"curve": curve_section, "phase": phase_section, "search": search_section, "basins": basins_section,
         "fair": fair_section, "schedules": schedules_section}

VIEWS[section]()

controls.finish(PAGE)
controls.remember_widget_state(PAGE, controls.values(PAGE))
frame.show_notices()
