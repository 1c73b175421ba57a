r"""The settings a surface opens with: each optimizer's hyperparameters and the step count, per surface.

Three layers, later ones winning (`defaults`):

1. the optimizer's documented defaults (`OptimizerSpec.hyperparams`);
2. where the surface's preset does not set the learning rate, one *derived* from the surface (`derived_learning_rate`);
3. the surface's preset (`landscapes.Preset`), chosen by hand to show that surface's lesson.

The derived learning rate follows how the rule's step scales (`OptimizerSpec.step_scale`):

* ``"curvature"`` (the step is ``η g``: gradient descent, heavy ball, Nesterov): on a quadratic the rule is stable
  only for ``η λmax`` below its limit (2 for GD, ``2(1 + μ)`` for heavy ball, ``2(1 + μ)/(1 + 2μ)`` for Nesterov;
  `optimizers.analytic`), so ``η = ½ · limit / λmax`` with ``λmax`` the largest Hessian eigenvalue at the start and
  at the surface's known minima (the curvature the run will meet first and last);
* ``"length"`` (the step per coordinate is about ``η`` whatever the gradient: Adam, RMSProp, sign methods):
  ``η = LENGTH_FRACTION ×`` the box's shorter side, so a run crosses the box in about 1/LENGTH_FRACTION steps;
* ``"decaying"`` (AdaGrad: about ``η/√t`` per coordinate, so ``2η√T`` in ``T`` steps): ``η`` such that the
  preset's steps cover half of the box's shorter side;
* None: the documented default is kept (learning-rate-free methods, second-order methods, …).

Derived values are rounded *down* to the slider grid's mantissas (1, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8 per decade), so
they stay below the stability limit and are values the slider can show, and clipped to the slider's range.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import analytic
from .catalog import get as _get

LENGTH_FRACTION = 0.01
"""A length-scaled rule's derived η, as a fraction of the box's shorter side."""
SAFETY = 0.5
"""A curvature-scaled rule's derived η, as a fraction of its stability limit ``η·λmax``."""
MANTISSAS = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0)


def round_down(value: float) -> float:
    """The largest ``m · 10^k`` with ``m`` in `MANTISSAS` that is ``≤ value`` (for ``value > 0``)."""
    exponent = math.floor(math.log10(value))
    for e in (exponent, exponent - 1):
        for m in reversed(MANTISSAS):
            v = float(f"{m * 10.0**e:.12g}")
            if v <= value * (1 + 1e-12):
                return v
    return value


def steps(landscape) -> int:
    """The step count the surface opens with."""
    return int(landscape.preset.steps)


def largest_curvature(landscape, start=None) -> float:
    """``λmax``: the largest Hessian eigenvalue at ``start`` (default: the surface's) and at its known minima."""
    from landscapes import analysis  # late: keeps the catalog importable without building any surface

    points = [tuple(landscape.start if start is None else start)] + [m.xy for m in landscape.minima]
    hessians = np.asarray(analysis.hessian(landscape, np.asarray(points, np.float64)))
    eigenvalues = np.linalg.eigvalsh(hessians.reshape(-1, 2, 2))
    finite = eigenvalues[np.isfinite(eigenvalues)]
    return float(finite.max()) if finite.size else float("nan")


def derived_learning_rate(landscape, name: str, start=None, n_steps: int | None = None,
                          momentum: float | None = None) -> float | None:
    """The learning rate the rules above derive for optimizer ``name`` on ``landscape``, or None (keep the default).

    ``momentum`` is the μ used in the heavy-ball and Nesterov limits (default: the spec's).
    """
    spec = _get(name)
    rate = next((h for h in spec.hyperparams if h.name == "learning_rate"), None)
    if rate is None or spec.step_scale is None:
        return None
    (x0, x1), (y0, y1) = landscape.bounds
    side = min(x1 - x0, y1 - y0)
    if spec.step_scale == "curvature":
        lam = largest_curvature(landscape, start)
        if not (math.isfinite(lam) and lam > 0):
            return None  # curving down everywhere we look: no stability limit to stay under
        mu = spec.defaults().get("momentum", 0.0) if momentum is None else momentum
        limit = analytic.learning_rate_limit(name, lam, momentum=mu) or analytic.gd_limit(lam)
        value = SAFETY * limit
    elif spec.step_scale == "length":
        value = LENGTH_FRACTION * side
    elif spec.step_scale == "decaying":
        value = 0.5 * side / (2.0 * math.sqrt(n_steps or steps(landscape)))
    else:
        raise ValueError(f"unknown step_scale {spec.step_scale!r} of {name!r}")
    return float(min(max(round_down(value), rate.min), rate.max))


def defaults(landscape, name: str, start=None) -> dict[str, Any]:
    """Every hyperparameter of optimizer ``name`` as the surface opens with it (see the module docstring).  A
    chain of optax blocks that rebuilds a catalog optimizer (`optimizers.builder.twin`) opens with that optimizer's
    values, so the two start out on the same path."""
    from . import builder  # late: the builder imports the catalog, as this module does

    spec = _get(name)
    values = spec.defaults()
    twin = builder.twin(name)
    if twin is not None:
        values.update({k: v for k, v in defaults(landscape, twin, start).items() if k in values})
        return values
    chosen = landscape.preset.for_optimizer(name)
    if "learning_rate" in values and "learning_rate" not in chosen:
        derived = derived_learning_rate(landscape, name, start, momentum=chosen.get("momentum"))
        if derived is not None:
            values["learning_rate"] = derived
    unknown = set(chosen) - set(values)
    if unknown:
        raise ValueError(f"preset of {landscape.name!r} sets unknown hyperparameters of {name!r}: {sorted(unknown)}")
    values.update(chosen)
    return values
