"""Test helper: count what compiles while a block runs (shared by the recompile and warm-up tests)."""

from __future__ import annotations


import jax

from optimizers import engine as R


class CompileCounter:
    """Counts XLA backend compiles (jax.monitoring) and engine traces while active: ``.compiles``, ``.traces``."""

    def __enter__(self):
        self.compiles, self.traces = 0, R.trace_count()

        def listener(event, duration, **kwargs):
            if event == "/jax/core/compile/backend_compile_duration":
                self.compiles += 1

        self._listener = listener
        jax.monitoring.register_event_duration_secs_listener(listener)
        return self

    def __exit__(self, *exc):
        jax.monitoring.unregister_event_duration_listener(self._listener)
        self.traces = R.trace_count() - self.traces
