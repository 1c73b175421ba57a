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
import re
from typing import Sequence

import numpy as np
import pandas as pd

from components import titles
from components.i18n import N_, t, tn
from landscapes import analysis, numbers
from optimizers import analytic
from landscapes.base import KINDS, Bounds, PointInfo
from components.explore.compute import (CONTINUUM_MIN, ESCAPE_RADIUS, critical_tolerance, diagonal, gradient_vanishes,
                                        local_shape)


TABLE_COLUMNS = ("x", "y", "f", "λ₁", "λ₂", "kind")
"""The atlas table's columns in the engine's terms; the last one's header is translated (`atlas_table`)."""
SHAPE_WORDS = {"bowl": N_("bowl (both λ > 0)"), "dome": N_("dome (both λ < 0)"),
               "saddle": N_("saddle-shaped (λ₁ < 0 < λ₂)"), "flat": N_("flat in a direction (a λ ≈ 0)")}
"""The local shape (`compute.local_shape`, `analysis.SHAPES`) with its eigenvalue signs, for sentences."""
SHAPE_NAMES = {"bowl": N_("bowl"), "dome": N_("dome"), "saddle": N_("saddle-shaped"),
               "flat": N_("flat in a direction")}
"""The local shape alone, for the share of the view box each covers."""
SHAPE_TICKS = {"bowl": N_("bowl"), "dome": N_("dome"), "saddle": N_("saddle"), "flat": N_("flat")}
"""The local shape in one word, for the curvature map's colour bar and hover."""
HEADLINES = {"minimum": N_("local minimum"), "maximum": N_("local maximum"), "saddle": N_("saddle point"),
             "degenerate": N_("degenerate critical point: the test is inconclusive"),
             "regular": N_("not a critical point"), analysis.OUT_OF_RANGE: N_("outside float64's range: no verdict")}
"""A point's verdict as the headline of its panel."""
SECTIONS = {"model": N_("Local quadratic model"), "escape": N_("Saddle escape"), "curvature": N_("Curvature map"),
            "check": N_("Gradient check")}
"""The page's tabs, in order."""


def listing(items: Sequence[str]) -> str:
    """Items joined as a list in the visitor's language ("a, b, c"; Chinese "a、b、c")."""
    # i18n: the separator between the items of a list (4 minima, 1 maximum, …); Chinese uses 、
    return t(", ").join(items)


def section_label(state: object) -> str | None:
    """The label, in the visitor's language, of the tab whose label ``state`` holds in any language (the tabs keep
    their label as their state, so a language switch would otherwise reopen the first tab); None if it is none."""
    from components import i18n

    for message in SECTIONS.values():
        if any(state == i18n.catalog(lang).gettext(message) for lang in i18n.LANGUAGES):
            return t(message)
    return None


# ------------------------------------------------------------------------------------------------ boxes
def box_problem(xmin: float, xmax: float, ymin: float, ymax: float) -> str | None:
    """The notice when ``[xmin, xmax] × [ymin, ymax]`` is not a usable view box (the surface's own box is used
    instead), or None."""
    for lo, hi, axis in ((xmin, xmax, "x"), (ymin, ymax, "y")):
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return t("View box: the {axis} range is not finite; using the surface's box instead.", axis=axis)
        if not hi - lo > 1e-6 * max(1.0, abs(lo), abs(hi)):
            return t("View box: {axis} min ({lo}) must be below {axis} max ({hi}); using the surface's box instead.",
                     axis=axis, lo=f"{lo:g}", hi=f"{hi:g}")
    return None


# ------------------------------------------------------------------------------------------------ numbers → words
def fmt(v: float, digits: int = 4) -> str:
    """A number for prose: 4 significant digits, a real minus sign (`landscapes.numbers.number`)."""
    return numbers.number(v, digits)


def sci(v: float) -> str:
    """A tolerance as the engine writes it: ``1e-6``."""
    return f"{v:.0e}".replace("e-0", "e-")


def atlas_table(points: Sequence[PointInfo]) -> pd.DataFrame:
    """The atlas as a table, one row per critical point in engine order (lowest f first): x, y, f, λ₁ ≤ λ₂, kind
    (in words)."""
    rows = [(float(p.xy[0]), float(p.xy[1]), float(p.value), float(p.eigenvalues[0]), float(p.eigenvalues[1]),
             titles.kind(str(p.kind))) for p in points]
    return pd.DataFrame(rows, columns=[*TABLE_COLUMNS[:-1], t("kind")])


def region_words(boxes: np.ndarray, bounds: Bounds) -> str:
    """Where ``boxes (M, 2, 2)`` lie, in words: near one point when they are tiny, else the range they span."""
    lo, hi = boxes[:, 0].min(axis=0), boxes[:, 1].max(axis=0)
    if float(np.hypot(*(hi - lo))) <= 1e-3 * diagonal(bounds):
        centre = 0.5 * (lo + hi)
        return t("near ({x}, {y})", x=fmt(float(centre[0])), y=fmt(float(centre[1])))
    return t("in x ∈ [{x0}, {x1}], y ∈ [{y0}, {y1}]", x0=fmt(float(lo[0])), x1=fmt(float(hi[0])),
             y0=fmt(float(lo[1])), y1=fmt(float(hi[1])))


UNDECIDED_WORDS = {
    # (the note, the precision of its share of the box)
    "small": (N_("The search could neither rule out nor isolate a critical point {where} (a degenerate point, a kink "
                 "or a curve of critical points): another one may be there."), 1),
    "flat": (N_("∇f vanishes to within float64 {where} ({share} of the box): a flat region, where every point is a "
                "critical point."), 1),
    "range": (N_("f or ∇f leaves float64's range {where} ({share} of the box): no critical point is claimed there, "
                 "and none can be ruled out."), 1),
    "undefined": (N_("f or ∇f is not finite {where} (a pole, or the edge of the function's domain): critical points "
                     "cannot be ruled out there."), 1),
    "budget": (N_("The search ran out of its budget ({n} boxes at once) before deciding {share} of the box ({where}): "
                  "critical points may be missing there."), 0),
}
"""What the atlas's undecided boxes mean, by reason (`landscapes.exclusion.UNDECIDED`)."""
COUNTS = {"minimum": lambda n: tn("{n} minimum", "{n} minima", n, n=n),
          "maximum": lambda n: tn("{n} maximum", "{n} maxima", n, n=n),
          "saddle": lambda n: tn("{n} saddle", "{n} saddles", n, n=n),
          "degenerate": lambda n: tn("{n} degenerate", "{n} degenerate", n, n=n)}
"""How many critical points of a kind, in words (the language's plural forms)."""


def describe_atlas(found: analysis.Atlas, bounds: Bounds) -> tuple[str, list[str]]:
    """A one-line count of the atlas by kind with how complete it is, and notes in words: what the search could
    not decide and where, a capped list, a continuum, nothing found."""
    from landscapes.exclusion import MAX_ACTIVE, UNDECIDED

    points = found.points
    counts = {k: sum(p.kind == k for p in points) for k in KINDS}
    kinds = listing([COUNTS[k](n) for k, n in counts.items() if n])
    n = len(points)
    if points and found.complete:
        summary = tn("{n} critical point in view: {kinds} — all of them: bounds on ∇f over a subdivision of the box "
                     "rule out any other.",
                     "{n} critical points in view: {kinds} — all of them: bounds on ∇f over a subdivision of the box "
                     "rule out any other.", n, n=n, kinds=kinds)
    elif points:
        summary = tn("{n} critical point in view: {kinds}.", "{n} critical points in view: {kinds}.", n, n=n,
                     kinds=kinds)
    elif found.complete:
        summary = t("No critical point in view: bounds on ∇f over a subdivision of the box rule out every one.")
    else:
        summary = t("No critical point found in view.")
    notes = []
    if not found.proof:
        notes.append(t("Found by Newton's method from a 48 × 48 grid of starts. This formula uses an operation the "
                       "completeness search cannot bound, so critical points may be missing."))
    box_area = float(np.prod([b[1] - b[0] for b in bounds]))
    for code, reason in enumerate(UNDECIDED):
        boxes = found.undecided[found.why == code]
        if not len(boxes):
            continue
        share = float(np.sum(np.prod(boxes[:, 1] - boxes[:, 0], axis=1))) / box_area
        message, digits = UNDECIDED_WORDS[reason]
        notes.append(t(message, where=region_words(boxes, bounds), share=f"{share:.{digits}%}", n=MAX_ACTIVE))
    if found.found > len(points):
        notes.append(t("{found} critical points were found; the table and the markers show the lowest {shown}.",
                       found=found.found, shown=len(points)))
    degenerate = counts["degenerate"]
    if degenerate >= CONTINUUM_MIN and degenerate >= len(points) / 2:
        notes.append(t("{n} degenerate critical points: they are most likely a sample of a continuum (a line or curve "
                       "of critical points, as f = x² has along x = 0, or a flat region). At each one the Hessian is "
                       "singular, so the second-derivative test is inconclusive there.", n=degenerate))
    if not points and not found.complete:
        notes.append(t("Enlarge the view box, or this surface may have no critical point here (e.g. a plane, or a "
                       "cone tip where f is not differentiable)."))
    return summary, notes


def nonfinite_problem(info: PointInfo) -> str | None:
    """Words for a point where f, ∇f or the Hessian is not finite (the test does not apply), else None."""
    bad = [name for name, v in (("f", info.value), (t("the gradient"), info.gradient), (t("the Hessian"), info.hessian))
           if not np.all(np.isfinite(v))]
    if not bad:
        return None
    return tn("At this point {names} is not finite (inf or NaN): the surface is not twice differentiable here (a kink, "
              "a pole, or outside the function's domain, like √(x²+y²) at the origin or log x for x ≤ 0), so the "
              "second-derivative test does not apply. Pick another point.",
              "At this point {names} are not finite (inf or NaN): the surface is not twice differentiable here (a "
              "kink, a pole, or outside the function's domain, like √(x²+y²) at the origin or log x for x ≤ 0), so "
              "the second-derivative test does not apply. Pick another point.", len(bad), names=listing(bad))


_LOST = re.compile(r"^(f|∇f|the Hessian) (underflows \(rounds to 0\)|overflows) in float64 here")
"""What left float64's range and how, read from the engine's English reason: `PointInfo` carries no code for it yet
(issue 27 gives it one; then this reads the code)."""


def reason(info: PointInfo, bounds: Bounds) -> str:
    """Why the second-derivative test gives ``info.kind`` at this point (`landscapes.analysis.classify`), with its
    numbers: the engine's reasoning (``PointInfo.reason``) composed in the visitor's language from the point's
    gradient, eigenvalues and the engine's tolerances; for a point that is not critical, its local shape too."""
    lam1, lam2 = (float(v) for v in info.eigenvalues)
    with np.errstate(over="ignore"):  # a gradient near float64's top: its norm is ∞, as the engine says
        norm = fmt(float(np.linalg.norm(info.gradient)))
    eig = dict(norm=norm, lam1=fmt(lam1), lam2=fmt(lam2))
    if info.kind == "regular":
        return t("not a critical point: ‖∇f‖ = {norm} exceeds the tolerance {tol} (= {rtol} · max(1, |f|/L, "
                 "max|λ|·L), L = box diagonal), so the second-derivative test does not apply. Locally the surface is "
                 "{shape}.", norm=norm, tol=fmt(critical_tolerance(info, bounds)), rtol=sci(analysis.CRITICAL_RTOL),
                 shape=t(SHAPE_WORDS[local_shape(lam1, lam2)]))
    if info.kind == "degenerate":
        return t("∇f ≈ 0 (‖∇f‖ = {norm}), but the smallest |λ| is ≤ {rtol} · max(1, max|λ|) (λ₁ = {lam1}, λ₂ = {lam2}) "
                 "→ the Hessian is singular → the second-derivative test is inconclusive: higher-order terms decide "
                 "(at such a flat point x⁴ + y⁴ has a minimum, x³ − 3xy² a monkey saddle)",
                 rtol=sci(analysis.DEGENERATE_RTOL), **eig)
    if info.kind == "minimum":
        return t("∇f ≈ 0 (‖∇f‖ = {norm}) and both eigenvalues positive (λ₁ = {lam1}, λ₂ = {lam2}) → the Hessian is "
                 "positive definite → local minimum", **eig)
    if info.kind == "maximum":
        return t("∇f ≈ 0 (‖∇f‖ = {norm}) and both eigenvalues negative (λ₁ = {lam1}, λ₂ = {lam2}) → the Hessian is "
                 "negative definite → local maximum", **eig)
    if info.kind == "saddle":
        return t("∇f ≈ 0 (‖∇f‖ = {norm}) and eigenvalues of opposite signs (λ₁ = {lam1}, λ₂ = {lam2}) → the Hessian is "
                 "indefinite → saddle point: f falls along the first eigenvector and rises along the second", **eig)
    lost = _LOST.match(info.reason or "")
    if lost is None:
        return t("f, ∇f or the Hessian is outside the range float64 can hold here (about 2.2e-308 to 1.8e308), so "
                 "the numbers say nothing about this point and the second-derivative test cannot be applied")
    which = {"f": "f", "∇f": "∇f", "the Hessian": t("the Hessian")}[lost.group(1)]
    if lost.group(2) == "overflows":
        return t("{which} overflows in float64 here: its true value is outside the range float64 can hold (about "
                 "2.2e-308 to 1.8e308), so the numbers say nothing about this point and the second-derivative test "
                 "cannot be applied", which=which)
    return t("{which} underflows (rounds to 0) in float64 here: its true value is outside the range float64 can hold "
             "(about 2.2e-308 to 1.8e308), so the numbers say nothing about this point and the second-derivative "
             "test cannot be applied", which=which)


def verdict(info: PointInfo, bounds: Bounds) -> tuple[str, str]:
    """A headline (the kind in words) and why (`reason`); where f, ∇f or H is not finite, that instead."""
    problem = nonfinite_problem(info)
    if problem:
        return t("not differentiable here"), problem
    headline = t(HEADLINES[info.kind]) if info.kind in HEADLINES else info.kind
    return headline, reason(info, bounds)


def stability(eigenvalues) -> str:
    """Gradient descent's step-size limit at a point, in words: ``η < 2/λmax``."""
    lam = np.sort(np.asarray(eigenvalues, dtype=float))
    if not np.all(np.isfinite(lam)):
        return t("The Hessian is not finite here, so there is no curvature limit to state.")
    lam_max = float(lam[-1])
    if lam_max <= 0:
        return t("Linearised near a critical point, gradient descent multiplies the component along eigenvector vᵢ by "
                 "(1 − ηλᵢ) each step; it shrinks iff 0 < ηλᵢ < 2. Here λmax = {lam_max} ≤ 0: no direction curves "
                 "up, so curvature sets no step-size limit, and no direction is stable either (steps lead away, "
                 "downhill).", lam_max=fmt(lam_max))
    limit = analytic.learning_rate_limit("sgd", lam_max)  # 2/λmax, from its one home
    if lam[0] <= 0:
        return t("Linearised near a critical point, gradient descent multiplies the component along eigenvector vᵢ by "
                 "(1 − ηλᵢ) each step; it shrinks iff 0 < ηλᵢ < 2. Stability needs η < 2/λmax = 2/{lam_max} = "
                 "{limit}. The other direction has λ₁ ≤ 0: it grows for every η > 0 (that is how gradient descent "
                 "leaves a saddle).", lam_max=fmt(lam_max), limit=fmt(limit))
    return t("Linearised near a critical point, gradient descent multiplies the component along eigenvector vᵢ by "
             "(1 − ηλᵢ) each step; it shrinks iff 0 < ηλᵢ < 2. Stability needs η < 2/λmax = 2/{lam_max} = {limit}. "
             "With λ₁ = {lam1} the slowest direction contracts by |1 − ηλ₁| per step: the condition number "
             "λmax/λmin = {kappa} is how many times slower it converges.", lam_max=fmt(lam_max), limit=fmt(limit),
             lam1=fmt(float(lam[0])), kappa=fmt(lam_max / float(lam[0])))


GRADES = (
    # (below this relative error, the reading): cs231n's thresholds
    (1e-7, N_("Best step h = {h}; relative error there {error}, below 1e-7: the gradient is right (cs231n: what a "
              "smooth function should give).")),
    (1e-4, N_("Best step h = {h}; relative error there {error}, between 1e-7 and 1e-4: acceptable only near a kink "
              "(cs231n).")),
    (1e-2, N_("Best step h = {h}; relative error there {error}, between 1e-4 and 1e-2: suspicious (cs231n).")),
    (math.inf, N_("Best step h = {h}; relative error there {error}, above 1e-2: the gradient is probably wrong here "
                  "(cs231n), or f has a kink.")),
)


def gradient_check_words(check: analysis.GradientCheck, value: float, bounds: Bounds) -> list[str]:
    """cs231n's reading of the relative error at the best h, or why it means nothing here (∇f ≈ 0, not finite)."""
    if not (np.all(np.isfinite(check.analytic)) and math.isfinite(check.error)):
        return [t("The gradient is not finite at this point, so there is nothing to check.")]
    if gradient_vanishes(check, value, bounds):
        return [t("∇f ≈ 0 at this point (‖a‖ = {norm}), so the relative error divides round-off by round-off: it is "
                  "about 1 for every h and says nothing. Check the gradient at a point that is not critical (click "
                  "the map away from the markers).", norm=fmt(float(np.linalg.norm(check.analytic)), 2))]
    err = check.error
    grade = next(message for bound, message in GRADES if err < bound)
    words = [t(grade, h=f"{check.best_h:.0e}", error=f"{err:.2e}")]
    zero = int(np.sum(check.errors == 0))
    if zero:
        words.append(t("At {zero} of the {n} step sizes the centred difference is exact (error 0, not drawn on log "
                       "axes): along the axes f is locally a polynomial of degree ≤ 2, which the centred difference "
                       "differentiates without truncation error.", zero=zero, n=len(check.hs)))
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
            return "escaped", t("escaped and kept falling: f = {value} when the run left the region |x| ≤ 10⁶ at step "
                                "{step} (the surface is unbounded below that way)", value=fmt(float(loss[-1])),
                                step=diverged_at)
        return "stuck", t("diverged at step {step}: the step is too large for the curvature it met", step=diverged_at)
    if distance[-1] <= radius:
        return "stuck", t("stuck: after {steps} steps it is {distance} from the saddle (never farther than {farthest}; "
                          "f changed by {change})", steps=steps, distance=fmt(float(distance[-1]), 2),
                          farthest=fmt(float(distance.max()), 2), change=fmt(drop, 2))
    if drop < 0:
        return "escaped", t("escaped: left the saddle at step {step} and ended at ({x}, {y}) with f = {value}, {drop} "
                            "below the saddle", step=int(far[0]), x=fmt(float(xy[-1, 0])), y=fmt(float(xy[-1, 1])),
                            value=fmt(float(loss[-1])), drop=fmt(-drop))
    return "stuck", t("thrown off but not downhill: it ended {distance} away with f higher by {change}",
                      distance=fmt(float(distance[-1]), 2), change=fmt(drop))


CURVATURE_MODES = {"shape": N_("Shape (eigenvalue signs)"), "lam_min": N_("Smallest eigenvalue λmin"),
                   "condition": N_("Condition number max|λ| / min|λ|")}
"""The curvature map's shadings (translated where shown)."""


def shape_shares(maps: analysis.CurvatureMaps) -> str:
    """How much of the box each shape covers, in words."""
    total = maps.shape.size
    parts = [f"{t(SHAPE_NAMES[name])} {np.sum(maps.shape == i) / total:.0%}"
             for i, name in enumerate(analysis.SHAPES) if np.any(maps.shape == i)]
    return t("Share of the view box: {shares}.", shares=listing(parts))


# ------------------------------------------------------------------------------------------------ LaTeX
def latex_number(v: float) -> str:
    """A float as LaTeX: 4 significant digits, ``a \\times 10^{b}`` for exponents (`landscapes.numbers.latex`)."""
    return numbers.latex(v)


def latex_matrix(rows) -> str:
    """A numeric matrix (or column vector, given ``[[a], [b]]``) as a LaTeX bmatrix."""
    return r"\begin{bmatrix}" + r" \\ ".join(" & ".join(latex_number(float(v)) for v in row) for row in rows) + \
        r"\end{bmatrix}"
