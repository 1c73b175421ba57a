"""The names people read for the engine's registry names: the one place a page turns ``"sgd"`` into "Gradient
descent" (menus, legends, sentences, tables), so every page says it the same way."""

from __future__ import annotations

from optimizers import catalog


def optimizer(name: str) -> str:
    """The title of optimizer ``name`` (a registry name or a chain of blocks, `optimizers.builder`)."""
    return catalog.get(name).title
