r"""What a user takes away from a run: per-step tables (CSV, JSON), the run's outcome in words, and optax code.

Per-step table of one run (``T`` steps, rows ``t = 0 … T``):

* ``x, y, loss, grad_norm`` at the iterate ``x_t``;
* ``update_norm = ‖x_{t+1} − x_t‖`` and ``learning_rate`` (η used by step ``t``), empty on the last row;
* ``update_ratio = ‖x_{t+1} − x_t‖ / ‖x_t‖``: the cs231n "babysitting" signal (weights-to-updates ratio, about
  1e-3 in a healthy network; ``shared/seeds/003_*``), empty where ``x_t = 0``;
* ``distance_to_minimum = min_m ‖x_t − m‖`` over the known minima, empty when none is known.

`optax_code` writes a runnable snippet that builds the same optimizer with the same hyperparameters (and schedule)
and the loop the app runs (float64, same Gaussian gradient noise).  The app only *shows* it; a test executes it
and compares the iterates with the engine's.  No code is ever executed by the app.
"""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any, Callable, Mapping, NamedTuple, Sequence

import numpy as np

from optimizers import analytic, catalog

COLUMNS = ("step", "x", "y", "loss", "grad_norm", "update_norm", "learning_rate", "update_ratio",
           "distance_to_minimum")


# ------------------------------------------------------------------------------------------------ tables
def table(traj: Any, minima: Sequence[Sequence[float]] = ()) -> dict[str, np.ndarray]:
    """The per-step columns of one run (see the module docstring), each of length ``T + 1`` (NaN = empty)."""
    xy = np.asarray(traj.xy, np.float64).reshape(-1, 2)
    n = len(xy)
    pad = lambda a: np.concatenate([np.asarray(a, np.float64).reshape(-1)[: n - 1], np.full(1, np.nan)])  # noqa: E731
    update = pad(traj.update_norm)
    norm = np.linalg.norm(xy, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(norm > 0, update / norm, np.nan)
    mins = np.asarray(minima, np.float64).reshape(-1, 2)
    distance = (np.min(np.linalg.norm(xy[:, None, :] - mins[None, :, :], axis=2), axis=1) if len(mins)
                else np.full(n, np.nan))
    return {"step": np.arange(n), "x": xy[:, 0], "y": xy[:, 1], "loss": np.asarray(traj.loss, np.float64),
            "grad_norm": np.asarray(traj.grad_norm, np.float64), "update_norm": update,
            "learning_rate": pad(traj.learning_rate), "update_ratio": ratio, "distance_to_minimum": distance}


def log_axis_losses(losses: Sequence[np.ndarray], reference: float | None = None) -> tuple[list[np.ndarray], str | None]:
    """Losses ready for a log axis.  If any value is ``<= 0`` every curve is shifted to ``f − f_ref``, with
    ``f_ref`` the lower of ``reference`` (e.g. the global minimum's value) and the lowest loss seen, and floored
    at ``1e-16 · max(1, |f_ref|)``; the note says so.  Otherwise the losses are returned as they are, note None."""
    arrays = [np.asarray(l, np.float64) for l in losses]
    finite = np.concatenate([a[np.isfinite(a)] for a in arrays]) if arrays else np.zeros(0)
    if finite.size == 0 or finite.min() > 0:
        return arrays, None
    ref = float(finite.min()) if reference is None else min(float(reference), float(finite.min()))
    floor = 1e-16 * max(1.0, abs(ref))
    note = (f"Some losses are ≤ 0, so the log axis shows f − c with c = {ref:.6g} "
            f"({'the lower of the known minimum value and ' if reference is not None else ''}the lowest loss seen), "
            f"floored at {floor:.1e}.")
    return [np.maximum(a - ref, floor) for a in arrays], note


def _cell(v: float) -> str:
    return "" if not np.isfinite(v) else repr(float(v))


def to_csv(tables: Mapping[str, Mapping[str, np.ndarray]]) -> str:
    """Long format: one row per optimizer and step, columns ``optimizer`` then `COLUMNS` (empty cell = none)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("optimizer",) + COLUMNS)
    for name, cols in tables.items():
        for row in zip(*(cols[c] for c in COLUMNS)):
            writer.writerow((name, int(row[0])) + tuple(_cell(v) for v in row[1:]))
    return out.getvalue()


def to_json(tables: Mapping[str, Mapping[str, np.ndarray]], config: Mapping[str, Any] | None = None,
            outcomes: Mapping[str, str] | None = None) -> str:
    """``{"config": {...}, "runs": {name: {"outcome": str, column: [values, null for none]}}}``."""
    runs = {}
    for name, cols in tables.items():
        run = {"outcome": (outcomes or {}).get(name, "")}
        for c in COLUMNS:
            values = np.asarray(cols[c], np.float64)
            run[c] = [int(v) for v in values] if c == "step" else [float(v) if np.isfinite(v) else None
                                                                  for v in values]
        runs[name] = run
    return json.dumps({"config": dict(config or {}), "runs": runs}, allow_nan=False)


# ------------------------------------------------------------------------------------------------ outcomes
class Outcome(NamedTuple):
    """A run's outcome: ``status`` is a short word for the player's readout (converged, diverged, stalled,
    moving), ``text`` the sentence for the page."""

    status: str
    text: str


def _f(v: float) -> str:
    return f"{v:.3g}"


def stability_limit(name: str, hyperparams: Mapping[str, Any]) -> tuple[float, str] | None:
    """The largest stable ``η·λ`` of the rule on a quadratic with curvature ``λ``, when it is known in closed form.

    Gradient descent ``x ← x − ηλx``: ``|1 − ηλ| < 1`` ⇔ ``ηλ < 2``.  Heavy ball (``momentum``), characteristic
    polynomial ``z² − (1 + μ − ηλ) z + μ``: ``ηλ < 2(1 + μ)``.  Nesterov, ``z² − (1 + μ)(1 − ηλ) z + μ(1 − ηλ)``:
    ``ηλ < 2(1 + μ)/(1 + 2μ)``.  (Polyak 1964; Sutskever et al. 2013; cs231n notes.)
    """
    mu = float(hyperparams.get("momentum", 0.9))
    limit = analytic.learning_rate_limit(name, 1.0, momentum=mu)  # the η limit at λ = 1 is the ηλ limit
    if limit is None:
        return None
    formula = {"sgd": "2", "momentum": "2(1 + μ)", "nesterov": "2(1 + μ)/(1 + 2μ)"}[name]
    return limit, formula if name == "sgd" else f"{formula} = {_f(limit)}"


def divergence_cause(name: str, hyperparams: Mapping[str, Any], traj: Any, start_eigenvalues: Sequence[float],
                     scheduled: bool = False) -> str:
    """Why a run probably diverged, in words: an unbounded-below surface, or a step too large for the curvature
    ``λmax`` (the Hessian's largest eigenvalue at the start point)."""
    k = int(traj.diverged_at)
    loss = np.asarray(traj.loss, np.float64)
    last = loss[max(k - 1, 0)]
    if k > 1 and np.isfinite(last) and last < loss[0] and last < -1e3 * max(1.0, abs(loss[0])):
        return "the loss fell without bound: the surface has no minimum in the direction the run took"
    lam = float(max(start_eigenvalues))
    eta = hyperparams.get("learning_rate")
    if eta is None or not isinstance(eta, (int, float)) or isinstance(eta, bool):
        return f"the steps grew until the iterate left the range the engine accepts (λmax = {_f(lam)} at the start)"
    eta = float(eta)
    if lam <= 0:
        return (f"the start lies where f curves down (λmax = {_f(lam)} ≤ 0), so the steps keep growing as the run "
                f"slides away")
    limit = stability_limit(name, hyperparams)
    product = eta * lam
    if limit is not None and not scheduled:
        bound, expr = limit
        if product > bound:
            return (f"η·λmax = {_f(eta)}·{_f(lam)} = {_f(product)} > {expr} at the start point (λmax: the Hessian's "
                    f"largest eigenvalue there), so each step overshoots along the steepest direction; "
                    f"stable only for η < {_f(bound / lam)}")
        return (f"η·λmax = {_f(product)} is below the limit {expr} at the start, but the curvature grows along the "
                f"path (λmax is larger where the run went)")
    return (f"the step size is probably too large for the curvature: η = {_f(eta)}, and at the start "
            f"λmax = {_f(lam)}, where plain gradient descent would need η < {_f(2 / lam)}")


def outcome(traj: Any, *, end_kind: str, critical: Sequence[tuple[tuple[float, float], str]],
            global_minima: Sequence[Sequence[float]], box_diagonal: float, name: str = "",
            hyperparams: Mapping[str, Any] | None = None, start_eigenvalues: Sequence[float] = (0.0, 0.0),
            scheduled: bool = False) -> Outcome:
    """The run's outcome in words.

    ``end_kind`` is the second-derivative test's verdict at the last iterate; ``critical`` lists the surface's
    critical points as ``((x, y), kind)``.  A point counts as *near* when it lies within ``1e-3`` of the box
    diagonal.  Diverged: "diverged at step k" with `divergence_cause`.  Converged (the runner's ``converged_at``:
    gradient and step both vanished): "converged to a minimum / saddle point / maximum at step k".  Otherwise
    "stalled at a saddle" (near one, and barely moving) or "still moving".
    """
    hyperparams = hyperparams or {}
    xy = np.asarray(traj.xy, np.float64).reshape(-1, 2)
    end = xy[-1]
    steps = len(xy) - 1
    near = 1e-3 * box_diagonal
    if traj.status == "diverged" or int(traj.diverged_at) >= 0:
        k = int(traj.diverged_at)
        return Outcome("diverged", f"diverged at step {k}: "
                                   f"{divergence_cause(name, hyperparams, traj, start_eigenvalues, scheduled)}.")
    is_global = any(np.hypot(*(end - np.asarray(m))) <= near for m in global_minima)
    if int(traj.converged_at) >= 0:
        k = int(traj.converged_at)
        words = {
            "minimum": ("converged to the global minimum" if is_global else
                        "converged to a local minimum" if global_minima else "converged to a minimum"),
            "saddle": "converged to a saddle point (the gradient vanishes there too)",
            "maximum": "converged to a maximum (the gradient vanishes there too)",
            "degenerate": "converged to a degenerate critical point (the second-derivative test is inconclusive)",
        }
        text = words.get(end_kind, "stopped moving, though the gradient there is not quite zero")
        return Outcome("converged", f"{text} at step {k}.")
    nearest_kind, nearest_d, nearest_xy = None, math.inf, None
    for point, kind in critical:
        d = float(np.hypot(*(end - np.asarray(point))))
        if d < nearest_d:
            nearest_kind, nearest_d, nearest_xy = kind, d, np.asarray(point, np.float64)
    update = np.asarray(traj.update_norm, np.float64)
    recent = float(np.mean(update[-max(1, steps // 10):])) if update.size else 0.0
    if (nearest_kind == "saddle" and nearest_d <= 10 * near) or end_kind == "saddle":
        if recent <= near:
            return Outcome("stalled", f"stalled at a saddle after {steps} steps (steps of about {_f(recent)} "
                                      f"near the saddle point; the gradient there is almost zero).")
    if nearest_kind == "minimum" and nearest_d <= 10 * near:
        nearest_is_global = any(np.hypot(*(nearest_xy - np.asarray(m))) <= near for m in global_minima)
        where = "the global minimum" if nearest_is_global else "a local minimum"
        return Outcome("moving", f"still moving after {steps} steps, close to {where} "
                                 f"(distance {_f(nearest_d)}) but not converged yet.")
    return Outcome("moving", f"still moving after {steps} steps (last steps of about {_f(recent)}).")


# ------------------------------------------------------------------------------------------------ optax code
def _value(v: Any) -> str:
    if isinstance(v, bool):
        return repr(v)
    if isinstance(v, (int, np.integer)):
        return repr(int(v))
    return repr(float(v))


def _kwargs(hp: Mapping[str, Any], skip: Sequence[str] = ("learning_rate",), rename: Mapping[str, str] = {}) -> str:
    return ", ".join(f"{rename.get(k, k)}={_value(v)}" for k, v in hp.items() if k not in skip)


def _call_kwargs(hp: Mapping[str, Any]) -> str:
    """Every hyperparameter as a keyword argument, ``learning_rate`` by name (it may be a schedule)."""
    rest = _kwargs(hp)
    return ", ".join((["learning_rate=learning_rate"] if "learning_rate" in hp else []) + ([rest] if rest else []))


_ADAGRAD_TX = '''
def scale_by_adagrad(eps, initial_accumulator_value):
    """c <- c + g**2; g / (sqrt(c) + eps): the course form (optax.scale_by_rss puts eps inside the root)."""

    def init(params):
        return jnp.full_like(params, initial_accumulator_value)

    def update(updates, c, params=None):
        c = c + updates * updates
        return updates / (jnp.sqrt(c) + eps), c

    return optax.GradientTransformation(init, update)
'''

_ADAM_TX = '''
def scale_by_uncorrected_adam(b1, b2, eps):
    """m / (sqrt(v) + eps) without bias correction (optax.scale_by_adam always corrects)."""

    def init(params):
        return (jnp.zeros_like(params), jnp.zeros_like(params))

    def update(updates, state, params=None):
        m, v = state
        m = b1 * m + (1 - b1) * updates
        v = b2 * v + (1 - b2) * updates * updates
        return m / (jnp.sqrt(v) + eps), (m, v)

    return optax.GradientTransformation(init, update)
'''


class _Recipe(NamedTuple):
    """How to write one optimizer: ``tx`` (an expression using the name ``learning_rate``), helper code, the extra
    keyword arguments of ``update`` (name -> expression in ``f``, ``value``, ``grad``, ``params``), and
    ``report``: the expression for the plotted iterate when it is not ``params``."""

    tx: str
    helpers: str = ""
    extras: tuple[tuple[str, str], ...] | None = None  # None: from spec.needs
    report: str | None = None
    gradient_at_params_without_noise: bool = False


def _adagrad(hp):
    if hp["eps_in_sqrt"]:
        return _Recipe(f"optax.chain(optax.scale_by_rss(initial_accumulator_value="
                       f"{_value(hp['initial_accumulator_value'])}, eps={_value(hp['eps'])}), "
                       f"optax.scale_by_learning_rate(learning_rate))")
    return _Recipe(f"optax.chain(scale_by_adagrad(eps={_value(hp['eps'])}, initial_accumulator_value="
                   f"{_value(hp['initial_accumulator_value'])}), optax.scale_by_learning_rate(learning_rate))",
                   _ADAGRAD_TX)


def _adam(hp):
    if hp["bias_correction"]:
        return _Recipe(f"optax.adam(learning_rate, {_kwargs(hp, ('learning_rate', 'bias_correction'))})")
    return _Recipe(f"optax.chain(scale_by_uncorrected_adam(b1={_value(hp['b1'])}, b2={_value(hp['b2'])}, "
                   f"eps={_value(hp['eps'])}), optax.scale_by_learning_rate(learning_rate))", _ADAM_TX)


def _schedule_free(kind):
    def recipe(hp):
        return _Recipe(f"optax.contrib.schedule_free_{kind}(learning_rate, {_kwargs(hp)})",
                       report="optax.contrib.schedule_free_eval_params(state, params)", extras=(),
                       gradient_at_params_without_noise=True)
    return recipe


_RECIPES: dict[str, Callable[[dict], _Recipe]] = {
    "momentum": lambda hp: _Recipe(f"optax.chain(optax.scale_by_learning_rate(learning_rate), "
                                   f"optax.trace(decay={_value(hp['momentum'])}))"),
    # trace(nesterov=True) returns u + μ v' with v' = u + μ v: the course's −μ v + (1 + μ) v', rearranged.
    "nesterov": lambda hp: _Recipe(f"optax.chain(optax.scale_by_learning_rate(learning_rate), "
                                   f"optax.trace(decay={_value(hp['momentum'])}, nesterov=True))"),
    "adagrad": _adagrad,
    "adam": _adam,
    "lbfgs": lambda hp: _Recipe(f"optax.lbfgs(learning_rate, {_kwargs(hp)})",
                                extras=(("value", "value"), ("grad", "grad"), ("value_fn", "f"))),
    "noisy_sgd": lambda hp: _Recipe(f"optax.noisy_sgd(learning_rate, {_kwargs(hp)}, key=0)"),
    "optimistic_adam": lambda hp: _Recipe(f"optax.optimistic_adam_v2(learning_rate, {_kwargs(hp)})"),
    "rprop": lambda hp: _Recipe(f"optax.rprop(learning_rate, {_kwargs(hp)})"),
    "sm3": lambda hp: _Recipe(f"optax.chain(optax.scale_by_sm3(b1={_value(hp['momentum'])}), "
                              f"optax.scale_by_learning_rate(learning_rate))"),
    "dadapt_adamw": lambda hp: _Recipe(
        f"optax.contrib.dadapt_adamw(learning_rate, betas=({_value(hp['b1'])}, {_value(hp['b2'])}), "
        f"{_kwargs(hp, ('learning_rate', 'b1', 'b2'))})"),
    "prodigy": lambda hp: _Recipe(
        f"optax.contrib.prodigy(learning_rate, betas=({_value(hp['b1'])}, {_value(hp['b2'])}), "
        f"{_kwargs(hp, ('learning_rate', 'b1', 'b2'))})"),
    "mechanize": lambda hp: _Recipe(f"optax.contrib.mechanize(optax.sgd(learning_rate), {_kwargs(hp)})"),
    "sophia": lambda hp: _Recipe(f"optax.contrib.sophia(learning_rate, {_kwargs(hp)})", extras=(("obj_fn", "f"),)),
    # optax's SAM recipe in opaque mode: the adversary is normalized SGD ascent of radius rho.
    "sam": lambda hp: _Recipe(
        f"optax.contrib.sam(optax.sgd(learning_rate), optax.chain(optax.contrib.normalize(), "
        f"optax.sgd({_value(hp['rho'])})), sync_period=2, opaque_mode=True)",
        extras=(("grad_fn", "lambda p, _: jax.grad(f)(p)"),)),
    "schedule_free_sgd": _schedule_free("sgd"),
    "schedule_free_adamw": _schedule_free("adamw"),
}


def _public_optax_path(fn: Any) -> str | None:
    import optax
    import optax.contrib

    for module, prefix in ((optax, "optax"), (optax.contrib, "optax.contrib")):
        name = getattr(fn, "__name__", None)
        if name and getattr(module, name, None) is fn:
            return f"{prefix}.{name}"
    return None


def _recipe(name: str, hp: dict) -> _Recipe:
    spec = catalog.get(name)
    if name in _RECIPES:
        return _RECIPES[name](hp)
    path = _public_optax_path(spec.factory)
    if path is not None:
        return _Recipe(f"{path}({_call_kwargs(hp)})")
    module, fn_name = getattr(spec.factory, "__module__", ""), getattr(spec.factory, "__name__", "<lambda>")
    if fn_name != "<lambda>" and not fn_name.startswith("_") and module.startswith("optimizers."):
        # Not in optax: this repository's own optax transformation (importable from the repository root).
        helpers = f"\nfrom {module} import {fn_name}  # not part of optax: an optax transformation of this app\n"
        return _Recipe(f"{fn_name}({_call_kwargs(hp)})", helpers)
    helpers = "\nfrom optimizers import catalog  # no plain optax equivalent: the app's own factory\n"
    return _Recipe(f"catalog.get({name!r}).factory({_call_kwargs(hp)})", helpers)


def schedule_code(name: str | None, learning_rate: float, steps: int, params: Mapping[str, Any] | None = None) -> str:
    """Python for ``learning_rate = …``: the float, an optax schedule builder, or the closed form as a lambda
    (for the schedules optax has no builder for), equal to `optimizers.schedules` at every step ``t < steps``."""
    eta = float(learning_rate)
    if name in (None, "constant"):
        return f"learning_rate = {eta!r}"
    from optimizers import schedules

    p = {**schedules.get(name).defaults(), **dict(params or {})}
    n = int(steps)
    # optax's builders compute in float32 for an int32 step counter: feed them a float64 count, as the app does.
    as_float64 = "\nlearning_rate = lambda count: schedule(jnp.asarray(count, jnp.float64))  # float64, as the app"
    if name == "step":
        interval = max(1, math.floor(p["period"] * n))
        return (f"schedule = optax.exponential_decay(init_value={eta!r}, transition_steps={interval}, "
                f"decay_rate={float(p['decay_rate'])!r}, staircase=True){as_float64}")
    if name == "exponential":
        return f"learning_rate = lambda count: {eta!r} * jnp.exp(-{float(p['k'])!r} * count)"
    if name == "inverse_time":
        return f"learning_rate = lambda count: {eta!r} / (1 + {float(p['k'])!r} * count)"
    if name == "warmup_cosine":
        warm = math.floor(p["warmup"] * n)
        return (f"schedule = optax.warmup_cosine_decay_schedule(init_value=0.0, peak_value={eta!r}, "
                f"warmup_steps={warm}, decay_steps={n}, end_value={float(p['alpha']) * eta!r}){as_float64}")
    if name == "cyclical":
        half = n / (2 * float(p["cycles"]))
        low = float(p["min_ratio"]) * eta
        return (f"def learning_rate(count):  # triangular cycle between {low!r} and {eta!r}, half-period {half!r}\n"
                f"    distance = jnp.abs(count / {half!r} - 2 * jnp.floor(1 + count / {2 * half!r}) + 1)\n"
                f"    return {low!r} + {eta - low!r} * jnp.maximum(0.0, 1 - distance)")
    if name == "one_cycle":
        return (f"schedule = optax.cosine_onecycle_schedule(transition_steps={n}, peak_value={eta!r}, "
                f"pct_start={float(p['pct_start'])!r}, div_factor={float(p['div_factor'])!r}, "
                f"final_div_factor={float(p['final_div_factor'])!r}){as_float64}")
    raise ValueError(f"no optax code for schedule {name!r}")


def optax_code(name: str, hyperparams: Mapping[str, Any] | None = None, *, schedule: str | None = None,
               schedule_params: Mapping[str, Any] | None = None, steps: int = 200,
               start: Sequence[float] = (0.0, 0.0), noise: float = 0.0, seed: int = 0) -> str:
    """A runnable snippet: ``tx`` (the optimizer ``name`` with these hyperparameters, and the schedule when the
    optimizer accepts one) and ``run(f, start, steps, noise, seed)``, the loop the app runs, returning the
    ``(steps + 1, 2)`` iterates of ``f: (2,) -> ()`` in float64."""
    spec = catalog.get(name)
    hp = {**spec.defaults(), **dict(hyperparams or {})}
    recipe = _recipe(name, hp)
    scheduled = schedule not in (None, "constant") and catalog.accepts_schedule(name)
    lines = [f"# {spec.title} with the app's hyperparameters: {spec.reference or spec.family}",
             "import jax", "import jax.numpy as jnp", "import optax", "",
             'jax.config.update("jax_enable_x64", True)  # the app computes in float64']
    if recipe.helpers:
        lines.append(recipe.helpers.rstrip("\n"))
    lines.append("")
    if "learning_rate" in hp:
        lines.append(schedule_code(schedule if scheduled else None, hp["learning_rate"], steps, schedule_params))
    lines.append(f"tx = {recipe.tx}")
    extras = recipe.extras
    if extras is None:
        table_ = {"value": "value", "grad": "grad", "value_fn": "f", "hessian": "jax.hessian(f)(params)"}
        extras = tuple((k, table_[k]) for k in ("value", "grad", "value_fn", "hessian") if k in spec.needs)
    call_extras = "".join(f", {k}={v}" for k, v in extras)
    x0, y0 = (float(v) for v in start)
    noisy = float(noise) != 0.0 and not recipe.gradient_at_params_without_noise
    body = [
        "",
        "",
        f"def run(f, start=({x0!r}, {y0!r}), steps={int(steps)}, noise={float(noise)!r}, seed={int(seed)}):",
        '    """Iterates x_0 .. x_steps of tx on f (a JAX function of a (2,) array), as the app runs them."""',
        "    value_and_grad = jax.value_and_grad(f)",
        "    key = jax.random.key(seed)",
        "    params = jnp.asarray(start, dtype=jnp.float64)",
        "    state = tx.init(params)",
        "    path = [params]",
        "    for t in range(steps):",
        "        value, grad = value_and_grad(params)",
    ]
    if noisy:
        body.append("        grad = grad + noise * jax.random.normal(jax.random.fold_in(key, t), params.shape, "
                    "params.dtype)")
    body += [
        f"        updates, state = tx.update(grad, state, params{call_extras})",
        "        params = optax.apply_updates(params, updates)",
        f"        path.append({recipe.report or 'params'})",
        "    return jnp.stack(path)",
        "",
        "",
        "# path = run(lambda xy: (1 - xy[0]) ** 2 + 100 * (xy[1] - xy[0] ** 2) ** 2)  # e.g. Rosenbrock",
    ]
    if recipe.gradient_at_params_without_noise and float(noise) != 0.0:
        body.insert(-1, "# (schedule-free methods take their gradient at their own point y: the app adds no noise "
                        "there either)")
    return "\n".join(lines + body) + "\n"
