"""What the Lab page writes: its bounds, and the basin table."""

from __future__ import annotations

from typing import Mapping

import numpy as np


from components.lab.compute import (MAX_BASIN_OPTIMIZERS, MAX_CONFIGS, MAX_GRID, MAX_LR_POINTS, MAX_PHASE,
                                    MAX_STARTS, MAX_STEPS, MAX_TUNING_BUDGET, Attractors, Basins, categories)


LIMITS = (f"grid ≤ {MAX_GRID} × {MAX_GRID} starts per optimizer (≤ {MAX_BASIN_OPTIMIZERS} optimizers), "
          f"≤ {MAX_CONFIGS:,} configurations per sweep (phase diagram ≤ {MAX_PHASE} × {MAX_PHASE}, "
          f"η curve ≤ {MAX_LR_POINTS} points, tuning budget × starts ≤ {MAX_TUNING_BUDGET} × {MAX_STARTS}), "
          f"≤ {MAX_STEPS:,} steps")
"""The bounds in words, for the page."""


def basin_table(maps: Mapping[str, Basins], att: Attractors) -> dict[str, list]:
    """Share of starts per category (columns: category, then one per optimizer, in %), categories that occur."""
    names = categories(att)
    totals = sum(b.counts for b in maps.values()) if maps else np.zeros(len(names))
    rows = [i for i in range(len(names)) if totals[i] > 0]
    table: dict[str, list] = {"ends at": [names[i] for i in rows]}
    for title, b in maps.items():
        table[title] = [round(100.0 * float(b.counts[i]) / max(int(b.counts.sum()), 1), 2) for i in rows]
    return table
