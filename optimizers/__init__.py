"""Optimizers as JIT-compiled steppers over a `landscapes.Landscape`.  Never imports streamlit.

``optimizers.run`` is both the runner module (``optimizers/run.py``: `run_many`, `sweep`, `run_all`, `MAX_STEPS`, …)
and, called, the `run` function: ``optimizers.run(landscape, "adam", steps=500)``.
"""

import types

import landscapes  # noqa: F401  (configures XLA and float64 before any array is made)

from . import run as _run_module
from .base import STATUSES, Hyperparam, OptimizerSpec, Trajectory, schedule_applies
from .catalog import get, names, specs
from .run import SweepResult, run_all, run_many, sweep
from .tune import Tuning, tune_learning_rate
from . import presets


class _CallableModule(types.ModuleType):
    """Lets the module ``optimizers.run`` be called as the function `optimizers.run.run` (the public contract)."""

    def __call__(self, *args, **kwargs):
        return self.run(*args, **kwargs)


_run_module.__class__ = _CallableModule
run = _run_module

__all__ = ["STATUSES", "Hyperparam", "OptimizerSpec", "SweepResult", "Trajectory", "get", "names", "specs", "run",
           "run_all", "run_many", "sweep", "schedule_applies", "Tuning", "tune_learning_rate", "presets"]
