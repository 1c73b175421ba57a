"""What every test shares: the test process keeps no persistent compilation cache.

``app.py`` and the warm-up turn JAX's persistent cache on (`optimizers.compile_cache.enable`), so every AppTest would
turn it on in this process for the rest of the session, and every later compile would be serialised to disk.  XLA's
CPU executable serialisation has crashed this process that way (SIGSEGV in JAX's
``compilation_cache.put_executable_and_time``, in tests/test_presets.py, in the CI run of stop 34 and once here)
after thousands of compiles; it never did in a server.  So `enable` does nothing here: the cache's own tests run it
in subprocesses (tests/test_run.py), and the servers the browser tests start keep theirs.
"""

from __future__ import annotations

import jax
import pytest

from optimizers import compile_cache


@pytest.fixture(autouse=True, scope="session")
def _no_persistent_compilation_cache():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(compile_cache, "enable", lambda path=None: None)
        yield


@pytest.fixture(autouse=True)
def _cache_stays_off():
    yield
    assert compile_cache.enabled() is None and jax.config.jax_compilation_cache_dir is None, (
        "the test process turned JAX's persistent compilation cache on: test it in a subprocess")
