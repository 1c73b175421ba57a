"""The Hessian's spectrum of a function of many parameters, from Hessian-vector products only (pure JAX, float64).

* ``H v`` is ``jax.jvp`` of ``jax.grad`` (forward over reverse): one gradient's cost, no ``n × n`` matrix.
* `lanczos` runs the Lanczos iteration with full reorthogonalization: ``k`` products give an orthonormal basis
  ``V`` of the Krylov space ``span{v, Hv, …, H^{k−1}v}`` and the tridiagonal ``T = Vᵀ H V`` (diagonal α, off-diagonal
  β).  The eigenvalues of ``T`` (Ritz values) approach the extreme eigenvalues of ``H`` first (Golub & Van Loan,
  *Matrix Computations*, 4th ed., §10.1); at ``k = n`` they are all of them.
* `extremes`: the top-k and bottom-k Ritz pairs, with each residual ``‖H u − λ u‖`` measured by one more product.
* `top`: λmax alone, by Lanczos that stops as soon as the top Ritz pair's residual ``β_k |s_k|`` (Paige) is
  below ``tol · |λ|``, ARPACK's test: about 10 products for the page's networks instead of ``min(n, 128)``.
* `density`: stochastic Lanczos quadrature (Lin, Saad & Yang 2016; Ghorbani, Krishnan & Xiao 2019, as in
  PyHessian): for a random unit ``v``, ``vᵀ g(H) v = Σᵢ wᵢ g(θᵢ)`` exactly for polynomials ``g`` of degree < 2k, with
  nodes ``θᵢ`` the Ritz values and weights ``wᵢ`` the squared first components of ``T``'s eigenvectors (they sum
  to 1).  Averaging over probes and replacing each node by a Gaussian of width σ gives a density that integrates
  to 1, whose mean estimates ``trace(H)/n`` (Hutchinson).
"""

from __future__ import annotations

import functools
from typing import Callable, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

MAX_STEPS = 128  # Lanczos steps at most: extreme eigenvalues converge long before, and T stays small
BREAKDOWN = 1e-10  # β below this fraction of ‖H‖ (as seen so far) ends the Krylov space: it is invariant


def hvp(loss: Callable, theta, v, data: tuple = ()):
    """``H(θ) v``, the Hessian of ``loss`` at ``theta`` times ``v``, by forward-over-reverse differentiation.

    ``data``: further arguments of ``loss`` (``loss(θ, *data)``), traced: a network's training set travels this way,
    so no compiled program holds it as a constant (and a new data set of the same shape compiles nothing)."""
    return jax.jvp(jax.grad(lambda t: loss(t, *data)), (theta,), (v,))[1]


def _step(product: Callable, V, j, scale):
    """One Lanczos step from row ``j`` of ``V`` with ``product(v) = H v``: ``(V with row j + 1 set, α_j, β_j,
    scale)``.

    β_j is 0 (and row j + 1 stays 0) when the space became invariant: β below `BREAKDOWN` × the largest |α| or β
    seen so far, which stands for ‖H‖."""
    v = V[j]
    w = product(v)
    a = w @ v
    # Full reorthogonalization against every v so far (rows not yet reached are 0), twice: "twice is enough"
    # (Giraud et al. 2005).  It subtracts α v_j and β v_{j−1} as the three-term recurrence does.
    w = w - V.T @ (V @ w)
    w = w - V.T @ (V @ w)
    b = jnp.linalg.norm(w)
    scale = jnp.maximum(scale, jnp.maximum(jnp.abs(a), b))
    ok = b > BREAKDOWN * scale
    V = jax.lax.dynamic_update_index_in_dim(V, jnp.where(ok, w / jnp.where(ok, b, 1.0), 0.0), j + 1, 0)
    return V, a, jnp.where(ok, b, 0.0), scale


def _basis(v0, steps: int):
    """The (steps + 1) × n basis buffer with the unit start in row 0."""
    return jnp.zeros((steps + 1, v0.shape[0]), v0.dtype).at[0].set(v0 / jnp.linalg.norm(v0))


@functools.partial(jax.jit, static_argnames=("loss", "steps"))
def _lanczos(loss: Callable, theta, starts, steps: int, data: tuple = ()):
    """Lanczos from each row of ``starts`` (vmapped): ``(alpha (p, k), beta (p, k), V (p, k, n))``.

    Row j of V is v_j; beta[j] couples v_j and v_{j+1} and is 0 from the step where the space became invariant
    (then every later v is 0 and T falls apart into blocks; `_valid` keeps the first)."""
    product = lambda v: hvp(loss, theta, v, data)  # noqa: E731

    def one(v0):
        def body(j, c):
            V, alpha, beta, scale = c
            V, a, b, scale = _step(product, V, j, scale)
            return V, alpha.at[j].set(a), beta.at[j].set(b), scale

        zeros = jnp.zeros(steps, v0.dtype)
        V, alpha, beta, _ = jax.lax.fori_loop(0, steps, body, (_basis(v0, steps), zeros, zeros, zeros[0]))
        return alpha, beta, V[:steps]

    return jax.vmap(one)(starts)


class Lanczos(NamedTuple):
    """One Lanczos run: ``T = tridiag(beta, alpha, beta)`` (``m × m``) and the basis ``V`` (``m × n``, orthonormal
    rows), with ``m`` the steps taken before the Krylov space became invariant."""

    alpha: np.ndarray
    beta: np.ndarray  # (m − 1,)
    V: np.ndarray

    def ritz(self) -> tuple[np.ndarray, np.ndarray]:
        """Eigenvalues of T (ascending) and its eigenvectors (columns)."""
        T = np.diag(self.alpha) + np.diag(self.beta, 1) + np.diag(self.beta, -1)
        return np.linalg.eigh(T)


def _valid(alpha, beta, V) -> Lanczos:
    alpha, beta, V = (np.asarray(a) for a in (alpha, beta, V))
    zero = np.flatnonzero(beta == 0.0)
    m = int(zero[0]) + 1 if zero.size else alpha.size
    return Lanczos(alpha[:m], beta[:m - 1], V[:m])


def steps_for(n: int, steps: int | None = None) -> int:
    """Lanczos steps: ``steps`` or ``min(n, MAX_STEPS)``, never more than ``n``."""
    return max(1, min(int(n), MAX_STEPS if steps is None else int(steps)))


def _theta(theta) -> jnp.ndarray:
    return jnp.asarray(theta, dtype=jnp.float64).reshape(-1)


def lanczos(loss: Callable, theta, steps: int | None = None, seed: int = 0, data: tuple = ()) -> Lanczos:
    """Lanczos on the Hessian of ``loss`` at ``theta`` from a seeded Gaussian start (``data``: see `hvp`)."""
    theta = _theta(theta)
    start = jax.random.normal(jax.random.key(seed), (1, theta.size), jnp.float64)
    alpha, beta, V = _lanczos(loss, theta, start, steps_for(theta.size, steps), tuple(data))
    return _valid(alpha[0], beta[0], V[0])


TOL = 1e-10  # `top` stops when the top Ritz pair's residual ‖H u − λ u‖ is below TOL · |λ| (ARPACK's test)
CHECKS = (8, 10, 12, 16, 20, 24, 32, 48, 64, 96, 128)  # Lanczos steps after which `top` tests convergence


def _top_ritz(alpha, beta, size: int):
    """The largest Ritz value of the leading ``size × size`` block of T, and its residual ``β_{size} |s_size|``.

    For the Ritz pair (θ, u = V s) of T_k, ``H u − θ u = β_k s_k v_{k+1}`` (Paige 1971; Golub & Van Loan
    §10.1.4), so the residual costs no product.  Entries after a breakdown (β = 0) belong to zero vectors: they
    are set below every valid diagonal entry (so below λmax, which is at least each of them) and decoupled, and
    the top eigenvector has no component there."""
    a, b = alpha[:size], beta[:size]
    valid = jnp.cumsum(jnp.concatenate([jnp.zeros(1, a.dtype), (b[:-1] == 0.0).astype(a.dtype)])) == 0
    diag = jnp.where(valid, a, jnp.min(jnp.where(valid, a, jnp.inf)) - 1.0)
    off = jnp.where(valid[1:], b[:-1], 0.0)
    w, S = jnp.linalg.eigh(jnp.diag(diag) + jnp.diag(off, 1) + jnp.diag(off, -1))
    return w[-1], jnp.abs(b[-1] * S[-1, -1])


@functools.partial(jax.jit, static_argnames=("loss", "steps"))
def _top(loss: Callable, theta, start, tol, steps: int, data: tuple = ()):
    """Lanczos until the top Ritz pair converges (tested after each of `CHECKS` steps and at a breakdown) or
    ``steps`` steps: ``(λ, residual, steps taken)``.  The tridiagonal eigenproblem at a check has that check's
    static size, so a test at 8 steps costs an 8 × 8 ``eigh``, not a ``steps × steps`` one."""
    checks = tuple(c for c in CHECKS if c < steps) + (steps,)
    tests = [functools.partial(_top_ritz, size=c) for c in checks]
    at = jnp.asarray(checks)
    zeros = jnp.zeros(steps, theta.dtype)
    product = lambda v: hvp(loss, theta, v, data)  # noqa: E731

    def going(c):
        j, _, _, _, _, _, lam, res = c
        return (j < steps) & (res > tol * jnp.abs(lam))

    def body(c):
        j, V, alpha, beta, scale, k, lam, res = c
        V, a, b, scale = _step(product, V, j, scale)
        alpha, beta = alpha.at[j].set(a), beta.at[j].set(b)
        due = j + 1 == at[k]
        # At a breakdown the next check's block is T plus decoupled entries: its residual is 0 and the run ends.
        lam, res = jax.lax.cond(due | (b == 0.0), lambda: jax.lax.switch(k, tests, alpha, beta), lambda: (lam, res))
        return j + 1, V, alpha, beta, scale, k + due.astype(k.dtype), lam, res

    start = (0, _basis(start, steps), zeros, zeros, zeros[0], 0, zeros[0], jnp.asarray(jnp.inf, theta.dtype))
    j, *_, lam, res = jax.lax.while_loop(going, body, start)
    return lam, res, j


@functools.partial(jax.jit, static_argnames=("loss", "steps"))
def _top_seeded(loss: Callable, theta, seed, tol, steps: int, data: tuple = ()):
    # The start is drawn inside the compiled call: drawn eagerly it cost about as much as the Lanczos run itself
    # for a small network (0.1 of 0.5 ms, measured).
    return _top(loss, theta, jax.random.normal(jax.random.key(seed), theta.shape, theta.dtype), tol, steps, data)


class Top(NamedTuple):
    """The largest eigenvalue found by `top`, its Ritz vector's relative residual ``‖H u − λ u‖ / |λ|``, and the
    Lanczos steps (Hessian-vector products) it took."""

    value: float
    residual: float
    steps: int


def top(loss: Callable, theta, steps: int | None = None, seed: int = 0, tol: float = TOL, data: tuple = ()) -> Top:
    """λmax of the Hessian of ``loss`` at ``theta`` by Lanczos that stops once the top Ritz pair's residual is
    below ``tol · |λ|`` (at most ``steps`` steps, default ``min(n, 128)``), in one compiled call."""
    theta = np.asarray(theta, np.float64).reshape(-1)  # NumPy, not jnp: an eager jnp op costs more than 8 steps
    lam, res, taken = jax.device_get(_top_seeded(loss, theta, seed, tol, steps_for(theta.size, steps), tuple(data)))
    return Top(float(lam), float(res) / max(abs(float(lam)), np.finfo(float).tiny), int(taken))


def top_eigenvalue(loss: Callable, theta, steps: int | None = None, seed: int = 0, tol: float = TOL,
                   data: tuple = ()) -> float:
    """λmax of the Hessian of ``loss`` at ``theta`` (see `top`): exact to ``tol`` in the residual, and exact
    outright once the Krylov space is the whole space or invariant."""
    return top(loss, theta, steps, seed, tol, data).value


class Extremes(NamedTuple):
    """The ``k`` smallest and ``k`` largest Ritz pairs (ascending), each with its residual ``‖H u − λ u‖``."""

    low: np.ndarray  # (k,)
    low_vectors: np.ndarray  # (n, k), unit columns
    high: np.ndarray  # (k,)
    high_vectors: np.ndarray  # (n, k)
    low_residuals: np.ndarray
    high_residuals: np.ndarray
    steps: int  # Lanczos steps taken
    # True when the Krylov space became invariant (or is the whole space): the Ritz values are then exact
    # eigenvalues, and with a random start (components along every eigenvector) they include both ends.
    complete: bool

    @property
    def norm(self) -> float:
        """‖H‖₂ as far as Lanczos sees it: the largest |Ritz value|."""
        return float(max(abs(self.low[0]), abs(self.high[-1])))


@functools.partial(jax.jit, static_argnames=("loss",))
def _residuals(loss: Callable, theta, vectors, values, data: tuple = ()):
    products = jax.vmap(lambda u: hvp(loss, theta, u, data))(vectors.T)
    return jnp.linalg.norm(products - values[:, None] * vectors.T, axis=1)


def extremes(loss: Callable, theta, k: int = 3, steps: int | None = None, seed: int = 0,
             data: tuple = ()) -> Extremes:
    """The top-k and bottom-k eigenpairs of the Hessian of ``loss`` at ``theta`` (Ritz pairs of one Lanczos run;
    ``data``: see `hvp`)."""
    theta = _theta(theta)
    data = tuple(data)
    run = lanczos(loss, theta, steps, seed, data)
    values, S = run.ritz()
    vectors = run.V.T @ S  # (n, m) Ritz vectors
    vectors /= np.linalg.norm(vectors, axis=0)
    k = max(1, min(int(k), values.size))
    low, high = slice(0, k), slice(values.size - k, values.size)
    # Only the 2k reported pairs: a residual costs one product, and m can be 128.
    pick = np.r_[0:k, values.size - k:values.size]
    res = np.zeros(values.size)
    res[pick] = np.asarray(_residuals(loss, theta, jnp.asarray(vectors[:, pick]), jnp.asarray(values[pick]), data))
    taken = int(run.alpha.size)
    complete = taken < steps_for(theta.size, steps) or taken == theta.size
    return Extremes(values[low], vectors[:, low], values[high], vectors[:, high], res[low], res[high], taken,
                    complete)


class Density(NamedTuple):
    """An estimated eigenvalue density: ``density`` on ``grid`` (it integrates to 1), from the quadrature
    ``nodes`` and ``weights`` of each probe (rows; each row of weights sums to 1) smoothed by Gaussians of width
    ``sigma``."""

    grid: np.ndarray
    density: np.ndarray
    nodes: np.ndarray  # (probes, m)
    weights: np.ndarray  # (probes, m)
    sigma: float

    def moment(self, power: int = 1) -> float:
        """``mean over probes of Σᵢ wᵢ θᵢ^power``: for power 1 an estimate of trace(H)/n."""
        return float(np.mean(np.sum(self.weights * self.nodes ** power, axis=1)))


def quadrature(loss: Callable, theta, probes: int = 8, steps: int | None = None,
               seed: int = 0, data: tuple = ()) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """SLQ nodes and weights for ``probes`` Rademacher probes ``v = ±1/√n``, and the probes themselves."""
    theta = _theta(theta)
    n = theta.size
    signs = jax.random.rademacher(jax.random.key(seed), (probes, n), jnp.float64)
    alpha, beta, V = _lanczos(loss, theta, signs, steps_for(n, steps), tuple(data))
    nodes, weights = [], []
    for p in range(probes):
        values, S = _valid(alpha[p], beta[p], V[p]).ritz()
        nodes.append(values)
        weights.append(S[0] ** 2)
    # A probe whose space became invariant early has fewer nodes; pad with zero-weight copies of its last node.
    width = max(len(v) for v in nodes)
    pad = lambda a, fill: np.concatenate([a, np.full(width - a.size, fill)])  # noqa: E731
    return (np.stack([pad(v, v[-1]) for v in nodes]), np.stack([pad(w, 0.0) for w in weights]),
            np.asarray(signs) / np.sqrt(n))


def density(loss: Callable, theta, probes: int = 8, steps: int | None = None, seed: int = 0,
            sigma: float | None = None, points: int = 400, data: tuple = ()) -> Density:
    """The smoothed eigenvalue density of the Hessian of ``loss`` at ``theta`` by stochastic Lanczos quadrature.

    ``sigma`` defaults to 1% of the spread of the nodes; the grid spans the nodes with 5σ to spare, so the
    Gaussians' mass outside it is below 1e-6."""
    nodes, weights, _ = quadrature(loss, theta, probes, steps, seed, data)
    lo, hi = float(nodes.min()), float(nodes.max())
    sigma = float(sigma) if sigma else max(0.01 * (hi - lo), 1e-6 * max(abs(lo), abs(hi), 1e-12))
    grid = np.linspace(lo - 5 * sigma, hi + 5 * sigma, int(points))
    gauss = np.exp(-0.5 * ((grid[:, None, None] - nodes[None]) / sigma) ** 2) / (sigma * np.sqrt(2 * np.pi))
    dens = np.mean(np.sum(weights[None] * gauss, axis=2), axis=1)
    return Density(grid, dens, nodes, weights, sigma)
