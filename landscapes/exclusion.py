"""Where can critical points be?  A subdivision search that proves a list of critical points complete.

Newton's method from a grid of starts (`analysis.critical_points`) finds critical points, but cannot say it found
them all: on a wide box the starts are far apart.  This search covers the whole box instead.  It keeps a list of
boxes and, with interval enclosures of ∇f and the Hessian over each box (`landscapes.intervals`), decides each:

* **excluded**: ``0 ∉ [∂f/∂x](B)`` or ``0 ∉ [∂f/∂y](B)``: ∇f ≠ 0 everywhere in B;
* **one root**: the Krawczyk operator ``K(B) = m − Y∇f(m) + (I − Y[H](B))(B − m)`` (``m`` the centre, ``Y`` the
  inverse of the midpoint Hessian) lies inside B: then B holds exactly one critical point (Krawczyk 1969; Moore,
  Kearfott & Cloud, *Introduction to Interval Analysis*, SIAM 2009, §8.4); ``K(B) ∩ B = ∅`` excludes B too;
* **undecided**: neither, and B is already tiny, or ∇f vanishes on B to within float64's range (a flat region, or
  values that underflow), or the search ran out of its box budget;
* otherwise B is cut in two across its wider side (a little off the middle, so that a critical point on a
  symmetry line, the saddle's origin, say, does not sit on a cut for ever).

Candidates found by Newton are first certified one by one, each in a small box around it (ε-inflation, Rump
1980), and those boxes are dropped from the search: so a root on a cut line is no obstacle either.

The result says which candidates are proven critical points (each alone in its box), any critical points the search
isolated that no candidate was near (found then by Newton inside their box), and the undecided boxes: every critical
point of the box is listed unless it lies in an undecided box.  Degenerate points (x⁴ + y⁴, the monkey saddle)
and kinks (Ackley's cone tip) leave a tiny undecided box around themselves; a continuum (f = x², a flat region)
leaves many; a box full of critical points (Rastrigin on ±1000) exhausts the budget.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import intervals

MIN_WIDTH = 1e-7
"""A box narrower than this fraction of the search box (on both sides) is not cut again: it stays undecided."""
MAX_ACTIVE = 4096
"""Boxes examined per round at most; beyond it the remaining boxes stay undecided (the budget ran out)."""
MAX_ROUNDS = 80
INFLATE = 1e-6
"""A candidate is certified in a box of half-width ``INFLATE · (1 + |p|)`` around it, then this ×100 and ×10⁴."""
SPLIT = 0.4813
"""Where a box is cut, as a fraction of its side (off the middle: see the module docstring)."""
RANGE_WIDTH = 1e-3
"""A box this small (a fraction of the search box) that is partly out of float64's range, or where f is partly not
finite, is not cut again."""
VANISHING = 1e-290
"""|∇f| below this on a whole box: float64 cannot tell it from zero (a flat region, or underflow)."""


UNDECIDED = ("small", "flat", "range", "undefined", "budget")
"""Why a box stayed undecided: cut down to `MIN_WIDTH` (a degenerate point, a kink, a curve of critical points),
∇f vanishing on it to within float64 (a flat region), f or ∇f leaving the float64 range in it
(`landscapes.floatrange`), f or ∇f not finite in it (a pole, the edge of a domain), or the box budget ran out."""


class Located(NamedTuple):
    """What the search proved.  ``proven[i]`` says candidate ``i`` is a critical point alone in its box,
    ``refuted[i]`` that it is none (∇f ≠ 0 on a small box around it: a point Newton accepted where ∇f is merely
    tiny, e^{−1000x} near x = 0.7 say); ``extra`` are further critical points the search isolated (``(K, 2)``, each proven alone in its box);
    ``undecided`` are ``(M, 2, 2)`` boxes ``[[x0, y0], [x1, y1]]`` where a critical point can be neither ruled out
    nor isolated, and ``why (M,)`` the reason of each, an index into `UNDECIDED`."""

    proven: np.ndarray
    refuted: np.ndarray
    extra: np.ndarray
    undecided: np.ndarray
    why: np.ndarray

    @property
    def exhausted(self) -> bool:
        """The box budget ran out before every box was decided."""
        return bool(np.any(self.why == UNDECIDED.index("budget")))


def _contains_zero(iv: intervals.Interval) -> np.ndarray:
    return ~np.isnan(iv.lo) & (iv.lo <= 0) & (iv.hi >= 0)


def _magnitude(lo, hi):
    return np.maximum(np.abs(lo), np.abs(hi))


def _mean_value(grad, hess, gm, r):
    """The gradient's enclosure intersected with the mean-value form ``∇f(m) + [H](B)(B − m)`` (``r`` the boxes'
    half-widths), whose excess shrinks with the square of the width instead of linearly (Moore et al. 2009,
    §6.4): what excludes the boxes around a critical point of a high-degree polynomial (Goldstein–Price)."""
    with np.errstate(all="ignore"):
        spread = np.einsum("nij,nj->ni", _magnitude(hess.lo, hess.hi), r)
        spread = np.where(np.isnan(spread), np.inf, spread)
        return intervals.Interval(np.fmax(grad.lo, gm.lo - spread), np.fmin(grad.hi, gm.hi + spread))


def _with_centres(fn, theta, lo, hi):
    """Enclosures of ∇f and H over the boxes, and of ∇f at their centres, in one walk of the program; the
    gradient's ``lost`` flag is per box (`intervals.Interval`)."""
    m = 0.5 * (lo + hi)
    _, g, h = intervals.enclose(fn, theta, np.concatenate([lo, m]), np.concatenate([hi, m]))
    n = len(lo)
    lost = np.broadcast_to(g.lost, (2 * n,))[:n] if g.lost is not False else np.zeros(n, bool)
    return (intervals.Interval(g.lo[:n], g.hi[:n], lost), intervals.Interval(h.lo[:n], h.hi[:n]),
            intervals.Interval(g.lo[n:], g.hi[n:]))


def _both_zero(g) -> np.ndarray:
    """Boxes whose gradient enclosure holds 0 in both components (the others hold no critical point)."""
    return (_contains_zero(intervals.Interval(g.lo[:, 0], g.hi[:, 0]))
            & _contains_zero(intervals.Interval(g.lo[:, 1], g.hi[:, 1])))


def _take(mask, *ivs):
    return tuple(intervals.Interval(iv.lo[mask], iv.hi[mask],
                                    iv.lost[mask] if isinstance(iv.lost, np.ndarray) else iv.lost) for iv in ivs)


def _krawczyk(lo, hi, gm, hess):
    """For boxes ``[lo, hi]`` with the enclosure ``hess`` over them and ``gm`` of ∇f at their centres: (inside,
    disjoint, K): the boxes where ``K(B)`` lies in the interior of B (exactly one critical point), where it misses
    B (none), and ``K(B)`` itself (every critical point in B lies in ``K(B) ∩ B``)."""
    m, r = 0.5 * (lo + hi), 0.5 * (hi - lo)
    with np.errstate(all="ignore"):
        mid = 0.5 * (hess.lo + hess.hi)
        det = mid[:, 0, 0] * mid[:, 1, 1] - mid[:, 0, 1] * mid[:, 1, 0]
        usable = np.isfinite(det) & (np.abs(det) > 1e-300) & np.all(np.isfinite(hess.lo) & np.isfinite(hess.hi),
                                                                     axis=(1, 2))
        safe = np.where(usable, det, 1.0)
        y = np.stack([np.stack([mid[:, 1, 1], -mid[:, 0, 1]], -1), np.stack([-mid[:, 1, 0], mid[:, 0, 0]], -1)],
                     1) / safe[:, None, None]
        # Y·[g(m)]: a point matrix times an interval vector.
        yg_lo = np.einsum("nij,nj->ni", np.where(y > 0, y, 0), gm.lo) + np.einsum("nij,nj->ni", np.where(y < 0, y, 0),
                                                                                 gm.hi)
        yg_hi = np.einsum("nij,nj->ni", np.where(y > 0, y, 0), gm.hi) + np.einsum("nij,nj->ni", np.where(y < 0, y, 0),
                                                                                 gm.lo)
        # I − Y[H]: an interval matrix; its product with B − m = [−r, r] is ±Σ_j mag(A_ij) r_j.
        yh_lo = (np.einsum("nik,nkj->nij", np.where(y > 0, y, 0), hess.lo)
                 + np.einsum("nik,nkj->nij", np.where(y < 0, y, 0), hess.hi))
        yh_hi = (np.einsum("nik,nkj->nij", np.where(y > 0, y, 0), hess.hi)
                 + np.einsum("nik,nkj->nij", np.where(y < 0, y, 0), hess.lo))
        eye = np.eye(2)[None]
        spread = np.einsum("nij,nj->ni", _magnitude(eye - yh_hi, eye - yh_lo), r)
        k_lo = m - yg_hi - spread
        k_hi = m - yg_lo + spread
        # Rounding: widen K by a few ulps of its size before comparing (the sums above were not rounded outward).
        slack = 8 * np.finfo(np.float64).eps * (np.abs(m) + np.abs(yg_lo) + np.abs(yg_hi) + spread)
        k_lo, k_hi = k_lo - slack, k_hi + slack
        finite = usable & np.all(np.isfinite(k_lo) & np.isfinite(k_hi), axis=1)
        inside = finite & np.all((k_lo > lo) & (k_hi < hi), axis=1)
        disjoint = finite & np.any((k_hi < lo) | (k_lo > hi), axis=1)
        k_lo, k_hi = np.where(finite[:, None], k_lo, -np.inf), np.where(finite[:, None], k_hi, np.inf)
    return inside, disjoint, k_lo, k_hi


def _newton_in(fn, theta, lo, hi, iterations: int = 60) -> np.ndarray:
    """The critical point inside each box that is proven to hold exactly one: Newton from the centre, kept in the
    box.  Evaluated with NumPy on the surface's own program (`jaxprs.POINT`), so nothing compiles."""
    from .floatrange import evaluate  # the plain-float walk of the same program

    x = 0.5 * (lo + hi)
    for _ in range(iterations):
        _, g, h = evaluate(fn, theta, x)
        with np.errstate(all="ignore"):
            step = np.linalg.solve(h, g[..., None])[..., 0]
        step = np.where(np.isfinite(step), step, 0.0)
        x = np.clip(x - step, lo, hi)
        if np.all(np.abs(step) <= 1e-15 * (1 + np.abs(x))):
            break
    return x


def _unresolvable(fn, theta, lo, hi, small) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Boxes that cutting cannot decide, sampled at the centre and the corners: (range, undefined, zero).

    *range*: a ``small`` box where f or ∇f leaves the float64 range (`landscapes.floatrange`) at some sample: there
    an enclosure holds 0 only because the digits that would exclude it are lost.  (A box where an operation leaves
    the range throughout is caught by the enclosure itself, `intervals.Interval.lost`, whatever its size.)
    *undefined*: a ``small`` box where f or ∇f is not finite at some sample (a pole, the edge of log's domain):
    enclosures of 1/x over a box that reaches x = 0 are unbounded however small the box.  *zero*: ∇f is exactly 0
    at every sample.  A large box only partly in trouble is cut instead, so that its other part can be decided."""
    from .floatrange import check_family, evaluate

    if not len(lo):
        return np.zeros(0, bool), np.zeros(0, bool), np.zeros(0, bool)
    samples = np.stack([0.5 * (lo + hi), lo, hi, np.stack([lo[:, 0], hi[:, 1]], 1), np.stack([hi[:, 0], lo[:, 1]], 1)],
                       axis=1).reshape(-1, 2)
    lost = check_family(fn, theta, samples)
    lost = (lost.value | lost.gradient).reshape(len(lo), 5)
    value, grad, _ = evaluate(fn, theta, samples)
    with np.errstate(invalid="ignore"):
        bad = ~(np.isfinite(value) & np.all(np.isfinite(grad), axis=1)).reshape(len(lo), 5)
    zero = np.all(grad == 0, axis=1).reshape(len(lo), 5).all(axis=1) & ~lost.any(axis=1)
    out_of_range = lost.any(axis=1) & small
    return out_of_range, ~out_of_range & bad.any(axis=1) & small, zero


def locate(fn, theta, bounds, candidates) -> Located:
    """Prove where the critical points of ``fn(·, theta)`` in ``bounds`` can be (see the module docstring).

    ``candidates`` are ``(N, 2)`` points believed to be critical points (Newton's).  Raises `jaxprs.Unsupported`
    when the surface's program has a primitive without an interval rule."""
    (x0, x1), (y0, y1) = bounds
    box_lo, box_hi = np.array([x0, y0], np.float64), np.array([x1, y1], np.float64)
    width = box_hi - box_lo
    candidates = np.asarray(candidates, np.float64).reshape(-1, 2)

    # 1. Each candidate, alone in a small box around it?  Or no critical point at all there?
    proven = np.zeros(len(candidates), bool)
    refuted = np.zeros(len(candidates), bool)
    known_lo = np.empty((0, 2))
    known_hi = np.empty((0, 2))
    if len(candidates):
        for scale in (1.0, 1e2, 1e4):
            todo = np.flatnonzero(~proven & ~refuted)
            if not len(todo):
                break
            p = candidates[todo]
            rho = INFLATE * scale * (1.0 + np.abs(p)) * np.maximum(width / np.max(width), 1e-3)
            lo, hi = p - rho, p + rho
            g, h, gm = _with_centres(fn, theta, lo, hi)
            none = ~_both_zero(_mean_value(g, h, gm, rho))
            refuted[todo[none]] = True
            inside, *_ = _krawczyk(lo, hi, gm, h)
            inside &= ~none
            proven[todo[inside]] = True
            known_lo = np.concatenate([known_lo, lo[inside]])
            known_hi = np.concatenate([known_hi, hi[inside]])

    # 2. Subdivide the box, dropping what lies inside a proven candidate's box.
    active_lo, active_hi = box_lo[None], box_hi[None]
    extra_lo, extra_hi, undecided, why = [], [], [], []

    def give_up(lo, hi, reason: str):
        undecided.extend(np.stack([lo, hi], 1))
        why.extend([UNDECIDED.index(reason)] * len(lo))

    for _ in range(MAX_ROUNDS):
        if not len(active_lo):
            break
        if len(known_lo):
            covered = np.any(np.all((active_lo[:, None] >= known_lo[None]) & (active_hi[:, None] <= known_hi[None]),
                                    axis=2), axis=1)
            active_lo, active_hi = active_lo[~covered], active_hi[~covered]
            if not len(active_lo):
                break
        if len(active_lo) > MAX_ACTIVE:
            give_up(active_lo, active_hi, "budget")
            break
        g, h, gm = _with_centres(fn, theta, active_lo, active_hi)
        maybe = _both_zero(g)
        lo, hi = active_lo[maybe], active_hi[maybe]
        g, h, gm = _take(maybe, g, h, gm)
        maybe = _both_zero(_mean_value(g, h, gm, 0.5 * (hi - lo)))
        lo, hi = lo[maybe], hi[maybe]
        g, h, gm = _take(maybe, g, h, gm)
        inside, disjoint, k_lo, k_hi = _krawczyk(lo, hi, gm, h)
        # A new root's box may still overlap a proven candidate's box: it is new only if no candidate lies in it.
        fresh = inside.copy()
        if len(candidates) and inside.any():
            holds = np.any(np.all((candidates[None] >= lo[inside][:, None]) & (candidates[None] <= hi[inside][:, None]),
                                  axis=2) & proven[None], axis=1)
            fresh[np.flatnonzero(inside)[holds]] = False
        extra_lo.append(lo[fresh])
        extra_hi.append(hi[fresh])
        rest = ~inside & ~disjoint
        # Every critical point of B lies in K(B) ∩ B: keep only that part (it shrinks fast near a simple root).
        lo, hi = np.fmax(lo[rest], k_lo[rest]), np.fmin(hi[rest], k_hi[rest])
        g = _take(rest, g)[0]
        # Only a gradient enclosure that touches 0 at float64's edge (or is unbounded) can hide a range problem.
        edge = np.any((np.minimum(np.abs(g.lo), np.abs(g.hi)) < 1e-250) | ~np.isfinite(g.lo) | ~np.isfinite(g.hi),
                      axis=1)
        out_of_range, undefined, zero = (np.zeros(len(lo), bool) for _ in range(3))
        flat = np.all(_magnitude(g.lo, g.hi) < VANISHING, axis=1)
        small = np.all(hi - lo < RANGE_WIDTH * width, axis=1) | flat
        out_of_range[edge], undefined[edge], zero[edge] = _unresolvable(fn, theta, lo[edge], hi[edge], small[edge])
        if isinstance(g.lost, np.ndarray):  # an operation left the range on the whole box: cutting cannot help
            out_of_range |= g.lost & ~undefined
        # ∇f below 1e-290 on the whole box: a flat region if it is exactly 0 where sampled, else values float64
        # cannot tell from 0 (the subnormal spacing, 4.9e-324, is what rounding outward adds): out of its range.
        out_of_range |= flat & ~zero & ~undefined
        vanishing = ~out_of_range & ~undefined & flat
        tiny = ~out_of_range & ~undefined & ~vanishing & np.all(hi - lo < MIN_WIDTH * width, axis=1)
        for mask, reason in ((out_of_range, "range"), (undefined, "undefined"), (vanishing, "flat"), (tiny, "small")):
            give_up(lo[mask], hi[mask], reason)
        stop = out_of_range | undefined | vanishing | tiny
        lo, hi = lo[~stop], hi[~stop]
        # Cut across the wider side (relative to the search box), a little off the middle.
        axis = np.argmax((hi - lo) / width, axis=1)
        cut = lo[np.arange(len(lo)), axis] + SPLIT * (hi - lo)[np.arange(len(lo)), axis]
        left_hi, right_lo = hi.copy(), lo.copy()
        left_hi[np.arange(len(lo)), axis] = cut
        right_lo[np.arange(len(lo)), axis] = cut
        active_lo, active_hi = np.concatenate([lo, right_lo]), np.concatenate([left_hi, hi])
    else:
        give_up(active_lo, active_hi, "budget")

    extra_lo = np.concatenate(extra_lo) if extra_lo else np.empty((0, 2))
    extra_hi = np.concatenate(extra_hi) if extra_hi else np.empty((0, 2))
    extra = _newton_in(fn, theta, extra_lo, extra_hi) if len(extra_lo) else np.empty((0, 2))
    return Located(proven, refuted, extra, np.asarray(undecided, np.float64).reshape(-1, 2, 2),
                   np.asarray(why, np.int8))
