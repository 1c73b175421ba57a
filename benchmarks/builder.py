"""Builder benchmark (issue 32): a slider move on an optimizer built from optax blocks costs what it costs on the
catalog optimizer it rebuilds.  A plain script: ``python benchmarks/builder.py``.

A slider move on Compare is one `components.runs.trajectory` miss: `optimizers.engine.run` with new float values,
warm (compiled).  Timed here for each preset chain and its catalog twin on the default surface through the shared
family (as the page runs them), 500 steps, new values every call; median of ``REPEATS``; the ratio is
built / catalog (target: about 1).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import landscapes  # noqa: E402
from optimizers import builder, engine, presets  # noqa: E402

REPEATS = 41
STEPS = 500


def slider_moves(land, name, values) -> float:
    """Median seconds of one run with a new learning rate each time (the first call compiles, not timed)."""
    engine.run(land, name, steps=STEPS, **values)
    times = []
    for i in range(REPEATS):
        moved = {**values, "learning_rate": values["learning_rate"] * (1 + 0.01 * (i + 1))}
        t0 = time.perf_counter()
        engine.run(land, name, steps=STEPS, **moved)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    surface = landscapes.get("elongated_valley")
    land = landscapes.shared_family(surface)
    print(f"a slider move (one warm {STEPS}-step run, new η), {surface.title}, median of {REPEATS}:")
    for key, preset in builder.PRESETS.items():
        chain = builder.name(preset.codes)
        values = presets.defaults(surface, preset.catalog)
        t_catalog = slider_moves(land, preset.catalog, values)
        t_built = slider_moves(land, chain, values)
        print(f"  {preset.title:<17} catalog {t_catalog * 1e3:7.3f} ms   built {t_built * 1e3:7.3f} ms   "
              f"ratio {t_built / t_catalog:5.2f}")


if __name__ == "__main__":
    main()
