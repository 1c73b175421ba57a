"""The loss of a real small network, and 2-D slices through its weights as `Landscape`s (pure JAX, float64).

A `Problem` is a data set (`landscapes.datasets`: 2-D sets, real ones, or an uploaded table) and a multilayer
perceptron ``inputs → hidden… → K − 1`` (K classes) with one activation; its parameters θ are one flat vector (per layer: the weight matrix ``W`` (fan-in × fan-out) row by row,
then the bias).  The loss is the softmax cross-entropy of the course notes (000, 001),

    L(θ) = −(1/N) Σᵢ log softmax(zᵢ)_{yᵢ} + (λ/2) Σ_layers ‖W‖²,   zᵢ = (0, f_θ(xᵢ)),

with the first class's logit fixed at 0: softmax is unchanged by adding one number to every logit, so a free
logit per class would give the Hessian exact zero eigenvalues at every point (one per hidden neuron of the last
layer, plus one); fixing one removes that symmetry and nothing else (for two classes it is logistic regression).
The weight decay λ (cs231n's R(W), default 1e-3) keeps the minima at finite weights: without it, on separable
data the loss only tends to 0 as the weights grow, and there is no minimum to look at.

This module holds the model and its slices, and never trains: training is the optimizers' job
(`optimizers.train_network`, `optimizers.network`).  The data are arguments of every compiled function, never
constants baked into it (`Net`).  `network_slice` takes the trained weights θ* and returns
``f(α, β) = L(θ* + α d₁ + β d₂)`` as a `SliceLandscape` (a `Landscape`) whose ``network`` attribute
(`NetworkSlice`) holds θ*, d₁, d₂ and the loss, so every tool for 2-D surfaces works on it.  Directions:

* ``"filter"``: random, filter-normalized (Li et al. 2018, "Visualizing the Loss Landscape of Neural Nets", §4):
  per neuron j (its incoming weights), d₂ⱼ is made orthogonal to d₁ⱼ, then both are scaled to ‖θⱼ‖, so the
  per-neuron norms match θ*'s and d₁ ⟂ d₂ exactly.  Biases are set to 0 in both (Li et al.'s choice).
* ``"hessian"``: the unit eigenvectors of the largest and the smallest eigenvalue of ∇²L(θ*) (Lanczos,
  `landscapes.spectrum`): random planes rarely show a saddle as one (Böttcher & Wheeler 2022, arXiv:2208.13219).
* ``"pca"``: the first two principal directions of the training path's θᵢ − θ* (Li et al. §7), with the path
  projected onto the plane and each point's distance from it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from . import datasets, spectrum, verdict
from .base import Landscape, Preset

ACTIVATIONS: dict[str, Callable] = {"tanh": jnp.tanh, "relu": jax.nn.relu, "softplus": jax.nn.softplus,
                                    "gelu": jax.nn.gelu}
DIRECTIONS = {"hessian": "Hessian eigenvectors", "filter": "Random, filter-normalized", "pca": "PCA of the path"}
INITS = {"random": "Random (Glorot)", "symmetric": "Symmetric"}
MAX_WIDTH, MAX_DEPTH, MAX_PARAMS = 64, 3, 3000
UPLOAD = "upload"  # the data set of a `Problem` that carries its own table (`landscapes.tables`)


@dataclass(frozen=True)
class Net:
    """The function ``L(θ; X, y)`` without its data: layer sizes ``(inputs, hidden…, classes − 1)``, the
    activation and the weight decay.  What compiled programs are keyed on: the data travel as arguments, so two
    data sets of one shape share every program, and none holds a data set as a constant."""

    sizes: tuple[int, ...]
    activation: str
    l2: float

    @property
    def layers(self) -> tuple[tuple[int, int], ...]:
        """(fan-in, fan-out) of each layer."""
        return tuple(zip(self.sizes[:-1], self.sizes[1:]))


@dataclass(frozen=True)
class Problem:
    """A data set and an MLP ``inputs → hidden… → classes − 1``: everything that fixes the function ``L(θ)``.

    ``dataset``: a 2-D set of `datasets.DATASETS` (``points`` points, noise from ``data_seed``), a real set of
    `datasets.REAL` (its held-out split drawn from ``data_seed``; ``points`` is ignored and set to 0), or `UPLOAD`
    with ``table`` a `landscapes.tables.Table` (compared and hashed by its content digest)."""

    dataset: str = "moons"
    hidden: tuple[int, ...] = (8,)
    activation: str = "tanh"
    points: int = 200
    data_seed: int = 0
    l2: float = 1e-3  # weight decay λ of the loss: + (λ/2)‖W‖², weights only (cs231n's R(W)); biases are free
    table: Any = None

    def __post_init__(self):
        object.__setattr__(self, "hidden", tuple(int(h) for h in self.hidden))
        toy = self.dataset in datasets.DATASETS
        if not toy and self.dataset not in datasets.REAL and self.dataset != UPLOAD:
            raise ValueError(f"unknown data set {self.dataset!r}; choose one of "
                             f"{', '.join((*datasets.DATASETS, *datasets.REAL))}")
        if (self.dataset == UPLOAD) != (self.table is not None):
            raise ValueError(f"a table goes with data set {UPLOAD!r}, and only with it")
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {self.activation!r}; choose one of {', '.join(ACTIVATIONS)}")
        if not 1 <= len(self.hidden) <= MAX_DEPTH or not all(1 <= h <= MAX_WIDTH for h in self.hidden):
            raise ValueError(f"hidden layers: 1 to {MAX_DEPTH} widths of 1 to {MAX_WIDTH}, not {self.hidden}")
        if self.n_params > MAX_PARAMS:
            raise ValueError(f"{self.n_params} parameters is more than the {MAX_PARAMS} this page allows")
        if not (np.isfinite(self.l2) and 0.0 <= self.l2 <= 1.0):
            raise ValueError(f"l2 must be between 0 and 1, not {self.l2}")
        if not toy:
            object.__setattr__(self, "points", 0)
        elif not 2 <= int(self.points) <= datasets.MAX_POINTS:
            raise ValueError(f"points must be between 2 and {datasets.MAX_POINTS}")

    @property
    def shape(self) -> tuple[int, int]:
        """(inputs, classes)."""
        if self.table is not None:
            return self.table.X.shape[1], len(self.table.classes)
        return datasets.SHAPES.get(self.dataset, (2, 2))

    @property
    def net(self) -> Net:
        inputs, classes = self.shape
        return Net((inputs, *self.hidden, classes - 1), self.activation, float(self.l2))

    @property
    def sizes(self) -> tuple[int, ...]:
        return self.net.sizes

    @property
    def layers(self) -> tuple[tuple[int, int], ...]:
        """(fan-in, fan-out) of each layer."""
        return self.net.layers

    @property
    def n_params(self) -> int:
        return sum(i * o + o for i, o in self.layers)

    @property
    def architecture(self) -> str:
        return "–".join(str(s) for s in self.sizes) + f" {self.activation}"

    @property
    def name(self) -> str:
        """The data set's title (an uploaded table's file name)."""
        return self.table.name if self.table is not None else datasets.title(self.dataset)

    @property
    def title(self) -> str:
        return f"{self.name}, MLP {self.architecture}"


# ------------------------------------------------------------------------------------------- the model
def _offsets(problem) -> list[tuple[int, int, int, int]]:
    """Per layer: (start of W, start of b, fan-in, fan-out) in the flat vector (``problem``: a Problem or Net)."""
    out, at = [], 0
    for i, o in problem.layers:
        out.append((at, at + i * o, i, o))
        at += i * o + o
    return out


def unflatten(problem, theta) -> list[tuple[jnp.ndarray, jnp.ndarray]]:
    """The flat vector as ``[(W, b), …]`` per layer."""
    return [(theta[w:w + i * o].reshape(i, o), theta[b:b + o]) for w, b, i, o in _offsets(problem)]


def forward(problem, theta, X) -> jnp.ndarray:
    """The network's free logits f_θ(x) for each row of ``X``: shape ``(N, classes − 1)``."""
    act = ACTIVATIONS[problem.activation]
    h = X
    layers = unflatten(problem, theta)
    for W, b in layers[:-1]:
        h = act(h @ W + b)
    W, b = layers[-1]
    return h @ W + b


def logits(z) -> jnp.ndarray:
    """All K logits ``(0, z)``: the first class's fixed at 0 (see the module docstring)."""
    return jnp.concatenate([jnp.zeros_like(z[:, :1]), z], axis=1)


def cross_entropy(z, y) -> jnp.ndarray:
    """Mean softmax cross-entropy of logits ``(0, z)`` (``z``: ``(N, K − 1)``) for labels ``y`` ∈ {0, …, K − 1}."""
    logp = jax.nn.log_softmax(logits(z), axis=1)
    return -jnp.mean(jnp.take_along_axis(logp, y[:, None], axis=1))


def penalty(problem, theta) -> jnp.ndarray:
    """(λ/2)‖W‖²: the weight decay term, over every weight matrix (no biases)."""
    if problem.l2 == 0.0:
        return jnp.zeros((), theta.dtype)
    return 0.5 * problem.l2 * sum(jnp.sum(W * W) for W, _ in unflatten(problem, theta))


@functools.lru_cache(maxsize=64)
def objective(net: Net) -> Callable:
    """``L(θ, X, y)``: the loss of ``net`` on the rows ``X``, ``y`` (one function per net, so it can be a static
    argument of compiled functions while the data are traced)."""

    def loss(theta, X, y):
        return cross_entropy(forward(net, theta, X), y) + penalty(net, theta)

    return loss


@functools.lru_cache(maxsize=64)
def _named_data(problem: Problem) -> datasets.Data:
    if problem.dataset in datasets.REAL:
        return datasets.real(problem.dataset, problem.data_seed)
    data = datasets.toy(problem.dataset, problem.points, seed=problem.data_seed)
    for a in data:
        if isinstance(a, np.ndarray):
            a.setflags(write=False)
    return data


def dataset(problem: Problem) -> datasets.Data:
    """The problem's `datasets.Data` (training and held-out rows, read-only).  An uploaded table's is made from the
    table each time, never kept here: it lives as long as the caller holds the problem."""
    if problem.table is not None:
        return problem.table.data(problem.data_seed)
    return _named_data(problem)


def data(problem: Problem) -> tuple[np.ndarray, np.ndarray]:
    """The problem's training set ``(X, y)``, read-only."""
    d = dataset(problem)
    return d.X, d.y


def loss_function(problem: Problem) -> Callable:
    """``L(θ)``: the full-batch training loss as a JAX function of the flat vector, the data bound in.  For
    notebooks and tests: traced by ``jax.jit`` it makes the data constants of the program, so the app's own calls
    pass them as arguments instead (`objective`).  Cached for the named data sets (a stable static argument)."""
    if problem.table is None:
        return _bound_loss(problem)
    X, y = data(problem)
    return functools.partial(_apply, objective(problem.net), X, y)


def _apply(loss, X, y, theta):
    return loss(theta, X, y)


@functools.lru_cache(maxsize=64)
def _bound_loss(problem: Problem) -> Callable:
    X, y = data(problem)  # NumPy: made constants of whatever trace calls this, never a tracer kept here
    return functools.partial(_apply, objective(problem.net), X, y)


def batch_loss(problem: Problem, theta, index) -> jnp.ndarray:
    """The loss on the training points ``index`` (a mini-batch)."""
    X, y = data(problem)
    return objective(problem.net)(theta, jnp.asarray(X)[index], jnp.asarray(y)[index])


@functools.partial(jax.jit, static_argnames=("net",))
def _proba(net: Net, theta, points):
    return jax.nn.softmax(logits(forward(net, theta, points)), axis=1)


def probabilities(problem: Problem, theta, points) -> np.ndarray:
    """P(class k | x) = softmax((0, f_θ(x)))_k for each row of ``points``: ``(N, K)``."""
    return np.asarray(_proba(problem.net, jnp.asarray(theta, jnp.float64), jnp.asarray(points, jnp.float64)))


def probability(problem: Problem, theta, points) -> np.ndarray:
    """P(class 1 | x) = sigmoid(f_θ(x)) for each row of ``points`` (two classes)."""
    return probabilities(problem, theta, points)[:, 1]


def predict(problem: Problem, theta, points) -> np.ndarray:
    """The most probable class of each row (ties: the lowest)."""
    return np.argmax(probabilities(problem, theta, points), axis=1)


def accuracy(problem: Problem, theta, held_out: bool = False) -> float:
    """The fraction of training rows (or held-out rows) classified correctly; NaN when there are none."""
    d = dataset(problem)
    X, y = (d.X_test, d.y_test) if held_out else (d.X, d.y)
    if y.size == 0:
        return float("nan")
    return float(np.mean(predict(problem, theta, X) == y))


def confusion(problem: Problem, theta, held_out: bool = True) -> np.ndarray:
    """``C[i, j]``: how many rows of class i (held-out, else training) the network assigns to class j."""
    d = dataset(problem)
    X, y = (d.X_test, d.y_test) if held_out else (d.X, d.y)
    K = problem.shape[1]
    C = np.zeros((K, K), np.int64)
    if y.size:
        np.add.at(C, (y, predict(problem, theta, X)), 1)
    return C


def initial(problem: Problem, seed: int = 0, kind: str = "random") -> np.ndarray:
    """θ₀: weights ~ N(0, 1/fan-in) (Glorot-style), biases 0.

    ``kind="symmetric"``: every hidden neuron of a layer starts the same (first layer: one column repeated; later
    layers: one number everywhere).  Gradient steps keep that symmetry (swapping two neurons changes nothing), so
    training stays in the subspace of identical neurons and ends at a critical point of the network with one neuron
    per layer: in the full space usually a saddle."""
    if kind not in INITS:
        raise ValueError(f"unknown initialization {kind!r}; choose one of {', '.join(INITS)}")
    rng = np.random.default_rng(seed)
    parts = []
    for li, (i, o) in enumerate(problem.layers):
        if kind == "random":
            W = rng.standard_normal((i, o)) / np.sqrt(i)
        elif li == 0:
            W = np.repeat(rng.standard_normal((i, 1)) / np.sqrt(i), o, axis=1)
        else:
            W = np.full((i, o), rng.standard_normal() / np.sqrt(i))
        parts += [W.ravel(), np.zeros(o)]
    return np.concatenate(parts)


def neurons(problem) -> list[np.ndarray]:
    """Index sets of the flat vector, one per neuron: its incoming weights (the 'filters' of Li et al.)."""
    out = []
    for w, _, i, o in _offsets(problem):
        rows = np.arange(i)[:, None] * o + w
        out += [rows[:, 0] + j for j in range(o)]
    return out


def biases(problem) -> np.ndarray:
    return np.concatenate([np.arange(b, b + o) for _, b, _, o in _offsets(problem)])


# ------------------------------------------------------------------------------------------- directions
def filter_directions(problem: Problem, theta, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two random directions, filter-normalized and orthogonal per neuron (see the module docstring)."""
    theta = np.asarray(theta, np.float64)
    rng = np.random.default_rng(seed)
    d1, d2 = rng.standard_normal(theta.size), rng.standard_normal(theta.size)
    for idx in neurons(problem):
        a, b, target = d1[idx], d2[idx], np.linalg.norm(theta[idx])
        b = b - (a @ b) / (a @ a) * a
        d1[idx] = a * (target / np.linalg.norm(a))
        d2[idx] = b * (target / np.linalg.norm(b))
    d1[biases(problem)] = 0.0
    d2[biases(problem)] = 0.0
    return d1, d2


def pca_directions(path, theta) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The first two right singular vectors of ``[θᵢ − θ*]`` and the fraction of the variance each explains."""
    M = np.asarray(path, np.float64) - np.asarray(theta, np.float64)[None]
    _, s, vt = np.linalg.svd(M, full_matrices=False)
    total = float(np.sum(s ** 2)) or 1.0
    if vt.shape[0] < 2:
        raise ValueError("the PCA plane needs a training path of at least two distinct points")
    return vt[0], vt[1], s[:2] ** 2 / total


def project(path, theta, d1, d2) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates (α, β) of each θᵢ's nearest point on the plane θ* + α d₁ + β d₂ (least squares), and the
    distance ‖θᵢ − θ* − α d₁ − β d₂‖ of θᵢ from the plane."""
    D = np.stack([d1, d2], axis=1)
    M = np.asarray(path, np.float64) - np.asarray(theta, np.float64)[None]
    coords = np.linalg.solve(D.T @ D, D.T @ M.T).T
    return coords, np.linalg.norm(M - coords @ D.T, axis=1)


# ------------------------------------------------------------------------------------------- the slice
@dataclass(frozen=True, eq=False)
class NetworkSlice:
    """What a network slice is made of: f(α, β) = ``loss(theta + α d1 + β d2)``."""

    problem: Problem
    theta: np.ndarray
    d1: np.ndarray
    d2: np.ndarray
    loss: Callable
    directions: str
    path: np.ndarray | None = None  # the training path, when known
    coords: np.ndarray | None = None  # its projection (α, β) per step
    off_plane: np.ndarray | None = None  # its distance from the plane per step
    explained: np.ndarray | None = None  # PCA: fraction of the path's variance along d1, d2
    eigenvalues: np.ndarray | None = None  # hessian: (λmax, λmin) at θ*
    extra: dict[str, Any] = field(default_factory=dict)

    def point(self, alpha: float, beta: float) -> np.ndarray:
        """θ* + α d₁ + β d₂."""
        return self.theta + alpha * self.d1 + beta * self.d2


def _slice_fn(loss, theta, d1, d2):
    theta, d1, d2 = (jnp.asarray(a, jnp.float64) for a in (theta, d1, d2))

    def fn(xy, _params):
        return loss(theta + xy[0] * d1 + xy[1] * d2)

    return fn


def _half_widths(directions: str, coords, eigenvalues, problem=None, theta=None, d2=None) -> tuple[float, float]:
    """Half-widths of the view box along α and β.

    Hessian plane: along d₁ far enough that the loss rises by 2 (½ λmax r² = 2), along d₂ as far (at most 10×)
    where λmin > 0.  Where λmin < 0 the box is zoomed to the dip along d₂: the lowest point of L(θ* + t d₂) (the
    quadratic model only holds near θ*) is at two thirds of the β half-width, and the α half-width makes the rise
    along d₁ twice that dip, so the saddle shows as one."""
    if directions == "filter":
        return 1.0, 1.0  # Li et al.'s box: α, β ∈ [−1, 1], one filter norm each way
    if directions == "pca":
        reach = np.max(np.abs(coords), axis=0) if coords is not None else np.zeros(2)
        return tuple(float(1.25 * r) if r > 0 else 1.0 for r in reach)
    lam_max, lam_min = (float(v) for v in eigenvalues)
    r1 = float(np.sqrt(4.0 / max(abs(lam_max), 1e-12)))
    if lam_min >= 0 or problem is None:
        return r1, min(float(np.sqrt(4.0 / max(abs(lam_min), 1e-12))), 10 * r1)
    t, values = profile(problem, theta, d2, 10 * r1, 401)
    i = int(np.argmin(values))
    dip = float(values[200] - values[i])
    if not dip > 0 or i == 200:
        return r1, 10 * r1
    return float(np.sqrt(4.0 * dip / lam_max)), 1.5 * abs(float(t[i]))


@dataclass(frozen=True)
class SliceLandscape(Landscape):
    """A `Landscape` that is a plane through a network's weights: ``network`` is the `NetworkSlice` it is made of
    (not part of equality: the name says which network and plane it is)."""

    network: NetworkSlice | None = field(default=None, compare=False, repr=False)


def network_slice(dataset: str = "moons", hidden: tuple[int, ...] = (8,), directions: str = "filter",
                  seed: int = 0, *, activation: str = "tanh", points: int = 200, l2: float = 1e-3,
                  data_seed: int = 0, problem: Problem | None = None, theta=None, path=None,
                  radius: float | None = None, lanczos_steps: int | None = None,
                  name: str | None = None) -> SliceLandscape:
    """The loss of an MLP on ``dataset`` on a plane through its trained weights θ* (``theta``), as a `Landscape`.

    ``theta`` is required: a slice never trains.  Train with ``optimizers.train_network`` and pass its last
    parameters (and ``path``, the run that led there, which ``"pca"`` needs and the other planes project).
    ``seed`` draws the random directions; ``data_seed`` the data set's noise; ``l2`` is the weight decay λ of the
    loss (see `Problem`).  ``radius``: half-width of the view box in α and β (default: see `_half_widths`).
    ``problem`` replaces ``dataset``, ``hidden``, ``activation``, ``points``, ``l2`` and ``data_seed`` (a real or
    uploaded data set).  The result's ``network`` attribute is the `NetworkSlice`."""
    if directions not in DIRECTIONS:
        raise ValueError(f"unknown directions {directions!r}; choose one of {', '.join(DIRECTIONS)}")
    if problem is None:
        problem = Problem(dataset, tuple(hidden), activation, points, data_seed, l2)
    if theta is None:
        raise ValueError("network_slice needs the trained weights θ* (theta=...): a slice never trains. Train "
                         "first, e.g. fit = optimizers.train_network(problem, 'adam', "
                         "landscapes.network.initial(problem, seed), steps=500, hyperparams={'learning_rate': "
                         "0.05}), then pass theta=fit.params[-1], path=fit.params")
    theta = np.asarray(theta, np.float64).reshape(-1)
    if theta.size != problem.n_params:
        raise ValueError(f"θ* has {theta.size} entries; this network has {problem.n_params}")
    loss = loss_function(problem)
    explained = eigenvalues = None
    extra: dict[str, Any] = {}
    if directions == "filter":
        d1, d2 = filter_directions(problem, theta, seed)
    elif directions == "pca":
        if path is None:
            raise ValueError("the PCA plane needs the training path")
        d1, d2, explained = pca_directions(path, theta)
    else:
        ext = spectrum.extremes(objective(problem.net), theta, k=1, steps=lanczos_steps, seed=seed,
                                data=data(problem))
        d1, d2 = ext.high_vectors[:, -1], ext.low_vectors[:, 0]
        eigenvalues = np.array([ext.high[-1], ext.low[0]])
        extra["residuals"] = np.array([ext.high_residuals[-1], ext.low_residuals[0]])
    coords = off = None
    if path is not None:
        coords, off = project(path, theta, d1, d2)
    if radius:
        rx = ry = float(radius)
    else:
        rx, ry = _half_widths(directions, coords, eigenvalues, problem, theta, d2)
    info = NetworkSlice(problem, theta, d1, d2, loss, directions, None if path is None else np.asarray(path),
                        coords, off, explained, eigenvalues, extra)
    start = (float(coords[0, 0]), float(coords[0, 1])) if coords is not None else (-0.6 * rx, 0.6 * ry)
    return SliceLandscape(
        name=name or f"network:{problem.dataset}:{'-'.join(map(str, problem.hidden))}:{directions}:{seed}",
        title=f"{problem.title}: {DIRECTIONS[directions].lower()}",
        latex=r"L(\theta^\ast + \alpha\, d_1 + \beta\, d_2)",
        fn=_slice_fn(loss, theta, d1, d2),
        bounds=((-rx, rx), (-ry, ry)),
        start=start,
        reference="Li et al. 2018, Visualizing the Loss Landscape of Neural Nets (arXiv:1712.09913)",
        description=f"The training loss of a {problem.architecture} network on {len(data(problem)[1])} points on the "
                    f"plane through its trained weights θ* spanned by {DIRECTIONS[directions].lower()}.",
        preset=Preset(steps=200),
        network=info,
    )


# ------------------------------------------------------------------------------------------- a point's verdict
GTOL = 1e-3  # ‖∇L‖ at most this: a critical point (the loss is a mean of O(1) terms)
EIG_RTOL = verdict.ZERO_RTOL  # |λ| at most this times ‖H‖: counted as zero


class NetworkPoint(NamedTuple):
    """The second-derivative test (`landscapes.verdict`) at θ on the full parameter space, from the Hessian's
    extreme eigenpairs.

    ``kind``: ``"minimum"`` (every eigenvalue > tol), ``"maximum"``, ``"saddle"`` (eigenvalues < −tol and > tol),
    ``"degenerate"`` (none of both signs, some within ±tol), or ``"regular"`` (‖∇L‖ > `GTOL`: not a critical
    point; ``verdict.curvature`` still says what the curvature is).  ``tol = EIG_RTOL · ‖H‖``.  ``verdict`` is the
    reason as data (code and numbers), ``reason`` in English for a notebook."""

    kind: str
    reason: str
    loss: float
    grad_norm: float
    extremes: spectrum.Extremes
    tol: float
    verdict: verdict.Reason | None = None

    @property
    def escape(self) -> np.ndarray:
        """The unit eigenvector of the most negative eigenvalue: the way down from a saddle."""
        return self.extremes.low_vectors[:, 0]


def classify_point(problem: Problem, theta, k: int = 5, seed: int = 0) -> NetworkPoint:
    """Classify θ by ‖∇L(θ)‖ and the signs of the top-k and bottom-k Hessian eigenvalues (Lanczos)."""
    value, grad = value_and_grad(problem, theta)
    gnorm = float(np.linalg.norm(grad))
    ext = spectrum.extremes(objective(problem.net), theta, k=k, seed=seed, data=data(problem))
    tol = EIG_RTOL * max(ext.norm, 1e-300)
    why = verdict.second_order_test(gnorm, GTOL, float(ext.low[0]), float(ext.high[-1]), tol)
    return NetworkPoint(why.kind, _reason_words(why, ext, problem.n_params), float(value), gnorm, ext, tol, why)


def _reason_words(why: verdict.Reason, ext: spectrum.Extremes, n: int) -> str:
    """The verdict in English, with its numbers (for notebook users; the page composes its own sentence)."""
    lo, hi, tol = why.lam_min, why.lam_max, why.zero_tol
    span = f"λmin = {lo:.3g}, λmax = {hi:.3g}" + ("" if ext.complete else
                                                 f"; Lanczos estimates from {ext.steps} of {n} dimensions")
    text = {
        "saddle": (f"the Hessian has negative and positive eigenvalues ({span}): the loss curves down along the "
                   f"eigenvector of λmin and up along that of λmax"),
        "minimum": f"every eigenvalue is positive ({span}, tolerance ±{tol:.1g})",
        "maximum": f"every eigenvalue is negative ({span})",
        "degenerate": (f"no eigenvalue is negative beyond the tolerance ±{tol:.1g}, and the smallest is within it "
                       f"({span}): the second-order test cannot decide; the loss is flat to second order along its "
                       f"eigenvector"),
    }[why.curvature]
    if why.code == "not_critical":
        return (f"not a critical point: ‖∇L‖ = {why.grad_norm:.3g} > {GTOL:g}. The curvature there would make a "
                f"{why.curvature}: {text}.")
    return f"‖∇L‖ = {why.grad_norm:.2g} ≤ {GTOL:g}, and {text}."


def profile(problem: Problem, theta, direction, span: float, n: int = 101) -> tuple[np.ndarray, np.ndarray]:
    """``t`` and ``L(θ + t d)`` for ``t`` in ``[−span, span]``: the loss along one direction."""
    t = np.linspace(-span, span, int(n))
    values = _along(problem.net, jnp.asarray(theta, jnp.float64), jnp.asarray(direction, jnp.float64),
                    jnp.asarray(t), *data(problem))
    return t, np.asarray(values)


@functools.partial(jax.jit, static_argnames=("net",))
def _along(net, theta, direction, t, X, y):
    loss = objective(net)
    return jax.lax.map(lambda s: loss(theta + s * direction, X, y), t, batch_size=64)


@functools.partial(jax.jit, static_argnames=("net",))
def _value_and_grad(net, theta, X, y):
    return jax.value_and_grad(objective(net))(theta, X, y)


def value_and_grad(problem: Problem, theta) -> tuple[float, np.ndarray]:
    """``L(θ)`` and ``∇L(θ)`` on the training set."""
    value, grad = _value_and_grad(problem.net, jnp.asarray(theta, jnp.float64), *data(problem))
    return float(value), np.asarray(grad)


# ------------------------------------------------------------------------------------------- the slice's grid
def _softplus_value(z):
    """log(1 + eᶻ) = max(z, 0) + log1p(e^−|z|), equal to ``jnp.logaddexp(0, z)`` and ~4x faster on XLA:CPU
    (2,601 x 200 values: 0.76 vs 2.9 ms, measured), which checks for infinities and NaNs first.  For values only:
    its derivatives at z = 0 are not softplus's (|z| and max have kinks there), and a symmetric start has z = 0."""
    return jnp.maximum(z, 0.0) + jnp.log1p(jnp.exp(-jnp.abs(z)))


SLICE_BYTES = 32e6
"""The slice evaluates the grid in chunks whose first hidden layer takes about this much memory: the whole 51 × 51
grid of the digits network at once would need 0.9 GB (2,601 × 1,347 points × 32 neurons in float64)."""


def _chunk(points: int, rows: int, width: int) -> int:
    """Grid points per chunk of `_slice_values`: as many as fit in `SLICE_BYTES`, at least one."""
    return int(max(1, min(points, SLICE_BYTES // (8 * rows * max(width, 1)))))


@functools.partial(jax.jit, static_argnames=("net", "chunk"))
def _slice_values(net: Net, theta, d1, d2, a, b, X, y, chunk: int):
    """L(θ + aᵢ d₁ + bᵢ d₂) for every i, ``chunk`` grid points at a time (``a``, ``b`` padded to a multiple)."""
    # The first layer's pre-activation is affine in (α, β): X W(α, β) + c(α, β) = Z* + α Z₁ + β Z₂, so it is
    # three (N × h) products for the whole grid instead of one per grid point.
    act = ACTIVATIONS[net.activation]
    layers = [unflatten(net, v) for v in (theta, d1, d2)]
    (W0, c0), (W1, c1), (W2, c2) = (lay[0] for lay in layers)
    Z0, Z1, Z2 = X @ W0 + c0, X @ W1 + c1, X @ W2 + c2  # (N, h)
    deep = len(net.layers)

    def values(ab):
        a, b = ab
        h = Z0[None] + a[:, None, None] * Z1[None] + b[:, None, None] * Z2[None]  # (G, N, h)
        for k in range(1, deep):
            h = act(h)
            (W0, c0), (W1, c1), (W2, c2) = (lay[k] for lay in layers)
            W = W0[None] + a[:, None, None] * W1[None] + b[:, None, None] * W2[None]  # (G, in, out)
            c = c0[None] + a[:, None] * c1[None] + b[:, None] * c2[None]
            if W.shape[-1] == 1:  # two classes: a weighted sum, cheaper than 2,601 tiny matrix products
                h = jnp.sum(h * W[:, None, :, 0], axis=-1, keepdims=True) + c[:, None, :]
            else:
                # One small product per grid point.  Tried: h W* + α h W₁ + β h W₂ as one (G·N × in) @ (in × 3·out)
                # product: 4-5x slower on XLA:CPU (a GEMM with an inner dimension of 8-16 in float64).
                h = jnp.einsum("gni,gio->gno", h, W) + c[:, None, :]
        if h.shape[-1] == 1:
            z = h[..., 0]  # (G, N)
            ce = jnp.mean(_softplus_value(z) - y[None] * z, axis=1)  # −log softmax((0, z))_y
        else:
            full = jnp.concatenate([jnp.zeros_like(h[..., :1]), h], axis=-1)  # (G, N, K)
            picked = jnp.take_along_axis(full, y[None, :, None], axis=-1)[..., 0]
            ce = jnp.mean(jax.nn.logsumexp(full, axis=-1) - picked, axis=1)
        return ce + jax.vmap(lambda s, t: penalty(net, theta + s * d1 + t * d2))(a, b)

    G = a.shape[0]
    return jax.lax.map(values, (a.reshape(G // chunk, chunk), b.reshape(G // chunk, chunk))).reshape(G)


def slice_values(problem: Problem, theta, d1, d2, a, b) -> np.ndarray:
    """``L(θ + aᵢ d₁ + bᵢ d₂)`` for each pair ``(aᵢ, bᵢ)``, in one compiled, chunked call (the data as arguments)."""
    a, b = np.asarray(a, np.float64).reshape(-1), np.asarray(b, np.float64).reshape(-1)
    X, y = data(problem)
    chunk = _chunk(a.size, X.shape[0], max(problem.sizes[1:]))
    pad = -a.size % chunk
    z = _slice_values(problem.net, *(jnp.asarray(v, jnp.float64) for v in (theta, d1, d2)),
                      jnp.asarray(np.pad(a, (0, pad))), jnp.asarray(np.pad(b, (0, pad))), X, y, chunk)
    return np.asarray(z)[:a.size]


def slice_grid(landscape: Landscape, bounds=None, n: int = 51) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(xs, ys, Z)`` of a network slice on an ``n × n`` grid (``Z[iy, ix] = f(xs[ix], ys[iy])``), as
    `landscapes.analysis.evaluate_grid` returns it, batched over the grid in one compiled program (at XLA's
    default optimization: this one runs on every new plane, so its run time, not its compile, is what counts)."""
    net = landscape.network
    (x0, x1), (y0, y1) = landscape.bounds if bounds is None else bounds
    xs, ys = np.linspace(x0, x1, int(n)), np.linspace(y0, y1, int(n))
    A, B = np.meshgrid(xs, ys)
    return xs, ys, slice_values(net.problem, net.theta, net.d1, net.d2, A, B).reshape(A.shape)
