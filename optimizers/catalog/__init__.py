r"""The optimizer registry: name -> `OptimizerSpec` (update rule in LaTeX, factory, slider metadata).

Every formula uses one notation: step ``t = 1, 2, …``; ``g_t = ∇f(x_{t-1})``; ``η_t`` is the learning rate, or
``schedule(t − 1)`` when a schedule is passed as ``learning_rate`` (optax counts updates from 0); squares, roots,
``sign`` and ``max`` act per coordinate; accumulators start at zero unless the formula says otherwise.  The LaTeX is the rule that the
factory builds, read off the optax 0.2.8 source (``optax/_src/alias.py``, ``transform.py``, ``optax/contrib``).

Contract with the runner (`optimizers.run`): ``spec.factory(**hyperparams)`` is called inside ``jax.jit`` where every
``kind="float"`` hyperparameter is a traced float64 scalar and ``learning_rate`` may be an optax schedule; ``bool`` and
``int`` kinds are static Python values.  The result is an ``optax.GradientTransformation`` whose ``update`` is called
through ``optax.with_extra_args_support`` with ``value=f(x)``, ``grad=g``, ``value_fn=f`` and ``hessian=H``.

Families, one module each (as optax splits its own): ``"course"`` (`course`: the update rules of the course notes,
exactly as written there), ``"optax"`` (`optax_alias`), ``"optax.contrib"`` (`contrib`) and ``"second_order"``
(`optimizers.second_order`).  Every fact about one optimizer is a field of its `OptimizerSpec`, written where the
spec is: its formula and the formula of each switch setting, where it is known to miss or be slow
(``misses``/``budgets``, measured), whether a schedule applies, whether it acts per coordinate, and how to write
it as optax code.
"""

from __future__ import annotations

from typing import Any

from .. import second_order
from ..base import OptimizerSpec
from . import contrib, course, optax_alias

# ---------------------------------------------------------------------------------------------------------------
# Optax optimizers left out, and why (listed in the README).

EXCLUDED: dict[str, str] = {
    "optax.optimistic_adam": "deprecated in favour of optimistic_adam_v2, which the 'optimistic_adam' entry runs",
    "optax.contrib.dpsgd": "clips and noises per-example gradients: it needs a batch, and a surface has none",
    "optax.contrib.differentially_private_aggregate": "dpsgd's per-example aggregation; same reason",
    "optax.contrib.muon": "orthogonalizes matrix-shaped parameters; a 2-vector has rank 1 and optax falls back to "
    "Adam for it, so no Muon step would happen",
    "optax.contrib.galore": "low-rank projection of weight matrices; a 2-vector is not a matrix",
    "optax.contrib.schedule_free": "the generic wrapper; its two ready-made forms (SGD, AdamW) are listed",
    "optax.contrib.reduce_on_plateau": "a learning-rate scaler around another optimizer, not an optimizer",
    "optax.contrib.split_real_and_imaginary": "a wrapper for complex parameters; these are real",
}

# ---------------------------------------------------------------------------------------------------------------
# Public API.

_REGISTRY: dict[str, OptimizerSpec] | None = None


def _registry() -> dict[str, OptimizerSpec]:
    global _REGISTRY
    if _REGISTRY is None:
        entries = course.SPECS + optax_alias.SPECS + contrib.SPECS + tuple(second_order.SPECS)
        registry = {spec.name: spec for spec in entries}
        if len(registry) != len(entries):
            raise RuntimeError("two optimizer specs share a name")
        _REGISTRY = registry
    return _REGISTRY


def names() -> tuple[str, ...]:
    """Every registered optimizer name, course entries first."""
    return tuple(_registry())


def specs() -> tuple[OptimizerSpec, ...]:
    """Every registered `OptimizerSpec`, in the order of `names()`."""
    return tuple(_registry().values())


def get(name: str) -> OptimizerSpec:
    """The spec called ``name``; an unknown name raises ``KeyError`` listing the known ones.  A chain name
    (``"chain:adam-lr"``, `optimizers.builder`) is the spec built from those optax blocks."""
    try:
        return _registry()[name]
    except KeyError:
        from .. import builder  # late: the builder uses this package's slider metadata

        if builder.is_chain(name):
            try:
                return builder.spec(name)
            except ValueError as err:
                raise KeyError(str(err)) from None
        raise KeyError(f"unknown optimizer {name!r}; known: {', '.join(names())}") from None


def latex_for(name: str, **hyperparams: Any) -> str:
    """The update rule of ``name`` with its static switches (``bool``/``int`` hyperparameters) set as given.

    Unset switches take their defaults, so ``latex_for(name) == get(name).latex``.
    """
    spec = get(name)
    if spec.latex_variant is None:
        return spec.latex
    return spec.latex_variant(**{**spec.defaults(), **hyperparams})

