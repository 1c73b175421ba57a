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
this 2-core VM), so a rerun that lands on one is no longer held up.  The price: an object that was alive at the
freeze and later becomes cyclic garbage is never freed; that is at most what the process held once, ~15 s after
start (plain reference counting still frees everything that is not in a cycle).
"""

from __future__ import annotations

import gc
import threading
import time

INTERVAL_S = 15.0
"""Seconds between full collections: a few MB of garbage at most; after the freeze each takes about a millisecond."""

_lock = threading.Lock()
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
        if not _frozen[0]:
            gc.freeze()
            _frozen[0] = True
        _last[0] = clock()
        return True
    finally:
        _lock.release()
