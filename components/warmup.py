"""Compute the default page's programs before the first visitor asks for them.

Why: a fresh server process has compiled nothing.  The Compare page's default view needs its surface grid, its
critical points and six optimizer runs, each a program that JAX traces and XLA compiles on first use; done inside
the first visitor's page run, that is seconds of blank page.  `start` does the same work in a background thread
as soon as the server process starts (`components.serve`, what ``make run`` runs), in the order the page needs it:
the modules it imports, the grid (the player can show the surface), the six runs, the critical points.  Health
checks are not held up: the server answers from its own thread.  `finished` is what the readiness route
(``/ready``, `components.serve`) reports, so a load balancer sends visitors only to a warm process.

It calls the engine through the cached functions' own bodies (their ``__wrapped__``), so it compiles exactly
the programs the page will call -- the same surface function, optimizers, switches and step bucket -- without
filling Streamlit's caches with results no visitor asked for (only the small ones those bodies read through their
own caches: the surface, the Lab's attractors).  The page then finds every program compiled
and its calls take milliseconds.  A page that arrives while the warm-up is still going waits for the stage it needs
(`wait`) instead of compiling the same program a second time on a second core.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time

NICE = 10
"""The warm-up thread's scheduling priority (a page being served must not wait for it)."""
STAGES = ("imports", "grid", "runs", "done", "scrub", "surfaces", "lab")
"""In order; each is set once the work before it is finished (or the warm-up gave up).  ``done`` is readiness
(`finished`); the live scrub's programs come after it, then every other built-in surface's Compare view
(`surfaces_next`), then the Lab's sections (`lab`), so they never delay a server's readiness."""

_events = {stage: threading.Event() for stage in STAGES}
_lock = threading.Lock()
_thread: threading.Thread | None = None
_timings: dict[str, float] = {}
_log = logging.getLogger(__name__)


def start() -> threading.Thread:
    """Start the warm-up in a daemon thread (once per process); returns the thread."""
    global _thread
    with _lock:
        if _thread is None:
            _thread = threading.Thread(target=_warm, name="landscapes-warm-up", daemon=True)
            _thread.start()
        return _thread


def running() -> bool:
    """A warm-up was started and has not finished."""
    return _thread is not None and not _events["done"].is_set()


def finished() -> bool:
    """A warm-up was started in this process and has finished (or given up): the readiness a load balancer asks."""
    return _events["done"].is_set()


def wait(stage: str = "done", timeout: float = 120.0) -> bool:
    """Block until ``stage`` is reached if a warm-up is running; True when there is nothing (more) to wait for."""
    if _thread is None:
        return True
    return _events[stage].wait(timeout)


def niced(fn, *args):
    """``fn(*args)`` in a thread at the warm-up's lower priority, waited for; returns its result or raises its error.

    For compiles a page must wait for anyway: the server's own threads (and, when they share the machine, the
    browser drawing the page) keep their turn on the cores.  A Streamlit script run's context goes with it, so
    the cached functions it calls behave as in the script."""
    from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

    out: dict = {}

    def target():
        _lower_priority()
        try:
            out["value"] = fn(*args)
        except BaseException as err:  # re-raised in the caller's thread
            out["error"] = err

    thread = threading.Thread(target=target, name="landscapes-niced", daemon=True)
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is not None:
        add_script_run_ctx(thread, ctx)
    thread.start()
    thread.join()
    if "error" in out:
        raise out["error"]
    return out.get("value")


def timings() -> dict[str, float]:
    """Seconds since `start` at which each stage was reached (for the benchmark's report)."""
    return dict(_timings)


def _warm() -> None:
    t0 = time.perf_counter()
    _lower_priority()
    try:
        _run_stages(t0)
    except Exception:  # a failed warm-up only costs speed: the page computes what it needs itself
        _log.exception("warm-up failed; the first page run will compile what it needs")
    finally:
        for stage in STAGES:
            _timings.setdefault(stage, time.perf_counter() - t0)
            _events[stage].set()
        _report()


def _report() -> None:
    """One line in the server's output with the stages reached so far: at readiness and at the end (a cluster's
    test and benchmarks/first_frame.py read it)."""
    print("warm-up: " + ", ".join(f"{stage} at {_timings[stage]:.2f} s" for stage in STAGES if stage in _timings),
          file=sys.stderr, flush=True)


def _lower_priority() -> None:
    """Nice this thread (Linux: per thread), so serving pages and their scripts come first on a busy machine."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)
    except (AttributeError, OSError):  # not Linux, or not permitted: warm up at normal priority
        pass


def _reached(stage: str, t0: float) -> None:
    _timings[stage] = time.perf_counter() - t0
    _events[stage].set()
    if stage == "done":
        _report()


def _run_stages(t0: float) -> None:
    import pandas  # noqa: F401  Streamlit imports it to inspect a component's arguments (~0.6 s)

    from optimizers import compile_cache

    compile_cache.enable()  # before the first compile, so what the warm-up compiles is kept on disk

    from components import export, first_view, outcomes, player, runs, surfaces  # noqa: F401  (the page's imports)

    _reached("imports", t0)
    view(first_view.SURFACE, lambda stage: _reached(stage, t0))
    if first_view.SCRUB != "off":  # after readiness: ~10-30 s of compiling at low priority, while visitors come
        scrub(first_view.SURFACE)
    _reached("scrub", t0)
    surfaces_next()
    _reached("surfaces", t0)
    lab()
    _reached("lab", t0)


def lab() -> None:
    """The Lab's sweeps as its sections open (`components.lab.defaults`, the other hyperparameters at their
    catalog defaults as the page's widgets start): the learning-rate curve, the phase diagram, the search, the
    basin maps and the fair comparison.  Each is a program of its own at XLA's defaults; without this a visitor
    waited 4-18 s for each section's first use (benchmarks/actions.py)."""
    from components import surfaces
    from components.lab import compute, defaults as d, sweeps
    from optimizers import catalog

    def fixed(name: str, skip=()) -> tuple:
        return tuple(sorted((h.name, h.default) for h in catalog.get(name).hyperparams if h.name not in skip))

    key = _default_key(d.SURFACE)
    surface = surfaces.surface.__wrapped__(key)
    start = tuple(float(v) for v in surface.start)
    sweeps.quadratic_curvature.__wrapped__(key)  # every section asks whether the surface is a quadratic
    for name in d.CURVE_OPTIMIZERS:
        sweeps.lr_curve.__wrapped__(key, name, d.CURVE_LO, d.CURVE_HI, d.CURVE_POINTS, d.STEPS, start,
                                    fixed(name, ("learning_rate",)))
    floats = {h.name: h for h in compute.float_hyperparams(d.PHASE_OPTIMIZER)}
    (xn, xlo, xhi, xlog), (yn, ylo, yhi, ylog) = [
        (h, *compute.default_range(floats[h]), compute.axis_limits(floats[h])[2]) for h in (d.PHASE_X, d.PHASE_Y)]
    others = fixed(d.PHASE_OPTIMIZER, (xn, yn))
    sweeps.phase.__wrapped__(key, d.PHASE_OPTIMIZER, (xn, xlo, xhi, d.PHASE_SIZE, xlog),
                             (yn, ylo, yhi, d.PHASE_SIZE, ylog), d.STEPS, start, others)
    sweeps.search.__wrapped__(key, d.PHASE_OPTIMIZER, (xn, xlo, xhi, xlog), (yn, ylo, yhi, ylog), d.SEARCH_BUDGET,
                              d.SEARCH_SEED, d.STEPS, start, others)
    for name in d.BASIN_OPTIMIZERS:
        sweeps.basins.__wrapped__(key, name, d.BASIN_SIZE, d.STEPS, fixed(name))
    f_star = compute.lowest_minimum(surfaces.critical_points(key), surface.minima)
    for name in d.FAIR_OPTIMIZERS:
        sweeps.fair.__wrapped__(key, name, d.FAIR_BUDGET, d.FAIR_STARTS, d.STEPS, d.FAIR_SEED, f_star,
                                fixed(name, ("learning_rate",)))


def _default_key(name: str) -> tuple:
    """The surface key of built-in ``name`` at its parameters' defaults, as a page opens it."""
    import landscapes
    from components import surfaces

    return surfaces.surface_key(name, {p.name: p.default for p in landscapes.parameters(name)})


def surfaces_next() -> None:
    """The continuous-time limits' programs, then every other built-in surface's Compare view, as a visitor who
    picks it from the menu gets it: its grid and critical points (programs of its own), its preset's runs and scrub
    (the default's programs unless its preset has another step bucket: Rosenbrock's 500 steps).  Without this,
    the first visitor to pick Rosenbrock waited 16.5 s for it, and 7.8 s for the continuous-time limit
    (benchmarks/actions.py)."""
    import landscapes
    from components import first_view, runs, surfaces

    # The continuous-time limits (View: "continuous-time limit"): two programs serve every built-in surface.
    key = _default_key(first_view.SURFACE)
    start = surfaces.surface.__wrapped__(key).start
    runs.flow.__wrapped__(key, start, "gradient", 1.0)
    runs.flow.__wrapped__(key, start, "heavy_ball", 1.0, 0.1)
    for name in landscapes.names():
        if name != first_view.SURFACE:
            view(name)
            if first_view.SCRUB != "off":
                scrub(name)


def view(name: str, reached=lambda stage: None) -> None:
    """Compute what the Compare page opens with on the built-in surface ``name`` (its preset): the grid, the
    default optimizers' runs, the critical points; ``reached("grid" | "runs" | "done")`` after each part."""
    from components import first_view, runs, surfaces
    from optimizers import presets

    key = _default_key(name)
    surface = surfaces.surface.__wrapped__(key)
    surfaces.grid.__wrapped__(key)
    reached("grid")
    steps = presets.steps(surface)
    ends = []
    for optimizer in first_view.OPTIMIZERS:
        hyperparams = tuple(presets.defaults(surface, optimizer).items())
        xy = runs.trajectory.__wrapped__(key, optimizer, surface.start, steps, hyperparams, "constant", (), 0.0, 0).xy
        ends.append((float(xy[-1, 0]), float(xy[-1, 1])))
    reached("runs")
    surfaces.atlas.__wrapped__(key)
    surfaces.classify_points.__wrapped__(key, (tuple(map(float, surface.start)), *ends))  # the start and the ends
    surfaces.classify.__wrapped__(key, surface.start)  # one point: the derivatives the claims take at a minimum
    reached("done")


def scrub(name: str) -> None:
    """Compile the live scrub of η that the Compare page opens with on the built-in surface ``name``: one batched
    program per default optimizer that has η (`components.runs.trajectory_grid`; its notches' values do not
    matter, only their count, the structure does)."""
    from components import first_view, runs, scrub as scrubs, surfaces
    from optimizers import catalog, presets

    key = _default_key(name)
    surface = surfaces.surface.__wrapped__(key)
    steps = presets.steps(surface)
    owners = [n for n in first_view.OPTIMIZERS
              if any(h.name == "learning_rate" and h.kind == "float" for h in catalog.get(n).hyperparams)]
    count = scrubs.notch_count(len(owners), steps)
    for optimizer in owners if count else ():
        hyperparams = presets.defaults(surface, optimizer)
        fixed = tuple((k, v) for k, v in hyperparams.items() if k != "learning_rate")
        values = tuple(float(hyperparams["learning_rate"]) for _ in range(count))
        runs.trajectory_grid.__wrapped__(key, optimizer, surface.start, steps, fixed, "constant", (), 0.0, 0,
                                         "learning_rate", values)
