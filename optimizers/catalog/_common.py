"""Pieces the catalog's entries share: slider metadata, LaTeX fragments and the built-in surfaces whose
measured outcomes the entries record (`OptimizerSpec.misses` / ``budgets``)."""

from __future__ import annotations

from ..base import Hyperparam

VALLEY, ROSENBROCK = "elongated_valley", "rosenbrock"
"""The convergence test's two problems (tests/test_convergence.py: from the surface's start, within
`CONVERGENCE_TOLERANCE` of the minimum; the surfaces' parameters in `CONVERGENCE_PROBLEMS`).  An entry's ``misses``
say where it does not get there in its budget with its documented defaults (measured, each text with its own
figures; a strict expected failure in that test, and shown in the sidebar when that surface is picked); its
``budgets`` where it gets there and stays, only later than the `CONVERGENCE_STEPS` every other entry is given (the
step from which it stayed within reach, in the comment)."""
CONVERGENCE_PROBLEMS = {VALLEY: (("kappa", 10.0),), ROSENBROCK: ()}
"""The parameters the convergence test gives each problem's surface (those not named keep their defaults)."""
CONVERGENCE_STEPS = 4000
CONVERGENCE_TOLERANCE = 3e-2

# Slider metadata shared by many entries.


def _lr(default: float, lo: float = 1e-4, hi: float = 1.0, note: str = "", schedule: bool = True) -> Hyperparam:
    text = "step size η (a schedule may replace it)" if schedule else "initial step size"
    return Hyperparam("learning_rate", default, lo, hi, log=True, help=f"{text}; {note}" if note else text)


def _float(name: str, default: float, lo: float, hi: float, help: str, log: bool = False) -> Hyperparam:
    return Hyperparam(name, default, lo, hi, log=log, help=help)


def _b1(default: float = 0.9, help: str = "decay β₁ of the gradient average") -> Hyperparam:
    return _float("b1", default, 0.0, 0.999, help)


def _b2(default: float = 0.999, help: str = "decay β₂ of the squared-gradient average") -> Hyperparam:
    return _float("b2", default, 0.0, 0.99999, help)


def _eps(default: float, help: str = "ε, keeps the denominator away from zero") -> Hyperparam:
    return _float("eps", default, min(default, 1e-16), max(default, 0.1), help, log=True)


def _wd(default: float, help: str = "weight decay λ (pulls x toward the origin)") -> Hyperparam:
    return _float("weight_decay", default, 0.0, 0.1, help)


def _momentum(default: float = 0.9, help: str = "momentum μ") -> Hyperparam:
    return _float("momentum", default, 0.0, 0.999, help)


def _flag(name: str, default: bool, help: str) -> Hyperparam:
    return Hyperparam(name, default, help=help, kind="bool")


def _int(name: str, default: int, lo: int, hi: int, help: str) -> Hyperparam:
    return Hyperparam(name, default, lo, hi, help=help, kind="int")



# LaTeX pieces reused by several entries.

_ADAM_MOMENTS = (
    r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t,\quad v_t = \beta_2 v_{t-1} + (1-\beta_2)\,g_t^2 \\"
    r"\hat m_t = \frac{m_t}{1-\beta_1^t},\quad \hat v_t = \frac{v_t}{1-\beta_2^t} \\"
)
_NADAM_MOMENTS = (
    r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t,\quad v_t = \beta_2 v_{t-1} + (1-\beta_2)\,g_t^2 \\"
    r"\hat m_t = \frac{\beta_1 m_t}{1-\beta_1^{t+1}} + \frac{(1-\beta_1)\,g_t}{1-\beta_1^t},\quad"
    r" \hat v_t = \frac{v_t}{1-\beta_2^t} \\"
)


_NORMALIZED_STEP = (
    "Its step has length about η‖x‖ whatever the gradient (a trust ratio times a normalized direction), so near a "
    "minimum away from the origin it keeps circling at about that distance; a decaying schedule lets it settle."
)


def _aligned(*lines: str) -> str:
    return r"\begin{aligned}" + "".join(lines) + r"\end{aligned}"

