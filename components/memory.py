"""When the server collects cyclic garbage: a full collection now and then, not after every rerun.

Streamlit's default (``runner.postScriptGC``) runs ``gc.collect(2)`` after every script run.  With JAX loaded the
heap holds hundreds of thousands of long-lived objects (jaxprs, compiled runners, caches), so each full collection
walks all of them: 0.2-0.4 s with the GIL held, and 61 % of the server's time under 20 users (py-spy, README
"Deploying").  `.streamlit/config.toml` turns it off.  Python's own generational GC still runs, but its full
collections wait until the objects promoted since the last one reach a quarter of the heap, so garbage that
outlived two young collections (a previous run's messages, a closed session's state) piles up in between: RSS
swung by up to 49 MB under load.  `collect_now_and_then` bounds that pile with one full collection per
``interval`` seconds, process-wide, whichever session's rerun comes first.

The first of those collections also freezes the survivors (``gc.freeze()``: Python's permanent generation, which
collections skip): the imported modules, JAX's runtime, the programs compiled so far.  Later full collections walk
only what was created after it, ~1 ms instead of ~140 ms for the 230k objects of an engine process (measured on
this 2-core VM, idle).  Programs compiled after the freeze are walked again: under 20 users with the live scrub a
full collection measured 0.1-0.6 s, so the interval stays long.  The price: an object that was alive at the
freeze and later becomes cyclic garbage is never freed; that is at most what the process held once, ~15 s after
start (plain reference counting still frees everything that is not in a cycle).

A page's run leaves no cycle behind (`release_with_run`): a page script runs in a fresh namespace, and every
function it defines refers back to that namespace, so each run's namespace (its grid, paths and the live scrub's
~1.6 MB of encoded runs) became cyclic garbage that only these collections freed, and which a widget callback or a
deferred download defined in the page kept alive with the session.  Measured with the scrub on: 1.7 MB per session
opened, kept until a full collection (or for the session's life); under 20 users the server swung by ~100 MB with
it.  A full collection costs 0.1-0.6 s under that load (the freeze covers only what existed at the first one), so
collecting more often was no answer.

Each collection then hands the allocator's free pages back to the system (glibc's ``malloc_trim(0)``, `trim`).
glibc keeps what a thread freed in that thread's arena for reuse: under 20 users with the live scrub (each rerun
builds and sends ~2 MB of paths) 340-450 MB of a 2.2 GB server were free pages held so, and the resident size
followed the peaks of concurrent reruns, not what the server holds (the load test measured +58 MB in a minute that
compiled nothing).  Trimming costs a few milliseconds (`tests/test_memory.py` bounds nothing about time; the load
test's latency figures include it).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import threading
import time

INTERVAL_S = 15.0
"""Seconds between full collections: a few MB of garbage at most (each costs ~1 ms idle, up to 0.6 s under load)."""

_lock = threading.Lock()
_run = threading.local()  # a script run's thread: the namespaces to clear when it ends
_last = [time.monotonic()]
_frozen = [False]


def collect_now_and_then(interval: float = INTERVAL_S, clock=time.monotonic) -> bool:
    """Run ``gc.collect(2)`` if ``interval`` seconds have passed since the last one; True when it ran.  After the
    first one, freeze the survivors (see the module docstring).

    Called at the end of every script run (app.py).  Sessions run in threads of one process, so the clock and the
    lock are shared: concurrent reruns at the deadline collect once."""
    now = clock()
    if now - _last[0] < interval or not _lock.acquire(blocking=False):
        return False
    try:
        if clock() - _last[0] < interval:  # another thread collected between our check and the lock
            return False
        gc.collect(2)
        trim()
        if not _frozen[0]:
            gc.freeze()
            _frozen[0] = True
        _last[0] = clock()
        return True
    finally:
        _lock.release()


@functools.cache
def _malloc_trim():
    """glibc's ``malloc_trim``, or None where there is none (macOS, musl)."""
    try:
        fn = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None
    fn.argtypes, fn.restype = [ctypes.c_size_t], ctypes.c_int
    return fn


def trim() -> bool:
    """Return the allocator's free pages to the system (glibc ``malloc_trim(0)``); False where there is no glibc."""
    fn = _malloc_trim()
    return fn is not None and fn(0) >= 0


def release_with_run(namespace: dict) -> None:
    """Clear ``namespace`` (a page's ``globals()``) when this script run ends (`release_run_namespaces`, app.py).

    A page must then give widgets nothing that needs its namespace later: callbacks live in `components.callbacks`,
    deferred downloads are ``functools.partial`` of module functions (``tests/test_memory.py`` checks both)."""
    if not hasattr(_run, "namespaces"):
        _run.namespaces = []
    _run.namespaces.append(namespace)


def release_run_namespaces() -> int:
    """Clear the namespaces registered by this thread's script run; returns how many."""
    namespaces, _run.namespaces = getattr(_run, "namespaces", []), []
    for namespace in namespaces:
        namespace.clear()
    return len(namespaces)
