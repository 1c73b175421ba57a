"""A preset's claims in words: one sentence per claim that holds for the runs on the screen, with their numbers
(`optimizers.claims` measures them; this module only says them)."""

from __future__ import annotations

from typing import Callable, Sequence

from landscapes import numbers
from optimizers import claims as _claims


def _f(v: float) -> str:
    return numbers.number(v, 3)


def _names(names: Sequence[str], title: Callable[[str], str]) -> str:
    titles = [title(n) for n in names]
    return titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + " and " + titles[-1]


def sentence(kind: str, fact: _claims.Fact, title: Callable[[str], str]) -> str:
    """The sentence of a claim that holds; ``title`` turns an optimizer's name into its title."""
    n = fact.numbers
    if kind == "zigzag":
        return (f"{title(n['name'])} zig-zags across the ravine: its step across the floor changes sign {n['flips']} "
                f"times in the first {n['window']} steps.")
    if kind == "crawl":
        return (f"{title(n['name'])} crawls: after {n['steps']} steps it is still {_f(n['distance'])} from the "
                f"minimum.")
    if kind == "overshoot":
        return f"{title(n['name'])} overshoots: it passes the minimum along the floor at step {n['step']}."
    if kind == "arrival":
        if n["arrived"]:
            return (f"{title(n['name'])} reaches the minimum first, at step {n['step']} (runs that reach it within "
                    f"{n['steps']} steps: {n['arrived']} of {n['shown']}).")
        return (f"None of the {n['shown']} runs reaches the minimum within {n['steps']} steps; the closest, "
                f"{title(n['name'])}, ends {_f(n['distance'])} from it.")
    if kind == "diagonal":
        return (f"{_names(n['names'], title)} take their first step along a diagonal (45°), not down the gradient: "
                f"each coordinate is scaled by its own gradient history.")
    if kind == "stable":
        return "Every method shown is stable at the start: none diverges."
    if kind == "linger":
        return (f"{title(n['name'])} slides into the saddle and stays near it from step {n['first']} to step "
                f"{n['last']} before the negative curvature takes it away.")
    if kind == "leave_sooner":
        return (f"{title(n['name'])} leaves the saddle for good at step {n['step']}, before {title(n['other'])} "
                f"(step {n['other_step']}).")
    if kind == "avoid":
        return (f"{_names(n['names'], title)}, whose steps do not shrink with the gradient, never come near the "
                f"saddle.")
    raise ValueError(f"no words for claim kind {kind!r}")


def shown(preset_claims, scene: _claims.Scene, title: Callable[[str], str]) -> list[str]:
    """The sentences of the claims of a preset that hold for the runs of ``scene`` (those that do not, or that
    name an optimizer not shown, are not said)."""
    out = []
    for claim in preset_claims:
        fact = _claims.check(claim, scene)
        if fact is not None and fact.holds:
            out.append(sentence(claim.kind, fact, title))
    return out
