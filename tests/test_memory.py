"""components.memory: one full garbage collection per interval, whatever the number of reruns and threads."""

import ast
import gc
import subprocess
import sys
import threading
import weakref
from pathlib import Path

import pytest

from components import memory


class Node:
    pass


class Clock:
    def __init__(self, t=1000.0):
        self.t = t

    def __call__(self):
        return self.t


def cycles(n=100) -> list[weakref.ref]:
    """n unreachable reference cycles (only the cyclic collector can free them); weak references to them."""
    refs = []
    for _ in range(n):
        a = Node()
        a.me = a
        refs.append(weakref.ref(a))
    return refs


def alive(refs) -> int:
    return sum(r() is not None for r in refs)


@pytest.fixture
def clock(monkeypatch):
    """A fake clock starting at the last collection, with Python's automatic collections paused; the first due
    collection freezes (whatever the tests before did), and the test process is unfrozen afterwards."""
    c = Clock()
    monkeypatch.setattr(memory, "_last", [c.t])
    monkeypatch.setattr(memory, "_frozen", [False])
    gc.collect()
    gc.disable()
    yield c
    gc.enable()
    gc.unfreeze()


def test_before_the_interval_nothing_is_collected(clock):
    refs = cycles()
    clock.t += 14.9
    assert memory.collect_now_and_then(15.0, clock) is False
    assert alive(refs) == len(refs)


def test_when_due_the_cycles_are_freed_and_the_next_one_waits_a_full_interval(clock):
    refs = cycles()
    clock.t += 15.0
    assert memory.collect_now_and_then(15.0, clock) is True
    assert alive(refs) == 0
    later = cycles()
    clock.t += 14.0
    assert memory.collect_now_and_then(15.0, clock) is False
    assert alive(later) == len(later)
    clock.t += 1.0
    assert memory.collect_now_and_then(15.0, clock) is True
    assert alive(later) == 0


def test_concurrent_reruns_at_the_deadline_collect_once(clock):
    clock.t += 60.0
    barrier = threading.Barrier(8)
    results = []

    def rerun():
        barrier.wait()
        results.append(memory.collect_now_and_then(15.0, clock))

    threads = [threading.Thread(target=rerun) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 7 + [True]


def test_the_first_collection_freezes_the_survivors_and_later_ones_skip_them(clock):
    kept = cycles()
    holder = [r() for r in kept]  # reachable now: these survive the first collection and are frozen with it
    clock.t += 15.0
    assert memory.collect_now_and_then(15.0, clock) is True
    assert gc.get_freeze_count() > 0
    frozen = gc.get_freeze_count()
    # New garbage is still freed by the next due collection, and nothing more is frozen.
    fresh = cycles()
    clock.t += 15.0
    assert memory.collect_now_and_then(15.0, clock) is True
    assert alive(fresh) == 0
    assert gc.get_freeze_count() == frozen
    # The documented price: a cycle that was alive at the freeze and is dropped later stays.
    del holder
    clock.t += 15.0
    assert memory.collect_now_and_then(15.0, clock) is True
    assert alive(kept) == len(kept)
    gc.unfreeze()
    gc.collect()
    assert alive(kept) == 0


TRIM_CHILD = """
import numpy as np
from components import memory

def rss_mb():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS")) / 1024

blocks = [np.ones(12_000) for _ in range(3000)]  # 96 kB each: below glibc's mmap threshold, so from the heap
keep = blocks[-1]  # the top block pins the heap's end: only a trim can return the free pages below it
del blocks
before = rss_mb()
print(memory.trim(), before - rss_mb())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc_trim is glibc's")
def test_trim_returns_freed_heap_pages_to_the_system():
    """~280 MB freed below a live block stay resident until `memory.trim` (then at least 200 MB go back)."""
    out = subprocess.run([sys.executable, "-c", TRIM_CHILD], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1]).stdout.split()
    assert out[0] == "True" and float(out[1]) >= 200, out


def test_a_due_collection_trims(clock, monkeypatch):
    calls = []
    monkeypatch.setattr(memory, "trim", lambda: calls.append(1) or True)
    clock.t += 15.0
    assert memory.collect_now_and_then(15.0, clock) is True
    assert calls == [1]


PAGES = sorted((Path(__file__).resolve().parents[1] / "app_pages").glob("*.py"))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_page_gives_a_widget_a_function_of_its_own(page):
    """A widget keeps its callback (and a download button its deferred data) for the session's life, and a function
    keeps its module's namespace: a page's own function or lambda would keep that run's whole namespace (its grid,
    paths and scrub data) alive with the session (`components.callbacks`)."""
    tree = ast.parse(page.read_text())
    own = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    kept = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        kept_args = [kw.value for kw in node.keywords if kw.arg in ("on_click", "on_change", "on_submit", "on_select")]
        if isinstance(node.func, ast.Attribute) and node.func.attr == "download_button":  # its data may be deferred
            kept_args += [kw.value for kw in node.keywords if kw.arg == "data"] + node.args[1:2]
        kept += [f"line {node.lineno}: {ast.unparse(value)}" for value in kept_args
                 if isinstance(value, ast.Lambda) or (isinstance(value, ast.Name) and value.id in own)]
    assert kept == []


def test_a_runs_namespaces_are_cleared_when_it_ends_and_only_its_own():
    mine, theirs = {"paths": [1, 2]}, {"paths": [3]}
    other = threading.Thread(target=memory.release_with_run, args=(theirs,))
    other.start()
    other.join()
    memory.release_with_run(mine)
    assert memory.release_run_namespaces() == 1
    assert mine == {} and theirs == {"paths": [3]}
    assert memory.release_run_namespaces() == 0
