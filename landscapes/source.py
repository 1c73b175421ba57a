"""A surface as plain Python: the code "copy as optax code" puts in front of the optimizer, so the snippet runs on
the very surface the page shows.

Typed surfaces are written from their parsed tree (`expression.to_jax`); built-ins by their own function's source
(`inspect.getsource`) with the module constants it reads and its parameter values, so what is copied is what the
app computes (`tests/test_codegen.py` runs it and compares values).
"""

from __future__ import annotations

import inspect
import types

from . import catalog, expression
from .base import Landscape


def python_code(landscape: Landscape) -> str:
    """Code that defines ``f(xy)`` (``xy`` a ``(2,)`` JAX array) for ``landscape``; it needs ``jax`` and
    ``jnp`` imported."""
    if landscape.source:
        return f"def f(xy):\n    x, y = xy[0], xy[1]\n    return {expression.to_jax(landscape.source)}\n"
    fn = landscape.fn
    if getattr(fn, "__module__", None) != catalog.__name__:
        raise ValueError(f"no source for the surface {landscape.name!r}")
    module = vars(catalog)
    constants = [f"{name} = {module[name]!r}" for name in fn.__code__.co_names
                 if name in module and not isinstance(module[name], (types.ModuleType, types.FunctionType, type))]
    theta = ", ".join(repr(float(v)) for _, v in landscape.params)
    lines = constants + ([""] if constants else []) + [inspect.getsource(fn).rstrip("\n"), "", "",
                                                       f"def f(xy):\n    return {fn.__name__}(xy, jnp.array([{theta}]))"]
    return "\n".join(lines) + "\n"
