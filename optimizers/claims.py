"""What a set of runs shows, checked on the runs themselves: the facts behind every sentence a preset (or a lesson)
says about the paths on the screen.

A `landscapes.Claim` names a kind and the optimizers it is about; `check` measures it on the runs shown and returns
a `Fact`: whether it holds and the numbers that make it true (steps, distances, names).  The UI says a claim only
where it holds, with those numbers (`components.claim_words`), so a sentence about the runs is never false for the
runs on the screen; when the visitor changes a setting and a claim stops holding, it is no longer said.

The geometry (NTU ML 2023, cs231n "ravine"): at a minimum ``x*`` with Hessian eigenvectors ``v_min`` (flattest
direction, the valley floor) and ``v_max`` (steepest, across the floor),

* **zigzag**: the component of the step along ``v_max`` changes sign at least every other step over the first
  `WINDOW` steps (gradient descent with ``ηλmax > 1``: the factor ``1 − ηλmax`` is negative);
* **crawl**: the run has not converged by its last step, and is still ``d`` from the minimum;
* **overshoot**: the coordinate along ``v_min`` (relative to ``x*``) changes sign: the run passes the minimum
  along the floor (momentum's complex eigenvalues, Polyak 1964);
* **arrival**: which run converges first (`optimizers.engine`'s test), or, if none, which ends closest to ``x*``;
* **diagonal**: the first step points along a diagonal (|Δx| = |Δy|), as a per-coordinate normalisation does
  (AdaGrad, RMSProp, Adam: ``Δx_i ∝ g_i / √(g_i²)``), whatever the gradient's direction;
* **stable**: no run shown diverges;
* **linger** / **leave_sooner** / **avoid** (at a saddle ``s``): a run stays within `NEAR` box diagonals of
  ``s`` for some steps; one run leaves that neighbourhood for good before another; a run never enters it.
"""

from __future__ import annotations

from typing import Any, Mapping, NamedTuple, Sequence

import numpy as np

KINDS = ("zigzag", "crawl", "overshoot", "arrival", "diagonal", "stable", "linger", "leave_sooner", "avoid")
WINDOW = 50
"""The zig-zag is counted over this many first steps."""
NEAR = 0.1
"""Near a saddle: within this fraction of the box diagonal."""
DIAGONAL_DEGREES = 1.0
"""A first step this close to a diagonal (in degrees) counts as diagonal."""


_ABOUT_A_GROUP = ("arrival", "diagonal", "stable", "avoid")
"""Kinds that speak of a group of runs: checked on those of the claim's optimizers that are shown."""


class Fact(NamedTuple):
    """A claim measured on the runs shown: ``holds``, and ``numbers`` for its sentence (names, steps, distances)."""

    holds: bool
    numbers: dict


class Scene(NamedTuple):
    """What the claims measure against: the runs shown (``{name: Trajectory}``), the surface's minimum and its
    Hessian eigenvectors there (``floor`` flattest, ``steep`` steepest; None without a minimum), the saddle
    (None without one), and the box diagonal."""

    runs: Mapping[str, Any]
    minimum: np.ndarray | None
    floor: np.ndarray | None
    steep: np.ndarray | None
    saddle: np.ndarray | None
    diagonal: float


def scene(runs: Mapping[str, Any], landscape, critical: Sequence = ()) -> Scene:
    """The `Scene` of ``runs`` on ``landscape``: its global minimum (listed, else the lowest critical minimum), the
    Hessian's eigenvectors there, and its lowest saddle among ``critical`` (`landscapes.PointInfo`\\ s)."""
    from landscapes import analysis

    minima = [m.xy for m in landscape.minima if m.kind == "global"] or [
        p.xy for p in critical if p.kind == "minimum"]
    minimum = floor = steep = None
    if minima:
        minimum = np.asarray(minima[0], np.float64)
        _, vectors = np.linalg.eigh(np.asarray(analysis.hessian(landscape, minimum)))
        floor, steep = vectors[:, 0], vectors[:, 1]
    saddles = [p.xy for p in critical if p.kind == "saddle"]
    saddle = np.asarray(saddles[0], np.float64) if saddles else None
    (x0, x1), (y0, y1) = landscape.bounds
    return Scene(runs, minimum, floor, steep, saddle, float(np.hypot(x1 - x0, y1 - y0)))


def _sign_changes(v: np.ndarray) -> np.ndarray:
    """Indices ``t`` where ``v[t + 1]`` has the opposite sign of ``v[t]`` (zeros are skipped)."""
    s = np.sign(v)
    keep = np.flatnonzero(s != 0)
    return keep[:-1][s[keep[1:]] != s[keep[:-1]]]


def _near(run, scene_: Scene) -> np.ndarray:
    return np.linalg.norm(np.asarray(run.xy) - scene_.saddle, axis=1) <= NEAR * scene_.diagonal


def check(claim, scene_: Scene) -> Fact | None:
    """Measure ``claim`` on the scene's runs; None when it cannot apply (an optimizer it names is not shown, or the
    surface has no minimum / saddle to measure against)."""
    names = claim.optimizers or tuple(scene_.runs)
    if claim.kind in _ABOUT_A_GROUP:  # about those of the group that are shown
        names = tuple(n for n in names if n in scene_.runs)
    if not names or any(n not in scene_.runs for n in names):
        return None
    runs = [scene_.runs[n] for n in names]
    kind = claim.kind
    if kind in ("zigzag", "crawl", "overshoot", "arrival") and scene_.minimum is None:
        return None
    if kind in ("linger", "leave_sooner", "avoid") and scene_.saddle is None:
        return None
    if kind == "zigzag":
        run = runs[0]
        across = np.diff(np.asarray(run.xy)[: WINDOW + 1], axis=0) @ scene_.steep
        flips = len(_sign_changes(across))
        return Fact(flips >= (len(across) - 1) // 2 and len(across) > 2,
                    {"name": names[0], "flips": flips, "window": len(across)})
    if kind == "crawl":
        run = runs[0]
        distance = float(np.linalg.norm(np.asarray(run.xy)[-1] - scene_.minimum))
        return Fact(int(run.converged_at) < 0 and int(run.diverged_at) < 0,
                    {"name": names[0], "distance": distance, "steps": len(run.xy) - 1})
    if kind == "overshoot":
        run = runs[0]
        along = (np.asarray(run.xy) - scene_.minimum) @ scene_.floor
        crossings = _sign_changes(along)
        return Fact(len(crossings) > 0, {"name": names[0], "step": int(crossings[0]) + 1 if len(crossings) else -1,
                                          "times": len(crossings)})
    if kind == "arrival":
        arrived = sorted((int(r.converged_at), n) for n, r in zip(names, runs)
                         if int(r.converged_at) >= 0 and int(r.diverged_at) < 0)
        steps = max(len(r.xy) - 1 for r in runs)
        if arrived:
            step, first = arrived[0]
            return Fact(True, {"name": first, "step": step, "arrived": len(arrived), "shown": len(names),
                               "steps": steps})
        ends = {n: float(np.linalg.norm(np.asarray(r.xy)[-1] - scene_.minimum)) for n, r in zip(names, runs)
                if int(r.diverged_at) < 0}
        closest = min(ends, key=ends.get) if ends else None  # None: every run diverged, none is "closest"
        return Fact(closest is not None, {"name": closest, "step": -1, "arrived": 0, "shown": len(names),
                                          "steps": steps, "distance": ends.get(closest, float("nan"))})
    if kind == "diagonal":
        ok = []
        for run in runs:
            first = np.diff(np.asarray(run.xy)[:2], axis=0)[0]
            angle = np.degrees(np.arctan2(abs(first[1]), abs(first[0])))
            ok.append(bool(np.linalg.norm(first) > 0 and abs(angle - 45.0) <= DIAGONAL_DEGREES))
        return Fact(all(ok), {"names": names})
    if kind == "stable":
        diverged = [n for n, r in zip(names, runs) if int(r.diverged_at) >= 0]
        return Fact(not diverged, {"names": names, "diverged": diverged})
    if kind == "linger":
        near = np.flatnonzero(_near(runs[0], scene_))
        return Fact(len(near) >= 10, {"name": names[0], "first": int(near[0]) if len(near) else -1,
                                       "last": int(near[-1]) if len(near) else -1, "steps": len(near)})
    if kind == "leave_sooner":
        lasts = []
        for run in runs:
            near = np.flatnonzero(_near(run, scene_))
            lasts.append(int(near[-1]) if len(near) else -1)
        first, second = lasts
        return Fact(0 <= first < second and not _near(runs[1], scene_)[-1] and not _near(runs[0], scene_)[-1],
                    {"name": names[0], "other": names[1], "step": first + 1, "other_step": second + 1})
    if kind == "avoid":
        return Fact(not any(_near(r, scene_).any() for r in runs), {"names": names})
    raise ValueError(f"unknown claim kind {kind!r}; known: {KINDS}")
