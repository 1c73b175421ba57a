"""Engine calls cached at the UI seam: plain hashable values in, results that are never mutated out.

The one cache module of the UI: every page's engine calls go through it (the view box, where a page has one, is a
parameter), so `clear` empties them all and one point record (`landscapes.PointInfo`) serves every page.  Every
optimizer call on a built-in surface goes through `engine_surface` (the shared family).

A surface travels as a *key*, not as a `Landscape`: ``("builtin", name, ((param, value), ...))`` or
``("custom", text, bounds)`` (see `surface_key`).  Every wrapper rebuilds the landscape from its key, so the cache
hashes only strings, floats and tuples.  Bounded ``max_entries`` everywhere: a session that
drags sliders for an hour cannot grow memory without limit.

* ``st.cache_resource`` for the big results shared read-only across sessions (trajectories, grids, flows): a hit
  costs no unpickling.  Their arrays are flagged read-only, so an accidental in-place write raises instead of
  corrupting what other sessions see.
* ``st.cache_data`` for small derived values (critical points, point classifications).

Importing this module also turns on JAX's persistent compilation cache (`optimizers.compile_cache`), so a restarted
server loads compiled runners from ``.jax_cache/`` instead of compiling them again.
"""

from __future__ import annotations

import dataclasses
import warnings
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import streamlit as st

import landscapes
from landscapes import analysis
from landscapes.base import PointInfo
from optimizers import catalog, compile_cache, flow as _flow, presets, tune as _tune
from optimizers import base
from optimizers.base import Hyperparam, Trajectory

from optimizers import engine as _run

if TYPE_CHECKING:  # imported where used: see the Lab section
    from components import lab_views

compile_cache.enable()

GRID_N = 161
"""Grid points per side of the contour sent to the player (161 x 161 float32 is ~140 kB of base64)."""
FLOW_POINTS = 401
"""Samples of a flow path.  Fixed, because the ODE solver compiles once per sample count."""


def surface_key(name: str, params: dict[str, float] | None = None) -> tuple:
    """The cache key of a built-in surface with these parameter values."""
    return ("builtin", str(name), tuple(sorted((str(k), float(v)) for k, v in (params or {}).items())))


def custom_key(text: str, bounds: landscapes.Bounds) -> tuple:
    """The cache key of a typed surface on ``bounds``."""
    (x0, x1), (y0, y1) = bounds
    return ("custom", str(text), ((float(x0), float(x1)), (float(y0), float(y1))))


def _frozen(*arrays: np.ndarray) -> None:
    for a in arrays:
        if isinstance(a, np.ndarray):
            a.flags.writeable = False


@st.cache_resource(max_entries=64, show_spinner=False)
def surface(key: tuple) -> landscapes.Landscape:
    """The `Landscape` for a key.  A typed surface that does not compile raises `landscapes.ExpressionError`
    (exceptions are not cached, so a fixed expression is tried afresh)."""
    if key[0] == "custom":
        return landscapes.from_expression(key[1], key[2])
    return landscapes.get(key[1], **dict(key[2]))


def engine_surface(key: tuple) -> landscapes.Landscape:
    """The surface as the optimizers should see it: a built-in goes through `landscapes.shared_family`, so one
    compiled runner (or flow solver) per optimizer serves every built-in surface, and a server whose visitors open
    many surfaces compiles each optimizer once, not once per surface.

    Tried and measured (issue 13): giving the default surface programs of its own compiles its six runners ~4x
    faster (1.8 s instead of 8.6 s cold), but the 20-user load test's server then grew +55 to +75 MB in its measured
    minute instead of +40 MB (limit 50): the default page's first frame relies on the warm-up instead."""
    return landscapes.shared_family(surface(key))


Grid = analysis.Grid


@st.cache_resource(max_entries=64, show_spinner=False)
def grid(key: tuple, bounds: landscapes.Bounds | None = None, n: int = GRID_N) -> Grid:
    """``f`` on an ``n x n`` grid over ``bounds`` (default: the surface's box): ``z[iy, ix] = f(x[ix], y[iy])``
    (read-only arrays).  A new box reuses the compiled grid; a new ``n`` compiles once."""
    xs, ys, z = analysis.evaluate_grid(surface(key), bounds, n=n)
    out = Grid(np.asarray(xs), np.asarray(ys), np.asarray(z))
    _frozen(*out)
    return out


@st.cache_data(max_entries=64, show_spinner=False)
def atlas(key: tuple, bounds: landscapes.Bounds | None = None) -> landscapes.Atlas:
    """Every critical point in ``bounds`` (default: the surface's box), classified, lowest f first, with the proof
    of how complete the list is (`landscapes.atlas`)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the atlas carries what the warnings would say (found, undecided)
        return landscapes.atlas(surface(key), bounds=bounds)


def critical_points(key: tuple, bounds: landscapes.Bounds | None = None) -> tuple[PointInfo, ...]:
    """The points of `atlas`: every critical point in the box, lowest value first."""
    return atlas(key, bounds).points


class RangeMask(NamedTuple):
    """Where f leaves the float64 range on a grid (`landscapes.floatrange.value_check`), indexed like `grid`."""

    underflow: np.ndarray
    overflow: np.ndarray

    @property
    def any(self) -> np.ndarray:
        return self.underflow | self.overflow


@st.cache_resource(max_entries=64, show_spinner=False)
def range_mask(key: tuple, bounds: landscapes.Bounds | None = None, n: int = GRID_N) -> RangeMask:
    """`RangeMask` on the points of ``grid(key, bounds, n)`` (read-only)."""
    from landscapes import floatrange

    g = grid(key, bounds, n)
    under, over = floatrange.value_check(surface(key), np.stack(np.meshgrid(g.x, g.y), axis=-1))
    out = RangeMask(np.asarray(under), np.asarray(over))
    _frozen(*out)
    return out


@st.cache_data(max_entries=1024, show_spinner=False)
def classify(key: tuple, xy: tuple[float, float], bounds: landscapes.Bounds | None = None) -> PointInfo:
    """`landscapes.classify` at ``xy`` with the tolerances of ``bounds`` (default: the surface's box): value, ∇f,
    H, eigenpairs (ascending), kind and the reason in words."""
    with np.errstate(all="ignore"):
        return landscapes.classify(surface(key), np.asarray(xy, dtype=np.float64), bounds=bounds)


@st.cache_resource(max_entries=32, show_spinner=False)
def curvature(key: tuple, bounds: landscapes.Bounds, n: int) -> analysis.CurvatureMaps:
    """Hessian eigenvalue maps over ``bounds`` (`analysis.curvature_maps`), read-only."""
    maps = analysis.curvature_maps(surface(key), bounds, n=n)
    _frozen(*maps)
    return maps


@st.cache_data(max_entries=256, show_spinner=False)
def gradient_check(key: tuple, xy: tuple[float, float]) -> analysis.GradientCheck:
    """`landscapes.gradient_check` at ``xy`` over 25 step sizes h from 1e-1 to 1e-13."""
    with np.errstate(all="ignore"):
        return landscapes.gradient_check(surface(key), xy)


@st.cache_data(max_entries=256, show_spinner=False)
def profiles(key: tuple, xy: tuple[float, float], vectors: tuple, span: float,
             n: int = 201) -> tuple[np.ndarray, np.ndarray]:
    """``f(p + t·vᵢ) − f(p)`` for ``n`` values of ``t`` in ``[−span, span]`` along each unit vector vᵢ; returns
    ``(t, values)`` with values of shape ``(len(vectors), n)``."""
    t = np.linspace(-span, span, n)
    p = np.asarray(xy, dtype=np.float64)
    pts = np.concatenate([p + t[:, None] * np.asarray(v, dtype=np.float64)[None, :] for v in vectors])
    with np.errstate(all="ignore"):
        values = analysis.value(surface(key), pts).reshape(len(vectors), n)
        base = float(analysis.value(surface(key), p))
    return t, values - base


@st.cache_resource(max_entries=512, show_spinner=False)
def trajectory(key: tuple, name: str, start: tuple[float, float], steps: int, hyperparams: tuple,
               schedule: str | None = None, schedule_params: tuple = (), noise: float = 0.0,
               seed: int = 0) -> Trajectory:
    """One optimizer run (`optimizers.engine.run`) as a read-only `Trajectory`.

    ``hyperparams`` and ``schedule_params`` are ``((name, value), ...)`` tuples.  The schedule is applied only when
    the optimizer accepts one (`schedule_applies`); constant means none.
    """
    sched = schedule if schedule_applies(name, schedule) else None
    traj = _run.run(engine_surface(key), name, start=start, steps=int(steps), schedule=sched, noise=float(noise),
                    seed=int(seed), schedule_params=dict(schedule_params) if sched else None, **dict(hyperparams))
    _frozen(*traj)
    return traj


@st.cache_resource(max_entries=48, show_spinner=False)
def trajectory_grid(key: tuple, name: str, start: tuple[float, float], steps: int, hyperparams: tuple,
                    schedule: str | None, schedule_params: tuple, noise: float, seed: int, axis: str,
                    values: tuple[float, ...]):
    """`optimizers.run_grid`: one read-only `Trajectory` per value of ``axis`` (a float hyperparameter of
    ``name``, or ``"noise"``), the other arguments as in `trajectory` (``hyperparams`` without the axis)."""
    sched = schedule if schedule_applies(name, schedule) else None
    grid = _run.run_grid(engine_surface(key), name, start=start, steps=int(steps), axis=(axis, values),
                         schedule=sched, noise=0.0 if axis == "noise" else float(noise), seed=int(seed),
                         schedule_params=dict(schedule_params) if sched else None, **dict(hyperparams))
    _frozen(*grid.batch)
    return grid


def trajectory_ready(key: tuple, name: str, steps: int, hyperparams: tuple, schedule: str | None = None,
                     noise: float = 0.0) -> bool:
    """Whether `trajectory` with these arguments would return at once: its program is compiled (or the call would
    fail at once).  Cheap; start, seed and slider values never change the answer."""
    sched = schedule if schedule_applies(name, schedule) else None
    try:
        land = engine_surface(key)
    except Exception:  # a typed surface that does not compile: the page reports it elsewhere
        return True
    return _run.compiled(land, name, steps=int(steps), schedule=sched, noise=float(noise), **dict(hyperparams))


def schedule_applies(name: str, schedule: str | None) -> bool:
    """Whether ``trajectory`` runs ``name`` with ``schedule``: `optimizers.schedule_applies` for that spec."""
    return base.schedule_applies(catalog.get(name), schedule)


@st.cache_resource(max_entries=128, show_spinner=False)
def flow(key: tuple, start: tuple[float, float], kind: str, t_max: float, friction: float = 0.0) -> np.ndarray:
    """The continuous limit of a run, sampled at `FLOW_POINTS` times in ``[0, t_max]``: ``kind="gradient"`` for
    gradient descent (``ẋ = −∇f``), ``"heavy_ball"`` for momentum (``ẍ + a ẋ + ∇f = 0``, ``a = friction``).
    Returns the ``(FLOW_POINTS, 2)`` path (read-only)."""
    land = engine_surface(key)
    if kind == "gradient":
        path = _flow.gradient_flow(land, start=start, t_max=float(t_max), n_points=FLOW_POINTS)
    else:
        path = _flow.heavy_ball_flow(land, start=start, t_max=float(t_max), friction=float(friction),
                                     n_points=FLOW_POINTS)
    xy = np.asarray(path.xy)
    _frozen(xy)
    return xy


@st.cache_resource(max_entries=512, show_spinner=False)
def preset_hyperparams(key: tuple, name: str) -> tuple[Hyperparam, ...]:
    """Optimizer ``name``'s hyperparameters with the defaults this surface opens with (`optimizers.presets`):
    the metadata the sliders are built from, so a surface's preset is just its sliders' starting values."""
    values = presets.defaults(surface(key), name)
    return tuple(dataclasses.replace(h, default=values[h.name]) for h in catalog.get(name).hyperparams)


@st.cache_data(max_entries=256, show_spinner="Tuning the learning rate…")
def tuning(key: tuple, name: str, start: tuple[float, float], steps: int, hyperparams: tuple,
           candidates: tuple[float, ...], schedule: str | None = None, schedule_params: tuple = (),
           noise: float = 0.0, seed: int = 0) -> _tune.Tuning:
    """`optimizers.tune.tune_learning_rate` over ``candidates`` (the slider's values), on `engine_surface` like
    every optimizer call: one sweep program per optimizer serves every built-in surface."""
    sched = schedule if schedule_applies(name, schedule) else None
    return _tune.tune_learning_rate(engine_surface(key), name, candidates, start=start, steps=int(steps),
                                    schedule=sched, schedule_params=dict(schedule_params) if sched else None,
                                    noise=float(noise), seed=int(seed), **dict(hyperparams))


# ------------------------------------------------------------------------------------------------ the Lab's sweeps
# `components.lab_views` computes; these keep the results, keyed on plain values, read-only.  Imported inside
# each one: lab_views brings SciPy and Plotly's subplots (~0.6 s), which the Compare page's first frame never needs.
def _fixed(fixed: tuple) -> dict:
    return dict(fixed)


def _sweep_frozen(result):
    _frozen(*result)
    return result


@st.cache_resource(max_entries=64, show_spinner=False)
def quadratic_curvature(key: tuple) -> tuple[float, float] | None:
    """`lab_views.quadratic_curvature`: ``(λmin, λmax)`` when the surface is a quadratic, else None."""
    from components import lab_views

    return lab_views.quadratic_curvature(surface(key))


@st.cache_resource(max_entries=64, show_spinner=False)
def lr_curve(key: tuple, name: str, lo: float, hi: float, n: int, steps: int, start: tuple, fixed: tuple):
    """`lab_views.learning_rate_curve` over ``n`` geometric η from ``lo`` to ``hi`` (read-only result)."""
    from components import lab_views

    return _sweep_frozen(lab_views.learning_rate_curve(engine_surface(key), name, np.geomspace(lo, hi, n), steps,
                                                       start, _fixed(fixed)))


@st.cache_resource(max_entries=32, show_spinner=False)
def phase(key: tuple, name: str, x_axis: tuple, y_axis: tuple, steps: int, start: tuple,
          fixed: tuple) -> lab_views.Phase:
    """`lab_views.phase_diagram`; each axis is ``(name, lo, hi, n, log)``."""
    from components import lab_views

    (xn, xlo, xhi, nx, xlog), (yn, ylo, yhi, ny, ylog) = x_axis, y_axis
    return _sweep_frozen(lab_views.phase_diagram(
        engine_surface(key), name, xn, lab_views.values_on_axis(xlo, xhi, nx, xlog), yn,
        lab_views.values_on_axis(ylo, yhi, ny, ylog), steps, start, _fixed(fixed)))


@st.cache_resource(max_entries=32, show_spinner=False)
def search(key: tuple, name: str, x_axis: tuple, y_axis: tuple, budget: int, seed: int, steps: int,
           start: tuple, fixed: tuple) -> lab_views.Search:
    """`lab_views.search`; each axis is ``(name, lo, hi, log)``."""
    from components import lab_views

    (xn, xlo, xhi, xlog), (yn, ylo, yhi, ylog) = x_axis, y_axis
    return _sweep_frozen(lab_views.search(engine_surface(key), name, xn, (xlo, xhi), xlog, yn, (ylo, yhi), ylog,
                                          budget, seed, steps, start, _fixed(fixed)))


@st.cache_resource(max_entries=16, show_spinner=False)
def attractors(key: tuple) -> lab_views.Attractors:
    """`lab_views.attractors` of the surface's critical points and listed minima."""
    from components import lab_views

    land = surface(key)
    return lab_views.attractors(critical_points(key), land.minima, land.bounds)


@st.cache_resource(max_entries=16, show_spinner=False)
def basins(key: tuple, name: str, n: int, steps: int, fixed: tuple) -> lab_views.Basins:
    """`lab_views.basin_map` on an ``n × n`` grid (at most 16 maps kept: 16 × 200² labels is ~1.3 MB)."""
    from components import lab_views

    return _sweep_frozen(lab_views.basin_map(engine_surface(key), name, n, steps, attractors(key), _fixed(fixed)))


@st.cache_resource(max_entries=32, show_spinner=False)
def fair(key: tuple, name: str, budget: int, n_starts: int, steps: int, seed: int, f_star: float | None,
         fixed: tuple) -> lab_views.Fair:
    """`lab_views.fair_comparison`: tune η on some random starts, score it on others."""
    from components import lab_views

    return _sweep_frozen(lab_views.fair_comparison(engine_surface(key), name, budget, n_starts, steps, seed, f_star,
                                                   fixed=_fixed(fixed)))


@st.cache_resource(max_entries=1, show_spinner=False)
def surface_titles() -> dict[str, str]:
    """``{name: title}`` of the built-in surfaces, for menus."""
    return {name: landscapes.title(name) for name in landscapes.names()}



# ------------------------------------------------------------------------------------------------ Network page
# A network travels as `components.network_views.Config` (a NamedTuple of a frozen Problem and plain values).  A
# problem with an uploaded table (`landscapes.tables`) is not shared: its results are kept in that session's state
# only (at most `UPLOAD_ENTRIES`), so they go with the session, and no other visitor's cache ever holds the upload.
UPLOAD_ENTRIES = 24
_UPLOAD_MEMO = "_cache.network_upload"


def _per_session(cached, compute):
    """``cached`` (a st.cache_resource of ``compute``) for the named data sets; for an uploaded table, ``compute``
    memoised in this session's state."""

    def call(config, *args):
        if config.problem.table is None:
            return cached(config, *args)
        memo = st.session_state.setdefault(_UPLOAD_MEMO, {})
        key = (compute.__name__, config, *args)
        if key not in memo:
            while len(memo) >= UPLOAD_ENTRIES:
                memo.pop(next(iter(memo)))
            memo[key] = compute(config, *args)
        return memo[key]

    call.__name__, call.__doc__ = compute.__name__.lstrip("_"), compute.__doc__
    call.clear = cached.clear
    return call


def _network_training(config) -> tuple:
    """One `optimizers.Result` per run of ``config``, every run from the same θ₀."""
    from landscapes import network
    from optimizers import network as train

    theta0 = network.initial(config.problem, config.seed, config.init)
    fits = []
    for name, lr in config.runs:
        param = train.step_size_name(name)
        hp = {param: lr} if param else {}
        fit = train.train(config.problem, name, theta0, config.steps, config.batch_size, config.seed, hp)
        _frozen(fit.params, fit.loss, fit.grad_norm, fit.batch_loss)
        fits.append(fit)
    return tuple(fits)


def _network_plane(config, reference: int, directions: str, n: int):
    """The slice through the end of run ``reference`` (`landscapes.network_slice`), its ``n × n`` grid, and every
    run projected onto it (`components.network_views.Plane`)."""
    from components.network_views import Plane
    from landscapes import network

    fits = network_training(config)
    ref = fits[reference]
    p = config.problem
    surface = landscapes.network_slice(problem=p, directions=directions, seed=config.seed, theta=ref.params[-1],
                                       path=ref.params)
    net = surface.network
    coords, on, off = [], [], []
    for fit in fits:
        xy, dist = network.project(fit.params, net.theta, net.d1, net.d2)
        coords.append(xy)
        on.append(network.slice_values(p, net.theta, net.d1, net.d2, xy[:, 0], xy[:, 1]))
        off.append(dist)
    # The box holds every projected path (a random plane can put them far out), except on the Hessian plane,
    # whose box is sized to the curvature at θ* (`landscapes.network._half_widths`).
    if directions != "hessian":
        reach = np.max([np.max(np.abs(c), axis=0) for c in coords], axis=0)
        half = [max(surface.bounds[i][1], 1.1 * float(reach[i])) for i in range(2)]
        surface = dataclasses.replace(surface, bounds=((-half[0], half[0]), (-half[1], half[1])))
    xs, ys, z = network.slice_grid(surface, surface.bounds, n)
    _frozen(xs, ys, z, *coords, *on, *off)
    return Plane(surface, xs, ys, z, tuple(coords), tuple(on), tuple(off))


SLQ_SMALL = 500
"""Networks up to this many parameters get 8 SLQ probes of min(n, 128) Lanczos steps; larger ones 4 probes of 48
steps (the digits network: 1,024 Hessian-vector products took 3.9 s here, 192 take ~0.8 s)."""


def _network_point(config, run: int, step: int):
    """`landscapes.network.classify_point` at θ_step of run ``run``, and the SLQ density there."""
    from landscapes import network, spectrum

    theta = network_training(config)[run].params[step]
    point = network.classify_point(config.problem, theta)
    small = config.problem.n_params <= SLQ_SMALL
    density = spectrum.density(network.objective(config.problem.net), theta, probes=8 if small else 4,
                               steps=None if small else 48, data=network.data(config.problem))
    return point, density


def _network_escape(config, run: int, step: int, eps: float, steps: int):
    """From θ_step of run ``run``: the loss along the most negative eigenvector, and the run's optimizer started
    at θ and at θ + ε v for ``steps`` more steps (the escape)."""
    from landscapes import network
    from optimizers import network as train

    point, _ = network_point(config, run, step)
    theta = network_training(config)[run].params[step]
    v = point.escape
    span = max(4 * abs(eps), 1e-3)
    t, values = network.profile(config.problem, theta, v, span, 81)
    name, lr = config.runs[run]
    param = train.step_size_name(name)
    hp = {param: lr} if param else {}
    stay = train.train(config.problem, name, theta, steps, config.batch_size, config.seed, hp)
    leave = train.train(config.problem, name, theta + eps * v, steps, config.batch_size, config.seed, hp)
    _frozen(t, values)
    return t, values, stay.loss, leave.loss


def _network_boundary(config, run: int, n: int = 101):
    """P(class 1 | x) of the trained network of run ``run`` on an ``n × n`` grid around the data (2-D inputs)."""
    from landscapes import network

    X, _ = network.data(config.problem)
    lo, hi = X.min(0) - 0.3, X.max(0) + 0.3
    xs, ys = np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n)
    grid = np.stack(np.meshgrid(xs, ys), -1).reshape(-1, 2)
    p = network.probability(config.problem, network_training(config)[run].params[-1], grid).reshape(n, n)
    _frozen(xs, ys, p)
    return xs, ys, p


def _network_scores(config, run: int):
    """What run ``run`` learned, on inputs beyond 2-D (`components.network_views.Scores`): training and held-out
    accuracy, the held-out confusion matrix and the held-out rows it gets wrong (index, true, predicted)."""
    from components.network_views import Scores
    from landscapes import network

    p = config.problem
    theta = network_training(config)[run].params[-1]
    d = network.dataset(p)
    predicted = network.predict(p, theta, d.X_test) if d.y_test.size else np.zeros(0, np.int64)
    wrong = np.flatnonzero(predicted != d.y_test)
    C = network.confusion(p, theta)
    _frozen(C, wrong)
    return Scores(network.accuracy(p, theta), network.accuracy(p, theta, held_out=True), C, wrong,
                  predicted[wrong])


_network_training_cached = st.cache_resource(max_entries=16, show_spinner=False)(_network_training)
_network_plane_cached = st.cache_resource(max_entries=16, show_spinner=False)(_network_plane)
_network_point_cached = st.cache_resource(max_entries=64, show_spinner=False)(_network_point)
_network_escape_cached = st.cache_resource(max_entries=64, show_spinner=False)(_network_escape)
_network_boundary_cached = st.cache_resource(max_entries=32, show_spinner=False)(_network_boundary)
_network_scores_cached = st.cache_resource(max_entries=32, show_spinner=False)(_network_scores)
network_training = _per_session(_network_training_cached, _network_training)
network_plane = _per_session(_network_plane_cached, _network_plane)
network_point = _per_session(_network_point_cached, _network_point)
network_escape = _per_session(_network_escape_cached, _network_escape)
network_boundary = _per_session(_network_boundary_cached, _network_boundary)
network_scores = _per_session(_network_scores_cached, _network_scores)


def clear() -> None:
    """Drop every cached result of every page (tests use it to measure cold paths)."""
    for fn in (surface, grid, atlas, range_mask, classify, curvature, gradient_check, profiles, trajectory, trajectory_grid, flow,
               surface_titles, preset_hyperparams, tuning, quadratic_curvature, lr_curve, phase, search, attractors,
               basins, fair, network_training, network_plane, network_point, network_escape,
               network_boundary, network_scores):
        fn.clear()
