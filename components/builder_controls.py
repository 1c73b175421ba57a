"""The "Build your own optimizer" section of a sidebar: optax blocks picked in order, presets that rebuild the
course's optimizers, the chain's update rule, and a note when it is a catalog optimizer (`optimizers.builder`).

The chain is one widget, ``<page>.chain`` (its URL form is the block codes in order, e.g. ``adam,wd,lr``: unknown
codes are dropped and more than `builder.MAX_BLOCKS` cut, each with a notice, as for every multiselect); its numbers
are the built optimizer's own sliders, ``<page>.chain:adam-wd-lr.<hyperparameter>``, made by the page like any
other optimizer's, because the chain's name is an optimizer name (`optimizers.catalog.get` resolves it).
"""

from __future__ import annotations

import streamlit as st

from components import controls, titles
from components.i18n import t
from optimizers import builder, catalog

NONE = ""


def _chain_key(page: str) -> str:
    return f"{page}.chain"


def _apply_preset(page: str) -> None:
    """Preset callback (before the widgets exist): set the blocks and forget the chain's old slider values, so it
    opens with its catalog twin's."""
    picked = st.session_state.get(f"_{page}.chain_preset", NONE)
    if picked == NONE:
        return
    codes = builder.PRESETS[picked].codes
    prefix = f"{page}.{builder.name(codes)}."
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix)]:
        del st.session_state[key]
    st.session_state[_chain_key(page)] = list(codes)
    st.session_state[f"_{page}.chain_preset"] = NONE


def problem_text(code: str, detail) -> str:
    """One sentence per `builder.problems` code."""
    return {
        "unknown": lambda: t("Unknown block(s) {blocks}.", blocks=", ".join(map(str, detail))),
        "repeated": lambda: t("Each block may appear once ({blocks} twice).", blocks=", ".join(detail)),
        "too_many": lambda: t("At most {most} blocks, not {count}.", most=builder.MAX_BLOCKS, count=detail),
        "empty": lambda: t("Pick blocks, or start from a preset, to build an optimizer."),
        "no_lr": lambda: t("Add scale_by_learning_rate: optax adds the updates to the parameters, and only that "
                           "block turns the direction into a step downhill (−η)."),
    }[code]()


def section(page: str) -> str | None:
    """The section; returns the chain's optimizer name when it can run, else None (and says why)."""
    key = _chain_key(page)
    with st.expander(t("Build your own optimizer"), expanded=bool(st.session_state.get(key))):
        st.selectbox(t("Start from"), [NONE, *builder.PRESETS], key=f"_{page}.chain_preset",
                     format_func=lambda p: t("a preset…") if p == NONE else t(
                         "{title} from blocks", title=t(builder.PRESETS[p].title)),
                     on_change=_apply_preset, args=(page,),
                     help=t("Sets the blocks to how optax composes that optimizer (optax/_src/alias.py)."))
        codes = controls.choices(key, t("Blocks, in order"), list(builder.BLOCKS), [], max_items=builder.MAX_BLOCKS,
                                 format_func=lambda c: builder.BLOCKS[c].title, empty_ok=True,
                                 help=t("An optax.chain: the gradient passes through the blocks in the order picked "
                                        "(remove a block and pick it again to move it to the end). At most {most} "
                                        "blocks, each once.", most=builder.MAX_BLOCKS))
        found = builder.problems(codes)
        if found:
            st.caption(" ".join(problem_text(code, detail) for code, detail in found))
            return None
        name = builder.name(codes)
        spec = catalog.get(name)
        switches = {h.name: st.session_state.get(f"{page}.{name}.{h.name}", h.default)
                    for h in spec.hyperparams if h.kind != "float"}
        st.latex(r"\small " + catalog.latex_for(name, **switches))
        twin = builder.twin(name, switches)
        if twin is not None:
            st.caption(t("These blocks are {name} of the catalog: with the same hyperparameters the two paths are "
                         "the same to the last digits.", name=titles.optimizer(twin)))
        st.caption(t("It runs as “{name}” with the optimizers above; its sliders are in its own section below, and "
                     "“Copy as optax code” writes it as plain optax.", name=titles.optimizer(name)))
        return name
