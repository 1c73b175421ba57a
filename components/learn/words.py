"""What the Learn page writes about a lesson's run: the numbers its question quotes, the reveal's "why" and the task's
status, each one message in the visitor's language (`components.i18n`), every number read off the run shown
(`components.learn.measure`, the lesson's answer and goal functions) or a closed form of the course
(`optimizers.analytic`), never a constant written for the default settings.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

from components import titles
from components.i18n import t, tn
from components.learn import lessons as L
from components.learn import measure
from components.learn.compute import View
from landscapes import numbers
from optimizers import analytic, catalog, schedules


def fmt(v: float, digits: int = 3) -> str:
    """A number for a sentence: ``digits`` significant digits (`landscapes.numbers.number`)."""
    return numbers.number(v, digits)


def point(xy) -> str:
    return f"({fmt(xy[0])}, {fmt(xy[1])})"


def _minimum(view: View) -> np.ndarray:
    return np.asarray(view.surface.minima[0].xy, np.float64)


def _end_distance(view: View, name: str) -> float:
    return float(measure.distances(view.runs[name].xy, _minimum(view))[-1])


def _curvature(view: View) -> tuple[float, float]:
    """``(λmin, λmax)`` of the surface's Hessian at its minimum (the valley is a quadratic: the same everywhere)."""
    from components import surfaces

    lam = surfaces.classify(view.key, tuple(float(v) for v in _minimum(view))).eigenvalues
    return float(lam[0]), float(lam[-1])


# ------------------------------------------------------------------------------------------------ the question
def question(view: View) -> str:
    """The lesson's question with the numbers of the settings shown (and lesson 8's eigenvalues)."""
    lesson, v = view.lesson, view.values
    values: dict = {}
    if "learning_rate" in v:
        values["eta"] = fmt(v["learning_rate"])
    if lesson.slug == L.RAVINE.slug:
        values["kappa"] = fmt(v["kappa"])
    elif lesson.slug == L.MOMENTUM.slug:
        values["mu"] = fmt(v["momentum"])
    elif lesson.slug == L.NESTEROV.slug:
        values.update(mu=fmt(L.NESTEROV_MU), tol=fmt(L.NESTEROV_TOL))
    elif lesson.slug == L.ADAPTIVE.slug:
        values["angle"] = fmt(v["angle"])
    elif lesson.slug == L.ADAM.slug:
        values.update(state=t("on") if v["bias_correction"] else t("off"), b2=fmt(v["b2"], 4), eta=fmt(L.ADAM_ETA),
                      b1=fmt(catalog.get("adam").defaults()["b1"]))
    elif lesson.slug == L.SCHEDULE.slug:
        values["last"] = L.SCHEDULE_LAST
        if v["schedule"] != "constant":
            return t(L.SCHEDULED_QUESTION, schedule=t(schedules.get(v["schedule"]).title), **values)
    elif lesson.slug == L.CRITICAL.slug:
        lam = view.extra["point"].eigenvalues
        values.update(l1=fmt(lam[0]), l2=fmt(lam[1]))
    elif lesson.slug == L.SADDLE.slug:
        values["sigma"] = fmt(v["noise"])
    elif lesson.slug == L.NEWTON.slug:
        values.update(x0=fmt(v["x0"]), y0=fmt(v["y0"]))
    elif lesson.slug == L.SEARCH.slug:
        values["budget"] = v["budget"]
    return t(lesson.question, **values)


def task(lesson) -> str:
    """The lesson's task with its thresholds."""
    values = {
        L.RAVINE.slug: dict(tol=fmt(L.RAVINE_TOL), within=L.RAVINE_WITHIN),
        L.MOMENTUM.slug: dict(tol=fmt(L.MOMENTUM_TOL), steps=200),
        L.NESTEROV.slug: dict(tol=fmt(L.NESTEROV_TOL), lead=L.NESTEROV_LEAD),
        L.ADAPTIVE.slug: dict(tol=fmt(L.ADAPTIVE_TOL), steps=200),
        L.ADAM.slug: dict(percent=f"{L.ADAM_TOLERANCE:.0%}"),
        L.LAMB.slug: dict(tol=fmt(L.LAMB_TOL), steps=200),
        L.SCHEDULE.slug: dict(tol=fmt(L.SCHEDULE_TOL), last=L.SCHEDULE_LAST),
        L.SADDLE.slug: dict(within=L.SADDLE_WITHIN, near=fmt(L.NEAR)),
        L.CHECK.slug: dict(tol=fmt(L.CHECK_TOL)),
        L.SEARCH.slug: dict(loss=fmt(L.SEARCH_LOSS)),
        L.FLOW.slug: dict(tol=fmt(L.FLOW_TOL)),
    }.get(lesson.slug, {})
    return t(lesson.task, **values)


# ------------------------------------------------------------------------------------------------ why (the reveal)
def _ravine(view: View) -> list[str]:
    eta = float(view.values["learning_rate"])
    lam_min, lam_max = _curvature(view)
    limit = analytic.learning_rate_limit("sgd", lam_max, lam_min)
    run = view.runs["sgd"]
    if int(run.diverged_at) >= 0:
        return [t("Across the floor each step multiplies the distance by 1 − ηλmax = {factor}, more than 1 in size: "
                  "η = {eta} is above the limit 2/λmax = {limit}. The run diverged at step {step}.",
                  factor=fmt(1 - eta * lam_max), eta=fmt(eta), limit=fmt(limit), step=int(run.diverged_at))]
    out = [t("Each step multiplies the distance across the floor by 1 − ηλmax = {across} and the distance along it "
             "by 1 − ηλmin = {along}.", across=fmt(1 - eta * lam_max), along=fmt(1 - eta * lam_min))]
    fact = L._claim(view, "zigzag", "sgd")
    if fact.holds:
        out.append(t("The first factor is negative, so the step across the floor changed sign {flips} times in the "
                     "first {window} steps: the zig-zag.", flips=fact.numbers["flips"], window=fact.numbers["window"]))
    else:
        out.append(t("The step across the floor changed sign only {flips} times in the first {window} steps: no "
                     "zig-zag.", flips=fact.numbers["flips"], window=fact.numbers["window"]))
    out.append(t("After {steps} steps it is {distance} from the minimum; the second factor, close to 1 when κ is "
                 "large, is the crawl. Stable needs η < 2/λmax = {limit}.", steps=len(run.xy) - 1,
                 distance=fmt(_end_distance(view, "sgd")), limit=fmt(limit)))
    return out


def _momentum(view: View) -> list[str]:
    eta, mu = float(view.values["learning_rate"]), float(view.values["momentum"])
    lam_min, lam_max = _curvature(view)
    run = view.runs["momentum"]
    if int(run.diverged_at) >= 0:
        return [t("Momentum diverged at step {step}: η = {eta} is above its limit 2(1 + μ)/λmax = {limit}.",
                  step=int(run.diverged_at), eta=fmt(eta), limit=fmt(analytic.learning_rate_limit(
                      "momentum", lam_max, lam_min, momentum=mu)))]
    passes, first = L._floor_passes(view, "momentum")
    if passes == 1:
        out = [t("Momentum passed the minimum along the floor once, at step {first}.", first=first)]
    elif passes:
        out = [t("Momentum passed the minimum along the floor {n} times, first at step {first}.", n=passes, first=first)]
    else:
        out = [t("Momentum never passed the minimum along the floor.")]
    rho = float(analytic.heavy_ball_spectral_radius(eta, mu, lam_min))
    if (1 + mu - eta * lam_min) ** 2 < 4 * mu:
        out.append(t("Along the floor (λmin = {lam}) its update has complex roots of modulus √μ = {rho}: it "
                     "oscillates about the minimum while it closes in.", lam=fmt(lam_min), rho=fmt(rho)))
    else:
        out.append(t("Along the floor (λmin = {lam}) its update has real roots, the largest {rho}: enough friction "
                     "to creep in without swinging.", lam=fmt(lam_min), rho=fmt(rho)))
    out.append(t("After {steps} steps momentum is {mom} from the minimum, gradient descent (η = {eta}) {gd}.",
                 steps=len(run.xy) - 1, mom=fmt(_end_distance(view, "momentum")), eta=fmt(L.GD_ETA),
                 gd=fmt(_end_distance(view, "sgd"))))
    return out


def _arrival(step: int, tol: str, name: str) -> str:
    if step < 0:
        return t("{name} did not come within {tol} of the minimum in the run.", name=name, tol=tol)
    return t("{name} came within {tol} of the minimum at step {step}.", name=name, tol=tol, step=step)


def _nesterov(view: View) -> list[str]:
    mu = L.NESTEROV_MU
    lam_min, lam_max = _curvature(view)
    m, n = L._arrivals(view)
    tol = fmt(L.NESTEROV_TOL)
    return [_arrival(m, tol, titles.optimizer("momentum")), _arrival(n, tol, titles.optimizer("nesterov")),
            t("The look-ahead has a price: Nesterov momentum is stable only for η < 2(1 + μ)/((1 + 2μ)λmax) = "
              "{limit}, momentum up to 2(1 + μ)/λmax = {mlimit}.",
              limit=fmt(analytic.learning_rate_limit("nesterov", lam_max, lam_min, momentum=mu)),
              mlimit=fmt(analytic.learning_rate_limit("momentum", lam_max, lam_min, momentum=mu)))]


def _adaptive(view: View) -> list[str]:
    angle = float(view.values["angle"])
    out = [t("AdaGrad's first step points {a}° from the x axis, RMSProp's {r}°: each coordinate is divided by the "
             "size of its own gradient, so the first step is about ±η on both coordinates, a diagonal, whatever "
             "the gradient's direction.", a=fmt(measure.first_step_angle(view.runs["adagrad"].xy)),
             r=fmt(measure.first_step_angle(view.runs["rmsprop"].xy))),
           t("After {steps} steps AdaGrad is {a} from the minimum and RMSProp {r}.", steps=view.setup.steps,
             a=fmt(_end_distance(view, "adagrad")), r=fmt(_end_distance(view, "rmsprop")))]
    if angle % 90 == 0:
        out.append(t("At φ = {angle}° the valley's axes are the coordinate axes, so scaling each coordinate on its "
                     "own is exactly the right correction.", angle=fmt(angle)))
    else:
        out.append(t("Turned by φ = {angle}°, the steep and the flat directions each mix x and y, and no "
                     "per-coordinate scaling can undo that.", angle=fmt(angle)))
    return out


def _adam(view: View) -> list[str]:
    r = L._adam_ratio(view)
    v = view.values
    out = [t("The run's first step was {rx}η along x and {ry}η along y.", rx=fmt(r[0]), ry=fmt(r[1]))]
    if v["bias_correction"]:
        out.append(t("With bias correction m̂₁ = g₁ and v̂₁ = g₁², so the first step is η·g₁/(|g₁| + ε): η on each "
                     "coordinate, whatever β₁ and β₂."))
    else:
        b1, b2 = float(catalog.get("adam").defaults()["b1"]), float(v["b2"])
        out.append(t("Without it m₁ = (1 − β₁)g₁ and v₁ = (1 − β₂)g₁², so the first step is η(1 − β₁)/√(1 − β₂) "
                     "= {closed}η on each coordinate: it is η only when √(1 − β₂) = 1 − β₁.",
                     closed=fmt((1 - b1) / math.sqrt(1 - b2))))
    return out


def _lamb(view: View) -> list[str]:
    law = L._lamb_law(view)
    return [t("LAMB's steps measured {norm} × η‖x‖ (median), against {eta} × η and {grad} × η‖∇f‖: the trust ratio "
              "sets each step to η‖x‖.", norm=fmt(law.ratios["norm_x"]), eta=fmt(law.ratios["eta"]),
              grad=fmt(law.ratios["gradient"])),
            t("The minimum is at the origin, so the steps shrink as it closes in: after {steps} steps LAMB is {lamb} "
              "from the minimum, AdamW {adamw}.", steps=view.setup.steps, lamb=fmt(_end_distance(view, "lamb")),
              adamw=fmt(_end_distance(view, "adamw")))]


def _schedule(view: View) -> list[str]:
    run = view.runs["rmsprop"]
    tail = L._schedule_tail(view)
    rates = np.asarray(run.learning_rate)
    out = []
    if view.values["schedule"] == "constant":
        out.append(t("RMSProp's step stays about η per coordinate however small the gradient gets: over its last "
                     "{last} steps it was between {best} and {worst} from the minimum.", last=L.SCHEDULE_LAST,
                     best=fmt(tail.min()), worst=fmt(tail.max())))
    else:
        out.append(t("The schedule “{schedule}” took η from {first} at the first step to {final} at the last: over "
                     "its last {last} steps RMSProp was between {best} and {worst} from the minimum.",
                     schedule=t(schedules.get(view.values["schedule"]).title), first=fmt(rates[0]),
                     final=fmt(rates[-1]), last=L.SCHEDULE_LAST, best=fmt(tail.min()), worst=fmt(tail.max())))
    if int(run.diverged_at) >= 0:
        out.append(t("The run diverged at step {step}.", step=int(run.diverged_at)))
    return out


def _critical(view: View) -> list[str]:
    p = view.extra["point"]
    back = L._returning(view)
    return [tn("{n} of the four runs headed back to the point.", "{n} of the four runs headed back to the point.",
               back, n=back),
            t("Along an eigenvector with λ > 0 each step multiplies the offset by 1 − ηλ, less than 1 here (η = "
              "{eta}), so the run returns; with λ < 0 the factor is 1 + η|λ|, more than 1, and it leaves.",
              eta=fmt(L.NUDGE_ETA)),
            t("Here λ₁ = {l1} and λ₂ = {l2}: by the second-derivative test the point is a {kind}.",
              l1=fmt(p.eigenvalues[0]), l2=fmt(p.eigenvalues[1]), kind=titles.kind(p.kind))]


def _saddle(view: View) -> list[str]:
    eta, sigma = float(view.values["learning_rate"]), float(view.values["noise"])
    n = L._saddle_numbers(view)
    out = []
    if sigma == 0:
        out.append(t("With no noise every gradient has y-component 0, so y stays 0 while x shrinks by 1 − 2η = {fx} "
                     "per step: the run slides into the saddle point and sits there.", fx=fmt(1 - 2 * eta)))
    if n["away"] and n["below"]:
        step = n["end"] - np.zeros(2)
        out.append(t("Off the ridge, along y (eigenvalue −2), each step multiplies the offset by 1 + 2η = {fy}: "
                     "the run left along a line {angle}° from the eigenvector v = (0, 1).", fy=fmt(1 + 2 * eta),
                     angle=fmt(measure.angle_between(step, (0.0, 1.0)), 2)))
    elif n["away"]:
        out.append(t("It ended at {end}, higher than the saddle point.", end=point(n["end"])))
    elif sigma > 0:
        out.append(t("The noise was too weak to grow into an escape within {steps} steps: the run ended {d} from "
                     "the saddle point.", steps=view.setup.steps, d=fmt(float(np.linalg.norm(n["end"])))))
    return out


def _newton(view: View) -> list[str]:
    out = []
    for name in ("newton", "saddle_free_newton"):
        kind = L.end_kind(view, name)
        run = view.runs[name]
        title = titles.optimizer(name)
        if kind == "nowhere":
            out.append(t("{name} did not settle at a critical point.", name=title))
        else:
            out.append(t("{name} settled at the {kind} {point} at step {step}.", name=title, kind=titles.kind(kind),
                         point=point(np.asarray(run.xy)[-1]), step=int(run.converged_at)))
    out.append(t("Newton's step −H⁻¹∇f goes to the flat point of the local quadratic model, whatever kind of point "
                 "that is; saddle-free Newton's |H|⁻¹ keeps every step downhill."))
    return out


def _check(view: View) -> list[str]:
    check = view.extra["check"]
    best = int(np.argmin(check.errors))
    return [t("The relative error was smallest, {error}, at h = {h}.", error=fmt(check.errors[best]),
              h=fmt(check.hs[best])),
            t("At h = {big} it is {big_error}: truncation, the centred difference's error shrinks like h². At "
              "h = {small} it is {small_error}: round-off, float64's precision (about 1e-16) divided by h.",
              big=fmt(check.hs[0]), big_error=fmt(check.errors[0]), small=fmt(check.hs[-1]),
              small_error=fmt(check.errors[-1]))]


def run_result(diverged: bool, converged_at: int, loss: float) -> str:
    """A search's best run in words."""
    if diverged:
        return t("diverged")
    if converged_at >= 0:
        return t("converged at step {step}", step=int(converged_at))
    return t("final loss {loss}", loss=fmt(loss))


def _search(view: View) -> list[str]:
    s = view.extra["search"]
    g, r = s.grid_best, s.random_best
    return [t("Grid search tried {grid} different values of η, random search {random}.",
              grid=len(np.unique(s.grid_x)), random=len(np.unique(s.random_x))),
            t("Best run of the grid: {grid}. Best run of random search: {random}.",
              grid=run_result(bool(s.grid_diverged[g]), int(s.grid_converged_at[g]), float(s.grid_loss[g])),
              random=run_result(bool(s.random_diverged[r]), int(s.random_converged_at[r]), float(s.random_loss[r]))),
            t("With {budget} runs each, random search found the better run for {wins} of the seeds 0 to {last}: "
              "luck plays its part.", budget=view.values["budget"], wins=view.extra["wins"],
              last=L.SEARCH_SEEDS - 1)]


def _flow(view: View) -> list[str]:
    eta = float(view.values["learning_rate"])
    _, lam_max = _curvature(view)
    gap, step = measure.gap_to_flow(view.runs["sgd"].xy, view.extra["flow"], eta)
    return [t("Across the floor the flow decays like e^(−λmax·t) and never changes sign. Euler's method multiplies "
              "it by 1 − ηλmax = {factor} per step instead, a negative factor once η > 1/λmax.",
              factor=fmt(1 - eta * lam_max)),
            t("The largest gap between xₖ and x(kη) was {gap}, at step {step}.", gap=fmt(gap), step=step)]


WHY: dict[str, Callable[[View], list[str]]] = {
    L.RAVINE.slug: _ravine, L.MOMENTUM.slug: _momentum, L.NESTEROV.slug: _nesterov, L.ADAPTIVE.slug: _adaptive,
    L.ADAM.slug: _adam, L.LAMB.slug: _lamb, L.SCHEDULE.slug: _schedule, L.CRITICAL.slug: _critical,
    L.SADDLE.slug: _saddle, L.NEWTON.slug: _newton, L.CHECK.slug: _check, L.SEARCH.slug: _search, L.FLOW.slug: _flow,
}
"""Each lesson's reveal: why the run did what it did, in sentences with the run's own numbers."""


def why(view: View) -> list[str]:
    return WHY[view.lesson.slug](view)


# ------------------------------------------------------------------------------------------------ the task's status
def status(view: View, goal) -> str:
    """Where the run shown stands on the task, with its numbers."""
    slug, n = view.lesson.slug, goal.numbers
    if slug == L.RAVINE.slug:
        if n["diverged"] >= 0:
            return t("The run diverged at step {step}.", step=n["diverged"])
        if n["step"] >= 0:
            return t("It came within {tol} of the minimum at step {step}.", tol=fmt(L.RAVINE_TOL), step=n["step"])
        return t("After {steps} steps it is still {distance} from the minimum.", steps=view.setup.steps,
                 distance=fmt(n["distance"]))
    if slug == L.MOMENTUM.slug:
        passes = (t("Momentum passed the minimum along the floor once.") if n["passes"] == 1 else
                  t("Momentum passed the minimum along the floor {n} times.", n=n["passes"]) if n["passes"] else
                  t("Momentum never passed the minimum along the floor."))
        reach = (t("It came within {tol} of it at step {step}.", tol=fmt(L.MOMENTUM_TOL), step=n["step"])
                 if n["step"] >= 0 else t("It did not come within {tol} of it in the run.", tol=fmt(L.MOMENTUM_TOL)))
        return f"{passes} {reach}"
    if slug == L.NESTEROV.slug:
        tol = fmt(L.NESTEROV_TOL)
        return " ".join((_arrival(n["nesterov"], tol, titles.optimizer("nesterov")),
                         _arrival(n["momentum"], tol, titles.optimizer("momentum"))))
    if slug == L.ADAPTIVE.slug:
        tol = fmt(L.ADAPTIVE_TOL)
        return " ".join((_arrival(n["adagrad"], tol, titles.optimizer("adagrad")),
                         _arrival(n["rmsprop"], tol, titles.optimizer("rmsprop"))))
    if slug == L.ADAM.slug:
        return t("The first step is {rx}η along x and {ry}η along y.", rx=fmt(n["ratio"][0], 4),
                 ry=fmt(n["ratio"][1], 4))
    if slug == L.LAMB.slug:
        return (_arrival(n["step"], fmt(L.LAMB_TOL), titles.optimizer("lamb")) if n["step"] >= 0 else
                t("After {steps} steps LAMB is still {distance} from the minimum.", steps=view.setup.steps,
                  distance=fmt(n["distance"])))
    if slug == L.SCHEDULE.slug:
        return t("Over the last {last} steps RMSProp was up to {worst} from the minimum.", last=L.SCHEDULE_LAST,
                 worst=fmt(n["worst"]))
    if slug == L.CRITICAL.slug:
        return tn("{n} of the four runs heads back to this point.", "{n} of the four runs head back to this point.",
                  n["back"], n=n["back"])
    if slug == L.SADDLE.slug:
        if not (n["away"] and n["below"]):
            return t("The run did not leave the saddle point downhill.")
        if n["last"] < 0:
            return t("It never came within {near} of the saddle point.", near=fmt(L.NEAR))
        return t("Its last step within {near} of the saddle point was step {step}.", near=fmt(L.NEAR), step=n["last"])
    if slug == L.NEWTON.slug:
        kind = n["kind"]
        return (t("Newton's method did not settle at a critical point.") if kind == "nowhere" else
                t("Newton's method ends at a {kind}.", kind=titles.kind(kind)))
    if slug == L.CHECK.slug:
        return t("At h = {h} the relative error is {error}.", h=fmt(float(view.values["h"])), error=fmt(n["error"]))
    if slug == L.SEARCH.slug:
        return t("Random search's best run ends with a loss of {random}, grid search's with {grid}.",
                 random=fmt(n["random"]), grid=fmt(n["grid"]))
    if slug == L.FLOW.slug:
        return t("The largest gap between xₖ and x(kη) is {gap}, at step {step}.", gap=fmt(n["gap"]), step=n["step"])
    raise KeyError(slug)
