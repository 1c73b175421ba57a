"""A run's outcome in words: converged, diverged (and the likely cause), stalled or still moving, for the page
and the player's readout.  The stability limits come from `optimizers.analytic.RULES`, their one home."""

from __future__ import annotations

import math
from typing import Any, Mapping, NamedTuple, Sequence

import numpy as np

from components.i18n import t
from landscapes import numbers
from landscapes.analysis import OUT_OF_RANGE
from optimizers import analytic


ENGINE_WORDS = {"converged": "converged", "diverged": "diverged", "max_steps": "moving"}
"""The engine's run statuses (`optimizers.base.STATUSES`) in the readout's words, where only those are known (the
live scrub's notches); a released run gets the finer `outcome` (stalled, out_of_range, ...).  With the player's
"running" (before a run has done anything) these are the one status vocabulary of the pages: codes, whose words
the player's readout shows from `components.player.words.STATUSES`."""


def readout_status(status) -> str:
    """An engine status (`optimizers.base.STATUSES`) as the player's readout code (`ENGINE_WORDS`); others as they are."""
    return ENGINE_WORDS.get(str(status), str(status))


class Outcome(NamedTuple):
    """A run's outcome: ``status`` is a code for the player's readout (converged, diverged, stalled, moving,
    out_of_range; its words: `components.player.words.STATUSES`), ``text`` the sentence for the page."""

    status: str
    text: str


def _f(v: float) -> str:
    return numbers.number(v, 3, minus="-")


def stability_limit(name: str, hyperparams: Mapping[str, Any]) -> tuple[float, str] | None:
    """The largest stable ``η·λ`` of the rule on a quadratic with curvature ``λ``, when it is known in closed form.

    Gradient descent ``x ← x − ηλx``: ``|1 − ηλ| < 1`` ⇔ ``ηλ < 2``.  Heavy ball (``momentum``), characteristic
    polynomial ``z² − (1 + μ − ηλ) z + μ``: ``ηλ < 2(1 + μ)``.  Nesterov, ``z² − (1 + μ)(1 − ηλ) z + μ(1 − ηλ)``:
    ``ηλ < 2(1 + μ)/(1 + 2μ)``.  (Polyak 1964; Sutskever et al. 2013; cs231n notes.)
    """
    mu = float(hyperparams.get("momentum", 0.9))
    limit = analytic.learning_rate_limit(name, 1.0, momentum=mu)  # the η limit at λ = 1 is the ηλ limit
    if limit is None:
        return None
    formula = analytic.eta_lambda_text(name)
    return limit, formula if name == "sgd" else f"{formula} = {_f(limit)}"


def divergence_cause(name: str, hyperparams: Mapping[str, Any], traj: Any, start_eigenvalues: Sequence[float],
                     scheduled: bool = False) -> str:
    """The sentence of a diverged run (at step k) with its probable cause: an unbounded-below surface, or a step
    too large for the curvature ``λmax`` (the Hessian's largest eigenvalue at the start point)."""
    k = int(traj.diverged_at)
    loss = np.asarray(traj.loss, np.float64)
    last = loss[max(k - 1, 0)]
    if k > 1 and np.isfinite(last) and last < loss[0] and last < -1e3 * max(1.0, abs(loss[0])):
        return t("diverged at step {step}: the loss fell without bound: the surface has no minimum in the direction "
                 "the run took.", step=k)
    lam = float(max(start_eigenvalues))
    eta = hyperparams.get("learning_rate")
    if eta is None or not isinstance(eta, (int, float)) or isinstance(eta, bool):
        return t("diverged at step {step}: the steps grew until the iterate left the range the engine accepts "
                 "(λmax = {lam} at the start).", step=k, lam=_f(lam))
    eta = float(eta)
    if lam <= 0:
        return t("diverged at step {step}: the start lies where f curves down (λmax = {lam} ≤ 0), so the steps keep "
                 "growing as the run slides away.", step=k, lam=_f(lam))
    limit = stability_limit(name, hyperparams)
    product = eta * lam
    if limit is not None and not scheduled:
        bound, expr = limit
        if product > bound:
            return t("diverged at step {step}: η·λmax = {eta}·{lam} = {product} > {bound} at the start point (λmax: "
                     "the Hessian's largest eigenvalue there), so each step overshoots along the steepest direction; "
                     "stable only for η < {limit}.", step=k, eta=_f(eta), lam=_f(lam), product=_f(product),
                     bound=expr, limit=_f(bound / lam))
        return t("diverged at step {step}: η·λmax = {product} is below the limit {bound} at the start, but the "
                 "curvature grows along the path (λmax is larger where the run went).", step=k, product=_f(product),
                 bound=expr)
    return t("diverged at step {step}: the step size is probably too large for the curvature: η = {eta}, and at the "
             "start λmax = {lam}, where plain gradient descent would need η < {limit}.", step=k, eta=_f(eta),
             lam=_f(lam), limit=_f(analytic.learning_rate_limit('sgd', lam)))


def outcome(traj: Any, *, end_kind: str, critical: Sequence[tuple[tuple[float, float], str]],
            global_minima: Sequence[Sequence[float]], box_diagonal: float, name: str = "",
            hyperparams: Mapping[str, Any] | None = None, start_eigenvalues: Sequence[float] = (0.0, 0.0),
            scheduled: bool = False) -> Outcome:
    """The run's outcome in words.

    ``end_kind`` is the second-derivative test's verdict at the last iterate; ``critical`` lists the surface's
    critical points as ``((x, y), kind)``.  A point counts as *near* when it lies within ``1e-3`` of the box
    diagonal.  Diverged: "diverged at step k" with `divergence_cause`.  Converged (the runner's ``converged_at``:
    gradient and step both vanished): "converged to a minimum / saddle point / maximum at step k".  Otherwise
    "stalled at a saddle" (near one, and barely moving) or "still moving".
    """
    hyperparams = hyperparams or {}
    xy = np.asarray(traj.xy, np.float64).reshape(-1, 2)
    end = xy[-1]
    steps = len(xy) - 1
    near = 1e-3 * box_diagonal
    if traj.status == "diverged" or int(traj.diverged_at) >= 0:
        return Outcome("diverged", divergence_cause(name, hyperparams, traj, start_eigenvalues, scheduled))
    if end_kind == OUT_OF_RANGE:
        # exp(1000x) at x = −1 rounds to 0 with its gradient: the engine's stopping test passes on those zeros.
        if int(traj.converged_at) >= 0:
            return Outcome("out_of_range", t(
                "ended after {steps} steps where f or its gradient leaves float64's range (the engine's stopping test "
                "passed at step {step} only because the gradient rounded to 0): nothing about a critical point or "
                "convergence can be claimed from those numbers.", steps=steps, step=int(traj.converged_at)))
        return Outcome("out_of_range", t(
            "ended after {steps} steps where f or its gradient leaves float64's range: nothing about a critical "
            "point or convergence can be claimed from those numbers.", steps=steps))
    is_global = any(np.hypot(*(end - np.asarray(m))) <= near for m in global_minima)
    if int(traj.converged_at) >= 0:
        k = int(traj.converged_at)
        words = {
            "minimum": (t("converged to the global minimum at step {step}.", step=k) if is_global else
                        t("converged to a local minimum at step {step}.", step=k) if global_minima else
                        t("converged to a minimum at step {step}.", step=k)),
            "saddle": t("converged to a saddle point at step {step} (the gradient vanishes there too).", step=k),
            "maximum": t("converged to a maximum at step {step} (the gradient vanishes there too).", step=k),
            "degenerate": t("converged to a degenerate critical point at step {step} (the second-derivative test is "
                            "inconclusive).", step=k),
        }
        if end_kind in words:
            return Outcome("converged", words[end_kind])
        return Outcome("converged", t("stopped moving at step {step}, though the gradient there is not quite zero.",
                                      step=k))
    nearest_kind, nearest_d, nearest_xy = None, math.inf, None
    for point, kind in critical:
        d = float(np.hypot(*(end - np.asarray(point))))
        if d < nearest_d:
            nearest_kind, nearest_d, nearest_xy = kind, d, np.asarray(point, np.float64)
    update = np.asarray(traj.update_norm, np.float64)
    recent = float(np.mean(update[-max(1, steps // 10):])) if update.size else 0.0
    if (nearest_kind == "saddle" and nearest_d <= 10 * near) or end_kind == "saddle":
        if recent <= near:
            return Outcome("stalled", t("stalled at a saddle after {steps} steps (steps of about {size} near the "
                                        "saddle point; the gradient there is almost zero).", steps=steps,
                                        size=_f(recent)))
    if nearest_kind == "minimum" and nearest_d <= 10 * near:
        nearest_is_global = any(np.hypot(*(nearest_xy - np.asarray(m))) <= near for m in global_minima)
        if nearest_is_global:
            return Outcome("moving", t("still moving after {steps} steps, close to the global minimum (distance "
                                       "{distance}) but not converged yet.", steps=steps, distance=_f(nearest_d)))
        return Outcome("moving", t("still moving after {steps} steps, close to a local minimum (distance {distance}) "
                                   "but not converged yet.", steps=steps, distance=_f(nearest_d)))
    return Outcome("moving", t("still moving after {steps} steps (last steps of about {size}).", steps=steps,
                               size=_f(recent)))
