"""Speed of "Tune η for this surface": one compiled sweep per optimizer vs tuning by looping `run`, same process.

    .venv/bin/python benchmarks/tune.py

For the Compare page's six default optimizers on each showcase surface (its preset: start, steps, settings), tune
the learning rate over the slider's log grid from the start and 4 jittered starts, as the page does.  Prints the
cold time (first call: compiling six sweep programs), the warm time (target < 0.5 s for six optimizers), and the
same tuning done by looping `optimizers.run` over every (η, start) pair (the runners are warm too), with the ratio.
Both ways are checked to pick the same η before they are timed.  Medians of 5 (warm) repeats, wall clock.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

import landscapes  # noqa: E402
import optimizers  # noqa: E402
from components import controls  # noqa: E402
from optimizers import catalog, presets, tune  # noqa: E402
from engine import median_time  # noqa: E402  (benchmarks/engine.py, beside this script)

DEFAULTS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")


def grid(surface, name):
    h = next(h for h in catalog.get(name).hyperparams if h.name == "learning_rate")
    return controls.log_grid(h.min, h.max, presets.defaults(surface, name)["learning_rate"])


def tune_all(surface):
    steps = presets.steps(surface)
    return {n: optimizers.tune_learning_rate(surface, n, grid(surface, n), steps=steps,
                                             **presets.defaults(surface, n)).best for n in DEFAULTS}


def tune_by_looping(surface):
    """The same rule, one `run` per (η, start)."""
    steps, best = presets.steps(surface), {}
    for n in DEFAULTS:
        settings = {k: v for k, v in presets.defaults(surface, n).items() if k != "learning_rate"}
        starts = tune.jittered_starts(surface, surface.start)
        scores = []
        for eta in sorted(grid(surface, n)):
            runs = [optimizers.run(surface, n, start=s, steps=steps, learning_rate=eta, **settings) for s in starts]
            bad = any(r.status == "diverged" for r in runs)
            scores.append(np.inf if bad else float(np.mean([r.loss[-1] for r in runs])))
        best[n] = sorted(grid(surface, n))[int(np.argmin(scores))] if np.isfinite(scores).any() else None
    return best


def main() -> None:
    print(f"{'surface':18s} {'configs':>8s} {'cold':>8s} {'warm':>9s} {'looping run':>12s} {'ratio':>7s}  target warm < 0.5 s")
    for name in ("elongated_valley", "rosenbrock", "saddle"):
        surface = landscapes.get(name)
        t = time.perf_counter()
        chosen = tune_all(surface)
        cold = time.perf_counter() - t
        looped = tune_by_looping(surface)  # also warms the single-run programs
        assert chosen == looped, (name, chosen, looped)
        warm = median_time(lambda: tune_all(surface), 5, warmup=0)
        loop = median_time(lambda: tune_by_looping(surface), 1, warmup=0)
        configs = sum(len(grid(surface, n)) for n in DEFAULTS) * (1 + tune.JITTER_STARTS)
        print(f"{name:18s} {configs:8d} {cold:7.2f}s {warm * 1e3:7.1f}ms {loop:11.2f}s {loop / warm:6.0f}x  "
              f"{'met' if warm < 0.5 else 'NOT met'}")
        print("   tuned: " + ", ".join(f"{n} {v:g}" for n, v in chosen.items() if v is not None))


if __name__ == "__main__":
    main()
