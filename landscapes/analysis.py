"""Derivatives, the second-derivative test, and the critical-point atlas of a 2-D surface (pure JAX, float64).

Everything here follows one pattern: a ``jax.jit`` per surface family ``fn(xy, theta)`` (a hashable module-level
or cached function), kept in a bounded LRU (`_compiled`), whose *traced* arguments are the surface parameters
``theta`` and the view box.  Moving a parameter slider or zooming the box therefore reuses the compiled
code; only a new surface, a new grid size or a new start-grid size compiles.

Second-derivative test (NTU ML 2023, "local minima & saddle point", ``shared/seeds/001_*``): at a point where
``∇f = 0`` the Taylor expansion is ``f(x + v) ≈ f(x) + ½ vᵀ H v``, so the eigenvalues of the Hessian ``H`` decide:
all positive → local minimum, all negative → local maximum, mixed signs → saddle, a (numerically) zero one → the
test is inconclusive ("degenerate").  Gradient check (cs231n, "Gradient Checks", ``shared/seeds/003_*``):
centred difference ``(f(x+h) − f(x−h)) / 2h`` against the analytic gradient, compared by the relative error
``|a − n| / (|a| + |n|)``.
"""

from __future__ import annotations

import functools
import warnings
from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from . import _xla, numbers, verdict
from .linalg import eigh2
from .base import Bounds, Landscape, PointInfo

DEGENERATE_RTOL = verdict.ZERO_RTOL
"""A Hessian is called singular when ``min|λ| ≤ DEGENERATE_RTOL · max(1, max|λ|)`` (`zero_tolerance`)."""

CRITICAL_RTOL = 1e-6
"""``classify`` calls a point critical when ``‖∇f‖ ≤ CRITICAL_RTOL · g_scale``, where
``g_scale = max(1, |f|/L, max|λ|·L)`` (L = box diagonal) is the size a gradient can have on the box."""

ATLAS_RTOL = 1e-8
"""``critical_points`` keeps a converged point only when ``‖∇f‖ ≤ ATLAS_RTOL · g_scale`` (stricter than classify)."""

MERGE_RTOL = 1e-6
"""Two roots closer than ``MERGE_RTOL · L`` (L = box diagonal) are the same critical point."""

MAX_POINTS = 400
"""``critical_points`` returns at most this many points (the lowest ones); Rastrigin on a wide box has more."""

N_STARTS = 48
"""Newton starts per side: a jittered ``N_STARTS × N_STARTS`` grid (2304 starts); 32 per side misses a few of
Rastrigin's 441 and Ackley's 288 critical points on their default boxes, 48 finds them all."""

MAX_ITERS = 200
"""Newton iteration budget.  Degenerate roots (x⁴ + y⁴, monkey saddle) converge only linearly (ratio 2/3, 1/2)."""

SHAPES = ("bowl", "dome", "saddle", "flat")
"""Local shape codes of ``CurvatureMaps.shape``: H positive definite, negative definite, indefinite, singular."""

MAX_REJECTED = 8
"""A Newton start that has had this many trial steps rejected is abandoned (it is stuck where det H ≈ 0)."""

_DAMPING = 1e-10  # Levenberg damping μ = _DAMPING · ‖H‖_F: felt only along numerically singular directions
_FAR = 10.0  # a Newton correction longer than _FAR box diagonals: H is singular here, no root of this box is near
_XTOL = 1e-12  # Newton stops when its step (or its trust radius) is below _XTOL · L


class GradientCheck(NamedTuple):
    """Analytic vs centred-difference gradient at one point, over a sweep of step sizes ``h``.

    ``numeric`` and ``relative_error`` (per component) are at ``best_h``; ``error`` is the overall relative error
    ``‖a − n‖ / (‖a‖ + ‖n‖)`` there; ``errors[k]`` is that overall error at ``hs[k]`` (a V in log-log: truncation
    ``∝ h²`` on the right, round-off ``∝ ε/h`` on the left).
    """

    analytic: np.ndarray  # (2,)
    numeric: np.ndarray  # (2,)
    relative_error: np.ndarray  # (2,)
    error: float
    hs: np.ndarray  # (K,)
    errors: np.ndarray  # (K,)
    best_h: float


class CurvatureMaps(NamedTuple):
    """Hessian eigenvalues over an ``n × n`` grid; every map is indexed ``[iy, ix]`` (rows are y, as Plotly draws).

    ``shape`` holds indices into ``SHAPES``; ``condition`` is ``max|λ| / min|λ|`` (``inf`` where ``min|λ| = 0``).
    """

    xs: np.ndarray  # (n,)
    ys: np.ndarray  # (n,)
    lam_min: np.ndarray  # (n, n)
    lam_max: np.ndarray  # (n, n)
    det: np.ndarray  # (n, n)  det H = λ_min · λ_max
    shape: np.ndarray  # (n, n) int
    condition: np.ndarray  # (n, n)


# ---------------------------------------------------------------------------------------------------------------
# Traced building blocks (one point; vmapped by the callers).


def _derivatives(fn, xy, theta):
    """f, ∇f and the symmetrised Hessian ½(H + Hᵀ) at one point (forward-over-reverse; f and ∇f ride along as the
    primal of the forward pass, so f is traced once)."""

    def grad_with_aux(p):
        value, grad = jax.value_and_grad(fn)(p, theta)
        return grad, (value, grad)

    hess, (value, grad) = jax.jacfwd(grad_with_aux, has_aux=True)(xy)
    return value, grad, 0.5 * (hess + hess.T)


def _eigvals2(hess):
    """Eigenvalues ``(λ_min, λ_max)`` of symmetric 2×2 matrices, batched over leading axes (`linalg.eigh2`)."""
    lam = eigh2(hess)[0]
    return lam[..., 0], lam[..., 1]


def _newton_step(grad, hess):
    """Damped Newton step on ∇f = 0: ``d = −(H² + μ²I)⁻¹ H g`` (Levenberg–Marquardt), ``μ = 1e-10 · ‖H‖_F``.

    In H's eigenbasis this is ``−Σ λᵢ/(λᵢ² + μ²) (vᵢ·g) vᵢ``: the exact Newton step ``−H⁻¹g`` wherever |λ| ≫ μ and
    the pseudo-inverse where λ → 0.  It is the root-finding step (the Jacobian of ∇f is H), not a descent step, so
    it heads for saddles and maxima as readily as minima.  Written with the 2×2 adjugate to keep the graph small.
    """
    a, b, c = hess[0, 0], hess[0, 1], hess[1, 1]
    mu2 = (_DAMPING**2) * (a * a + 2 * b * b + c * c)
    det_h = a * c - b * b
    # det(H² + μ²I) = (det H)² + μ² ‖H‖_F² + μ⁴, written so no difference of large terms appears.
    det = det_h**2 + mu2 * (a * a + 2 * b * b + c * c) + mu2**2
    hg = hess @ grad
    m00, m01, m11 = b * b + c * c + mu2, -b * (a + c), a * a + b * b + mu2  # adjugate of H² + μ²I
    step = -jnp.stack([m00 * hg[0] + m01 * hg[1], m01 * hg[0] + m11 * hg[1]])
    return jnp.where(det > 0, step / jnp.where(det > 0, det, 1.0), 0.0)


def zero_tolerance(lam_absmax, xp=np):
    """``DEGENERATE_RTOL · max(1, max|λ|)``: on a surface an eigenvalue this small counts as zero (the box's unit
    is the floor of the scale, so a Hessian that vanishes everywhere is flat, not definite)."""
    return DEGENERATE_RTOL * xp.maximum(1.0, lam_absmax)


def _gradient_scale(value, lam_absmax, diag):
    """``g_scale = max(1, |f|/L, max|λ|·L)``: the size a gradient can have on this box (L = box diagonal)."""
    with np.errstate(over="ignore"):  # an overflowing Hessian: a scale of inf, which no gradient is below
        return np.maximum(1.0, np.maximum(np.abs(value) / diag, lam_absmax * diag))


# ---------------------------------------------------------------------------------------------------------------
# JIT boundaries: `fn` (and array sizes) static; `theta`, points and box traced.  The functions below take `fn`
# first and are jitted per surface by `_compiled`, never as module-level jits with `fn` static: JAX's own jit
# caches hold static arguments strongly (thousands of entries), which would keep every typed surface ever analysed
# alive with its executables.  Our bounded LRU holds the only reference, so evicting an entry releases the surface.

# What a user waits for here is XLA's compile (once per surface), not its run (once per slider move or page): see
# `_xla.fast_compile`.
_FAST_COMPILE = _xla.fast_compile()


def _pointwise(fn, pts, theta):
    """f, ∇f, H at each of ``pts`` (M, 2)."""
    return jax.vmap(lambda p: _derivatives(fn, p, theta))(pts)


def _grid_points(lo, hi, n):
    xs = lo[0] + (hi[0] - lo[0]) * jnp.linspace(0.0, 1.0, n)
    ys = lo[1] + (hi[1] - lo[1]) * jnp.linspace(0.0, 1.0, n)
    gx, gy = jnp.meshgrid(xs, ys)  # [iy, ix]
    return xs, ys, jnp.stack([gx.ravel(), gy.ravel()], axis=-1)


def _grid_values(fn, theta, lo, hi, n):
    xs, ys, pts = _grid_points(lo, hi, n)
    return xs, ys, jax.vmap(lambda p: fn(p, theta))(pts).reshape(n, n)


def _grid_curvature(fn, theta, lo, hi, n):
    xs, ys, pts = _grid_points(lo, hi, n)
    lam_min, lam_max = _eigvals2(jax.vmap(lambda p: _derivatives(fn, p, theta)[2])(pts))
    small = jnp.minimum(jnp.abs(lam_min), jnp.abs(lam_max))
    big = jnp.maximum(jnp.abs(lam_min), jnp.abs(lam_max))
    shape = verdict.curvature_code(lam_min, lam_max, zero_tolerance(big, jnp), jnp)
    cond = jnp.where(small > 0, big / jnp.where(small > 0, small, 1.0), jnp.inf)
    grids = [a.reshape(n, n) for a in (lam_min, lam_max, lam_min * lam_max, shape, cond)]
    return xs, ys, *grids


def _gradient_check(fn, xy, theta, hs):
    analytic = jax.grad(fn)(xy, theta)

    def centred(h):
        return jax.vmap(lambda e: (fn(xy + h * e, theta) - fn(xy - h * e, theta)) / (2 * h))(jnp.eye(2))

    numeric = jax.vmap(centred)(hs)  # (K, 2)

    def rel(a, n, norm):
        den = norm(a) + norm(n)
        return jnp.where(den > 0, norm(a - n) / jnp.where(den > 0, den, 1.0), 0.0)

    per_component = rel(analytic, numeric, jnp.abs)  # (K, 2)
    overall = rel(analytic, numeric, lambda v: jnp.linalg.norm(v, axis=-1))  # (K,)
    return analytic, numeric, per_component, overall


def _newton_atlas(fn, theta, lo, hi, unit_starts):
    """Damped Newton on ∇f = 0 from every start at once; returns x, f, ∇f, H where each start ended, and the
    number of iterations the batch took.

    Globalisation by Deuflhard's natural monotonicity test (P. Deuflhard, *Newton Methods for Nonlinear Problems*,
    Springer 2004, ch. 3): a trial ``x + λd`` (``d`` the Newton correction at x, λ ≤ 1 so that the step fits the
    trust radius) is accepted iff the simplified correction ``d̄ = −H(x)⁻¹∇f(x + λd)`` satisfies
    ``‖d̄‖ < (1 − λ/4)‖d‖``.  Unlike a test on ‖∇f‖ it is affine invariant, so Newton keeps its long steps along
    curved valleys (Rosenbrock) instead of crawling.
    """
    diag = jnp.hypot(*(hi - lo))
    xtol = _XTOL * diag
    evaluate = jax.vmap(lambda p: _derivatives(fn, p, theta))
    newton = jax.vmap(_newton_step)
    starts = lo + unit_starts * (hi - lo)
    centre = 0.5 * (lo + hi)
    n = starts.shape[0]
    # f is evaluated only at the *trial* point, so `fn` appears once in the graph (compile time is the cold cost);
    # the first trial is the start itself, accepted unconditionally (`fresh`).
    state = (
        jnp.zeros((), jnp.int32),
        starts,  # x: last accepted point
        jnp.full((n,), jnp.nan),  # f(x); NaN until evaluated, so an unevaluated start never passes as a root
        jnp.zeros((n, 2)),  # ∇f(x)
        jnp.zeros((n, 2, 2)),  # H(x)
        jnp.zeros((n, 2)),  # d: Newton correction at x
        starts,  # trial point
        jnp.full((n,), diag / n**0.5),  # trust radius, initially about one start-grid cell
        jnp.ones((n,), bool),  # fresh: x not evaluated yet
        jnp.zeros((n,), jnp.int32),  # rejected trials so far
        jnp.zeros((n,), bool),  # done
    )

    def cond(s):
        return (s[0] < MAX_ITERS) & ~jnp.all(s[-1])

    def body(s):
        it, x, value, g, h, d, trial, radius, fresh, rejected, done = s
        t_value, t_g, t_h = evaluate(trial)
        d_len = jnp.linalg.norm(d, axis=-1)
        t_len = jnp.linalg.norm(trial - x, axis=-1)
        lam = jnp.where(d_len > 0, t_len / jnp.where(d_len > 0, d_len, 1.0), 1.0)
        d_bar = jnp.linalg.norm(newton(t_g, h), axis=-1)
        finite = jnp.isfinite(t_value) & jnp.all(jnp.isfinite(t_g), -1) & jnp.all(jnp.isfinite(t_h), (-2, -1))
        accept = ~done & finite & (fresh | (d_bar < (1 - lam / 4) * d_len))
        radius = jnp.where(accept, jnp.where(lam < 1, jnp.minimum(2 * radius, 0.25 * diag), radius),
                           jnp.where(done, radius, 0.25 * t_len))
        x = jnp.where(accept[:, None], trial, x)
        value = jnp.where(accept, t_value, value)
        g = jnp.where(accept[:, None], t_g, g)
        h = jnp.where(accept[:, None, None], t_h, h)
        d = jnp.where(accept[:, None], newton(g, h), d)
        d_len = jnp.linalg.norm(d, axis=-1)
        step = d * jnp.minimum(1.0, radius / jnp.where(d_len > 0, d_len, 1.0))[:, None]
        # Also stop a start that has wandered a quarter-box outside: it is heading for a root out of view or for
        # infinity (where ∇f → 0 on a plateau such as tanh's), and would otherwise burn the whole budget.
        away = jnp.any(jnp.abs(x - centre) > 0.75 * (hi - lo), axis=-1)
        # A start stuck on the curve det H = 0 (where the Newton correction blows up and no root lies) keeps
        # rejecting trials; MAX_REJECTED of them end it rather than let it crawl along that curve.
        rejected = rejected + (~accept & ~done & ~fresh)
        stalled = (rejected >= MAX_REJECTED) | (radius <= xtol) | (d_len > _FAR * diag)
        done = done | (~fresh & ((d_len <= xtol) | jnp.all(g == 0, -1) | away | stalled)) | (fresh & ~finite)
        return it + 1, x, value, g, h, d, x + step, radius, fresh & ~accept, rejected, done

    iters, x, value, g, h, *_ = lax.while_loop(cond, body, state)
    return x, value, g, h, iters


class _Jitted(NamedTuple):
    """The jitted analysis functions of one surface family ``fn`` (signatures as above, less ``fn``)."""

    pointwise: object
    grid_values: object
    grid_curvature: object
    gradient_check: object
    newton_atlas: object


@functools.lru_cache(maxsize=32)
def _compiled(fn) -> _Jitted:
    """One set of jitted closures per surface family (an LRU; each closure keeps its own executables).

    Grid sizes stay static (a new ``n`` compiles); ``theta``, points and box are traced."""
    bind = lambda impl: partial(impl, fn)  # noqa: E731
    return _Jitted(
        pointwise=jax.jit(bind(_pointwise), compiler_options=_FAST_COMPILE),
        grid_values=jax.jit(bind(_grid_values), static_argnums=3, compiler_options=_FAST_COMPILE),
        grid_curvature=jax.jit(bind(_grid_curvature), static_argnums=3),
        gradient_check=jax.jit(bind(_gradient_check)),
        newton_atlas=jax.jit(bind(_newton_atlas), compiler_options=_FAST_COMPILE),
    )


@functools.lru_cache(maxsize=8)
def _unit_starts(n: int) -> np.ndarray:
    """An ``n × n`` grid of cell centres in [0, 1]², each jittered by up to ±0.3 cell (fixed seed).

    Jitter keeps starts off symmetry lines where H is exactly singular (x⁴ + y⁴ on an axis)."""
    rng = np.random.default_rng(20230203)
    i, j = np.meshgrid(np.arange(n), np.arange(n))
    cells = np.stack([i.ravel(), j.ravel()], axis=-1) + 0.5 + rng.uniform(-0.3, 0.3, size=(n * n, 2))
    out = cells / n
    out.setflags(write=False)
    return out


# ---------------------------------------------------------------------------------------------------------------
# Public API (NumPy in, NumPy out).


def _lohi(bounds: Bounds):
    (x0, x1), (y0, y1) = bounds
    return np.array([x0, y0], dtype=np.float64), np.array([x1, y1], dtype=np.float64)


def _points(xy) -> tuple[np.ndarray, tuple[int, ...]]:
    arr = np.asarray(xy, dtype=np.float64)
    if arr.shape[-1:] != (2,):
        raise ValueError(f"points must have a trailing axis of length 2, got shape {arr.shape}")
    return arr.reshape(-1, 2), arr.shape[:-1]


def start_points(bounds: Bounds, n_starts: int = N_STARTS) -> np.ndarray:
    """The ``(n_starts², 2)`` Newton start points ``critical_points`` uses on ``bounds`` (for baselines and plots)."""
    lo, hi = _lohi(bounds)
    return lo + _unit_starts(n_starts) * (hi - lo)


def merge_roots(xy: np.ndarray, gnorm: np.ndarray, tol: float) -> np.ndarray:
    """Indices of representatives of ``xy`` (N, 2) such that no two lie within ``tol``: greedy, smallest ``gnorm``
    first.  Roots of one critical point agree to ~1e-11·L, so bucketing to a ``tol`` grid first leaves few
    candidates for the pairwise pass."""
    order = np.argsort(gnorm, kind="stable")
    _, first = np.unique(np.floor(xy[order] / tol), axis=0, return_index=True)
    cand = order[np.sort(first)]  # one per bucket, best-converged first
    keep: list[int] = []
    for i in cand:
        if not keep or np.min(np.sum((xy[keep] - xy[i]) ** 2, axis=1)) > tol * tol:
            keep.append(int(i))
    return np.asarray(keep, dtype=np.intp)


def value(landscape: Landscape, xy) -> np.ndarray:
    """f at ``xy``: one point ``(2,)`` → scalar, or any array of points ``(..., 2)`` → ``(...)``."""
    pts, lead = _points(xy)
    return np.asarray(_compiled(landscape.fn).pointwise(pts, landscape.theta)[0]).reshape(lead)


def gradient(landscape: Landscape, xy) -> np.ndarray:
    """∇f = (∂f/∂x, ∂f/∂y) by reverse-mode autodiff at ``xy`` of shape ``(2,)`` or ``(..., 2)`` (e.g. a grid)."""
    pts, lead = _points(xy)
    return np.asarray(_compiled(landscape.fn).pointwise(pts, landscape.theta)[1]).reshape(*lead, 2)


def hessian(landscape: Landscape, xy) -> np.ndarray:
    """Symmetrised Hessian ½(H + Hᵀ), ``H_ij = ∂²f/∂x_i∂x_j`` (forward-over-reverse), shape ``(..., 2, 2)``."""
    pts, lead = _points(xy)
    return np.asarray(_compiled(landscape.fn).pointwise(pts, landscape.theta)[2]).reshape(*lead, 2, 2)


class Grid(NamedTuple):
    """``f`` on a grid: ``z[iy, ix] = f(x[ix], y[iy])``."""

    x: np.ndarray
    y: np.ndarray
    z: np.ndarray


def evaluate_grid(landscape: Landscape, bounds: Bounds | None = None, n: int = 200):
    """``(xs, ys, Z)`` with ``Z[iy, ix] = f(xs[ix], ys[iy])`` on an ``n × n`` grid spanning ``bounds`` (edges
    included; default ``landscape.bounds``), in one compiled call.  Changing ``bounds`` or ``theta`` reuses it."""
    lo, hi = _lohi(landscape.bounds if bounds is None else bounds)
    xs, ys, z = _compiled(landscape.fn).grid_values(landscape.theta, lo, hi, int(n))
    return np.asarray(xs), np.asarray(ys), np.asarray(z)


def curvature_maps(landscape: Landscape, bounds: Bounds | None = None, n: int = 120) -> CurvatureMaps:
    """Eigenvalues of the Hessian on an ``n × n`` grid: ``λ_min``, ``λ_max``, ``det H``, the local shape
    (bowl: both λ > 0; dome: both < 0; saddle: opposite signs; flat: ``min|λ| ≤ 1e-6 · max(1, max|λ|)``) and the
    condition number ``max|λ| / min|λ|``.  Maps are ``[iy, ix]`` like ``evaluate_grid``."""
    lo, hi = _lohi(landscape.bounds if bounds is None else bounds)
    out = _compiled(landscape.fn).grid_curvature(landscape.theta, lo, hi, int(n))
    xs, ys, lam_min, lam_max, det, shape, cond = (np.asarray(a) for a in out)
    return CurvatureMaps(xs, ys, lam_min, lam_max, det, shape.astype(np.int8), cond)


def _fmt(v: float) -> str:
    return numbers.number(v)


def _sci(v: float) -> str:
    return f"{v:.0e}".replace("e-0", "e-")


def _verdict(value: float, gnorm: float, lam: np.ndarray, diag: float) -> verdict.Reason:
    """The second-derivative test (`landscapes.verdict`) with this module's tolerances; see ``classify``."""
    l1, l2 = float(lam[0]), float(lam[1])
    big = max(abs(l1), abs(l2))
    gtol = CRITICAL_RTOL * float(_gradient_scale(value, big, diag))
    return verdict.second_order_test(gnorm, gtol, l1, l2, float(zero_tolerance(big)))


def reason_words(why: verdict.Reason) -> str:
    """The verdict in English, with its numbers (``PointInfo.reason``: for notebook users; the app composes its own
    sentences from the same `verdict.Reason`)."""
    eig = f"λ₁ = {_fmt(why.lam_min)}, λ₂ = {_fmt(why.lam_max)}"
    critical = f"∇f ≈ 0 (‖∇f‖ = {_fmt(why.grad_norm)})"
    if why.code == "out_of_range":
        which = {"value": "f", "gradient": "∇f", "hessian": "the Hessian"}[why.lost]
        way = "underflows (rounds to 0)" if why.underflow else "overflows"
        return (f"{which} {way} in float64 here: its true value is outside the range float64 can hold "
                f"(about 2.2e-308 to 1.8e308), so the numbers say nothing about this point and the second-derivative "
                f"test cannot be applied")
    if why.code == "not_critical":
        return (f"not a critical point: ‖∇f‖ = {_fmt(why.grad_norm)} exceeds the tolerance {_fmt(why.grad_tol)} "
                f"(= {_sci(CRITICAL_RTOL)} · max(1, |f|/L, max|λ|·L), L = box diagonal), so the second-derivative test "
                f"does not apply")
    if why.code == "singular":
        return (f"{critical}, but the smallest |λ| is ≤ {_sci(DEGENERATE_RTOL)} · max(1, max|λ|) ({eig}) → the "
                f"Hessian is singular → the second-derivative test is inconclusive: higher-order terms decide (at such "
                f"a flat point x⁴ + y⁴ has a minimum, x³ − 3xy² a monkey saddle)")
    if why.code == "positive_definite":
        return f"{critical} and both eigenvalues positive ({eig}) → the Hessian is positive definite → local minimum"
    if why.code == "negative_definite":
        return f"{critical} and both eigenvalues negative ({eig}) → the Hessian is negative definite → local maximum"
    return (f"{critical} and eigenvalues of opposite signs ({eig}) → the Hessian is indefinite → saddle point: "
            f"f falls along the first eigenvector and rises along the second")


OUT_OF_RANGE = "out_of_range"
"""The verdict where f or ∇f (or, at a critical point, the Hessian) left the float64 range (`landscapes.floatrange`):
the numbers say nothing about the point, so no other verdict is given."""


def _infos(xy, value, grad, hess, diag, lost=None) -> list[PointInfo]:
    """Point records; ``lost`` is a `floatrange.RangeCheck` at ``xy`` (None: every value is within range)."""
    with np.errstate(all="ignore"):
        finite = np.all(np.isfinite(hess), axis=(-2, -1))
        lam, vecs = np.linalg.eigh(np.where(finite[:, None, None], hess, 0.0))  # ascending; columns: eigenvectors
    lam = np.where(finite[:, None], lam, np.nan)
    vecs = np.where(finite[:, None, None], vecs, np.nan)
    gnorm = np.linalg.norm(grad, axis=-1)
    out = []
    for k in range(len(xy)):
        why = _verdict(float(value[k]), float(gnorm[k]), lam[k], diag)
        if lost is not None and (lost.value[k] or lost.gradient[k] or (lost.hessian[k] and why.kind != "regular")):
            which = "value" if lost.value[k] else "gradient" if lost.gradient[k] else "hessian"
            why = verdict.out_of_range(why, which, lost.underflow[k] or not lost.value[k])
        out.append(PointInfo(xy[k], float(value[k]), grad[k], hess[k], lam[k], vecs[k], why.kind, reason_words(why),
                             why))
    return out


def classify(landscape: Landscape, xy, bounds: Bounds | None = None) -> PointInfo:
    """The second-derivative test at ``xy``.

    With ``λ₁ ≤ λ₂`` the eigenvalues of the symmetrised Hessian and ``L`` the diagonal of ``bounds`` (default
    ``landscape.bounds``):

    * ``"regular"`` if ``‖∇f‖ > 1e-6 · max(1, |f|/L, max|λ|·L)`` — not a critical point;
    * ``"degenerate"`` if ``min|λ| ≤ 1e-6 · max(1, max|λ|)`` — H is singular and the test is inconclusive;
    * otherwise ``"minimum"`` (λ₁ > 0), ``"maximum"`` (λ₂ < 0) or ``"saddle"`` (λ₁ < 0 < λ₂);
    * but ``"out_of_range"`` where f or ∇f (or, at a critical point, H) left the float64 range
      (`landscapes.floatrange`): ``exp(1000x)`` at x = −1 is 1e-434, which float64 rounds to 0 with its gradient,
      and no verdict drawn from those zeros would be true.

    ``reason`` spells the verdict out with the numbers.  Reference: NTU ML 2023 lecture on critical points
    (``shared/seeds/001_*``); any calculus text's second-derivative test.
    """
    return classify_points(landscape, np.asarray(xy, dtype=np.float64).reshape(1, 2), bounds)[0]


def classify_points(landscape: Landscape, xy, bounds: Bounds | None = None) -> list[PointInfo]:
    """`classify` at each of the points ``xy (N, 2)``, in one evaluation: a page that classifies every run's end
    pays one range check (an interpreted pass over the surface's program, 2-5 ms) instead of one per point."""
    from . import floatrange

    lo, hi = _lohi(landscape.bounds if bounds is None else bounds)
    pts = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
    # Padded to a few sizes (1, 8, 16, 32, ...) by repeating the first point: each new count of points would
    # compile the surface's derivatives afresh (seen under load: a page with 2-8 runs compiled 7 sizes).
    size = len(pts) if len(pts) <= 1 else max(8, 1 << (len(pts) - 1).bit_length())
    padded = np.concatenate([pts, np.repeat(pts[:1], size - len(pts), axis=0)])
    value_, grad, hess = (np.asarray(a)[: len(pts)] for a in _compiled(landscape.fn).pointwise(padded,
                                                                                              landscape.theta))
    return _infos(pts, value_, grad, hess, float(np.hypot(*(hi - lo))), floatrange.check(landscape, pts))


class Atlas(NamedTuple):
    """Every critical point in a box, and how far the list is proven complete.

    ``points``: the critical points found, classified, lowest f first (at most ``max_points``); ``found``: how many
    there were before that cap.  ``undecided (M, 2, 2)``: boxes ``[[x0, y0], [x1, y1]]`` where the exclusion search
    (`landscapes.exclusion`) could neither rule a critical point out nor isolate one, ``why (M,)`` the reason of
    each (an index into `exclusion.UNDECIDED`).  ``proof`` is False when the surface's program has an operation
    without an interval rule, so nothing beyond Newton's search was established.  Every critical point of the box
    is in ``points`` unless it lies in an undecided box, or the cap cut it, or ``proof`` is False (`complete`).
    """

    points: tuple[PointInfo, ...]
    found: int
    undecided: np.ndarray
    why: np.ndarray
    proof: bool

    @property
    def complete(self) -> bool:
        """Proven: no critical point of the box is missing from ``points``."""
        return self.proof and len(self.undecided) == 0 and self.found == len(self.points)


def _in_boxes(xy: np.ndarray, boxes: np.ndarray, slack: np.ndarray) -> np.ndarray:
    """Which points ``(N, 2)`` lie in any of ``boxes (M, 2, 2)`` (grown by ``slack``)."""
    if not len(boxes) or not len(xy):
        return np.zeros(len(xy), bool)
    lo, hi = boxes[None, :, 0] - slack, boxes[None, :, 1] + slack
    return np.any(np.all((xy[:, None] >= lo) & (xy[:, None] <= hi), axis=2), axis=1)


def atlas(landscape: Landscape, bounds: Bounds | None = None, n_starts: int = N_STARTS,
          max_points: int = MAX_POINTS, seeds=None) -> Atlas:
    """Every point with ∇f = 0 inside ``bounds`` (default ``landscape.bounds``), classified, sorted by value, and
    the proof of how complete the list is.

    1. Newton's method on the system ∇f = 0 (its Jacobian is the Hessian) from a jittered ``n_starts × n_starts``
       grid plus ``seeds`` (default: the landscape's listed minima), all starts at once (``vmap``) inside one
       compiled ``lax.while_loop``.  Each correction is ``−(H² + μ²I)⁻¹Hg`` (Levenberg damping, felt only where
       |λ| is tiny), clipped to a per-start trust radius, and a trial is accepted by Deuflhard's natural
       monotonicity test (see ``_newton_atlas``).  A root is kept if ``‖∇f‖ ≤ 1e-8 · max(1, |f|/L, max|λ|·L)``, it
       lies in the box, and f, ∇f and H are within float64's range there (`landscapes.floatrange`: an underflowed
       gradient is no root); roots within ``1e-6 · L`` are merged (L = box diagonal).
    2. The exclusion search (`landscapes.exclusion`) covers the box with interval enclosures of ∇f and H: each
       root is proven alone in a small box around it; any critical point Newton missed is isolated and found; a
       root the search proves is none (∇f ≠ 0 all around it) is dropped; what cannot be decided is returned.

    The seeds matter only where Newton cannot arrive: at a kink such as Ackley's cone tip, where autodiff reports
    ∇f = 0 but no Newton path leads.  Newton compiles once per (surface family, ``n_starts``, number of seeds
    rounded up to 8); ``theta`` and ``bounds`` are traced.  The search runs in NumPy on the surface's own program.
    """
    from . import exclusion, floatrange, jaxprs

    lo, hi = _lohi(landscape.bounds if bounds is None else bounds)
    diag = float(np.hypot(*(hi - lo)))
    if seeds is None:
        seeds = [m.xy for m in landscape.minima]
    seeds = np.asarray(seeds, dtype=np.float64).reshape(-1, 2)
    units = _unit_starts(int(n_starts))
    if len(seeds):
        # Pad to a multiple of 8 (repeating a seed) so a surface whose minima move with theta keeps its compile.
        seeds = np.concatenate([seeds, np.repeat(seeds[:1], -len(seeds) % 8, axis=0)])
        units = np.concatenate([units, (seeds - lo) / (hi - lo)])
    out = _compiled(landscape.fn).newton_atlas(landscape.theta, lo, hi, units)
    x, value_, grad, hess = (np.asarray(a) for a in out[:4])
    gnorm = np.linalg.norm(grad, axis=-1)
    with np.errstate(all="ignore"):
        finite = np.all(np.isfinite(hess), axis=(-2, -1))
        lam_absmax = np.where(finite, np.max(np.abs(np.linalg.eigvalsh(np.where(finite[:, None, None], hess, 0.0))),
                                             axis=-1), np.inf)
    slack = 1e-9 * (hi - lo)  # a critical point exactly on the edge (sin·sin on [0, π]²) is in the box
    with np.errstate(invalid="ignore"):
        valid = (np.all((x >= lo - slack) & (x <= hi + slack), axis=-1) & np.isfinite(value_)
                 & (gnorm <= ATLAS_RTOL * _gradient_scale(value_, lam_absmax, diag)))
    idx = np.flatnonzero(valid)
    idx = idx[merge_roots(x[idx], gnorm[idx], MERGE_RTOL * diag)]
    lost = floatrange.check(landscape, x[idx]) if len(idx) else None
    if lost is not None:
        idx = idx[~lost.any]
    xy, value_, grad, hess = x[idx], value_[idx], grad[idx], hess[idx]

    undecided, why, proof = np.empty((0, 2, 2)), np.empty(0, np.int8), True
    try:
        located = exclusion.locate(landscape.fn, landscape.theta, ((lo[0], hi[0]), (lo[1], hi[1])), xy)
    except jaxprs.Unsupported:
        proof = False
    else:
        undecided, why = located.undecided, located.why
        inside = np.all((xy > lo) & (xy < hi), axis=1)
        disproven = located.refuted | (inside & ~located.proven & ~_in_boxes(xy, undecided, 1e-9 * diag))
        keep = ~disproven
        xy, value_, grad, hess = xy[keep], value_[keep], grad[keep], hess[keep]
        if len(located.extra):
            v, g, h = floatrange.evaluate(landscape.fn, landscape.theta, located.extra)
            xy = np.concatenate([xy, located.extra])
            value_, grad = np.concatenate([value_, v]), np.concatenate([grad, g])
            hess = np.concatenate([hess, 0.5 * (h + np.swapaxes(h, 1, 2))])
    order = np.argsort(value_, kind="stable")
    found = len(order)
    return Atlas(tuple(_infos(xy[order[:max_points]], value_[order[:max_points]], grad[order[:max_points]],
                              hess[order[:max_points]], diag)), found, undecided, why, proof)


def critical_points(landscape: Landscape, bounds: Bounds | None = None, n_starts: int = N_STARTS,
                    max_points: int = MAX_POINTS, seeds=None) -> list[PointInfo]:
    """Every point with ∇f = 0 inside ``bounds`` (default ``landscape.bounds``), classified, sorted by value: the
    points of `atlas` (which says how complete they are).  At most ``max_points`` (default 400) are returned -- the
    lowest ones -- with a warning when more were found.  A continuum of critical points (f = x²) comes back as a
    sample of it."""
    found = atlas(landscape, bounds, n_starts, max_points, seeds)
    if found.found > len(found.points):
        warnings.warn(f"{landscape.name}: {found.found} critical points found, returning the lowest {max_points}",
                      stacklevel=2)
    return list(found.points)


def gradient_check(landscape: Landscape, xy, hs=None) -> GradientCheck:
    """cs231n gradient check: the autodiff gradient ``a`` against the centred difference
    ``n_i = (f(x + h eᵢ) − f(x − h eᵢ)) / 2h`` for each ``h`` in ``hs`` (default 25 log-spaced values from 1e-1 down
    to 1e-13), compared by the relative error ``|a − n| / (|a| + |n|)`` (0 where both vanish).  Below ~1e-7 is
    right for a smooth surface; 1e-4–1e-2 is suspicious; above 1e-2 the gradient is wrong (cs231n notes,
    ``shared/seeds/003_*``).  Expect a V: truncation ``O(h²)`` for large h, round-off ``O(ε/h)`` for small h."""
    hs = np.logspace(-1, -13, 25) if hs is None else np.asarray(hs, dtype=np.float64).reshape(-1)
    xy = np.asarray(xy, dtype=np.float64).reshape(2)
    analytic, numeric, per_component, overall = (
        np.asarray(a) for a in _compiled(landscape.fn).gradient_check(xy, landscape.theta, hs)
    )
    best = int(np.argmin(overall))
    return GradientCheck(analytic, numeric[best], per_component[best], float(overall[best]), hs, overall,
                         float(hs[best]))
