"""Optimizers as JIT-compiled steppers over a `landscapes.Landscape`.  Never imports streamlit.

``optimizers.run(landscape, "adam", steps=500)`` runs one optimizer; `run_many`, `sweep` and `run_all` batch it.
The jit boundary behind them, with its program caches and limits (`MAX_STEPS`, `BOUND`, `compiled`, …), is the
module `optimizers.engine`.
"""

import landscapes  # noqa: F401  (configures XLA and float64 before any array is made)

from . import engine
from .base import STATUSES, Hyperparam, OptimizerSpec, Trajectory, schedule_applies
from .catalog import get, names, specs
from .engine import SweepResult, run, run_all, run_grid, run_many, sweep
from .tune import Tuning, tune_learning_rate
from . import presets
from .network import train as train_network

__all__ = ["STATUSES", "Hyperparam", "OptimizerSpec", "SweepResult", "Trajectory", "get", "names", "specs", "run",
           "run_all", "run_grid", "run_many", "sweep", "schedule_applies", "Tuning", "tune_learning_rate", "presets", "engine",
           "train_network"]
