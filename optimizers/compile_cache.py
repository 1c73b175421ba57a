"""JAX's persistent compilation cache on disk, so a fresh process (a Streamlit restart, a test run) loads compiled
runners instead of compiling them again.

`enable` points ``jax_compilation_cache_dir`` at ``path`` (default: ``$JAX_CACHE_DIR``, else ``.jax_cache/`` at the
repository root) and lowers both thresholds to "cache everything": JAX's defaults skip any program that compiled
in under a second (``jax_persistent_cache_min_compile_time_secs = 1``), which on CPU is every one of ours, and may
skip small entries (``jax_persistent_cache_min_entry_size_bytes``; -1 disables the size check and JAX's override of
it).  ``tests/test_run.py`` checks that a compile writes a file there.

The cache is trusted code: never point it at a directory that others can write.
"""

from __future__ import annotations

import os
from pathlib import Path

import jax

MAX_BYTES = 512 * 2**20
"""Size cap of the on-disk compilation cache."""

_REPO = Path(__file__).resolve().parent.parent
_enabled: Path | None = None


def default_path() -> Path:
    """``$JAX_CACHE_DIR`` if set, else ``<repo>/.jax_cache``."""
    return Path(os.environ.get("JAX_CACHE_DIR") or _REPO / ".jax_cache")


def enable(path: str | os.PathLike | None = None) -> Path:
    """Turn on the persistent compilation cache at ``path`` (created if missing) and return it; idempotent."""
    global _enabled
    target = Path(path) if path is not None else default_path()
    target = target.expanduser().resolve()
    if _enabled == target:
        return target
    target.mkdir(parents=True, exist_ok=True)
    jax.config.update("jax_enable_compilation_cache", True)
    jax.config.update("jax_compilation_cache_dir", str(target))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", -1)
    # JAX's default is unbounded (-1): every distinct typed surface would add files for ever.  LRU-evicted above this.
    jax.config.update("jax_compilation_cache_max_size", MAX_BYTES)
    if _enabled is not None:
        # JAX opens the cache once, at the first compile after the directory is set; switching directories
        # needs its (private) reset.  The first enable() needs nothing: an unset directory is retried lazily.
        from jax._src import compilation_cache

        compilation_cache.reset_cache()
    _enabled = target
    return target


def enabled() -> Path | None:
    """The directory `enable` set in this process, or None."""
    return _enabled
