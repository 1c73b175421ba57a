r"""Everything else optax ships (``optax``, family ``"optax"``) that runs on a two-parameter problem, with the
adapters some of them need."""

from __future__ import annotations

import optax

from ..base import OptimizerSpec
from . import _code as codes
from ._common import (ROSENBROCK, VALLEY, _ADAM_MOMENTS, _NADAM_MOMENTS, _NORMALIZED_STEP, _aligned, _b1, _b2,
                      _eps, _float, _int, _lr, _momentum, _wd)


# Adapters: optax optimizers whose update wants something other than (grads, state, params, **extra).


def _keep_extra_args(tx: optax.GradientTransformation, keep: tuple[str, ...]) -> optax.GradientTransformationExtraArgs:
    """Forward only the named extra arguments (optax's zoom line search rejects any it cannot pass to ``value_fn``)."""
    tx = optax.with_extra_args_support(tx)

    def update(updates, state, params=None, **extra):
        return tx.update(updates, state, params, **{k: extra[k] for k in keep})

    return optax.GradientTransformationExtraArgs(tx.init, update)



def _rprop(learning_rate, eta_minus=0.5, eta_plus=1.2, min_step_size=1e-6, max_step_size=50.0):
    if callable(learning_rate):
        raise TypeError("rprop's learning_rate is its initial step size Δ₀ and cannot follow a schedule")
    return optax.rprop(learning_rate, eta_minus, eta_plus, min_step_size, max_step_size)


def _sm3(learning_rate, momentum=0.9):
    # optax.sm3 ends in scale(-learning_rate), which takes no schedule; scale_by_learning_rate is the same for a float.
    return optax.chain(optax.scale_by_sm3(momentum), optax.scale_by_learning_rate(learning_rate))



SPECS = (
    OptimizerSpec(
        name="adabelief",
        title="AdaBelief",
        family="optax",
        latex=_aligned(
            r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t \\",
            r"s_t = \beta_2 s_{t-1} + (1-\beta_2)(g_t - m_t)^2 + \bar\epsilon,\quad \bar\epsilon = 10^{-16} \\",
            r"x_t = x_{t-1} - \eta_t\, \frac{m_t/(1-\beta_1^t)}{\sqrt{s_t/(1-\beta_2^t)} + \epsilon}",
        ),
        factory=optax.adabelief,
        hyperparams=(_lr(0.1, 1e-4, 1.0), _b1(), _b2(), _eps(1e-16)),
        reference="Zhuang et al. 2020, arXiv:2010.07468",
        step_scale="length",
        per_coordinate=True,
    ),
    OptimizerSpec(
        name="adadelta",
        own_defaults=(("learning_rate", "optax's None skips scale_by_learning_rate, sign flip included: it would "
                                          "climb"),),
        title="AdaDelta",
        family="optax",
        latex=_aligned(
            r"E^g_t = \rho E^g_{t-1} + (1-\rho)\, g_t^2 \\",
            r"\Delta_t = \frac{\sqrt{E^\Delta_{t-1} + \epsilon}}{\sqrt{E^g_t + \epsilon}}\, g_t,\quad"
            r" E^\Delta_t = \rho E^\Delta_{t-1} + (1-\rho)\, \Delta_t^2 \\",
            r"x_t = x_{t-1} - \eta_t\, \Delta_t",
        ),
        factory=optax.adadelta,
        hyperparams=(
            _lr(1.0, 1e-2, 10.0, "optax's default None skips the scaling and so also the sign flip (ascent): "
                "1.0 is Zeiler's rule"),
            _float("rho", 0.9, 0.0, 0.9999, "ρ, decay of both running averages"),
            _eps(1e-6),
        ),
        reference="Zeiler 2012, arXiv:1212.5701",
        per_coordinate=True,
        misses=(
            (ROSENBROCK, "Its unit-correcting step stays large in Rosenbrock's curved valley: 0.6 from the minimum "
                         "after 4,000 steps, 0.8 after 16,000."),
        ),
    ),
    OptimizerSpec(
        name="adafactor",
        own_defaults=(("learning_rate", "optax's None steps RMS(x) per step"),),
        title="Adafactor",
        family="optax",
        latex=_aligned(
            r"\hat\beta_t = 1 - t^{-0.8},\quad v_t = \hat\beta_t v_{t-1} + (1-\hat\beta_t)(g_t^2 + \epsilon) \\",
            r"u_t = \frac{g_t}{\sqrt{v_t}} \Big/ \max\!\Big(1, \tfrac{\mathrm{RMS}(g_t/\sqrt{v_t})}{d}\Big) \\",
            r"x_t = x_{t-1} - \eta_t \max\big(\mathrm{RMS}(x_{t-1}), 10^{-3}\big)\, u_t",
        ),
        factory=optax.adafactor,
        hyperparams=(
            _lr(0.05, 1e-4, 1.0, "optax's default None means a step of RMS(x) per step; 0.05 suits 2-D surfaces"),
            _float("decay_rate", 0.8, 0.1, 1.0, "exponent c in β̂ₜ = 1 − t^(−c)"),
            _float("clipping_threshold", 1.0, 0.01, 10.0, "d: the RMS of the scaled step is capped at d", log=True),
            _eps(1e-30, "ε added to g² (optax default 1e-30)"),
        ),
        reference="Shazeer & Stern 2018, arXiv:1804.04235 (a 2-vector is not factored: plain RMS scaling)",
        misses=(
            (ROSENBROCK, "Its relative step (clipped RMS update) hovers about 0.39 from Rosenbrock's minimum."),
        ),
    ),
    OptimizerSpec(
        name="adamax",
        title="AdaMax",
        family="optax",
        latex=_aligned(
            r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t,\quad u_t = \max(\beta_2 u_{t-1},\ |g_t| + \epsilon) \\",
            r"x_t = x_{t-1} - \eta_t\, \frac{m_t}{(1-\beta_1^t)\, u_t}",
        ),
        factory=optax.adamax,
        hyperparams=(_lr(0.1, 1e-4, 1.0), _b1(), _b2(help="decay β₂ of the running max |g|"), _eps(1e-8)),
        reference="Kingma & Ba 2015, arXiv:1412.6980, section 7",
        step_scale="length",
        per_coordinate=True,
    ),
    OptimizerSpec(
        name="adamaxw",
        title="AdaMaxW",
        family="optax",
        latex=_aligned(
            r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t,\quad u_t = \max(\beta_2 u_{t-1},\ |g_t| + \epsilon) \\",
            r"x_t = x_{t-1} - \eta_t \Big(\frac{m_t}{(1-\beta_1^t)\, u_t} + \lambda\, x_{t-1}\Big)",
        ),
        factory=optax.adamaxw,
        hyperparams=(_lr(0.1, 1e-4, 1.0), _b1(), _b2(help="decay β₂ of the running max |g|"), _eps(1e-8), _wd(1e-4)),
        reference="Kingma & Ba 2015; Loshchilov & Hutter 2019",
        step_scale="length",
        per_coordinate=True,
    ),
    OptimizerSpec(
        name="adan",
        title="Adan",
        family="optax",
        latex=_aligned(
            r"\delta_t = g_t - g_{t-1}\ (\delta_1 = 0),\quad m_t = \beta_1 m_{t-1} + (1-\beta_1)\, g_t,\quad"
            r" d_t = \beta_2 d_{t-1} + (1-\beta_2)\, \delta_t \\",
            r"n_t = \beta_3 n_{t-1} + (1-\beta_3)\big(g_t + (1-\beta_2)\,\delta_t\big)^2,\quad"
            r" \hat{\cdot}_t = \cdot_t/(1-\beta_\cdot^t) \\",
            r"x_t = x_{t-1} - \eta_t \Big(\frac{\hat m_t + (1-\beta_2)\, \hat d_t}{\sqrt{\hat n_t + \bar\epsilon} + \epsilon}"
            r" + \lambda\, x_{t-1}\Big),\quad \bar\epsilon = 10^{-8}",
        ),
        factory=optax.adan,
        hyperparams=(
            _lr(0.05, 1e-4, 1.0),
            _b1(0.98),
            _b2(0.92, "decay β₂ of the gradient-difference average"),
            _float("b3", 0.99, 0.0, 0.99999, "decay β₃ of the squared average"),
            _eps(1e-8),
            _wd(0.0),
        ),
        reference="Xie et al. 2022, arXiv:2208.06677",
    ),
    OptimizerSpec(
        name="amsgrad",
        title="AMSGrad",
        family="optax",
        latex=_aligned(
            _ADAM_MOMENTS,
            r"\tilde v_t = \max(\tilde v_{t-1}, \hat v_t),\quad"
            r" x_t = x_{t-1} - \eta_t\, \frac{\hat m_t}{\sqrt{\tilde v_t} + \epsilon}",
        ),
        factory=optax.amsgrad,
        hyperparams=(
            _lr(1.0, 1e-3, 10.0, "large: the running max of v keeps early, steep gradients in the denominator"),
            _b1(),
            _b2(),
            _eps(1e-8),
        ),
        reference="Reddi, Kale & Kumar 2018, arXiv:1904.09237",
        step_scale="length",
        per_coordinate=True,
    ),
    OptimizerSpec(
        name="fromage",
        title="Fromage",
        family="optax",
        latex=r"x_t = \frac{1}{\sqrt{1+\eta_t^2}} \Big(x_{t-1} - \eta_t\, \frac{\max(\lVert x_{t-1}\rVert, \nu)}"
        r"{\max(\lVert g_t\rVert, \nu)}\, g_t\Big),\quad \nu = 10^{-6}",
        factory=optax.fromage,
        hyperparams=(_lr(0.01, 1e-4, 1.0),),
        converges=False,
        why_not=_NORMALIZED_STEP,
        reference="Bernstein et al. 2020, arXiv:2002.03432",
    ),
    OptimizerSpec(
        name="lars",
        title="LARS",
        family="optax",
        latex=_aligned(
            r"\tilde g_t = g_t + \lambda x_{t-1},\quad u_t = \tau\, \frac{\lVert x_{t-1}\rVert}{\lVert \tilde g_t\rVert + \epsilon}"
            r"\, \tilde g_t\ \ (\text{ratio } 1 \text{ if a norm is } 0) \\",
            r"v_t = \mu\, v_{t-1} - \eta_t\, u_t,\quad x_t = x_{t-1} + v_t",
        ),
        factory=optax.lars,
        hyperparams=(
            _lr(3.0, 1e-2, 100.0, "large, since the trust coefficient τ = 0.001 multiplies it"),
            _wd(0.0),
            _float("trust_coefficient", 0.001, 1e-4, 1.0, "τ", log=True),
            _float("eps", 0.0, 0.0, 1e-3, "ε added to ‖g̃‖ (optax default 0)"),
            _momentum(0.9),
        ),
        converges=False,
        why_not=_NORMALIZED_STEP,
        reference="You, Gitman & Ginsburg 2017, arXiv:1708.03888",
    ),
    OptimizerSpec(
        name="lbfgs",
        own_defaults=(("learning_rate", "optax's None means a unit step, the same as 1.0"),),
        title="L-BFGS (zoom line search)",
        family="optax",
        latex=_aligned(
            r"d_t = -H_t\, g_t \ \ (\text{two-loop recursion over the last } m \text{ pairs } "
            r"s = \Delta x,\ y = \Delta g;\ H^0_t = \tfrac{s^\top y}{y^\top y} I) \\",
            r"x_t = x_{t-1} + \alpha_t\, \eta_t\, d_t,\quad \alpha_t: \text{strong-Wolfe zoom line search from }"
            r" \alpha = 1\quad(H_1 = \min(1, 1/\lVert g_1\rVert) I)",
        ),
        factory=lambda learning_rate=1.0, memory_size=10: _keep_extra_args(
            optax.lbfgs(learning_rate, memory_size=memory_size), ("value", "grad", "value_fn")
        ),
        hyperparams=(
            _lr(1.0, 1e-2, 10.0, "scales the direction before the line search; optax's None is 1"),
            _int("memory_size", 10, 1, 50, "m, how many (Δx, Δg) pairs are kept"),
        ),
        needs=frozenset({"value", "grad", "value_fn"}),
        reference="Nocedal 1980; Nocedal & Wright, Numerical Optimization, alg. 7.4 and 3.6",
        code=codes.lbfgs,
    ),
    OptimizerSpec(
        name="lion",
        title="Lion",
        family="optax",
        latex=_aligned(
            r"x_t = x_{t-1} - \eta_t \big(\operatorname{sign}(\beta_1 m_{t-1} + (1-\beta_1)\, g_t) + \lambda\, x_{t-1}\big) \\",
            r"m_t = \beta_2 m_{t-1} + (1-\beta_2)\, g_t",
        ),
        factory=optax.lion,
        hyperparams=(
            _lr(0.01, 1e-4, 1.0),
            _b1(0.9, "β₁, mixes momentum and gradient for the sign"),
            _b2(0.99, "β₂, decay of the momentum"),
            _wd(1e-3),
        ),
        converges=False,
        why_not="Every step has length η√2 (a sign vector) plus the decay term, so with a constant η it zig-zags "
        "around the minimum at about that distance; a decaying schedule makes it converge.",
        reference="Chen et al. 2023, arXiv:2302.06675",
        step_scale="length",
        per_coordinate=True,
    ),
    OptimizerSpec(
        name="nadam",
        title="NAdam",
        family="optax",
        latex=_aligned(_NADAM_MOMENTS, r"x_t = x_{t-1} - \eta_t\, \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}"),
        factory=optax.nadam,
        hyperparams=(_lr(0.05, 1e-4, 1.0), _b1(), _b2(), _eps(1e-8)),
        reference="Dozat 2016, ICLR workshop",
        step_scale="length",
        per_coordinate=True,
    ),
    OptimizerSpec(
        name="nadamw",
        title="NAdamW",
        family="optax",
        latex=_aligned(
            _NADAM_MOMENTS,
            r"x_t = x_{t-1} - \eta_t \Big(\frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon} + \lambda\, x_{t-1}\Big)",
        ),
        factory=optax.nadamw,
        hyperparams=(_lr(0.05, 1e-4, 1.0), _b1(), _b2(), _eps(1e-8), _wd(1e-4)),
        reference="Dozat 2016; Loshchilov & Hutter 2019",
        step_scale="length",
        per_coordinate=True,
    ),
    OptimizerSpec(
        name="noisy_sgd",
        title="Noisy SGD",
        family="optax",
        latex=r"x_t = x_{t-1} - \eta_t \big(g_t + \sigma_t\, \xi_t\big),\quad \sigma_t^2 = \frac{\eta_\xi}{t^{\gamma}},"
        r"\quad \xi_t \sim \mathcal N(0, I)\ \text{(fixed seed 0)}",
        factory=lambda learning_rate, eta=0.01, gamma=0.55: optax.noisy_sgd(learning_rate, eta, gamma, key=0),
        hyperparams=(
            _lr(1e-3),
            _float("eta", 0.01, 0.0, 10.0, "η_ξ, initial variance of the gradient noise"),
            _float("gamma", 0.55, 0.0, 2.0, "γ, decay exponent of the noise variance"),
        ),
        reference="Neelakantan et al. 2015, arXiv:1511.06807",
        step_scale="curvature",
        code=codes.noisy_sgd,
        misses=(
            (VALLEY, "With η = 1e-3 it is far too slow for the valley floor: still 1.6 away after 16,000 steps."),
        ),
        budgets=(
            (ROSENBROCK, 16_000),  # η = 1e-3: from step 8,598
        ),
    ),
    OptimizerSpec(
        name="novograd",
        title="NovoGrad",
        family="optax",
        latex=_aligned(
            r"v_1 = \lVert g_1\rVert^2,\quad v_t = \beta_2 v_{t-1} + (1-\beta_2)\lVert g_t\rVert^2 \\",
            r"m_t = \beta_1 m_{t-1} + \frac{g_t}{\sqrt{v_t} + \epsilon} + \lambda\, x_{t-1}\ \ (m_0 = 0),\quad"
            r" x_t = x_{t-1} - \eta_t\, m_t",
        ),
        factory=optax.novograd,
        hyperparams=(
            _lr(0.01, 1e-4, 1.0),
            _b1(),
            _b2(0.25, "decay β₂ of the squared gradient norm"),
            _eps(1e-6),
            _wd(0.0),
        ),
        reference="Ginsburg et al. 2019, arXiv:1905.11286 (the whole 2-vector is one layer)",
    ),
    OptimizerSpec(
        name="optimistic_gradient_descent",
        title="Optimistic gradient descent",
        family="optax",
        latex=r"x_t = x_{t-1} - \eta_t\big((\alpha + \beta)\, g_t - \beta\, g_{t-1}\big),\quad g_0 := g_1",
        factory=optax.optimistic_gradient_descent,
        hyperparams=(
            _lr(1e-3),
            _float("alpha", 1.0, 0.0, 2.0, "α, weight of the current gradient"),
            _float("beta", 1.0, 0.0, 2.0, "β, weight of the gradient change (optimism)"),
        ),
        reference="Mokhtari, Ozdaglar & Pattathil 2019, arXiv:1901.08511",
        step_scale="curvature",
        per_coordinate=True,
        misses=(
            (VALLEY, "With η = 1e-3 it is far too slow: 5.4 away after 4,000 steps and 1.6 after 16,000."),
            (ROSENBROCK, "With η = 1e-3 it stops about 0.48 short of Rosenbrock's minimum."),
        ),
    ),
    OptimizerSpec(
        name="optimistic_adam",
        title="Optimistic Adam",
        family="optax",
        latex=_aligned(
            _NADAM_MOMENTS,
            r"d_t = \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon},\quad"
            r" x_t = x_{t-1} - \eta_t\big((\alpha + \beta)\, d_t - \beta\, d_{t-1}\big),\quad d_0 := d_1",
        ),
        factory=lambda learning_rate, alpha=1.0, beta=1.0, b1=0.9, b2=0.999, eps=1e-8: optax.optimistic_adam_v2(
            learning_rate, alpha=alpha, beta=beta, b1=b1, b2=b2, eps=eps
        ),
        hyperparams=(
            _lr(0.05, 1e-4, 1.0),
            _float("alpha", 1.0, 0.0, 2.0, "α, weight of the current direction"),
            _float("beta", 1.0, 0.0, 2.0, "β, weight of the direction change (optimism)"),
            _b1(),
            _b2(),
            _eps(1e-8),
        ),
        reference="Daskalakis et al. 2018, arXiv:1711.00141 (optax.optimistic_adam_v2; v1 is deprecated)",
        per_coordinate=True,
        code=codes.optimistic_adam,
        misses=(
            (ROSENBROCK, "The optimistic correction makes it orbit Rosenbrock's minimum at 0.16–0.24."),
        ),
    ),
    OptimizerSpec(
        name="polyak_sgd",
        title="Polyak step-size SGD",
        family="optax",
        latex=r"\gamma_t = \min\!\Big(\frac{f(x_{t-1}) - f^\star}{c^2 \lVert g_t\rVert^2 + \epsilon},\ \gamma_{\max}\Big)"
        r"\ (0 \text{ if } c^2\lVert g_t\rVert^2 + \epsilon \le \epsilon_{\text{mach}}),"
        r"\quad x_t = x_{t-1} - \gamma_t\, c\, g_t",
        factory=optax.polyak_sgd,
        hyperparams=(
            _float("max_learning_rate", 1.0, 1e-3, 10.0, "γ_max, cap on the Polyak step", log=True),
            _float("scaling", 1.0, 0.01, 10.0, "c, scales the gradient", log=True),
            _float("f_min", 0.0, -10.0, 10.0, "f*, the assumed optimal value (0 is right for most built-ins)"),
            _float("eps", 0.0, 0.0, 1.0, "ε added to c²‖g‖² (optax default 0)"),
        ),
        needs=frozenset({"value"}),
        reference="Polyak 1987; Loizou et al. 2021, arXiv:2002.10542",
    ),
    OptimizerSpec(
        name="radam",
        title="RAdam",
        family="optax",
        latex=_aligned(
            _ADAM_MOMENTS,
            r"\rho_\infty = \tfrac{2}{1-\beta_2} - 1,\quad \rho_t = \rho_\infty - \tfrac{2t\beta_2^t}{1-\beta_2^t},\quad"
            r" r_t = \sqrt{\tfrac{(\rho_t-4)(\rho_t-2)\rho_\infty}{(\rho_\infty-4)(\rho_\infty-2)\rho_t}} \\",
            r"x_t = x_{t-1} - \eta_t \begin{cases} r_t\, \hat m_t/(\sqrt{\hat v_t} + \epsilon) & \rho_t \ge 5 \\"
            r" \hat m_t & \text{otherwise} \end{cases}",
        ),
        factory=optax.radam,
        hyperparams=(
            _lr(1e-3, 1e-5, 1.0, "its first steps (ρ_t < 5) are plain momentum steps η m̂, so η must suit SGD too"),
            _b1(),
            _b2(),
            _eps(1e-8),
        ),
        reference="Liu et al. 2020, arXiv:1908.03265",
        step_scale="length",
        per_coordinate=True,
        budgets=(
            (VALLEY, 16_000),  # optax's default η = 1e-3: from step 13,099
            (ROSENBROCK, 16_000),  # from step 9,027
        ),
    ),
    OptimizerSpec(
        name="rprop",
        title="Rprop (iRprop−)",
        family="optax",
        latex=_aligned(
            r"s = g_t \cdot g_{t-1}:\ \ \Delta_t = \begin{cases} \min(\eta^+ \Delta_{t-1}, \Delta_{\max}) & s > 0 \\"
            r" \max(\eta^- \Delta_{t-1}, \Delta_{\min}) & s < 0 \\ \Delta_{t-1} & s = 0 \end{cases},\quad"
            r" \Delta_0 = \eta \\",
            r"x_t = x_{t-1} - \Delta_t \operatorname{sign}(g_t)\ \text{if } s \ge 0,"
            r"\ \text{else no move and } g_t \text{ is forgotten}",
        ),
        factory=_rprop,
        hyperparams=(
            _lr(0.01, 1e-4, 1.0, "Δ₀; rprop adapts its steps itself and takes no schedule", schedule=False),
            _float("eta_minus", 0.5, 0.01, 1.0, "η⁻, step shrink factor after a sign change"),
            _float("eta_plus", 1.2, 1.0, 3.0, "η⁺, step growth factor"),
            _float("min_step_size", 1e-6, 1e-9, 1e-1, "Δ_min", log=True),
            _float("max_step_size", 50.0, 0.01, 100.0, "Δ_max", log=True),
        ),
        reference="Riedmiller & Braun 1993; Igel & Hüsken 2000",
        per_coordinate=True,
        schedulable=False,  # learning_rate is an initial value here, not a per-step scale
        code=codes.rprop,
    ),
    OptimizerSpec(
        name="sign_sgd",
        title="signSGD",
        family="optax",
        latex=r"x_t = x_{t-1} - \eta_t \operatorname{sign}(g_t)",
        factory=optax.sign_sgd,
        hyperparams=(_lr(0.01, 1e-4, 1.0),),
        converges=False,
        why_not="Every step has length η√2 in the (±1, ±1) directions, so with a constant η it ends in a "
        "zig-zag of that size around the minimum; a decaying schedule makes it converge.",
        reference="Bernstein et al. 2018, arXiv:1802.04434",
        step_scale="length",
        per_coordinate=True,
        misses=(
            (VALLEY, "Every step has length η√2, so it ends in a cycle about 0.04 from the minimum."),
            (ROSENBROCK, "Its fixed-length sign steps cannot follow Rosenbrock's curved floor: about 2 away."),
        ),
    ),
    OptimizerSpec(
        name="signum",
        title="Signum",
        family="optax",
        latex=r"m_t = \beta\, m_{t-1} + (1-\beta)\, g_t,\quad x_t = x_{t-1} - \eta_t \operatorname{sign}(m_t)",
        factory=optax.signum,
        hyperparams=(_lr(0.01, 1e-4, 1.0), _float("beta", 0.9, 0.0, 0.999, "β, decay of the momentum")),
        converges=False,
        why_not="Steps have length η√2 whatever the gradient, so with a constant η it circles the minimum at "
        "that distance; a decaying schedule makes it converge.",
        reference="Bernstein et al. 2018, arXiv:1802.04434",
        step_scale="length",
        per_coordinate=True,
        misses=(
            (ROSENBROCK, "Its sign steps circle Rosenbrock's minimum about 0.26 away."),
        ),
    ),
    OptimizerSpec(
        name="sm3",
        title="SM3",
        family="optax",
        latex=_aligned(
            r"c_t = c_{t-1} + g_t^2,\quad u_t = \frac{g_t}{\sqrt{c_t + \epsilon}},\quad \epsilon = 10^{-8} \\",
            r"m_t = \mu\, m_{t-1} + (1-\mu)\, u_t,\quad x_t = x_{t-1} - \eta_t\, m_t",
        ),
        factory=_sm3,
        hyperparams=(_lr(1.0, 1e-3, 10.0), _momentum(0.9)),
        reference="Anil et al. 2019, arXiv:1901.11150 (on a vector the cover is per coordinate: AdaGrad + EMA)",
        code=codes.sm3,
    ),
    OptimizerSpec(
        name="yogi",
        title="Yogi",
        family="optax",
        latex=_aligned(
            r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\, g_t,\quad"
            r" v_t = v_{t-1} - (1-\beta_2)\operatorname{sign}(v_{t-1} - g_t^2)\, g_t^2,\quad m_0 = v_0 = 10^{-6} \\",
            r"x_t = x_{t-1} - \eta_t\, \frac{m_t/(1-\beta_1^t)}{\sqrt{v_t/(1-\beta_2^t)} + \epsilon}",
        ),
        factory=optax.yogi,
        hyperparams=(_lr(0.1, 1e-4, 1.0), _b1(), _b2(), _eps(1e-3)),
        reference="Zaheer et al. 2018, NeurIPS",
        step_scale="length",
        per_coordinate=True,
    ),
)
