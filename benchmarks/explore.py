"""Explore page: how long the atlas of a built-in takes to appear, and proof that a new view box compiles nothing.

Run: ``.venv/bin/python benchmarks/explore.py``

"The atlas appears" is the page's own work for it, through the same functions the page calls
(`components.explore`): the critical points on the view box, the contour grid, the selected point's
classification, the map figure (markers, click lattice, eigenvector arrows) and the table.  Three timings per
surface, in this process:

* cold  -- the first time (trace + XLA compile + run); JAX's persistent cache is pointed at an empty temporary
  directory, so nothing is loaded from disk;
* warm  -- engine compiled, every ``st.cache_*`` of the page cleared first, median of 7: what switching back to a
  surface, or opening a link to it, costs;
* SciPy -- the baseline of ``benchmarks/critical_points.py``: MINPACK ``root`` looped over the same 2304 starts,
  with the same verification and merge (its derivatives jitted and warm), one run.

Then the view box is zoomed and shifted on each surface, counting XLA compilations (JAX's backend-compile events)
and the entries of the jit caches involved: both must stay put.  Last, the whole page (AppTest, engine warm) is
rerun after a view-box change.
"""

from __future__ import annotations

import importlib.util
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["JAX_CACHE_DIR"] = tempfile.mkdtemp(prefix="explore-bench-jax-")  # cold means cold: no disk cache

from streamlit.logger import set_log_level  # noqa: E402

set_log_level("error")  # st.cache_* outside a server logs "No runtime found" on every call

import jax  # noqa: E402
import jax.monitoring  # noqa: E402

import landscapes  # noqa: E402
from components import cache  # noqa: E402
from landscapes import analysis  # noqa: E402
from components.explore import figures as ex_charts
from components.explore import compute as ex_compute
from components.explore import words as ex_words
from components import surfaces

SURFACES = ("himmelblau", "six_hump_camel", "rastrigin")
WARM_REPEATS = 7
COMPILES = [0]  # XLA backend compilations in this process


def _count_compiles(event: str, duration: float, **kwargs) -> None:
    COMPILES[0] += event == "/jax/core/compile/backend_compile_duration"


jax.monitoring.register_event_duration_secs_listener(_count_compiles)
JITS = {"atlas (_newton_atlas)": "newton_atlas", "grid (_grid_values)": "grid_values",
        "point (_pointwise)": "pointwise"}


def scipy_baseline():
    spec = importlib.util.spec_from_file_location("critical_points_bench", ROOT / "benchmarks" / "critical_points.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.scipy_atlas


def clear_page_caches() -> None:
    for fn in (surfaces.atlas, surfaces.grid, surfaces.classify):
        fn.clear()
    cache.clear()


def atlas_appears(key: tuple, box) -> int:
    """The page's work for the atlas of ``key`` on ``box``; returns the number of points."""
    atlas = surfaces.atlas(key, box)
    grid = surfaces.grid(key, box, ex_compute.GRID_N)
    xy = ex_compute.default_point(atlas.points, surfaces.surface(key).start)
    info = surfaces.classify(key, xy, box)
    arrows = ex_compute.eigen_arrows(info, 0.2 * min(box[0][1] - box[0][0], box[1][1] - box[1][0]))
    ex_charts.atlas_map(grid, atlas.points, box, selected=info, arrows=arrows).to_json()
    ex_words.atlas_table(atlas.points)
    return len(atlas.points)


def jit_entries(fn) -> dict[str, int]:
    """Compiled entries of the analysis jits of surface family ``fn`` (they live per surface in an LRU)."""
    jitted = analysis._compiled(fn)
    return {name: getattr(jitted, field)._cache_size() for name, field in JITS.items()}


def main() -> None:
    warnings.simplefilter("ignore")  # Rastrigin's capped atlas warns each time; the page shows it, here it is noise
    print(f"Explore atlas: {analysis.N_STARTS}² Newton starts, {ex_compute.GRID_N}² contour grid; JAX {jax.__version__}, "
          f"backend {jax.default_backend()}, {os.cpu_count()} CPUs")
    scipy_atlas = scipy_baseline()
    # One-time process costs (backend start-up, LLVM) paid on a fourth surface, so "cold" is switching surfaces.
    start = time.perf_counter()
    atlas_appears(surfaces.surface_key("booth"), landscapes.get("booth").bounds)
    print(f"first atlas in this process (booth, includes JAX start-up): {time.perf_counter() - start:.2f} s")
    print(f"{'surface':16s} {'points':>6s} {'cold':>8s} {'warm':>9s} {'SciPy loop':>11s} {'SciPy/warm':>10s} "
          f"{'within 1 s warm':>16s}")
    slow = []
    for name in SURFACES:
        key, box = surfaces.surface_key(name), landscapes.get(name).bounds
        start = time.perf_counter()
        n = atlas_appears(key, box)
        cold = time.perf_counter() - start
        warm = []
        for _ in range(WARM_REPEATS):
            clear_page_caches()
            start = time.perf_counter()
            atlas_appears(key, box)
            warm.append(time.perf_counter() - start)
        warm_s = statistics.median(warm)
        baseline = scipy_atlas(landscapes.get(name), box)
        baseline()  # jit its derivatives
        start = time.perf_counter()
        baseline()
        loop = time.perf_counter() - start
        ok = warm_s < 1.0
        slow += [] if ok else [name]
        print(f"{name:16s} {n:6d} {cold:7.2f}s {warm_s * 1e3:7.1f}ms {loop:10.2f}s {loop / warm_s:9.0f}× "
              f"{'yes' if ok else 'NO':>16s}")

    print("\nchanging the view box (zoom in, then shift), engine warm:")
    for name in SURFACES:
        key = surfaces.surface_key(name)
        (x0, x1), (y0, y1) = landscapes.get(name).bounds
        boxes = [((x0 / 2, x1 / 2), (y0 / 2, y1 / 2)), ((x0 / 2 + 0.3, x1 / 2 + 0.3), (y0 / 2 - 0.2, y1 / 2 - 0.2))]
        before, jits_before = COMPILES[0], jit_entries(surfaces.surface(key).fn)
        times = []
        for box in boxes:
            clear_page_caches()
            start = time.perf_counter()
            atlas_appears(key, box)
            times.append(time.perf_counter() - start)
        after, jits_after = COMPILES[0], jit_entries(surfaces.surface(key).fn)
        print(f"  {name:16s} XLA compiles: {before} → {after} (+{after - before}); jit cache entries "
              + ", ".join(f"{k} {jits_before[k]} → {jits_after[k]}" for k in JITS)
              + f"; atlas in {', '.join(f'{t * 1e3:.0f} ms' for t in times)}")
        assert after == before and jits_after == jits_before, f"{name}: a new view box recompiled"

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app_pages" / "explore.py"), default_timeout=600)
    at.query_params["explore.surface"] = "himmelblau"
    at.run()
    assert not at.exception
    before = COMPILES[0]
    times = []
    for x0 in (-4.0, -3.0, -2.0):
        at.number_input(key="explore.xmin").set_value(x0)
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        assert not at.exception
    print(f"\nwhole page (AppTest) after a view-box change, Himmelblau: "
          f"{', '.join(f'{t * 1e3:.0f} ms' for t in times)}; XLA compiles +{COMPILES[0] - before}")
    assert not slow, f"atlas slower than 1 s warm on {slow}"


if __name__ == "__main__":
    main()
