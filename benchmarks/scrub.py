"""The live scrub's first use: what its programs cost to make, run and keep, in the old design and the new.

Run: ``.venv/bin/python benchmarks/scrub.py`` (about two minutes on two cores).

For the Compare page's default view (`components.first_view`: six optimizers, 200 steps on the elongated valley),
each optimizer's path program is compiled first, as the page does; then its scrub program (every notch of η in one
batched call) in each design, in one process, the designs' order alternating from one optimizer to the next:

- ``before``: 64 notches compiled with XLA's defaults (``solve(..., optimize_for="run")``, the design of issue 15);
- ``fast-64``: 64 notches with XLA's fast options (`optimizers.run_grid`, what the page now calls);
- ``fast-32`` / ``fast-16``: fewer notches, fast options (is a narrower scrub cheaper to compile?).

Per design: seconds of tracing, lowering to MLIR and XLA compiling (``jax.monitoring``'s events), the first call
in all, a warm call, the server's resident memory gained, and how far its runs are from the ``before`` runs.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from landscapes import _xla  # noqa: E402

_xla.configure()

import jax  # noqa: E402
import numpy as np  # noqa: E402

jax.config.update("jax_enable_x64", True)

import landscapes  # noqa: E402
import optimizers  # noqa: E402
from components import first_view, runs, surfaces  # noqa: E402
from optimizers import presets  # noqa: E402

EVENTS = {"/jax/core/compile/jaxpr_trace_duration": "trace",
          "/jax/core/compile/jaxpr_to_mlir_module_duration": "lower",
          "/jax/core/compile/backend_compile_duration": "compile"}
_spent: dict[str, float] = {}


def _listen(event: str, duration: float, **_) -> None:
    if event in EVENTS:
        _spent[EVENTS[event]] = _spent.get(EVENTS[event], 0.0) + duration


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def values_of(lr: float, n: int) -> np.ndarray:
    return np.geomspace(lr / 10, lr * 10, n)


def grid(land, name, start, steps, hp, design: str) -> np.ndarray:
    """The design's scrub runs as one ``(notches, steps + 1, 2)`` array of iterates."""
    lr = hp["learning_rate"]
    fixed = {k: v for k, v in hp.items() if k != "learning_rate"}
    if design == "before":
        values = values_of(lr, 64)
        r = optimizers.solve(land, name, np.broadcast_to(np.asarray(start), (64, 2)), steps,
                             hyperparams={**fixed, "learning_rate": values}, optimize_for="run")
        return r.params
    width = int(design.split("-")[1])
    g = optimizers.run_grid(land, name, start=start, steps=steps, axis=("learning_rate", values_of(lr, width)),
                            width=width, **fixed)
    return np.asarray(g.batch.xy)


def measure(land, name, start, steps, hp, design: str) -> dict:
    _spent.clear()
    before, t0 = rss_mb(), time.perf_counter()
    xy = grid(land, name, start, steps, hp, design)
    first = time.perf_counter() - t0
    t1 = time.perf_counter()
    for _ in range(3):
        grid(land, name, start, steps, hp, design)
    return dict(_spent, first=first, run=(time.perf_counter() - t1) / 3, mb=rss_mb() - before, xy=xy)


def main() -> None:
    jax.monitoring.register_event_duration_secs_listener(_listen)
    name = first_view.SURFACE
    key = surfaces.surface_key(name, {p.name: p.default for p in landscapes.parameters(name)})
    surface = surfaces.surface.__wrapped__(key)
    land = surfaces.engine_surface(key)
    steps = presets.steps(surface)
    designs = ["before", "fast-64", "fast-32", "fast-16"]
    totals = {d: {"first": 0.0, "run": 0.0, "mb": 0.0, "trace": 0.0, "lower": 0.0, "compile": 0.0} for d in designs}
    print(f"default view: {name}, {steps} steps, {len(first_view.OPTIMIZERS)} optimizers; start RSS "
          f"{rss_mb():.0f} MB")
    for i, opt in enumerate(first_view.OPTIMIZERS):
        hp = presets.defaults(surface, opt)
        t0 = time.perf_counter()
        runs.trajectory.__wrapped__(key, opt, surface.start, steps, tuple(hp.items()), "constant", (), 0.0, 0)
        path_s = time.perf_counter() - t0
        order = designs[:2] if i % 2 == 0 else designs[1::-1]
        got = {d: measure(land, opt, surface.start, steps, hp, d) for d in order + designs[2:]}
        ref = got["before"]["xy"]
        diff = np.abs(got["fast-64"]["xy"] - ref).max(axis=(1, 2))
        print(f"{opt:9s} (its path program: {path_s:.2f} s); fast-64 vs before: {int((diff == 0).sum())}/64 runs "
              f"bitwise equal, {int((diff <= 1e-12).sum())}/64 within 1e-12, largest difference {diff.max():.2g}")
        for d in designs:
            r = got[d]
            print(f"  {d:8s} trace {r.get('trace', 0):5.2f}  lower {r.get('lower', 0):5.2f}  compile "
                  f"{r.get('compile', 0):5.2f}  first call {r['first']:6.2f} s   warm call {r['run'] * 1e3:6.2f} ms"
                  f"   RSS {r['mb']:+7.1f} MB")
            for k in totals[d]:
                totals[d][k] += r.get(k, 0.0)
    print("\nall six optimizers (a visitor turning the scrub on waits for the first calls):")
    base = totals["before"]
    for d in designs:
        r = totals[d]
        print(f"  {d:8s} first calls {r['first']:6.2f} s (compile {r['compile']:5.2f} s)   warm calls "
              f"{r['run'] * 1e3:6.1f} ms   RSS {r['mb']:+7.1f} MB   ratio before/{d}: first calls "
              f"{base['first'] / r['first']:.2f}x, warm calls {base['run'] / r['run']:.2f}x")


if __name__ == "__main__":
    main()
