"""Live scrub: every optimizer's path for every notch of one hyperparameter, computed at once (`optimizers.run_grid`,
one compiled call per optimizer) and sent to the player, which redraws from them while the user drags, with no
server round trip; releasing writes the values back to the sidebar (one rerun at the end, not during the drag).

Notches are the sidebar sliders' own values, so what the scrub shows is exactly what the sliders give after the
release.  The optimizers on the page have different sliders, so one scrub position gives each optimizer its own
value (the player lists them): from the notch ``i₀`` the page opens on, which holds every current value exactly,
each optimizer's notches spread evenly (in slider steps) down to the first option of its own slider and up to the
last (`build`).  The noise σ has one slider for all.

Payload: per optimizer, the iterates, loss and gradient norm of every notch as float32, each notch's run cut where
it diverged or converged (it draws nothing new after that), one array per series (`payload`).  `notch_count` keeps the whole within `PAYLOAD_BYTES` of base64 (the
page states the bound): fewer notches for long runs, none below `MIN_NOTCHES`.
"""

from __future__ import annotations

import math
from typing import Any, Mapping, NamedTuple, Sequence

import numpy as np

from components import outcomes

MAX_NOTCHES = 64
MIN_NOTCHES = 8
PAYLOAD_BYTES = 2_000_000
"""Bound on the scrub's share of one rerun's message (base64 of its float32 arrays)."""
NOISE = "noise"
SERIES = 4  # x, y, loss, gradient norm per step


class Scrub(NamedTuple):
    """One scrub: the hyperparameter, its notch count, the notch that holds the current values, and each
    optimizer's value at every notch (``{NOISE: …}`` for the noise σ)."""

    name: str
    label: str
    n: int
    index: int
    values: dict[str, np.ndarray]


def choices(hyperparams: Mapping[str, Sequence[Any]]) -> list[str]:
    """What may be scrubbed for these optimizers (name -> its hyperparameters): the learning rate first, then every
    other float hyperparameter any of them has, then the noise σ."""
    names: list[str] = []
    for spec in hyperparams.values():
        names += [h.name for h in spec if h.kind == "float" and h.name not in names]
    names.sort(key=lambda n: n != "learning_rate")
    return names + [NOISE]


def notch_count(paths: int, steps: int) -> int:
    """Notches that keep ``paths`` paths of ``steps`` steps within `PAYLOAD_BYTES` (0 when not even `MIN_NOTCHES`
    fit).  Worst case: no run stops early, so every notch carries ``steps + 1`` points of `SERIES` float32."""
    per_notch = max(paths, 1) * (steps + 1) * SERIES * 4 * 4 / 3  # base64: 4 characters per 3 bytes
    n = min(MAX_NOTCHES, int(PAYLOAD_BYTES // per_notch))
    return n if n >= MIN_NOTCHES else 0


def _nearest(options: np.ndarray, value: float) -> int:
    return int(np.argmin(np.abs(options - value)))


def build(name: str, label: str, options: Mapping[str, np.ndarray], current: Mapping[str, float], n: int) -> Scrub:
    """The notches of ``name``: ``options[k]`` are optimizer k's slider values (ascending), ``current[k]`` its
    value now.  The opening notch sits where the optimizers' values typically sit on their sliders (the median of
    their relative positions, kept off both ends); from it, each optimizer's notches spread evenly over its own
    slider down to its first option and up to its last, so every notch moves every optimizer whose slider has
    room on that side (a value already at an end of its slider can only stay there on that side)."""
    options = {k: np.asarray(o, np.float64) for k, o in options.items()}
    idx = {k: _nearest(o, current[k]) for k, o in options.items()}
    where = [idx[k] / max(1, len(o) - 1) for k, o in options.items()]
    index = int(np.clip(round(float(np.median(where)) * (n - 1)), 1, n - 2)) if n >= 3 else 0
    notches = np.arange(n)
    values = {}
    for k, o in options.items():
        below = idx[k] * notches[: index + 1] / max(index, 1)
        above = idx[k] + (len(o) - 1 - idx[k]) * (notches[index + 1:] - index) / max(n - 1 - index, 1)
        pos = np.rint(np.concatenate([below, above])).astype(int)
        values[k] = o[np.clip(pos, 0, len(o) - 1)]
        values[k][index] = current[k]
    return Scrub(name, label, n, index, values)


def cut(traj: Any) -> int:
    """Points of a run worth sending: up to the step where it diverged or converged, else all of them."""
    stops = [int(s) for s in (traj.diverged_at, traj.converged_at) if int(s) >= 0]
    return len(traj.xy) if not stops else min(len(traj.xy), min(stops) + 1)


def payload(scrub: Scrub, runs: Mapping[str, Sequence[Any]], encode) -> dict:
    """What the player receives: ``runs[k][i]`` is optimizer k's `Trajectory` at notch i; ``encode`` turns a
    float array into the player's float32 base64 form.

    Per optimizer, each series is one array: the notches' runs one after another, each cut where it stopped
    (`cut`), with ``points[i]`` the length of notch i's (`notch` reads one back).  One array per series rather
    than one per notch: 18 encoded strings for six optimizers, not 1,152, which made the encoding half of the
    scrub's cost per rerun (measured under the 20-user load)."""
    paths = {}
    for k, trajectories in runs.items():
        trajectories = list(trajectories)  # each read of a run_grid result builds its Trajectory: once here
        ends = [cut(t) for t in trajectories]

        def joined(field: str, width: int) -> np.ndarray:
            return np.concatenate([np.asarray(getattr(t, field)[:e], np.float64).reshape(e, width)
                                   for t, e in zip(trajectories, ends)])

        paths[k] = {"values": [float(v) for v in scrub.values[k]], "points": ends,
                    "xy": encode(joined("xy", 2)), "loss": encode(joined("loss", 1)[:, 0]),
                    "grad": encode(joined("grad_norm", 1)[:, 0]),
                    "status": [outcomes.readout_status(t.status) for t in trajectories],
                    "converged_at": [int(t.converged_at) for t in trajectories],
                    "diverged_at": [int(t.diverged_at) for t in trajectories]}
    return {"name": scrub.name, "label": scrub.label, "n": scrub.n, "index": scrub.index, "paths": paths}


def notch(path: Mapping, i: int, decode) -> dict[str, np.ndarray]:
    """Notch ``i`` of one optimizer's payload (``payload(...)["paths"][k]``), as the player reads it: its ``xy``
    ``(points[i], 2)``, ``loss`` and ``grad``; ``decode`` inverts the ``encode`` given to `payload`."""
    start, stop = int(np.sum(path["points"][:i])), int(np.sum(path["points"][: i + 1]))
    return {"xy": np.asarray(decode(path["xy"]))[start:stop], "loss": np.asarray(decode(path["loss"]))[start:stop],
            "grad": np.asarray(decode(path["grad"]))[start:stop]}


def payload_bytes(encoded: Mapping) -> int:
    """Characters of base64 in a scrub payload (what `PAYLOAD_BYTES` bounds)."""
    return sum(len(path[key]["b64"]) for path in encoded.get("paths", {}).values() for key in ("xy", "loss", "grad"))


def released(value: Any, seen: int) -> tuple[int, str, dict[str, float]] | None:
    """A scrub released in the player (the component's value ``{"n", "scrub": {"name", "values"}}`` with a
    counter beyond ``seen``), as ``(n, name, {optimizer or NOISE: value})``; None otherwise or when malformed."""
    if not isinstance(value, Mapping) or not isinstance(value.get("scrub"), Mapping):
        return None
    try:
        n, name = int(value.get("n", 0)), str(value["scrub"]["name"])
        values = {str(k): float(v) for k, v in dict(value["scrub"]["values"]).items()}
    except (KeyError, TypeError, ValueError):
        return None
    if n <= seen or not all(math.isfinite(v) for v in values.values()):
        return None
    return n, name, values
