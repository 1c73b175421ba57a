"""The Network page's computations: its configuration record and choices, and what it computes from one, cached
(`components.cache`): the training runs, the slice through θ*, the verdict and spectrum at a step, the escape, the
decision boundary and the scores on held-out data.
"""

from __future__ import annotations

import dataclasses
from typing import NamedTuple

import numpy as np

import landscapes
from components import cache
from landscapes import network as N
from optimizers import catalog
from optimizers.network import step_size_name


ARCHITECTURES = {"4": (4,), "8": (8,), "16": (16,), "32": (32,), "8-8": (8, 8), "16-16": (16, 16),
                 "32-16": (32, 16)}
DEFAULT_HIDDEN = {"digits": "32"}  # the digits' 64 inputs: 64–32–9, 2,377 parameters (else "8")
BATCHES = {"full": None, "64": 64, "16": 16, "4": 4}
GRIDS = (31, 51, 81)
MAX_RUNS = 4
POINTS = 200
HESSIAN_PARAMS = 300  # Newton-type rules form the mini-batch Hessian every step: only for networks this small
MISCLASSIFIED = 8  # held-out digits shown that the network gets wrong


# Learning rates that train these networks in a few hundred steps (the surface presets do not apply here).
LEARNING_RATES = {"sgd": 0.5, "momentum": 0.1, "nesterov": 0.1, "adagrad": 0.1, "rmsprop": 0.005, "adam": 0.05,
                  "adamw": 0.05, "nadam": 0.05, "amsgrad": 0.05, "adabelief": 0.05, "lion": 0.002,
                  "newton": 0.5, "damped_newton": 0.5, "saddle_free_newton": 0.5}


class Scores(NamedTuple):
    """What a run learned on inputs beyond 2-D: accuracies (held-out: NaN when none), the held-out confusion
    matrix ``C[true, predicted]``, and the held-out rows it gets wrong with their predicted classes."""

    train: float
    held_out: float
    confusion: np.ndarray
    wrong: np.ndarray
    predicted: np.ndarray


class Config(NamedTuple):
    """Everything the training depends on (hashable: the cache key)."""

    problem: N.Problem
    runs: tuple[tuple[str, float], ...]  # (optimizer, learning rate), in the order shown
    init: str
    seed: int
    steps: int
    batch_size: int | None


def step_size(name: str):
    """The rule's step-size `Hyperparam` (None when it has none) and this page's default value for it."""
    param = step_size_name(name)
    if param is None:
        return None, None
    spec = next(h for h in catalog.get(name).hyperparams if h.name == param)
    return spec, LEARNING_RATES.get(name, spec.default)


def trainable(n_params: int) -> list[str]:
    """The registry's rules that can train a network of ``n_params`` parameters here."""
    return [name for name in catalog.names()
            if "hessian" not in catalog.get(name).needs or n_params <= HESSIAN_PARAMS]


class Plane(NamedTuple):
    """A slice with its grid and the runs projected onto it."""

    landscape: object
    xs: np.ndarray
    ys: np.ndarray
    z: np.ndarray
    coords: tuple[np.ndarray, ...]  # per run: (steps + 1, 2)
    on_plane: tuple[np.ndarray, ...]  # per run: the slice's loss at the projected points
    off_plane: tuple[np.ndarray, ...]  # per run: distance of θ_t from the plane


SADDLE_EXAMPLE = {"network.data": "xor", "network.init": "symmetric", "network.optimizers": ["adam"],
                  "network.adam.lr": 0.02, "network.steps": 2000, "network.at": 2000, "network.batch": "full",
                  "network.plane": "hessian"}
"""The settings of "Show me a saddle": one neuron's worth of XOR is a saddle of the 8-neuron network (measured:
‖∇L‖ ≈ 2e-6, λmin ≈ −3.8e-3 against λmax ≈ 1.6, tests/test_network.py)."""


def saddle_example(state) -> None:
    """Set the page's widgets to `SADDLE_EXAMPLE` (a button callback: before the widgets exist)."""
    for key, value in SADDLE_EXAMPLE.items():
        state[key] = value


# ------------------------------------------------------------------------------------------------ cached
# A network travels as a `Config` (a NamedTuple of a frozen Problem and plain values).  A problem with an uploaded
# table (`landscapes.tables`) is never shared: `uploaded` marks its calls private, so its results are kept in that
# visitor's session state only and no other visitor's cache ever holds the upload.
SLQ_SMALL = 500
"""Networks up to this many parameters get 8 SLQ probes of min(n, 128) Lanczos steps; larger ones 4 probes of 48
steps (the digits network: 1,024 Hessian-vector products took 3.9 s here, 192 take ~0.8 s)."""


def uploaded(config, *args, **kwargs) -> bool:
    """Whether ``config`` trains on a visitor's uploaded table (its results stay in that session)."""
    return config.problem.table is not None


@cache.resource(16, private=uploaded)
def training(config) -> tuple:
    """One `optimizers.Result` per run of ``config`` (its ``params``: the path θ₀ … θ_T), every run from the same θ₀."""
    from optimizers import network as train

    theta0 = N.initial(config.problem, config.seed, config.init)
    fits = []
    for name, lr in config.runs:
        param = train.step_size_name(name)
        hp = {param: lr} if param else {}
        fits.append(train.train(config.problem, name, theta0, config.steps, config.batch_size, config.seed, hp))
    return tuple(fits)


@cache.resource(16, private=uploaded)
def plane(config, reference: int, directions: str, n: int) -> Plane:
    """The slice through the end of run ``reference`` (`landscapes.network_slice`), its ``n × n`` grid, and every
    run projected onto it."""
    fits = training(config)
    ref = fits[reference]
    p = config.problem
    surface = landscapes.network_slice(problem=p, directions=directions, seed=config.seed, theta=ref.params[-1],
                                       path=ref.params)
    net = surface.network
    coords, on, off = [], [], []
    for fit in fits:
        xy, dist = N.project(fit.params, net.theta, net.d1, net.d2)
        coords.append(xy)
        on.append(N.slice_values(p, net.theta, net.d1, net.d2, xy[:, 0], xy[:, 1]))
        off.append(dist)
    # The box holds every projected path (a random plane can put them far out), except on the Hessian plane,
    # whose box is sized to the curvature at θ* (`landscapes.network._half_widths`).
    if directions != "hessian":
        reach = np.max([np.max(np.abs(c), axis=0) for c in coords], axis=0)
        half = [max(surface.bounds[i][1], 1.1 * float(reach[i])) for i in range(2)]
        surface = dataclasses.replace(surface, bounds=((-half[0], half[0]), (-half[1], half[1])))
    xs, ys, z = N.slice_grid(surface, surface.bounds, n)
    return Plane(surface, xs, ys, z, tuple(coords), tuple(on), tuple(off))


@cache.resource(64, private=uploaded)
def point(config, run: int, step: int):
    """`landscapes.network.classify_point` at θ_step of run ``run``, and the SLQ density there."""
    from landscapes import spectrum

    theta = training(config)[run].params[step]
    verdict = N.classify_point(config.problem, theta)
    small = config.problem.n_params <= SLQ_SMALL
    density = spectrum.density(N.objective(config.problem.net), theta, probes=8 if small else 4,
                               steps=None if small else 48, data=N.data(config.problem))
    return verdict, density


@cache.resource(64, private=uploaded)
def escape(config, run: int, step: int, eps: float, steps: int):
    """From θ_step of run ``run``: the loss along the most negative eigenvector, and the run's optimizer started
    at θ and at θ + ε v for ``steps`` more steps (the escape)."""
    from optimizers import network as train

    verdict, _ = point(config, run, step)
    theta = training(config)[run].params[step]
    v = verdict.escape
    span = max(4 * abs(eps), 1e-3)
    t, values = N.profile(config.problem, theta, v, span, 81)
    name, lr = config.runs[run]
    param = train.step_size_name(name)
    hp = {param: lr} if param else {}
    stay = train.train(config.problem, name, theta, steps, config.batch_size, config.seed, hp)
    leave = train.train(config.problem, name, theta + eps * v, steps, config.batch_size, config.seed, hp)
    return t, values, stay.loss, leave.loss


@cache.resource(32, private=uploaded)
def boundary(config, run: int, n: int = 101):
    """P(class 1 | x) of the trained network of run ``run`` on an ``n × n`` grid around the data (2-D inputs)."""
    X, _ = N.data(config.problem)
    lo, hi = X.min(0) - 0.3, X.max(0) + 0.3
    xs, ys = np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n)
    grid = np.stack(np.meshgrid(xs, ys), -1).reshape(-1, 2)
    p = N.probability(config.problem, training(config)[run].params[-1], grid).reshape(n, n)
    return xs, ys, p


@cache.resource(32, private=uploaded)
def scores(config, run: int) -> Scores:
    """What run ``run`` learned, on inputs beyond 2-D: training and held-out accuracy, the held-out confusion matrix
    and the held-out rows it gets wrong (index, true, predicted)."""
    p = config.problem
    theta = training(config)[run].params[-1]
    d = N.dataset(p)
    predicted = N.predict(p, theta, d.X_test) if d.y_test.size else np.zeros(0, np.int64)
    wrong = np.flatnonzero(predicted != d.y_test)
    return Scores(N.accuracy(p, theta), N.accuracy(p, theta, held_out=True), N.confusion(p, theta), wrong,
                  predicted[wrong])
