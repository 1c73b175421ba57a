r"""Tune one optimizer's learning rate on a surface: one compiled `sweep` over a grid of η and a few starts.

For candidates ``η_1 < … < η_K`` and starts ``s_1 … s_S`` (the given start and ``S − 1`` jittered copies), every
pair ``(η_k, s_j)`` runs for the same ``steps`` with the other hyperparameters fixed, and

    score(η_k) = mean_j f(x_T(η_k, s_j))       (the final loss, averaged over the starts)

counts only if no run with ``η_k`` diverged (`optimizers.run`'s rule: a non-finite value or a coordinate or loss
beyond 1e6); otherwise ``score = +inf``.  The tuned η is the argmin; on a tie (several η reach the same loss, e.g.
exactly 0 on a quadratic) the smallest such η wins.  Jittered starts keep the choice from hinging on one lucky
path (a cycle that happens to land on the minimum, a run that stops exactly on a saddle's stable manifold).
The budget is the caller's ``steps``: tune every optimizer with the same one for a fair comparison (the same rule
as the Lab's "fair tuning", cs231n's "babysitting the learning process": search η on a log scale).
"""

from __future__ import annotations

from typing import Any, Mapping, NamedTuple, Sequence

import numpy as np

from . import catalog
from .engine import sweep

JITTER_STARTS = 4
"""Extra starts besides the given one."""
JITTER_SPREAD = 0.02
"""Their standard deviation, as a fraction of the box's shorter side."""


class Tuning(NamedTuple):
    """The result of `tune_learning_rate`: ``best`` (None when every candidate diverged); per candidate ``η``
    its ``score`` (mean final loss, ``inf`` if any run diverged) and ``diverged`` (how many of the starts did);
    the ``starts (S, 2)`` used and the ``steps`` budget."""

    best: float | None
    candidates: np.ndarray
    score: np.ndarray
    diverged: np.ndarray
    starts: np.ndarray
    steps: int


def jittered_starts(landscape, start, extra: int = JITTER_STARTS, spread: float = JITTER_SPREAD,
                    seed: int = 0) -> np.ndarray:
    """``start`` followed by ``extra`` Gaussian perturbations of it (σ = ``spread`` × the box's shorter side),
    kept inside the box: shape ``(1 + extra, 2)``, reproducible for a ``seed``."""
    (x0, x1), (y0, y1) = landscape.bounds
    start = np.asarray(landscape.start if start is None else start, np.float64).reshape(2)
    sigma = spread * min(x1 - x0, y1 - y0)
    offsets = np.random.default_rng(seed).normal(0.0, sigma, size=(extra, 2))
    points = np.concatenate([start[None], start[None] + offsets])
    return np.clip(points, [x0, y0], [x1, y1])


def tune_learning_rate(landscape, name: str, candidates: Sequence[float], start=None, steps: int = 200,
                       extra_starts: int = JITTER_STARTS, seed: int = 0, schedule: str | None = None,
                       schedule_params: Mapping[str, Any] | None = None, noise: float = 0.0,
                       **hyperparams) -> Tuning:
    """Pick the learning rate of optimizer ``name`` among ``candidates`` by the rule of the module docstring.

    ``hyperparams`` fix the others (momentum, β₁, …); ``schedule``, ``noise`` and ``seed`` are passed to the runs
    as they are (with a schedule, η is its base rate).  Raises ``ValueError`` for a rule without a learning rate.
    """
    spec = catalog.get(name)
    if not any(h.name == "learning_rate" and h.kind == "float" for h in spec.hyperparams):
        raise ValueError(f"{spec.title} has no learning rate to tune")
    etas = np.asarray(sorted({float(c) for c in candidates}), np.float64)
    if etas.size == 0 or not np.all(np.isfinite(etas)) or np.any(etas <= 0):
        raise ValueError("the candidate learning rates must be positive numbers")
    starts = jittered_starts(landscape, start, extra_starts, seed=seed)
    k, s = len(etas), len(starts)
    hyperparams = {n: v for n, v in hyperparams.items() if n != "learning_rate"}
    result = sweep(landscape, spec, configs={"learning_rate": np.repeat(etas, s)}, start=np.tile(starts, (k, 1)),
                   steps=steps, schedule=schedule, schedule_params=schedule_params, noise=noise, seed=seed,
                   **hyperparams)
    loss = np.asarray(result.loss, np.float64).reshape(k, s)
    diverged = (np.asarray(result.status) == "diverged").reshape(k, s).sum(axis=1)
    score = np.where(diverged == 0, loss.mean(axis=1), np.inf)
    best = float(etas[int(np.argmin(score))]) if np.isfinite(score).any() else None
    return Tuning(best, etas, score, diverged, starts, int(steps))
