"""Evaluate a JAX program (its jaxpr) in NumPy under another arithmetic: intervals, or floats that remember
whether they left the float64 range.

JAX traces a surface's derivatives (``f``, ``∇f`` and the Hessian, `analysis._derivatives`) into a jaxpr: a flat
list of primitive operations.  Walking that list with our own rule per primitive evaluates the *same* program under
another arithmetic, for every built-in and every typed surface alike, without writing the derivatives twice:

* `landscapes.intervals`: each value an interval ``[lo, hi]`` enclosing every value the program takes over a box
  (interval arithmetic; R. E. Moore, R. B. Kearfott & M. J. Cloud, *Introduction to Interval Analysis*, SIAM 2009);
* `landscapes.floatrange`: each value a float64 and a flag saying whether an underflow or overflow fed into it.

Every value carries a leading batch axis (size 1, or ``N`` boxes or points), so one walk evaluates a whole batch.
This module holds the walk and the structural primitives (slicing, padding, broadcasting, ...), which act on each
component array the same way in every arithmetic; the arithmetic itself lives in each domain's rule table.
A primitive neither knows raises `Unsupported`, and the caller says what it could not establish.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np


class Unsupported(NotImplementedError):
    """The program uses a primitive the arithmetic has no rule for."""


# ------------------------------------------------------------------------------------------------ structure
# Each takes a component array with a leading batch axis and the primitive's params, and returns one array (or a
# list, for split).  Axis numbers in params count without the batch axis, hence the ``+ 1`` everywhere.
def _broadcast_in_dim(a, shape, broadcast_dimensions, **_):
    kept = [1] * len(shape)
    for source, target in enumerate(broadcast_dimensions):
        kept[target] = a.shape[source + 1]
    return np.broadcast_to(a.reshape((a.shape[0], *kept)), (a.shape[0], *shape))


def _pad(a, padding_value, padding_config, **_):
    out = a
    for axis, (low, high, interior) in enumerate(padding_config, start=1):
        if interior:
            n = out.shape[axis]
            shape = list(out.shape)
            shape[axis] = n + (n - 1) * interior
            spread = np.broadcast_to(padding_value, shape).copy()
            index = [slice(None)] * out.ndim
            index[axis] = slice(None, None, interior + 1)
            spread[tuple(index)] = out
            out = spread
        for amount, at_end in ((low, False), (high, True)):
            if amount > 0:
                shape = list(out.shape)
                shape[axis] = amount
                fill = np.broadcast_to(padding_value, shape)
                out = np.concatenate([out, fill] if at_end else [fill, out], axis=axis)
            elif amount < 0:
                index = [slice(None)] * out.ndim
                index[axis] = slice(None, amount) if at_end else slice(-amount, None)
                out = out[tuple(index)]
    return out


def _slice(a, start_indices, limit_indices, strides=None, **_):
    steps = strides or (1,) * len(start_indices)
    return a[(slice(None), *(slice(s, e, k) for s, e, k in zip(start_indices, limit_indices, steps)))]


def _split(a, sizes, axis, **_):
    return np.split(a, np.cumsum(sizes)[:-1], axis=axis + 1)


def _reshape(a, new_sizes, dimensions=None, **_):
    if dimensions is not None:
        a = np.transpose(a, (0, *(d + 1 for d in dimensions)))
    return a.reshape((a.shape[0], *new_sizes))


def _iota(dtype, shape, dimension, **_):
    index = np.arange(shape[dimension], dtype=dtype).reshape(
        [shape[dimension] if i == dimension else 1 for i in range(len(shape))])
    return np.broadcast_to(index, shape)[None]


STRUCTURAL: dict[str, Callable] = {
    "broadcast_in_dim": _broadcast_in_dim,
    "slice": _slice,
    "squeeze": lambda a, dimensions, **_: np.squeeze(a, axis=tuple(d + 1 for d in dimensions)),
    "transpose": lambda a, permutation, **_: np.transpose(a, (0, *(p + 1 for p in permutation))),
    "reshape": _reshape,
    "expand_dims": lambda a, dimensions, **_: np.expand_dims(a, tuple(d + 1 for d in dimensions)),
    "rev": lambda a, dimensions, **_: np.flip(a, axis=tuple(d + 1 for d in dimensions)),
    "copy": lambda a, **_: a,
    "copy_p": lambda a, **_: a,
}
"""Primitives of one operand that only move or repeat elements (applied to each component array alike)."""
GATHERING = {"pad", "concatenate", "split", "select_n"}
"""Structural primitives of several operands, written in each domain (they mix components of several values)."""


def pad(a, padding_value, **params):
    return _pad(a, padding_value, **params)


def concatenate(arrays, dimension, **_):
    batch = max(a.shape[0] for a in arrays)
    return np.concatenate([np.broadcast_to(a, (batch, *a.shape[1:])) for a in arrays], axis=dimension + 1)


split = _split
iota = _iota


def align(arrays: list) -> list:
    """Give operands of an elementwise primitive one rank: a scalar may meet an array (``mul m o`` with ``m: f64[2]``,
    ``o: f64[]`` appears in batched derivatives), and NumPy would align the batch axis with a trailing one."""
    rank = max(a.ndim for a in arrays)
    return [a.reshape((a.shape[0], *(1,) * (rank - a.ndim), *a.shape[1:])) if a.ndim < rank else a for a in arrays]


# ------------------------------------------------------------------------------------------------ the walk
def _sub_jaxpr(params: Mapping[str, Any]):
    """The closed jaxpr a call-like primitive (jit, custom_jvp_call, ...) runs, or None."""
    for name in ("jaxpr", "call_jaxpr", "fun_jaxpr"):
        sub = params.get(name)
        if sub is not None and hasattr(sub, "jaxpr"):
            return sub
    return None


def evaluate(closed, args: list, domain) -> list:
    """Run ``closed`` (a `jax.core.ClosedJaxpr`) on ``args`` (values of ``domain``); returns its outputs.

    ``domain`` provides ``constant(array) -> value`` for literals and constants, and ``apply(name, inputs,
    params) -> list of values`` for each primitive (raising `Unsupported` for one it does not know)."""
    jaxpr = closed.jaxpr
    env: dict = {}

    def read(v):
        if hasattr(v, "val"):  # a Literal
            return domain.constant(np.asarray(v.val)[None])
        return env[v]

    for var, const in zip(jaxpr.constvars, closed.consts):
        env[var] = domain.constant(np.asarray(const)[None])
    for var, arg in zip(jaxpr.invars, args):
        env[var] = arg
    for eqn in jaxpr.eqns:
        inputs = [read(v) for v in eqn.invars]
        sub = _sub_jaxpr(eqn.params)
        if sub is not None:  # jit, custom_jvp_call, ...: their body takes every input
            outputs = evaluate(sub, inputs, domain)
        else:
            outputs = domain.apply(eqn.primitive.name, inputs, eqn.params)
            if not eqn.primitive.multiple_results:
                outputs = [outputs]
        for var, value in zip(eqn.outvars, outputs):
            env[var] = value
    return [read(v) for v in jaxpr.outvars]


# ------------------------------------------------------------------------------------------------ plain floats
def _select_n(which, *cases):
    which = np.asarray(which).astype(np.int64)
    out = np.broadcast_to(cases[0], np.broadcast_shapes(which.shape, *(c.shape for c in cases))).copy()
    for k, case in enumerate(cases[1:], start=1):
        out = np.where(which == k, case, out)
    return out


def _point_convert(a, new_dtype, **_):
    return np.asarray(a).astype(np.dtype(new_dtype))


POINT: dict[str, Callable] = {
    "neg": np.negative, "exp": np.exp, "exp2": np.exp2, "expm1": np.expm1, "log": np.log, "log1p": np.log1p,
    "sqrt": np.sqrt, "rsqrt": lambda a: 1.0 / np.sqrt(a), "cbrt": np.cbrt, "tanh": np.tanh,
    "logistic": lambda a: 0.5 * (1.0 + np.tanh(0.5 * a)), "sinh": np.sinh, "cosh": np.cosh, "asinh": np.arcsinh,
    "atan": np.arctan, "asin": np.arcsin, "acos": np.arccos, "abs": np.abs, "sign": np.sign, "sin": np.sin,
    "cos": np.cos, "tan": np.tan, "square": np.square, "not": np.logical_not, "stop_gradient": lambda a: a,
    "add": np.add, "add_any": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.divide, "pow": np.power,
    "max": np.maximum, "min": np.minimum, "and": np.logical_and, "or": np.logical_or, "eq": np.equal,
    "ne": np.not_equal, "gt": np.greater, "ge": np.greater_equal, "lt": np.less, "le": np.less_equal,
    "integer_pow": lambda a, y, **_: np.power(a, float(y)) if y < 0 else np.power(a, y),
    "convert_element_type": _point_convert,
    "select_n": _select_n,
    "clamp": lambda low, a, high: np.minimum(np.maximum(a, low), high),
}
"""Each arithmetic primitive in float64 NumPy; call it through `point`."""
_WITH_PARAMS = {"integer_pow", "convert_element_type"}


def point(name: str, values: list, params: dict):
    """Primitive ``name`` on plain arrays (its params only where they change the arithmetic)."""
    return POINT[name](*values, **(params if name in _WITH_PARAMS else {}))
