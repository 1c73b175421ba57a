"""Train a small network (`landscapes.network`) with any optimizer of the registry.

`train` builds the spec's optax transformation inside `landscapes.network.fit`'s compiled scan: the float
hyperparameters are traced (a new learning rate never recompiles), the switches (``bool``/``int``) are part of
the compiled program, as in `optimizers.run`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from landscapes import network

from .catalog import get


@dataclass(frozen=True)
class _Rule:
    """``spec.factory(**switches, **floats)`` as a hashable callable: equal rules share one compiled run."""

    name: str
    switches: tuple[tuple[str, Any], ...]

    def __call__(self, **floats):
        return get(self.name).factory(**dict(self.switches), **floats)


STEP_SIZES = ("learning_rate", "max_learning_rate")


def step_size_name(name: str) -> str | None:
    """The name of rule ``name``'s step-size hyperparameter (``learning_rate``, Polyak's ``max_learning_rate``),
    or None when it has none."""
    return next((h.name for h in get(name).hyperparams if h.name in STEP_SIZES), None)


def hyperparams_for(name: str, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The spec's documented defaults with ``given`` on top; unknown names are an error."""
    spec = get(name)
    values = {h.name: h.default for h in spec.hyperparams}
    unknown = set(given or {}) - set(values)
    if unknown:
        raise ValueError(f"{spec.title} has no hyperparameter {', '.join(sorted(unknown))}")
    values.update(given or {})
    return values


def train(problem: network.Problem, name: str, theta0, steps: int = 300, batch_size: int | None = None,
          seed: int = 0, hyperparams: Mapping[str, Any] | None = None) -> network.Fit:
    """Train ``problem``'s network from ``theta0`` with optimizer ``name`` (its defaults, then ``hyperparams``)
    for ``steps`` steps on mini-batches of ``batch_size`` points (None: the full batch), batches drawn from
    ``seed``.  Returns the `landscapes.network.Fit` (the whole parameter path)."""
    spec = get(name)
    values = hyperparams_for(name, hyperparams)
    kinds = {h.name: h.kind for h in spec.hyperparams}
    switches = tuple(sorted((k, v) for k, v in values.items() if kinds[k] != "float"))
    floats = {k: float(v) for k, v in values.items() if kinds[k] == "float"}
    return network.fit(problem, _Rule(name, switches), theta0, steps, batch_size, seed, floats, spec.needs)
