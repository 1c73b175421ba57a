"""The names people read for the engine's registry names and verdicts: the one place a page turns ``"sgd"`` into
"Gradient descent" and ``"saddle"`` into "saddle point" (menus, legends, sentences, tables), in the visitor's
language (`components.i18n`), so every page says it the same way."""

from __future__ import annotations

from components.i18n import N_, t
from optimizers import builder, catalog

KINDS = {"minimum": N_("minimum"), "maximum": N_("maximum"), "saddle": N_("saddle"),
         "degenerate": N_("degenerate"), "regular": N_("not a critical point"), "start": N_("start"),
         "out_of_range": N_("outside float64's range")}
"""A point's verdict (`landscapes.base.KINDS`, and "regular", "out_of_range") and the start marker, as a word."""


def optimizer(name: str) -> str:
    """The title of optimizer ``name`` (a registry name, or a chain of blocks, `optimizers.builder`)."""
    if builder.is_chain(name):
        try:
            blocks = " → ".join(builder.BLOCKS[c].title for c in builder.codes_of(name))
        except ValueError:
            return catalog.get(name).title  # raises the registry's own error for an invalid chain
        return t("Built: {blocks}", blocks=blocks)
    return t(catalog.get(name).title)


def kind(name: str) -> str:
    """A verdict or marker kind as a word."""
    return t(KINDS[name]) if name in KINDS else name


def help_text(text: str) -> str:
    """A registry's help text in the visitor's language.  A built chain's slider help is "<block>: <help>"
    (`optimizers.builder.spec`): the block is an optax name, kept; the help is the block's registry text."""
    block, sep, rest = text.partition(": ")
    if sep and block in {b.title for b in builder.BLOCKS.values()}:
        return f"{block}: {t(rest)}"
    return t(text)


def reference(name: str) -> str:
    """Where optimizer ``name``'s rule comes from (a built chain: the optax call it is)."""
    if builder.is_chain(name):
        chain = ", ".join(builder.BLOCKS[c].title for c in builder.codes_of(name))
        return t("built from optax blocks: optax.chain({blocks})", blocks=chain)
    return t(catalog.get(name).reference)
