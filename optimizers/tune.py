r"""Tune one optimizer's learning rate on a surface: one compiled `sweep` over a grid of η and a few starts.

For candidates ``η_1 < … < η_K`` and starts ``s_1 … s_S``, every pair ``(η_k, s_j)`` runs for the same ``steps``
with the other hyperparameters fixed, a run that diverged (`optimizers.stopping`) scores ``+inf``, and

    score(η_k) = aggregate_j f(x_T(η_k, s_j))       (the final loss over the starts)

with ``aggregate`` the mean (the default: any divergence makes the score ``+inf``) or the median (a minority of
diverged starts is tolerated).  The tuned η is the argmin; on a tie (several η reach the same loss, e.g. exactly 0
on a quadratic) the smallest such η wins.  The starts are the given start and ``S − 1`` jittered copies of it
(default: they keep the choice from hinging on one lucky path, a cycle that happens to land on the minimum or a run
that stops exactly on a saddle's stable manifold), or any ``starts`` the caller draws (the Lab's fair comparison:
uniform random starts, the median).  The budget is the caller's ``steps``: tune every optimizer with the same one
for a fair comparison (cs231n's "babysitting the learning process": search η on a log scale).  This is the one
tuner: the Compare page's "Tune η" and the Lab's fair comparison both call it.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, NamedTuple, Sequence

import numpy as np

from . import catalog, engine

AGGREGATES: dict[str, Callable] = {"mean": np.mean, "median": np.median}
"""How the final losses over the starts make one score (a diverged run's loss counts as +inf)."""

JITTER_STARTS = 4
"""Extra starts besides the given one."""
JITTER_SPREAD = 0.02
"""Their standard deviation, as a fraction of the box's shorter side."""


class Tuning(NamedTuple):
    """The result of `tune_learning_rate`: ``best`` (None when every score is ``inf``); per candidate ``η`` its
    ``score`` (the aggregate final loss, a diverged run counting as ``inf``) and ``diverged`` (how many of the
    starts did); the ``starts (S, 2)`` used and the ``steps`` budget."""

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


def tune_learning_rate(landscape, name: str, candidates: Sequence[float], start=None, steps: int = engine.DEFAULT_STEPS,
                       extra_starts: int = JITTER_STARTS, seed: int = 0, schedule: str | None = None,
                       schedule_params: Mapping[str, Any] | None = None, noise: float = 0.0, *, starts=None,
                       aggregate: str = "mean", sweep: Callable[..., engine.SweepResult] | None = None,
                       **hyperparams) -> Tuning:
    """Pick the learning rate of optimizer ``name`` among ``candidates`` by the rule of the module docstring.

    ``starts (S, 2)``: the starts to tune on (default: ``start`` and ``extra_starts`` jittered copies, drawn from
    ``seed``).  ``aggregate``: ``"mean"`` or ``"median"`` (`AGGREGATES`).  ``hyperparams`` fix the others
    (momentum, β₁, …); ``schedule``, ``noise`` and ``seed`` are passed to the runs as they are (with a schedule, η is
    its base rate).  ``sweep``: what runs the ``K·S`` configurations, `optimizers.sweep` unless the caller passes
    one with the same arguments (the Lab pads its batches to a few sizes so that its sweeps share compiled
    programs).  Raises ``ValueError`` for a rule without a learning rate.
    """
    spec = catalog.get(name)
    if not any(h.name == "learning_rate" and h.kind == "float" for h in spec.hyperparams):
        raise ValueError(f"{spec.title} has no learning rate to tune")
    if aggregate not in AGGREGATES:
        raise ValueError(f"aggregate must be one of {', '.join(AGGREGATES)}, got {aggregate!r}")
    etas = np.asarray(sorted({float(c) for c in candidates}), np.float64)
    if etas.size == 0 or not np.all(np.isfinite(etas)) or np.any(etas <= 0):
        raise ValueError("the candidate learning rates must be positive numbers")
    if starts is None:
        starts = jittered_starts(landscape, start, extra_starts, seed=seed)
    starts = np.asarray(starts, np.float64).reshape(-1, 2)
    k, s = len(etas), len(starts)
    hyperparams = {n: v for n, v in hyperparams.items() if n != "learning_rate"}
    result = (sweep or engine.sweep)(landscape, spec, configs={"learning_rate": np.repeat(etas, s)},
                                     start=np.tile(starts, (k, 1)), steps=steps, schedule=schedule,
                                     schedule_params=schedule_params, noise=noise, seed=seed, **hyperparams)
    diverged = (np.asarray(result.diverged_at) >= 0).reshape(k, s)
    loss = np.where(diverged, np.inf, np.asarray(result.loss, np.float64).reshape(k, s))
    score = AGGREGATES[aggregate](loss, axis=1)
    best = float(etas[int(np.argmin(score))]) if np.isfinite(score).any() else None
    return Tuning(best, etas, score, diverged.sum(axis=1), starts, int(steps))
