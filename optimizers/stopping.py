r"""When a run counts as diverged or converged, and the status codes that say which: the one home of these rules.

Every loop of the engine (`optimizers.kernel` for surfaces, `optimizers.network` for networks, `optimizers.flow`
for the ODEs) asks these functions, so a run is called diverged or converged by the same test everywhere.

Divergence.  Iterate ``x_t`` *diverges* when a coordinate of ``x_t`` or the loss ``f(x_t)`` is non-finite or beyond
`BOUND` in magnitude (`within_bound`), or when ``∇f(x_t)`` or the optimizer's state is non-finite (`finite`,
`tree_finite`).  ``1e6`` is far outside every built-in box (|x| ≤ 10²) and above any loss of a network of a few
thousand points (cross-entropy ~1), so only a run that is running away crosses it.

Convergence.  Iterate ``x_t`` is *converged* when ``‖∇f(x_t)‖ ≤ GTOL · max(1, ‖∇f(x_0)‖)`` and the step taken from
it is small, ``‖x_{t+1} − x_t‖ ≤ XTOL · max(1, ‖x_t‖)`` (`still`): ``x_t`` is a fixed point of the run, which a
momentum method passing through the minimum at speed is not.  A stationary point is not necessarily a minimum:
Newton "converges" to saddles.

Status.  An integer code per run, an index into `STATUSES` (`status_codes`): the engine returns codes, the UI maps
each code to its words.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np

STATUSES = ("converged", "diverged", "max_steps", "finished")
"""What a run's integer status code means (the code is the index):

* ``converged`` (`CONVERGED`): an optimizer run passed the convergence test at ``converged_at``;
* ``diverged`` (`DIVERGED`): it diverged at ``diverged_at`` (it wins over converged);
* ``max_steps`` (`MAX_STEPS_USED`): it used every step without doing either (an ODE solver: its step budget ran
  out before the end time);
* ``finished`` (`FINISHED`): an ODE path reached its end time (`optimizers.flow`)."""
CONVERGED, DIVERGED, MAX_STEPS_USED, FINISHED = range(len(STATUSES))

BOUND = 1e6
"""Coordinates or loss beyond this magnitude count as divergence."""
GTOL = 1e-6
"""Gradient tolerance of the convergence test, relative to ``max(1, ‖∇f(x_0)‖)``."""
XTOL = 1e-6
"""Step tolerance of the convergence test, relative to ``max(1, ‖x_t‖)``."""


# Reductions over a point's few coordinates are written out element by element: a reduce is its own kernel on CPU,
# and under vmap each one is a separate pass over all N configurations; elementwise ops fuse into one.  Vectors
# longer than a few entries (a network's parameters) use one reduction.
_UNROLL = 8


def all_of(flags) -> jnp.ndarray:
    """The logical and of an iterable of boolean scalars (True for none)."""
    return functools.reduce(jnp.logical_and, flags, jnp.asarray(True))


def _entries(v):
    """A point held as a tuple of scalars or as one array: its entries one by one when few, else None."""
    if isinstance(v, tuple):
        return v
    v = jnp.asarray(v)
    return tuple(v.reshape(-1)) if v.size <= _UNROLL else None


def finite(v) -> jnp.ndarray:
    """Every entry of ``v`` (an array, or a tuple of scalars) is finite."""
    entries = _entries(v)
    return jnp.all(jnp.isfinite(v)) if entries is None else all_of(jnp.isfinite(e) for e in entries)


def tree_finite(tree) -> jnp.ndarray:
    """Every inexact leaf of ``tree`` (an optimizer state) is finite."""
    return all_of(finite(x) for x in jax.tree_util.tree_leaves(tree)
                  if jnp.issubdtype(jnp.asarray(x).dtype, jnp.inexact))


def within_bound(x, f) -> jnp.ndarray:
    """Every coordinate of ``x`` and the loss ``f`` are at most `BOUND` in magnitude.  ``|v| <= BOUND`` is False
    for NaN and ±inf too, so this is also the finiteness test of ``x`` and ``f``."""
    entries = _entries(x)
    inside = jnp.all(jnp.abs(x) <= BOUND) if entries is None else all_of(jnp.abs(e) <= BOUND for e in entries)
    return inside & (jnp.abs(f) <= BOUND)


def gradient_tolerance2(g0_norm, ok0) -> jnp.ndarray:
    """``(GTOL · max(1, ‖∇f(x_0)‖))²``; the start's gradient counts only when the start is sane (``ok0``).
    Squared: the loops compare squared norms, so a sweep's step takes no square root."""
    return jnp.square(GTOL * jnp.maximum(1.0, jnp.where(ok0, g0_norm, 1.0)))


def still(g2, gtol2, step2, x2) -> jnp.ndarray:
    """The convergence test on squared norms: ``‖∇f(x_t)‖² ≤ gtol²`` and ``‖x_{t+1} − x_t‖² ≤ XTOL² max(1, ‖x_t‖²)``."""
    return (g2 <= gtol2) & (step2 <= XTOL**2 * jnp.maximum(1.0, x2))


def status_codes(converged_at, diverged_at) -> np.ndarray:
    """The status code of each run from its event steps (-1: no such event): diverged, else converged, else
    max_steps."""
    converged_at, diverged_at = np.asarray(converged_at), np.asarray(diverged_at)
    return np.where(diverged_at >= 0, DIVERGED, np.where(converged_at >= 0, CONVERGED, MAX_STEPS_USED))


def status_names(codes) -> np.ndarray:
    """The `STATUSES` name of each code (an array of strings of the codes' shape)."""
    return np.asarray(STATUSES)[np.asarray(codes)]
