"""Records of the optimizer engine: an update rule's spec (`OptimizerSpec`) and what a run returns (`Trajectory`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, NamedTuple

import numpy as np

from .stopping import STATUSES  # noqa: F401  (the status vocabulary's home is optimizers.stopping)


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
    ``"hessian"``, ``"value"``, ``"grad"``, ``"value_fn"``.

    Facts about where the rule ends, each shown in the UI only where it is true:

    * ``converges`` is False for rules that cannot settle at a minimum with a constant step on *any* surface (a
      sign or normalized step, SAM's perturbed gradient), and ``why_not`` says why.
    * ``misses`` are ``(surface, reason)`` pairs: on that built-in surface, with the documented defaults, the rule
      does not come within the convergence test's tolerance in its budget (``tests/test_convergence.py`` asserts
      each one as a strict expected failure, so the reason is measured, and an entry that starts converging is
      noticed).
    * ``budgets`` are ``(surface, steps)`` pairs where the rule is merely slow: it does reach the minimum, in
      that many steps instead of the test's default budget.
    * ``own_defaults`` are ``(hyperparameter, reason)`` pairs where the default here is not the optax function's
      (optax has none, or its value suits networks, not 2-D surfaces); every other default of an optax entry is
      optax's own, which ``tests/test_optimizer_formulas.py`` checks against optax's signatures.
    * ``step_scale`` says how the learning rate acts, so that a surface without a preset can derive one
      (`optimizers.presets`): ``"curvature"`` (the step is ``η g``: stable only for ``ηλ`` below a limit),
      ``"length"`` (the step per coordinate is about ``η`` whatever the gradient: Adam, RMSProp, sign methods),
      ``"decaying"`` (about ``η/√t``: AdaGrad) or None (keep the documented default).

    How the engine and the UI treat the rule:

    * ``schedulable`` is False where ``learning_rate`` is not a per-step scale (Rprop's initial step size), so no
      schedule may replace it; `takes_schedule` adds that the rule has a float ``learning_rate`` at all, and
      `optimizers.schedule_applies` is the one answer to "does this run use the schedule?".
    * ``per_coordinate``: the update of each coordinate depends only on that coordinate's gradient, state and
      value, and on scalars shared by all (step count, hyperparameters): no norm, trust ratio, matrix or random
      draw over the parameter vector.  The engine may then hand it x and y as two parameters (see
      `optimizers.run`), which lays a batch out as one array per coordinate and makes sweeps faster;
      tests/test_run.py checks every such entry gives the same numbers both ways.
    * ``latex_variant(**hyperparams)`` is the formula with the static switches (``bool``/``int`` hyperparameters)
      set; None when the formula has no switches (`optimizers.catalog.latex_for`).
    * ``code(hyperparams) -> optimizers.codegen.Recipe`` says how to write the rule as plain optax code for
      "copy as optax code"; None when ``factory`` is itself a public optax function (`optimizers.codegen`).
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
    misses: tuple[tuple[str, str], ...] = ()
    budgets: tuple[tuple[str, int], ...] = ()
    step_scale: str | None = None
    schedulable: bool = True
    per_coordinate: bool = False
    latex_variant: Callable[..., str] | None = None
    code: Callable[[dict], Any] | None = None
    own_defaults: tuple[tuple[str, str], ...] = ()

    def miss(self, surface: str) -> str | None:
        """The measured reason this rule misses the minimum of built-in ``surface`` with its defaults, or None."""
        return dict(self.misses).get(surface)

    def budget(self, surface: str, default: int) -> int:
        """The step budget the convergence test gives this rule on ``surface`` (``default`` unless it is slow)."""
        return dict(self.budgets).get(surface, default)

    def defaults(self) -> dict[str, Any]:
        """The documented default of every hyperparameter, by name."""
        return {h.name: h.default for h in self.hyperparams}

    @property
    def takes_schedule(self) -> bool:
        """Whether ``learning_rate`` may be an optax schedule: a float ``learning_rate`` that scales every step."""
        return self.schedulable and any(h.name == "learning_rate" and h.kind == "float" for h in self.hyperparams)


def schedule_applies(spec: OptimizerSpec, schedule: str | None) -> bool:
    """Whether a run of ``spec`` uses ``schedule``: the one answer every caller asks (``None`` and ``"constant"``
    mean a constant learning rate, so no schedule; a rule that takes none runs without it)."""
    return schedule not in (None, "constant") and spec.takes_schedule


class Trajectory(NamedTuple):
    """One optimizer run (or a batch of them, with leading batch axes), as `optimizers.run` and `run_many` present
    an `optimizers.Result` of ``record="path"``: ``xy`` is its ``params``, ``status`` its code's name.

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
