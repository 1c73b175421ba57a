r"""Learning-rate schedules: name -> `ScheduleSpec`, each a factory of an optax ``Schedule`` (``count -> η_t``).

``spec.factory(learning_rate, steps, **params)`` returns a function of optax's step counter ``t = 0, 1, …`` (the
number of updates already made).  ``steps`` (``N`` in the formulas) is the length of the run, an int or a traced
integer; the schedule's own parameters are fractions or rates, and every argument but the name may be traced, so
moving a slider (or the step count) never recompiles.
Any optimizer whose ``learning_rate`` accepts a schedule takes one (`OptimizerSpec.takes_schedule`; `optimizers.schedule_applies` says whether a run uses it).

optax's schedule builders take Python ints for their boundaries and branch on their arguments in Python
(``exponential_decay`` tests ``decay_rate == 0``, the one-cycle schedules check ``div_factor`` signs), which a traced
slider value cannot pass; so only the constant schedule is optax's own and the others are the same closed forms in
``jnp``, checked against optax's builders at concrete values in ``tests/test_schedules.py``.

References: cs231n notes, "Annealing the learning rate" (step, exponential, 1/t); Loshchilov & Hutter 2017,
arXiv:1608.03983 (cosine); Smith 2017, arXiv:1506.01186 (triangular cyclical); Smith & Topin 2019,
arXiv:1708.07120 (one-cycle).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import jax.numpy as jnp
import optax

from .base import Hyperparam


@dataclass(frozen=True)
class ScheduleSpec:
    """A learning-rate schedule: ``factory(learning_rate, steps, **params)`` is the optax schedule ``latex`` shows."""

    name: str
    title: str
    latex: str
    factory: Callable[..., optax.Schedule]
    hyperparams: tuple[Hyperparam, ...] = ()
    reference: str = ""
    code: Callable[[float, int, dict], str] | None = None
    """``code(η, N, params)``: Python that sets ``learning_rate`` to this schedule (an optax builder, or the closed
    form as a lambda where optax has none), equal to ``factory`` at every ``t < N`` (`optimizers.codegen`)."""
    static_steps: bool = False
    """True when ``factory`` needs the step count and its parameters as Python numbers (an optax builder that
    branches on them): the engine then makes them part of the compiled program, so each new value compiles once.
    Every built-in schedule is a closed form in ``jnp`` and takes them traced."""

    def defaults(self) -> dict[str, Any]:
        """The default of every schedule parameter, by name."""
        return {h.name: h.default for h in self.hyperparams}


def constant(learning_rate, steps: int) -> optax.Schedule:
    """``η_t = η``."""
    del steps
    return optax.constant_schedule(learning_rate)


def step_decay(learning_rate, steps: int, decay_rate=0.5, period=0.25) -> optax.Schedule:
    """``η_t = η γ^⌊t/T⌋``, ``T = max(1, ⌊period·N⌋``): optax's staircase exponential_decay in closed form."""
    interval = jnp.maximum(1.0, jnp.floor(period * steps))
    return lambda count: learning_rate * decay_rate ** jnp.floor(count / interval)


def exponential(learning_rate, steps: int, k=0.005) -> optax.Schedule:
    """``η_t = η e^{−k t}``."""
    del steps
    return lambda count: learning_rate * jnp.exp(-k * count)


def inverse_time(learning_rate, steps: int, k=0.01) -> optax.Schedule:
    """``η_t = η / (1 + k t)`` (optax has no 1/t schedule)."""
    del steps
    return lambda count: learning_rate / (1 + k * count)


def warmup_cosine(learning_rate, steps: int, warmup=0.1, alpha=0.0) -> optax.Schedule:
    """Linear warm-up from 0 over ``W = ⌊warmup·N⌋`` steps, then cosine decay to ``α η`` at ``t = N``.

    The closed form of ``optax.warmup_cosine_decay_schedule(0, η, W, N, end_value=α η)``.
    """
    warm = jnp.floor(warmup * steps)
    decay = jnp.maximum(steps - warm, 1.0)

    def schedule(count):
        rising = learning_rate * count / jnp.maximum(warm, 1.0)
        progress = jnp.minimum(count - warm, decay) / decay
        falling = learning_rate * ((1 - alpha) * 0.5 * (1 + jnp.cos(jnp.pi * progress)) + alpha)
        return jnp.where(count < warm, rising, falling)

    return schedule


def cyclical(learning_rate, steps: int, min_ratio=0.1, cycles=4.0) -> optax.Schedule:
    """Smith's triangular cycle between ``η_min = min_ratio·η`` and ``η``, ``cycles`` full cycles in ``N`` steps."""
    half = steps / (2 * cycles)
    low = min_ratio * learning_rate

    def schedule(count):
        cycle = jnp.floor(1 + count / (2 * half))
        distance = jnp.abs(count / half - 2 * cycle + 1)
        return low + (learning_rate - low) * jnp.maximum(0.0, 1 - distance)

    return schedule


def _cosine_between(start, end, fraction):
    return end + (start - end) / 2 * (jnp.cos(jnp.pi * fraction) + 1)


def one_cycle(learning_rate, steps: int, pct_start=0.3, div_factor=25.0, final_div_factor=1e4) -> optax.Schedule:
    """Cosine rise from ``η/d`` to ``η`` over ``P = ⌊pct_start·N⌋`` steps, then cosine fall to ``η/(d·d_f)``.

    The closed form of ``optax.cosine_onecycle_schedule(N, η, pct_start, d, d_f)``.
    """
    peak_at = jnp.floor(pct_start * steps)
    start = learning_rate / div_factor
    end = learning_rate / (div_factor * final_div_factor)

    def schedule(count):
        rising = _cosine_between(start, learning_rate, count / jnp.maximum(peak_at, 1.0))
        falling = _cosine_between(learning_rate, end, (count - peak_at) / jnp.maximum(steps - peak_at, 1.0))
        return jnp.where(count < peak_at, rising, jnp.where(count < steps, falling, end))

    return schedule


# ---------------------------------------------------------------------------------------------- as plain optax code
# optax's builders compute in float32 for an int32 step counter: feed them a float64 count, as the app does.
_AS_FLOAT64 = "\nlearning_rate = lambda count: schedule(jnp.asarray(count, jnp.float64))  # float64, as the app"


def _constant_code(eta: float, n: int, p: dict) -> str:
    return f"learning_rate = {eta!r}"


def _step_code(eta: float, n: int, p: dict) -> str:
    interval = max(1, math.floor(p["period"] * n))
    return (f"schedule = optax.exponential_decay(init_value={eta!r}, transition_steps={interval}, "
            f"decay_rate={float(p['decay_rate'])!r}, staircase=True){_AS_FLOAT64}")


def _exponential_code(eta: float, n: int, p: dict) -> str:
    return f"learning_rate = lambda count: {eta!r} * jnp.exp(-{float(p['k'])!r} * count)"


def _inverse_time_code(eta: float, n: int, p: dict) -> str:
    return f"learning_rate = lambda count: {eta!r} / (1 + {float(p['k'])!r} * count)"


def _warmup_cosine_code(eta: float, n: int, p: dict) -> str:
    warm = math.floor(p["warmup"] * n)
    return (f"schedule = optax.warmup_cosine_decay_schedule(init_value=0.0, peak_value={eta!r}, "
            f"warmup_steps={warm}, decay_steps={n}, end_value={float(p['alpha']) * eta!r}){_AS_FLOAT64}")


def _cyclical_code(eta: float, n: int, p: dict) -> str:
    half = n / (2 * float(p["cycles"]))
    low = float(p["min_ratio"]) * eta
    return (f"def learning_rate(count):  # triangular cycle between {low!r} and {eta!r}, half-period {half!r}\n"
            f"    distance = jnp.abs(count / {half!r} - 2 * jnp.floor(1 + count / {2 * half!r}) + 1)\n"
            f"    return {low!r} + {eta - low!r} * jnp.maximum(0.0, 1 - distance)")


def _one_cycle_code(eta: float, n: int, p: dict) -> str:
    return (f"schedule = optax.cosine_onecycle_schedule(transition_steps={n}, peak_value={eta!r}, "
            f"pct_start={float(p['pct_start'])!r}, div_factor={float(p['div_factor'])!r}, "
            f"final_div_factor={float(p['final_div_factor'])!r}){_AS_FLOAT64}")


def _fraction(name: str, default: float, lo: float, hi: float, help: str) -> Hyperparam:
    return Hyperparam(name, default, lo, hi, help=help)


def _rate(name: str, default: float, lo: float, hi: float, help: str) -> Hyperparam:
    return Hyperparam(name, default, lo, hi, log=True, help=help)


_SPECS = (
    ScheduleSpec("constant", "Constant", r"\eta_t = \eta", constant, code=_constant_code),
    ScheduleSpec(
        "step",
        "Step decay",
        r"\eta_t = \eta\, \gamma^{\lfloor t / T \rfloor},\quad T = \max(1, \lfloor p N \rfloor)",
        step_decay,
        (
            _fraction("decay_rate", 0.5, 0.0, 1.0, "γ, the factor at each drop"),
            _fraction("period", 0.25, 0.01, 1.0, "p: drop every p·N steps"),
        ),
        "cs231n notes: step decay",
        code=_step_code,
    ),
    ScheduleSpec(
        "exponential",
        "Exponential decay",
        r"\eta_t = \eta\, e^{-k t}",
        exponential,
        (_rate("k", 0.005, 1e-5, 0.1, "k, decay rate per step"),),
        "cs231n notes: exponential decay",
        code=_exponential_code,
    ),
    ScheduleSpec(
        "inverse_time",
        "1/t decay",
        r"\eta_t = \frac{\eta}{1 + k t}",
        inverse_time,
        (_rate("k", 0.01, 1e-5, 1.0, "k, decay rate per step"),),
        "cs231n notes: 1/t decay",
        code=_inverse_time_code,
    ),
    ScheduleSpec(
        "warmup_cosine",
        "Warm-up then cosine",
        r"\eta_t = \begin{cases} \eta\, t / W & t < W \\ \eta\big(\alpha + (1-\alpha)\,\tfrac12\big(1 + "
        r"\cos\tfrac{\pi \min(t - W,\, N - W)}{N - W}\big)\big) & t \ge W \end{cases},\quad W = \lfloor w N \rfloor",
        warmup_cosine,
        (
            _fraction("warmup", 0.1, 0.0, 0.9, "w: warm-up length as a fraction of the run"),
            _fraction("alpha", 0.0, 0.0, 1.0, "α: final value as a fraction of η"),
        ),
        "Loshchilov & Hutter 2017, arXiv:1608.03983; optax.warmup_cosine_decay_schedule",
        code=_warmup_cosine_code,
    ),
    ScheduleSpec(
        "cyclical",
        "Cyclical (triangular)",
        r"\eta_t = r\eta + (1 - r)\,\eta \max\big(0,\ 1 - \lvert t/s - 2c + 1\rvert\big),\quad"
        r" c = \lfloor 1 + t/(2s) \rfloor,\quad s = \frac{N}{2\,\text{cycles}}",
        cyclical,
        (
            _fraction("min_ratio", 0.1, 0.0, 1.0, "r = η_min / η"),
            Hyperparam("cycles", 4.0, 0.5, 20.0, help="how many full cycles fit in the run"),
        ),
        "Smith 2017, arXiv:1506.01186",
        code=_cyclical_code,
    ),
    ScheduleSpec(
        "one_cycle",
        "One-cycle (cosine)",
        r"\eta_t = \begin{cases} \mathrm{cos}(\eta/d \to \eta,\ t/P) & t < P \\"
        r" \mathrm{cos}\big(\eta \to \tfrac{\eta}{d\, d_f},\ \tfrac{t - P}{N - P}\big) & P \le t < N \\"
        r" \eta/(d\, d_f) & t \ge N \end{cases},\quad \mathrm{cos}(a \to b, u) = b + \tfrac{a - b}{2}(1 + \cos \pi u),"
        r"\quad P = \lfloor p N \rfloor",
        one_cycle,
        (
            _fraction("pct_start", 0.3, 0.01, 0.99, "p: fraction of the run spent rising"),
            _rate("div_factor", 25.0, 1.0, 1e3, "d: the run starts at η/d"),
            _rate("final_div_factor", 1e4, 1.0, 1e6, "d_f: the run ends at η/(d·d_f)"),
        ),
        "Smith & Topin 2019, arXiv:1708.07120; optax.cosine_onecycle_schedule",
        code=_one_cycle_code,
    ),
)

_REGISTRY = {spec.name: spec for spec in _SPECS}


def names() -> tuple[str, ...]:
    """Every schedule name, constant first."""
    return tuple(_REGISTRY)


def specs() -> tuple[ScheduleSpec, ...]:
    """Every `ScheduleSpec`, in the order of `names()`."""
    return _SPECS


def get(name: str) -> ScheduleSpec:
    """The schedule called ``name``; an unknown name raises ``KeyError`` listing the known ones."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown schedule {name!r}; known: {', '.join(_REGISTRY)}") from None
