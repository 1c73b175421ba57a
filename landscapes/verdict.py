r"""The second-derivative test, its one home: what a point is (kind) and why (a reason code with its numbers).

At a point where ``∇f = 0`` the Taylor expansion is ``f(x + v) ≈ f(x) + ½ vᵀ H v``, so the eigenvalues of the
Hessian decide (NTU ML 2023, "local minima & saddle point", ``shared/seeds/001_*``).  With ``λmin ≤ λmax`` the
extreme eigenvalues (on a surface both of them; on a network the Lanczos estimates of the two ends) and ``tol``
the size below which an eigenvalue counts as zero:

* ``‖∇f‖ > gtol``: not a critical point (kind ``"regular"``, code ``"not_critical"``); the test does not apply,
  but what the curvature alone would make is still reported (``Reason.curvature``);
* ``min(|λmin|, |λmax|) ≤ tol``: the Hessian is singular, the test is inconclusive (``"degenerate"``, code
  ``"singular"``);
* else ``λmin > 0``: a minimum (``"positive_definite"``); ``λmax < 0``: a maximum (``"negative_definite"``);
  otherwise a saddle (``"indefinite"``: the function falls along λmin's eigenvector and rises along λmax's).

A point where f, ∇f or H left the float64 range gets code ``"out_of_range"`` and no other verdict
(`landscapes.floatrange`).  Each caller sets ``gtol`` and ``tol`` from its own scale (`landscapes.analysis`: the
box; `landscapes.network`: the Hessian's norm) with the one relative tolerance `ZERO_RTOL`.  The engine returns
the `Reason`; the UI composes the sentence (``PointInfo.reason`` keeps an English one for notebook users).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .base import KINDS

ZERO_RTOL = 1e-6
"""An eigenvalue with ``|λ| ≤ ZERO_RTOL · scale`` counts as zero."""

REASONS = {"not_critical": "regular", "singular": "degenerate", "positive_definite": "minimum",
           "negative_definite": "maximum", "indefinite": "saddle", "out_of_range": "out_of_range"}
"""Every reason code, with the kind it gives."""
_CODE_OF_CURVATURE = {"minimum": "positive_definite", "maximum": "negative_definite", "saddle": "indefinite",
                      "degenerate": "singular"}


class Reason(NamedTuple):
    """Why a point got its kind: ``code`` (a key of `REASONS`) and the numbers the test compared.

    ``curvature`` is what the Hessian alone says (one of `landscapes.KINDS`), also where the point is not critical.
    For ``"out_of_range"``: ``lost`` names what left the range (``"value"``, ``"gradient"`` or ``"hessian"``) and
    ``underflow`` says whether it rounded to 0 (else it overflowed)."""

    code: str
    grad_norm: float
    grad_tol: float
    lam_min: float
    lam_max: float
    zero_tol: float
    curvature: str
    lost: str | None = None
    underflow: bool = False

    @property
    def kind(self) -> str:
        return REASONS[self.code]


def curvature_code(lam_min, lam_max, tol, xp=np):
    """The index into `landscapes.KINDS` of what the curvature says (0 minimum, 1 maximum, 2 saddle, 3 degenerate),
    elementwise; ``xp`` is ``numpy`` or ``jax.numpy`` (the curvature maps are computed in a compiled program)."""
    flat = xp.minimum(xp.abs(lam_min), xp.abs(lam_max)) <= tol
    return xp.where(flat, 3, xp.where(lam_min > 0, 0, xp.where(lam_max < 0, 1, 2)))


def second_order_test(grad_norm: float, grad_tol: float, lam_min: float, lam_max: float, tol: float) -> Reason:
    """The verdict at one point (see the module docstring)."""
    curvature = KINDS[int(curvature_code(float(lam_min), float(lam_max), float(tol)))]
    code = _CODE_OF_CURVATURE[curvature] if grad_norm <= grad_tol else "not_critical"
    return Reason(code, float(grad_norm), float(grad_tol), float(lam_min), float(lam_max), float(tol), curvature)


def out_of_range(reason: Reason, lost: str, underflow: bool) -> Reason:
    """``reason`` replaced by the verdict that the numbers say nothing: ``lost`` left float64's range."""
    return reason._replace(code="out_of_range", lost=lost, underflow=bool(underflow))
