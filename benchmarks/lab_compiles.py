"""How many XLA programs the Lab page compiles on built-in surfaces, this tree against an earlier commit.

Run: ``.venv/bin/python benchmarks/lab_compiles.py [--before REV]`` (a few minutes on two cores; REV defaults to
``ebf674e``, the last commit before issue 14 sent the Lab's sweeps through the shared family).

Each side runs in a fresh subprocess with an empty persistent compilation cache, inside its own checkout (REV in a
temporary git worktree).  It opens the Lab page (``tests/apps/lab_app.py`` under Streamlit's AppTest) on every
section with the test suite's small sizes, first on the elongated valley and then on Rosenbrock, and counts XLA
backend compiles (``jax.monitoring``'s ``/jax/core/compile/backend_compile_duration`` events) and wall time per
(surface, section).  Both sides do the same page runs, so the counts compare the designs: one sweep program per
(optimizer, kind of sweep) serving every built-in surface, or one per (surface, optimizer, kind).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SURFACES = ("elongated_valley", "rosenbrock")
SECTIONS = ("curve", "phase", "search", "basins", "fair", "schedules")
SMALL = {"lab.curve.points": "16", "lab.phase.size": "10", "lab.basins.size": "16", "lab.fair.budget": "4",
         "lab.fair.starts": "10", "lab.search.budget": "9"}
USES = {"curve": ("curve",), "phase": ("phase",), "search": ("phase", "search"), "basins": ("basins",),
        "fair": ("fair",), "schedules": ()}

CHILD = r"""
import json, sys, time
sys.path.insert(0, ".")
import jax
from streamlit.testing.v1 import AppTest
surfaces, sections, small, uses = json.loads(sys.argv[1])
count = [0]
def listener(event, duration, **kwargs):
    if event == "/jax/core/compile/backend_compile_duration":
        count[0] += 1
jax.monitoring.register_event_duration_secs_listener(listener)
rows = []
for surface in surfaces:
    for section in sections:
        query = {"lab.surface": surface, "lab.steps": "150", "lab.section": section,
                 **{k: v for k, v in small.items() if k.split(".")[1] in uses[section]}}
        at = AppTest.from_file("tests/apps/lab_app.py", default_timeout=600)
        at.query_params.update(query)
        before, t0 = count[0], time.perf_counter()
        at.run()
        errors = [e.value for e in at.error] + [str(e.value) for e in at.exception]
        rows.append(dict(surface=surface, section=section, compiles=count[0] - before,
                         seconds=time.perf_counter() - t0, errors=errors))
print("RESULT " + json.dumps(rows))
"""


def measure(tree: Path) -> list[dict]:
    env = dict(os.environ, JAX_CACHE_DIR=tempfile.mkdtemp(prefix="lab-compiles-jax-cache-"), PYTHONPATH=str(tree))
    args = json.dumps([SURFACES, SECTIONS, SMALL, USES])
    out = subprocess.run([sys.executable, "-c", CHILD, args], cwd=tree, env=env, capture_output=True, text=True,
                         check=True).stdout
    return json.loads(next(line for line in out.splitlines() if line.startswith("RESULT "))[7:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="ebf674e", help="the commit to compare with")
    before_rev = parser.parse_args().before
    with tempfile.TemporaryDirectory(prefix="lab-compiles-") as tmp:
        worktree = Path(tmp) / "before"
        subprocess.run(["git", "worktree", "add", "-q", "--detach", str(worktree), before_rev], cwd=ROOT, check=True)
        try:
            before = measure(worktree)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=ROOT, check=False)
    after = measure(ROOT)
    print(f"XLA programs compiled by the Lab page (small sizes), {before_rev} vs this tree; fresh process each side")
    print(f"{'surface':18s} {'section':10s} {'before':>7s} {'after':>7s} {'before s':>9s} {'after s':>8s}")
    for b, a in zip(before, after):
        print(f"{b['surface']:18s} {b['section']:10s} {b['compiles']:7d} {a['compiles']:7d} {b['seconds']:9.1f} "
              f"{a['seconds']:8.1f}" + ("  ERRORS " + str(a["errors"] or b["errors"]) if a["errors"] or b["errors"]
                                         else ""))
    for surface in SURFACES:
        nb = sum(r["compiles"] for r in before if r["surface"] == surface)
        na = sum(r["compiles"] for r in after if r["surface"] == surface)
        print(f"{surface}: {nb} before, {na} after")
    total_b, total_a = sum(r["compiles"] for r in before), sum(r["compiles"] for r in after)
    time_b, time_a = sum(r["seconds"] for r in before), sum(r["seconds"] for r in after)
    print(f"total: {total_b} before, {total_a} after (ratio after/before {total_a / max(total_b, 1):.2f}); "
          f"page time {time_b:.0f} s before, {time_a:.0f} s after")


if __name__ == "__main__":
    main()
