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

from components import controls, figures, memory, runs, scaffold, surfaces, titles
from components.i18n import N_, t
from components.lab import compute, defaults, figures as charts, sweeps, words
from landscapes.expression import MAX_LENGTH
from optimizers import analytic, catalog, schedules

PAGE = "lab"
SECTIONS = {
    "curve": N_("Learning-rate curve"),
    "phase": N_("Phase diagram"),
    "search": N_("Random vs grid search"),
    "basins": N_("Basins of attraction"),
    "fair": N_("Fair comparison"),
    "schedules": N_("Schedules"),
}
METRICS = {"loss": N_("Final loss"), "steps": N_("Steps to converge")}

controls.restore_widget_state(PAGE)
frame = scaffold.Frame(PAGE)
memory.release_with_run(globals())  # this run's results go when it ends (components.memory)


def ordered(lo: float, hi: float, label: str, log: bool) -> tuple[float, float]:
    """A usable range from two sliders: swapped if reversed, widened if empty (with a note, never an error)."""
    if lo < hi:
        return lo, hi
    if lo > hi:
        st.info(t("{label}: the lower end was above the upper end; the two have been swapped.", label=label))
        return hi, lo
    wider = (lo, lo * 10.0) if log else (lo, lo + max(abs(lo), 1.0))
    st.info(t("{label}: the range is empty; using {lo} to {hi}.", label=label, lo=f"{wider[0]:g}", hi=f"{wider[1]:g}"))
    return wider


def other_hyperparams(prefix: str, name: str, skip=()) -> dict:
    """Widgets for ``name``'s hyperparameters not on an axis (defaults until moved), in a collapsed expander."""
    rest = [h for h in catalog.get(name).hyperparams if h.name not in skip]
    if not rest:
        return {}
    title = titles.optimizer(name)
    with st.expander(t("{name}: other hyperparameters", name=title)):
        return controls.hyperparameters(f"{prefix}.{name}", rest, context=title)


def frozen(values: dict) -> tuple:
    """A hyperparameter dict as the sorted tuple the caches hash."""
    return tuple(sorted(values.items()))


# ------------------------------------------------------------------------------------------------ sidebar
with st.sidebar:
    choice = scaffold.surface_picker(
        PAGE, defaults.SURFACE, defaults.EXPRESSION,
        expression_help=t("At most {n} characters. A quadratic gets its analytic limits drawn.", n=MAX_LENGTH),
        box_help=t("Basins and random starts cover [−w, w] × [−w, w]."))
    surface_name, key, surface = choice.name, choice.key, choice.surface

    if surface is not None:
        st.header(t("Runs"))
        start = scaffold.start_point(PAGE, surface.bounds, surface.start, choice.identity,
                                     help=t("Start of every run except the basin map's grid and the fair "
                                            "comparison's random starts."))
        steps = controls.scalar("lab.steps", t("Steps per run"), defaults.STEPS, 10, compute.MAX_STEPS, integer=True,
                                help=t("At most {n}. Sweeps keep only where each run ended, so memory does not grow "
                                       "with the steps.", n=f"{compute.MAX_STEPS:,}"))
    st.caption(t("Bounds, so that no request can exhaust the server: {limits}.", limits=words.limits()))

# ------------------------------------------------------------------------------------------------ main area
st.title(t("Lab: sweeps at scale"))
if surface is None:
    st.info(t("Fix the expression in the sidebar to run the sweeps."))
    controls.finish(PAGE)
    controls.remember_widget_state(PAGE, controls.values(PAGE))
    frame.show_notices()
    st.stop()

st.latex(surface.latex)
with st.spinner(t("Finding the critical points…"), show_time=True):
    critical = surfaces.critical_points(key)
    curvature = sweeps.quadratic_curvature(key)  # (λmin, λmax) on a quadratic, else None
f_star = compute.lowest_minimum(critical, surface.minima)
quadratic_pd = curvature is not None and curvature[0] > 0
section = controls.choice("lab.section", t("Section"), list(SECTIONS), "curve",
                          format_func=words.menu(SECTIONS, lambda s: t(SECTIONS[s])), radio=True)




def gap_caption() -> None:
    if f_star is None:
        st.caption(t("No minimum is known on this surface: losses are shown as they are."))
    else:
        st.caption(t("f* = {f_star}, the lowest known minimum; gaps below {floor} are drawn at {floor}.",
                     f_star=f"{f_star:.6g}", floor=f"{compute.GAP_FLOOR:g}"))


def curvature_note() -> None:
    if curvature is None:
        st.caption(t("This surface is not a quadratic (its Hessian varies), so no closed-form limit is drawn; try the "
                     "elongated valley, Booth, Matyas or a typed quadratic."))
    elif not quadratic_pd:
        st.caption(t("A quadratic with λmin = {lam_min} ≤ 0: no learning rate reaches a minimum.",
                     lam_min=f"{curvature[0]:.4g}"))
    else:
        st.caption(t("A quadratic: the Hessian is constant, λmin = {lam_min}, λmax = {lam_max}.",
                     lam_min=f"{curvature[0]:.4g}", lam_max=f"{curvature[1]:.4g}"))


# ------------------------------------------------------------------------------------------------ sections
def curve_section() -> None:
    st.markdown(t("Each optimizer runs once per learning rate η, all from the same start; ✕ marks the η whose run "
                  "diverged (|x| or f passed 10⁶, or a value became non-finite). Dashed: the closed-form stability "
                  "limit on a quadratic."))
    with_lr = [n for n in catalog.names() if compute.has_learning_rate(n)]
    c1, c2, c3, c4 = st.columns([3, 1, 1, 1])
    with c1:
        chosen = controls.choices("lab.curve.optimizers", t("Optimizers"), with_lr, defaults.CURVE_OPTIMIZERS,
                                  max_items=compute.MAX_CURVE_OPTIMIZERS,
                                  format_func=words.menu(with_lr, titles.optimizer),
                                  help=t("At most {n}.", n=compute.MAX_CURVE_OPTIMIZERS))
    with c2:
        lo = controls.scalar("lab.curve.lo", t("η from"), defaults.CURVE_LO, *compute.LR_RANGE, log=True)
    with c3:
        hi = controls.scalar("lab.curve.hi", t("η to"), defaults.CURVE_HI, *compute.LR_RANGE, log=True)
    with c4:
        n = controls.scalar("lab.curve.points", t("Points"), defaults.CURVE_POINTS, 10, compute.MAX_LR_POINTS,
                            integer=True,
                            help=t("At most {n} learning rates, log-spaced.", n=compute.MAX_LR_POINTS))
    lo, hi = ordered(lo, hi, t("η range"), log=True)
    fixed = {name: other_hyperparams("lab.curve", name, skip=("learning_rate",)) for name in chosen}
    curves, limits = [], []
    with st.spinner(t("Sweeping {runs} runs of {steps} steps…", runs=f"{n * len(chosen):,}", steps=f"{steps:,}"),
                    show_time=True):
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
        spacing = (hi / lo) ** (1 / max(n - 1, 1))
        lines.append("- " + words.divergence_reading(c["label"], onset, limit, spacing))
    st.markdown("\n".join(lines))
    gap_caption()
    st.caption(t("Steps to converge: the first step where ‖∇f‖ ≤ 10⁻⁶·max(1, ‖∇f(x₀)‖) and the step taken is "
                 "≤ 10⁻⁶·max(1, ‖x‖); blank where the run had not converged by its last step."))


def phase_settings() -> dict:
    """The optimizer, the two hyperparameters, their ranges and the grid: shared by the phase diagram and the
    search section, so switching between the two keeps them."""
    eligible = [n for n in catalog.names() if len(compute.float_hyperparams(n)) >= 2]
    c1, c2, c3 = st.columns(3)
    with c1:
        name = controls.choice("lab.phase.optimizer", t("Optimizer"), eligible, defaults.PHASE_OPTIMIZER,
                               format_func=words.menu(eligible, titles.optimizer),
                               help=t("Any optimizer with two or more real-valued hyperparameters."))
    floats = {h.name: h for h in compute.float_hyperparams(name)}
    with c2:
        x_name = controls.choice("lab.phase.x", t("x axis"), list(floats),
                                 defaults.PHASE_X if defaults.PHASE_X in floats else next(iter(floats)))
    y_options = [h for h in floats if h != x_name]
    with c3:
        y_name = controls.choice("lab.phase.y", t("y axis"), y_options,
                                 defaults.PHASE_Y if defaults.PHASE_Y in y_options else y_options[0])
    axes = {}
    columns = st.columns(4)
    for j, h_name in enumerate((x_name, y_name)):
        h = floats[h_name]
        lo_lim, hi_lim, log = compute.axis_limits(h)
        d_lo, d_hi = compute.default_range(h)
        with columns[2 * j]:
            lo = controls.scalar(f"lab.phase.{h_name}.lo", t("{name} from", name=h_name), d_lo, lo_lim, hi_lim,
                                 log=log)
        with columns[2 * j + 1]:
            hi = controls.scalar(f"lab.phase.{h_name}.hi", t("{name} to", name=h_name), d_hi, lo_lim, hi_lim,
                                 log=log)
        lo, hi = ordered(float(lo), float(hi), t("{name} range", name=h_name), log)
        axes[h_name] = (lo, hi, log)
    fixed = other_hyperparams("lab.phase", name, skip=(x_name, y_name))
    return dict(name=name, x=x_name, y=y_name, x_axis=axes[x_name], y_axis=axes[y_name], fixed=fixed)


def phase_grid_controls() -> tuple[int, str]:
    c1, c2 = st.columns([1, 2])
    with c1:
        size = controls.scalar("lab.phase.size", t("Cells per side"), defaults.PHASE_SIZE, 5, compute.MAX_PHASE,
                               integer=True,
                               help=t("At most {n} × {n} = {runs} runs.", n=compute.MAX_PHASE,
                                      runs=f"{compute.MAX_CONFIGS:,}"))
    with c2:
        metric = controls.choice("lab.phase.metric", t("Colour by"), list(METRICS), "loss",
                                 format_func=words.menu(METRICS, lambda m: t(METRICS[m])), radio=True)
    return int(size), metric


def compute_phase(p: dict, size: int):
    (xlo, xhi, xlog), (ylo, yhi, ylog) = p["x_axis"], p["y_axis"]
    with st.spinner(t("Sweeping {configs} configurations of {steps} steps…", configs=f"{size * size:,}",
                      steps=f"{steps:,}"), show_time=True):
        return sweeps.phase(key, p["name"], (p["x"], xlo, xhi, size, xlog), (p["y"], ylo, yhi, size, ylog),
                               int(steps), start, frozen(p["fixed"]))


def boundary_for(p: dict):
    boundary = compute.stability_boundary(p["name"], p["x"], p["y"], curvature if quadratic_pd else None)
    label = ""
    if boundary is not None:
        label = t("analytic boundary η = {expression}", expression=analytic.eta_text(p["name"]))
    return boundary, label


def phase_section() -> None:
    st.markdown(t("One run per cell, all from the same start; red cells diverged. On a quadratic, with η and μ on "
                  "the axes, the dashed line is the closed-form edge of stability of heavy-ball (or Nesterov) "
                  "momentum."))
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
    st.markdown(t("{diverged} of {total} configurations diverged; {converged} converged within {steps} steps.",
                  diverged=f"{int(div.sum()):,}", total=f"{div.size:,}",
                  converged=f"{int(((phase.converged_at >= 0) & ~div).sum()):,}", steps=f"{steps:,}"))
    if boundary is not None:
        eta = phase.x[None, :] if p["x"] == "learning_rate" else phase.y[:, None]
        mu = phase.y[:, None] if p["x"] == "learning_rate" else phase.x[None, :]
        stable = np.all([analytic.RULES[p["name"]].stable(eta, mu, lam) for lam in curvature], axis=0)
        agree = float(np.mean(stable == ~div))
        st.latex(analytic.RULES[p["name"]].latex)
        st.caption(t("The sweep agrees with this condition on {share} % of the cells. Near the edge a run grows by "
                     "only a little per step and may not pass |x| = 10⁶ within {steps} steps.",
                     share=f"{100 * agree:.1f}", steps=f"{steps:,}"))
    else:
        curvature_note()


def search_section() -> None:
    st.markdown(t("The same budget spent two ways (cs231n: *prefer random search to grid search*): a k × k grid "
                  "tries only k values of each hyperparameter, random search tries as many values as it has runs, "
                  "which matters when one hyperparameter matters more than the other (Bergstra & Bengio 2012)."))
    p = phase_settings()
    size, metric = phase_grid_controls()
    c1, c2 = st.columns(2)
    with c1:
        budget = int(controls.choice("lab.search.budget", t("Budget (runs per method)"),
                                     [str(b) for b in compute.SEARCH_BUDGETS], str(defaults.SEARCH_BUDGET),
                                     help=t("A perfect square, so that the grid is k × k.")))
    with c2:
        seed = int(controls.number("lab.search.seed", t("Random seed"), defaults.SEARCH_SEED, 0, 2**31 - 1,
                                   integer=True))
    (xlo, xhi, xlog), (ylo, yhi, ylog) = p["x_axis"], p["y_axis"]
    try:
        phase = compute_phase(p, size)
        with st.spinner(t("Running {n} searches…", n=2 * budget), show_time=True):
            s = sweeps.search(key, p["name"], (p["x"], xlo, xhi, xlog), (p["y"], ylo, yhi, ylog), budget, seed,
                                 int(steps), start, frozen(p["fixed"]))
    except Exception as err:  # noqa: BLE001
        scaffold.engine_failed(titles.optimizer(p["name"]), err)
        return
    boundary, label = boundary_for(p)
    st.plotly_chart(charts.phase_figure(phase, p["x"], p["y"], xlog, ylog, metric, f_star, boundary, label,
                                    search_result=s), key="lab.chart.search")

    def describe(loss, conv, div, i):
        return words.best_run(float(loss[i]), int(conv[i]), bool(div[i]), f_star)

    rows = {
        t("method"): [t("grid"), t("random")],
        t("distinct {name}", name=p["x"]): [len(np.unique(s.grid_x)), len(np.unique(s.random_x))],
        t("distinct {name}", name=p["y"]): [len(np.unique(s.grid_y)), len(np.unique(s.random_y))],
        t("best {name}", name=p["x"]): [float(s.grid_x[s.grid_best]), float(s.random_x[s.random_best])],
        t("best {name}", name=p["y"]): [float(s.grid_y[s.grid_best]), float(s.random_y[s.random_best])],
        t("best run"): [describe(s.grid_loss, s.grid_converged_at, s.grid_diverged, s.grid_best),
                        describe(s.random_loss, s.random_converged_at, s.random_diverged, s.random_best)],
    }
    st.dataframe(rows, hide_index=True)
    order = compute.best_index(np.array([s.grid_loss[s.grid_best], s.random_loss[s.random_best]]),
                          np.array([s.grid_converged_at[s.grid_best], s.random_converged_at[s.random_best]]),
                          np.array([s.grid_diverged[s.grid_best], s.random_diverged[s.random_best]]))
    if order == 0:
        st.caption(t("With {n} runs each, grid search found the better configuration here (ranked: not diverged, then "
                     "converged, then fewer steps or lower loss). Change the seed to see how much that depends on "
                     "luck.", n=budget))
    else:
        st.caption(t("With {n} runs each, random search found the better configuration here (ranked: not diverged, "
                     "then converged, then fewer steps or lower loss). Change the seed to see how much that depends "
                     "on luck.", n=budget))


def basins_section() -> None:
    att = sweeps.attractors(key)
    st.markdown(t("Every start of a grid over the box runs once; its colour says where the run ended: at which "
                  "minimum (within {tol} of it), stalled at a saddle or another stationary point, diverged, or still "
                  "moving when the steps ran out.", tol=f"{att.tol:.3g}"))
    c1, c2 = st.columns([3, 1])
    with c1:
        chosen = controls.choices("lab.basins.optimizers", t("Optimizers"), catalog.names(), defaults.BASIN_OPTIMIZERS,
                                  max_items=compute.MAX_BASIN_OPTIMIZERS,
                                  format_func=words.menu(catalog.names(), titles.optimizer),
                                  help=t("At most {n}, side by side.", n=compute.MAX_BASIN_OPTIMIZERS))
    with c2:
        n = int(controls.scalar("lab.basins.size", t("Starts per side"), defaults.BASIN_SIZE, 10, compute.MAX_GRID,
                                integer=True,
                                help=t("At most {n} × {n} = {starts} starts per optimizer, in one sweep.",
                                       n=compute.MAX_GRID, starts=f"{compute.MAX_GRID ** 2:,}")))
    fixed = {name: other_hyperparams("lab.basins", name) for name in chosen}
    if len(att.minima) < 2:
        st.info(t("This surface has fewer than two minima, so every run that settles lands in the same basin; "
                  "Himmelblau, Styblinski–Tang, six-hump camel or Wells show more."))
    maps = {}
    with st.spinner(t("Running {starts} starts of {steps} steps…", starts=f"{n * n * len(chosen):,}",
                      steps=f"{steps:,}"), show_time=True):
        for name in chosen:
            try:
                maps[titles.optimizer(name)] = sweeps.basins(key, name, n, int(steps), frozen(fixed[name]))
            except Exception as err:  # noqa: BLE001
                scaffold.engine_failed(titles.optimizer(name), err)
    if not maps:
        return
    st.plotly_chart(charts.basin_figure(maps, att), key="lab.chart.basins")
    st.dataframe(words.basin_table(maps, att), hide_index=True)
    st.caption(t("Shares of starts, in %. Minima are the surface's listed minima and every minimum the "
                 "critical-point atlas finds in the box; white dots mark them."))


def fair_section() -> None:
    st.markdown(t("One lucky run proves little. Here each optimizer's learning rate is tuned with the same budget "
                  "(log-spaced over its slider's range, each η scored by the median final loss over random starts), "
                  "then the chosen η runs from as many *other* random starts; the violins show those final losses."))
    with_lr = [n for n in catalog.names() if compute.has_learning_rate(n)]
    chosen = controls.choices("lab.fair.optimizers", t("Optimizers"), with_lr, defaults.FAIR_OPTIMIZERS,
                              max_items=compute.MAX_FAIR_OPTIMIZERS, format_func=words.menu(with_lr, titles.optimizer),
                              help=t("At most {n}.", n=compute.MAX_FAIR_OPTIMIZERS))
    c1, c2, c3 = st.columns(3)
    with c1:
        budget = int(controls.scalar("lab.fair.budget", t("Tuning budget (η values)"), defaults.FAIR_BUDGET, 2,
                                     compute.MAX_TUNING_BUDGET, integer=True))
    with c2:
        m = int(controls.scalar("lab.fair.starts", t("Random starts"), defaults.FAIR_STARTS, 10, compute.MAX_STARTS,
                                integer=True))
    with c3:
        seed = int(controls.number("lab.fair.seed", t("Seed"), defaults.FAIR_SEED, 0, 2**31 - 1, integer=True))
    fixed = {name: other_hyperparams("lab.fair", name, skip=("learning_rate",)) for name in chosen}
    results, colours = {}, {}
    with st.spinner(t("Tuning and evaluating {n} optimizers ({runs} runs)…", n=len(chosen),
                      runs=f"{(budget + 1) * m * len(chosen):,}"), show_time=True):
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
    with st.expander(t("Tuning curves")):
        st.plotly_chart(charts.tuning_figure(results, f_star, colours), key="lab.chart.tuning")
    ref = f_star or 0.0
    rows = {t("optimizer"): list(results), t("tuned η"): [f"{r.best_eta:.3g}" for r in results.values()],
            t("median final f − f*") if f_star is not None else t("median final f"):
                [f"{float(np.median(r.final_loss)) - ref:.3g}" for r in results.values()],
            t("converged"): [int(((r.converged_at >= 0) & ~r.diverged).sum()) for r in results.values()],
            t("diverged"): [int(r.diverged.sum()) for r in results.values()]}
    st.dataframe(rows, hide_index=True)
    gap_caption()


def schedules_section() -> None:
    st.markdown(t("A schedule replaces the constant η by η(t). Top: η(t) as the run used it; bottom: the loss per "
                  "step with the schedule and with the constant peak η, from the same start."))
    schedulable = [n for n in catalog.names() if catalog.get(n).takes_schedule]  # a float η that scales every step
    c1, c2, c3 = st.columns(3)
    with c1:
        name = controls.choice("lab.schedules.optimizer", t("Optimizer"), schedulable, "sgd",
                               format_func=words.menu(schedulable, titles.optimizer))
    with c2:
        names = [s for s in schedules.names() if s != "constant"]
        sched = controls.choice("lab.schedules.schedule", t("Schedule"), names, "warmup_cosine",
                                format_func=words.menu(names, lambda s: t(schedules.get(s).title)))
    with c3:
        eta = controls.scalar("lab.schedules.eta", t("Peak learning rate η"), 0.5, 1e-4, 10.0, log=True)
    spec = schedules.get(sched)
    schedule_title = t(spec.title)
    st.latex(spec.latex)
    params = controls.hyperparameters(f"lab.schedules.{sched}", spec.hyperparams, context=schedule_title)
    hp = {"learning_rate": float(eta), **other_hyperparams("lab.schedules", name, skip=("learning_rate",))}
    try:
        with st.spinner(t("Running with and without the schedule…"), show_time=True):
            scheduled = runs.trajectory(key, name, start, int(steps), frozen(hp), sched, frozen(params))
            constant = runs.trajectory(key, name, start, int(steps), frozen(hp), "constant", ())
    except Exception as err:  # noqa: BLE001
        scaffold.engine_failed(titles.optimizer(name), err)
        return
    step = np.arange(len(scheduled.loss))
    st.plotly_chart(charts.schedule_figure(step, scheduled.learning_rate, float(eta), scheduled.loss, constant.loss,
                                           f_star, schedule_title), key="lab.chart.schedule")
    st.markdown(words.schedule_outcome(schedule_title, scheduled.status, float(scheduled.loss[-1]), constant.status,
                                       float(constant.loss[-1])))
    if spec.reference:
        st.caption(spec.reference)


VIEWS = {"curve": curve_section, "phase": phase_section, "search": search_section, "basins": basins_section,
         "fair": fair_section, "schedules": schedules_section}

VIEWS[section]()

controls.finish(PAGE)
controls.remember_widget_state(PAGE, controls.values(PAGE))
frame.show_notices()
