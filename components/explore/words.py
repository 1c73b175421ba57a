"""What the Explore page writes: the atlas's count and notes, a point's verdict, the stability limit, the gradient
check's reading, the escape runs' outcomes, the table of critical points and the LaTeX of the numbers shown.

* Gradient descent near a critical point, linearised: the component along eigenvector vᵢ is multiplied by
  ``1 − ηλᵢ`` per step, so it is stable iff ``0 < ηλᵢ < 2`` for all i, i.e. ``η < 2/λmax`` (`optimizers.analytic`).
* Gradient check (cs231n, ``shared/seeds/003_*``): centred differences against autodiff, relative error
  ``|a − n| / (|a| + |n|)``; truncation error ∝ h², round-off ∝ ε/h.

Nothing here renders user text: the page shows typed formulas only as code or as LaTeX built from the parsed tree.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import pandas as pd

from landscapes import analysis, numbers
from optimizers import analytic
from landscapes.base import KINDS, Bounds, PointInfo
from components.explore.compute import CONTINUUM_MIN, ESCAPE_RADIUS, diagonal, gradient_vanishes, local_shape


TABLE_COLUMNS = ("x", "y", "f", "λ₁", "λ₂", "kind")
SHAPE_WORDS = {"bowl": "bowl (both λ > 0)", "dome": "dome (both λ < 0)", "saddle": "saddle-shaped (λ₁ < 0 < λ₂)",
               "flat": "flat in a direction (a λ ≈ 0)"}


# ------------------------------------------------------------------------------------------------ boxes
def box_problem(xmin: float, xmax: float, ymin: float, ymax: float) -> str | None:
    """Why ``[xmin, xmax] × [ymin, ymax]`` is not a usable view box, or None."""
    for lo, hi, axis in ((xmin, xmax, "x"), (ymin, ymax, "y")):
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return f"the {axis} range is not finite"
        if not hi - lo > 1e-6 * max(1.0, abs(lo), abs(hi)):
            return f"{axis} min ({lo:g}) must be below {axis} max ({hi:g})"
    return None


# ------------------------------------------------------------------------------------------------ numbers → words
def fmt(v: float, digits: int = 4) -> str:
    """A number for prose: 4 significant digits, a real minus sign (`landscapes.numbers.number`)."""
    return numbers.number(v, digits)


def atlas_table(points: Sequence[PointInfo]) -> pd.DataFrame:
    """The atlas as a table, one row per critical point in engine order (lowest f first): x, y, f, λ₁ ≤ λ₂, kind."""
    rows = [(float(p.xy[0]), float(p.xy[1]), float(p.value), float(p.eigenvalues[0]), float(p.eigenvalues[1]),
             str(p.kind)) for p in points]
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS))


def region_words(boxes: np.ndarray, bounds: Bounds) -> str:
    """Where ``boxes (M, 2, 2)`` lie, in words: near one point when they are tiny, else the range they span."""
    lo, hi = boxes[:, 0].min(axis=0), boxes[:, 1].max(axis=0)
    if float(np.hypot(*(hi - lo))) <= 1e-3 * diagonal(bounds):
        centre = 0.5 * (lo + hi)
        return f"near ({fmt(float(centre[0]))}, {fmt(float(centre[1]))})"
    return f"in x ∈ [{fmt(float(lo[0]))}, {fmt(float(hi[0]))}], y ∈ [{fmt(float(lo[1]))}, {fmt(float(hi[1]))}]"


def describe_atlas(found: analysis.Atlas, bounds: Bounds) -> tuple[str, list[str]]:
    """A one-line count of the atlas by kind with how complete it is, and notes in words: what the search could
    not decide and where, a capped list, a continuum, nothing found."""
    from landscapes.exclusion import MAX_ACTIVE, UNDECIDED

    points = found.points
    counts = {k: sum(p.kind == k for p in points) for k in KINDS}
    plural = {"minimum": "minima", "maximum": "maxima", "saddle": "saddles", "degenerate": "degenerate"}
    parts = [f"{n} {k if n == 1 and k != 'degenerate' else plural[k]}" for k, n in counts.items() if n]
    if points:
        summary = (f"{len(points)} critical point{'s' if len(points) != 1 else ''} in view: " + ", ".join(parts)
                   + (" — all of them: bounds on ∇f over a subdivision of the box rule out any other."
                      if found.complete else "."))
    else:
        summary = ("No critical point in view: bounds on ∇f over a subdivision of the box rule out every one."
                   if found.complete else "No critical point found in view.")
    notes = []
    if not found.proof:
        notes.append("Found by Newton's method from a 48 × 48 grid of starts. This formula uses an operation the "
                     "completeness search cannot bound, so critical points may be missing.")
    box_area = float(np.prod([b[1] - b[0] for b in bounds]))
    for code, reason in enumerate(UNDECIDED):
        boxes = found.undecided[found.why == code]
        if not len(boxes):
            continue
        share = float(np.sum(np.prod(boxes[:, 1] - boxes[:, 0], axis=1))) / box_area
        where = region_words(boxes, bounds)
        notes.append({
            "small": f"The search could neither rule out nor isolate a critical point {where} (a degenerate point, "
                     f"a kink or a curve of critical points): another one may be there.",
            "flat": f"∇f vanishes to within float64 {where} ({share:.1%} of the box): a flat region, where every "
                    f"point is a critical point.",
            "range": f"f or ∇f leaves float64's range {where} ({share:.1%} of the box): no critical point is "
                     f"claimed there, and none can be ruled out.",
            "undefined": f"f or ∇f is not finite {where} (a pole, or the edge of the function's domain): critical "
                         f"points cannot be ruled out there.",
            "budget": f"The search ran out of its budget ({MAX_ACTIVE} boxes at once) before deciding {share:.0%} of "
                      f"the box ({where}): critical points may be missing there.",
        }[reason])
    if found.found > len(points):
        notes.append(f"{found.found} critical points were found; the table and the markers show the lowest "
                     f"{len(points)}.")
    degenerate = counts["degenerate"]
    if degenerate >= CONTINUUM_MIN and degenerate >= len(points) / 2:
        notes.append(f"{degenerate} degenerate critical points: they are most likely a sample of a continuum (a "
                     f"line or curve of critical points, as f = x² has along x = 0, or a flat region). At each "
                     f"one the Hessian is singular, so the second-derivative test is inconclusive there.")
    if not points and not found.complete:
        notes.append("Enlarge the view box, or this surface may have no critical point here (e.g. a plane, or a "
                     "cone tip where f is not differentiable).")
    return summary, notes


def nonfinite_problem(info: PointInfo) -> str | None:
    """Words for a point where f, ∇f or the Hessian is not finite (the test does not apply), else None."""
    bad = [name for name, v in (("f", info.value), ("the gradient", info.gradient), ("the Hessian", info.hessian))
           if not np.all(np.isfinite(v))]
    if not bad:
        return None
    return (f"At this point {', '.join(bad)} {'is' if len(bad) == 1 else 'are'} not finite (inf or NaN): the surface "
            f"is not twice differentiable here (a kink, a pole, or outside the function's domain, like √(x²+y²) at "
            f"the origin or log x for x ≤ 0), so the second-derivative test does not apply. Pick another point.")


def verdict(info: PointInfo) -> tuple[str, str]:
    """A headline (kind in words) and the engine's reason for it (``PointInfo.reason``)."""
    problem = nonfinite_problem(info)
    if problem:
        return "not differentiable here", problem
    headline = {"minimum": "local minimum", "maximum": "local maximum", "saddle": "saddle point",
                "degenerate": "degenerate critical point: the test is inconclusive",
                "regular": "not a critical point",
                analysis.OUT_OF_RANGE: "outside float64's range: no verdict"}.get(info.kind, info.kind)
    reason = info.reason
    if info.kind == "regular":
        lam1, lam2 = (float(v) for v in info.eigenvalues)
        shape = local_shape(lam1, lam2)
        reason += f". Locally the surface is {SHAPE_WORDS[shape]}."
    return headline, reason


def stability(eigenvalues) -> str:
    """Gradient descent's step-size limit at a point, in words: ``η < 2/λmax``."""
    lam = np.sort(np.asarray(eigenvalues, dtype=float))
    if not np.all(np.isfinite(lam)):
        return "The Hessian is not finite here, so there is no curvature limit to state."
    lam_max = float(lam[-1])
    base = ("Linearised near a critical point, gradient descent multiplies the component along eigenvector vᵢ by "
            "(1 − ηλᵢ) each step; it shrinks iff 0 < ηλᵢ < 2. ")
    if lam_max <= 0:
        return base + (f"Here λmax = {fmt(lam_max)} ≤ 0: no direction curves up, so curvature sets no step-size "
                       f"limit, and no direction is stable either (steps lead away, downhill).")
    limit = analytic.learning_rate_limit("sgd", lam_max)  # 2/λmax, from its one home
    tail = (" The other direction has λ₁ ≤ 0: it grows for every η > 0 (that is how gradient descent leaves a "
            "saddle)." if lam[0] <= 0 else
            f" With λ₁ = {fmt(float(lam[0]))} the slowest direction contracts by |1 − ηλ₁| per step: the "
            f"condition number λmax/λmin = {fmt(lam_max / float(lam[0]))} is how many times slower it converges.")
    return base + f"Stability needs η < 2/λmax = 2/{fmt(lam_max)} = {fmt(limit)}." + tail


def gradient_check_words(check: analysis.GradientCheck, value: float, bounds: Bounds) -> list[str]:
    """cs231n's reading of the relative error at the best h, or why it means nothing here (∇f ≈ 0, not finite)."""
    if not (np.all(np.isfinite(check.analytic)) and math.isfinite(check.error)):
        return ["The gradient is not finite at this point, so there is nothing to check."]
    if gradient_vanishes(check, value, bounds):
        return [f"∇f ≈ 0 at this point (‖a‖ = {fmt(float(np.linalg.norm(check.analytic)), 2)}), so the relative "
                f"error divides round-off by round-off: it is about 1 for every h and says nothing. Check the "
                f"gradient at a point that is not critical (click the map away from the markers)."]
    err = check.error
    if err < 1e-7:
        grade = "below 1e-7: the gradient is right (cs231n: what a smooth function should give)"
    elif err < 1e-4:
        grade = "between 1e-7 and 1e-4: acceptable only near a kink (cs231n)"
    elif err < 1e-2:
        grade = "between 1e-4 and 1e-2: suspicious (cs231n)"
    else:
        grade = "above 1e-2: the gradient is probably wrong here (cs231n), or f has a kink"
    words = [f"Best step h = {check.best_h:.0e}; relative error there {err:.2e}, {grade}."]
    zero = int(np.sum(check.errors == 0))
    if zero:
        words.append(f"At {zero} of the {len(check.hs)} step sizes the centred difference is exact (error 0, not "
                     f"drawn on log axes): along the axes f is locally a polynomial of degree ≤ 2, which the "
                     f"centred difference differentiates without truncation error.")
    return words


def escape_summary(xy: np.ndarray, loss: np.ndarray, status: str, diverged_at: int, saddle_xy, saddle_value: float,
                   bounds: Bounds) -> tuple[str, str]:
    """What a run from a saddle did, as ``(verdict, sentence)``; verdict is ``"escaped"`` or ``"stuck"``.

    With ``r = ESCAPE_RADIUS ·`` box diagonal: a run that ends within r of the saddle is *stuck*; one that ends
    farther away and lower than the saddle has *escaped* (a diverged run counts by its last finite point and
    escaped if f was falling); one that ends away but higher was thrown off, not led downhill (counted as stuck).
    """
    xy, loss = np.asarray(xy), np.asarray(loss)
    steps = len(loss) - 1
    distance = np.hypot(xy[:, 0] - saddle_xy[0], xy[:, 1] - saddle_xy[1])
    radius = ESCAPE_RADIUS * diagonal(bounds)
    far = np.flatnonzero(distance > radius)
    drop = float(loss[-1] - saddle_value)
    if status == "diverged":
        if drop < 0:
            return "escaped", (f"escaped and kept falling: f = {fmt(float(loss[-1]))} when the run left the region "
                               f"|x| ≤ 10⁶ at step {diverged_at} (the surface is unbounded below that way)")
        return "stuck", f"diverged at step {diverged_at}: the step is too large for the curvature it met"
    if distance[-1] <= radius:
        return "stuck", (f"stuck: after {steps} steps it is {fmt(float(distance[-1]), 2)} from the saddle (never "
                         f"farther than {fmt(float(distance.max()), 2)}; f changed by {fmt(drop, 2)})")
    if drop < 0:
        return "escaped", (f"escaped: left the saddle at step {int(far[0])} and ended at ({fmt(float(xy[-1, 0]))}, "
                           f"{fmt(float(xy[-1, 1]))}) with f = {fmt(float(loss[-1]))}, {fmt(-drop)} below the saddle")
    return "stuck", (f"thrown off but not downhill: it ended {fmt(float(distance[-1]), 2)} away with f higher by "
                     f"{fmt(drop)}")


CURVATURE_MODES = {"shape": "Shape (eigenvalue signs)", "lam_min": "Smallest eigenvalue λmin",
                   "condition": "Condition number max|λ| / min|λ|"}


def shape_shares(maps: analysis.CurvatureMaps) -> str:
    """How much of the box each shape covers, in words."""
    total = maps.shape.size
    parts = [f"{SHAPE_WORDS[name].split(' (')[0]} {np.sum(maps.shape == i) / total:.0%}"
             for i, name in enumerate(analysis.SHAPES) if np.any(maps.shape == i)]
    return "Share of the view box: " + ", ".join(parts) + "."


# ------------------------------------------------------------------------------------------------ LaTeX
def latex_number(v: float) -> str:
    """A float as LaTeX: 4 significant digits, ``a \\times 10^{b}`` for exponents (`landscapes.numbers.latex`)."""
    return numbers.latex(v)


def latex_matrix(rows) -> str:
    """A numeric matrix (or column vector, given ``[[a], [b]]``) as a LaTeX bmatrix."""
    return r"\begin{bmatrix}" + r" \\ ".join(" & ".join(latex_number(float(v)) for v in row) for row in rows) + \
        r"\end{bmatrix}"
