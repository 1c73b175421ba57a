"""Small 2-D classification sets, generated in code from a seed (no downloads): two moons, two spirals, two
concentric circles and XOR.  Each returns ``X`` (``(points, 2)``, float64) and labels ``y`` (``(points,)``, 0/1),
half of each class, with Gaussian noise of standard deviation ``noise`` added to the coordinates.

The shapes follow scikit-learn's ``make_moons``/``make_circles`` and the cs231n spiral set (course notes 000), written
here in NumPy so the engine needs no scikit-learn.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

MAX_POINTS = 1000


def _moons(rng: np.random.Generator, n0: int, n1: int) -> np.ndarray:
    t0, t1 = np.linspace(0.0, np.pi, n0), np.linspace(0.0, np.pi, n1)
    upper = np.stack([np.cos(t0), np.sin(t0)], 1)
    lower = np.stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)], 1)
    return np.concatenate([upper, lower]) - np.array([0.5, 0.25])  # centred on the origin


def _spirals(rng: np.random.Generator, n0: int, n1: int) -> np.ndarray:
    def arm(n, phase):
        r = np.linspace(0.05, 1.0, n)
        t = 3.5 * r * np.pi + phase  # 1.75 turns
        return np.stack([r * np.cos(t), r * np.sin(t)], 1)
    return np.concatenate([arm(n0, 0.0), arm(n1, np.pi)])


def _circles(rng: np.random.Generator, n0: int, n1: int) -> np.ndarray:
    t0 = np.linspace(0.0, 2 * np.pi, n0, endpoint=False)
    t1 = np.linspace(0.0, 2 * np.pi, n1, endpoint=False)
    return np.concatenate([np.stack([np.cos(t0), np.sin(t0)], 1), 0.5 * np.stack([np.cos(t1), np.sin(t1)], 1)])


def _xor(rng: np.random.Generator, n0: int, n1: int) -> np.ndarray:
    # Class 0 in the quadrants where x·y > 0, class 1 where x·y < 0.
    a = rng.uniform(0.1, 1.0, (n0, 2)) * rng.choice([-1.0, 1.0], (n0, 1))
    b = rng.uniform(0.1, 1.0, (n1, 2)) * np.array([1.0, -1.0]) * rng.choice([-1.0, 1.0], (n1, 1))
    return np.concatenate([a, b])


DATASETS: dict[str, tuple[str, Callable, float]] = {
    # name: (title, generator, default noise)
    "moons": ("Two moons", _moons, 0.15),
    "spirals": ("Two spirals", _spirals, 0.05),
    "circles": ("Concentric circles", _circles, 0.05),
    "xor": ("XOR", _xor, 0.05),
}


def names() -> tuple[str, ...]:
    return tuple(DATASETS)


def make(name: str, points: int = 200, noise: float | None = None, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The data set ``name``: ``(X, y)`` with ``points`` points (``2 ≤ points ≤ MAX_POINTS``)."""
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; choose one of {', '.join(DATASETS)}")
    if not 2 <= int(points) <= MAX_POINTS:
        raise ValueError(f"points must be between 2 and {MAX_POINTS}, not {points}")
    _, generate, default_noise = DATASETS[name]
    rng = np.random.default_rng(seed)
    n0 = int(points) // 2
    n1 = int(points) - n0
    X = generate(rng, n0, n1)
    X = X + (default_noise if noise is None else float(noise)) * rng.standard_normal(X.shape)
    y = np.concatenate([np.zeros(n0, np.int32), np.ones(n1, np.int32)])
    return X.astype(np.float64), y
