""""Open this in Compare / Explore / Lab": a lesson's whole view as the other page's own URL parameters.

Each page keeps its view in its URL under its widget keys (`components.controls`: ``compare.surface``,
``compare.<surface>.<parameter>``, ``compare.x0``, ``compare.<optimizer>.<hyperparameter>``, …), each value in the
form `controls.encode` writes and the page's parsers read back.  A link opens in a new tab, a new session, whose
first run reads the URL: the other page then shows the lesson's surface, start, optimizers and settings.
"""

from __future__ import annotations

from urllib.parse import urlencode

from components import controls, i18n
from components.learn import lessons as L
from components.learn.compute import View, search_axes

PAGES = {"compare": "./", "explore": "explore", "lab": "lab"}
"""Each page's URL, relative to the Learn page's (`app.PAGES`).  Compare is the default page: Streamlit serves it at
the app's root only (its own path, ``compare``, opens "Page not found" over it), so its links go to ``./``, which is
the root also behind a proxy's base path."""
LAB_PHASE_SIZE = 20
"""Cells per side of the phase diagram the Lab draws behind lesson 12's searches (its own default is 40)."""


def _url(page: str, query: dict) -> str:
    query = {**{k: controls.encode(v) for k, v in query.items()}, i18n.PARAM: i18n.language()}
    return f"{PAGES[page]}?{urlencode(query)}"


def _surface(prefix: str, view: View) -> dict:
    s = view.setup
    out = {f"{prefix}.surface": s.surface}
    out.update({f"{prefix}.{s.surface}.{k}": float(v) for k, v in s.params})
    return out


def compare(view: View) -> str:
    """The Compare page with the lesson's surface, start, steps, optimizers, their settings, schedule and noise
    (and the gradient flow, where the lesson draws it)."""
    s = view.setup
    paths = view.paths
    query = {**_surface("compare", view), "compare.x0": float(s.start[0]), "compare.y0": float(s.start[1]),
             "compare.steps": int(s.steps), "compare.optimizers": [p.optimizer for p in paths]}
    for p in paths:
        query.update({f"compare.{p.optimizer}.{k}": v for k, v in p.hyperparams})
    if s.schedule != "constant":
        query["compare.schedule"] = s.schedule
    if s.noise:
        query.update({"compare.noise": float(s.noise), "compare.seed": int(s.seed)})
    if view.lesson.flow:
        query["compare.flow"] = True
    return _url("compare", query)


def explore_point(view: View) -> tuple[float, float]:
    """The point the Explore page selects: lesson 8's critical point, the saddle point of lesson 9, the start
    elsewhere (Newton's, the gradient check's)."""
    if "point" in view.extra:
        xy = view.extra["point"].xy
    elif view.lesson.slug == L.SADDLE.slug:
        xy = (0.0, 0.0)
    else:
        xy = view.setup.start
    return float(xy[0]), float(xy[1])


def explore(view: View) -> str:
    """The Explore page on the lesson's surface with its point selected (and lesson 9's η, noise and steps for
    the saddle-escape section)."""
    x, y = explore_point(view)
    query = {**_surface("explore", view), "explore.x": x, "explore.y": y}
    if view.lesson.slug == L.SADDLE.slug:
        query["explore.steps"] = int(view.setup.steps)
        if view.setup.noise:
            query["explore.noise"] = float(view.setup.noise)
    return _url("explore", query)


def lab(view: View) -> str | None:
    """The Lab's section for the lesson: random vs grid search with the same axes, budget and seed (lesson 12), or
    the schedule with its optimizer and peak η (lesson 7, when a schedule is chosen; the Lab has no "constant")."""
    s = view.setup
    query = {**_surface("lab", view), "lab.x0": float(s.start[0]), "lab.y0": float(s.start[1]),
             "lab.steps": int(s.steps)}
    if view.lesson.slug == L.SEARCH.slug:
        (xn, xlo, xhi, _), (yn, ylo, yhi, _) = search_axes()
        query.update({"lab.section": "search", "lab.phase.optimizer": L.SEARCH_OPTIMIZER, "lab.phase.x": xn,
                      "lab.phase.y": yn, f"lab.phase.{xn}.lo": xlo, f"lab.phase.{xn}.hi": xhi,
                      f"lab.phase.{yn}.lo": ylo, f"lab.phase.{yn}.hi": yhi,
                      "lab.search.budget": view.values["budget"], "lab.search.seed": int(view.values["seed"]),
                      # the Lab draws its phase diagram behind the searches: a coarse one opens in a few seconds
                      "lab.phase.size": LAB_PHASE_SIZE})
        return _url("lab", query)
    if view.lesson.slug == L.SCHEDULE.slug and s.schedule != "constant":
        (path,) = view.paths
        query.update({"lab.section": "schedules", "lab.schedules.optimizer": path.optimizer,
                      "lab.schedules.schedule": s.schedule, "lab.schedules.eta": dict(path.hyperparams)["learning_rate"]})
        return _url("lab", query)
    return None


def links(view: View) -> dict[str, str]:
    """``{page: url}`` for the pages the lesson opens in."""
    out = {}
    for page in view.lesson.links:
        url = {"compare": compare, "explore": explore, "lab": lab}[page](view)
        if url:
            out[page] = url
    return out

