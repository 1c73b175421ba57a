r"""The course's update rules (family ``"course"``), exactly as the course notes write them, with the switches
other ecosystems use (``eps_in_sqrt``, ``bias_correction``, ``c₀``) and the formula each switch setting gives."""

from __future__ import annotations

import optax

from .. import course
from ..base import OptimizerSpec
from . import _code as codes
from ._common import (ROSENBROCK, _ADAM_MOMENTS, _NORMALIZED_STEP, _aligned, _b1, _b2,
                      _eps, _flag, _float, _lr, _momentum, _wd)


def _adagrad_latex(initial_accumulator_value=0.0, eps_in_sqrt=False, **_) -> str:
    denominator = r"\sqrt{c_t + \epsilon}" if eps_in_sqrt else r"\sqrt{c_t} + \epsilon"
    start = r"c_0 = 0" if initial_accumulator_value == 0 else rf"c_0 = {initial_accumulator_value:g}"
    return _aligned(
        rf"c_t = c_{{t-1}} + g_t^2,\quad {start} \\", rf"x_t = x_{{t-1}} - \eta_t\, \frac{{g_t}}{{{denominator}}}"
    )


def _rmsprop_latex(eps_in_sqrt=False, **_) -> str:
    denominator = r"\sqrt{c_t + \epsilon}" if eps_in_sqrt else r"\sqrt{c_t} + \epsilon"
    return _aligned(
        r"c_t = \rho\, c_{t-1} + (1-\rho)\, g_t^2 \\", rf"x_t = x_{{t-1}} - \eta_t\, \frac{{g_t}}{{{denominator}}}"
    )


def _adam_latex(bias_correction=True, **_) -> str:
    if bias_correction:
        return _aligned(_ADAM_MOMENTS, r"x_t = x_{t-1} - \eta_t\, \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}")
    return _aligned(
        r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t,\quad v_t = \beta_2 v_{t-1} + (1-\beta_2)\,g_t^2 \\",
        r"x_t = x_{t-1} - \eta_t\, \frac{m_t}{\sqrt{v_t} + \epsilon}",
    )



SPECS = (
    OptimizerSpec(
        name="sgd",
        title="Gradient descent",
        family="course",
        latex=r"x_t = x_{t-1} - \eta_t\, g_t",
        factory=optax.sgd,
        # Defaults suit the default surface (the valley, λmax = 1): a visible crawl along its floor, no divergence.
        hyperparams=(_lr(0.1, hi=4.0, note="stable on a quadratic while η < 2/λmax"),),
        reference="Robbins & Monro 1951; cs231n notes (optax.sgd)",
        step_scale="curvature",
        per_coordinate=True,
        misses=(
            (ROSENBROCK, "Its default η = 0.1 suits the valley (λmax = 1) but is far above Rosenbrock's limit 2/λmax "
                         "≈ 1.3e-3 at the start, so it diverges at step 1."),
        ),
    ),
    OptimizerSpec(
        name="momentum",
        title="Momentum",
        family="course",
        latex=_aligned(r"v_t = \mu\, v_{t-1} - \eta_t\, g_t \\", r"x_t = x_{t-1} + v_t"),
        factory=course.momentum,
        hyperparams=(_lr(0.02), _momentum(0.9)),
        reference="Polyak 1964; cs231n notes",
        step_scale="curvature",
        per_coordinate=True,
        code=codes.momentum,
        misses=(
            (ROSENBROCK, "Its defaults (η = 0.02, μ = 0.9) suit the valley; Rosenbrock's curvature at the start "
                         "(~1500) puts η·λmax far above the heavy-ball limit 2(1 + μ): it diverges at step 2."),
        ),
    ),
    OptimizerSpec(
        name="nesterov",
        title="Nesterov momentum",
        family="course",
        latex=_aligned(r"v_t = \mu\, v_{t-1} - \eta_t\, g_t \\", r"x_t = x_{t-1} - \mu\, v_{t-1} + (1+\mu)\, v_t"),
        factory=course.nesterov,
        hyperparams=(_lr(0.02), _momentum(0.9)),
        reference="Nesterov 1983; Sutskever et al. 2013; cs231n notes",
        step_scale="curvature",
        per_coordinate=True,
        code=codes.nesterov,
        misses=(
            (ROSENBROCK, "Its defaults (η = 0.02, μ = 0.9) suit the valley; at Rosenbrock's start η·λmax is far above"
                         " Nesterov's limit 2(1 + μ)/(1 + 2μ): it diverges at step 2."),
        ),
    ),
    OptimizerSpec(
        name="adagrad",
        title="AdaGrad",
        family="course",
        latex=_aligned(
            r"c_t = c_{t-1} + g_t^2,\quad c_0 = 0 \\", r"x_t = x_{t-1} - \eta_t\, \frac{g_t}{\sqrt{c_t} + \epsilon}"
        ),
        factory=course.adagrad,
        hyperparams=(
            _lr(0.5, 1e-3, 10.0),
            _eps(1e-7),
            _float("initial_accumulator_value", 0.0, 0.0, 1.0, "c₀: the course starts at 0, optax.adagrad at 0.1"),
            _flag("eps_in_sqrt", False, "divide by √(c+ε) as optax does, instead of the course's √c + ε"),
        ),
        reference="Duchi, Hazan & Singer 2011; cs231n notes",
        step_scale="decaying",
        per_coordinate=True,
        latex_variant=_adagrad_latex,
        code=codes.adagrad,
        budgets=(
            (ROSENBROCK, 8_000),  # its accumulated g² shrink the step for ever: within reach from step 4,607
        ),
    ),
    OptimizerSpec(
        name="rmsprop",
        title="RMSProp",
        family="course",
        latex=_aligned(
            r"c_t = \rho\, c_{t-1} + (1-\rho)\, g_t^2 \\", r"x_t = x_{t-1} - \eta_t\, \frac{g_t}{\sqrt{c_t} + \epsilon}"
        ),
        factory=optax.rmsprop,
        hyperparams=(
            _lr(0.01, 1e-4, 1.0),
            _float("decay", 0.9, 0.0, 0.9999, "ρ, decay of the squared-gradient average"),
            _eps(1e-8),
            _flag("eps_in_sqrt", False, "divide by √(c+ε) (optax's default) instead of √c + ε (course, PyTorch)"),
        ),
        reference="Hinton, Coursera lecture 6e, 2012; cs231n notes (optax.rmsprop)",
        step_scale="length",
        per_coordinate=True,
        latex_variant=_rmsprop_latex,
        misses=(
            (ROSENBROCK, "Its normalized step keeps it hovering about 0.036 from Rosenbrock's minimum (0.043 after "
                         "4,000 steps); a decaying schedule lets it settle."),
        ),
    ),
    OptimizerSpec(
        name="adam",
        title="Adam",
        family="course",
        latex=_aligned(_ADAM_MOMENTS, r"x_t = x_{t-1} - \eta_t\, \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}"),
        factory=course.adam,
        hyperparams=(
            _lr(0.1, 1e-4, 1.0),
            _b1(),
            _b2(),
            _eps(1e-8),
            _flag("bias_correction", True, "divide m, v by 1−βᵗ (off: the cs231n 'simplified Adam')"),
        ),
        reference="Kingma & Ba 2015, arXiv:1412.6980; cs231n notes (optax.adam)",
        step_scale="length",
        per_coordinate=True,
        latex_variant=_adam_latex,
        code=codes.adam,
    ),
    OptimizerSpec(
        name="adamw",
        title="AdamW",
        family="course",
        latex=_aligned(
            _ADAM_MOMENTS,
            r"x_t = x_{t-1} - \eta_t \Big(\frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon} + \lambda\, x_{t-1}\Big)",
        ),
        factory=optax.adamw,
        hyperparams=(_lr(0.1, 1e-4, 1.0), _b1(), _b2(), _eps(1e-8), _wd(1e-4)),
        reference="Loshchilov & Hutter 2019, arXiv:1711.05101 (optax.adamw: λ is multiplied by η)",
        step_scale="length",
        per_coordinate=True,
    ),
    OptimizerSpec(
        name="lamb",
        title="LAMB",
        family="course",
        latex=_aligned(
            r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t,\quad v_t = \beta_2 v_{t-1} + (1-\beta_2)\,g_t^2 \\",
            r"u_t = \frac{m_t/(1-\beta_1^t)}{\sqrt{v_t/(1-\beta_2^t)} + \epsilon} + \lambda\, x_{t-1} \\",
            r"x_t = x_{t-1} - \eta_t\, \frac{\lVert x_{t-1}\rVert}{\lVert u_t\rVert}\, u_t"
            r"\quad(\text{ratio } 1 \text{ if either norm is } 0)",
        ),
        factory=optax.lamb,
        hyperparams=(_lr(0.01, 1e-4, 1.0), _b1(), _b2(), _eps(1e-6), _wd(0.0)),
        converges=False,
        why_not=_NORMALIZED_STEP,
        reference="You et al. 2020, arXiv:1904.00962 (optax.lamb; the whole 2-vector is one layer)",
        misses=(
            (ROSENBROCK, "Its trust-ratio step, about η‖x‖ long, keeps it about 0.1 from Rosenbrock's minimum."),
        ),
    ),
)
