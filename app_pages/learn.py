"""Learn: guided lessons that follow the course notes, each with a live figure, a prediction and a task.

The sidebar lists the lessons with the learner's progress (kept for the session and in the URL: ``learn.lesson``,
``learn.done``).  A lesson reads top to bottom: a few paragraphs, the update rule that runs, its one or two controls
(``learn.<lesson>.<control>``, also in the URL), the figure, a question to answer before the runs are shown, then
the reveal (computed from the run on the screen), the task (checked on that run) and links that open the same view
in Compare, Explore or the Lab.  The lessons are data (`components.learn.lessons`); what they say about a run is
composed in `components.learn.words` from the run itself.
"""

import streamlit as st

from components import callbacks, controls, figures, memory, outcomes, scaffold, surfaces, titles
from components.i18n import t
from components.learn import compute, figures as charts, lessons as L, links, words
from components.player import player
from optimizers import catalog, schedules

PAGE = "learn"
CLICKS = "_learn.click_n"

controls.restore_widget_state(PAGE)  # a lesson's controls keep their values while another lesson is open
frame = scaffold.Frame(PAGE)
memory.release_with_run(globals())  # this run's results go when it ends (components.memory)


def parse_done(raw: str) -> tuple[list[str], str | None]:
    wanted = [s.strip() for s in raw.split(",") if s.strip()]
    known = [s for s in L.slugs() if s in wanted]
    unknown = [s for s in wanted if s not in L.LESSONS]
    return known, (t("Lessons done: ignored unknown lessons in the link.") if unknown else None)


def lesson_label(slug: str) -> str:
    mark = "✓ " if slug in done else ""
    return f"{mark}{L.number(slug)}. {t(L.get(slug).title)}"


def control(lesson: L.Lesson, c: L.Control, view_points=None):
    """The widget of one lesson control (URL key ``learn.<lesson>.<name>``)."""
    key, label = f"learn.{lesson.slug}.{c.name}", t(c.label)
    help_text = t(c.help) if c.help else None
    if c.kind == "bool":
        return controls.toggle(key, label, c.default, help=help_text)
    if c.kind == "int":
        return controls.scalar(key, label, c.default, c.lo, c.hi, integer=True, help=help_text)
    if c.kind == "number":
        return controls.number(key, label, c.default, c.lo, c.hi, step=0.1, format="%.3f", help=help_text)
    if c.kind == "choice":
        if c.name == "schedule":
            shown = lambda n: t(schedules.get(n).title)  # noqa: E731
        elif c.name == "point":
            shown = lambda i: words.point(view_points[int(i)].xy)  # noqa: E731
        else:
            shown = str
        return controls.choice(key, label, list(c.options), c.default, format_func=shown, help=help_text)
    return controls.scalar(key, label, c.default, c.lo, c.hi, log=c.log, help=help_text)


def lesson_controls(lesson: L.Lesson) -> dict:
    """Every control of the lesson, side by side (stacked on a phone); lesson 10's start also follows a click on
    the surface."""
    click = controls.take_click(player_key, CLICKS)  # read on every lesson, so an old click never moves a start
    if click is not None and lesson.slug == L.NEWTON.slug:
        st.session_state[f"learn.{lesson.slug}.x0"], st.session_state[f"learn.{lesson.slug}.y0"] = (
            round(click[0], 3), round(click[1], 3))
    points = None
    if lesson.figure == "nudges":
        points = surfaces.critical_points(surfaces.surface_key(lesson.setup(lesson.defaults()).surface))
    values = {}
    for c, column in zip(lesson.controls, st.columns(len(lesson.controls))):
        with column:
            values[c.name] = control(lesson, c, points)
    return values


def formulas(lesson: L.Lesson, values: dict) -> None:
    """The update rules that run (from the registry, with the lesson's switches set) and the lesson's equations."""
    shown = []
    for name, switch in lesson.formulas:
        switches = {switch: bool(values[switch])} if switch else {}
        shown.append((titles.optimizer(name), catalog.latex_for(name, **switches)))
    if lesson.slug == L.SCHEDULE.slug and values["schedule"] != "constant":
        spec = schedules.get(values["schedule"])
        shown.append((t(spec.title), spec.latex))
    shown += [(t(label), latex) for label, latex in lesson.equations]
    for title, latex in shown:
        st.markdown(f"**{title}**")
        st.latex(latex)


def player_paths(view: compute.View) -> list[dict]:
    colours = figures.optimizer_colours([p.optimizer for p in view.paths])
    out = []
    for i, path in enumerate(view.paths):
        run = view.runs[compute.path_id(path)]
        colour = figures.PALETTE[i // 2] if view.lesson.figure == "nudges" else colours[path.optimizer]
        entry = {"name": compute.path_id(path), "label": path.label or titles.optimizer(path.optimizer),
                 "color": colour, "xy": run.xy, "loss": run.loss, "grad_norm": run.grad_norm,
                 "learning_rate": run.learning_rate, "diverged_at": run.diverged_at,
                 "status": outcomes.readout_status(run.status),
                 "converged_at": run.converged_at}
        if view.lesson.flow and i == 0:
            entry["flow_xy"] = view.extra["flow"]
        out.append(entry)
    return out


def markers(view_points, start, chosen=None) -> list[tuple]:
    """The critical points with their kinds and the start; lesson 8 marks only its chosen point until the answer is
    shown (``chosen``), since the markers' shapes would give the answer away."""
    if chosen is not None:
        return [(chosen.xy[0], chosen.xy[1], "start", t("the chosen point"))]
    out = [(p.xy[0], p.xy[1], p.kind, f"{titles.kind(p.kind)}, f = {words.fmt(p.value, 4)}") for p in view_points]
    if start is not None:
        out.append((start[0], start[1], "start", titles.kind("start")))
    return out


# ------------------------------------------------------------------------------------------------ sidebar
done = controls.kept("learn.done", [], parse_done, lambda v: [s for s in L.slugs() if s in (v or [])])
asked = controls.linked(PAGE, "learn.lesson")  # a link from another page (Compare's "lesson 1") names a lesson
if asked in L.LESSONS:
    st.session_state["learn.lesson"] = asked
with st.sidebar:
    st.header(t("Lessons"))
    slug = controls.choice("learn.lesson", t("Lesson"), list(L.slugs()), L.slugs()[0], format_func=lesson_label,
                           radio=True)
    # "lessons" agrees with the total, not with n: "1 of 13 lessons done" (one message, no plural forms)
    st.caption(t("{n} of {total} lessons done", n=len(done), total=len(L.LESSONS)))
lesson = L.get(slug)
player_key = f"learn.player.{slug}"

# ------------------------------------------------------------------------------------------------ the lesson
st.title(t("Lesson {n}: {title}", n=L.number(slug), title=t(lesson.title)))
st.caption(t("Follows: {note}", note=t(lesson.note)))
st.markdown("\n\n".join(t(p) for p in lesson.paragraphs))
values = lesson_controls(lesson)
formulas(lesson, values)

setup = lesson.setup(values)
key = surfaces.surface_key(setup.surface, dict(setup.params))
surface = surfaces.surface(key)
state = st.session_state.get(callbacks.LEARN_REVEALED, {}).get(slug)
revealed = state is not None
figure_slot = st.empty()
if lesson.figure in ("paths", "nudges") and not revealed:
    # The surface at once, before any run: the learner predicts first.
    points = surfaces.critical_points(key)
    chosen = points[min(int(values["point"]), len(points) - 1)] if lesson.figure == "nudges" else None
    with figure_slot:
        player(surfaces.grid(key), [], markers=markers(points, setup.start, chosen), key=player_key, height=480,
               title=t(surface.title))
elif not revealed:
    figure_slot.info(t("The figure appears when you run."))

with st.spinner(t("Running…")):
    try:
        view = compute.view(lesson, values)
    except Exception as err:  # the engine refused this configuration: say so, keep the page
        scaffold.engine_failed(t(lesson.title), err)
        controls.finish(PAGE)
        frame.show_notices()
        st.stop()

if revealed:
    with figure_slot.container():
        if lesson.figure in ("paths", "nudges"):
            player(surfaces.grid(key), player_paths(view),
                   markers=markers(view.extra["critical"], None if lesson.figure == "nudges" else setup.start),
                   key=player_key, height=480, title=t(surface.title))
            st.caption(t("Press ▶ Play in the figure to watch the runs."))
        elif lesson.figure == "check":
            st.plotly_chart(charts.check_figure(view.extra["check"], float(values["h"])), key="learn.chart.check")
        elif lesson.figure == "search":
            st.plotly_chart(charts.search_figure(view.extra["search"], "η", "ε"), key="learn.chart.search")

# ------------------------------------------------------------------------------------------------ predict, then run
st.subheader(t("Predict, then run"))
st.markdown(words.question(view))
if revealed and callbacks.learn_guess_key(slug) not in st.session_state:
    st.session_state[callbacks.learn_guess_key(slug)] = state["guess"]
labels = {c: t(text) for c, text in lesson.choices.items()}  # translated in this run, whoever formats them later
guess = st.radio(t("Your prediction"), list(labels), index=None, key=callbacks.learn_guess_key(slug),
                 format_func=labels.__getitem__, disabled=revealed)
row = st.container(horizontal=True)
if not revealed:
    row.button(t("Run"), type="primary", disabled=guess is None, on_click=callbacks.learn_reveal, args=(slug, values),
               key=f"learn.{slug}.run", help=t("Choose an answer first: the runs are shown once you have predicted."))
    st.caption(t("Choose an answer, then press Run to see the runs."))
else:
    row.button(t("Predict again"), on_click=callbacks.learn_predict_again, args=(slug,), key=f"learn.{slug}.again")

if revealed:
    right = lesson.answer(view)
    answer = t(lesson.choices[right])
    if state["guess"] == right:
        st.success(t("Right: {answer}", answer=answer))
    else:
        st.warning(t("The run shows: {answer} (you predicted: {guess})", answer=answer,
                     guess=t(lesson.choices.get(state["guess"], state["guess"] or "")) if state["guess"] else "—"))
    if state["values"] != values:
        st.caption(t("You predicted for the settings you had then; the answer above is for the run shown now."))
    st.markdown(" ".join(words.why(view)))

    st.subheader(t("Your task"))
    st.markdown(words.task(lesson))
    goal = lesson.goal(view)
    if goal.met:
        st.success(t("Done: {status}", status=words.status(view, goal)), icon=":material/check_circle:")
        if slug not in done:
            st.session_state["learn.done"] = [s for s in L.slugs() if s in done or s == slug]
            controls.finish(PAGE)
            st.rerun()  # the sidebar's list, drawn above, shows the new mark
    else:
        st.info(t("Not yet: {status}", status=words.status(view, goal)))

# ------------------------------------------------------------------------------------------------ elsewhere
urls = links.links(view)
if urls:
    names = {"compare": t("Open this in Compare"), "explore": t("Open this in Explore"), "lab": t("Open this in the Lab")}
    row = st.container(horizontal=True)
    for page, url in urls.items():
        row.link_button(names[page], url, icon=":material/open_in_new:")
row = st.container(horizontal=True)
index = L.slugs().index(slug)
if index > 0:
    row.button(t("← Previous lesson"), on_click=callbacks.learn_go_to, args=(L.slugs()[index - 1],),
               key="learn.previous")
if index + 1 < len(L.slugs()):
    row.button(t("Next lesson →"), on_click=callbacks.learn_go_to, args=(L.slugs()[index + 1],), key="learn.next")

controls.finish(PAGE)
controls.remember_widget_state(PAGE, controls.values(PAGE))
frame.show_notices()
