r"""What a user takes away from a run as files: per-step tables (CSV, JSON).  The run's outcome in words is
`components.outcomes`; the run as optax code is `optimizers.codegen`.

Per-step table of one run (``T`` steps, rows ``t = 0 … T``):

* ``x, y, loss, grad_norm`` at the iterate ``x_t``;
* ``update_norm = ‖x_{t+1} − x_t‖`` and ``learning_rate`` (η used by step ``t``), empty on the last row;
* ``update_ratio = ‖x_{t+1} − x_t‖ / ‖x_t‖``: the cs231n "babysitting" signal (weights-to-updates ratio, about
  1e-3 in a healthy network; ``shared/seeds/003_*``), empty where ``x_t = 0``;
* ``distance_to_minimum = min_m ‖x_t − m‖`` over the known minima, empty when none is known.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Mapping, Sequence

import numpy as np


from components.i18n import t


COLUMNS = ("step", "x", "y", "loss", "grad_norm", "update_norm", "learning_rate", "update_ratio",
           "distance_to_minimum")


# ------------------------------------------------------------------------------------------------ tables
def table(traj: Any, minima: Sequence[Sequence[float]] = ()) -> dict[str, np.ndarray]:
    """The per-step columns of one run (see the module docstring), each of length ``T + 1`` (NaN = empty)."""
    xy = np.asarray(traj.xy, np.float64).reshape(-1, 2)
    n = len(xy)
    pad = lambda a: np.concatenate([np.asarray(a, np.float64).reshape(-1)[: n - 1], np.full(1, np.nan)])  # noqa: E731
    update = pad(traj.update_norm)
    norm = np.linalg.norm(xy, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(norm > 0, update / norm, np.nan)
    mins = np.asarray(minima, np.float64).reshape(-1, 2)
    distance = (np.min(np.linalg.norm(xy[:, None, :] - mins[None, :, :], axis=2), axis=1) if len(mins)
                else np.full(n, np.nan))
    return {"step": np.arange(n), "x": xy[:, 0], "y": xy[:, 1], "loss": np.asarray(traj.loss, np.float64),
            "grad_norm": np.asarray(traj.grad_norm, np.float64), "update_norm": update,
            "learning_rate": pad(traj.learning_rate), "update_ratio": ratio, "distance_to_minimum": distance}


def log_axis_losses(losses: Sequence[np.ndarray], reference: float | None = None) -> tuple[list[np.ndarray], str | None]:
    """Losses ready for a log axis.  If any value is ``<= 0`` every curve is shifted to ``f − f_ref``, with
    ``f_ref`` the lower of ``reference`` (e.g. the global minimum's value) and the lowest loss seen, and floored
    at ``1e-16 · max(1, |f_ref|)``; the note says so.  Otherwise the losses are returned as they are, note None."""
    arrays = [np.asarray(l, np.float64) for l in losses]
    finite = np.concatenate([a[np.isfinite(a)] for a in arrays]) if arrays else np.zeros(0)
    if finite.size == 0 or finite.min() > 0:
        return arrays, None
    ref = float(finite.min()) if reference is None else min(float(reference), float(finite.min()))
    floor = 1e-16 * max(1.0, abs(ref))
    if reference is not None:
        note = t("Some losses are ≤ 0, so the log axis shows f − c with c = {c} (the lower of the known minimum "
                 "value and the lowest loss seen), floored at {floor}.", c=f"{ref:.6g}", floor=f"{floor:.1e}")
    else:
        note = t("Some losses are ≤ 0, so the log axis shows f − c with c = {c} (the lowest loss seen), floored at "
                 "{floor}.", c=f"{ref:.6g}", floor=f"{floor:.1e}")
    return [np.maximum(a - ref, floor) for a in arrays], note


def _cell(v: float) -> str:
    return "" if not np.isfinite(v) else repr(float(v))


def to_csv(tables: Mapping[str, Mapping[str, np.ndarray]]) -> str:
    """Long format: one row per optimizer and step, columns ``optimizer`` then `COLUMNS` (empty cell = none)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("optimizer",) + COLUMNS)
    for name, cols in tables.items():
        for row in zip(*(cols[c] for c in COLUMNS)):
            writer.writerow((name, int(row[0])) + tuple(_cell(v) for v in row[1:]))
    return out.getvalue()


def to_json(tables: Mapping[str, Mapping[str, np.ndarray]], config: Mapping[str, Any] | None = None,
            outcomes: Mapping[str, str] | None = None) -> str:
    """``{"config": {...}, "runs": {name: {"outcome": str, column: [values, null for none]}}}``."""
    runs = {}
    for name, cols in tables.items():
        run = {"outcome": (outcomes or {}).get(name, "")}
        for c in COLUMNS:
            values = np.asarray(cols[c], np.float64)
            run[c] = [int(v) for v in values] if c == "step" else [float(v) if np.isfinite(v) else None
                                                                  for v in values]
        runs[name] = run
    return json.dumps({"config": dict(config or {}), "runs": runs}, allow_nan=False)
