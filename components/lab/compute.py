"""The Lab page's sweeps: arrays in, NumPy records out, each one or two calls of `optimizers.engine.sweep`
(`learning_rate_curve`, `phase_diagram`, `search`, `basin_map`, `fair_comparison`), and their bounds.

Batches are padded to a size bucket (`bucket`) and sliced back, because the compiled sweep is specialised to its
batch shape: changing a grid from 40 to 41 cells per side then reuses the compiled runner instead of compiling
again.  The sizes are bounded here, once, and the page states them (`components.lab.words.limits`).  The cached
entry points the page calls are `components.lab.sweeps`.
"""

from __future__ import annotations

import math
from typing import Any, Mapping, NamedTuple, Sequence

import numpy as np
from scipy.spatial import cKDTree

from components.i18n import N_
from optimizers import analytic, catalog
from optimizers.base import STATUSES

from optimizers import engine as _run
from optimizers import tune as _tune


# ------------------------------------------------------------------------------------------------ bounds
MAX_GRID = 200
"""Basin maps: at most 200 × 200 starts per optimizer (40,000 runs in one sweep)."""
MAX_CONFIGS = 10_000
"""Any other sweep: at most 10,000 configurations (a 100 × 100 phase diagram; tuning budget × starts)."""
MAX_PHASE = 100
MAX_STEPS = 2000
MAX_LR_POINTS = 400
MAX_CURVE_OPTIMIZERS = 6
MAX_BASIN_OPTIMIZERS = 4
MAX_FAIR_OPTIMIZERS = 6
MAX_TUNING_BUDGET = 50
MAX_STARTS = 200
SEARCH_BUDGETS = (4, 9, 16, 25, 36, 49, 64, 81, 100)
LR_RANGE = (1e-6, 100.0)
"""Learning-rate axes may span this range, wider than any one optimizer's slider (GD's limit 2/λ can exceed 1)."""
CONVERGED, DIVERGED, MAX_STEPS_CODE = (STATUSES.index(s) for s in ("converged", "diverged", "max_steps"))
GAP_FLOOR = 1e-16
"""Losses within this of the best known minimum are drawn at this value on log axes."""
FINAL_LOSS = N_("final loss f")
"""The axis title of a final loss drawn as it is (no ``f*`` known); the page shows it through `components.i18n.t`."""
MINIMUM_LABEL = N_("minimum ({x}, {y}), f = {value}")
STALLED, DIVERGED_WORD, MOVING = (N_("stalled at a saddle or other stationary point"), N_("diverged"),
                                  N_("still moving"))
"""Where a run of a basin map may end, in English (`categories`); `components.lab.words` says them in the
visitor's language."""


# ------------------------------------------------------------------------------------------------ small helpers
def bucket(n: int) -> int:
    """The padded batch size for ``n`` runs: the smallest ``m · 2^k`` (``m`` = 4, 5, 6 or 7) that is ≥ max(n, 64).

    Quarter-octave steps: at most a quarter of a sweep is padding, and the page offers only four batch sizes per
    doubling to compile for (100 × 100 → 10,240; 200 × 200 → 40,960)."""
    n = max(int(n), 64)
    k = max(0, math.floor(math.log2(n)) - 2)
    return next(m * 2**k for m in (4, 5, 6, 7, 8) if m * 2**k >= n)


def padded_sweep(landscape, name: str, configs: Mapping[str, np.ndarray], start, steps: int,
                 fixed: Mapping[str, Any] | None = None, at_least: int = 0) -> Any:
    """`optimizers.engine.sweep` with the batch padded to `bucket` (repeating the last entry) and sliced back.

    ``configs`` maps hyperparameter names to ``(N,)`` arrays; ``start`` is one point or ``(N, 2)`` starts; ``fixed``
    are shared hyperparameters; ``at_least`` pads to ``bucket(at_least)`` when that is larger (to reuse the
    compiled sweep of a larger batch).  Returns the ``SweepResult`` of the ``N`` real configurations."""
    configs = {k: np.asarray(v, np.float64).reshape(-1) for k, v in configs.items()}
    start = np.asarray(start, np.float64)
    sizes = {len(v) for v in configs.values()} | ({len(start)} if start.ndim == 2 else set())
    if len(sizes) != 1:
        raise ValueError(f"batch sizes differ: {sorted(sizes)}")
    n = sizes.pop()
    pad = bucket(max(n, int(at_least))) - n

    def padded(a):
        return np.concatenate([a, np.repeat(a[-1:], pad, axis=0)]) if pad else a

    result = _run.sweep(landscape, name, {k: padded(v) for k, v in configs.items()},
                        start=padded(start) if start.ndim == 2 else start, steps=int(steps), **dict(fixed or {}))
    return type(result)(*(np.asarray(field)[:n] for field in result))


def values_on_axis(lo: float, hi: float, n: int, log: bool) -> np.ndarray:
    """``n`` values from ``lo`` to ``hi``, geometric when ``log``."""
    return np.geomspace(lo, hi, int(n)) if log else np.linspace(lo, hi, int(n))


def float_hyperparams(name: str) -> tuple:
    """The traced (``kind="float"``) hyperparameters of optimizer ``name``: the ones a sweep may vary."""
    return tuple(h for h in catalog.get(name).hyperparams if h.kind == "float")


def has_learning_rate(name: str) -> bool:
    return any(h.name == "learning_rate" for h in float_hyperparams(name))


def axis_limits(h) -> tuple[float, float, bool]:
    """``(lo, hi, log)`` an axis over hyperparameter ``h`` may span: `LR_RANGE` for the learning rate, else the
    slider's own range."""
    if h.name == "learning_rate":
        return LR_RANGE[0], LR_RANGE[1], True
    lo, hi = float(h.min), float(h.max)
    log = bool(h.log) and lo > 0
    return lo, hi, log


def default_range(h) -> tuple[float, float]:
    """The range an axis over ``h`` starts with: η from 1e-3 to 10, the slider's range otherwise (capped below 1
    for decay rates, where 0.999… is the slider's end but the interesting region is ≤ 0.99)."""
    if h.name == "learning_rate":
        return 1e-3, 10.0
    lo, hi, _ = axis_limits(h)
    if hi > 0.99 and hi < 1.0:
        hi = 0.99
    return lo, hi


def loss_gap(loss, f_star: float | None) -> tuple[np.ndarray, str, bool]:
    """What to plot for a final loss: ``max(f − f*, GAP_FLOOR)`` on a log axis when the lowest known minimum
    ``f*`` is known, else ``f`` itself on a linear axis.  Returns (values, axis title, log axis?)."""
    loss = np.asarray(loss, np.float64)
    if f_star is None:
        return loss, FINAL_LOSS, False
    return np.maximum(loss - f_star, GAP_FLOOR), "f − f*", True


def lowest_minimum(points: Sequence[Any], known_minima: Sequence[Any]) -> float | None:
    """``f*``: the lowest value among the atlas's minima and the surface's listed minima (None if there is none)."""
    values = [p.value for p in points if p.kind == "minimum"] + [m.value for m in known_minima]
    return float(min(values)) if values else None


# ------------------------------------------------------------------------------------------------ η curve
def learning_rate_curve(landscape, name: str, etas, steps: int, start=None,
                        fixed: Mapping[str, Any] | None = None):
    """Final loss and steps to converge of optimizer ``name`` for each learning rate in ``etas``, one sweep.

    Returns the `optimizers.engine.SweepResult` (``diverged_at >= 0`` marks divergence)."""
    etas = np.asarray(etas, np.float64).reshape(-1)
    return padded_sweep(landscape, name, {"learning_rate": etas},
                        landscape.start if start is None else start, steps, fixed)


def divergence_onset(etas, diverged) -> float | None:
    """The smallest learning rate in ``etas`` whose run diverged, or None."""
    etas, diverged = np.asarray(etas), np.asarray(diverged, bool)
    return float(etas[diverged].min()) if diverged.any() else None


def quadratic_curvature(landscape) -> tuple[float, float] | None:
    """``(λ_min, λ_max)`` of the constant Hessian when ``landscape`` is a quadratic, else None."""
    hess = analytic.quadratic_hessian(landscape)
    return None if hess is None else analytic.extreme_eigenvalues(hess)


# ------------------------------------------------------------------------------------------------ phase diagram
class Phase(NamedTuple):
    """A sweep over a grid of two hyperparameters; maps are indexed ``[iy, ix]`` (rows are y, as Plotly draws)."""

    x: np.ndarray
    y: np.ndarray
    loss: np.ndarray
    converged_at: np.ndarray
    diverged_at: np.ndarray
    code: np.ndarray


def phase_diagram(landscape, name: str, x_name: str, xs, y_name: str, ys, steps: int, start=None,
                  fixed: Mapping[str, Any] | None = None) -> Phase:
    """Run ``name`` for every pair ``(xs[i], ys[j])`` of hyperparameters ``x_name`` × ``y_name`` in one sweep."""
    xs, ys = np.asarray(xs, np.float64), np.asarray(ys, np.float64)
    gx, gy = np.meshgrid(xs, ys)
    r = padded_sweep(landscape, name, {x_name: gx.ravel(), y_name: gy.ravel()},
                     landscape.start if start is None else start, steps, fixed)
    shape = gx.shape
    return Phase(xs, ys, r.loss.reshape(shape), r.converged_at.reshape(shape), r.diverged_at.reshape(shape),
                 r.code.reshape(shape))


def stability_boundary(name: str, x_name: str, y_name: str, curvature: tuple[float, float] | None,
                       mu=None) -> tuple[np.ndarray, np.ndarray] | None:
    """The closed-form stability boundary of ``name`` in the ``(x, y)`` plane, when there is one: momentum or
    Nesterov on a positive-definite quadratic, axes η and μ (either way round).  Returns ``(x, y)`` points."""
    if curvature is None or name not in ("momentum", "nesterov") or {x_name, y_name} != {"learning_rate", "momentum"}:
        return None
    lam_min, lam_max = curvature
    if lam_min <= 0:
        return None
    mu = np.linspace(0.0, 0.999, 400) if mu is None else np.asarray(mu, np.float64)
    eta = np.asarray(analytic.RULES[name].limit(mu, lam_max, lam_min))
    return (eta, mu) if x_name == "learning_rate" else (mu, eta)


# ------------------------------------------------------------------------------------------------ random vs grid
class Search(NamedTuple):
    """Grid search and random search with the same budget; ``*_best`` index their best configuration."""

    grid_x: np.ndarray
    grid_y: np.ndarray
    grid_loss: np.ndarray
    grid_converged_at: np.ndarray
    grid_diverged: np.ndarray
    random_x: np.ndarray
    random_y: np.ndarray
    random_loss: np.ndarray
    random_converged_at: np.ndarray
    random_diverged: np.ndarray
    grid_best: int
    random_best: int


def grid_points(x_range, y_range, budget: int, x_log: bool, y_log: bool) -> tuple[np.ndarray, np.ndarray]:
    """A ``k × k`` grid, ``k = ⌊√budget⌋``, spanning both ranges (geometric on log axes): only ``k`` distinct
    values of each hyperparameter are ever tried."""
    k = max(1, math.isqrt(int(budget)))
    gx, gy = np.meshgrid(values_on_axis(*x_range, k, x_log), values_on_axis(*y_range, k, y_log))
    return gx.ravel(), gy.ravel()


def random_points(x_range, y_range, budget: int, x_log: bool, y_log: bool, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``budget`` points drawn uniformly (log-uniformly on log axes): ``budget`` distinct values of each
    hyperparameter (Bergstra & Bengio 2012; cs231n notes, ``shared/seeds/003_*``)."""
    rng = np.random.default_rng(int(seed))

    def draw(lo, hi, log):
        u = rng.uniform(size=int(budget))
        return np.exp(np.log(lo) + u * (np.log(hi) - np.log(lo))) if log else lo + u * (hi - lo)

    return draw(*x_range, x_log), draw(*y_range, y_log)


def best_index(loss, converged_at, diverged) -> int:
    """The best run: not diverged before diverged; converged before not; then fewest steps to converge (among
    converged runs) or lowest final loss (among the others)."""
    loss, conv, div = np.asarray(loss), np.asarray(converged_at), np.asarray(diverged, bool)
    converged = (conv >= 0) & ~div
    within = np.where(converged, conv.astype(np.float64), loss)
    return int(np.lexsort((loss, within, ~converged, div))[0])


def search(landscape, name: str, x_name: str, x_range, x_log: bool, y_name: str, y_range, y_log: bool,
           budget: int, seed: int, steps: int, start=None, fixed: Mapping[str, Any] | None = None) -> Search:
    """Grid search and random search, ``budget`` configurations each, evaluated in one sweep."""
    gx, gy = grid_points(x_range, y_range, budget, x_log, y_log)
    rx, ry = random_points(x_range, y_range, budget, x_log, y_log, seed)
    r = padded_sweep(landscape, name, {x_name: np.concatenate([gx, rx]), y_name: np.concatenate([gy, ry])},
                     landscape.start if start is None else start, steps, fixed)
    n = len(gx)
    div = r.diverged_at >= 0
    parts = (r.loss[:n], r.converged_at[:n], div[:n]), (r.loss[n:], r.converged_at[n:], div[n:])
    return Search(gx, gy, *parts[0], rx, ry, *parts[1], best_index(*parts[0]), best_index(*parts[1]))


# ------------------------------------------------------------------------------------------------ basins
class Attractors(NamedTuple):
    """Where a run may end: the minima (``labels`` name them), the other critical points, and the matching
    radius ``tol``."""

    minima: np.ndarray  # (K, 2)
    labels: tuple[str, ...]
    values: np.ndarray  # (K,)
    others: np.ndarray  # (S, 2): saddles, maxima, degenerate points that are not minima
    tol: float


def attractors(points: Sequence[Any], known_minima: Sequence[Any], bounds) -> Attractors:
    """Minima from the atlas (``kind == "minimum"``) and the surface's listed minima (a degenerate minimum such as
    x⁴ + y⁴'s is listed there), lowest first; every other critical point is a place to stall.  Points closer than
    0.1 % of the box diagonal are one point.  ``tol`` is 1 % of the diagonal, or 40 % of the closest distance
    between two remaining points if that is smaller (so no final point can match two of them)."""
    (x0, x1), (y0, y1) = bounds
    diag = float(np.hypot(x1 - x0, y1 - y0))
    same = 1e-3 * diag
    mins = [(tuple(map(float, p.xy)), float(p.value)) for p in points if p.kind == "minimum"]
    mins += [(tuple(map(float, m.xy)), float(m.value)) for m in known_minima]
    kept: list[tuple[tuple[float, float], float]] = []
    for xy, v in sorted(mins, key=lambda m: m[1]):
        if all(math.dist(xy, k[0]) > same for k in kept):
            kept.append((xy, v))
    others: list[tuple[float, float]] = []
    for p in points:
        xy = tuple(map(float, p.xy))
        if p.kind != "minimum" and all(math.dist(xy, q) > same for q in [k[0] for k in kept] + others):
            others.append(xy)
    minima = np.asarray([k[0] for k in kept], np.float64).reshape(-1, 2)
    everything = np.concatenate([minima, np.asarray(others, np.float64).reshape(-1, 2)])
    tol = 0.01 * diag
    if len(everything) > 1:
        d, _ = cKDTree(everything).query(everything, k=2)
        tol = min(tol, 0.4 * float(d[:, 1].min()))
    labels = tuple(MINIMUM_LABEL.format(x=f"{x:.3g}", y=f"{y:.3g}", value=f"{v:.3g}") for (x, y), v in kept)
    return Attractors(minima, labels, np.asarray([k[1] for k in kept]), np.asarray(others).reshape(-1, 2), tol)


def categories(att: Attractors) -> tuple[str, ...]:
    """Category names of a basin map, in label order: each minimum, then stalled, diverged, still moving."""
    return att.labels + (STALLED, DIVERGED_WORD, MOVING)


def classify_ends(xy, code, att: Attractors) -> np.ndarray:
    """Label each run by where it ended: ``i`` for minimum ``i`` (final point within ``tol``), ``K`` for stalled
    (within ``tol`` of another critical point, or converged anywhere else), ``K + 1`` for diverged, ``K + 2`` for
    still moving (``K`` = number of minima)."""
    xy, code = np.asarray(xy, np.float64).reshape(-1, 2), np.asarray(code)
    k = len(att.minima)
    labels = np.full(len(xy), k + 2, np.int16)
    points = np.concatenate([att.minima, att.others])
    if len(points):
        dist, idx = cKDTree(points).query(xy, distance_upper_bound=att.tol)
        near = np.isfinite(dist)
        labels[near & (idx < k)] = idx[near & (idx < k)]
        labels[near & (idx >= k)] = k
        labels[~near & (code == CONVERGED)] = k
    else:
        labels[code == CONVERGED] = k
    labels[code == DIVERGED] = k + 1
    return labels


def basin_starts(bounds, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cell centres of an ``n × n`` grid over the box (never exactly on a symmetry line through its centre for
    even ``n``): ``(xs, ys, starts (n², 2))`` with ``starts[iy * n + ix] = (xs[ix], ys[iy])``."""
    (x0, x1), (y0, y1) = bounds
    xs = x0 + (np.arange(n) + 0.5) * (x1 - x0) / n
    ys = y0 + (np.arange(n) + 0.5) * (y1 - y0) / n
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.stack([gx.ravel(), gy.ravel()], axis=-1)


class Basins(NamedTuple):
    xs: np.ndarray
    ys: np.ndarray
    labels: np.ndarray  # (n, n) int16, [iy, ix]
    counts: np.ndarray  # (K + 3,) runs per category


def basin_map(landscape, name: str, n: int, steps: int, att: Attractors,
              fixed: Mapping[str, Any] | None = None) -> Basins:
    """Run ``name`` from every start of an ``n × n`` grid in one sweep and label where each run ended."""
    xs, ys, starts = basin_starts(landscape.bounds, n)
    r = padded_sweep(landscape, name, {}, starts, steps, fixed)
    labels = classify_ends(r.xy, r.code, att)
    counts = np.bincount(labels, minlength=len(att.minima) + 3)
    return Basins(xs, ys, labels.reshape(n, n), counts)


# ------------------------------------------------------------------------------------------------ fair comparison
class Fair(NamedTuple):
    """One optimizer's tuning (``etas``, their median final gap ``scores``) and its held-out evaluation."""

    etas: np.ndarray
    scores: np.ndarray
    best_eta: float
    final_loss: np.ndarray  # (M,) on the held-out starts
    diverged: np.ndarray
    converged_at: np.ndarray


def random_starts(bounds, m: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Two independent sets of ``m`` starts uniform in the box: one to tune on, one to evaluate on."""
    (x0, x1), (y0, y1) = bounds
    rng = np.random.default_rng(int(seed))
    lo, hi = np.array([x0, y0]), np.array([x1, y1])
    return rng.uniform(lo, hi, (int(m), 2)), rng.uniform(lo, hi, (int(m), 2))


def fair_comparison(landscape, name: str, budget: int, n_starts: int, steps: int, seed: int,
                    f_star: float | None, eta_range=None, fixed: Mapping[str, Any] | None = None) -> Fair:
    """Tune ``name``'s learning rate with ``budget`` log-spaced values (over its slider's range unless
    ``eta_range``), each scored by the median final gap ``f − f*`` over ``n_starts`` random starts (a diverged
    run scores +inf: `optimizers.tune_learning_rate` with ``aggregate="median"``); then run the best η from
    ``n_starts`` *other* random starts.  Two sweeps."""
    h = next(h for h in float_hyperparams(name) if h.name == "learning_rate")
    lo, hi = eta_range if eta_range is not None else (float(h.min), float(h.max))
    etas = np.geomspace(lo, hi, int(budget))
    tune, held_out = random_starts(landscape.bounds, n_starts, seed)
    m = len(tune)
    tuned = _tune.tune_learning_rate(
        landscape, name, etas, steps=steps, starts=tune, aggregate="median",
        sweep=lambda land, spec, configs, start, steps, **shared: padded_sweep(land, spec, configs, start, steps,
                                                                               shared),
        **dict(fixed or {}))
    scores = tuned.score - (0.0 if f_star is None else f_star)  # the median final gap f − f*
    best = float(etas[int(np.argmin(scores))])
    # Padded to the tuning sweep's batch: it reuses that compiled sweep (one compile per optimizer, not two;
    # ~0.4 s less on a first visit), and 1,000 more warm runs cost a few ms.
    e = padded_sweep(landscape, name, {"learning_rate": np.full(m, best)}, held_out, steps, fixed,
                     at_least=len(etas) * m)
    return Fair(etas, scores, best, e.loss, e.diverged_at >= 0, e.converged_at)
