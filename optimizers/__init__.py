"""Optimizers as JIT-compiled steppers over a `landscapes.Landscape` (or a network's loss).  Never imports streamlit.

``optimizers.solve(surface, "adam", steps=500)`` is the one entry point; it returns a `Result`.  `run`, `run_many`,
`run_grid`, `sweep`, `run_all` and `train_network` are thin wrappers that present it in their own shapes
(`optimizers.engine`, `optimizers.network`).  The rules every run follows (divergence bound, convergence test,
status codes) live in `optimizers.stopping`; the step cap is `MAX_STEPS`.
"""

import landscapes  # noqa: F401  (configures XLA and float64 before any array is made)

from . import engine, stopping
from .base import STATUSES, Hyperparam, OptimizerSpec, Trajectory, schedule_applies
from .catalog import get, names, specs
from .solver import DEFAULT_STEPS, MAX_STEPS, Result, solve
from .engine import SweepResult, TrajectoryGrid, run, run_all, run_grid, run_many, sweep
from .tune import Tuning, tune_learning_rate
from . import presets
from .network import train as train_network

__all__ = ["STATUSES", "Hyperparam", "OptimizerSpec", "SweepResult", "Trajectory", "get", "names", "specs", "run",
           "run_all", "run_grid", "run_many", "sweep", "schedule_applies", "Tuning", "tune_learning_rate", "presets",
           "engine", "train_network", "solve", "Result", "MAX_STEPS", "DEFAULT_STEPS", "stopping", "TrajectoryGrid"]
