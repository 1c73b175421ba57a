"""What the Lab page writes, in the visitor's language (`components.i18n`): its bounds, where a basin map's runs
ended (and the basin table), how a search's best run ended, the η curve's reading of each optimizer, and a
schedule's outcome.  Each sentence is one message with its numbers as placeholders."""

from __future__ import annotations

from typing import Callable, Iterable, Mapping

import numpy as np

from components import outcomes
from components.i18n import N_, t
from components.lab.compute import (DIVERGED_WORD, MAX_BASIN_OPTIMIZERS, MAX_CONFIGS, MAX_GRID, MAX_LR_POINTS,
                                    MAX_PHASE, MAX_STARTS, MAX_STEPS, MAX_TUNING_BUDGET, MINIMUM_LABEL, MOVING,
                                    STALLED, Attractors, Basins)


def menu(options: Iterable[str], say: Callable[[str], str]) -> Callable[[str], str]:
    """A widget's ``format_func`` that returns each option's words as ``say`` wrote them in this run.

    Computed here, in the visitor's language: Streamlit's AppTest calls ``format_func`` again outside the script run
    (where the language is not known) to match a widget's value with its options, so the words are looked up, not
    translated again."""
    shown = {option: say(option) for option in options}
    return lambda option: shown.get(option, str(option))


def limits() -> str:
    """The bounds in words, for the page."""
    return t("grid ≤ {grid} × {grid} starts per optimizer (≤ {optimizers} optimizers), ≤ {configs} configurations "
             "per sweep (phase diagram ≤ {phase} × {phase}, η curve ≤ {points} points, tuning budget × starts ≤ "
             "{budget} × {starts}), ≤ {steps} steps",
             grid=MAX_GRID, optimizers=MAX_BASIN_OPTIMIZERS, configs=f"{MAX_CONFIGS:,}", phase=MAX_PHASE,
             points=MAX_LR_POINTS, budget=MAX_TUNING_BUDGET, starts=MAX_STARTS, steps=f"{MAX_STEPS:,}")


# ------------------------------------------------------------------------------------------------ basins
def categories(att: Attractors) -> tuple[str, ...]:
    """`compute.categories` in the visitor's language: each minimum with its place and value, then stalled,
    diverged, still moving."""
    minima = tuple(t(MINIMUM_LABEL, x=f"{x:.3g}", y=f"{y:.3g}", value=f"{v:.3g}")
                   for (x, y), v in zip(att.minima, att.values))
    return minima + (t(STALLED), t(DIVERGED_WORD), t(MOVING))


def basin_table(maps: Mapping[str, Basins], att: Attractors) -> dict[str, list]:
    """Share of starts per category (columns: category, then one per optimizer, in %), categories that occur."""
    names = categories(att)
    totals = sum(b.counts for b in maps.values()) if maps else np.zeros(len(names))
    rows = [i for i in range(len(names)) if totals[i] > 0]
    table: dict[str, list] = {t("ends at"): [names[i] for i in rows]}
    for title, b in maps.items():
        table[title] = [round(100.0 * float(b.counts[i]) / max(int(b.counts.sum()), 1), 2) for i in rows]
    return table


# ------------------------------------------------------------------------------------------------ η curve
def divergence_reading(label: str, onset: float | None, limit: float | None, spacing: float) -> str:
    """One optimizer's line under the η curve: where it first diverged on the grid (or that it never did), and the
    closed-form limit with the grid's spacing when there is one."""
    values = {"name": label, "eta": f"{onset:.4g}" if onset is not None else "",
              "limit": f"{limit:.4g}" if limit is not None else "", "spacing": f"{spacing:.3f}"}
    if onset is not None and limit is not None:
        return t("**{name}** first diverges at η = {eta} (closed form: {limit}; grid spacing ×{spacing})", **values)
    if onset is not None:
        return t("**{name}** first diverges at η = {eta}", **values)
    if limit is not None:
        return t("**{name}** never diverges on this range (closed form: {limit}; grid spacing ×{spacing})", **values)
    return t("**{name}** never diverges on this range", name=label)


# ------------------------------------------------------------------------------------------------ search
def best_run(loss: float, converged_at: int, diverged: bool, f_star: float | None) -> str:
    """How a search's best run ended: diverged, converged in so many steps, or its final gap to ``f*``."""
    if diverged:
        return t("diverged")
    if converged_at >= 0:
        return t("converged in {steps} steps", steps=int(converged_at))
    return t("final f − f* = {gap}", gap=f"{loss - (f_star or 0.0):.3g}")


# ------------------------------------------------------------------------------------------------ schedules
STATUS_MESSAGES = (N_("converged"), N_("diverged"), N_("moving"))
"""The words of `outcomes.ENGINE_WORDS` (the pages' one status vocabulary, kept there), marked for the Lab's
catalog: outcomes.py belongs to the Compare's, which does not show these words (a test keeps the two equal)."""


def engine_status(status: str) -> str:
    """The engine's run status (`optimizers.base.STATUSES`) in the pages' word, in the visitor's language."""
    return t(outcomes.ENGINE_WORDS[status])


def schedule_outcome(title: str, status: str, final: float, constant_status: str, constant_final: float) -> str:
    """The schedule's run and the constant-η run: how each ended (the engine's status) and its final loss."""
    return t("**{title}**: {status}, final f = {final}. **Constant η**: {constant_status}, final f = "
             "{constant_final}.", title=title, status=engine_status(status), final=f"{final:.4g}",
             constant_status=engine_status(constant_status), constant_final=f"{constant_final:.4g}")
