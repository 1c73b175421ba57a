"""What every test shares.

* The test process keeps no persistent compilation cache.  ``app.py`` and the warm-up turn JAX's persistent cache
  on (`optimizers.compile_cache.enable`), so the first AppTest would turn it on for the rest of the session: every
  later compile would be serialised into the repository's ``.jax_cache/``, and a test's result could depend on
  what an earlier run left there.  So `enable` does nothing here; the cache's own tests run it in subprocesses
  (tests/test_run.py), and the servers the browser tests start keep theirs.
* The process stays well below Linux's cap on memory mappings (``vm.max_map_count``, 65530): every compiled XLA
  program holds some (`landscapes._xla` keeps it to ~24 per runner), and at the cap LLVM fails to allocate and the
  process dies with a segmentation fault (the CI run of stop 34).  JAX keeps every program compiled for a function
  that lives (a module's jitted functions, up to thousands of entries each), so the suite's process held 52k
  mappings by tests/test_optimizer_formulas.py: after each test module, JAX's caches are cleared (what a module
  compiled is compiled again where another needs it; the program LRUs hold functions, not executables).  A test
  that still finds the process near the cap fails with that reason instead.
"""

from __future__ import annotations

import gc
from pathlib import Path

import jax
import pytest

from optimizers import compile_cache

MAX_MAPS = Path("/proc/sys/vm/max_map_count")
MAPS_SHARE = 0.8
"""Fail a test once the process holds this share of the mappings Linux allows."""


@pytest.fixture(autouse=True, scope="session")
def _no_persistent_compilation_cache():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(compile_cache, "enable", lambda path=None: None)
        yield


@pytest.fixture(autouse=True, scope="module")
def _compiled_programs_dropped_after_each_module():
    yield
    jax.clear_caches()
    gc.collect()


def _mappings() -> tuple[int, int] | None:
    """(memory mappings this process holds, the most Linux allows), or None where /proc cannot say."""
    try:
        with open("/proc/self/maps") as f:
            return sum(1 for _ in f), int(MAX_MAPS.read_text())
    except (OSError, ValueError):
        return None


@pytest.fixture(autouse=True)
def _process_limits_kept():
    yield
    assert compile_cache.enabled() is None and jax.config.jax_compilation_cache_dir is None, (
        "the test process turned JAX's persistent compilation cache on: test it in a subprocess")
    counts = _mappings()
    if counts is not None:
        held, cap = counts
        assert held < MAPS_SHARE * cap, (
            f"the test process holds {held} memory mappings of the {cap} Linux allows (vm.max_map_count): at the cap "
            f"XLA's next compile crashes the process; drop compiled programs the tests no longer need")
