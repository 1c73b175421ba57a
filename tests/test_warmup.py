"""`components.warmup`: the server-start warm-up compiles exactly what the Compare page's default view runs, so that
page's first run compiles nothing; `niced` runs work below the server's priority and hands back its result.

The page is the real ``app.py`` under AppTest in this process; compiles are counted with ``jax.monitoring``.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import landscapes
from components import cache, first_view, scrub, warmup
from landscapes import analysis
from optimizers import presets

from counting import CompileCounter  # tests/counting.py

from optimizers import engine as R
from components import runs
from components import surfaces
from optimizers import programs
APP = str(Path(__file__).resolve().parent.parent / "app.py")


def player_args(at: AppTest) -> dict:
    (component,) = at.get("component_instance")
    return json.loads(component.proto.json_args)


def default_runs_ready() -> list[bool]:
    params = {p.name: p.default for p in landscapes.parameters(first_view.SURFACE)}
    key = surfaces.surface_key(first_view.SURFACE, params)
    surface = surfaces.surface(key)
    return [runs.trajectory_ready(key, name, presets.steps(surface), tuple(presets.defaults(surface, name).items()),
                                   "constant", 0.0) for name in first_view.OPTIMIZERS]


def test_the_warm_up_compiles_what_the_default_page_runs():
    # Start from nothing compiled in this process (other tests may have run the page already).
    programs.clear()
    analysis._compiled.cache_clear()
    cache.clear()
    assert default_runs_ready() == [False] * len(first_view.OPTIMIZERS)

    warmup.start().join(timeout=300)
    assert not warmup.running() and warmup.wait("done", timeout=0)
    at_ = warmup.timings()
    assert list(at_) == list(warmup.STAGES) and all(at_[a] <= at_[b] for a, b in zip(warmup.STAGES, warmup.STAGES[1:]))
    assert default_runs_ready() == [True] * len(first_view.OPTIMIZERS)

    with CompileCounter() as counted:
        at = AppTest.from_file(APP, default_timeout=120)
        at.run()
    assert not at.exception
    assert counted.compiles == 0 and counted.traces == 0  # the page's first run compiled nothing
    args = player_args(at)
    assert [p["name"] for p in args["paths"]] == list(first_view.OPTIMIZERS) and args["pending"] == ""
    # After readiness it went on to the continuous-time limits and every other built-in surface: picking one with
    # the limits on compiles nothing either, Rosenbrock (its preset's 500 steps are another step bucket) included.
    for name in ("rosenbrock", "himmelblau"):
        with CompileCounter() as counted:
            other = AppTest.from_file(APP, default_timeout=120)
            other.query_params.update({"compare.surface": name, "compare.flow": "true"})  # the flows too
            other.run()
        assert not other.exception
        assert counted.compiles == 0 and counted.traces == 0, name
        args = player_args(other)
        steps = presets.steps(landscapes.get(name))
        assert [len(p["loss"]["b64"]) for p in args["paths"]] == [len(args["paths"][0]["loss"]["b64"])] * len(
            first_view.OPTIMIZERS) and args["paths"][0]["loss"]["shape"] == [steps + 1]  # this surface's own runs
        assert args["pending"] == "" and {p["name"] for p in args["paths"] if "flow_xy" in p} == {"sgd", "momentum"}
        assert (args["scrub"] is None) == (first_view.SCRUB == "off")


def test_the_page_draws_the_surface_first_when_its_runs_need_compiling():
    """A step count no program has been compiled for: the page shows the surface with a note, computes, and reruns
    itself into the full view (AppTest follows the rerun: what is left is the full view, nothing pending)."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"compare.steps": "3000", "compare.optimizers": "sgd"})
    own = landscapes.get(first_view.SURFACE)
    engine = surfaces.engine_surface(surfaces.surface_key(own.name, dict(own.params)))
    assert not R.compiled(engine, "sgd", steps=3000)
    at.run()
    assert not at.exception
    assert R.compiled(engine, "sgd", steps=3000)
    assert "_compare.surface_first" not in at.session_state  # the rerun cleared it
    args = player_args(at)
    assert args["pending"] == "" and len(args["paths"]) == 1


def test_the_page_draws_the_paths_first_when_its_scrub_needs_compiling():
    """The scrub's program for a step bucket no one has used yet: the page is drawn with its paths (the path
    program compiled here first) and a note, then computes the scrub below the server's priority and reruns
    itself into the view with the scrub (AppTest follows the rerun)."""
    own = landscapes.get(first_view.SURFACE)
    engine = surfaces.engine_surface(surfaces.surface_key(own.name, dict(own.params)))
    R.run(engine, "momentum", steps=2000, learning_rate=0.01)  # the path is ready: only the scrub is not
    axis = ("learning_rate", [0.01] * 46)
    assert R.compiled(engine, "momentum", steps=2000)
    assert not R.grid_compiled(engine, "momentum", steps=2000, axis=axis, width=runs.grid_width(46))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"compare.steps": "2000", "compare.optimizers": "momentum", "compare.scrub": "learning_rate"})
    at.run()
    assert not at.exception
    assert R.grid_compiled(engine, "momentum", steps=2000, axis=axis, width=runs.grid_width(46))
    assert "_compare.scrub_first" not in at.session_state  # the rerun cleared it
    s = player_args(at)["scrub"]
    assert s is not None and s["name"] == "learning_rate" and s["n"] == 46  # 1 path of 2,000 steps: 46 notches
    assert not any("computing the runs" in c.value for c in at.caption)


def test_niced_returns_the_result_at_a_lower_priority():
    caller = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    seen = warmup.niced(lambda a, b: (a + b, os.getpriority(os.PRIO_PROCESS, threading.get_native_id())), 2, 3)
    assert seen[0] == 5 and seen[1] >= min(19, caller + 1)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == caller  # the caller is untouched


def test_niced_raises_the_error_in_the_caller():
    def fail():
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        warmup.niced(fail)


def test_the_ready_route_answers_503_until_the_warm_up_is_done(monkeypatch):
    """``/ready`` (components/serve.py), what nginx's supervisor and a Kubernetes readinessProbe ask: unlike
    Streamlit's ``/_stcore/health``, it fails while the warm-up runs."""
    import asyncio
    import concurrent.futures

    import streamlit.config

    # Importing serve builds its st.App, which records the main script in Streamlit's config: undone afterwards.
    monkeypatch.setattr(streamlit.config, "_main_script_path", streamlit.config._main_script_path)
    from components import serve

    done = threading.Event()
    monkeypatch.setitem(warmup._events, "done", done)
    assert not warmup.finished()

    def answer():
        # In a thread of its own: a browser test earlier in the session may leave an event loop running in this one.
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, serve.ready(None)).result()

    assert answer().status_code == 503
    done.set()
    reply = answer()
    assert warmup.finished() and reply.status_code == 200 and reply.body == b"ready\n"


def test_a_scrub_runs_in_a_wider_program_already_compiled_instead_of_compiling_its_own():
    """16 notches where only the 32-wide program of that optimizer and step bucket is compiled: the 32-wide one
    runs them at once (no compile), with each notch's run what a lone run at its η gives (momentum on the quadratic
    valley: a contraction, so rounding differences between programs do not grow over the 3,000 steps)."""
    programs.clear()  # no program of any width for this optimizer and bucket (another test here compiled one)
    own = landscapes.get(first_view.SURFACE)
    key = surfaces.surface_key(own.name, dict(own.params))
    engine = surfaces.engine_surface(key)
    call = lambda etas: (key, "momentum", (1.0, -2.0), 3000, (), None, (), 0.0, 0, "learning_rate", etas)  # noqa: E731
    wide, narrow = tuple(np.geomspace(1e-3, 0.1, 20)), tuple(np.geomspace(2e-3, 0.05, 10))
    axis = ("learning_rate", list(narrow))
    assert runs.grid_width(len(wide)) == 32 and runs.grid_width(len(narrow)) == 16 == runs.grid_width(16)
    assert not R.grid_compiled(engine, "momentum", start=(1.0, -2.0), steps=3000, axis=axis, width=16)
    assert not runs.trajectory_grid_ready(*call(narrow))  # nothing compiled for this bucket yet
    runs.trajectory_grid.__wrapped__(*call(wide))  # compiles the 32-wide program
    assert runs.trajectory_grid_ready(*call(narrow))
    with CompileCounter() as counted:
        grid = list(runs.trajectory_grid.__wrapped__(*call(narrow)))
    assert counted.compiles == 0 and counted.traces == 0
    assert not R.grid_compiled(engine, "momentum", start=(1.0, -2.0), steps=3000, axis=axis, width=16)
    assert len(grid) == len(narrow)
    for i in (0, 9):
        alone = R.run(engine, "momentum", start=(1.0, -2.0), steps=3000, learning_rate=narrow[i])
        np.testing.assert_allclose(grid[i].xy, alone.xy, rtol=1e-12, atol=1e-12)
        assert (grid[i].converged_at, grid[i].diverged_at) == (alone.converged_at, alone.diverged_at)
    assert runs.WIDEST == runs.grid_width(scrub.MAX_NOTCHES)


LAB_APP = str(Path(__file__).resolve().parent / "apps" / "lab_app.py")


@pytest.fixture(scope="module")
def lab_warmed():
    warmup.lab()


@pytest.mark.parametrize("section", ["curve", "phase", "search", "basins", "fair"])
def test_after_the_warm_ups_lab_stage_each_section_opens_without_compiling(lab_warmed, section):
    """`warmup.lab` (the stage after ``surfaces``) compiles each Lab section's sweeps as the section opens: the
    section's first run then traces and compiles nothing, and shows its chart."""
    with CompileCounter() as counted:
        at = AppTest.from_file(LAB_APP, default_timeout=300)
        at.query_params["lab.section"] = section
        at.run()
    assert not at.exception and not at.error
    assert counted.compiles == 0 and counted.traces == 0, section
    assert any(e.proto.id.endswith(f"lab.chart.{section}") for e in at.get("plotly_chart")), section
