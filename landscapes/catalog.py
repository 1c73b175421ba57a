"""The built-in surfaces: a registry ``name -> surface`` that drives menus, URLs and parametrized tests.

Every surface is a module-level function ``fn(xy, theta)`` of a point ``xy`` (shape ``(2,)``) and a parameter
vector ``theta`` (in the order of the surface's `ParamSpec` tuple; empty when it has none), written in ``jnp`` so
it runs in float64 under jit, grad and vmap.  Module-level functions keep ``fn`` the same object for every
parameter value: the runners key their compiled code on it and take ``theta`` as traced data, so moving a surface
slider never recompiles.

>>> import landscapes
>>> landscapes.get("rosenbrock", a=0.5).minima[0].xy
(0.5, 0.25)

Known minima are exact values where a closed form exists.  Where none does (Himmelblau, six-hump camel, the
Rastrigin neighbours, the designed ``wells`` surface), they are found by Newton's method from published or designed
approximations the first time the surface is requested, and cached; the tests check every one against the gradient
and the Hessian.  The standard references for the classics are M. Jamil & X.-S. Yang, "A literature survey of
benchmark functions for global optimization problems", Int. J. Math. Modelling & Num. Optimisation 4(2), 2013, and
S. Surjanovic & D. Bingham, Virtual Library of Simulation Experiments, https://www.sfu.ca/~ssurjano/optimization.html.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Callable

import jax
import jax.numpy as jnp
import numpy as np

from .base import Bounds, Claim, Landscape, Minimum, ParamSpec, Preset

__all__ = ["UnknownSurfaceError", "get", "names", "parameters"]

_SURVEY = "Jamil & Yang (2013), A literature survey of benchmark functions for global optimization problems"


# --------------------------------------------------------------------------------------------- the surfaces
def elongated_valley(xy, theta):
    r"""Rotated quadratic valley :math:`f = \tfrac12(u^2/\kappa + v^2)`, with the coordinates turned by ``angle``.

    ``u = x cos φ + y sin φ`` runs along the valley floor, ``v = −x sin φ + y cos φ`` across it;
    ``theta = (κ, φ in degrees)``.  The Hessian ``Rᵀ diag(1/κ, 1) R`` has eigenvalues ``1/κ`` (along the floor)
    and ``1`` (across), so the largest curvature is 1 for every κ: plain gradient descent is stable for
    learning rates below 2, and κ alone sets how slowly the floor is travelled.
    Single minimum: the origin, value 0.  Reference: the "ravine" of the cs231n optimization notes.
    """
    kappa, phi = theta[0], jnp.deg2rad(theta[1])
    c, s = jnp.cos(phi), jnp.sin(phi)
    u = c * xy[0] + s * xy[1]
    v = -s * xy[0] + c * xy[1]
    return 0.5 * (u**2 / kappa + v**2)


def saddle(xy, theta):
    """Saddle ``f = x² − y²``: a critical point at the origin with Hessian ``diag(2, −2)``; no minimum.

    Reference: the NTU ML 2023 notes on critical points (a saddle is a point where the Hessian is indefinite).
    """
    return xy[0] ** 2 - xy[1] ** 2


def monkey_saddle(xy, theta):
    """Monkey saddle ``f = x³ − 3xy² = Re (x + iy)³``: three valleys meet at the origin, where gradient and Hessian
    both vanish (a degenerate critical point the second-derivative test cannot classify); no minimum.

    Reference: D. Hilbert & S. Cohn-Vossen, Geometry and the Imagination (1952), §29.
    """
    x, y = xy[0], xy[1]
    return x**3 - 3.0 * x * y**2


def rosenbrock(xy, theta):
    """Rosenbrock's banana ``f = (a − x)² + b (y − x²)²``, ``theta = (a, b)``.

    Single minimum ``(a, a²)``, value 0, at the end of a curved valley whose walls steepen with ``b``.
    Reference: H. H. Rosenbrock, "An automatic method for finding the greatest or least value of a function",
    The Computer Journal 3(3), 1960.
    """
    a, b = theta[0], theta[1]
    x, y = xy[0], xy[1]
    return (a - x) ** 2 + b * (y - x**2) ** 2


def beale(xy, theta):
    """Beale ``f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²``.

    Single minimum ``(3, 0.5)``, value 0; a saddle at ``(0, 1)`` and flat arms along ``x = 0``.
    Reference: E. M. L. Beale, "On an iterative method for finding a local minimum of a function of more than one
    variable", Tech. Rep. 25, Statistical Techniques Research Group, Princeton University, 1958.
    """
    x, y = xy[0], xy[1]
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


def himmelblau(xy, theta):
    """Himmelblau ``f = (x² + y − 11)² + (x + y² − 7)²``.

    Four global minima, value 0: ``(3, 2)`` exactly and about ``(−2.805118, 3.131313)``,
    ``(−3.779310, −3.283186)``, ``(3.584428, −1.848127)`` (roots of a quartic, refined by Newton); one maximum
    near ``(−0.270845, −0.923039)`` and four saddles.
    Reference: D. M. Himmelblau, Applied Nonlinear Programming, McGraw-Hill, 1972.
    """
    x, y = xy[0], xy[1]
    return (x**2 + y - 11.0) ** 2 + (x + y**2 - 7.0) ** 2


def rastrigin(xy, theta):
    """Rastrigin ``f = 20 + Σ (x_i² − 10 cos 2πx_i)``.

    Global minimum at the origin, value 0; a local minimum near every integer point (the function is separable,
    so each is a pair of 1-D minima ``t ≈ n(1 − 1/(1 + 20π²))``, found by Newton).  The catalog lists the eight
    around the origin.  Reference: L. A. Rastrigin, Systems of Extremal Control, Nauka, 1974.
    """
    x, y = xy[0], xy[1]
    return 20.0 + x**2 - 10.0 * jnp.cos(2 * jnp.pi * x) + y**2 - 10.0 * jnp.cos(2 * jnp.pi * y)


def ackley(xy, theta):
    r"""Ackley ``f = −20 exp(−0.2 √(½(x² + y²))) − exp(½(cos 2πx + cos 2πy)) + e + 20``.

    Global minimum at the origin, value 0, surrounded by a lattice of shallow local minima.  The square root makes
    the origin a cone point where ``f`` has no gradient.  The root is taken of a guarded argument and set to exactly 0
    at the origin (the "double where" trick), so the value and the minimum are unchanged and autodiff returns the
    gradient 0 there: the minimum-norm subgradient, which is what a minimum should report.  Nothing is added under
    the root, so no point moves.
    Reference: D. H. Ackley, A Connectionist Machine for Genetic Hillclimbing, Kluwer, 1987.
    """
    x, y = xy[0], xy[1]
    r2 = 0.5 * (x**2 + y**2)
    positive = r2 > 0
    r = jnp.where(positive, jnp.sqrt(jnp.where(positive, r2, 1.0)), 0.0)
    waves = 0.5 * (jnp.cos(2 * jnp.pi * x) + jnp.cos(2 * jnp.pi * y))
    return -20.0 * jnp.exp(-0.2 * r) - jnp.exp(waves) + jnp.e + 20.0


def booth(xy, theta):
    """Booth ``f = (x + 2y − 7)² + (2x + y − 5)²``: a quadratic with Hessian ``[[10, 8], [8, 10]]`` (condition 9).

    Single minimum ``(1, 3)``, value 0.  Reference: Jamil & Yang (2013), function 24.
    """
    x, y = xy[0], xy[1]
    return (x + 2.0 * y - 7.0) ** 2 + (2.0 * x + y - 5.0) ** 2


def matyas(xy, theta):
    """Matyas ``f = 0.26(x² + y²) − 0.48xy``: a quadratic with Hessian ``[[0.52, −0.48], [−0.48, 0.52]]``,
    eigenvalues 0.04 and 1 (condition 25), a valley along the diagonal.

    Single minimum at the origin, value 0.  Reference: Jamil & Yang (2013), function 71.
    """
    x, y = xy[0], xy[1]
    return 0.26 * (x**2 + y**2) - 0.48 * x * y


def goldstein_price(xy, theta):
    """Goldstein–Price ``f = [1 + (x+y+1)²(19 − 14x + 3x² − 14y + 6xy + 3y²)]
    · [30 + (2x−3y)²(18 − 32x + 12x² + 48y − 36xy + 27y²)]``.

    Global minimum ``(0, −1)``, value 3; local minima ``(−0.6, −0.4)`` (30), ``(1.8, 0.2)`` (84) and ``(1.2, 0.8)``
    (840), all exact.  Reference: A. A. Goldstein & J. F. Price, "On descent from local minima",
    Mathematics of Computation 25(115), 1971.
    """
    x, y = xy[0], xy[1]
    first = 1.0 + (x + y + 1.0) ** 2 * (19.0 - 14.0 * x + 3.0 * x**2 - 14.0 * y + 6.0 * x * y + 3.0 * y**2)
    second = 30.0 + (2.0 * x - 3.0 * y) ** 2 * (
        18.0 - 32.0 * x + 12.0 * x**2 + 48.0 * y - 36.0 * x * y + 27.0 * y**2
    )
    return first * second


def styblinski_tang(xy, theta):
    """Styblinski–Tang in 2-D: ``f = ½ Σ (x_i⁴ − 16x_i² + 5x_i)``.

    Separable; each coordinate has minima at the two outer roots of ``4t³ − 32t + 5 = 0``,
    ``t₋ ≈ −2.903534`` and ``t₊ ≈ 2.746803`` (closed form by the trigonometric cubic formula).  Global minimum
    ``(t₋, t₋)``, value ≈ −78.332; local minima ``(t₋, t₊)``, ``(t₊, t₋)``, ``(t₊, t₊)``.
    Reference: M. A. Styblinski & T.-S. Tang, "Experiments in nonconvex optimization: stochastic approximation
    with function smoothing and simulated annealing", Neural Networks 3(4), 1990.
    """
    x, y = xy[0], xy[1]
    return 0.5 * (x**4 - 16.0 * x**2 + 5.0 * x + y**4 - 16.0 * y**2 + 5.0 * y)


def three_hump_camel(xy, theta):
    """Three-hump camel ``f = 2x² − 1.05x⁴ + x⁶/6 + xy + y²``.

    Critical points satisfy ``y = −x/2`` and ``x(x⁴ − 4.2x² + 3.5) = 0``.  Global minimum at the origin, value 0;
    local minima at ``±(x₁, −x₁/2)`` with ``x₁² = (4.2 + √3.64)/2`` (≈ ±(1.747552, −0.873776)); saddles at
    ``x² = (4.2 − √3.64)/2``.  Reference: Jamil & Yang (2013), function 29.
    """
    x, y = xy[0], xy[1]
    return 2.0 * x**2 - 1.05 * x**4 + x**6 / 6.0 + x * y + y**2


def six_hump_camel(xy, theta):
    """Six-hump camel ``f = (4 − 2.1x² + x⁴/3)x² + xy + (4y² − 4)y²``.

    Six minima, found by Newton: global ``±(0.089842, −0.712656)``, value ≈ −1.031628; local
    ``±(1.703607, −0.796084)`` (≈ −0.215464) and ``±(1.607105, 0.568651)`` (≈ 2.104250).
    Reference: L. C. W. Dixon & G. P. Szegő, "The global optimisation problem: an introduction", in Towards Global
    Optimisation 2, North-Holland, 1978.
    """
    x, y = xy[0], xy[1]
    return (4.0 - 2.1 * x**2 + x**4 / 3.0) * x**2 + x * y + (4.0 * y**2 - 4.0) * y**2


def quartic(xy, theta):
    """Quartic bowl ``f = x⁴ + y⁴``: a global minimum at the origin (value 0) whose Hessian ``diag(12x², 12y²)``
    vanishes there, so the second-derivative test calls it degenerate; gradient methods slow down polynomially.
    """
    return xy[0] ** 4 + xy[1] ** 4


# The designed surface: (centre, depth d, spread s) of each Gaussian well d·exp(−‖p − c‖²/s).  The deepest well
# sits under the bowl's centre so the bowl adds no minimum of its own.
_WELLS = (((-2.0, -1.5), 1.0, 1.0), ((-1.5, 2.0), 0.6, 0.5), ((0.0, 0.0), 0.3, 0.4))
_CLIFF, _STEEPNESS, _BOWL = 1.0, 2.5, 0.002


def wells(xy, theta):
    r"""Three Gaussian wells of different depths below a cliff, with a near-flat plateau above it.

    ``f = ½(1 + tanh 2.5(x − 1)) − Σᵢ dᵢ exp(−‖p − cᵢ‖²/sᵢ) + 0.002‖p − c₁‖²`` with wells
    ``c = (−2, −1.5), (−1.5, 2), (0, 0)``, depths ``d = 1, 0.6, 0.3`` and spreads ``s = 1, 0.5, 0.4``.
    Right of ``x = 2`` the tanh has saturated: a plateau at height 1.03–1.13 whose slope (0.02–0.054, partly from
    the weak bowl) is about 25 times smaller than the wells' (up to 1.4), where plain gradient descent crawls and
    sign-based or normalized methods do not.  Below the cliff the shallow well at the origin catches what falls first.
    Three minima, one per well (found by Newton from the centres, which the other terms shift slightly): the
    global one near ``(−2, −1.5)`` and local ones near ``(−1.5, 2)`` and ``(0, 0)``; saddles lie between wells.
    The weak bowl keeps the gradient away from zero everywhere else, so no spurious flat critical region exists.
    Designed for this app.
    """
    x, y = xy[0], xy[1]
    f = 0.5 * (1.0 + jnp.tanh(_STEEPNESS * (x - _CLIFF)))
    for (cx, cy), depth, spread in _WELLS:
        f = f - depth * jnp.exp(-((x - cx) ** 2 + (y - cy) ** 2) / spread)
    (bx, by), _, _ = _WELLS[0]
    return f + _BOWL * ((x - bx) ** 2 + (y - by) ** 2)


# ---------------------------------------------------------------------------------------------- known minima
def _newton_2x2(fn, theta, guesses, steps: int = 40) -> np.ndarray:
    """Polish approximate critical points with ``steps`` Newton steps; returns float64 points ``(n, 2)``."""
    return np.asarray(_newton_jit(fn, jnp.asarray(theta, dtype=jnp.float64), jnp.asarray(guesses, jnp.float64), steps))


@partial(jax.jit, static_argnums=(0, 3))
def _newton_jit(fn, theta, guesses, steps):
    def step(_, p):
        g = jax.grad(fn)(p, theta)
        (a, b), (c, d) = jax.hessian(fn)(p, theta)
        # Cramer's rule: the Hessians here are 2x2 and far from singular at the points we polish.
        det = a * d - b * c
        return p - jnp.stack([d * g[0] - b * g[1], a * g[1] - c * g[0]]) / det

    return jax.vmap(lambda p: jax.lax.fori_loop(0, steps, step, p))(guesses)


def _minima_at(fn, theta, points, kinds, values=None) -> tuple[Minimum, ...]:
    """Minimum records at ``points``; values are evaluated unless exact ones are given."""
    out = []
    for i, (p, kind) in enumerate(zip(points, kinds)):
        xy = (float(p[0]), float(p[1]))
        value = float(fn(jnp.asarray(xy), jnp.asarray(theta))) if values is None else float(values[i])
        out.append(Minimum(xy, value, kind))
    return tuple(out)


def _valley_minima(theta):
    return (Minimum((0.0, 0.0), 0.0),)


def _rosenbrock_minima(theta):
    a = theta[0]
    return (Minimum((a, a * a), 0.0),)


def _himmelblau_minima(theta):
    guesses = [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848127)]
    return _minima_at(himmelblau, theta, _newton_2x2(himmelblau, theta, guesses), ["global"] * 4, [0.0] * 4)


def _rastrigin_1d_minima():
    """The 1-D minima of ``t² − 10 cos 2πt`` near −1, 0, 1 (Newton on its derivative; 0 is exact)."""
    t = np.array([-1.0, 1.0])
    for _ in range(30):
        t = t - (2 * t + 20 * np.pi * np.sin(2 * np.pi * t)) / (2 + 40 * np.pi**2 * np.cos(2 * np.pi * t))
    return (float(t[0]), 0.0, float(t[1]))


def _rastrigin_minima(theta):
    ts = _rastrigin_1d_minima()
    neighbours = [(tx, ty) for tx in ts for ty in ts if (tx, ty) != (0.0, 0.0)]
    return (Minimum((0.0, 0.0), 0.0),) + _minima_at(rastrigin, theta, neighbours, ["local"] * 8)


def _cubic_roots_st():
    """Roots of ``4t³ − 32t + 5 = 0`` (i.e. ``t³ + pt + q`` with p = −8, q = 1.25), trigonometric form, ascending."""
    p, q = -8.0, 1.25
    m = 2.0 * math.sqrt(-p / 3.0)
    base = math.acos(3.0 * q / (p * m)) / 3.0
    return sorted(m * math.cos(base - 2.0 * math.pi * k / 3.0) for k in range(3))


def _styblinski_tang_minima(theta):
    low, _, high = _cubic_roots_st()
    points = [(low, low), (low, high), (high, low), (high, high)]
    return _minima_at(styblinski_tang, theta, points, ["global", "local", "local", "local"])


def _three_hump_minima(theta):
    x1 = math.sqrt((4.2 + math.sqrt(3.64)) / 2.0)
    local = _minima_at(three_hump_camel, theta, [(x1, -x1 / 2.0), (-x1, x1 / 2.0)], ["local", "local"])
    return (Minimum((0.0, 0.0), 0.0),) + local


def _six_hump_minima(theta):
    guesses = [(0.0898, -0.7126), (-0.0898, 0.7126), (1.7036, -0.7961), (-1.7036, 0.7961),
               (-1.6071, -0.5687), (1.6071, 0.5687)]
    kinds = ["global", "global", "local", "local", "local", "local"]
    return _minima_at(six_hump_camel, theta, _newton_2x2(six_hump_camel, theta, guesses), kinds)


def _wells_minima(theta):
    guesses = [centre for centre, _, _ in _WELLS]
    return _minima_at(wells, theta, _newton_2x2(wells, theta, guesses), ["global", "local", "local"])


def _fixed(*minima: Minimum) -> Callable[[tuple[float, ...]], tuple[Minimum, ...]]:
    return lambda theta: minima


# ------------------------------------------------------------------------------------------------ registry
@dataclass(frozen=True)
class _Surface:
    fn: Callable
    title: str
    latex: str
    bounds: Bounds
    start: Callable[[tuple[float, ...]], tuple[float, float]] | tuple[float, float]
    minima: Callable[[tuple[float, ...]], tuple[Minimum, ...]]
    reference: str
    description: str
    params: tuple[ParamSpec, ...] = ()
    preset: Preset = Preset()


# The default angle is 30°, not 0: an axis-aligned valley flatters per-coordinate methods (Adam, RMSProp,
# Adagrad), whose diagonal scaling is then exactly the Hessian's eigenbasis.
def _valley_start(theta):
    # The same point in valley coordinates (u, v) = (−8, 2) for every angle: far along the floor, off its axis.
    phi = math.radians(theta[1])
    u, v = -8.0, 2.0
    return (u * math.cos(phi) - v * math.sin(phi), u * math.sin(phi) + v * math.cos(phi))


def _preset(steps: int, claims: tuple[Claim, ...], **by_optimizer: dict[str, float]) -> Preset:
    return Preset(steps, tuple((name, tuple(values.items())) for name, values in by_optimizer.items()), claims)


_ADAPTIVE = ("adagrad", "rmsprop", "adam", "adamw")
"""The course's per-coordinate methods (a claim about them speaks of those that are shown)."""


# Presets: the course optimizers' settings chosen so that each surface's lesson shows within the preset's steps
# (measured in tests/test_presets.py).  On the valley (λ = 1 across, 1/κ along): GD at η = 1.8 has factor
# 1 − η = −0.8 across (a zig-zag that flips sign every step) and 1 − η/κ = 0.982 along (a crawl); heavy ball at
# η = 0.3, μ = 0.9 has complex roots of modulus √μ ≈ 0.95 in both directions (overshoot, and faster arrival than
# GD's 0.982); Nesterov at η = 0.5 damps the across mode to modulus √(μ(1 − η)) ≈ 0.67.  On Rosenbrock the
# curvature at the start is ~1500, so GD needs η < 2/1500 ≈ 1.3e-3; heavy ball's limit is 2(1 + μ)/λ ≈ 2.5e-3 and
# Nesterov's 2(1 + μ)/((1 + 2μ)λ) ≈ 9e-4.  On the saddle, small steps let GD stall by the saddle for ~80 steps
# (x shrinks by 1 − 2η per step, y grows by 1 + 2η from 0.02) before it escapes along −y curvature.
_VALLEY_PRESET = _preset(
    200, (Claim("zigzag", ("sgd",)), Claim("crawl", ("sgd",)), Claim("overshoot", ("momentum",)), Claim("arrival"),
          Claim("diagonal", _ADAPTIVE)),
    sgd={"learning_rate": 1.8}, momentum={"learning_rate": 0.3, "momentum": 0.9},
    nesterov={"learning_rate": 0.5, "momentum": 0.9}, adagrad={"learning_rate": 1.5},
    rmsprop={"learning_rate": 0.1}, adam={"learning_rate": 0.3}, adamw={"learning_rate": 0.3},
)
_ROSENBROCK_PRESET = _preset(
    500, (Claim("stable"), Claim("crawl", ("sgd",)), Claim("arrival")),
    sgd={"learning_rate": 1e-3}, momentum={"learning_rate": 1e-3, "momentum": 0.9},
    nesterov={"learning_rate": 5e-4, "momentum": 0.9}, adagrad={"learning_rate": 0.5},
    rmsprop={"learning_rate": 0.01}, adam={"learning_rate": 0.05}, adamw={"learning_rate": 0.05},
)
_SADDLE_PRESET = _preset(
    150, (Claim("linger", ("sgd",)), Claim("leave_sooner", ("momentum", "sgd")), Claim("leave_sooner", ("nesterov", "sgd")),
          Claim("avoid", _ADAPTIVE)),
    sgd={"learning_rate": 0.02}, momentum={"learning_rate": 0.005, "momentum": 0.9},
    nesterov={"learning_rate": 0.005, "momentum": 0.9}, adagrad={"learning_rate": 0.1},
    rmsprop={"learning_rate": 0.01}, adam={"learning_rate": 0.02}, adamw={"learning_rate": 0.02},
)

_REGISTRY: dict[str, _Surface] = {
    "elongated_valley": _Surface(
        elongated_valley,
        "Elongated valley",
        r"f(x,y) = \tfrac{1}{2}\left(\frac{u^2}{\kappa} + v^2\right),\quad "
        r"u = x\cos\varphi + y\sin\varphi,\; v = -x\sin\varphi + y\cos\varphi",
        ((-10.0, 10.0), (-10.0, 10.0)),
        _valley_start,
        _valley_minima,
        "cs231n optimization notes (the ravine that makes SGD zig-zag)",
        "A quadratic ravine: curvature 1 across the floor and 1/κ along it, so a step size that suits one "
        "direction is wrong for the other. Turn the valley off the axes to see which methods rely on a "
        "per-coordinate (diagonal) scaling.",
        (
            ParamSpec("kappa", 100.0, 1.0, 1000.0, log=True,
                      help="Condition number κ = λmax/λmin of the Hessian (λmax is fixed at 1)."),
            ParamSpec("angle", 30.0, -90.0, 90.0,
                      help="Angle φ in degrees between the valley floor and the x axis."),
        ),
        _VALLEY_PRESET,
    ),
    "saddle": _Surface(
        saddle, "Saddle", r"f(x,y) = x^2 - y^2", ((-2.0, 2.0), (-2.0, 2.0)), (-1.8, 0.02), _fixed(),
        "NTU ML 2023, critical points: local minima vs saddle points",
        "The textbook saddle: a minimum along x, a maximum along y, and no minimum at all. Starting almost on the "
        "x axis, methods are drawn towards the saddle and must then escape along y; the loss is unbounded below.",
        preset=_SADDLE_PRESET,
    ),
    "monkey_saddle": _Surface(
        monkey_saddle, "Monkey saddle", r"f(x,y) = x^3 - 3xy^2", ((-2.0, 2.0), (-2.0, 2.0)), (1.6, 0.05),
        _fixed(), "Hilbert & Cohn-Vossen, Geometry and the Imagination (1952)",
        "Three valleys meet at a flat point: the gradient and the Hessian both vanish at the origin, so the "
        "second-derivative test says nothing. Unbounded below.",
    ),
    "rosenbrock": _Surface(
        rosenbrock, "Rosenbrock", r"f(x,y) = (a - x)^2 + b\,(y - x^2)^2", ((-2.0, 2.0), (-1.0, 3.0)), (-1.2, 1.0),
        _rosenbrock_minima,
        "H. H. Rosenbrock, The Computer Journal 3(3), 175-184 (1960)",
        "A curved, narrow valley: finding it is easy, following it to the minimum at (a, a²) is slow.",
        (
            ParamSpec("a", 1.0, -1.5, 1.5, help="The minimum sits at (a, a²)."),
            ParamSpec("b", 100.0, 1.0, 1000.0, log=True, help="Steepness of the valley walls."),
        ),
        _ROSENBROCK_PRESET,
    ),
    "beale": _Surface(
        beale, "Beale",
        r"f(x,y) = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2",
        ((-4.5, 4.5), (-4.5, 4.5)), (1.0, 1.5), _fixed(Minimum((3.0, 0.5), 0.0)),
        "E. M. L. Beale, Princeton Tech. Rep. 25 (1958); " + _SURVEY,
        "Sharp ridges and flat arms; the minimum lies in a narrow valley bending towards the right.",
    ),
    "himmelblau": _Surface(
        himmelblau, "Himmelblau", r"f(x,y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2",
        ((-5.0, 5.0), (-5.0, 5.0)), (-0.3, -0.9), _himmelblau_minima,
        "D. M. Himmelblau, Applied Nonlinear Programming (1972)",
        "Four equally deep minima around a central maximum. Starting next to the maximum, which basin an optimizer "
        "ends in depends on its first few steps.",
    ),
    "rastrigin": _Surface(
        rastrigin, "Rastrigin",
        r"f(x,y) = 20 + x^2 - 10\cos(2\pi x) + y^2 - 10\cos(2\pi y)",
        ((-5.12, 5.12), (-5.12, 5.12)), (3.3, -2.6), _rastrigin_minima,
        "L. A. Rastrigin, Systems of Extremal Control (1974); " + _SURVEY,
        "A bowl covered in an egg-crate of local minima, one near every integer point (the eight around the "
        "global minimum are listed). Small steps get trapped; large steps or momentum may hop between cells.",
    ),
    "ackley": _Surface(
        ackley, "Ackley",
        r"f(x,y) = -20\exp\!\left(-0.2\sqrt{\tfrac{1}{2}(x^2 + y^2)}\right)"
        r" - \exp\!\left(\tfrac{1}{2}\left(\cos 2\pi x + \cos 2\pi y\right)\right) + e + 20",
        ((-4.0, 4.0), (-4.0, 4.0)), (2.6, -1.7), _fixed(Minimum((0.0, 0.0), 0.0)),
        "D. H. Ackley, A Connectionist Machine for Genetic Hillclimbing (1987)",
        "A nearly flat outer region full of small dimples around a deep funnel whose tip is a cone (not "
        "differentiable at the origin; the gradient reported there is 0).",
    ),
    "booth": _Surface(
        booth, "Booth", r"f(x,y) = (x + 2y - 7)^2 + (2x + y - 5)^2", ((-10.0, 10.0), (-10.0, 10.0)), (-7.0, -6.0),
        _fixed(Minimum((1.0, 3.0), 0.0)), _SURVEY,
        "A tilted quadratic bowl (Hessian [[10, 8], [8, 10]], condition number 9): the easy case.",
    ),
    "matyas": _Surface(
        matyas, "Matyas", r"f(x,y) = 0.26\,(x^2 + y^2) - 0.48\,xy", ((-10.0, 10.0), (-10.0, 10.0)), (-8.0, -4.0),
        _fixed(Minimum((0.0, 0.0), 0.0)), _SURVEY,
        "A diagonal valley (Hessian eigenvalues 0.04 and 1): an elongated valley that is not axis-aligned.",
    ),
    "goldstein_price": _Surface(
        goldstein_price, "Goldstein–Price",
        r"f(x,y) = \left[1 + (x + y + 1)^2\left(19 - 14x + 3x^2 - 14y + 6xy + 3y^2\right)\right]"
        r"\left[30 + (2x - 3y)^2\left(18 - 32x + 12x^2 + 48y - 36xy + 27y^2\right)\right]",
        ((-2.0, 2.0), (-2.0, 2.0)), (0.8, 1.4),
        _fixed(Minimum((0.0, -1.0), 3.0), Minimum((-0.6, -0.4), 30.0, "local"),
               Minimum((1.8, 0.2), 84.0, "local"), Minimum((1.2, 0.8), 840.0, "local")),
        "A. A. Goldstein & J. F. Price, Mathematics of Computation 25(115), 569-574 (1971)",
        "Values span six orders of magnitude (a log colour scale helps); four minima of very different depths.",
    ),
    "styblinski_tang": _Surface(
        styblinski_tang, "Styblinski–Tang",
        r"f(x,y) = \tfrac{1}{2}\left(x^4 - 16x^2 + 5x + y^4 - 16y^2 + 5y\right)",
        ((-5.0, 5.0), (-5.0, 5.0)), (4.5, -0.5), _styblinski_tang_minima,
        "M. A. Styblinski & T.-S. Tang, Neural Networks 3(4), 467-483 (1990)",
        "Four minima in four quadrants, one global (lower left). From the right edge the nearest minimum is a "
        "local one; enough momentum rolls over the ridge into the global one.",
    ),
    "three_hump_camel": _Surface(
        three_hump_camel, "Three-hump camel", r"f(x,y) = 2x^2 - 1.05x^4 + \frac{x^6}{6} + xy + y^2",
        ((-2.5, 2.5), (-2.5, 2.5)), (2.2, -0.3), _three_hump_minima, _SURVEY,
        "A global minimum at the origin between two shallower local minima.",
    ),
    "six_hump_camel": _Surface(
        six_hump_camel, "Six-hump camel",
        r"f(x,y) = \left(4 - 2.1x^2 + \frac{x^4}{3}\right)x^2 + xy + \left(4y^2 - 4\right)y^2",
        ((-2.5, 2.5), (-1.5, 1.5)), (-1.0, -1.2), _six_hump_minima,
        "L. C. W. Dixon & G. P. Szegő, Towards Global Optimisation 2 (1978)",
        "Six minima, two of them global and mirror images of each other.",
    ),
    "wells": _Surface(
        wells, "Wells and a plateau",
        r"f(x,y) = \tfrac{1}{2}\left(1 + \tanh 2.5(x - 1)\right)"
        r" - e^{-\left[(x + 2)^2 + (y + 1.5)^2\right]}"
        r" - 0.6\,e^{-\left[(x + 1.5)^2 + (y - 2)^2\right]/0.5}"
        r" - 0.3\,e^{-\left(x^2 + y^2\right)/0.4}"
        r" + 0.002\left[(x + 2)^2 + (y + 1.5)^2\right]",
        ((-4.0, 4.0), (-4.0, 4.0)), (3.2, 2.6), _wells_minima,
        "Designed for this app",
        "A near-flat plateau (upper right) ends in a cliff; below it three wells of different depths. Plain "
        "gradient descent crawls on the plateau; methods that normalize the step cross it, then the shallow well "
        "at the foot of the cliff, the middle one or the deepest one catches them.",
    ),
    "quartic": _Surface(
        quartic, "Quartic bowl", r"f(x,y) = x^4 + y^4", ((-2.0, 2.0), (-2.0, 2.0)), (1.5, -1.0),
        _fixed(Minimum((0.0, 0.0), 0.0)),
        "Standard example of a degenerate minimum (zero Hessian)",
        "A minimum whose Hessian is zero: the second-derivative test calls it degenerate, gradient descent slows "
        "to a polynomial crawl, and even Newton's method only shrinks the distance by a third per step.",
    ),
}


# ------------------------------------------------------------------------------------------------ public API
class UnknownSurfaceError(KeyError, ValueError):
    """Raised by `get` and `parameters` for a name that is not in the catalog (catchable as either base)."""

    def __str__(self) -> str:  # KeyError would print the repr of the message
        return str(self.args[0])


def names() -> tuple[str, ...]:
    """The built-in surface names in menu order (``elongated_valley`` first); each is URL-safe."""
    return tuple(_REGISTRY)


def _surface(name: str) -> _Surface:
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        raise UnknownSurfaceError(f"unknown surface {name!r}; valid names: {', '.join(_REGISTRY)}") from None


def title(name: str) -> str:
    """The surface's title for menus, without building it (`get` also locates its known minima)."""
    return _surface(name).title


def parameters(name: str) -> tuple[ParamSpec, ...]:
    """The surface's parameters, in the order of ``theta``; ``()`` when it has none."""
    return _surface(name).params


def _values(name: str, specs: tuple[ParamSpec, ...], given: dict) -> tuple[float, ...]:
    valid = {s.name for s in specs}
    unknown = sorted(set(given) - valid)
    if unknown:
        allowed = ", ".join(sorted(valid)) or "none"
        raise ValueError(f"surface {name!r} has no parameter {', '.join(map(repr, unknown))}; parameters: {allowed}")
    values = []
    for spec in specs:
        raw = given.get(spec.name, spec.default)
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise ValueError(f"{name}.{spec.name} must be a number, got {raw!r}") from None
        if not (spec.min <= value <= spec.max):  # also rejects nan
            raise ValueError(f"{name}.{spec.name} = {value!r} is outside [{spec.min:g}, {spec.max:g}]")
        values.append(value)
    return tuple(values)


@lru_cache(maxsize=256)
def _minima(name: str, values: tuple[float, ...]) -> tuple[Minimum, ...]:
    return _REGISTRY[name].minima(values)


def get(name: str, **params: float) -> Landscape:
    """The built-in surface ``name`` with the given parameter values (missing ones take their defaults).

    Raises `UnknownSurfaceError` (a ``KeyError`` and a ``ValueError``) for an unknown name, and ``ValueError`` for
    an unknown parameter or a value that is not a number within the parameter's ``[min, max]``.  Equal arguments
    give equal (and equally hashed) landscapes that share the same ``fn`` object.
    """
    surface = _surface(name)
    values = _values(name, surface.params, params)
    start = surface.start(values) if callable(surface.start) else surface.start
    return Landscape(
        name=name,
        title=surface.title,
        latex=surface.latex,
        fn=surface.fn,
        bounds=surface.bounds,
        start=(float(start[0]), float(start[1])),
        minima=_minima(name, values),
        params=tuple((spec.name, value) for spec, value in zip(surface.params, values)),
        reference=surface.reference,
        description=surface.description,
        preset=surface.preset,
    )
