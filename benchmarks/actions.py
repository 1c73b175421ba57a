"""Seconds until the page is idle after each action a new visitor tries, on a ``make run`` server that has been up
for a minute (issue 28: "every action settled within 2 s").

Run: ``.venv/bin/python benchmarks/actions.py [--uptime 60] [--cache DIR]`` (a few minutes on two cores).

The server is what ``make run`` starts (``streamlit run components/serve.py``: app.py with the warm-up), on a free
port and, unless ``--cache`` names one, an empty persistent compilation cache (a first deployment).  Once its
``/ready`` answers and it has been up ``--uptime`` seconds, each action is opened in a new tab (Streamlit's websocket
protocol, `loadgen.Session`) as the link that action leads to, and timed from the request until the script finishes
for good (a page that reruns itself, e.g. to draw its paths first and its scrub after, is timed to its last run).
Then the same link in another new tab: the baseline, everything compiled and cached.  The lesson and the "Show me
a saddle" settings come from their own modules.  Printed per action: first use,
again, their ratio, and whether the first use met the 2 s target.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import loadgen  # noqa: E402
from components.learn import lessons  # noqa: E402
from components.network.compute import SADDLE_EXAMPLE  # noqa: E402  what "Show me a saddle" sets

TARGET_S = 2.0


def _url_values(state: dict) -> dict:
    """Widget values as the URL writes them (a multiselect's list comma-joined)."""
    return {k: ",".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in state.items()}


ACTIONS: tuple[tuple[str, str, dict], ...] = (
    # (what the visitor does, page, the link's parameters)
    ("Compare: the default view", "compare", {}),
    ("Compare: another surface (Rosenbrock)", "compare", {"compare.surface": "rosenbrock"}),
    ("Compare: 1000 steps", "compare", {"compare.steps": "1000"}),
    ("Compare: live scrub of η on", "compare", {"compare.scrub": "learning_rate"}),
    ("Compare: continuous-time limit on", "compare", {"compare.flow": "on"}),
    ("Explore: the default view", "explore", {}),
    ("Lab: learning-rate curve", "lab", {"lab.section": "curve"}),
    ("Lab: phase diagram", "lab", {"lab.section": "phase"}),
    ("Lab: random vs grid", "lab", {"lab.section": "search"}),
    ("Lab: basins of attraction", "lab", {"lab.section": "basins"}),
    ("Lab: fair comparison", "lab", {"lab.section": "fair"}),
    ("Lab: schedules", "lab", {"lab.section": "schedules"}),
    ("Network: first open", "network", {}),
    ("Network: show me a saddle", "network", _url_values(SADDLE_EXAMPLE)),
    ("Network: another data set (digits)", "network", {"network.data": "digits"}),
    ("Learn: the first lesson", "learn", {"learn.lesson": lessons.slugs()[0]}),
    ("Learn: the saddles lesson", "learn", {"learn.lesson": "saddles"}),
)


def wait_ready(base: str, timeout: float = 300.0) -> float:
    """Seconds until ``/ready`` answers 200 (the warm-up is done)."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        try:
            with urllib.request.urlopen(f"http://{base}/ready", timeout=2) as r:
                if r.status == 200:
                    return time.monotonic() - t0
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"/ready did not answer 200 within {timeout:g} s")


def seconds_to_idle(base: str, page: str, params: dict) -> tuple[float, list[str]]:
    """Open the link in a new tab; seconds until its last run finished, and the exceptions the page showed."""
    tab = loadgen.Session(base)
    try:
        run = tab.rerun(urllib.parse.urlencode(params), page_name=page)
        return run.latency, run.exceptions
    finally:
        tab.close()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--uptime", type=float, default=60.0, help="seconds the server is up before the first action")
    p.add_argument("--cache", default=None, help="the persistent compilation cache (default: a new empty one)")
    p.add_argument("--log", type=Path, default=None, help="the server's output goes here")
    args = p.parse_args(argv)
    cache = args.cache or tempfile.mkdtemp(prefix="actions-jax-cache-")
    t0 = time.monotonic()
    with loadgen.Server(app="components/serve.py", log=args.log, env={"JAX_CACHE_DIR": cache}) as server:
        ready = wait_ready(server.base)
        time.sleep(max(0.0, args.uptime - (time.monotonic() - t0)))
        print(f"server ready {ready:.1f} s after its health check; actions from {time.monotonic() - t0:.0f} s "
              f"after start; RSS {server.rss_mb():.0f} MB")
        print(f"{'action':40s} {'first':>8s} {'again':>8s} {'ratio':>7s}  first <= {TARGET_S:g} s")
        met, failed = 0, []
        for what, page, params in ACTIONS:
            first, errors = seconds_to_idle(server.base, page, params)
            again, errors_again = seconds_to_idle(server.base, page, params)
            if errors or errors_again:
                failed.append(f"{what}: {(errors or errors_again)[0][:200]}")
            met += first <= TARGET_S
            print(f"{what:40s} {first:7.2f}s {again:7.2f}s {first / max(again, 1e-9):6.1f}x  "
                  f"{'yes' if first <= TARGET_S else 'NO'}", flush=True)
        print(f"{met} of {len(ACTIONS)} actions settled within {TARGET_S:g} s at first use; server RSS "
              f"{server.rss_mb():.0f} MB at the end")
        for line in failed:
            print(f"  page error: {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
