r"""Optimizers built from optax blocks: a chain of small transformations becomes an `OptimizerSpec` like any other.

A chain is a sequence of block codes (`BLOCKS`), e.g. ``("adam", "lr")`` for ``optax.chain(optax.scale_by_adam(),
optax.scale_by_learning_rate(η))``.  Its *name* is ``"chain:adam-lr"`` (`name`), and `spec` turns a name into an
`OptimizerSpec` that the registry resolves (`optimizers.catalog.get`), so a built optimizer runs through the same
engine, caches, presets, code export and URL machinery as every catalog entry, with the same contract:

* The name holds only the *structure* (which blocks, in which order).  The blocks' numbers are the spec's ``float``
  hyperparameters (traced: a slider move never recompiles) and their switches (Nesterov, bias correction, ε inside
  the root) ``bool`` hyperparameters (static, as in the catalog).  Equal chains give equal specs (every field is a
  value, the factory a frozen dataclass), so they share one compiled runner and the runner LRU holds one entry per
  structure, not one per slider position.
* Hyperparameters are named as optax names them (``learning_rate``, ``b1``, ``b2``, ``eps``, ``momentum``,
  ``decay``, ``weight_decay``, …) so a chain that rebuilds a catalog optimizer has that optimizer's names; where two
  blocks of one chain share a name, the later ones are prefixed with their block (``rms_eps``).
* Each block appears at most once, at most `MAX_BLOCKS` blocks, and exactly one ``lr`` block: optax's updates are
  *added* to the parameters, and ``scale_by_learning_rate`` is what multiplies by −η (without it a chain climbs).

Update rule (shown by `latex`): the gradient ``u ← g_t`` flows through the blocks in order, each rewriting ``u``,
and ``x_t = x_{t−1} + u``.

`twin` says when a chain *is* a catalog optimizer (`PRESETS`: momentum, RMSProp, Adam, AdamW, LAMB and plain
gradient descent, each as optax's own ``alias.py`` composes it), with the hyperparameter values that make it so;
tests/test_builder.py checks every preset's trajectory against the catalog entry's to 1e-12.

``scale_by_adam``'s bias-correction switch: optax's ``scale_by_adam`` always divides by ``1 − βᵗ``; off, the block is
this repository's `optimizers.course._scale_by_uncorrected_adam` (the cs231n "simplified Adam"), the same
transformation the catalog's Adam runs with ``bias_correction=False``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable, NamedTuple

import optax

from . import course
from .base import Hyperparam, OptimizerSpec
from .catalog import _code as _catalog_code
from .catalog._common import _aligned, _b1, _b2, _eps, _flag, _float, _lr, _momentum, _wd

PREFIX = "chain:"
SEP = "-"
MAX_BLOCKS = 6


class Block(NamedTuple):
    """One optax transformation of the menu: its code (in names and URLs), the optax call it stands for, its
    hyperparameters (named as optax names them), what it does to ``u`` (LaTeX lines), whether it acts on each
    coordinate alone, and how it is built and written as code."""

    code: str
    title: str
    hyperparams: tuple[Hyperparam, ...]
    latex: Callable[[dict, dict], list[str]]  # (values by local name, symbols) -> lines
    make: Callable[..., optax.GradientTransformation]
    source: Callable[[dict], str]  # values by local name -> Python
    per_coordinate: bool = True
    helpers: str = ""


def _v(x) -> str:
    from .codegen import value

    return value(x)


def _adam(b1, b2, eps, bias_correction=True):
    if bias_correction:
        return optax.scale_by_adam(b1=b1, b2=b2, eps=eps)
    return course._scale_by_uncorrected_adam(b1, b2, eps)


def _adam_latex(hp, s):
    lines = [r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\,u,\quad v_t = \beta_2 v_{t-1} + (1-\beta_2)\,u^2"]
    if hp["bias_correction"]:
        lines.append(r"u \leftarrow \frac{m_t/(1-\beta_1^t)}{\sqrt{v_t/(1-\beta_2^t)} + " + s["eps"] + "}")
    else:
        lines.append(r"u \leftarrow \frac{m_t}{\sqrt{v_t} + " + s["eps"] + "}")
    return lines


def _rms_latex(hp, s):
    denominator = rf"\sqrt{{c_t + {s['eps']}}}" if hp["eps_in_sqrt"] else rf"\sqrt{{c_t}} + {s['eps']}"
    return [r"c_t = \rho\, c_{t-1} + (1-\rho)\, u^2", rf"u \leftarrow \frac{{u}}{{{denominator}}}"]


def _trace_latex(hp, s):
    return [r"b_t = \mu\, b_{t-1} + u", r"u \leftarrow u + \mu\, b_t" if hp["nesterov"] else r"u \leftarrow b_t"]


BLOCKS: dict[str, Block] = {b.code: b for b in (
    Block("clip", "clip_by_global_norm",
          (_float("max_norm", 1.0, 1e-3, 1e3, "c: a gradient longer than c is scaled down to length c", log=True),),
          lambda hp, s: [r"u \leftarrow u\,\min\!\big(1,\ c / \lVert u\rVert\big)"],
          lambda max_norm: optax.clip_by_global_norm(max_norm),
          lambda hp: f"optax.clip_by_global_norm({_v(hp['max_norm'])})", per_coordinate=False),
    Block("trace", "trace",
          (_momentum(0.9, "momentum μ: decay of the trace b"),
           _flag("nesterov", False, "Nesterov: step along u + μ b instead of b")),
          _trace_latex,
          lambda momentum, nesterov=False: optax.trace(decay=momentum, nesterov=nesterov),
          lambda hp: f"optax.trace(decay={_v(hp['momentum'])}, nesterov={_v(hp['nesterov'])})"),
    Block("rms", "scale_by_rms",
          (_float("decay", 0.9, 0.0, 0.9999, "ρ, decay of the squared-gradient average"), _eps(1e-8),
           _flag("eps_in_sqrt", False, "divide by √(c+ε) (optax's default) instead of √c + ε (course, PyTorch)")),
          _rms_latex,
          lambda decay, eps, eps_in_sqrt=False: optax.scale_by_rms(decay=decay, eps=eps, eps_in_sqrt=eps_in_sqrt),
          lambda hp: (f"optax.scale_by_rms(decay={_v(hp['decay'])}, eps={_v(hp['eps'])}, "
                      f"eps_in_sqrt={_v(hp['eps_in_sqrt'])})")),
    Block("adam", "scale_by_adam",
          (_b1(), _b2(), _eps(1e-8),
           _flag("bias_correction", True, "divide m, v by 1−βᵗ (off: the cs231n 'simplified Adam'; optax's "
                                          "scale_by_adam always corrects, so off runs this app's own block)")),
          _adam_latex, _adam,
          lambda hp: (f"optax.scale_by_adam(b1={_v(hp['b1'])}, b2={_v(hp['b2'])}, eps={_v(hp['eps'])})"
                      if hp["bias_correction"] else
                      f"scale_by_uncorrected_adam(b1={_v(hp['b1'])}, b2={_v(hp['b2'])}, eps={_v(hp['eps'])})"),
          helpers=_catalog_code._ADAM_TX),
    Block("sign", "scale_by_sign", (), lambda hp, s: [r"u \leftarrow \operatorname{sign}(u)"],
          lambda: optax.scale_by_sign(), lambda hp: "optax.scale_by_sign()"),
    Block("wd", "add_decayed_weights", (_wd(1e-4),),
          lambda hp, s: [r"u \leftarrow u + \lambda\, x_{t-1}"],
          lambda weight_decay: optax.add_decayed_weights(weight_decay),
          lambda hp: f"optax.add_decayed_weights({_v(hp['weight_decay'])})"),
    Block("trust", "scale_by_trust_ratio",
          (_float("trust_coefficient", 1.0, 1e-3, 10.0, "τ: scales the trust ratio ‖x‖/‖u‖", log=True),),
          lambda hp, s: [r"u \leftarrow \tau\,\frac{\lVert x_{t-1}\rVert}{\lVert u\rVert}\,u\quad"
                         r"(\text{ratio } 1 \text{ if either norm is } 0)"],
          lambda trust_coefficient: optax.scale_by_trust_ratio(trust_coefficient=trust_coefficient),
          lambda hp: f"optax.scale_by_trust_ratio(trust_coefficient={_v(hp['trust_coefficient'])})",
          per_coordinate=False),
    Block("lr", "scale_by_learning_rate", (_lr(0.1, 1e-4, 4.0),),
          lambda hp, s: [r"u \leftarrow -\eta_t\, u"],
          lambda learning_rate: optax.scale_by_learning_rate(learning_rate),
          lambda hp: "optax.scale_by_learning_rate(learning_rate)"),
)}
"""The menu, in the order it is offered."""

SYMBOLS = {"eps": r"\epsilon"}


# ------------------------------------------------------------------------------------------------ names
def name(codes) -> str:
    """The registry name of a chain: ``"chain:" + codes joined by "-"``."""
    return PREFIX + SEP.join(codes)


def is_chain(name_: str) -> bool:
    return isinstance(name_, str) and name_.startswith(PREFIX)


def problems(codes) -> list[tuple[str, Any]]:
    """What is wrong with a chain, as ``(code, detail)`` pairs (empty: it can run): ``"unknown"`` block,
    ``"repeated"`` block, ``"too_many"`` blocks, ``"empty"``, ``"no_lr"`` (no scale_by_learning_rate)."""
    codes = list(codes)
    out: list[tuple[str, Any]] = []
    unknown = [c for c in codes if c not in BLOCKS]
    if unknown:
        out.append(("unknown", unknown))
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        out.append(("repeated", repeated))
    if len(codes) > MAX_BLOCKS:
        out.append(("too_many", len(codes)))
    if not codes:
        out.append(("empty", None))
    elif "lr" not in codes and not unknown:
        out.append(("no_lr", None))
    return out


def codes_of(name_: str) -> tuple[str, ...]:
    """The block codes of a chain name; ``ValueError`` (with the problems) when it is not a valid chain."""
    if not is_chain(name_):
        raise ValueError(f"{name_!r} is not a chain name (it starts with {PREFIX!r})")
    body = name_[len(PREFIX):]
    codes = tuple(body.split(SEP)) if body else ()
    found = problems(codes)
    if found:
        raise ValueError(f"not a valid chain {name_!r}: {found}")
    return codes


def _names(codes) -> tuple[tuple[tuple[str, str], ...], ...]:
    """Per block: (local name, hyperparameter name) pairs; a name another block of the chain already uses gets
    the block's code as a prefix."""
    taken: set[str] = set()
    out = []
    for code in codes:
        pairs = []
        for h in BLOCKS[code].hyperparams:
            global_name = h.name if h.name not in taken else f"{code}_{h.name}"
            taken.add(global_name)
            pairs.append((h.name, global_name))
        out.append(tuple(pairs))
    return tuple(out)


# ------------------------------------------------------------------------------------------------ the spec
@dataclass(frozen=True)
class _Chain:
    """``optax.chain`` of the blocks, from the chain's hyperparameters: hashable by value, so equal chains are
    equal factories (the engine's compile key)."""

    codes: tuple[str, ...]
    names: tuple[tuple[tuple[str, str], ...], ...]

    def __call__(self, **hp) -> optax.GradientTransformation:
        return optax.chain(*(BLOCKS[c].make(**{local: hp[g] for local, g in pairs})
                             for c, pairs in zip(self.codes, self.names)))

    def local(self, hp: dict) -> list[dict]:
        return [{local: hp[g] for local, g in pairs} for pairs in self.names]


@dataclass(frozen=True)
class _Latex:
    chain: _Chain

    def __call__(self, **hp) -> str:
        lines = [r"u \leftarrow g_t"]
        for code, pairs, values in zip(self.chain.codes, self.chain.names, self.chain.local(hp)):
            symbols = {local: SYMBOLS.get(local, local) + (rf"_{{\mathrm{{{code}}}}}" if g != local else "")
                       for local, g in pairs}
            lines += BLOCKS[code].latex(values, symbols)
        lines.append(r"x_t = x_{t-1} + u")
        return _aligned(*(line + r" \\" for line in lines[:-1]), lines[-1])


@dataclass(frozen=True)
class _Code:
    chain: _Chain

    def __call__(self, hp: dict):
        from .codegen import Recipe

        blocks = [BLOCKS[c].source(v) for c, v in zip(self.chain.codes, self.chain.local(hp))]
        helpers = "".join(sorted({BLOCKS[c].helpers for c, v in zip(self.chain.codes, self.chain.local(hp))
                                  if BLOCKS[c].helpers and not v.get("bias_correction", True)}))
        return Recipe("optax.chain(" + ", ".join(blocks) + ")", helpers)


def title(codes) -> str:
    return "Built: " + " → ".join(BLOCKS[c].title for c in codes)


@functools.lru_cache(maxsize=256)
def spec(name_: str) -> OptimizerSpec:
    """The `OptimizerSpec` of chain ``name_`` (``ValueError`` for an invalid one).  Cached, and equal anyway for
    equal names."""
    codes = codes_of(name_)
    names = _names(codes)
    chain = _Chain(codes, names)
    hyperparams = tuple(
        Hyperparam(g, h.default, h.min, h.max, h.log, f"{BLOCKS[c].title}: {h.help}", h.kind)
        for c, pairs in zip(codes, names) for h, (_, g) in zip(BLOCKS[c].hyperparams, pairs))
    defaults = {h.name: h.default for h in hyperparams}
    length = any(c in ("adam", "rms", "sign", "trust") for c in codes)
    return OptimizerSpec(
        name=name_,
        title=title(codes),
        family="built",
        latex=_Latex(chain)(**defaults),
        factory=chain,
        hyperparams=hyperparams,
        reference="built from optax blocks: optax.chain(" + ", ".join(BLOCKS[c].title for c in codes) + ")",
        step_scale="length" if length else "curvature",
        per_coordinate=all(BLOCKS[c].per_coordinate for c in codes),
        latex_variant=_Latex(chain),
        code=_Code(chain),
    )


# ------------------------------------------------------------------------------------------------ presets and twins
class Preset(NamedTuple):
    """A chain that rebuilds catalog optimizer ``catalog`` (as optax's alias.py composes it): the blocks, and the
    values of chain hyperparameters the catalog entry does not have (they must hold for the two to be equal)."""

    title: str
    codes: tuple[str, ...]
    catalog: str
    fixed: tuple[tuple[str, Any], ...] = ()


PRESETS: dict[str, Preset] = {
    "sgd": Preset("Gradient descent", ("lr",), "sgd"),
    "momentum": Preset("Momentum", ("lr", "trace"), "momentum", (("nesterov", False),)),
    "rmsprop": Preset("RMSProp", ("rms", "lr"), "rmsprop"),
    "adam": Preset("Adam", ("adam", "lr"), "adam"),
    "adamw": Preset("AdamW", ("adam", "wd", "lr"), "adamw", (("bias_correction", True),)),
    "lamb": Preset("LAMB", ("adam", "wd", "trust", "lr"), "lamb",
                   (("bias_correction", True), ("trust_coefficient", 1.0))),
}


def twin(name_: str, hyperparams: dict | None = None) -> str | None:
    """The catalog optimizer this chain is, or None: same blocks in the same order and, where ``hyperparams``
    are given, the values a preset fixes (so momentum with Nesterov on is not the catalog's momentum)."""
    if not is_chain(name_):
        return None
    try:
        codes = codes_of(name_)
    except ValueError:
        return None
    for preset in PRESETS.values():
        if preset.codes == codes:
            values = {**spec(name_).defaults(), **(hyperparams or {})}
            if all(values.get(k) == v for k, v in preset.fixed):
                return preset.catalog
    return None
