"""What a lesson's figure shows, computed through the pages' cached engine calls (`components.runs`,
`components.surfaces`, the Lab's `components.lab.sweeps`): the `View` every answer, goal and sentence of the lesson
reads, so that all of them speak of the run on the screen.

A lesson's runs are small (one to four paths of at most 200 steps, or one small sweep), on built-in surfaces, so
they share the compiled programs of the Compare page (`landscapes.shared_family`: one runner per optimizer and
step bucket serves every built-in surface) and reading a task off a run costs nothing more.
"""

from __future__ import annotations

from typing import Any, Mapping, NamedTuple

import numpy as np

from components import runs as cached_runs, surfaces
from components.learn import lessons as L
from components.learn.lessons import Lesson, Path, Setup


class View(NamedTuple):
    """One lesson's figure: the control ``values``, its `Setup`, the surface (``key``, `Landscape`), its runs by
    path id (``paths``, in order: an optimizer's name, or lesson 8's ``+v₁`` …) and what else the lesson reads:
    ``critical`` (the surface's critical points), ``point`` (lesson 8's point), ``flow`` (lesson 13's gradient
    flow), ``check`` (lesson 11's gradient check), ``search`` and ``wins`` (lesson 12)."""

    lesson: Lesson
    values: dict
    setup: Setup
    key: tuple
    surface: Any
    paths: tuple
    runs: dict
    extra: dict


def path_id(path: Path) -> str:
    return path.label or path.optimizer


def nudges(point) -> tuple[Path, ...]:
    """Lesson 8's four runs: gradient descent from ``p ± δ vᵢ`` along each unit eigenvector of the Hessian."""
    vectors = np.asarray(point.eigenvectors, np.float64)
    out = []
    for label, (i, sign) in zip(L.NUDGES, ((0, 1.0), (0, -1.0), (1, 1.0), (1, -1.0))):
        start = np.asarray(point.xy, np.float64) + sign * L.DELTA * vectors[:, i]
        out.append(Path("sgd", (("learning_rate", L.NUDGE_ETA),), (float(start[0]), float(start[1])), label))
    return tuple(out)


def search_axes() -> tuple[tuple, tuple]:
    """Lesson 12's two axes as `components.lab.sweeps.search` takes them: ``(name, lo, hi, log)``."""
    return L.SEARCH_X, L.SEARCH_Y


def search(key: tuple, setup: Setup, budget: int, seed: int):
    """Lesson 12's grid and random search (the Lab's, cached): ``budget`` runs each."""
    from components.lab import sweeps

    x, y = search_axes()
    return sweeps.search(key, L.SEARCH_OPTIMIZER, x, y, int(budget), int(seed), setup.steps, setup.start, ())


def view(lesson: Lesson, values: Mapping[str, Any]) -> View:
    """Compute lesson ``lesson``'s figure for these control values (every call cached)."""
    values = dict(values)
    setup = lesson.setup(values)
    key = surfaces.surface_key(setup.surface, dict(setup.params))
    surface = surfaces.surface(key)
    extra: dict = {}
    paths = setup.paths
    if lesson.figure in ("nudges", "paths") or lesson.slug == L.NEWTON.slug:
        extra["critical"] = surfaces.critical_points(key)
    if lesson.figure == "nudges":
        index = min(int(values["point"]), len(extra["critical"]) - 1)
        extra["point"] = extra["critical"][index]
        paths = nudges(extra["point"])
    found = {}
    for path in paths:
        found[path_id(path)] = cached_runs.trajectory(
            key, path.optimizer, path.start or setup.start, setup.steps, path.hyperparams, setup.schedule,
            setup.schedule_params, setup.noise, setup.seed)
    if lesson.flow:
        first = found[path_id(paths[0])]
        extra["flow"] = cached_runs.flow(key, setup.start, "gradient", float(np.sum(first.learning_rate)))
    if lesson.figure == "check":
        extra["check"] = surfaces.gradient_check(key, setup.start)
    if lesson.figure == "search":
        budget, seed = int(values["budget"]), int(values["seed"])
        extra["search"] = search(key, setup, budget, seed)
        extra["wins"] = sum(L.search_winner(search(key, setup, budget, s)) == "random" for s in range(L.SEARCH_SEEDS))
    return View(lesson, values, setup, key, surface, tuple(paths), found, extra)


def ready(lesson: Lesson, values: Mapping[str, Any]) -> bool:
    """Whether the lesson's runs are compiled already (then `view` returns in milliseconds); lessons whose figure
    is not a set of runs say True."""
    if lesson.figure not in ("paths", "nudges"):
        return True
    setup = lesson.setup(dict(values))
    key = surfaces.surface_key(setup.surface, dict(setup.params))
    paths = setup.paths or nudges_placeholder()
    return all(cached_runs.trajectory_ready(key, p.optimizer, setup.steps, p.hyperparams, setup.schedule, setup.noise)
               for p in paths)


def nudges_placeholder() -> tuple[Path, ...]:
    """A path with lesson 8's program (gradient descent, its η): what `ready` asks about before the point is known."""
    return (Path("sgd", (("learning_rate", L.NUDGE_ETA),)),)
