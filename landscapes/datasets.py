"""The network page's data sets: small 2-D sets generated in code, and real ones shipped inside scikit-learn.

* 2-D sets, generated from a seed (no downloads): two moons, two spirals, two concentric circles and XOR.  `make`
  returns ``X`` (``(points, 2)``, float64) and labels ``y`` (``(points,)``, 0/1), half of each class, with Gaussian
  noise of standard deviation ``noise`` added to the coordinates.  The shapes follow scikit-learn's
  ``make_moons``/``make_circles`` and the cs231n spiral set (course notes 000), written here in NumPy.
* Real sets (`REAL`): the handwritten digits (8 × 8 images, 10 classes), iris, wine and breast cancer, read from the
  files scikit-learn ships in its package (``sklearn.datasets.load_*``: nothing is downloaded).  scikit-learn is
  imported only when one is first asked for (its import takes ~1.5 s here; the app's other pages never pay it).
* `Data`: what a network trains on.  For a real set (and an uploaded table, `landscapes.tables`) a stratified,
  seeded held-out split (`HELD_OUT` of each class) and standardised inputs, ``(x − mean) / std`` with the
  statistics of the training split only (the held-out rows must not inform the training; Hastie et al., *The
  Elements of Statistical Learning*, §7.10.2).
"""

from __future__ import annotations

import functools
from typing import Callable, NamedTuple

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


# ------------------------------------------------------------------------------------------- real data sets
REAL: dict[str, tuple[str, str]] = {
    # name: (title, scikit-learn loader)
    "digits": ("Handwritten digits (8×8)", "load_digits"),
    "iris": ("Iris", "load_iris"),
    "wine": ("Wine", "load_wine"),
    "breast_cancer": ("Breast cancer (Wisconsin)", "load_breast_cancer"),
}
SHAPES = {"digits": (64, 10), "iris": (4, 3), "wine": (13, 3), "breast_cancer": (30, 2)}
"""(inputs, classes) of each real set, so a network's size is known without importing scikit-learn."""
IMAGES = {"digits": (8, 8)}
"""Real sets whose inputs are images: their shape (rows, columns)."""
HELD_OUT = 0.25
"""The fraction of each class held out of the training for the test accuracy."""


def real_names() -> tuple[str, ...]:
    return tuple(REAL)


def title(name: str) -> str:
    """The menu title of any data set of this module."""
    return DATASETS[name][0] if name in DATASETS else REAL[name][0]


class Data(NamedTuple):
    """What a network trains on: inputs ``X (N, d)`` and labels ``y (N,)`` in 0..K−1, the held-out rows
    ``X_test``, ``y_test`` (none for the 2-D sets), the class and feature names, and the standardisation that was
    applied (``X = (raw − mean) / scale``; mean 0 and scale 1 where none was)."""

    X: np.ndarray
    y: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    classes: tuple[str, ...]
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray

    def raw(self, X) -> np.ndarray:
        """Inputs as they were before standardisation (to draw a digit)."""
        return np.asarray(X) * self.scale + self.mean


def split(y, fraction: float = HELD_OUT, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(train, test)``: ``round(fraction · n_c)`` rows of each class ``c`` held out (at least one from a
    class of two or more rows, never all of one), drawn from ``seed``; both sorted."""
    y = np.asarray(y)
    rng = np.random.default_rng(seed)
    test = []
    for c in np.unique(y):
        rows = np.flatnonzero(y == c)
        k = min(max(int(round(fraction * rows.size)), 1 if rows.size >= 2 else 0), rows.size - 1)
        test.append(rng.permutation(rows)[:k])
    test = np.sort(np.concatenate(test)) if test else np.zeros(0, np.int64)
    train = np.setdiff1d(np.arange(y.size), test)
    return train, test


def standardise(X_train, X_test) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(X_train', X_test', mean, scale)`` with ``X' = (X − mean) / scale``, mean and standard deviation of the
    training rows only; a constant column keeps scale 1 (it carries no information, and 0 would divide by 0)."""
    mean = X_train.mean(axis=0)
    scale = X_train.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    return (X_train - mean) / scale, (X_test - mean) / scale, mean, scale


def prepared(X, y, classes, features, seed: int = 0, fraction: float = HELD_OUT) -> Data:
    """A labelled table as a `Data`: the held-out split (`split`) and standardised inputs (`standardise`),
    read-only arrays."""
    X = np.asarray(X, np.float64)
    y = np.asarray(y, np.int32)
    train, test = split(y, fraction, seed)
    Xtr, Xte, mean, scale = standardise(X[train], X[test])
    data = Data(Xtr, y[train], Xte, y[test], tuple(classes), tuple(features), mean, scale)
    for a in data:
        if isinstance(a, np.ndarray):
            a.setflags(write=False)
    return data


@functools.lru_cache(maxsize=len(REAL))
def _bundled(name: str):
    import sklearn.datasets  # late: ~1.5 s, paid only by the first visitor who asks for a real set

    return getattr(sklearn.datasets, REAL[name][1])()


@functools.lru_cache(maxsize=32)
def real(name: str, seed: int = 0) -> Data:
    """The real set ``name`` (`REAL`), split and standardised with ``seed`` (see `prepared`)."""
    if name not in REAL:
        raise ValueError(f"unknown data set {name!r}; choose one of {', '.join(REAL)}")
    bunch = _bundled(name)
    features = tuple(str(f) for f in bunch.feature_names)
    return prepared(bunch.data, bunch.target, tuple(str(c) for c in bunch.target_names), features, seed)


def toy(name: str, points: int = 200, seed: int = 0) -> Data:
    """A 2-D set as a `Data`: all ``points`` rows for training (none held out), not standardised."""
    X, y = make(name, points, seed=seed)
    none = np.zeros((0, 2))
    return Data(X, y, none, np.zeros(0, np.int32), ("class 0", "class 1"), ("x₁", "x₂"), np.zeros(2), np.ones(2))
