"""Second-order update rules as optax transformations (optax ships none): Newton, damped Newton, saddle-free Newton,
and gradient descent with the curvature step 1/|λ|max.

Each rule is an ``optax.GradientTransformationExtraArgs`` whose ``update`` takes the Hessian at ``params`` as the
extra keyword argument ``hessian`` (the runner computes it with ``jax.hessian`` only for specs whose ``needs``
contains ``"hessian"``).  All four work on the eigen-decomposition ``H = Q diag(λ) Qᵀ`` of the symmetrised
Hessian and apply a function of the eigenvalues to the gradient:

    direction = Q diag(φ(λ)) Qᵀ g,       x ← x − η · direction

==================  ==============================================  ==========================================
rule                φ(λᵢ)                                           behaviour
==================  ==============================================  ==========================================
Newton              1/λᵢ if |λᵢ| > ε else 0   (pseudo-inverse H⁺)   jumps to the critical point of the local
                                                                    quadratic model: minimum, saddle OR maximum
damped Newton       1/(λᵢ+δ) if |λᵢ+δ| > ε else 0   ((H+δI)⁺)         Levenberg-style; still attracted to saddles
                                                                    whenever δ < |λᵢ| for a negative λᵢ
saddle-free Newton  1/max(|λᵢ|, ε)            (|H|⁻¹)               Dauphin et al. 2014: flips the step along
                                                                    negative curvature, so saddles repel
curvature GD        1/max(maxᵢ|λᵢ|, ε)        (scalar)              GD with η/L, L the largest |curvature|
==================  ==============================================  ==========================================

Newton's attraction to saddles and maxima is deliberately left in: on ``x² − y²`` from ``(0.1, 0.1)`` one step with
η = 1 lands exactly on the saddle.  The only guard is for a singular Hessian: eigen-directions whose (damped)
eigenvalue is below ``eps`` in magnitude get no step at all (that is the Moore–Penrose pseudo-inverse with an
absolute cut-off), instead of an unbounded one.  Saddle-free Newton and the curvature step floor |λ| at ``eps``
instead, because their step must stay a descent step.

References: Nocedal & Wright, *Numerical Optimization* (2006), ch. 3 and 6 (Newton, damping); Dauphin et al.,
"Identifying and attacking the saddle point problem in high-dimensional non-convex optimization", NeurIPS 2014
(saddle-free Newton); the 1/β step (β the dominant Hessian eigenvalue) from Princeton COS 597G lecture 3, cited in
the course notes (seed 004).
"""

from __future__ import annotations

from typing import Callable

import jax.numpy as jnp
import optax

from landscapes.linalg import eigh2

from .base import Hyperparam, OptimizerSpec

ScalarOrSchedule = float | Callable[[jnp.ndarray], jnp.ndarray]


def _eigh(sym: jnp.ndarray) -> tuple[jnp.ndarray, jnp.ndarray]:
    """Ascending eigenvalues and eigenvectors (columns) of a symmetric matrix: `landscapes.linalg.eigh2` for
    2×2 (closed form, stays inside the fused loop), LAPACK otherwise."""
    if sym.shape != (2, 2):
        return jnp.linalg.eigh(sym)
    return eigh2(sym)


def _eigen_precondition(hessian: jnp.ndarray, grad: jnp.ndarray, phi: Callable) -> jnp.ndarray:
    """``Q diag(φ(λ)) Qᵀ g`` for the symmetrised Hessian ``(H + Hᵀ)/2 = Q diag(λ) Qᵀ``."""
    lam, q = _eigh(0.5 * (hessian + hessian.T))
    return q @ (phi(lam) * (q.T @ grad))


def _pinv(lam: jnp.ndarray, eps) -> jnp.ndarray:
    """1/λ where |λ| > eps, else 0: the pseudo-inverse of a diagonal with an absolute cut-off."""
    ok = jnp.abs(lam) > eps
    return jnp.where(ok, 1.0 / jnp.where(ok, lam, 1.0), 0.0)


def _preconditioner(phi_of_eps: Callable) -> optax.GradientTransformationExtraArgs:
    """A stateless transformation mapping ``g`` to ``Q diag(φ(λ)) Qᵀ g`` using the ``hessian`` extra argument."""

    def init_fn(params):
        del params
        return optax.EmptyState()

    def update_fn(updates, state, params=None, *, hessian=None, **extra_args):
        del params, extra_args
        if hessian is None:
            raise ValueError("second-order rules need the Hessian: call update(..., hessian=H)")
        return _eigen_precondition(jnp.asarray(hessian), updates, phi_of_eps), state

    return optax.GradientTransformationExtraArgs(init_fn, update_fn)


def scale_by_newton(eps: float = 1e-8) -> optax.GradientTransformationExtraArgs:
    """``g ↦ H⁺ g`` with eigenvalues ``|λ| ≤ eps`` dropped (pseudo-inverse)."""
    return _preconditioner(lambda lam: _pinv(lam, eps))


def scale_by_damped_newton(damping: float = 1.0, eps: float = 1e-8) -> optax.GradientTransformationExtraArgs:
    """``g ↦ (H + δI)⁺ g`` with ``δ = damping`` and damped eigenvalues ``|λ + δ| ≤ eps`` dropped."""
    return _preconditioner(lambda lam: _pinv(lam + damping, eps))


def scale_by_saddle_free_newton(eps: float = 1e-6) -> optax.GradientTransformationExtraArgs:
    """``g ↦ |H|⁻¹ g`` with ``|H| = Q diag(max(|λ|, eps)) Qᵀ`` (Dauphin et al. 2014)."""
    return _preconditioner(lambda lam: 1.0 / jnp.maximum(jnp.abs(lam), eps))


def scale_by_curvature(eps: float = 1e-6) -> optax.GradientTransformationExtraArgs:
    """``g ↦ g / max(maxᵢ|λᵢ|, eps)``: the gradient step 1/L with L the largest absolute curvature."""
    return _preconditioner(lambda lam: jnp.ones_like(lam) / jnp.maximum(jnp.max(jnp.abs(lam)), eps))


def newton(learning_rate: ScalarOrSchedule = 1.0, eps: float = 1e-8) -> optax.GradientTransformationExtraArgs:
    """Newton's method ``x ← x − η H⁺ ∇f``."""
    return optax.chain(scale_by_newton(eps), optax.scale_by_learning_rate(learning_rate))


def damped_newton(learning_rate: ScalarOrSchedule = 1.0, damping: float = 1.0,
                  eps: float = 1e-8) -> optax.GradientTransformationExtraArgs:
    """Damped (Levenberg) Newton ``x ← x − η (H + δI)⁺ ∇f``."""
    return optax.chain(scale_by_damped_newton(damping, eps), optax.scale_by_learning_rate(learning_rate))


def saddle_free_newton(learning_rate: ScalarOrSchedule = 1.0,
                       eps: float = 1e-6) -> optax.GradientTransformationExtraArgs:
    """Saddle-free Newton ``x ← x − η |H|⁻¹ ∇f``."""
    return optax.chain(scale_by_saddle_free_newton(eps), optax.scale_by_learning_rate(learning_rate))


def curvature_gd(learning_rate: ScalarOrSchedule = 1.0, eps: float = 1e-6) -> optax.GradientTransformationExtraArgs:
    """Gradient descent with the curvature step ``x ← x − η ∇f / max(|λ|max, ε)``."""
    return optax.chain(scale_by_curvature(eps), optax.scale_by_learning_rate(learning_rate))


def _lr(default: float = 1.0) -> Hyperparam:
    return Hyperparam("learning_rate", default, 0.01, 2.0, log=True,
                      help="η multiplies the second-order step; η = 1 is the full step.")


def _eps(default: float, what: str) -> Hyperparam:
    return Hyperparam("eps", default, 1e-12, 1e-1, log=True, help=what)


_NEEDS = frozenset({"hessian"})
_NEWTON_EPS = ("Eigenvalues smaller than ε in magnitude are dropped (pseudo-inverse) instead of giving an unbounded "
               "step.")
_FLOOR_EPS = "Floor on |λ|, so a flat direction gives a large but finite step."

SPECS: tuple[OptimizerSpec, ...] = (
    OptimizerSpec(
        name="newton",
        title="Newton",
        family="second_order",
        latex=(r"x_{t+1} = x_t - \eta\, H^{+} \nabla f(x_t), \quad "
               r"H^{+} = \sum_{i:\,|\lambda_i| > \epsilon} \lambda_i^{-1} q_i q_i^{\top}"),
        factory=newton,
        hyperparams=(_lr(), _eps(1e-8, _NEWTON_EPS)),
        needs=_NEEDS,
        reference="Nocedal & Wright, Numerical Optimization (2006), §3.3; it seeks any critical point, saddles too.",
    ),
    OptimizerSpec(
        name="damped_newton",
        title="Damped Newton",
        family="second_order",
        latex=(r"x_{t+1} = x_t - \eta\, (H + \delta I)^{+} \nabla f(x_t), \quad "
               r"(H+\delta I)^{+} = \sum_{i:\,|\lambda_i + \delta| > \epsilon} "
               r"(\lambda_i + \delta)^{-1} q_i q_i^{\top}"),
        factory=damped_newton,
        hyperparams=(_lr(), Hyperparam("damping", 1.0, 1e-6, 1e3, log=True,
                                       help="δ is added to every eigenvalue; large δ turns Newton into GD with η/δ."),
                     _eps(1e-8, _NEWTON_EPS)),
        needs=_NEEDS,
        reference="Levenberg (1944); Nocedal & Wright (2006), §10.3.",
    ),
    OptimizerSpec(
        name="saddle_free_newton",
        title="Saddle-free Newton",
        family="second_order",
        latex=(r"x_{t+1} = x_t - \eta\, |H|_{\epsilon}^{-1} \nabla f(x_t), \quad "
               r"|H|_{\epsilon} = \sum_i \max(|\lambda_i|, \epsilon)\, q_i q_i^{\top}"),
        factory=saddle_free_newton,
        hyperparams=(_lr(), _eps(1e-6, _FLOOR_EPS)),
        needs=_NEEDS,
        reference="Dauphin et al., Identifying and attacking the saddle point problem..., NeurIPS 2014.",
    ),
    OptimizerSpec(
        name="curvature_gd",
        title="GD with step 1/|λ|max",
        family="second_order",
        latex=r"x_{t+1} = x_t - \frac{\eta}{\max(\max_i |\lambda_i|,\ \epsilon)} \nabla f(x_t)",
        factory=curvature_gd,
        hyperparams=(_lr(), _eps(1e-6, _FLOOR_EPS)),
        needs=_NEEDS,
        # 1/|λ|max is tiny along flat directions: at Rosenbrock's minimum the curvatures are about 1002 and 0.4, so the
        # error along the floor shrinks by 1 − 0.4/1002 per step; measured within 3e-2 from step 6,805 on.
        budgets=(("rosenbrock", 16_000),),
        reference="η = 1/β with β the dominant Hessian eigenvalue: Princeton COS 597G (2018), lecture 3.",
    ),
)
