"""A preset's claims in words: one sentence per claim that holds for the runs on the screen, with their numbers
(`optimizers.claims` measures them; this module only says them)."""

from __future__ import annotations

from typing import Callable, Sequence

from components.i18n import t, tn
from landscapes import numbers
from optimizers import claims as _claims


def _f(v: float) -> str:
    return numbers.number(v, 3)


def listing(items: Sequence[str]) -> str:
    """"A, B and C" in the visitor's language (Chinese: "A、B 和 C")."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    # i18n: the separator between the items of a list, except the last two
    return t("{items} and {last}", items=t(", ").join(items[:-1]), last=items[-1])


def _names(names: Sequence[str], title: Callable[[str], str]) -> str:
    return listing([title(n) for n in names])


def sentence(kind: str, fact: _claims.Fact, title: Callable[[str], str]) -> str:
    """The sentence of a claim that holds; ``title`` turns an optimizer's name into its title."""
    n = fact.numbers
    if kind == "zigzag":
        return t("{name} zig-zags across the ravine: its step across the floor changes sign {flips} times in the "
                 "first {window} steps.", name=title(n['name']), flips=n['flips'], window=n['window'])
    if kind == "crawl":
        return t("{name} crawls: after {steps} steps it is still {distance} from the minimum.",
                 name=title(n['name']), steps=n['steps'], distance=_f(n['distance']))
    if kind == "overshoot":
        return t("{name} overshoots: it passes the minimum along the floor at step {step}.", name=title(n['name']),
                 step=n['step'])
    if kind == "arrival":
        if n["arrived"]:
            return t("{name} reaches the minimum first, at step {step} (runs that reach it within {steps} steps: "
                     "{arrived} of {shown}).", name=title(n['name']), step=n['step'], steps=n['steps'],
                     arrived=n['arrived'], shown=n['shown'])
        return t("None of the {shown} runs reaches the minimum within {steps} steps; the closest, {name}, ends "
                 "{distance} from it.", shown=n['shown'], steps=n['steps'], name=title(n['name']),
                 distance=_f(n['distance']))
    if kind == "diagonal":
        return tn("{names} takes its first step along a diagonal (45°), not down the gradient: each coordinate is "
                  "scaled by its own gradient history.",
                  "{names} take their first step along a diagonal (45°), not down the gradient: each coordinate is "
                  "scaled by its own gradient history.", len(n['names']), names=_names(n['names'], title))
    if kind == "stable":
        return t("Every method shown is stable at the start: none diverges.")
    if kind == "linger":
        return t("{name} slides into the saddle and stays near it from step {first} to step {last} before the "
                 "negative curvature takes it away.", name=title(n['name']), first=n['first'], last=n['last'])
    if kind == "leave_sooner":
        return t("{name} leaves the saddle for good at step {step}, before {other} (step {other_step}).",
                 name=title(n['name']), step=n['step'], other=title(n['other']), other_step=n['other_step'])
    if kind == "avoid":
        return tn("{names}, whose steps do not shrink with the gradient, never comes near the saddle.",
                  "{names}, whose steps do not shrink with the gradient, never come near the saddle.",
                  len(n['names']), names=_names(n['names'], title))
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
