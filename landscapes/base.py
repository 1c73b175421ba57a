"""Records shared by the whole engine: a surface (`Landscape`) and what the atlas says of a point (`PointInfo`).

A surface is stored as a *family* function ``fn(xy, theta)`` plus the parameter values ``params``; the user-facing
``f(xy)`` binds them.  Keeping ``fn`` separate lets the compiled runners take ``theta`` as traced data, so moving a
surface-parameter slider (say the valley's condition number) never recompiles anything.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple

import jax.numpy as jnp
import numpy as np

Bounds = tuple[tuple[float, float], tuple[float, float]]
"""A view box ``((xmin, xmax), (ymin, ymax))``."""

KINDS = ("minimum", "maximum", "saddle", "degenerate")
"""The four verdicts of the second-derivative test, in the order the UI lists them."""


@dataclass(frozen=True)
class ParamSpec:
    """Metadata for one surface parameter: what the UI turns into a slider."""

    name: str
    default: float
    min: float
    max: float
    log: bool = False
    help: str = ""


@dataclass(frozen=True)
class Minimum:
    """A known local or global minimum: location, value and whether it is the global one."""

    xy: tuple[float, float]
    value: float
    kind: str = "global"  # "global" or "local"


@dataclass(frozen=True)
class Claim:
    """Something a preset shows about its runs: ``kind`` (one of `optimizers.claims.KINDS`) about the runs of
    ``optimizers`` (empty: every run shown).  It is checked on the runs on the screen (`optimizers.claims.check`)
    and said, with the numbers of those runs, only where it holds; `tests/test_presets.py` checks that each holds
    at the preset's own settings."""

    kind: str
    optimizers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Preset:
    """The view a surface opens with: how many steps to run and the optimizer settings that show its lesson.

    The start point is the surface's own ``Landscape.start``.  ``hyperparams`` is ``((optimizer name, ((name,
    value), ...)), ...)``: values that replace an optimizer's documented defaults on this surface; an optimizer
    that is not listed gets a learning rate derived from the surface's curvature (`optimizers.presets`).
    ``claims`` are what the preset is meant to show (`Claim`).  Plain tuples keep it hashable.
    """

    steps: int = 200
    hyperparams: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = ()
    claims: tuple[Claim, ...] = ()

    def for_optimizer(self, name: str) -> dict[str, float]:
        """The values this preset sets for optimizer ``name`` (``{}`` when it sets none)."""
        return dict(dict(self.hyperparams).get(name, ()))


@dataclass(frozen=True)
class Landscape:
    """A 2-D loss surface.

    ``fn(xy, theta)`` is a pure JAX function of a point ``xy`` (shape ``(2,)``) and a parameter vector ``theta``
    (shape ``(len(params),)``, in the order of ``params``), returning a scalar.  It is a module-level function for
    built-ins and an LRU-cached compiled function for typed surfaces, so equal surfaces share one compiled runner.
    """

    name: str
    title: str
    latex: str
    fn: Callable[[jnp.ndarray, jnp.ndarray], jnp.ndarray]
    bounds: Bounds
    start: tuple[float, float]
    minima: tuple[Minimum, ...] = ()
    params: tuple[tuple[str, float], ...] = ()
    reference: str = ""
    description: str = ""
    source: str = ""  # the user's text, for typed surfaces
    preset: Preset = field(default_factory=Preset)

    @functools.cached_property
    def theta(self) -> jnp.ndarray:
        """The parameter values as a float64 vector, in the order of ``params`` (empty if none).  Built once per
        landscape: ``jnp.asarray`` was 4 % of a loaded server's time, called on every classification."""
        return jnp.asarray([v for _, v in self.params], dtype=jnp.float64).reshape(-1)

    def f(self, xy) -> jnp.ndarray:
        """The surface value at ``xy`` (shape ``(2,)``), with this landscape's parameters bound."""
        return self.fn(jnp.asarray(xy, dtype=jnp.float64), self.theta)

    def __call__(self, xy) -> jnp.ndarray:
        return self.f(xy)


class PointInfo(NamedTuple):
    """What the second-derivative test says about one point.

    ``eigenvectors[:, i]`` belongs to ``eigenvalues[i]``; eigenvalues ascend.  ``kind`` is one of ``KINDS``
    (or ``"regular"`` when the gradient is not zero and the point is not critical, or ``"out_of_range"`` when f, ∇f
    or H left the float64 range there); ``verdict`` says why as data (`landscapes.verdict.Reason`: a reason code and
    the numbers the test compared), for the UI to put in words; ``reason`` says it in English, for a notebook.
    """

    xy: np.ndarray
    value: float
    gradient: np.ndarray
    hessian: np.ndarray
    eigenvalues: np.ndarray
    eigenvectors: np.ndarray
    kind: str
    reason: str
    verdict: Any = None  # a landscapes.verdict.Reason
