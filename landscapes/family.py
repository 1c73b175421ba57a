"""Every built-in surface as one traced function, so a compiled runner serves all of them.

Why.  The engine compiles one program per surface *function* (``Landscape.fn`` is static; its parameters are
traced).  A public server whose users open links to 16 surfaces with 10 optimizers and two step buckets would
compile 320 runners (~0.4 s and ~3.5 MB each) and keep evicting and recompiling them; with the surface chosen
by a traced index there are 20, compiled once (benchmarks/load.py).

How.  `shared(landscape)` returns an equal surface whose ``fn`` is `all_builtins` and whose ``theta`` is
``(index, θ₁, …, θ_k, 0, …)``: the catalog index of the surface, its own parameters, zero padding to the widest
parameter list.  ``all_builtins(xy, theta) = lax.switch(index, [f₀, f₁, …], xy, θ)``, so ``f``, ``∇f`` and
``∇²f`` are those of the selected surface (autodiff goes through the switch into the one branch taken).  Values
agree with the surface's own ``fn`` to rounding (XLA fuses the two programs differently, ~1e-16).  Typed
surfaces are returned unchanged: their functions are not in the switch.
"""

from __future__ import annotations

import dataclasses
import functools

import jax
import jax.numpy as jnp

from .base import Landscape
from .catalog import _REGISTRY

_NAMES = tuple(_REGISTRY)
_WIDTH = max(len(s.params) for s in _REGISTRY.values())


def _branch(fn, k: int, xy, params):
    return fn(xy, params[:k])


_BRANCHES = tuple(functools.partial(_branch, s.fn, len(s.params)) for s in _REGISTRY.values())


def all_builtins(xy, theta):
    """``f_i(xy, θ)`` for the built-in surface ``i = theta[0]`` (catalog order), ``θ = theta[1:1 + k_i]``."""
    return jax.lax.switch(theta[0].astype(jnp.int32), _BRANCHES, xy, theta[1:])


all_builtins.serves_all_builtins = True  # the engine keeps its runners in their own LRU (optimizers.run)


def shared(landscape: Landscape) -> Landscape:
    """``landscape`` computed by `all_builtins` when it is a built-in (same name, values, start, minima);
    anything else unchanged."""
    entry = _REGISTRY.get(landscape.name)
    if entry is None or landscape.fn is not entry.fn:
        return landscape
    padding = tuple((f"_pad{i}", 0.0) for i in range(_WIDTH - len(landscape.params)))
    params = (("_surface_index", float(_NAMES.index(landscape.name))), *landscape.params, *padding)
    return dataclasses.replace(landscape, fn=all_builtins, params=params)
