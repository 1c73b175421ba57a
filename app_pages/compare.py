"""Compare optimizers: one surface, one start, up to eight update rules animated side by side or overlaid.

The sidebar holds every control (built from the registries; each widget key is also its URL parameter, so a copied
link reproduces the view).  The main area shows the player (surface, critical points, paths; a click on the
surface picks the start), each run's outcome in words, four diagnostics per step, the update rules that ran, an
optional 3-D view, and the exports.  All computation is in the engine, reached through `components.surfaces`
and `components.runs`.
"""

import functools
from collections.abc import Callable

import numpy as np
import streamlit as st

from components import builder_controls, callbacks, claim_words, controls, export, figures, first_view, i18n, memory
from components import runs, scaffold, scrub, surfaces, titles, warmup
from components.i18n import N_, t
from components.learn import lessons
from optimizers import base
from components.outcomes import outcome as describe_outcome
from components.player import encode_array, player
from landscapes.source import python_code
from optimizers import builder, catalog, claims, codegen, flow, presets, schedules, tune
from optimizers.catalog._common import CONVERGENCE_PROBLEMS, CONVERGENCE_TOLERANCE

PAGE = "compare"
PLAYER = "compare.player"
DEFAULT_SURFACE = first_view.SURFACE
DEFAULT_OPTIMIZERS = first_view.OPTIMIZERS
DEFAULT_EXPRESSION = first_view.EXPRESSION
MAX_OPTIMIZERS = 8
MAX_STEPS = 2000  # well under optimizers.engine.MAX_STEPS: the player animates every step of every path
CHART_POINTS = 1000  # the diagnostics charts plot at most this many steps per line (every k-th beyond)
LAYOUTS = {"overlay": N_("All overlaid"), "side_by_side": N_("Side by side")}
SCRUB_OFF = "off"
SCRUB_DEFAULT = first_view.SCRUB  # off where no optimizer shown has it
SCRUB_LABELS = {"learning_rate": "η", "momentum": "μ", "b1": "β₁", "b2": "β₂", "eps": "ε", "decay": "ρ",
                "weight_decay": "λ", scrub.NOISE: "σ"}
NOISE_RANGE = (0.0, 100.0)  # the noise slider's bounds (also the noise scrub's notches)

frame = scaffold.Frame(PAGE)
memory.release_with_run(globals())  # this run's results go when it ends (components.memory)


def narrow(latex: str) -> str:
    """The same formula for the narrow sidebar: small type, one statement per line."""
    if latex.startswith(r"\begin{aligned}"):
        latex = latex.replace(r",\quad ", r", \\ ")
    return r"\small " + latex


def defaults_text(spec) -> str:
    return t(", ").join(f"{h.name} = {controls.fmt(h.default)}" for h in spec.hyperparams if h.kind == "float") or t(
        "none")


def measured_text(surface_name: str, spec, measured: str) -> str:
    """A recorded miss (`OptimizerSpec.misses`) with the conditions it was measured under: the convergence test's
    problem, which may differ from the surface on the page in its parameters (the valley's κ)."""
    params = t(", ").join(f"{p} = {controls.fmt(v)}" for p, v in CONVERGENCE_PROBLEMS[surface_name])
    values = {"defaults": defaults_text(spec), "tolerance": controls.fmt(CONVERGENCE_TOLERANCE),
              "measured": t(measured)}
    if params:
        return t("Measured in the convergence test on this surface with {params}, from its start, with the documented "
                 "defaults ({defaults}), the goal being to end within {tolerance} of the minimum: {measured}",
                 params=params, **values)
    return t("Measured in the convergence test on this surface, from its start, with the documented defaults "
             "({defaults}), the goal being to end within {tolerance} of the minimum: {measured}", **values)


def tuning_report(key, start, steps, schedule, noise) -> str | None:
    """What the last "Tune η" did, while the surface, start and budget it was tuned for are still the ones shown."""
    tuned = st.session_state.get("_compare.tuned")
    if not tuned or tuned["for"] != (key, start, steps, schedule, noise):
        return None
    lines = []
    for name, before, after, why in tuned["rows"]:
        title = titles.optimizer(name)
        if why == "no_rate":
            lines.append(t("- {name}: not tuned, it has no learning rate.", name=title))
        elif why == "all_diverged":
            lines.append(t("- {name}: not tuned, every learning rate on its slider diverged.", name=title))
        elif after is None:
            lines.append(t("- {name}: not tuned, the runs failed ({error}).", name=title, error=why))
        elif before is not None and before != after:
            lines.append(t("- {name}: η = {value} (was {before})", name=title, value=controls.fmt(after),
                           before=controls.fmt(before)))
        else:
            lines.append(t("- {name}: η = {value}", name=title, value=controls.fmt(after)))
    return (t("**Tuned η** on this surface: for each optimizer, every learning rate on its slider ran {steps} steps "
              "from this start and {starts} jittered starts (σ = {spread} of the box), the other settings (schedule, "
              "noise) as they were; the η with the lowest mean final loss among those that never diverged was kept. "
              "The same budget for every optimizer, so the comparison is fair.", steps=steps,
              starts=tune.JITTER_STARTS, spread=f"{tune.JITTER_SPREAD:.0%}")
            + "\n\n" + "\n".join(lines))


def apply_released_scrub(selected) -> None:
    """A scrub released in the player sets the sliders it moved (before they are drawn, so they may be set)."""
    done = scrub.released(st.session_state.get(PLAYER), st.session_state.get("_compare.scrub_n", 0))
    if done is None:
        return
    n, name, values = done
    st.session_state["_compare.scrub_n"] = n
    if name == scrub.NOISE:
        if values:
            st.session_state["compare.noise"] = float(next(iter(values.values())))
        return
    for optimizer, value in values.items():
        if optimizer in selected:
            st.session_state[f"compare.{optimizer}.{name}"] = value


def scrub_view(key: tuple, name: str, trajectories: dict, hyperparams: dict, start, steps, schedule, schedule_params,
               noise, seed, retried: bool = False) -> tuple[dict | None, str, Callable | None]:
    """The live scrub's data for the player, a sentence for the page (what it moves, its bound), and, when its
    programs still need compiling (a fresh server, a new optimizer or step count), no data yet but the work to do
    once the rest of the page is drawn (the page then reruns).  ``retried``: that work was just done, compute now
    whatever it is (at most once in a row, so a scrub that cannot be made ready never loops)."""
    label = SCRUB_LABELS.get(name, name)
    if name == scrub.NOISE:
        owners = list(trajectories)
        options = {n: controls.slider_options(*NOISE_RANGE, 0.0, log=True) for n in owners}
        current = {n: noise for n in owners}
    else:
        owners = [n for n in trajectories
                  if any(h.name == name and h.kind == "float" for h in catalog.get(n).hyperparams)]
        shown = {n: next(h for h in runs.preset_hyperparams(key, n) if h.name == name) for n in owners}
        options = {n: controls.slider_options(h.min, h.max, h.default, h.log) for n, h in shown.items()}
        current = {n: float(hyperparams[n][name]) for n in owners}
    if not owners:
        return None, t("No optimizer shown has {label}: the scrub has nothing to move.", label=label), None
    count = scrub.notch_count(len(owners), steps)
    if count == 0:
        return None, t("The live scrub is off for {paths} paths of {steps} steps: even {notches} notches would "
                       "exceed its {bound} MB bound. Fewer steps or optimizers bring it back.", paths=len(owners),
                       steps=steps, notches=scrub.MIN_NOTCHES, bound=f"{scrub.PAYLOAD_BYTES / 1e6:.0f}"), None
    s = scrub.build(name, label, options, current, count)
    calls = {n: (key, n, start, steps, tuple((k, v) for k, v in hyperparams[n].items() if k != name), schedule,
                 tuple(schedule_params.items()), noise, seed, name, tuple(float(v) for v in s.values[n]))
             for n in owners}
    waiting = [n for n, call in calls.items() if not runs.trajectory_grid_ready(*call)]
    if waiting and not retried:
        def compute():
            for n in waiting:
                try:
                    runs.trajectory_grid(*calls[n])
                except Exception:  # reported by the rerun that follows
                    pass

        return None, t("**Live scrub** of {label}: computing the runs of {names} (once per server); its slider "
                       "appears under Play in a few seconds.", label=label,
                       names=claim_words.listing([titles.optimizer(n) for n in waiting])), compute
    runs_by_notch = {}
    for n in owners:
        try:
            runs_by_notch[n] = runs.trajectory_grid(*calls[n])
        except Exception as err:  # the engine refused a notch's configuration: no scrub for this optimizer
            scaffold.engine_failed(t("The live scrub of {name}", name=titles.optimizer(n)), err)
    if not runs_by_notch:
        return None, t("The live scrub has nothing to show: the engine refused every optimizer's notches "
                       "(above)."), None
    payload = scrub.payload(s, runs_by_notch, encode_array)
    size = scrub.payload_bytes(payload)
    megabytes = {"size": f"{size / 1e6:.2f}", "bound": f"{scrub.PAYLOAD_BYTES / 1e6:.0f}"}
    if name == scrub.NOISE:
        return payload, t("**Live scrub** (the slider under Play): drag it to see the paths for {count} values of the "
                          "noise σ of every path, computed at once; nothing is sent to the server until you let go, "
                          "which sets the sidebar. The charts below show the released values. Data: {size} MB (bound "
                          "{bound} MB; long runs get fewer notches).", count=count, **megabytes), None
    return payload, t("**Live scrub** (the slider under Play): drag it to see the paths for {count} values of {label} "
                      "of {names}, each along its own slider, computed at once; nothing is sent to the server until "
                      "you let go, which sets the sidebar. The charts below show the released values. Data: {size} "
                      "MB (bound {bound} MB; long runs get fewer notches).", count=count, label=label,
                      names=claim_words.listing([titles.optimizer(n) for n in runs_by_notch]), **megabytes), None


# ------------------------------------------------------------------------------------------------ sidebar
with st.sidebar:
    choice = scaffold.surface_picker(PAGE, DEFAULT_SURFACE, DEFAULT_EXPRESSION,
                                     box_help=t("The surface is drawn and searched on [−w, w] × [−w, w]."),
                                     caret=True)
    surface_name, key, surface, box = choice.name, choice.key, choice.surface, choice.box

    st.header(t("Start"))
    (xlo, xhi), (ylo, yhi) = box
    default_start = surface.start if surface is not None else (0.8 * xlo, 0.8 * yhi)
    known = set(catalog.names())
    # A new surface opens with its own start, step count and optimizer settings (its preset).
    start = scaffold.start_point(
        PAGE, box, default_start, choice.identity, help=t("Or click on the surface."),
        forget=lambda: [k for k in st.session_state
                        if k == "compare.steps" or (k.startswith("compare.") and (k.split(".")[1] in known
                                                                                  or builder.is_chain(k.split(".")[1])))],
        click=controls.take_click(PLAYER, "_compare.click_n"))

    st.header(t("Optimizers"))
    apply_released_scrub(st.session_state.get("compare.optimizers") or DEFAULT_OPTIMIZERS)
    preset_steps = presets.steps(surface) if surface is not None else 200
    steps = controls.scalar("compare.steps", t("Steps"), preset_steps, 10, MAX_STEPS, integer=True,
                            help=t("At most {steps} steps (the player animates every one).", steps=MAX_STEPS))
    selected = controls.choices(
        "compare.optimizers", t("Optimizers"), catalog.names(), DEFAULT_OPTIMIZERS, max_items=MAX_OPTIMIZERS,
        format_func=titles.optimizer,
        help=t("At most {count} at once. Each one's update rule and hyperparameters are below.",
               count=MAX_OPTIMIZERS))
    built = builder_controls.section(PAGE)  # your own, from optax blocks: runs as one more optimizer
    if built is not None:
        selected = [*selected, built]
    hyperparams, rules = {}, {}
    for name in selected:
        spec = catalog.get(name)
        with st.expander(titles.optimizer(name)):
            shown = runs.preset_hyperparams(key, name) if surface is not None else spec.hyperparams
            hyperparams[name] = controls.hyperparameters(f"compare.{name}", shown, context=titles.optimizer(name))
            switches = {h.name: hyperparams[name][h.name] for h in spec.hyperparams if h.kind != "float"}
            rules[name] = catalog.latex_for(name, **switches)
            # The rule these sliders feed, with its switches applied, and where it comes from (one element).
            notes = f"{t(spec.why_not)}\n\n" if not spec.converges else ""
            measured = spec.miss(surface.name) if surface is not None and key[0] == "builtin" else None
            if measured:
                notes += measured_text(surface.name, spec, measured) + "\n\n"
            st.markdown(f"$$\n{narrow(rules[name])}\n$$\n\n{notes}*{titles.reference(name)}*")

    st.header(t("Schedule and noise"))
    schedule = controls.choice("compare.schedule", t("Learning-rate schedule"), schedules.names(), "constant",
                               format_func=lambda n: t(schedules.get(n).title),
                               help=t("Replaces the constant η of every optimizer that takes a schedule."))
    schedule_spec = schedules.get(schedule)
    if schedule != "constant":
        st.latex(schedule_spec.latex)
    schedule_params = controls.hyperparameters(f"compare.{schedule}", schedule_spec.hyperparams,
                                               context=t(schedule_spec.title))
    noise = controls.scalar("compare.noise", t("Gradient noise σ"), 0.0, *NOISE_RANGE, log=True,
                            help=t("Each step sees ∇f + σ ξ with ξ ~ N(0, I): a stand-in for minibatch noise."))
    seed = controls.number("compare.seed", t("Noise seed"), 0, 0, 2**31 - 1, integer=True)
    if surface is not None and selected:
        st.button(t("Tune η for this surface"), key="compare.tune", on_click=callbacks.compare_tune_learning_rates,
                  args=(key, tuple(selected), start, steps, {n: dict(v) for n, v in hyperparams.items()}, schedule,
                        tuple(schedule_params.items()), noise, seed),
                  help=t("For each selected optimizer, try every learning rate on its slider from this start and "
                         "{starts} jittered starts, with the same step budget for all, and keep the one with the "
                         "lowest mean final loss among those that never diverge.", starts=tune.JITTER_STARTS))

    st.header(t("View"))
    scrubbable = scrub.choices({n: catalog.get(n).hyperparams for n in selected}) + [SCRUB_OFF]
    scrub_name = controls.choice(
        "compare.scrub", t("Live scrub"), scrubbable, SCRUB_DEFAULT if SCRUB_DEFAULT in scrubbable else SCRUB_OFF,
        format_func=lambda n: t("off") if n == SCRUB_OFF else f"{SCRUB_LABELS[n]} ({n})" if n in SCRUB_LABELS else n,
        help=t("A second slider in the player for this hyperparameter: while you drag it every path follows at "
               "once, from runs computed together (η: every optimizer's learning rate, each along its own slider); "
               "letting go sets the sidebar. Off by default: it computes and sends up to 64 runs per optimizer."))
    layout = controls.choice("compare.layout", t("Layout"), list(LAYOUTS), "overlay",
                             format_func=lambda n: t(LAYOUTS[n]), radio=True,
                             help=t("Side by side: one panel per optimizer, one shared clock."))
    show_flow = controls.toggle("compare.flow", t("Continuous-time limit"), False,
                                help=t("Dashed: the gradient flow ẋ = −∇f(x) that gradient descent discretises "
                                       "(iterate k ≈ x(kη)), and the heavy-ball ODE behind momentum."))

def show_surface_first(slot) -> None:
    """When the paths need compiling (a fresh server, a new optimizer, surface or step count), draw the surface at
    once with a progress note, compute every run, and rerun: the full page then comes from the caches, and the
    player, same key and place, only receives its paths.  At most once in a row, so a run that cannot be made
    ready (an optimizer that fails to compile) never loops."""
    if st.session_state.pop("_compare.surface_first", False):
        return
    waiting = [n for n in selected
               if not runs.trajectory_ready(key, n, steps, tuple(hyperparams[n].items()), schedule, noise)]
    if not waiting:
        return
    st.session_state["_compare.surface_first"] = True
    names = claim_words.listing([titles.optimizer(n) for n in waiting])
    with slot:
        player(grid, [], layout=layout, start=start, key=PLAYER, title=t(surface.title), blank=blank,
               height=560 if layout == "overlay" else 420,
               pending=t("Compiling and running {names} (once per server; later moves take milliseconds)…",
                         names=names))
    warmup.wait()

    def compute():
        for name in waiting:
            try:
                runs.trajectory(key, name, start, steps, tuple(hyperparams[name].items()), schedule,
                                 tuple(schedule_params.items()), noise, seed)
            except Exception:  # reported by the full run that follows
                pass

    warmup.niced(compute)  # below the server's priority: the page being drawn keeps its turn on the cores
    st.rerun()


# ------------------------------------------------------------------------------------------------ main area
st.title(t("Compare optimizers"))
st.page_link("app_pages/learn.py", icon=":material/school:", label=t("New here? Begin with lesson 1: the ravine"),
             query_params={"learn.lesson": lessons.slugs()[0], i18n.PARAM: i18n.language()})
if surface is None:
    st.info(t("Fix the expression in the sidebar to see the optimizers run."))
    controls.finish(PAGE)
    frame.show_notices()
    st.stop()

st.latex(surface.latex)
description_slot = st.empty()  # the description, and what these runs show (measured once they exist, below)
report = tuning_report(key, start, steps, schedule, noise)
if report:
    st.info(report, icon=":material/tune:")

warmup.wait("grid")  # a server warming up computes the grid first; compiling it twice would only slow both
grid = surfaces.grid(key)
lost = surfaces.range_mask(key)
blank = lost.any if lost.any.any() else None
player_slot = st.empty()
show_surface_first(player_slot)
critical = surfaces.critical_points(key)
markers = [(p.xy[0], p.xy[1], p.kind, t("{kind}, f = {value}", kind=titles.kind(p.kind), value=f"{p.value:.4g}"))
           for p in critical]
minima = [p.xy for p in critical if p.kind == "minimum"] + [m.xy for m in surface.minima]
global_minima = [m.xy for m in surface.minima if m.kind == "global"] or [
    p.xy for p in critical if p.kind == "minimum" and p.value <= min(q.value for q in critical) + 1e-9]
diagonal = float(np.hypot(xhi - xlo, yhi - ylo))

trajectories, outcomes, paths = {}, {}, []
colours = figures.optimizer_colours(selected)
for name in selected:
    try:
        trajectories[name] = runs.trajectory(key, name, start, steps, tuple(hyperparams[name].items()), schedule,
                                      tuple(schedule_params.items()), noise, seed)
    except Exception as err:  # the engine refused this configuration: say which and why, keep the page
        scaffold.engine_failed(titles.optimizer(name), err)
# The start and every run's end, classified in one evaluation.
ends = [(float(traj.xy[-1, 0]), float(traj.xy[-1, 1])) for traj in trajectories.values()]
start_info, *ends = surfaces.classify_points(key, ((float(start[0]), float(start[1])), *ends))
start_curvature = start_info.eigenvalues
for name, end in zip(list(trajectories), ends):
    traj = trajectories[name]
    scheduled = base.schedule_applies(catalog.get(name), schedule)
    outcomes[name] = describe_outcome(
        traj, end_kind=end.kind, critical=[(p.xy, p.kind) for p in critical], global_minima=global_minima,
        box_diagonal=diagonal, name=name, hyperparams=hyperparams[name], start_eigenvalues=start_curvature,
        scheduled=scheduled)
    path = {"name": name, "label": titles.optimizer(name), "color": colours[name],
            "xy": traj.xy, "loss": traj.loss, "grad_norm": traj.grad_norm, "learning_rate": traj.learning_rate,
            "status": outcomes[name].status, "diverged_at": traj.diverged_at,
            # A run out of float64's range "converged" only on numbers that lost their digits: not said at any step.
            "converged_at": -1 if outcomes[name].status == "out_of_range" else traj.converged_at}
    if show_flow and name == "sgd":
        path["flow_xy"] = runs.flow(key, start, "gradient", float(np.sum(traj.learning_rate)))
    elif show_flow and name == "momentum" and not scheduled:
        eta, mu = hyperparams[name]["learning_rate"], hyperparams[name]["momentum"]
        step_time, friction = flow.momentum_time_and_friction(eta, mu)
        path["flow_xy"] = runs.flow(key, start, "heavy_ball", steps * step_time, friction)
    paths.append(path)

if not selected:
    st.info(t("Pick at least one optimizer in the sidebar."))
scrub_payload, scrub_note, scrub_later = None, "", None
scrub_retried = st.session_state.pop("_compare.scrub_first", False)
if scrub_name != SCRUB_OFF and trajectories:
    scrub_payload, scrub_note, scrub_later = scrub_view(key, scrub_name, trajectories, hyperparams, start, steps,
                                                        schedule, schedule_params, noise, seed, scrub_retried)
with player_slot:
    player(grid, paths, layout=layout, markers=markers, start=start, key=PLAYER, title=t(surface.title),
           height=560 if layout == "overlay" else 420, scrub=scrub_payload, blank=blank)
range_note = scaffold.range_note(lost)
if range_note:
    st.caption(range_note)
if scrub_note:
    st.caption(scrub_note)
elif scrub_name == SCRUB_OFF and trajectories:
    st.caption(t("Tip: **Live scrub** (sidebar, View) adds a slider to the player that moves η, or another "
                 "hyperparameter, and redraws every path while you drag."))
if show_flow:
    st.caption(t("Dashed: gradient descent's continuous limit, the gradient flow ẋ = −∇f(x) up to t = Σₖ ηₖ "
                 "(drawn with GD), and momentum's heavy-ball ODE ẍ + aẋ + ∇f = 0, a = (1 − μ)/√η, up to "
                 "t = steps·√η (drawn with momentum, constant η only).")
               if {"sgd", "momentum"} & set(trajectories) else
               t("The continuous-time limits belong to gradient descent and momentum: select one of them."))

if surface.description or surface.preset.claims:
    facts = claim_words.shown(surface.preset.claims, claims.scene(trajectories, surface, critical), titles.optimizer)
    description_slot.caption(t(surface.description) + ("\n\n" + t("**What these runs show:**") + "\n" + "".join(
        f"\n- {fact}" for fact in facts) if facts else ""))

# Outcomes, in words (one element: every element is one more message per rerun).
colour = {"converged": "green", "diverged": "red", "stalled": "orange", "moving": "blue", "out_of_range": "gray"}
sentences = []
for name, result in outcomes.items():
    why = ("" if catalog.get(name).converges or result.status == "converged"
           else " " + t("This rule is not expected to settle with a constant η (see its notes in the sidebar)."))
    sentences.append(f"**{titles.optimizer(name)}**: :{colour[result.status]}[{result.text}]{why}")
if sentences:
    st.markdown("  \n".join(sentences))

# Diagnostics per step, one line per optimizer.
if trajectories:
    tables = {name: export.table(traj, minima) for name, traj in trajectories.items()}
    stride = max(1, int(np.ceil((steps + 1) / CHART_POINTS)))
    reference = min((m.value for m in surface.minima), default=None)
    losses, loss_note = export.log_axis_losses([table["loss"] for table in tables.values()], reference)

    def lines(column_values):
        return [{"x": tables[n]["step"][::stride].astype(np.int32), "y": np.asarray(v[::stride], np.float32),
                 "label": titles.optimizer(n), "color": colours[n]}
                for n, v in column_values]

    # Lazy tabs: only the open tab is built and sent.  The first one holds no chart, so that a slider move
    # redraws the player without also re-rendering a Plotly figure on the browser's main thread.
    rules_tab, loss_tab, distance_tab, grad_tab, ratio_tab = st.tabs(
        [t("Update rules"), t("Loss"), t("Distance to a minimum"), t("Gradient norm"), t("Update / parameter ratio")],
        key="compare.charts", on_change="rerun")
    if rules_tab.open:
        shown = [(titles.optimizer(name), rules[name]) for name in trajectories]
        if schedule != "constant":
            shown.append((t("Schedule: {title} (for every optimizer that takes one)", title=t(schedule_spec.title)),
                          schedule_spec.latex))
        rules_tab.markdown("\n\n".join(f"**{title}**\n\n$$\n{latex}\n$$" for title, latex in shown))
    if loss_tab.open:
        with loss_tab:
            st.plotly_chart(figures.line_figure(lines(zip(tables, losses)), ytitle="f(x)", log_y=True,
                                                title=t("Loss per step")), key="compare.chart.loss")
            if loss_note:
                st.caption(loss_note)
    if distance_tab.open:
        with distance_tab:
            if minima:
                distances = lines((n, table["distance_to_minimum"]) for n, table in tables.items())
                st.plotly_chart(figures.line_figure(distances,
                                                    ytitle=t("distance"), log_y=True,
                                                    title=t("Distance to the nearest known minimum")),
                                key="compare.chart.distance")
            else:
                st.info(t("No minimum is known on this surface, so there is no distance to plot."))
    if grad_tab.open:
        with grad_tab:
            st.plotly_chart(figures.line_figure(lines((n, table["grad_norm"]) for n, table in tables.items()),
                                                ytitle="‖∇f(x)‖", log_y=True, title=t("Gradient norm")),
                            key="compare.chart.grad")
    if ratio_tab.open:
        with ratio_tab:
            st.plotly_chart(figures.line_figure(lines((n, table["update_ratio"]) for n, table in tables.items()),
                                                ytitle="‖Δx‖ / ‖x‖", log_y=True,
                                                title=t("Update-to-parameter ratio ‖Δx‖ / ‖x‖ per step")),
                            key="compare.chart.ratio")
            st.caption(t("cs231n's 'babysitting' signal: the relative size of each step (about 1e-3 is healthy "
                         "for a network's weights; on a 2-D surface it also depends on where the origin is)."))

view3d = st.expander(t("3-D view"), key="compare.view3d", on_change="rerun")
if view3d.open and trajectories:
    coarse = surfaces.grid(key, None, 81)
    with view3d:
        st.plotly_chart(figures.surface3d_figure(coarse.x, coarse.y, coarse.z, paths=paths),
                        key="compare.chart.3d")

# Exports (the data is generated only when a button is pressed; the code only while its expander is open).
if trajectories:
    config = controls.values(PAGE)
    results = {n: o.text for n, o in outcomes.items()}
    row = st.container(horizontal=True)
    # The data as partials, not lambdas: the button keeps its callable with the session, and a lambda would keep
    # this run's whole namespace (the paths, the grid, the scrub's runs: components.callbacks says why).
    row.download_button(t("Trajectories (CSV)"), functools.partial(export.to_csv, tables), file_name="trajectories.csv",
                       mime="text/csv", on_click="ignore", key="compare.download.csv")
    row.download_button(t("Trajectories (JSON)"), functools.partial(export.to_json, tables, config, results),
                       file_name="trajectories.json", mime="application/json", on_click="ignore",
                       key="compare.download.json")
    code_box = st.expander(t("Copy as optax code"), key="compare.code", on_change="rerun")
    if code_box.open:
        with code_box:
            chosen = controls.choice("compare.export", t("Optimizer"), list(trajectories), next(iter(trajectories)),
                                     format_func=titles.optimizer)
            st.code(codegen.optax_code(chosen, hyperparams[chosen], schedule=schedule,
                                      schedule_params=schedule_params, steps=steps, start=start, noise=noise,
                                      seed=seed, surface=(surface.title, python_code(surface))), language="python")

controls.finish(PAGE)
frame.show_notices()

if scrub_later is not None:  # the page is drawn with its paths; now the scrub's runs, then the page again with it
    st.session_state["_compare.scrub_first"] = True
    warmup.wait("scrub")  # a server warming up compiles the default view's scrub: compiling it twice only slows both
    warmup.niced(scrub_later)
    st.rerun()
