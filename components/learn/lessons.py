r"""The lessons of the Learn page, as data: for each one the surface, start, optimizers and hyperparameters of its
figure, the one or two controls it shows, its question and the function that decides the right answer from the run
shown, its task as a function of that run, and a known solution within the controls (the tests find it works).

The lessons follow the course notes in ``shared/seeds/`` (the note each follows is its ``note``): cs231n's
optimization notes (000, 003: the ravine, momentum, Nesterov, AdaGrad, RMSProp, Adam, schedules, gradient checks,
random search), NTU ML 2023 (001: critical points, the Hessian, saddles, mini-batch noise), the ODE view of
optimizers (002) and the survey of gradient methods (004: AdamW, LAMB).  Their texts are messages (`N_`),
translated where the page shows them; the sentences about a run are composed in `components.learn.words` from
what `components.learn.measure` reads off the run on the screen.

A lesson's hyperparameters come from its controls through ``setup(values)``; every answer and goal function takes
the `components.learn.compute.View` the page drew, so the words, the answer and the task all speak of the same run.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, NamedTuple

import numpy as np

from components.i18n import N_
from components.learn import measure
from optimizers import analytic, catalog, claims
from landscapes.base import Claim

DELTA = 0.05
"""Lesson 8: the nudge, along each eigenvector, from the critical point where its four runs start."""
NEAR = 0.25
"""Lesson 9: a run within this distance of the saddle point is at it (the box is [−2, 2]², diagonal 5.7)."""
SEARCH_SEEDS = 20
"""Lesson 12: random search is repeated with this many seeds to say how often it beats the grid."""


# ------------------------------------------------------------------------------------------------ the records
class Control(NamedTuple):
    """One control of a lesson, keyed ``learn.<slug>.<name>`` (also its URL parameter).  ``kind`` is ``"float"``
    (a slider, log-spaced when ``log``), ``"int"``, ``"bool"`` (a toggle), ``"choice"`` (a menu of ``options``) or
    ``"number"`` (a number input, for coordinates).  ``label`` is what the page shows (a symbol, or a message)."""

    name: str
    label: str
    default: Any
    lo: float | None = None
    hi: float | None = None
    log: bool = False
    kind: str = "float"
    options: tuple = ()
    help: str = ""


class Path(NamedTuple):
    """One run on a lesson's figure: an optimizer with its hyperparameters (``((name, value), ...)``), from the
    setup's start unless ``start`` is given; ``label`` replaces the optimizer's title (lesson 8's ``+v₁`` …)."""

    optimizer: str
    hyperparams: tuple
    start: tuple | None = None
    label: str | None = None


class Setup(NamedTuple):
    """What a lesson's figure runs, from its control values: the built-in ``surface`` with ``params``, the
    ``start``, the ``steps``, the paths, and the schedule, gradient noise and seed they all share."""

    surface: str
    params: tuple
    start: tuple
    steps: int
    paths: tuple
    schedule: str = "constant"
    schedule_params: tuple = ()
    noise: float = 0.0
    seed: int = 0


class Goal(NamedTuple):
    """A task measured on the run shown: whether it is met, and the numbers its status sentence quotes."""

    met: bool
    numbers: dict


class Lesson(NamedTuple):
    """A lesson (see the module docstring).  ``figure`` is ``"paths"`` (the trajectory player), ``"nudges"`` (the
    player with four runs around a critical point), ``"check"`` (the gradient-check curve) or ``"search"`` (grid vs
    random search).  ``formulas(values)`` are the update rules shown, as ``(optimizer or None, LaTeX)``: an
    optimizer's comes from its registry entry (`optimizers.catalog.latex_for`, the rule that runs)."""

    slug: str
    title: str
    note: str
    paragraphs: tuple
    figure: str
    controls: tuple
    setup: Callable[[Mapping], Setup]
    question: str
    choices: Mapping[str, str]
    answer: Callable[[Any], str]
    task: str
    goal: Callable[[Any], Goal]
    solution: Mapping[str, Any]
    links: tuple = ("compare",)
    formulas: tuple = ()
    equations: tuple = ()
    flow: bool = False

    def defaults(self) -> dict:
        return {c.name: c.default for c in self.controls}


# ------------------------------------------------------------------------------------------------ helpers
def _scene(view) -> claims.Scene:
    """The claims machinery's scene of the runs shown (minimum, its Hessian eigenvectors)."""
    return claims.scene(view.runs, view.surface)


def _claim(view, kind: str, *names: str) -> claims.Fact | None:
    return claims.check(Claim(kind, names), _scene(view))


def _minimum(view) -> np.ndarray:
    return np.asarray(view.surface.minima[0].xy, np.float64)


def _reach(view, name: str, tol: float) -> int:
    return measure.reach(view.runs[name].xy, _minimum(view), tol)


def _diverged(run) -> bool:
    return int(run.diverged_at) >= 0


def _valley(values, **fixed) -> tuple:
    params = {"kappa": 100.0, "angle": 30.0}
    params.update({k: float(values[k]) for k in ("kappa", "angle") if k in values})
    params.update(fixed)
    return tuple(sorted(params.items()))


def _valley_start(params: tuple) -> tuple:
    import landscapes

    return landscapes.get("elongated_valley", **dict(params)).start


ETA = N_("learning rate η")
STABLE = N_("Stable on a quadratic when")
TAYLOR = N_("Taylor expansion at a critical point θ, where ∇f(θ) = 0")
MU = N_("momentum μ")


# ------------------------------------------------------------------------------------------------ 1 the ravine
RAVINE_TOL, RAVINE_WITHIN = 1e-3, 100


def _ravine_setup(v) -> Setup:
    params = _valley(v)
    return Setup("elongated_valley", params, _valley_start(params), 200,
                 (Path("sgd", (("learning_rate", float(v["learning_rate"])),)),))


def _ravine_answer(view) -> str:
    run = view.runs["sgd"]
    if _diverged(run):
        return "diverge"
    zigzag = _claim(view, "zigzag", "sgd")
    return "zigzag" if zigzag is not None and zigzag.holds else "smooth"


def _ravine_goal(view) -> Goal:
    step = _reach(view, "sgd", RAVINE_TOL)
    run = view.runs["sgd"]
    return Goal(0 <= step < RAVINE_WITHIN, {"step": step, "distance": float(measure.distances(run.xy, _minimum(view))[-1]),
                                            "diverged": int(run.diverged_at)})


RAVINE = Lesson(
    slug="ravine",
    title=N_("The ravine: gradient descent and its speed limit"),
    note=N_("cs231n optimization notes: why plain SGD is slow in a ravine (shared notes 000 and 003)"),
    paragraphs=(
        N_("Gradient descent takes a step of length η‖∇f‖ straight downhill. In a ravine, downhill points almost "
           "across the ravine, not along it: the walls are steep, the floor is nearly flat."),
        N_("On this quadratic valley the Hessian has eigenvalue λmax = 1 across the floor and λmin = 1/κ along it. "
           "Each step multiplies the distance across the floor by 1 − ηλmax and the distance along it by 1 − ηλmin. "
           "The first factor is negative once η > 1/λmax, and its size exceeds 1 once η > 2/λmax: the speed limit."),
        N_("κ, the condition number, is how many times slower the floor is travelled than the walls."),
    ),
    figure="paths",
    controls=(Control("learning_rate", "η", 1.8, 1e-3, 4.0, log=True, help=ETA),
              Control("kappa", "κ", 100.0, 1.0, 1000.0, log=True,
                      help=N_("condition number κ = λmax/λmin of the valley"))),
    setup=_ravine_setup,
    question=N_("With η = {eta} on this valley (κ = {kappa}), what will gradient descent do?"),
    choices={"smooth": N_("Slide smoothly down into the floor, without zig-zagging"),
             "zigzag": N_("Zig-zag across the floor and crawl along it"),
             "diverge": N_("Bounce ever higher up the walls and diverge")},
    answer=_ravine_answer,
    task=N_("Bring gradient descent within {tol} of the minimum in fewer than {within} steps."),
    goal=_ravine_goal,
    solution={"learning_rate": 1.8, "kappa": 10.0},
    formulas=(("sgd", None),),
    equations=((STABLE, analytic.RULES["sgd"].latex),),
)


# ------------------------------------------------------------------------------------------------ 2 momentum
MOMENTUM_TOL, MOMENTUM_PASSES = 1e-3, 1
GD_ETA = 1.8
"""Gradient descent's η where a lesson shows it beside another method (lesson 1's zig-zag)."""


def _momentum_setup(v) -> Setup:
    params = _valley(v)
    return Setup("elongated_valley", params, _valley_start(params), 200,
                 (Path("sgd", (("learning_rate", GD_ETA),)),
                  Path("momentum", (("learning_rate", float(v["learning_rate"])), ("momentum", float(v["momentum"]))))))


def _floor_passes(view, name: str) -> tuple[int, int]:
    scene = _scene(view)
    return measure.crossings(view.runs[name].xy, scene.minimum, scene.floor)


def _momentum_answer(view) -> str:
    if _diverged(view.runs["momentum"]):
        return "diverge"
    return "overshoot" if _floor_passes(view, "momentum")[0] > 0 else "stop"


def _momentum_goal(view) -> Goal:
    passes, first = _floor_passes(view, "momentum")
    step = _reach(view, "momentum", MOMENTUM_TOL)
    return Goal(passes <= MOMENTUM_PASSES and step >= 0, {"passes": passes, "first": first, "step": step})


MOMENTUM = Lesson(
    slug="momentum",
    title=N_("Momentum: a ball with friction"),
    note=N_("cs231n optimization notes: the momentum update (shared notes 000 and 003)"),
    paragraphs=(
        N_("Momentum keeps a velocity v: each step adds −η∇f to it and keeps a fraction μ of the old one. Picture a "
           "ball rolling on the surface: the gradient is a force, and 1 − μ is friction."),
        N_("Along the flat floor the small pushes add up, so the ball picks up speed where gradient descent crawls. "
           "Across the floor the pushes alternate and partly cancel. With too little friction the ball rolls past "
           "the minimum and has to swing back."),
    ),
    figure="paths",
    controls=(Control("momentum", "μ", 0.95, 0.0, 0.999, help=MU),
              Control("learning_rate", "η", 0.3, 1e-3, 4.0, log=True, help=ETA)),
    setup=_momentum_setup,
    question=N_("With μ = {mu} and η = {eta}, what will momentum do when it reaches the floor's minimum?"),
    choices={"stop": N_("Stop short of it, like gradient descent"),
             "overshoot": N_("Roll past it along the floor and swing back"),
             "diverge": N_("Fly off and diverge")},
    answer=_momentum_answer,
    task=N_("Make momentum overshoot the minimum along the floor at most once, and still come within {tol} of it "
            "in {steps} steps."),
    goal=_momentum_goal,
    solution={"momentum": 0.9, "learning_rate": 0.3},
    formulas=(("momentum", None),),
    equations=((STABLE, analytic.RULES["momentum"].latex),),
)


# ------------------------------------------------------------------------------------------------ 3 Nesterov
NESTEROV_TOL, NESTEROV_LEAD, NESTEROV_MU = 1e-3, 30, 0.9


def _nesterov_setup(v) -> Setup:
    params = _valley(v)
    hp = (("learning_rate", float(v["learning_rate"])), ("momentum", NESTEROV_MU))
    return Setup("elongated_valley", params, _valley_start(params), 200, (Path("momentum", hp), Path("nesterov", hp)))


def _arrivals(view) -> tuple[int, int]:
    return _reach(view, "momentum", NESTEROV_TOL), _reach(view, "nesterov", NESTEROV_TOL)


def _nesterov_answer(view) -> str:
    m, n = _arrivals(view)
    if m < 0 and n < 0:
        return "neither"
    if m >= 0 and (n < 0 or m < n):
        return "momentum"
    if n >= 0 and (m < 0 or n < m):
        return "nesterov"
    return "same"


def _nesterov_goal(view) -> Goal:
    m, n = _arrivals(view)
    return Goal(n >= 0 and (m < 0 or m - n >= NESTEROV_LEAD), {"momentum": m, "nesterov": n})


NESTEROV = Lesson(
    slug="nesterov",
    title=N_("Nesterov: look before you step"),
    note=N_("cs231n optimization notes: Nesterov momentum (shared notes 000 and 003)"),
    paragraphs=(
        N_("Momentum's velocity will carry it to x + μv whatever the gradient says. Nesterov's idea: take the "
           "gradient there, at the look-ahead point, instead of where the ball is now."),
        N_("When the ball is about to run up a wall, the look-ahead gradient already points back, so Nesterov brakes "
           "earlier. The formula below is the form cs231n uses, which needs no second gradient."),
    ),
    figure="paths",
    controls=(Control("learning_rate", "η", 0.3, 1e-3, 4.0, log=True, help=ETA),),
    setup=_nesterov_setup,
    question=N_("Both use η = {eta} and μ = {mu}. Which comes within {tol} of the minimum first?"),
    choices={"momentum": catalog.get("momentum").title, "nesterov": catalog.get("nesterov").title,
             "same": N_("Both at the same step"), "neither": N_("Neither, within the run")},
    answer=_nesterov_answer,
    task=N_("Find an η with which Nesterov momentum gets within {tol} of the minimum at least {lead} steps before "
            "momentum does."),
    goal=_nesterov_goal,
    solution={"learning_rate": 0.5},
    formulas=(("momentum", None), ("nesterov", None)),
    equations=((STABLE, analytic.RULES["nesterov"].latex),),
)


# ------------------------------------------------------------------------------------------------ 4 AdaGrad, RMSProp
ADAPTIVE_TOL = 0.1


def _adaptive_setup(v) -> Setup:
    params = _valley(v)
    return Setup("elongated_valley", params, _valley_start(params), 200,
                 (Path("adagrad", (("learning_rate", 1.5),)), Path("rmsprop", (("learning_rate", 0.1),))))


def _adaptive_answer(view) -> str:
    """The direction the first steps of both runs are closest to: the diagonal, −∇f at the start, or the minimum."""
    import landscapes

    start = np.asarray(view.setup.start, np.float64)
    downhill = -np.asarray(landscapes.analysis.gradient(view.surface, start))
    targets = {"diagonal": None, "gradient": downhill, "minimum": _minimum(view) - start}
    votes = []
    for name in ("adagrad", "rmsprop"):
        step = np.diff(np.asarray(view.runs[name].xy)[:2], axis=0)[0]
        angles = {"diagonal": abs(measure.first_step_angle(view.runs[name].xy) - 45.0),
                  **{k: measure.angle_between(step, d) for k, d in targets.items() if d is not None}}
        votes.append(min(angles, key=angles.get))
    return votes[0] if votes[0] == votes[1] else "diagonal" if "diagonal" in votes else votes[0]


def _adaptive_goal(view) -> Goal:
    steps = {n: _reach(view, n, ADAPTIVE_TOL) for n in ("adagrad", "rmsprop")}
    return Goal(all(s >= 0 for s in steps.values()), steps)


ADAPTIVE = Lesson(
    slug="adaptive",
    title=N_("AdaGrad and RMSProp: a step size for each coordinate"),
    note=N_("cs231n optimization notes: per-parameter adaptive learning rates (shared notes 000 and 003); NTU ML "
            "2023 on RMSProp (001)"),
    paragraphs=(
        N_("AdaGrad divides each coordinate's step by the root of the sum of that coordinate's squared gradients: "
           "a coordinate with steep gradients gets small steps, a flat one large steps. The sum only grows, so "
           "AdaGrad's steps shrink for ever."),
        N_("RMSProp keeps a leaky average instead, with decay ρ, so its steps do not die out. Both scale x and y "
           "separately: that is the right correction only if the valley's axes are the coordinate axes."),
    ),
    figure="paths",
    controls=(Control("angle", "φ", 30.0, -90.0, 90.0,
                      help=N_("angle φ in degrees between the valley floor and the x axis")),),
    setup=_adaptive_setup,
    question=N_("The valley is turned by φ = {angle}°, and the gradient at the start points mostly across the floor. "
                "Which way do AdaGrad's and RMSProp's first steps go?"),
    choices={"gradient": N_("Straight down the gradient, like gradient descent"),
             "diagonal": N_("Along a diagonal, at 45° to the axes"),
             "minimum": N_("Straight at the minimum")},
    answer=_adaptive_answer,
    task=N_("Turn the valley so that both AdaGrad and RMSProp come within {tol} of the minimum in {steps} steps."),
    goal=_adaptive_goal,
    solution={"angle": 0.0},
    formulas=(("adagrad", None), ("rmsprop", None)),
)


# ------------------------------------------------------------------------------------------------ 5 Adam
ADAM_ETA, ADAM_TOLERANCE = 0.3, 0.05


def _adam_setup(v) -> Setup:
    params = _valley(v)
    hp = (("learning_rate", ADAM_ETA), ("b2", float(v["b2"])), ("bias_correction", bool(v["bias_correction"])))
    return Setup("elongated_valley", params, _valley_start(params), 200, (Path("adam", hp),))


def _adam_ratio(view) -> np.ndarray:
    return measure.first_step_ratio(view.runs["adam"].xy, ADAM_ETA)


def _adam_answer(view) -> str:
    r = float(np.median(_adam_ratio(view)))
    return "shorter" if r < 0.5 else "longer" if r > 2.0 else "eta"


def _adam_goal(view) -> Goal:
    r = _adam_ratio(view)
    return Goal(bool(np.all(np.abs(r - 1.0) <= ADAM_TOLERANCE)), {"ratio": r})


ADAM = Lesson(
    slug="adam",
    title=N_("Adam and its bias correction"),
    note=N_("cs231n optimization notes: Adam (shared notes 000); the survey of gradient methods (004)"),
    paragraphs=(
        N_("Adam is momentum and RMSProp together: m averages the gradients (the velocity), v averages their "
           "squares (the per-coordinate scale), and the step is η·m/√v."),
        N_("Both averages start at 0, so for the first steps they are too small: after one step m is (1 − β₁)g "
           "and v is (1 − β₂)g². Bias correction divides them by 1 − β₁ᵗ and 1 − β₂ᵗ; without it, as in the "
           "'simplified Adam' of the notes, the first steps have the wrong length."),
    ),
    figure="paths",
    controls=(Control("bias_correction", N_("Bias correction"), False, kind="bool",
                      help=N_("divide m and v by 1 − βᵗ")),
              Control("b2", "β₂", 0.999, 0.9, 0.999, help=N_("decay β₂ of the squared-gradient average"))),
    setup=_adam_setup,
    question=N_("Bias correction is {state}, β₁ = {b1} and β₂ = {b2}. How long is Adam's first step along each "
                "coordinate, with η = {eta}?"),
    choices={"eta": N_("About η"), "longer": N_("Several times η"), "shorter": N_("Much shorter than η")},
    answer=_adam_answer,
    task=N_("Make Adam's first step exactly η long along each coordinate (within {percent})."),
    goal=_adam_goal,
    solution={"bias_correction": True, "b2": 0.999},
    formulas=(("adam", "bias_correction"),),
)


# ------------------------------------------------------------------------------------------------ 6 AdamW and LAMB
LAMB_TOL = 1e-3


def _lamb_setup(v) -> Setup:
    params = _valley(v)
    return Setup("elongated_valley", params, _valley_start(params), 200,
                 (Path("adamw", (("learning_rate", 0.3), ("weight_decay", 1e-4))),
                  Path("lamb", (("learning_rate", float(v["learning_rate"])),))))


def _lamb_law(view) -> measure.StepLaw:
    run = view.runs["lamb"]
    return measure.step_law(run.xy, run.grad_norm, float(view.values["learning_rate"]))


def _lamb_answer(view) -> str:
    return {"eta": "constant", "norm_x": "shrinking", "gradient": "gradient"}[_lamb_law(view).closest]


def _lamb_goal(view) -> Goal:
    step = _reach(view, "lamb", LAMB_TOL)
    return Goal(step >= 0, {"step": step,
                            "distance": float(measure.distances(view.runs["lamb"].xy, _minimum(view))[-1])})


LAMB = Lesson(
    slug="lamb",
    title=N_("AdamW and LAMB: weight decay and a step scaled to the weights"),
    note=N_("The survey of gradient methods: AdamW (decoupled weight decay) and LAMB (shared notes 004)"),
    paragraphs=(
        N_("AdamW adds weight decay outside Adam's scaling: the pull ηλx towards the origin is not divided by √v, "
           "so every weight decays at the same rate (Loshchilov and Hutter: 'decoupled' weight decay)."),
        N_("LAMB takes AdamW's direction u and rescales it, per layer, by the trust ratio ‖x‖/‖u‖: each step is "
           "η‖x‖ long, a fixed fraction of the weights' size. Here the whole 2-vector is one layer, and the minimum "
           "sits at the origin."),
    ),
    figure="paths",
    controls=(Control("learning_rate", "η", 0.02, 1e-3, 1.0, log=True, help=N_("LAMB's learning rate η")),),
    setup=_lamb_setup,
    question=N_("With η = {eta}, how long is each of LAMB's steps as it nears the minimum at the origin?"),
    choices={"constant": N_("About η, like Adam's"), "shrinking": N_("About η‖x‖: shorter the closer it gets"),
             "gradient": N_("About η‖∇f‖, like gradient descent")},
    answer=_lamb_answer,
    task=N_("Bring LAMB within {tol} of the minimum in {steps} steps."),
    goal=_lamb_goal,
    solution={"learning_rate": 0.1},
    formulas=(("adamw", None), ("lamb", None)),
)


# ------------------------------------------------------------------------------------------------ 7 schedules
SCHEDULE_TOL, SCHEDULE_LAST = 1e-3, 20
SCHEDULES = ("constant", "step", "exponential", "inverse_time", "warmup_cosine", "one_cycle")
SCHEDULED_QUESTION = N_("With the schedule “{schedule}” and a peak η = {eta}, where will RMSProp be during its last "
                        "{last} steps?")


def _schedule_setup(v) -> Setup:
    return Setup("booth", (), (-7.0, -6.0), 200, (Path("rmsprop", (("learning_rate", float(v["learning_rate"])),)),),
                 schedule=str(v["schedule"]))


def _schedule_tail(view) -> np.ndarray:
    return measure.distances(view.runs["rmsprop"].xy, _minimum(view))[-SCHEDULE_LAST:]


def _schedule_answer(view) -> str:
    if _diverged(view.runs["rmsprop"]):
        return "diverged"
    return "settled" if float(_schedule_tail(view).max()) < SCHEDULE_TOL else "hovering"


def _schedule_goal(view) -> Goal:
    tail = _schedule_tail(view)
    return Goal(float(tail.max()) < SCHEDULE_TOL and not _diverged(view.runs["rmsprop"]),
                {"worst": float(tail.max()), "best": float(tail.min())})


SCHEDULE = Lesson(
    slug="schedules",
    title=N_("Learning-rate schedules and warm-up"),
    note=N_("cs231n optimization notes: annealing the learning rate (shared notes 000 and 003); NTU ML 2023 on "
            "learning-rate scheduling and warm-up (001)"),
    paragraphs=(
        N_("RMSProp divides each step by the root of the recent squared gradients, so its step stays about η long "
           "however small the gradient gets. With a constant η it cannot settle: it hovers around the minimum."),
        N_("A schedule makes η a function of the step: large early, to travel, small late, to settle. Step decay, "
           "exponential and 1/t decay shrink it steadily; warm-up first grows η from 0, because the first averages "
           "are built from very few gradients."),
    ),
    figure="paths",
    controls=(Control("schedule", N_("Learning-rate schedule"), "constant", kind="choice", options=SCHEDULES),
              Control("learning_rate", "η", 0.3, 1e-3, 1.0, log=True, help=N_("peak learning rate η"))),
    setup=_schedule_setup,
    question=N_("With a constant η = {eta}, where will RMSProp be during its last {last} steps?"),
    # (with a schedule chosen, `components.learn.words.question` asks `SCHEDULED_QUESTION` instead)
    choices={"settled": N_("Settled at the minimum"), "hovering": N_("Hovering around the minimum, never settling"),
             "diverged": N_("Thrown off: diverged")},
    answer=_schedule_answer,
    task=N_("Make RMSProp stay within {tol} of the minimum for all of its last {last} steps."),
    goal=_schedule_goal,
    solution={"schedule": "warmup_cosine", "learning_rate": 0.3},
    links=("compare", "lab"),
    formulas=(("rmsprop", None),),
)


# ------------------------------------------------------------------------------------------------ 8 critical points
NUDGE_ETA, NUDGE_STEPS = 0.005, 100
NUDGES = ("+v₁", "−v₁", "+v₂", "−v₂")


def _nudges_setup(v) -> Setup:
    """The runs are built in `components.learn.compute` from the chosen critical point's eigenvectors."""
    return Setup("himmelblau", (), (0.0, 0.0), NUDGE_STEPS, ())


def _returning(view) -> int:
    point = view.extra["point"]
    return sum(measure.came_back(view.runs[label].xy, point.xy, DELTA) for label in NUDGES)


def _nudges_answer(view) -> str:
    back = _returning(view)
    return "all" if back == 4 else "none" if back == 0 else "two"


def _nudges_goal(view) -> Goal:
    back = _returning(view)
    return Goal(back == 0, {"back": back})


CRITICAL = Lesson(
    slug="critical",
    title=N_("Critical points: the Hessian decides"),
    note=N_("NTU ML 2023: local minima, saddle points and the Hessian (shared notes 001)"),
    paragraphs=(
        N_("Where the gradient is zero, the Taylor expansion's first-order term vanishes and the Hessian H decides "
           "the shape: f(θ + x) ≈ f(θ) + ½ xᵀHx."),
        N_("If every eigenvalue of H is positive, every direction curves up: a local minimum. All negative: a local "
           "maximum. Mixed signs: a saddle point, a minimum along some eigenvectors and a maximum along others."),
        N_("Himmelblau's function has nine critical points. Pick one; gradient descent then starts a small step "
           "away from it along each of the two eigenvectors, in both directions."),
    ),
    figure="nudges",
    controls=(Control("point", N_("Critical point"), "4", kind="choice", options=tuple(str(i) for i in range(9))),),
    setup=_nudges_setup,
    question=N_("At the marked point the Hessian's eigenvalues are λ₁ = {l1} and λ₂ = {l2}. How many of the four "
                "runs head back to it?"),
    choices={"all": N_("All four: it is a local minimum"), "two": N_("Two: it is a saddle point"),
             "none": N_("None: it is a local maximum")},
    answer=_nudges_answer,
    task=N_("Find a critical point that none of the four runs heads back to."),
    goal=_nudges_goal,
    solution={"point": "8"},
    links=("explore",),
    formulas=(("sgd", None),),
    equations=((TAYLOR, r"f(\theta + x) \approx f(\theta) + \tfrac12\, x^\top H x"),),
)


# ------------------------------------------------------------------------------------------------ 9 saddles and noise
SADDLE_START, SADDLE_STEPS, SADDLE_WITHIN = (-1.8, 0.0), 150, 60


def _saddle_setup(v) -> Setup:
    return Setup("saddle", (), SADDLE_START, SADDLE_STEPS,
                 (Path("sgd", (("learning_rate", float(v["learning_rate"])),)),), noise=float(v["noise"]))


def _saddle_numbers(view) -> dict:
    run = view.runs["sgd"]
    last = measure.last_within(run.xy, (0.0, 0.0), NEAR)
    end = np.asarray(run.xy)[-1]
    return {"last": last, "away": bool(np.linalg.norm(end) > NEAR), "below": float(view.surface.f(end)) < 0.0,
            "end": end}


def _saddle_answer(view) -> str:
    n = _saddle_numbers(view)
    if not n["away"]:
        return "stuck"
    return "escape" if n["below"] else "back"


def _saddle_goal(view) -> Goal:
    n = _saddle_numbers(view)
    return Goal(n["away"] and n["below"] and n["last"] < SADDLE_WITHIN, n)


SADDLE = Lesson(
    slug="saddles",
    title=N_("Saddle points, the way out, and a little noise"),
    note=N_("NTU ML 2023: escaping a saddle point along a negative eigenvalue's eigenvector, and why small "
            "batches help (shared notes 001)"),
    paragraphs=(
        N_("At a saddle point the gradient is zero, so gradient descent has nothing to follow. The Hessian still "
           "knows the way out: along an eigenvector u with a negative eigenvalue λ, f(θ + u) ≈ f(θ) + ½λ‖u‖² is "
           "lower."),
        N_("Here f = x² − y²: the eigenvalue along y is −2. A run that starts exactly on the x axis never feels "
           "any pull along y. Mini-batch gradients are noisy, and that noise is a kick off the ridge, which the "
           "negative curvature then grows step by step."),
    ),
    figure="paths",
    controls=(Control("noise", N_("Gradient noise σ"), 0.0, 0.0, 10.0, log=True,
                      help=N_("each step sees ∇f + σξ with ξ ~ N(0, I): a stand-in for mini-batch noise")),
              Control("learning_rate", "η", 0.05, 1e-3, 0.4, log=True, help=ETA)),
    setup=_saddle_setup,
    question=N_("Gradient descent starts on the x axis (y₀ = 0) with gradient noise σ = {sigma}. Where does it go?"),
    choices={"stuck": N_("Into the saddle point, and it stays there"),
             "escape": N_("Past the saddle point and away downhill along y"),
             "back": N_("Back up the slope it came from")},
    answer=_saddle_answer,
    task=N_("Leave the saddle point for good before step {within}: never again within {near} of it, and lower "
            "than it at the end."),
    goal=_saddle_goal,
    solution={"noise": 0.1, "learning_rate": 0.05},
    links=("compare", "explore"),
    formulas=(("sgd", None),),
    equations=((N_("Along an eigenvector u of H with eigenvalue λ"),
                r"f(\theta + u) \approx f(\theta) + \tfrac12\, \lambda \lVert u \rVert^2"),),
)


# ------------------------------------------------------------------------------------------------ 10 Newton
NEWTON_STEPS = 30


def _newton_setup(v) -> Setup:
    start = (float(v["x0"]), float(v["y0"]))
    return Setup("himmelblau", (), start, NEWTON_STEPS,
                 (Path("newton", (("learning_rate", 1.0),)), Path("saddle_free_newton", (("learning_rate", 1.0),))))


def end_kind(view, name: str) -> str:
    """Where run ``name`` ended: the kind of the critical point it converged to, or ``"nowhere"``."""
    run = view.runs[name]
    if _diverged(run) or int(run.converged_at) < 0:
        return "nowhere"
    point = measure.nearest_point(np.asarray(run.xy)[-1], view.extra["critical"], 1e-3)
    return point.kind if point is not None else "nowhere"


def _newton_answer(view) -> str:
    kind = end_kind(view, "newton")
    return kind if kind in ("minimum", "saddle", "maximum") else "nowhere"


def _newton_goal(view) -> Goal:
    return Goal(end_kind(view, "newton") == "minimum", {"kind": end_kind(view, "newton")})


NEWTON = Lesson(
    slug="newton",
    title=N_("Newton's method, and why saddle points attract it"),
    note=N_("cs231n optimization notes: second-order methods (shared notes 000); NTU ML 2023 on the Hessian (001)"),
    paragraphs=(
        N_("Newton's method fits the quadratic Taylor model at x and jumps to the point where that model is flat: "
           "x − H⁻¹∇f. No learning rate is needed, and near a minimum it converges in a handful of steps."),
        N_("But flat is not the same as lowest. Near a saddle point the model's flat point is the saddle point "
           "itself, so Newton's method is pulled in. Saddle-free Newton divides by |λ| instead of λ for each "
           "eigenvalue, which turns the steps along negative curvature downhill."),
    ),
    figure="paths",
    controls=(Control("x0", "x₀", 3.0, -5.0, 5.0, kind="number"), Control("y0", "y₀", 0.5, -5.0, 5.0, kind="number")),
    setup=_newton_setup,
    question=N_("Newton's method starts at ({x0}, {y0}). Where does it end?"),
    choices={"minimum": N_("At a local minimum"), "saddle": N_("At a saddle point"), "maximum": N_("At the maximum"),
             "nowhere": N_("It does not settle at a critical point")},
    answer=_newton_answer,
    task=N_("Find a start from which Newton's method ends at a local minimum (type it, or click the surface)."),
    goal=_newton_goal,
    solution={"x0": 3.2, "y0": 1.6},
    links=("compare", "explore"),
    formulas=(("newton", None), ("saddle_free_newton", None)),
)


# ------------------------------------------------------------------------------------------------ 11 gradient check
CHECK_POINT, CHECK_TOL = (-1.2, 1.0), 1e-9
CHECK_HS = tuple(f"{h:.3g}" for h in np.logspace(-1, -13, 25))
"""The step sizes `landscapes.gradient_check` tries by default (its h axis, 3 digits), the lesson's menu."""


def _check_setup(v) -> Setup:
    return Setup("rosenbrock", (), CHECK_POINT, 0, ())


def _check_error(view) -> float:
    check = view.extra["check"]
    return float(check.errors[int(np.argmin(np.abs(np.log(check.hs) - np.log(float(view.values["h"])))))])


def _check_answer(view) -> str:
    check = view.extra["check"]
    best = int(np.argmin(check.errors))
    return "largest" if best == 0 else "smallest" if best == len(check.hs) - 1 else "middle"


def _check_goal(view) -> Goal:
    error = _check_error(view)
    return Goal(error < CHECK_TOL, {"error": error})


CHECK = Lesson(
    slug="gradient_check",
    title=N_("Gradient checking with centred differences"),
    note=N_("cs231n neural-network notes: gradient checks (shared notes 003)"),
    paragraphs=(
        N_("A gradient computed by hand (or by a new piece of code) is checked against finite differences. The "
           "centred difference (f(x + h) − f(x − h))/2h is far more accurate than the one-sided one: its error "
           "shrinks like h², not h."),
        N_("Compare with the relative error |a − n|/(|a| + |n|). The notes' reading: above 1e-2 the gradient is "
           "probably wrong, 1e-4 to 1e-2 is suspicious, below 1e-7 all is well for a smooth function. And h must "
           "not be too small either: float64 rounds every value of f."),
    ),
    figure="check",
    controls=(Control("h", N_("Step h"), CHECK_HS[0], kind="choice", options=CHECK_HS),),
    setup=_check_setup,
    question=N_("At x = (−1.2, 1) on Rosenbrock's function, which step h gives the smallest relative error?"),
    # "middle" is any h but the two ends (the answer reads only that): no number the run might contradict
    choices={"smallest": N_("The smallest one tried, 1e-13"),
             "middle": N_("One in between, neither the smallest nor the largest"),
             "largest": N_("The largest one tried, 0.1")},
    answer=_check_answer,
    task=N_("Choose an h whose relative error is below {tol}."),
    goal=_check_goal,
    solution={"h": CHECK_HS[9]},
    links=("explore",),
    equations=((N_("Centred difference and relative error"),
                r"n_i = \frac{f(x + h e_i) - f(x - h e_i)}{2h},\qquad \frac{\lVert a - n \rVert}"
                r"{\lVert a \rVert + \lVert n \rVert}"),),
)


# ------------------------------------------------------------------------------------------------ 12 random search
SEARCH_OPTIMIZER = "adam"
SEARCH_X = ("learning_rate", 1e-3, 5.0, True)
SEARCH_Y = ("eps", 1e-8, 0.1, True)
SEARCH_BUDGETS = ("9", "16", "25")
SEARCH_LOSS = 1e-10
"""The task: random search's best run ends below this loss (the minimum's is 0)."""


def _search_setup(v) -> Setup:
    params = _valley({})
    return Setup("elongated_valley", params, _valley_start(params), 200, ())


def search_winner(search) -> str:
    """``"grid"`` or ``"random"``: whose best run is better, ranked as the Lab ranks (not diverged, converged,
    fewer steps or lower loss), or ``"tie"`` when the two best runs score the same."""
    from components.lab import compute as lab

    g, r = search.grid_best, search.random_best
    key_g = (bool(search.grid_diverged[g]), search.grid_converged_at[g] < 0, int(search.grid_converged_at[g]),
             float(search.grid_loss[g]))
    key_r = (bool(search.random_diverged[r]), search.random_converged_at[r] < 0, int(search.random_converged_at[r]),
             float(search.random_loss[r]))
    if key_g == key_r:
        return "tie"
    order = lab.best_index(np.array([key_g[3], key_r[3]]), np.array([key_g[2], key_r[2]]),
                           np.array([key_g[0], key_r[0]]))
    return "grid" if order == 0 else "random"


def _search_answer(view) -> str:
    return search_winner(view.extra["search"])


def _search_goal(view) -> Goal:
    s = view.extra["search"]
    best = float(s.random_loss[s.random_best])
    return Goal(best < SEARCH_LOSS and not bool(s.random_diverged[s.random_best]),
                {"random": best, "grid": float(s.grid_loss[s.grid_best])})


SEARCH = Lesson(
    slug="random_search",
    title=N_("Random search beats grid search"),
    note=N_("cs231n neural-network notes: hyperparameter optimization, prefer random search to grid search "
            "(shared notes 003)"),
    paragraphs=(
        N_("Tuning two hyperparameters with a budget of n runs: a grid of √n × √n values tries only √n different "
           "values of each one. Random search draws every run's values afresh, so it tries n different values of "
           "each."),
        N_("That matters when one hyperparameter matters far more than the other (Bergstra and Bengio, 2012). Here "
           "Adam's η decides almost everything and its ε hardly matters, as long as it stays far below the "
           "gradients."),
    ),
    figure="search",
    controls=(Control("budget", N_("Runs per search"), "9", kind="choice", options=SEARCH_BUDGETS),
              Control("seed", N_("Random seed"), 0, 0, 99, kind="int")),
    setup=_search_setup,
    question=N_("Each search gets {budget} runs of Adam (η from 0.001 to 5, ε from 1e-8 to 0.1). Which finds the "
                "better run?"),
    choices={"grid": N_("Grid search"), "random": N_("Random search"), "tie": N_("They tie")},
    answer=_search_answer,
    task=N_("Find a budget and a seed with which random search's best run ends with a loss below {loss}."),
    goal=_search_goal,
    solution={"budget": "9", "seed": 9},
    links=("lab",),
    formulas=(("adam", None),),
)


# ------------------------------------------------------------------------------------------------ 13 ODE
FLOW_TOL = 0.05
FLOW_SETTLED = 1e-6
"""Lesson 13: the flow's offset across the floor below this fraction of its largest is read as zero."""


def _flow_setup(v) -> Setup:
    params = _valley(v)
    return Setup("elongated_valley", params, _valley_start(params), 200,
                 (Path("sgd", (("learning_rate", float(v["learning_rate"])),)),))


def _flow_answer(view) -> str:
    flow = np.asarray(view.extra["flow"])
    if not np.all(np.isfinite(flow)) or np.max(np.abs(flow)) > 1e6:
        return "diverges"
    across = (flow - _minimum(view)) @ _scene(view).steep
    # Once the flow has settled on the floor its across-coordinate is the solver's round-off, of either sign.
    settled = np.abs(across) <= FLOW_SETTLED * np.max(np.abs(across))
    return "zigzag" if measure.sign_changes(np.where(settled, 0.0, across)) > 1 else "smooth"


def _flow_goal(view) -> Goal:
    gap, step = measure.gap_to_flow(view.runs["sgd"].xy, view.extra["flow"], float(view.values["learning_rate"]))
    return Goal(gap < FLOW_TOL, {"gap": gap, "step": step})


FLOW = Lesson(
    slug="ode",
    title=N_("Optimizers are ODE solvers"),
    note=N_("The dynamical view of optimization: SGD and momentum as numerical solutions of an ODE (shared notes "
            "002)"),
    paragraphs=(
        N_("Let the learning rate shrink to zero and gradient descent becomes the gradient flow ẋ = −∇f(x): a "
           "path that always moves straight downhill, in continuous time. Gradient descent is Euler's method for "
           "this ODE, with time step η: iterate k sits near x(kη)."),
        N_("The dashed line is the flow, solved accurately (an adaptive Dormand–Prince method). A large η is a "
           "coarse time step, and the iterates part from the path they approximate."),
    ),
    figure="paths",
    controls=(Control("learning_rate", "η", 1.8, 1e-3, 4.0, log=True, help=ETA),),
    setup=_flow_setup,
    question=N_("Gradient descent with η = {eta} is Euler's method for the gradient flow. Does the flow, its "
                "continuous limit, zig-zag across the floor?"),
    choices={"zigzag": N_("Yes, it zig-zags across the floor"),
             "smooth": N_("No, it slides smoothly into the floor"), "diverges": N_("It diverges")},
    answer=_flow_answer,
    task=N_("Make gradient descent follow the flow: every iterate xₖ within {tol} of x(kη)."),
    goal=_flow_goal,
    solution={"learning_rate": 0.1},
    flow=True,
    formulas=(("sgd", None),),
    equations=((N_("Gradient flow, the limit η → 0"), r"\dot x(t) = -\nabla f\big(x(t)\big)"),),
)


# ------------------------------------------------------------------------------------------------ the registry
LESSONS: dict[str, Lesson] = {lesson.slug: lesson for lesson in (
    RAVINE, MOMENTUM, NESTEROV, ADAPTIVE, ADAM, LAMB, SCHEDULE, CRITICAL, SADDLE, NEWTON, CHECK, SEARCH, FLOW)}
"""Every lesson, in the order of the course."""


def slugs() -> tuple[str, ...]:
    return tuple(LESSONS)


def get(slug: str) -> Lesson:
    return LESSONS[slug]


def number(slug: str) -> int:
    """The lesson's number in the course, from 1."""
    return slugs().index(slug) + 1
