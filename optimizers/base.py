"""Records of the optimizer engine: an update rule's spec (`OptimizerSpec`) and what a run returns (`Trajectory`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, NamedTuple

import numpy as np

STATUSES = ("converged", "diverged", "max_steps")
"""Trajectory status codes: index in this tuple is the integer code used inside jit."""


@dataclass(frozen=True)
class Hyperparam:
    """One hyperparameter, named as optax names it, with the metadata the UI turns into a widget.

    ``kind`` is ``"float"`` (traced: moving it never recompiles), or ``"bool"`` / ``"int"`` (structural switches,
    static: changing one compiles a new runner once).
    """

    name: str
    default: Any
    min: float | None = None
    max: float | None = None
    log: bool = False
    help: str = ""
    kind: str = "float"


@dataclass(frozen=True)
class OptimizerSpec:
    """An update rule: the LaTeX that is shown is the rule that ``factory`` builds.

    ``factory(**hyperparams)`` returns an ``optax.GradientTransformation`` (``learning_rate`` may be a float or an
    optax schedule).  ``needs`` names the extra arguments its ``update`` takes beyond ``params``:
    ``"hessian"``, ``"value"``, ``"grad"``, ``"value_fn"``.  ``converges`` is False when the rule is not expected to
    reach the minimum with its defaults, and ``why_not`` says why (shown in the UI).
    """

    name: str
    title: str
    family: str
    latex: str
    factory: Callable[..., Any]
    hyperparams: tuple[Hyperparam, ...] = ()
    needs: frozenset[str] = frozenset()
    converges: bool = True
    why_not: str = ""
    reference: str = ""

    def defaults(self) -> dict[str, Any]:
        """The documented default of every hyperparameter, by name."""
        return {h.name: h.default for h in self.hyperparams}


class Trajectory(NamedTuple):
    """One optimizer run (or a batch of them, with leading batch axes).

    Shapes for ``T`` steps: ``xy (T+1, 2)``; ``loss`` and ``grad_norm (T+1,)`` at each iterate; ``update_norm`` and
    ``learning_rate (T,)`` per step; ``status`` one of ``STATUSES``; ``converged_at`` / ``diverged_at`` the step
    index, or -1.  After divergence the arrays hold the last finite point: nothing non-finite is ever returned.
    """

    xy: np.ndarray
    loss: np.ndarray
    grad_norm: np.ndarray
    update_norm: np.ndarray
    learning_rate: np.ndarray
    status: Any
    converged_at: Any
    diverged_at: Any
