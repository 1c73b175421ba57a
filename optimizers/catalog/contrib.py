r"""The optimizers of ``optax.contrib`` (family ``"optax.contrib"``) that run on a two-parameter problem, with the
adapters some of them need, and the ones left out (`EXCLUDED`)."""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import optax
import optax.contrib

from ..base import OptimizerSpec
from . import _code as codes
from ._common import (ROSENBROCK, VALLEY, _aligned, _b1, _b2,
                      _eps, _float, _int, _lr, _momentum, _wd)


# Adapters: optax optimizers whose update wants something other than (grads, state, params, **extra).


def _obj_fn_from_value_fn(tx: optax.GradientTransformation) -> optax.GradientTransformationExtraArgs:
    """Sophia's Hutchinson estimator calls the objective ``obj_fn``; the runner calls it ``value_fn``."""
    tx = optax.with_extra_args_support(tx)

    def update(updates, state, params=None, *, value_fn, **extra):
        return tx.update(updates, state, params, obj_fn=value_fn, **extra)

    return optax.GradientTransformationExtraArgs(tx.init, update)


def _sam(learning_rate, rho: float = 0.05) -> optax.GradientTransformationExtraArgs:
    """SAM with optax's recipe (outer SGD, adversary = normalized SGD ascent of radius ρ) in opaque mode.

    Opaque mode does the adversarial step inside one update, so every plotted point is an outer iterate; the
    gradient at the perturbed point comes from ``value_fn``.
    """
    tx = optax.contrib.sam(
        optax.sgd(learning_rate),
        optax.chain(optax.contrib.normalize(), optax.sgd(rho)),
        sync_period=2,
        opaque_mode=True,
    )

    def update(updates, state, params=None, *, value_fn, **extra):
        del extra
        grad = jax.grad(value_fn)
        return tx.update(updates, state, params, grad_fn=lambda p, _: grad(p))

    return optax.GradientTransformationExtraArgs(tx.init, update)


class ScheduleFreeAtXState(NamedTuple):
    """optax's schedule-free state plus ``y``, the point where it wants the next gradient."""

    inner: Any
    y: Any


def _schedule_free_at_x(tx: optax.GradientTransformation) -> optax.GradientTransformationExtraArgs:
    """Run optax's schedule-free method but report the averaged iterate ``x`` as the parameters.

    optax's schedule-free update keeps ``y`` (the gradient point) as its params and recovers ``x`` with
    ``optax.contrib.schedule_free_eval_params``; the trajectory to plot and the loss to report are those of ``x``.
    So this keeps ``y`` in the state, takes the gradient there from ``value_fn`` and returns the step ``x' − x``.
    """

    def init(params):
        return ScheduleFreeAtXState(inner=tx.init(params), y=params)

    def update(updates, state, params=None, *, value_fn, **extra):
        del updates, extra  # those are at x; the method needs the gradient at y
        g = jax.grad(value_fn)(state.y)
        u, inner = tx.update(g, state.inner, state.y)
        y = optax.apply_updates(state.y, u)
        x = optax.contrib.schedule_free_eval_params(inner, y)
        return x - params, ScheduleFreeAtXState(inner=inner, y=y)

    return optax.GradientTransformationExtraArgs(init, update)


_DISTANCE_ADAPTIVE_HPS = (
    _lr(1.0, 1e-2, 10.0, "multiplies the estimated step d; the method is learning-rate free"),
    _b1(help="β₁ (optax's betas[0])"),
    _b2(help="β₂ (optax's betas[1])"),
    _eps(1e-8),
    _wd(0.0),
)
"""D-Adaptation AdamW and Prodigy share optax's signature and defaults."""


def _with_betas(optimizer):
    """optax's ``betas=(b1, b2)`` exposed as two sliders ``b1`` and ``b2`` (the learning-rate-free Adam variants)."""

    def factory(learning_rate=1.0, b1=0.9, b2=0.999, eps=1e-8, weight_decay=0.0):
        return optimizer(learning_rate, betas=(b1, b2), eps=eps, weight_decay=weight_decay)

    return factory



SPECS = (
    OptimizerSpec(
        name="acprop",
        title="ACProp",
        family="optax.contrib",
        latex=_aligned(
            r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\, g_t,\quad"
            r" s_t = \beta_2 s_{t-1} + (1-\beta_2)(g_t - m_{t-1})^2 + \bar\epsilon,\quad \bar\epsilon = 10^{-16} \\",
            r"x_t = x_{t-1} - \eta_t\, \frac{g_t}{\sqrt{s_{t-1}/(1-\beta_2^{t-1})} + \epsilon}"
            r"\quad(\text{denominator } 1 + \epsilon \text{ at } t = 1)",
        ),
        factory=optax.contrib.acprop,
        hyperparams=(_lr(0.01, 1e-4, 1.0), _b1(), _b2(), _eps(1e-16), _wd(0.0)),
        reference="Zhuang et al. 2021, arXiv:2110.05454 (optax.contrib.acprop scales g_t, not m_t)",
        misses=(
            (ROSENBROCK, "Like RMSProp, its normalized step keeps it hovering 0.03–0.05 from Rosenbrock's minimum "
                         "(0.049 after 4,000 steps)."),
        ),
    ),
    OptimizerSpec(
        name="ademamix",
        title="AdEMAMix",
        family="optax.contrib",
        latex=_aligned(
            r"m^{(1)}_t = \beta_1 m^{(1)}_{t-1} + (1-\beta_1) g_t,\quad m^{(2)}_t = \beta_3 m^{(2)}_{t-1} + (1-\beta_3) g_t,"
            r"\quad v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2 \\",
            r"x_t = x_{t-1} - \eta_t \Big(\frac{m^{(1)}_t/(1-\beta_1^t) + \alpha\, m^{(2)}_t}"
            r"{\sqrt{v_t/(1-\beta_2^t)} + \epsilon} + \lambda\, x_{t-1}\Big)",
        ),
        factory=optax.contrib.ademamix,
        hyperparams=(
            _lr(0.01, 1e-4, 1.0),
            _b1(),
            _b2(),
            _float("b3", 0.9999, 0.0, 0.99999, "β₃, decay of the slow gradient average"),
            _float("alpha", 5.0, 0.0, 20.0, "α, weight of the slow average"),
            _eps(1e-8),
            _wd(0.0),
        ),
        reference="Pagliardini, Ablin & Grangier 2024, arXiv:2409.03137",
        per_coordinate=True,
        budgets=(
            (VALLEY, 16_000),  # the slow EMA (β₃ = 0.9999) pushes it past the minimum: from step 8,124
            (ROSENBROCK, 16_000),  # from step 7,864
        ),
    ),
    OptimizerSpec(
        name="simplified_ademamix",
        title="Simplified AdEMAMix",
        family="optax.contrib",
        latex=_aligned(
            r"m_t = \beta_1 m_{t-1} + g_t,\quad n_t = \beta_2 n_{t-1} + (1-\beta_2)\, g_t^2 \\",
            r"x_t = x_{t-1} - \eta_t \Big(\frac{m_t + \alpha\, g_t}{\sqrt{n_t/(1-\beta_2^t)} + \epsilon} + \lambda\, x_{t-1}\Big)",
        ),
        factory=optax.contrib.simplified_ademamix,
        hyperparams=(
            _lr(1e-3, 1e-5, 0.1),
            _b1(0.99, "β₁, decay of the (undamped) momentum sum"),
            _b2(0.95),
            _float("alpha", 0.0, 0.0, 100.0, "α, weight of the current gradient"),
            _eps(1e-8),
            _wd(0.0),
        ),
        reference="Morwani et al. 2024, arXiv:2502.02431",
        per_coordinate=True,
    ),
    OptimizerSpec(
        name="adopt",
        title="ADOPT",
        family="optax.contrib",
        latex=_aligned(
            r"v_1 = g_1^2,\ m_1 = 0\ (\text{no move at } t=1);\quad"
            r" u_t = \operatorname{clip}\Big(\frac{g_t}{\max(\sqrt{v_{t-1}}, \epsilon)}, \pm (t-1)^{1/4}\Big) \\",
            r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\, u_t,\quad v_t = \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2,\quad"
            r" x_t = x_{t-1} - \eta_t\, m_t",
        ),
        factory=optax.contrib.adopt,
        hyperparams=(
            _lr(1.0, 1e-3, 10.0, "steps are clipped normalized gradients, so η is about the step length"),
            _b1(),
            _b2(0.9999),
            _eps(1e-6),
        ),
        reference="Taniguchi et al. 2024, arXiv:2411.02853",
    ),
    OptimizerSpec(
        name="cocob",
        title="COCOB-Backprop",
        family="optax.contrib",
        latex=_aligned(
            r"\tilde g_t = \eta_t (g_t + \lambda x_{t-1}),\ L_t = \max(L_{t-1}, |\tilde g_t|),\ L_0 = \epsilon,\ "
            r"G_t = G_{t-1} + |\tilde g_t|,\ \theta_t = \theta_{t-1} - \tilde g_t \\",
            r"R_t = \max\big(R_{t-1} - \tilde g_t (x_{t-1} - x_0), 0\big),\quad"
            r" x_t = x_0 + \frac{\theta_t\, (L_t + R_t)}{L_t \max(G_t + L_t,\ \alpha L_t)}",
        ),
        factory=optax.contrib.cocob,
        hyperparams=(
            _lr(1.0, 1e-2, 10.0, "multiplies the gradient; the method is learning-rate free"),
            _float("alpha", 100.0, 1.0, 1000.0, "α, bounds the first steps", log=True),
            _eps(1e-8, "L₀ = ε, the initial gradient-range estimate"),
            _wd(0.0),
        ),
        reference="Orabona & Tommasi 2017, arXiv:1705.07795",
        misses=(
            (ROSENBROCK, "Its coin-betting step keeps wagering: 0.27 from Rosenbrock's minimum after 4,000 steps, "
                         "0.08 after 16,000."),
        ),
    ),
    OptimizerSpec(
        name="dadapt_adamw",
        title="D-Adaptation AdamW",
        family="optax.contrib",
        latex=_aligned(
            r"\gamma_t = d_{t-1}\, \eta_t\, \tfrac{\sqrt{1-\beta_2^t}}{1-\beta_1^t},\quad"
            r" m_t = \beta_1 m_{t-1} + (1-\beta_1) \gamma_t g_t,\quad v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2 \\",
            r"s_t = \sqrt{\beta_2} s_{t-1} + (1-\sqrt{\beta_2}) \gamma_t g_t,\quad"
            r" r_t = \sqrt{\beta_2} r_{t-1} + (1-\sqrt{\beta_2}) \gamma_t \Big\langle g_t, \frac{s_{t-1}}"
            r"{\sqrt{v_{t-1}} + \epsilon}\Big\rangle \\",
            r"d_t = \max\Big(d_{t-1}, \frac{r_t}{(1-\sqrt{\beta_2}) \lVert s_t\rVert_1}\Big),\ d_0 = 10^{-6},\quad"
            r" x_t = x_{t-1} - \frac{m_t}{\sqrt{v_t} + \epsilon} - \lambda \gamma_t x_{t-1}",
        ),
        factory=_with_betas(optax.contrib.dadapt_adamw),
        hyperparams=_DISTANCE_ADAPTIVE_HPS,
        reference="Defazio & Mishchenko 2023, arXiv:2301.07733",
        code=codes.dadapt_adamw,
        misses=(
            (VALLEY, "Its adapted step size overshoots: 0.053 away after 4,000 steps; it reaches the minimum later "
                     "but leaves its neighbourhood again before settling."),
            (ROSENBROCK, "Its adapted step size overshoots in Rosenbrock's valley: 0.3–1 away."),
        ),
    ),
    OptimizerSpec(
        name="dog",
        title="DoG",
        family="optax.contrib",
        latex=_aligned(
            r"\bar r_t = \max\big(\bar r_{t-1}, \lVert x_{t-1} - x_0\rVert\big),\quad"
            r" \bar r_0 = 10^{-6}(1 + \lVert x_0\rVert),\quad G_t = G_{t-1} + \lVert g_t\rVert^2 \\",
            r"x_t = x_{t-1} - \eta_t\, \frac{\bar r_t}{\sqrt{G_t + \epsilon}}\, g_t",
        ),
        factory=optax.contrib.dog,
        hyperparams=(_lr(1.0, 1e-2, 10.0, "multiplies DoG's step; the method is learning-rate free"), _eps(1e-8)),
        reference="Ivgi, Hinder & Carmon 2023, arXiv:2302.12022",
        budgets=(
            (ROSENBROCK, 16_000),  # its distance-over-gradients step is cautious in the bend: from step 8,505
        ),
    ),
    OptimizerSpec(
        name="dowg",
        title="DoWG",
        family="optax.contrib",
        latex=_aligned(
            r"\bar r^2_t = \max\big(\bar r^2_{t-1}, \lVert x_{t-1} - x_0\rVert^2\big),\ \bar r^2_0 = \epsilon,\quad"
            r" v_t = v_{t-1} + \bar r^2_t \lVert g_t\rVert^2 \\",
            r"x_t = x_{t-1} - \eta_t\, \frac{\bar r^2_t}{\sqrt{v_t} + \epsilon}\, g_t",
        ),
        factory=optax.contrib.dowg,
        hyperparams=(
            _lr(1.0, 1e-2, 10.0, "multiplies DoWG's step; the method is learning-rate free"),
            _eps(1e-4, "ε: the initial squared-distance estimate and the denominator guard"),
        ),
        reference="Khaled, Mishchenko & Jin 2023, arXiv:2305.16284",
        budgets=(
            (ROSENBROCK, 16_000),  # from step 9,378
        ),
    ),
    OptimizerSpec(
        name="madgrad",
        title="MADGRAD",
        family="optax.contrib",
        latex=_aligned(
            r"\tilde g_t = g_t + \lambda x_{t-1},\quad a_t = (\eta_t + \epsilon)\sqrt{t},\quad"
            r" s_t = s_{t-1} + a_t \tilde g_t,\quad \nu_t = \nu_{t-1} + a_t \tilde g_t^2 \\",
            r"z_t = x_0 - \frac{s_t}{\sqrt[3]{\nu_t} + \epsilon},\quad x_t = (1 - \mu)\, z_t + \mu\, x_{t-1}",
        ),
        factory=optax.contrib.madgrad,
        hyperparams=(
            _lr(0.01, 1e-4, 1.0),
            _momentum(0.9, "μ, weight of the previous iterate"),
            _wd(0.0),
            _eps(1e-6),
        ),
        reference="Defazio & Jelassi 2021, arXiv:2101.11075",
        budgets=(
            (ROSENBROCK, 16_000),  # its dual-averaged step shrinks like t^(-1/3): from step 9,192 (0.0013 at the end)
        ),
    ),
    OptimizerSpec(
        name="mechanize",
        title="Mechanic (on SGD)",
        family="optax.contrib",
        latex=_aligned(
            r"S = \textstyle\sum_i s_i,\quad \delta_t = \frac{x_0 - x_{t-1}}{S + \epsilon},\quad"
            r" h_t = \Big\langle g_t + \lambda \frac{S \lVert g_t\rVert}{\lVert x_{t-1}\rVert + \epsilon} x_{t-1},"
            r"\ \delta_t \Big\rangle \\",
            r"\beta_i = 1 - 10^{-i}\ (i = 1..6):\ \ r_i \leftarrow \beta_i r_i + \operatorname{clip}(h_t, \pm M_i)\, s_i,"
            r"\ M_i \leftarrow \max(\beta_i M_i, |h_t| + \epsilon),\ V_i \leftarrow \beta_i^2 V_i + h_t^2 \\",
            r"s_i \leftarrow \frac{10^{-6} M_i / 6 + \max(r_i, 0)}{\sqrt{V_i} + \epsilon},\quad"
            r" x_t = x_0 - \big(\textstyle\sum_i s_i\big)\big(\delta_t + \eta_t g_t\big)\ \ (\text{SGD underneath})",
        ),
        factory=lambda learning_rate=0.1, weight_decay=0.01, eps=1e-8: optax.contrib.mechanize(
            optax.sgd(learning_rate), weight_decay=weight_decay, eps=eps
        ),
        hyperparams=(
            _lr(0.1, 1e-3, 10.0, "of the SGD underneath; Mechanic learns the scale s on top"),
            _wd(0.01, "λ, Mechanic's own weight decay (optax default 0.01)"),
            _eps(1e-8),
        ),
        reference="Cutkosky, Defazio & Mehta 2023, arXiv:2306.00144",
        code=codes.mechanize,
        misses=(
            (ROSENBROCK, "Its default weight decay 0.01 pulls the answer toward the origin: 0.3 from the minimum "
                         "after 16,000 steps."),
        ),
        budgets=(
            (VALLEY, 16_000),  # from step 10,656
        ),
    ),
    OptimizerSpec(
        name="momo",
        title="MoMo",
        family="optax.contrib",
        latex=_aligned(
            r"\beta_t = 0 \text{ at } t=1 \text{ else } \beta:\ \ m_t = \beta_t m_{t-1} + (1-\beta_t) g_t,\ "
            r"\bar f_t = \beta_t \bar f_{t-1} + (1-\beta_t) f(x_{t-1}),\ "
            r"\gamma_t = \beta_t \gamma_{t-1} + (1-\beta_t)\langle g_t, x_{t-1}\rangle \\",
            r"\tau_t = \min\!\Big(\eta_t, \frac{\max\big((1+\eta_t\lambda)(\bar f_t - f^\star - \gamma_t) +"
            r" \langle m_t, x_{t-1}\rangle, 0\big)}{\lVert m_t\rVert^2}\Big),\quad"
            r" x_t = x_{t-1} - \tfrac{\eta_t\lambda}{1+\eta_t\lambda} x_{t-1} - \tau_t m_t",
        ),
        factory=optax.contrib.momo,
        hyperparams=(
            _lr(1.0, 1e-2, 10.0, "the cap on the model-based step τ"),
            _float("beta", 0.9, 0.0, 0.999, "β, decay of the averages"),
            _float("lower_bound", 0.0, -10.0, 10.0, "f*, a lower bound on the minimum value"),
            _wd(0.0),
        ),
        needs=frozenset({"value"}),
        reference="Schaipp, Ohana, Eickenberg, Defazio & Gower 2024, arXiv:2305.07583",
    ),
    OptimizerSpec(
        name="momo_adam",
        own_defaults=(("learning_rate", "optax's 0.01 caps the model-based step too low for 2-D surfaces"),),
        title="MoMo-Adam",
        family="optax.contrib",
        latex=_aligned(
            r"m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t,\ \bar f_t = \beta_1 \bar f_{t-1} + (1-\beta_1) f(x_{t-1}),\ "
            r"\gamma_t = \beta_1 \gamma_{t-1} + (1-\beta_1)\langle g_t, x_{t-1}\rangle \\",
            r"v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2,\quad D_t = \epsilon + \sqrt{v_t/(1-\beta_2^t)} \\",
            r"\tau_t = \min\!\Big(\frac{\eta_t}{1-\beta_1^t}, \frac{\max\big((1+\eta_t\lambda)(\bar f_t - (1-\beta_1^t)"
            r" f^\star - \gamma_t) + \langle m_t, x_{t-1}\rangle, 0\big)}{\langle m_t, m_t / D_t\rangle}\Big),\quad"
            r" x_t = x_{t-1} - \tfrac{\eta_t\lambda}{1+\eta_t\lambda} x_{t-1} - \tau_t \frac{m_t}{D_t}",
        ),
        factory=optax.contrib.momo_adam,
        hyperparams=(
            _lr(0.1, 1e-3, 10.0, "the cap on the model-based step τ (optax default 0.01)"),
            _b1(),
            _b2(),
            _eps(1e-8),
            _float("lower_bound", 0.0, -10.0, 10.0, "f*, a lower bound on the minimum value"),
            _wd(0.0),
        ),
        needs=frozenset({"value"}),
        reference="Schaipp et al. 2024, arXiv:2305.07583",
    ),
    OptimizerSpec(
        name="prodigy",
        title="Prodigy",
        family="optax.contrib",
        latex=_aligned(
            r"\gamma_t = d_{t-1}\, \eta_t\, \tfrac{\sqrt{1-\beta_2^t}}{1-\beta_1^t},\quad"
            r" m_t = \beta_1 m_{t-1} + (1-\beta_1) d_{t-1} g_t,\quad v_t = \beta_2 v_{t-1} + (1-\beta_2) d_{t-1}^2 g_t^2 \\",
            r"r_t = \sqrt{\beta_2} r_{t-1} + \tfrac{d_{t-1}}{d_0} \gamma_t \langle g_t, x_0 - x_{t-1}\rangle,\quad"
            r" s_t = \sqrt{\beta_2} s_{t-1} + \tfrac{d_{t-1}}{d_0} \gamma_t g_t,\quad"
            r" d_t = \max\big(d_{t-1}, r_t / \lVert s_t\rVert_1\big),\ d_0 = 10^{-6} \\",
            r"x_t = x_{t-1} - \gamma_t \Big(\frac{m_t}{\sqrt{v_t} + d_{t-1}\epsilon} + \lambda x_{t-1}\Big)",
        ),
        factory=_with_betas(optax.contrib.prodigy),
        hyperparams=_DISTANCE_ADAPTIVE_HPS,
        reference="Mishchenko & Defazio 2024, arXiv:2306.06101",
        code=codes.prodigy,
        misses=(
            (ROSENBROCK, "Its estimate of the distance to the solution grows large in Rosenbrock's valley: 0.2 away "
                         "after 4,000 steps and 1 after 16,000."),
        ),
    ),
    OptimizerSpec(
        name="sam",
        own_defaults=(("rho", "optax.contrib.sam takes the adversarial step as an optimizer (normalize, then "
                                "sgd(ρ)), not ρ: it has no default to follow; 0.05 is the paper's"),),
        title="SAM (sharpness-aware)",
        family="optax.contrib",
        latex=_aligned(
            r"\tilde x_t = x_{t-1} + \rho\, \frac{g_t}{\lVert g_t\rVert}\ \ (\text{ascent to the worst nearby point}) \\",
            r"x_t = x_{t-1} - \eta_t\, \nabla f(\tilde x_t)",
        ),
        factory=_sam,
        hyperparams=(_lr(1e-3), _float("rho", 0.05, 0.0, 1.0, "ρ, radius of the adversarial step (paper: 0.05)")),
        converges=False,
        why_not="It follows the gradient at a point ρ away, which does not vanish at the minimum, so it keeps "
        "stepping by about η‖∇²f‖ρ and hovers instead of settling; at an exact critical point g/‖g‖ is undefined.",
        needs=frozenset({"value_fn"}),
        reference="Foret et al. 2021, arXiv:2010.01412 (optax.contrib.sam, opaque mode, optax's recipe)",
        code=codes.sam,
        misses=(
            (VALLEY, "With η = 1e-3 it is too slow for the valley floor (1.6 away after 16,000 steps), and its "
                     "perturbed gradient never vanishes at the minimum."),
            (ROSENBROCK, "It follows the gradient a distance ρ away, which does not vanish at Rosenbrock's minimum: "
                         "it stops about 1 away."),
        ),
    ),
    OptimizerSpec(
        name="schedule_free_sgd",
        own_defaults=(("learning_rate", "optax's 1.0 diverges on these surfaces"),),
        title="Schedule-free SGD",
        family="optax.contrib",
        latex=_aligned(
            r"y_t = (1-\beta) z_{t-1} + \beta\, x_{t-1},\quad z_t = z_{t-1} - \eta_t \nabla f(y_t),\quad z_0 = x_0 \\",
            r"c_t = \frac{\max_{s \le t} \eta_s^{\,p}}{\sum_{s \le t} \max_{r \le s} \eta_r^{\,p}},\quad"
            r" x_t = (1 - c_t)\, x_{t-1} + c_t\, z_t\quad(\text{the plotted point is } x)",
        ),
        factory=lambda learning_rate=1.0, b1=0.9, weight_lr_power=2.0: _schedule_free_at_x(
            optax.contrib.schedule_free_sgd(learning_rate, b1=b1, weight_lr_power=weight_lr_power)
        ),
        hyperparams=(
            _lr(1e-3, 1e-4, 1.0, "optax's default 1.0 is far too large for these surfaces"),
            _b1(0.9, "β, interpolation between z and x for the gradient point"),
            _float("weight_lr_power", 2.0, 0.0, 4.0, "p, weights the average by η^p"),
        ),
        needs=frozenset({"value_fn"}),
        reference="Defazio et al. 2024, arXiv:2405.15682",
        code=codes.schedule_free_sgd,
        misses=(
            (VALLEY, "With η = 1e-3 it is far too slow: 3.2 away after 16,000 steps."),
            (ROSENBROCK, "With η = 1e-3 it stops about 0.24 short of Rosenbrock's minimum."),
        ),
    ),
    OptimizerSpec(
        name="schedule_free_adamw",
        own_defaults=(("learning_rate", "optax's 0.0025 crawls on these surfaces"),),
        title="Schedule-free AdamW",
        family="optax.contrib",
        latex=_aligned(
            r"y_t = (1-\beta_1) z_{t-1} + \beta_1 x_{t-1},\quad \hat g_t = \nabla f(y_t),\quad"
            r" v_t = \beta_2 v_{t-1} + (1-\beta_2)\hat g_t^2 \\",
            r"z_t = z_{t-1} - \eta_t\Big(\frac{\hat g_t}{\sqrt{v_t/(1-\beta_2^t)} + \epsilon} + \lambda y_t\Big),\quad"
            r" x_t = (1 - c_t)\, x_{t-1} + c_t\, z_t,\quad c_t = \frac{\max_{s\le t}\eta_s^{\,p}}"
            r"{\sum_{s \le t} \max_{r\le s}\eta_r^{\,p}}",
        ),
        factory=lambda learning_rate=0.0025, b1=0.9, b2=0.999, eps=1e-8, weight_decay=0.0, weight_lr_power=2.0: (
            _schedule_free_at_x(
                optax.contrib.schedule_free_adamw(
                    learning_rate, b1=b1, b2=b2, eps=eps, weight_decay=weight_decay, weight_lr_power=weight_lr_power
                )
            )
        ),
        hyperparams=(
            _lr(0.05, 1e-4, 1.0),
            _b1(0.9, "β₁, interpolation between z and x for the gradient point"),
            _b2(),
            _eps(1e-8),
            _wd(0.0),
            _float("weight_lr_power", 2.0, 0.0, 4.0, "p, weights the average by η^p"),
        ),
        needs=frozenset({"value_fn"}),
        reference="Defazio et al. 2024, arXiv:2405.15682",
        code=codes.schedule_free_adamw,
        budgets=(
            (ROSENBROCK, 8_000),  # from step 4,272
        ),
    ),
    OptimizerSpec(
        name="sophia",
        title="Sophia-H",
        family="optax.contrib",
        latex=_aligned(
            r"m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t,\quad x_t = x_{t-1} - \eta_t \Big(\operatorname{clip}\Big("
            r"\frac{m_t/(1-\beta_1^t)}{\max(\gamma h_{t-1}, \epsilon)}, \pm 1\Big) + \lambda x_{t-1}\Big) \\",
            r"h_t = \beta_2 h_{t-1} + (1-\beta_2)\, u \odot \big(\nabla^2 f(x_{t-1})\, u\big)\ \text{if } t \equiv 1"
            r" \pmod k \text{ else } h_{t-1},\quad u \sim \text{Rademacher},\ h_0 = 0",
        ),
        factory=lambda learning_rate, b1=0.965, b2=0.99, eps=1e-8, weight_decay=1e-4, gamma=0.01, update_interval=10: (
            _obj_fn_from_value_fn(
                optax.contrib.sophia(
                    learning_rate,
                    b1=b1,
                    b2=b2,
                    eps=eps,
                    weight_decay=weight_decay,
                    gamma=gamma,
                    update_interval=update_interval,
                )
            )
        ),
        hyperparams=(
            _lr(0.01, 1e-4, 1.0),
            _b1(0.965),
            _b2(0.99, "β₂, decay of the Hessian-diagonal estimate"),
            _eps(1e-8),
            _wd(1e-4),
            _float("gamma", 0.01, 1e-4, 1.0, "γ, scales the Hessian diagonal", log=True),
            _int("update_interval", 10, 1, 100, "k, steps between Hessian-diagonal estimates"),
        ),
        needs=frozenset({"value_fn"}),
        reference="Liu et al. 2023, arXiv:2305.14342 (Hutchinson estimate, fixed key)",
        code=codes.sophia,
    ),
)
