"""Streamlit's caches at the UI seam, and nothing else.

`resource` and `data` wrap a function in ``st.cache_resource`` / ``st.cache_data`` with a bounded ``max_entries``
and register it, so `clear` empties every cache of every page.  The cached functions live with what they compute
(`components.surfaces`, `components.runs`, and each page's ``compute`` module); every one takes plain hashable
values (a surface travels as a key, `components.surfaces.surface_key`), so a session that drags sliders for an hour
cannot grow memory without limit.

* `resource` for the big results shared read-only across sessions (trajectories, grids, flows): a hit costs no
  unpickling.  Every NumPy array in the result is flagged read-only, so an accidental in-place write raises instead
  of corrupting what other sessions see.  ``private(*args)`` marks calls whose results must not be shared at all
  (a visitor's uploaded data): those are kept in that session's state only, at most ``max_entries`` of them.
* `data` for small derived values (critical points, point classifications), pickled per hit.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any, Callable

import numpy as np
import streamlit as st

_CACHES: list = []
_OURS = ("landscapes", "optimizers", "components")
_PRIVATE = "_cache.private"  # {(function name, args): result} in a session's state


def _freeze(value: Any, depth: int = 3) -> None:
    """Flag every NumPy array in ``value`` (and in its tuples, named tuples, dataclasses, a few levels down)
    read-only."""
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
    elif depth and isinstance(value, (tuple, list)):
        for item in value:
            _freeze(item, depth - 1)
    elif depth and dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            _freeze(getattr(value, f.name), depth - 1)
    elif depth and type(value).__module__.split(".")[0] in _OURS and hasattr(value, "__dict__"):
        for item in vars(value).values():  # a result object of ours (a run_grid's TrajectoryGrid)
            _freeze(item, depth - 1)


def _bounded(max_entries) -> int:
    if not (isinstance(max_entries, int) and not isinstance(max_entries, bool) and max_entries > 0):
        raise ValueError(f"a cache needs a positive max_entries, got {max_entries!r}")
    return max_entries


def resource(max_entries: int, *, spinner: bool | str = False, private: Callable[..., bool] | None = None):
    """``st.cache_resource(max_entries)`` over a function whose result is frozen read-only, registered for `clear`.
    ``private(*args, **kwargs)`` true: this call's result is kept in the session's state, not shared."""
    _bounded(max_entries)

    def wrap(fn):
        @functools.wraps(fn)
        def frozen(*args, **kwargs):
            out = fn(*args, **kwargs)
            _freeze(out)
            return out

        shared = st.cache_resource(max_entries=max_entries, show_spinner=spinner)(frozen)
        _CACHES.append(shared)
        if private is None:
            return shared

        @functools.wraps(fn)
        def call(*args, **kwargs):
            if not private(*args, **kwargs):
                return shared(*args, **kwargs)
            memo = st.session_state.setdefault(_PRIVATE, {})
            key = (fn.__qualname__, args, tuple(sorted(kwargs.items())))
            if key not in memo:
                mine = [k for k in memo if k[0] == fn.__qualname__]
                while len(mine) >= max_entries:
                    memo.pop(mine.pop(0))
                memo[key] = frozen(*args, **kwargs)
            return memo[key]

        call.clear = shared.clear
        return call

    return wrap


def data(max_entries: int, *, spinner: bool | str = False):
    """``st.cache_data(max_entries)``, registered for `clear`."""
    _bounded(max_entries)

    def wrap(fn):
        cached = st.cache_data(max_entries=max_entries, show_spinner=spinner)(fn)
        _CACHES.append(cached)
        return cached

    return wrap


def clear() -> None:
    """Drop every cached result of every page (tests use it to measure cold paths)."""
    for cached in _CACHES:
        cached.clear()
