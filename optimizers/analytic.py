r"""Closed-form stability limits of gradient descent, heavy-ball momentum and Nesterov momentum on a quadratic.

On ``f(x) = ½ xᵀAx`` with ``A`` symmetric, every rule below is linear in the iterates, and in the eigenbasis of
``A`` the coordinates decouple: along an eigenvector with eigenvalue ``λ`` each rule is a small linear recurrence
``s_{t+1} = M s_t``.  It converges for every start iff the spectral radius ``ρ(M) < 1``; the Jury (Schur–Cohn)
test for ``z² + b z + c`` (both roots inside the unit circle iff ``|c| < 1``, ``1 + b + c > 0``, ``1 − b + c > 0``)
turns that into inequalities on ``a = ηλ``.

* Gradient descent ``x ← x − η g``: ``M = 1 − ηλ``; stable iff ``0 < ηλ < 2``, so on a positive-definite ``A`` the
  limit is ``η < 2/λ_max`` (cs231n notes; Goh 2017, "Why Momentum Really Works", Distill).
* Heavy-ball momentum ``v ← μv − η g,  x ← x + v`` (the catalog's ``"momentum"``): on ``(x_t, x_{t−1})``
  ``M = [[1 + μ − ηλ, −μ], [1, 0]]``, characteristic polynomial ``z² − (1 + μ − a) z + μ``; Jury gives
  ``|μ| < 1`` and ``0 < ηλ < 2(1 + μ)`` (Polyak 1964; Goh 2017).
* Nesterov momentum in the cs231n form ``v' ← μv − η g(x),  x ← x − μv + (1 + μ)v'`` (the catalog's
  ``"nesterov"``): on ``(x_t, v_t)`` ``M = [[1 − (1 + μ)a, μ²], [−a, μ]]``, polynomial
  ``z² − (1 + μ)(1 − a) z + μ(1 − a)``; Jury gives ``|μ(1 − a)| < 1``, ``a > 0`` and ``a < 2(1 + μ)/(1 + 2μ)``,
  which for ``0 ≤ μ < 1`` is ``0 < ηλ < 2(1 + μ)/(1 + 2μ)`` (Sutskever et al. 2013).

A quadratic with a non-positive eigenvalue (a saddle, a flat direction) has no stable learning rate for these
rules, in the sense of reaching a minimum: the limits below are then ``0``.  Everything is NumPy and broadcasts.
`quadratic_hessian` recognises a quadratic surface (its Hessian is the same everywhere in its box).
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np


# ---------------------------------------------------------------------------------------------- iteration maps
def gd_matrix(eta, lam) -> np.ndarray:
    """Gradient descent along one eigen-direction, as a ``(..., 1, 1)`` matrix ``[[1 − ηλ]]``."""
    eta, lam = np.broadcast_arrays(np.asarray(eta, float), np.asarray(lam, float))
    return (1.0 - eta * lam)[..., None, None]


def heavy_ball_matrix(eta, mu, lam) -> np.ndarray:
    """Heavy-ball momentum on ``(x_t, x_{t−1})``: ``[[1 + μ − ηλ, −μ], [1, 0]]``, shape ``(..., 2, 2)``.

    From ``x_{t+1} = x_t + v_{t+1}``, ``v_{t+1} = μ v_t − ηλ x_t`` and ``v_t = x_t − x_{t−1}``.
    """
    eta, mu, lam = np.broadcast_arrays(*(np.asarray(v, float) for v in (eta, mu, lam)))
    m = np.zeros(eta.shape + (2, 2))
    m[..., 0, 0] = 1.0 + mu - eta * lam
    m[..., 0, 1] = -mu
    m[..., 1, 0] = 1.0
    return m


def nesterov_matrix(eta, mu, lam) -> np.ndarray:
    """cs231n Nesterov momentum on ``(x_t, v_t)``: ``[[1 − (1 + μ)ηλ, μ²], [−ηλ, μ]]``, shape ``(..., 2, 2)``.

    From ``v_{t+1} = μ v_t − ηλ x_t`` and ``x_{t+1} = x_t − μ v_t + (1 + μ) v_{t+1}``.
    """
    eta, mu, lam = np.broadcast_arrays(*(np.asarray(v, float) for v in (eta, mu, lam)))
    a = eta * lam
    m = np.zeros(eta.shape + (2, 2))
    m[..., 0, 0] = 1.0 - (1.0 + mu) * a
    m[..., 0, 1] = mu**2
    m[..., 1, 0] = -a
    m[..., 1, 1] = mu
    return m


def _quadratic_root_radius(b, c) -> np.ndarray:
    """``max |z|`` over the roots of ``z² + b z + c`` (real coefficients), in closed form."""
    disc = np.asarray(b * b - 4.0 * c, dtype=complex)
    root = np.sqrt(disc)
    return np.maximum(np.abs((-b + root) / 2.0), np.abs((-b - root) / 2.0))


def gd_spectral_radius(eta, lam) -> np.ndarray:
    """``ρ = |1 − ηλ|``: the factor by which the distance along that eigenvector changes per step."""
    return np.abs(1.0 - np.asarray(eta, float) * np.asarray(lam, float))


def heavy_ball_spectral_radius(eta, mu, lam) -> np.ndarray:
    """``ρ`` of `heavy_ball_matrix`: the largest root modulus of ``z² − (1 + μ − ηλ) z + μ``."""
    eta, mu, lam = (np.asarray(v, float) for v in (eta, mu, lam))
    return _quadratic_root_radius(-(1.0 + mu - eta * lam), mu)


def nesterov_spectral_radius(eta, mu, lam) -> np.ndarray:
    """``ρ`` of `nesterov_matrix`: the largest root modulus of ``z² − (1 + μ)(1 − ηλ) z + μ(1 − ηλ)``."""
    eta, mu, lam = (np.asarray(v, float) for v in (eta, mu, lam))
    a = eta * lam
    return _quadratic_root_radius(-(1.0 + mu) * (1.0 - a), mu * (1.0 - a))


# ---------------------------------------------------------------------------------------------- conditions
def gd_stable(eta, lam) -> np.ndarray:
    """``0 < ηλ < 2`` for every eigenvalue (``lam`` broadcasts; reduce over the spectrum with ``np.all``)."""
    a = np.asarray(eta, float) * np.asarray(lam, float)
    return (a > 0) & (a < 2)


def heavy_ball_stable(eta, mu, lam) -> np.ndarray:
    """``|μ| < 1`` and ``0 < ηλ < 2(1 + μ)`` (Jury test on ``z² − (1 + μ − ηλ) z + μ``)."""
    eta, mu, lam = (np.asarray(v, float) for v in (eta, mu, lam))
    a = eta * lam
    return (np.abs(mu) < 1) & (a > 0) & (a < 2 * (1 + mu))


def nesterov_stable(eta, mu, lam) -> np.ndarray:
    """``|μ(1 − ηλ)| < 1``, ``ηλ > 0`` and ``ηλ (1 + 2μ) < 2(1 + μ)`` (Jury test on Nesterov's polynomial)."""
    eta, mu, lam = (np.asarray(v, float) for v in (eta, mu, lam))
    a = eta * lam
    # Written without dividing by 1 + 2μ, so μ = −½ is handled too.
    return (np.abs(mu * (1 - a)) < 1) & (a > 0) & (a * (1 + 2 * mu) < 2 * (1 + mu))


# ---------------------------------------------------------------------------------------------- limits
def _positive_definite(lam_min) -> bool:
    return lam_min is None or float(lam_min) > 0


def gd_limit(lam_max, lam_min=None) -> float:
    """The largest stable learning rate of gradient descent, ``2/λ_max`` (0 unless the quadratic is positive
    definite; pass ``lam_min`` to have that checked)."""
    lam_max = float(lam_max)
    return 2.0 / lam_max if lam_max > 0 and _positive_definite(lam_min) else 0.0


def heavy_ball_limit(mu, lam_max, lam_min=None) -> np.ndarray:
    """The boundary ``η*(μ) = 2(1 + μ)/λ_max`` of heavy-ball momentum: stable for ``0 < η < η*`` when ``|μ| < 1``
    (0 where ``|μ| ≥ 1`` or the quadratic is not positive definite).  Broadcasts over ``mu``."""
    mu = np.asarray(mu, float)
    ok = (np.abs(mu) < 1) & (float(lam_max) > 0) & _positive_definite(lam_min)
    return np.where(ok, 2.0 * (1.0 + mu) / max(float(lam_max), 1e-300), 0.0)


def nesterov_limit(mu, lam_max, lam_min=None) -> np.ndarray:
    """The boundary ``η*(μ) = 2(1 + μ)/((1 + 2μ) λ_max)`` of Nesterov momentum for ``0 ≤ μ < 1`` (0 outside
    that range or when the quadratic is not positive definite).  Broadcasts over ``mu``."""
    mu = np.asarray(mu, float)
    ok = (mu >= 0) & (mu < 1) & (float(lam_max) > 0) & _positive_definite(lam_min)
    return np.where(ok, 2.0 * (1.0 + mu) / ((1.0 + 2.0 * np.where(ok, mu, 0.0)) * max(float(lam_max), 1e-300)), 0.0)


class Boundary(NamedTuple):
    """A stability boundary as a curve: ``(eta[i], mu[i])`` lie on it; stable for ``η < eta[i]`` at ``mu[i]``."""

    eta: np.ndarray
    mu: np.ndarray


def heavy_ball_boundary(lam_max, mu=None, lam_min=None) -> Boundary:
    """The heavy-ball boundary ``η = 2(1 + μ)/λ_max`` sampled at ``mu`` (default 201 points on ``[0, 1)``)."""
    mu = np.linspace(0.0, 0.999, 201) if mu is None else np.asarray(mu, float)
    return Boundary(heavy_ball_limit(mu, lam_max, lam_min), mu)


def nesterov_boundary(lam_max, mu=None, lam_min=None) -> Boundary:
    """The Nesterov boundary ``η = 2(1 + μ)/((1 + 2μ) λ_max)`` sampled at ``mu`` (default 201 points on ``[0, 1)``)."""
    mu = np.linspace(0.0, 0.999, 201) if mu is None else np.asarray(mu, float)
    return Boundary(nesterov_limit(mu, lam_max, lam_min), mu)


class Rule(NamedTuple):
    """What is known in closed form about one catalog optimizer on a quadratic: the one source of the stability
    limits the pages show (rendered by `eta_lambda_text`, `eta_text` and ``latex``)."""

    stable: Callable  # (eta, mu, lam) -> bool array; mu is ignored by gradient descent
    limit: Callable  # (mu, lam_max, lam_min) -> largest stable η
    latex: str  # the condition, as shown on the page
    numerator: str  # the bound on ηλmax is numerator / denominator, written compactly
    denominator: str = ""


RULES: dict[str, Rule] = {
    "sgd": Rule(lambda eta, mu, lam: gd_stable(eta, lam), lambda mu, lam_max, lam_min=None: gd_limit(lam_max, lam_min),
                r"0 < \eta\lambda_{\max} < 2", "2"),
    "momentum": Rule(heavy_ball_stable, heavy_ball_limit, r"|\mu| < 1,\quad 0 < \eta\lambda_{\max} < 2(1+\mu)",
                     "2(1+μ)"),
    "nesterov": Rule(nesterov_stable, nesterov_limit,
                     r"0 \le \mu < 1,\quad 0 < \eta\lambda_{\max} < \frac{2(1+\mu)}{1+2\mu}", "2(1+μ)", "1+2μ"),
}
"""Catalog name -> closed-form stability on a quadratic; names not listed have no closed form here."""


def eta_lambda_text(name: str) -> str:
    """The bound on ``η·λmax`` of ``name`` for prose: ``2``, ``2(1 + μ)``, ``2(1 + μ)/(1 + 2μ)``."""
    rule = RULES[name]
    spaced = [part.replace("+", " + ") for part in (rule.numerator, rule.denominator)]
    return spaced[0] if not rule.denominator else f"{spaced[0]}/({spaced[1]})"


def eta_text(name: str) -> str:
    """The bound on ``η`` of ``name``, compact for labels: ``2/λmax``, ``2(1+μ)/λmax``, ``2(1+μ)/((1+2μ)λmax)``."""
    rule = RULES[name]
    return f"{rule.numerator}/λmax" if not rule.denominator else f"{rule.numerator}/(({rule.denominator})λmax)"


def learning_rate_limit(name: str, lam_max: float, lam_min: float | None = None, momentum: float = 0.0) -> float | None:
    """The largest stable η of optimizer ``name`` on a quadratic with these extreme eigenvalues, or None when
    `RULES` has no closed form for it."""
    rule = RULES.get(name)
    return None if rule is None else float(rule.limit(momentum, lam_max, lam_min))


# ---------------------------------------------------------------------------------------------- recognise quadratics
def quadratic_hessian(landscape, n: int = 5, rtol: float = 1e-9) -> np.ndarray | None:
    """The constant Hessian ``A`` if ``landscape`` is a quadratic on its box, else None.

    Test: the Hessian (autodiff, `landscapes.analysis.hessian`) at an ``n × n`` grid of points spanning the box
    equals its value at the first point to ``rtol · max(1, ‖A‖)`` entrywise.  A quadratic passes exactly (its
    Hessian is constant); any other polynomial or transcendental surface fails unless it is quadratic on the
    whole sampled grid, which a smooth non-quadratic function is not.
    """
    from landscapes import analysis  # late: keeps this module importable without building any surface

    (x0, x1), (y0, y1) = landscape.bounds
    xs, ys = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    pts = np.stack([xs.ravel(), ys.ravel()], axis=-1)
    hess = np.asarray(analysis.hessian(landscape, pts))
    if not np.all(np.isfinite(hess)):
        return None
    ref = hess[0]
    scale = max(1.0, float(np.max(np.abs(ref))))
    if np.max(np.abs(hess - ref)) > rtol * scale:
        return None
    return 0.5 * (ref + ref.T)


def extreme_eigenvalues(hessian: np.ndarray) -> tuple[float, float]:
    """``(λ_min, λ_max)`` of a symmetric 2×2 matrix."""
    lam = np.linalg.eigvalsh(np.asarray(hessian, float))
    return float(lam[0]), float(lam[-1])
