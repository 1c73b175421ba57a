"""What a lesson reads off the runs on its figure: pure NumPy on the trajectories the page already computed, so
checking a prediction or a task costs no engine call (and nothing here knows a screen exists).

Every number a lesson's words quote about a run, and every "right answer" and "task done", comes from one of these
functions applied to the run shown; `tests/test_learn_lessons.py` checks them against closed forms and independent
NumPy implementations of the course formulas.
"""

from __future__ import annotations

import math
from typing import NamedTuple, Sequence

import numpy as np


def distances(xy, point) -> np.ndarray:
    """``‖x_t − point‖`` for every iterate of ``xy (T+1, 2)``."""
    return np.linalg.norm(np.asarray(xy, np.float64) - np.asarray(point, np.float64), axis=1)


def reach(xy, point, tol: float) -> int:
    """The first step ``t`` with ``‖x_t − point‖ < tol``, or -1."""
    hits = np.flatnonzero(distances(xy, point) < tol)
    return int(hits[0]) if hits.size else -1


def last_within(xy, point, radius: float) -> int:
    """The last step at which the run is within ``radius`` of ``point``, or -1 (never)."""
    near = np.flatnonzero(distances(xy, point) <= radius)
    return int(near[-1]) if near.size else -1


def sign_changes(v) -> int:
    """How often the sequence ``v`` changes sign (zeros skipped)."""
    s = np.sign(np.asarray(v, np.float64))
    s = s[s != 0]
    return int(np.sum(s[1:] != s[:-1]))


def crossings(xy, minimum, direction) -> tuple[int, int]:
    """How often the run passes ``minimum`` along ``direction`` (the sign changes of ``(x_t − x*)·d``), and the first
    step at which it does (-1: never).  Along the valley floor this is momentum's overshoot."""
    along = (np.asarray(xy, np.float64) - np.asarray(minimum, np.float64)) @ np.asarray(direction, np.float64)
    s = np.sign(along)
    keep = np.flatnonzero(s != 0)
    flips = keep[1:][s[keep[1:]] != s[keep[:-1]]]
    return len(flips), (int(flips[0]) if len(flips) else -1)


def first_step_ratio(xy, eta: float) -> np.ndarray:
    """``|Δx₁ᵢ| / η`` for each coordinate i: the first step's length per coordinate in units of η."""
    xy = np.asarray(xy, np.float64)
    return np.abs(xy[1] - xy[0]) / float(eta)


def first_step_angle(xy) -> float:
    """The angle in degrees between the first step and the x axis, folded into [0°, 90°] (a diagonal is 45°)."""
    d = np.asarray(xy, np.float64)[1] - np.asarray(xy, np.float64)[0]
    return float(np.degrees(np.arctan2(abs(d[1]), abs(d[0]))))


def angle_between(u, v) -> float:
    """The angle in degrees between the lines of ``u`` and ``v`` (0° to 90°: a direction and its opposite agree)."""
    u, v = np.asarray(u, np.float64), np.asarray(v, np.float64)
    nu, nv = np.linalg.norm(u), np.linalg.norm(v)
    if nu == 0 or nv == 0:
        return float("nan")
    return float(np.degrees(np.arccos(min(1.0, abs(float(u @ v)) / (nu * nv)))))


class StepLaw(NamedTuple):
    """Which length law a run's steps follow: the median of ``‖Δx_t‖ / (η·s_t)`` for each candidate scale ``s_t``
    (``1`` for a step of about η, ``‖x_{t−1}‖`` for LAMB's trust ratio, ``‖∇f(x_{t−1})‖`` for gradient descent),
    and the candidate whose median ratio is closest to 1 in log."""

    ratios: dict
    closest: str


def step_law(xy, grad_norm, eta: float, skip: int = 10) -> StepLaw:
    """The `StepLaw` of a run over its steps after the first ``skip`` (Adam's averages settle first)."""
    xy = np.asarray(xy, np.float64)
    steps = np.linalg.norm(np.diff(xy, axis=0), axis=1)[skip:]
    scales = {"eta": np.ones_like(steps), "norm_x": np.linalg.norm(xy[:-1], axis=1)[skip:],
              "gradient": np.asarray(grad_norm, np.float64)[:-1][skip:]}
    ratios = {}
    for name, s in scales.items():
        ok = (s > 0) & (steps > 0)
        ratios[name] = float(np.median(steps[ok] / (float(eta) * s[ok]))) if ok.any() else float("nan")
    finite = {k: abs(math.log(v)) for k, v in ratios.items() if math.isfinite(v) and v > 0}
    return StepLaw(ratios, min(finite, key=finite.get) if finite else "eta")


def gap_to_flow(xy, flow_xy, eta: float) -> tuple[float, int]:
    """The largest distance between the iterate ``x_k`` and the flow at time ``kη``, and the step where it is.
    ``flow_xy`` samples the flow at equally spaced times from 0 to ``T·η`` (``T`` = the run's steps); it is
    interpolated at each ``kη`` (exact where a sample falls there)."""
    xy, flow_xy = np.asarray(xy, np.float64), np.asarray(flow_xy, np.float64)
    steps = len(xy) - 1
    times = np.linspace(0.0, steps * float(eta), len(flow_xy))
    at = np.stack([np.interp(np.arange(steps + 1) * float(eta), times, flow_xy[:, i]) for i in range(2)], axis=1)
    gaps = np.linalg.norm(xy - at, axis=1)
    k = int(np.argmax(gaps))
    return float(gaps[k]), k


def came_back(xy, point, start_distance: float) -> bool:
    """Whether a run started ``start_distance`` from ``point`` heads back to it: at some step it is within a
    quarter of that distance (a run along a direction of negative curvature only moves away)."""
    return bool(np.min(distances(xy, point)) < 0.25 * start_distance)


def nearest_point(xy, points: Sequence, tol: float):
    """The point of ``points`` (records with ``xy``) within ``tol`` of ``xy``, the nearest one, or None."""
    best, best_d = None, tol
    for p in points:
        d = float(np.linalg.norm(np.asarray(p.xy, np.float64) - np.asarray(xy, np.float64)))
        if d <= best_d:
            best, best_d = p, d
    return best
