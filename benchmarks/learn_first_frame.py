"""Opening a lesson against opening the Compare page: the time until each draws its figure, on one server, in one
run on this machine (issue 30: "opening a lesson draws its figure as fast as the Compare page draws its default
view").

    python benchmarks/learn_first_frame.py [--repeat N]

Measured as `benchmarks/first_frame.py` measures Compare (its server harness and clock): the server is started the
way ``make run`` starts it (``python -m components.serve``, the default page warmed up at start) with an empty JAX
compilation cache; each measurement opens a new browser context and stops the clock when the player has drawn:

* Compare (``/``): its six default paths drawn (``playerState.nPaths > 0``, ``pending`` false);
* a lesson (``/learn?learn.lesson=…``): its figure as a learner first sees it, the surface with its markers and
  no path yet (the runs are shown after the prediction), i.e. the player's first drawing, ``pending`` false.

First each lesson once in course order on the fresh server (a lesson's first visit: its runs may compile), then
Compare and lesson 1 alternately ``--repeat`` times (a new tab on a warm server), medians and their ratio.  The two
lessons whose figure is not the player (the gradient check, the searches) draw it only after a prediction and are
left out.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from first_frame import CHROMIUM, CHROMIUM_ARGS, DRAWN_OURS, LOAD_MS, PLAYER, VIEWPORT, serve  # noqa: E402

DRAWN_LESSON = "() => window.playerState && window.playerState.drawCount > 0 && !window.playerState.pending"


def opened(browser, url: str, drawn: str) -> float:
    """Seconds from opening ``url`` in a new browser context until ``drawn`` holds in the player's frame."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    t0 = time.perf_counter()
    page.goto(url)
    frame = page.wait_for_selector(PLAYER, timeout=LOAD_MS).content_frame()
    frame.wait_for_function(drawn, timeout=LOAD_MS, polling="raf")
    elapsed = time.perf_counter() - t0
    context.close()
    return elapsed


def main() -> None:
    from playwright.sync_api import sync_playwright

    from components.learn import lessons as L

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="Compare / lesson 1 pairs on the warm server")
    args = parser.parse_args()
    if not os.access(CHROMIUM, os.X_OK):
        sys.exit(f"{CHROMIUM} is missing (apt-get install chromium)")
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
    shown = [s for s in L.slugs() if L.get(s).figure in ("paths", "nudges")]

    with sync_playwright() as pw, tempfile.TemporaryDirectory(prefix="bench-jax-cache-") as cache:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        server, boot = serve("app.py", True, cache, "learn")
        try:
            lesson_url = lambda slug: f"{server.base}/learn?lang=en&learn.lesson={slug}"  # noqa: E731
            first = {slug: opened(browser, lesson_url(slug), DRAWN_LESSON) for slug in shown}
            compare, lesson = [], []
            for _ in range(args.repeat):  # alternate, so both see the same load on a shared machine
                compare.append(opened(browser, server.base + "/", DRAWN_OURS))
                lesson.append(opened(browser, lesson_url(shown[0]), DRAWN_LESSON))
        finally:
            server.stop()
            browser.close()

    c, s = statistics.median(compare), statistics.median(lesson)
    print(f"time from opening the page to its figure drawn (headless Chromium, new tab on a warm server, "
          f"median of {args.repeat}; spawn to health {boot:.2f} s):")
    print(f"  Compare, default view (6 paths)     {c:6.2f} s")
    print(f"  Learn, lesson 1 (its surface)       {s:6.2f} s")
    print(f"  ratio lesson / Compare              {s / c:6.2f}   target <= 1.0   {'met' if s <= c else 'NOT met'}")
    print("  each lesson's first visit after the start, in course order (s): "
          + ", ".join(f"{L.number(k)} {v:.2f}" for k, v in first.items()))
    print(f"  slowest first visit {max(first.values()):.2f} s ({L.number(max(first, key=first.get))}); "
          f"its ratio to Compare's new tab {max(first.values()) / c:.2f}")


if __name__ == "__main__":
    main()
