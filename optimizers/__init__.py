"""Optimizers as JIT-compiled steppers over a `landscapes.Landscape`.  Never imports streamlit."""

import landscapes  # noqa: F401  (enables float64 before any array is made)

from .base import STATUSES, Hyperparam, OptimizerSpec, Trajectory
from .catalog import get, names, specs
from .run import run, run_many, sweep

__all__ = ["STATUSES", "Hyperparam", "OptimizerSpec", "Trajectory", "get", "names", "specs", "run", "run_many", "sweep"]
