"""The optimizer registry runs the rules it shows.

* Course entries against independent NumPy transcriptions of the course formulas (cs231n notes; adamw and lamb from
  optax's documented rules), 200 steps on three surfaces with NumPy gradients, switches flipped too, and with a
  schedule (where optax.sgd's momentum would differ from the course's).
* optax-backed entries against the optax optimizer they name, driven step by step outside jit with plain floats.
* Every entry builds and steps inside ``jax.jit`` with traced hyperparameters and all four extra arguments.
* Registered defaults are optax's documented defaults, except the learning rates listed here with their reason.
"""

from __future__ import annotations

import collections
import functools
import inspect
import re

import jax
import jax.numpy as jnp
import numpy as np
import optax
import optax.contrib
import pytest

from optimizers import catalog, schedules
from optimizers.base import OptimizerSpec

# ---------------------------------------------------------------------------------------------------------------
# Surfaces with hand-written NumPy gradients (the course tests never ask JAX for a derivative).


def _quadratic_grad(p):
    return np.array([p[0], 10.0 * p[1]])


def _rosenbrock_grad(p):
    x, y = p
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


def _himmelblau_grad(p):
    x, y = p
    a, b = x * x + y - 11, x + y * y - 7
    return np.array([4 * x * a + 2 * b, 2 * a + 4 * y * b])


# (gradient, start, learning rate for unnormalized steps, learning rate for adaptive steps): the rates keep 200
# steps of every rule below finite and moving.
SURFACES = {
    "quadratic": (_quadratic_grad, (3.0, -2.0), 0.05, 0.1),
    "rosenbrock": (_rosenbrock_grad, (-1.2, 1.0), 5e-4, 0.02),
    "himmelblau": (_himmelblau_grad, (-0.3, -0.9), 5e-3, 0.1),
}
STEPS = 200


def _rate(t, lr, k):
    """The learning rate at update ``t`` (0-based): constant, or ``η e^{−k t}`` when ``k`` is given."""
    return lr if k is None else lr * np.exp(-k * t)


# Independent NumPy transcriptions of the formulas.  Each returns the (STEPS + 1, 2) trajectory.


def np_sgd(grad, x, lr, k=None):
    xs = [x]
    for t in range(STEPS):
        x = x - _rate(t, lr, k) * grad(x)
        xs.append(x)
    return np.array(xs)


def np_momentum(grad, x, lr, momentum, k=None):
    xs, v = [x], np.zeros(2)
    for t in range(STEPS):
        v = momentum * v - _rate(t, lr, k) * grad(x)
        x = x + v
        xs.append(x)
    return np.array(xs)


def np_nesterov(grad, x, lr, momentum, k=None):
    xs, v = [x], np.zeros(2)
    for t in range(STEPS):
        v_prev = v
        v = momentum * v - _rate(t, lr, k) * grad(x)
        x = x - momentum * v_prev + (1 + momentum) * v
        xs.append(x)
    return np.array(xs)


def np_adagrad(grad, x, lr, eps, initial_accumulator_value, eps_in_sqrt, k=None):
    xs, c = [x], np.full(2, initial_accumulator_value)
    for t in range(STEPS):
        g = grad(x)
        c = c + g * g
        x = x - _rate(t, lr, k) * g / (np.sqrt(c + eps) if eps_in_sqrt else np.sqrt(c) + eps)
        xs.append(x)
    return np.array(xs)


def np_rmsprop(grad, x, lr, decay, eps, eps_in_sqrt, k=None):
    xs, c = [x], np.zeros(2)
    for t in range(STEPS):
        g = grad(x)
        c = decay * c + (1 - decay) * g * g
        x = x - _rate(t, lr, k) * g / (np.sqrt(c + eps) if eps_in_sqrt else np.sqrt(c) + eps)
        xs.append(x)
    return np.array(xs)


def _np_adam_direction(g, m, v, t, b1, b2, eps, bias_correction=True):
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    if bias_correction:
        return m / (1 - b1**t) / (np.sqrt(v / (1 - b2**t)) + eps), m, v
    return m / (np.sqrt(v) + eps), m, v


def np_adam(grad, x, lr, b1, b2, eps, bias_correction, k=None):
    xs, m, v = [x], np.zeros(2), np.zeros(2)
    for t in range(1, STEPS + 1):
        d, m, v = _np_adam_direction(grad(x), m, v, t, b1, b2, eps, bias_correction)
        x = x - _rate(t - 1, lr, k) * d
        xs.append(x)
    return np.array(xs)


def np_adamw(grad, x, lr, b1, b2, eps, weight_decay, k=None):
    xs, m, v = [x], np.zeros(2), np.zeros(2)
    for t in range(1, STEPS + 1):
        d, m, v = _np_adam_direction(grad(x), m, v, t, b1, b2, eps)
        x = x - _rate(t - 1, lr, k) * (d + weight_decay * x)
        xs.append(x)
    return np.array(xs)


def np_lamb(grad, x, lr, b1, b2, eps, weight_decay, k=None):
    xs, m, v = [x], np.zeros(2), np.zeros(2)
    for t in range(1, STEPS + 1):
        d, m, v = _np_adam_direction(grad(x), m, v, t, b1, b2, eps)
        u = d + weight_decay * x
        norm_x, norm_u = np.linalg.norm(x), np.linalg.norm(u)
        ratio = 1.0 if norm_x == 0 or norm_u == 0 else norm_x / norm_u
        x = x - _rate(t - 1, lr, k) * ratio * u
        xs.append(x)
    return np.array(xs)


# (entry, reference, hyperparameters other than the learning rate, which rate: "plain", "adaptive" or a number).
COURSE_CASES = [
    ("sgd", np_sgd, {}, "plain"),
    ("momentum", np_momentum, {"momentum": 0.8}, "plain"),
    ("nesterov", np_nesterov, {"momentum": 0.8}, "plain"),
    ("adagrad", np_adagrad, {"eps": 1e-7, "initial_accumulator_value": 0.0, "eps_in_sqrt": False}, "adaptive"),
    ("adagrad", np_adagrad, {"eps": 1e-3, "initial_accumulator_value": 0.1, "eps_in_sqrt": True}, "adaptive"),
    ("adagrad", np_adagrad, {"eps": 1e-3, "initial_accumulator_value": 0.5, "eps_in_sqrt": False}, "adaptive"),
    ("rmsprop", np_rmsprop, {"decay": 0.9, "eps": 1e-8, "eps_in_sqrt": False}, "adaptive"),
    ("rmsprop", np_rmsprop, {"decay": 0.95, "eps": 1e-3, "eps_in_sqrt": True}, "adaptive"),
    ("adam", np_adam, {"b1": 0.9, "b2": 0.999, "eps": 1e-8, "bias_correction": True}, "adaptive"),
    ("adam", np_adam, {"b1": 0.8, "b2": 0.99, "eps": 1e-3, "bias_correction": False}, "adaptive"),
    ("adamw", np_adamw, {"b1": 0.9, "b2": 0.999, "eps": 1e-8, "weight_decay": 0.05}, "adaptive"),
    # LAMB's step is η‖x‖ long whatever g, so it bounces around a minimum; a small η keeps that bounce tame
    # (a chaotic one would amplify 1e-16 rounding differences past 1e-10 within 200 steps).
    ("lamb", np_lamb, {"b1": 0.9, "b2": 0.99, "eps": 1e-6, "weight_decay": 0.01}, 0.005),
]

# ---------------------------------------------------------------------------------------------------------------
# The runner's calling convention, compiled once per entry (and static switches): hyperparameters are traced.


def _split(spec: OptimizerSpec, hyperparams: dict):
    kinds = {h.name: h.kind for h in spec.hyperparams}
    floats = {k: jnp.float64(v) for k, v in hyperparams.items() if kinds[k] == "float"}
    static = tuple(sorted((k, v) for k, v in hyperparams.items() if kinds[k] != "float"))
    return floats, static


@functools.cache
def _stepper(name: str, static: tuple, schedule: str | None = None):
    """Jitted ``init(x, floats)`` and ``step(g, state, x, floats) -> (update, state)`` for one entry.

    With ``schedule``, ``floats["learning_rate"]`` and the schedule's parameters (prefixed ``schedule.``) build that
    schedule inside jit and it is passed as ``learning_rate``.  Gradients come from outside (NumPy); ``value_fn`` and
    ``hessian`` are JAX's, of the Rosenbrock function, only to exercise the extra-argument plumbing.
    """
    spec = catalog.get(name)

    def build(floats):
        floats = dict(floats)
        if schedule is not None:
            params = {k.split(".", 1)[1]: floats.pop(k) for k in list(floats) if k.startswith("schedule.")}
            floats["learning_rate"] = schedules.get(schedule).factory(floats["learning_rate"], STEPS, **params)
        return optax.with_extra_args_support(spec.factory(**floats, **dict(static)))

    @jax.jit
    def init(x, floats):
        return build(floats).init(x)

    @jax.jit
    def step(g, state, x, floats):
        return build(floats).update(
            g, state, x, value=_rosenbrock(x), grad=g, value_fn=_rosenbrock, hessian=jax.hessian(_rosenbrock)(x)
        )

    return init, step


def _rosenbrock(p):
    return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2


def _trajectory(name, hyperparams, grad, start, steps=STEPS, schedule=None):
    spec = catalog.get(name)
    floats, static = _split(spec, {k: v for k, v in hyperparams.items() if not k.startswith("schedule.")})
    floats.update({k: jnp.float64(v) for k, v in hyperparams.items() if k.startswith("schedule.")})
    init, step = _stepper(name, static, schedule)
    x = jnp.asarray(start, dtype=jnp.float64)
    state, xs = init(x, floats), [np.asarray(x)]
    for _ in range(steps):
        update, state = step(jnp.asarray(grad(np.asarray(x))), state, x, floats)
        x = optax.apply_updates(x, update)
        xs.append(np.asarray(x))
    return np.array(xs)


CASE_IDS = [f"{case[0]}-{i}" for i, case in enumerate(COURSE_CASES)]
# One case per entry (plus Adam without bias correction) again with η_t = η e^{−0.01 t} from the schedule registry.
SCHEDULE_CASES = [c for i, c in enumerate(COURSE_CASES) if c[0] not in [d[0] for d in COURSE_CASES[:i]]]
SCHEDULE_CASES.append(COURSE_CASES[9])


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("name, reference, hyperparams, rate", COURSE_CASES, ids=CASE_IDS)
def test_course_entry_matches_numpy_formula(name, reference, hyperparams, rate, surface):
    grad, start, plain_lr, adaptive_lr = SURFACES[surface]
    lr = {"plain": plain_lr, "adaptive": adaptive_lr}.get(rate, rate)
    expected = reference(grad, np.array(start), lr, **hyperparams)
    got = _trajectory(name, {"learning_rate": lr, **hyperparams}, grad, start)
    assert np.all(np.isfinite(expected)) and np.linalg.norm(expected[-1] - expected[0]) > 1e-2
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-10)


@pytest.mark.parametrize("name, reference, hyperparams, rate", SCHEDULE_CASES, ids=[c[0] for c in SCHEDULE_CASES])
def test_course_entry_with_a_schedule_matches_numpy_formula(name, reference, hyperparams, rate):
    # η_t enters the velocity at step t: optax.sgd(momentum=μ) would scale the whole velocity by today's η instead.
    grad, start, plain_lr, adaptive_lr = SURFACES["himmelblau"]
    lr, k = {"plain": plain_lr, "adaptive": adaptive_lr}.get(rate, rate), 0.01
    expected = reference(grad, np.array(start), lr, k=k, **hyperparams)
    got = _trajectory(name, {"learning_rate": lr, "schedule.k": k, **hyperparams}, grad, start, schedule="exponential")
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-10)


def test_course_momentum_differs_from_optax_sgd_under_a_schedule():
    # The reason course.momentum exists: same path for a constant η, a different one once η varies.
    grad, start, lr, _ = SURFACES["himmelblau"]
    schedule = schedules.get("exponential").factory(lr, STEPS, k=0.01)
    tx, x = optax.sgd(schedule, momentum=0.8), jnp.asarray(start)
    state = tx.init(x)
    for _ in range(50):
        update, state = tx.update(jnp.asarray(grad(np.asarray(x))), state)
        x = x + update
    course = np_momentum(grad, np.array(start), lr, 0.8, k=0.01)[50]
    assert np.max(np.abs(np.asarray(x) - course)) > 1e-4


def test_adagrad_switches_reproduce_optax_adagrad():
    grad, start, _, lr = SURFACES["himmelblau"]
    optax_path = _drive(optax.adagrad(lr), grad, start, 100)
    ours = _trajectory(
        "adagrad", {"learning_rate": lr, "eps": 1e-7, "initial_accumulator_value": 0.1, "eps_in_sqrt": True},
        grad, start, steps=100,
    )
    np.testing.assert_allclose(ours, optax_path, rtol=0, atol=1e-10)


def test_optax_adagrad_and_rmsprop_defaults_differ_from_the_course():
    # Why the course entries default to c₀ = 0 and ε outside the root: optax's defaults give another path.
    grad, start, _, lr = SURFACES["quadratic"]
    course = np_adagrad(grad, np.array(start), lr, 1e-7, 0.0, False)[20]
    assert np.max(np.abs(_drive(optax.adagrad(lr), grad, start, 20)[-1] - course)) > 1e-3
    course = np_rmsprop(grad, np.array(start), lr, 0.9, 1e-3, False)[20]
    assert np.max(np.abs(_drive(optax.rmsprop(lr, eps=1e-3), grad, start, 20)[-1] - course)) > 1e-4


def _drive(tx, grad, start, steps):
    x = jnp.asarray(start, dtype=jnp.float64)
    state, xs = tx.init(x), [np.asarray(x)]
    for _ in range(steps):
        update, state = tx.update(jnp.asarray(grad(np.asarray(x))), state, x)
        x = optax.apply_updates(x, update)
        xs.append(np.asarray(x))
    return np.array(xs)


# ---------------------------------------------------------------------------------------------------------------
# optax-backed entries: the entry (traced, jitted) against optax itself (eager, plain floats), step by step.

OPTAX_STEPS = 50
START = (-1.0, 1.5)


def _f(p):
    """A mild Rosenbrock: curved valley, gradients of order 10 at the start, minimum at (1, 1)."""
    return (1 - p[0]) ** 2 + 5 * (p[1] - p[0] ** 2) ** 2


# The optax function each entry stands for (its signature holds the defaults), where the name alone does not say.
OPTAX_FUNCTION = {
    "optimistic_adam": optax.optimistic_adam_v2,  # v1 is deprecated
    "mechanize": optax.contrib.mechanize,
}

# How to build an entry with optax's own API where it is not ``OPTAX_FUNCTION(**hyperparams)``.
OPTAX_BUILD = {
    "noisy_sgd": lambda **hp: optax.noisy_sgd(**hp, key=0),
    "dadapt_adamw": lambda b1, b2, **hp: optax.contrib.dadapt_adamw(betas=(b1, b2), **hp),
    "prodigy": lambda b1, b2, **hp: optax.contrib.prodigy(betas=(b1, b2), **hp),
    "mechanize": lambda learning_rate, **hp: optax.contrib.mechanize(optax.sgd(learning_rate), **hp),
    "sam": lambda learning_rate, rho: optax.contrib.sam(
        optax.sgd(learning_rate), optax.chain(optax.contrib.normalize(), optax.sgd(rho)), opaque_mode=True
    ),
}

# Extra arguments each optax update takes (the entries receive all four and must pick what they need).
OPTAX_EXTRA = {
    "lbfgs": lambda x, g: {"value": _f(x), "grad": g, "value_fn": _f},
    "polyak_sgd": lambda x, g: {"value": _f(x)},
    "momo": lambda x, g: {"value": _f(x)},
    "momo_adam": lambda x, g: {"value": _f(x)},
    "sophia": lambda x, g: {"obj_fn": _f},
    "sam": lambda x, g: {"grad_fn": lambda p, _: jax.grad(_f)(p)},
}

# Polyak steps bounce across this valley: jit-fused and eager rounding (1e-16) grow about 3x per step and pass
# 1e-10 after 20 steps, so only the first steps are compared.
CHAOTIC = {"polyak_sgd": 15}

OPTAX_ENTRIES = [s.name for s in catalog.specs() if s.family in ("optax", "optax.contrib")]


def _optax_function(name):
    return OPTAX_FUNCTION.get(name) or getattr(optax, name, None) or getattr(optax.contrib, name)


def _optax_path(name, hyperparams):
    # Floats as float64 arrays, as the runner passes them: with Python floats optax computes a few internals in
    # float32 (adafactor's β̂_t = 1 − t^(−c) and madgrad's a_t meet a float32 counter as weak-typed scalars).
    kinds = {h.name: h.kind for h in catalog.get(name).hyperparams}
    hyperparams = {k: jnp.float64(v) if kinds[k] == "float" else v for k, v in hyperparams.items()}
    tx = OPTAX_BUILD.get(name, _optax_function(name))(**hyperparams)
    extra = OPTAX_EXTRA.get(name, lambda x, g: {})

    @jax.jit
    def step(state, x):  # one optax update per call, as a training loop would drive it
        g = jax.grad(_f)(x)
        update, state = tx.update(g, state, x, **extra(x, g))
        x = optax.apply_updates(x, update)
        # schedule-free's params are the gradient points y; the entry plots the averaged iterate x.
        shown = optax.contrib.schedule_free_eval_params(state, x) if name.startswith("schedule_free") else x
        return state, x, shown

    x = jnp.asarray(START, dtype=jnp.float64)
    state, xs = tx.init(x), [np.asarray(x)]
    for _ in range(OPTAX_STEPS):
        state, x, shown = step(state, x)
        xs.append(np.asarray(shown))
    return np.array(xs)


TRACES: collections.Counter = collections.Counter()


@functools.cache
def _jitted_run(name: str, static: tuple):
    """``run(floats) -> (path with a float η, path with optax.constant_schedule(η) or None)`` from START on ``_f``.

    One jit per entry; every update gets all four extra arguments, as the runner passes them.
    """
    spec = catalog.get(name)
    schedulable = catalog.get(name).takes_schedule

    def path(tx):
        tx = optax.with_extra_args_support(tx)
        x = jnp.asarray(START, dtype=jnp.float64)

        def body(carry, _):
            x, state = carry
            value, g = jax.value_and_grad(_f)(x)
            update, state = tx.update(g, state, x, value=value, grad=g, value_fn=_f, hessian=jax.hessian(_f)(x))
            x = optax.apply_updates(x, update)
            return (x, state), x

        _, xs = jax.lax.scan(body, (x, tx.init(x)), None, length=OPTAX_STEPS)
        return jnp.concatenate([x[None], xs])

    @jax.jit
    def run(floats):
        TRACES[name] += 1
        with_float = path(spec.factory(**floats, **dict(static)))
        if not schedulable:
            return with_float, None
        scheduled = {**floats, "learning_rate": optax.constant_schedule(floats["learning_rate"])}
        return with_float, path(spec.factory(**scheduled, **dict(static)))

    return run


@pytest.mark.parametrize("name", OPTAX_ENTRIES)
def test_optax_entry_matches_optax(name):
    spec = catalog.get(name)
    hyperparams = spec.defaults()
    floats, static = _split(spec, hyperparams)
    ours, _ = _jitted_run(name, static)(floats)
    expected = _optax_path(name, hyperparams)
    assert np.all(np.isfinite(expected)) and np.linalg.norm(expected[-1] - expected[0]) > 1e-2
    steps = CHAOTIC.get(name, OPTAX_STEPS) + 1
    np.testing.assert_allclose(np.asarray(ours)[:steps], expected[:steps], rtol=1e-9, atol=1e-10)


# The plain-gradient rules' defaults are tuned to the app's default surface (λmax = 1); ``_f`` curves up to ~50, where
# they would diverge, so this plumbing test runs them at a stable η (convergence is test_convergence.py's job).
STABLE_ON_F = {"sgd": {"learning_rate": 0.01}, "momentum": {"learning_rate": 0.002},
               "nesterov": {"learning_rate": 0.002}}


@pytest.mark.parametrize("name", catalog.names())
def test_entry_steps_in_jit_with_traced_hyperparams_and_extra_args(name):
    spec = catalog.get(name)
    floats, static = _split(spec, {**spec.defaults(), **STABLE_ON_F.get(name, {})})
    run = _jitted_run(name, static)
    path, scheduled = run(floats)
    assert path.shape == (OPTAX_STEPS + 1, 2) and np.all(np.isfinite(path))
    if scheduled is not None:  # a constant schedule walks the same path as the float
        np.testing.assert_allclose(scheduled, path, rtol=1e-12, atol=1e-12)
    if floats:  # other values of the traced hyperparameters reuse the compiled run, and change the path
        other, _ = run({k: v * 0.9 for k, v in floats.items()})
        assert TRACES[name] == 1
        assert not np.allclose(other, path)


def test_rprop_and_polyak_take_no_schedule():
    assert not catalog.get("rprop").takes_schedule and not catalog.get("polyak_sgd").takes_schedule
    assert catalog.get("sgd").takes_schedule and catalog.get("schedule_free_adamw").takes_schedule
    with pytest.raises(TypeError, match="initial step"):
        catalog.get("rprop").factory(optax.constant_schedule(0.1))


# ---------------------------------------------------------------------------------------------------------------
# The registry itself.

@pytest.mark.parametrize("name", OPTAX_ENTRIES)
def test_defaults_are_optax_defaults(name):
    """Every default of an optax entry is optax's own, except the ones its spec lists in ``own_defaults`` with the
    reason (a default we chose: optax has none, or its value suits networks)."""
    spec = catalog.get(name)
    own = dict(spec.own_defaults)
    assert set(own) <= {h.name for h in spec.hyperparams} and all(own.values()), own
    parameters = inspect.signature(_optax_function(name)).parameters
    for h in spec.hyperparams:
        if h.name in own:  # still an exception: optax has no such default, or a different one
            assert h.name not in parameters or parameters[h.name].default != h.default, (name, h.name)
            continue
        if h.name == "learning_rate" and ("learning_rate" not in parameters
                                          or parameters["learning_rate"].default is inspect.Parameter.empty):
            continue  # optax makes the caller choose: there is no default to follow
        if h.name in ("b1", "b2") and "betas" in parameters:
            expected = parameters["betas"].default[h.name == "b2"]
        else:
            expected = parameters[h.name].default
        assert h.default == expected, (name, h.name)


def test_names_are_unique_url_safe_and_get_fails_clearly():
    names = catalog.names()
    assert len(set(names)) == len(names) == len(catalog.specs())
    assert all(re.fullmatch(r"[a-z0-9_]+", n) for n in names)
    assert {s.family for s in catalog.specs()} <= {"course", "optax", "optax.contrib", "second_order"}
    assert [s.name for s in catalog.specs() if s.family == "course"] == [
        "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "lamb"
    ]
    with pytest.raises(KeyError, match="adam"):
        catalog.get("adamm")


def _builders(module, names):
    """Lower-case public functions (or partials, like optax.nadam) of ``module`` among ``names``."""
    return [n for n in names if n[0].islower() and not n.startswith("scale_by_")
            and (inspect.isfunction(getattr(module, n)) or isinstance(getattr(module, n), functools.partial))]


def test_every_optax_optimizer_is_listed_or_excluded_with_a_reason():
    # optax's optimizers are the public builders of optax/_src/alias.py, plus optax.contrib's minus its helpers.
    aliases = [n for n in dir(optax._src.alias) if getattr(optax, n, None) is getattr(optax._src.alias, n)]
    helpers = {"hutchinson_estimator_diag_hessian", "normalize", "schedule_free_eval_params"}
    shipped = [f"optax.{n}" for n in _builders(optax, aliases)]
    shipped += [f"optax.contrib.{n}" for n in _builders(optax.contrib, dir(optax.contrib)) if n not in helpers]
    registered_as = {"optax.optimistic_adam_v2": "optimistic_adam"}
    missing = [q for q in shipped if registered_as.get(q, q.rsplit(".", 1)[1]) not in catalog.names()
               and q not in catalog.EXCLUDED]
    assert len(shipped) > 50 and missing == []
    assert all(catalog.EXCLUDED.values())


@pytest.mark.parametrize("spec", catalog.specs(), ids=lambda s: s.name)
def test_spec_metadata_is_usable(spec):
    assert spec.title and spec.latex and spec.reference
    assert spec.needs <= {"hessian", "value", "grad", "value_fn"}
    assert spec.converges or spec.why_not
    for h in spec.hyperparams:
        assert h.kind in ("float", "bool", "int") and h.help
        if h.kind == "float":
            assert h.min <= h.default <= h.max and (not h.log or h.min > 0), h
        if h.kind == "int":
            assert isinstance(h.default, int) and h.min <= h.default <= h.max
        if h.kind == "bool":
            assert isinstance(h.default, bool)
    assert catalog.latex_for(spec.name) == spec.latex
    assert spec.latex.count("{") == spec.latex.count("}")
    assert spec.latex.count(r"\begin{") == spec.latex.count(r"\end{")


def test_latex_for_shows_the_switches():
    assert r"\sqrt{c_t} + \epsilon" in catalog.latex_for("adagrad")
    flipped = catalog.latex_for("adagrad", eps_in_sqrt=True, initial_accumulator_value=0.1)
    assert r"\sqrt{c_t + \epsilon}" in flipped and "c_0 = 0.1" in flipped
    assert r"\sqrt{c_t + \epsilon}" in catalog.latex_for("rmsprop", eps_in_sqrt=True)
    assert r"\hat m_t" in catalog.latex_for("adam")
    assert r"\hat m_t" not in catalog.latex_for("adam", bias_correction=False)
