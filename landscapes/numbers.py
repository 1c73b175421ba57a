"""Numbers as people read them, the one formatter of the app: the engine's verdicts in words
(`landscapes.analysis`), the pages' sentences, slider labels and LaTeX all format through here."""

from __future__ import annotations

import math

MINUS = "−"
"""U+2212, the minus sign of running text (a hyphen is what code and slider labels use)."""


def number(v: float, digits: int = 4, minus: str = MINUS) -> str:
    """``v`` to ``digits`` significant digits (``%g``), with ``minus`` for the sign; ∞, −∞ and NaN as such."""
    v = float(v)
    if not math.isfinite(v):
        return "∞" if v > 0 else (f"{minus}∞" if v < 0 else "NaN")
    return f"{v:.{digits}g}".replace("-", minus)


def latex(v: float, digits: int = 4) -> str:
    """``v`` as LaTeX: ``digits`` significant digits, ``a \\times 10^{b}`` for exponents."""
    v = float(v)
    if not math.isfinite(v):
        return r"\infty" if v > 0 else (r"-\infty" if v < 0 else r"\mathrm{NaN}")
    text = f"{v:.{digits}g}"
    if "e" in text:
        mant, exp = text.split("e")
        return rf"{mant} \times 10^{{{int(exp)}}}"
    return text
