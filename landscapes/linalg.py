"""The closed-form eigendecomposition of symmetric 2×2 matrices, the one the whole app uses (the analysis of a
surface and the second-order optimizers alike).

For ``H = [[a, b], [b, c]]``: ``m = (a + c)/2``, ``r = hypot((a − c)/2, b)``, eigenvalues ``m ∓ r``.  The one of
larger magnitude, ``m + sign(m) r``, has no cancellation; the other is ``det H / λ_big`` (as LAPACK's ``dlaev2``
does), so both are accurate to ~ε‖H‖ and a tiny eigenvalue keeps its relative accuracy.  The eigenvectors are the
rotation by ``θ = ½ atan2(2b, a − c)``.  Pure arithmetic: it stays inside a fused loop (a LAPACK call per step of
an optimizer costs more than the rest of the step) and vmaps elementwise.
"""

from __future__ import annotations

import jax.numpy as jnp


def eigh2(sym) -> tuple[jnp.ndarray, jnp.ndarray]:
    """Ascending eigenvalues ``(..., 2)`` and eigenvectors ``(..., 2, 2)`` (column ``i`` belongs to eigenvalue
    ``i``) of symmetric 2×2 matrices ``(..., 2, 2)``; only the upper triangle is read."""
    sym = jnp.asarray(sym)
    a, b, c = sym[..., 0, 0], sym[..., 0, 1], sym[..., 1, 1]
    m = 0.5 * (a + c)
    r = jnp.hypot(0.5 * (a - c), b)
    big = jnp.where(m >= 0, m + r, m - r)
    small = jnp.where(big != 0, (a * c - b * b) / jnp.where(big != 0, big, 1.0), 0.0)
    low, high = jnp.where(m >= 0, small, big), jnp.where(m >= 0, big, small)
    theta = 0.5 * jnp.arctan2(2.0 * b, a - c)
    cos, sin = jnp.cos(theta), jnp.sin(theta)
    vectors = jnp.stack([jnp.stack([-sin, cos], axis=-1), jnp.stack([cos, sin], axis=-1)], axis=-1)
    return jnp.stack([low, high], axis=-1), vectors
