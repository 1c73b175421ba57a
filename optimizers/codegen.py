r"""Plain optax code for an optimizer run: "copy as optax code" on the Compare page.

`optax_code` writes a runnable snippet that builds the same optimizer with the same hyperparameters (and schedule)
and the loop the app runs (float64, same Gaussian gradient noise).  The app only *shows* it; a test executes it
and compares the iterates with the engine's.  No code is ever executed by the app.

What to write comes from the registries, not from a table here: an `OptimizerSpec` whose ``factory`` is a public
optax function is written as that call; one that is not carries ``spec.code``, a function of its hyperparameters
returning a `Recipe` (defined next to the spec in `optimizers.catalog`); a schedule carries ``ScheduleSpec.code``
(`optimizers.schedules`).
"""

from __future__ import annotations

from typing import Any, Mapping, NamedTuple, Sequence

import numpy as np

from .base import schedule_applies


class Recipe(NamedTuple):
    """How to write one optimizer: ``tx`` (an expression using the name ``learning_rate``), helper code, the extra
    keyword arguments of ``update`` (name -> expression in ``f``, ``value``, ``grad``, ``params``), and
    ``report``: the expression for the plotted iterate when it is not ``params``."""

    tx: str
    helpers: str = ""
    extras: tuple[tuple[str, str], ...] | None = None  # None: from spec.needs
    report: str | None = None
    gradient_at_params_without_noise: bool = False


def value(v: Any) -> str:
    """A hyperparameter as a Python literal: bools and ints as such, everything else as a float."""
    if isinstance(v, bool):
        return repr(v)
    if isinstance(v, (int, np.integer)):
        return repr(int(v))
    return repr(float(v))


def kwargs(hp: Mapping[str, Any], skip: Sequence[str] = ("learning_rate",), rename: Mapping[str, str] = {}) -> str:
    """``name=value, …`` for the hyperparameters not in ``skip`` (renamed by ``rename``)."""
    return ", ".join(f"{rename.get(k, k)}={value(v)}" for k, v in hp.items() if k not in skip)


def call_kwargs(hp: Mapping[str, Any]) -> str:
    """Every hyperparameter as a keyword argument, ``learning_rate`` by name (it may be a schedule)."""
    rest = kwargs(hp)
    return ", ".join((["learning_rate=learning_rate"] if "learning_rate" in hp else []) + ([rest] if rest else []))


def _public_optax_path(fn: Any) -> str | None:
    import optax
    import optax.contrib

    for module, prefix in ((optax, "optax"), (optax.contrib, "optax.contrib")):
        name = getattr(fn, "__name__", None)
        if name and getattr(module, name, None) is fn:
            return f"{prefix}.{name}"
    return None


def _recipe(spec, hp: dict) -> Recipe:
    name = spec.name
    if spec.code is not None:
        return spec.code(hp)
    path = _public_optax_path(spec.factory)
    if path is not None:
        return Recipe(f"{path}({call_kwargs(hp)})")
    module, fn_name = getattr(spec.factory, "__module__", ""), getattr(spec.factory, "__name__", "<lambda>")
    if fn_name != "<lambda>" and not fn_name.startswith("_") and module.startswith("optimizers."):
        # Not in optax: this repository's own optax transformation (importable from the repository root).
        helpers = f"\nfrom {module} import {fn_name}  # not part of optax: an optax transformation of this app\n"
        return Recipe(f"{fn_name}({call_kwargs(hp)})", helpers)
    helpers = "\nfrom optimizers import catalog  # no plain optax equivalent: the app's own factory\n"
    return Recipe(f"catalog.get({name!r}).factory({call_kwargs(hp)})", helpers)


def schedule_code(name: str | None, learning_rate: float, steps: int, params: Mapping[str, Any] | None = None) -> str:
    """Python for ``learning_rate = …``: the float, or the schedule's own ``code`` (`optimizers.schedules`), equal
    to the app's schedule at every step ``t < steps``."""
    eta = float(learning_rate)
    if name in (None, "constant"):
        return f"learning_rate = {eta!r}"
    from . import schedules

    spec = schedules.get(name)
    if spec.code is None:
        raise ValueError(f"no optax code for schedule {name!r}")
    return spec.code(eta, int(steps), {**spec.defaults(), **dict(params or {})})


def optax_code(name: str, hyperparams: Mapping[str, Any] | None = None, *, schedule: str | None = None,
               schedule_params: Mapping[str, Any] | None = None, steps: int = 200,
               start: Sequence[float] = (0.0, 0.0), noise: float = 0.0, seed: int = 0,
               surface: tuple[str, str] | None = None) -> str:
    """A runnable snippet: ``tx`` (the optimizer ``name`` with these hyperparameters, and the schedule when the
    optimizer accepts one) and ``run(f, start, steps[, noise, seed])``, the loop the app runs, returning the
    ``(steps + 1, 2)`` iterates of ``f: (2,) -> ()`` in float64 (``noise`` and ``seed`` only when σ ≠ 0: the
    app's σ = 0 run draws no random numbers).  ``surface`` is ``(title, code defining f(xy))``
    (`landscapes.source.python_code`): the snippet then ends by running ``tx`` on it."""
    from . import catalog  # late: the catalog's specs import `Recipe` from here

    spec = catalog.get(name)
    hp = {**spec.defaults(), **dict(hyperparams or {})}
    recipe = _recipe(spec, hp)
    scheduled = schedule_applies(spec, schedule)
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
    noise_args = f", noise={float(noise)!r}, seed={int(seed)}" if noisy else ""
    body = [
        "",
        "",
        f"def run(f, start=({x0!r}, {y0!r}), steps={int(steps)}{noise_args}):",
        '    """Iterates x_0 .. x_steps of tx on f (a JAX function of a (2,) array), as the app runs them."""',
        "    value_and_grad = jax.value_and_grad(f)",
        *(["    key = jax.random.key(seed)"] if noisy else []),
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
    ]
    if surface is not None:
        title, code = surface
        body += ["", "", f"# The surface: {title}", code.rstrip("\n"), "", "", "path = run(f)"]
    else:
        body += ["", "", "# path = run(f)  # f: a JAX function of a (2,) array"]
    if recipe.gradient_at_params_without_noise and float(noise) != 0.0:
        body.insert(-1, "# (schedule-free methods take their gradient at their own point y: the app adds no noise "
                        "there either)")
    return "\n".join(lines + body) + "\n"
