"""Where does a surface leave the float64 range?  The same program in NumPy, each value carrying a bound on the
error that underflows and overflows put into it.

``exp(1000x)`` is about 1e-434 at x = −1: float64 (smallest normal number 2.2e-308, largest 1.8e308) rounds it to 0,
and its gradient too, so the engine would see a flat region where every point "is" a critical point.  Evaluating the
surface's own program (`analysis._derivatives` via `landscapes.jaxprs`) with an error bound per value tells these
apart from real zeros (x⁴ + y⁴ at the origin, or a truly flat region):

* an operation *underflows* when its exact result is not zero but the float64 result is zero or subnormal (a
  product of non-zero numbers, a quotient with a non-zero numerator, ``exp``, a power of a non-zero base, ...):
  its absolute error is then at most the subnormal spacing, 4.9e-324;
* it *overflows* when finite inputs give an infinite result (a quotient by a non-zero number included; ``1/0`` is
  a pole, not an overflow, and ``log 0`` the edge of a domain): its error is unbounded;
* errors carried in are propagated to first order (``|b|e_a + |a|e_b`` for a product, ``|f′(a)|e_a`` for a
  function, ...); ordinary rounding, relative and tiny, is not counted: only what leaving the range adds.

A result has *left the range* where that error is at least half its size (or it is not finite because of it):
``x² + e^{−1000y²}`` keeps its x² part and is fine at x ≠ 0, while at x = 0 it is 0 ± 4.9e-324; and
``1e300·e^{500x}`` at x = −1.49 is computed as 4.9e-24 from an ``exp`` that underflowed, against a true 1.3e-23.
IEEE 754-2019 §7.4-7.5 defines overflow and underflow; this test applies them to every operation of the program.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from . import jaxprs

TINY = np.finfo(np.float64).tiny
"""The smallest normal float64, 2.2e-308: a non-zero result below it has lost digits."""
SPACING = np.finfo(np.float64).smallest_subnormal
"""The error of an underflowed result: at most one subnormal spacing, 4.9e-324."""
LOST = 0.5
"""A value whose range error is at least this fraction of its size has left the range."""

_UNDERFLOWS = {"mul", "div", "exp", "exp2", "pow", "integer_pow", "square", "logistic", "expm1", "sinh", "tanh",
               "sin", "tan", "asinh", "atan", "asin", "log1p", "cbrt"}
_OVERFLOWS = {"add", "add_any", "sub", "mul", "div", "exp", "exp2", "expm1", "pow", "integer_pow", "square", "sinh",
              "cosh", "reduce_sum"}


class Flagged:
    """A float64 array and, per element, a bound on the error underflows and overflows put into it."""

    __slots__ = ("value", "error")

    def __init__(self, value, error):
        self.value, self.error = np.asarray(value), np.asarray(error, np.float64)


def _nonzero_exact(name: str, inputs: list[np.ndarray]) -> np.ndarray:
    """Where the exact result of the operation is not zero (so a zero or subnormal float result underflowed)."""
    if name == "mul":
        return (inputs[0] != 0) & (inputs[1] != 0)
    if name == "div":
        return (inputs[0] != 0) & np.isfinite(inputs[1])
    if name in ("exp", "exp2", "logistic"):
        return np.isfinite(inputs[0])
    return inputs[0] != 0  # the odd functions (sin, tanh, ...) and powers vanish only at 0


def _events(name: str, inputs: list[np.ndarray], out: np.ndarray) -> np.ndarray:
    """The error the operation itself adds by leaving the range: `SPACING` for an underflow, ∞ for an overflow."""
    out_f = np.asarray(out)
    if not np.issubdtype(out_f.dtype, np.floating):
        return np.zeros(out_f.shape)
    event = np.zeros(out_f.shape)
    if name in _UNDERFLOWS:
        event = np.where((np.abs(out_f) < TINY) & _nonzero_exact(name, inputs), SPACING, event)
    if name in _OVERFLOWS:
        finite_in = np.ones(out_f.shape, bool)
        for a in inputs:
            if np.issubdtype(np.asarray(a).dtype, np.floating):
                finite_in &= np.isfinite(a)
        if name == "div":
            finite_in &= inputs[1] != 0
        event = np.where(~np.isfinite(out_f) & finite_in, np.inf, event)
    return event


def _carried(name: str, values: list, errors: list, out, params: dict):
    """First-order error carried from the inputs' errors into the result (see the module docstring)."""
    a, ea = values[0], errors[0]
    if name in ("add", "add_any", "sub"):
        return errors[0] + errors[1]
    if name in ("neg", "abs", "stop_gradient", "convert_element_type", "sin", "cos", "tanh", "atan", "asinh",
                "clamp", "copy", "copy_p"):
        return ea if name != "clamp" else errors[1]
    if name in ("max", "min"):
        return np.maximum(errors[0], errors[1])
    if name == "mul":
        b, eb = values[1], errors[1]
        return np.abs(a) * eb + np.abs(b) * ea + ea * eb
    if name == "div":
        b, eb = values[1], errors[1]
        return np.where(np.abs(b) > eb, (ea + np.abs(out) * eb) / np.abs(b), np.where(eb > 0, np.inf, ea / np.abs(b)))
    if name in ("exp", "exp2", "logistic"):
        return np.abs(out) * ea
    if name == "expm1":
        return np.abs(out + 1.0) * ea
    if name in ("square", "integer_pow"):
        y = 2 if name == "square" else params["y"]
        return np.where(a != 0, abs(y) * np.abs(out / a) * ea, np.where(ea > 0, np.inf, 0.0))
    if name == "pow":
        b, eb = values[1], errors[1]
        return np.abs(out) * (np.where(a != 0, np.abs(b / a) * ea, np.where(ea > 0, np.inf, 0.0))
                              + np.abs(np.log(np.abs(a))) * eb)
    if name in ("log", "log1p"):
        base = np.abs(a) if name == "log" else np.abs(1.0 + a)
        return np.where(base > 0, ea / base, np.where(ea > 0, np.inf, 0.0))
    if name in ("sqrt", "cbrt", "rsqrt"):
        k = {"sqrt": 0.5, "cbrt": 1.0 / 3.0, "rsqrt": 0.5}[name]
        return np.where(a != 0, k * np.abs(out / a) * ea, np.where(ea > 0, np.inf, 0.0))
    if name in ("sinh", "cosh"):
        return np.cosh(a) * ea
    if name == "tan":
        return (1.0 + out * out) * ea
    if name in ("asin", "acos"):
        return ea / np.sqrt(np.maximum(1.0 - a * a, 0.0))
    if name in ("eq", "ne", "gt", "ge", "lt", "le"):  # a comparison the errors could turn: its result is in doubt
        e = errors[0] + errors[1]
        return np.where((e > 0) & (np.abs(values[0] - values[1]) <= e), np.inf, 0.0)
    if name in ("and", "or"):
        return np.maximum(errors[0], errors[1])
    if name == "not":
        return ea
    if name == "sign":
        return np.where((ea > 0) & (np.abs(a) <= ea), np.inf, 0.0)
    raise jaxprs.Unsupported(name)


def _select(which: Flagged, cases: list[Flagged]) -> Flagged:
    """``select_n``: the chosen case, and where the choice is in doubt, every case's distance from it."""
    value = jaxprs.point("select_n", [which.value] + [c.value for c in cases], {})
    error = jaxprs.point("select_n", [which.value] + [c.error for c in cases], {})
    doubt = which.error > 0
    if np.any(doubt):
        spread = np.max(np.stack(np.broadcast_arrays(*[np.abs(c.value - value) + c.error for c in cases])), axis=0)
        error = np.where(doubt, np.maximum(error, spread), error)
    return Flagged(value, error)


class FlaggedDomain:
    """The float arithmetic with range errors, for `jaxprs.evaluate`."""

    @staticmethod
    def constant(array) -> Flagged:
        return Flagged(array, np.zeros(np.shape(array)))

    @staticmethod
    def apply(name: str, inputs: list[Flagged], params: dict):
        if name in jaxprs.STRUCTURAL:
            rule = jaxprs.STRUCTURAL[name]
            return Flagged(rule(inputs[0].value, **params), rule(inputs[0].error, **params))
        if name == "iota":
            value = jaxprs.iota(**params)
            return Flagged(value, np.zeros(value.shape))
        if name == "pad":
            a, fill = inputs
            return Flagged(jaxprs.pad(a.value, fill.value.reshape(()), **params),
                           jaxprs.pad(a.error, fill.error.reshape(()), **params))
        if name == "concatenate":
            return Flagged(jaxprs.concatenate([a.value for a in inputs], **params),
                           jaxprs.concatenate([a.error for a in inputs], **params))
        if name == "split":
            return [Flagged(v, e) for v, e in zip(jaxprs.split(inputs[0].value, **params),
                                                  jaxprs.split(inputs[0].error, **params))]
        with np.errstate(all="ignore"):
            if name == "reduce_sum":
                axes = tuple(a + 1 for a in params["axes"])
                a = inputs[0]
                out = a.value.sum(axis=axes)
                return Flagged(out, a.error.sum(axis=axes) + _events(name, [a.value], out))
            if name not in jaxprs.POINT:
                raise jaxprs.Unsupported(name)
            if len(inputs) > 1:
                aligned = jaxprs.align([a.value for a in inputs] + [a.error for a in inputs])
                inputs = [Flagged(v, e) for v, e in zip(aligned[:len(inputs)], aligned[len(inputs):])]
            if name == "select_n":
                return _select(inputs[0], inputs[1:])
            values, errors = [a.value for a in inputs], [a.error for a in inputs]
            out = np.asarray(jaxprs.point(name, values, params))
            if not any(np.any(e) for e in errors):
                error = _events(name, values, out)
            else:
                carried = _carried(name, values, errors, out, params)
                error = np.where(np.isnan(carried), np.inf, carried) + _events(name, values, out)
        return Flagged(out, np.broadcast_to(error, out.shape))


@functools.lru_cache(maxsize=32)  # like the analysis' own LRU: a storm of typed surfaces cannot grow it
def _traced(fn, n_theta: int):
    from .intervals import derivative_program

    return jax.make_jaxpr(derivative_program(fn))(jnp.zeros(2), jnp.zeros(n_theta))


def _run(fn, theta, xy):
    theta = np.asarray(theta, np.float64).reshape(-1)
    pts = np.asarray(xy, np.float64).reshape(-1, 2)
    return jaxprs.evaluate(_traced(fn, theta.size), [Flagged(pts, np.zeros(pts.shape)),
                                                     Flagged(theta[None], np.zeros((1, theta.size)))],
                           FlaggedDomain), pts.shape[0]


def evaluate(fn, theta, xy):
    """``f, ∇f, H`` at points ``xy (N, 2)`` in plain float64 NumPy, from the surface's program."""
    (value, grad, hess), n = _run(fn, theta, xy)
    return (np.broadcast_to(value.value, (n,)), np.broadcast_to(grad.value, (n, 2)),
            np.broadcast_to(hess.value, (n, 2, 2)))


class RangeCheck(NamedTuple):
    """Per point: whether f, some component of ∇f, or some entry of H left the float64 range (see the module
    docstring); ``underflow`` / ``overflow`` say which way f left it (digits lost to underflow: a finite error;
    overflow: an unbounded one)."""

    value: np.ndarray
    gradient: np.ndarray
    hessian: np.ndarray
    underflow: np.ndarray
    overflow: np.ndarray

    @property
    def any(self) -> np.ndarray:
        return self.value | self.gradient | self.hessian


def _left(flagged: Flagged) -> np.ndarray:
    v, e = flagged.value, flagged.error
    with np.errstate(all="ignore"):
        return (e > 0) & ((e >= LOST * np.abs(v)) | ~np.isfinite(v))


def check(landscape, xy) -> RangeCheck | None:
    """Where f, ∇f and the Hessian of ``landscape`` left the float64 range at the points ``xy (..., 2)``; None when
    its program has an operation this walk has no rule for (a network slice's matrix products): then nothing is
    known, and nothing is claimed either way."""
    try:
        return check_family(landscape.fn, landscape.theta, xy)
    except jaxprs.Unsupported:
        return None


def check_family(fn, theta, xy) -> RangeCheck:
    """`check` for a surface family ``fn`` at parameters ``theta``."""
    shape = np.shape(xy)[:-1]
    (value, grad, hess), n = _run(fn, theta, xy)
    v = np.broadcast_to(_left(value), (n,))
    g = np.broadcast_to(_left(grad), (n, 2)).any(axis=1)
    h = np.broadcast_to(_left(hess), (n, 2, 2)).any(axis=(1, 2))
    under = v & np.isfinite(np.broadcast_to(value.error, (n,)))  # a finite error: digits lost to underflow
    return RangeCheck(v.reshape(shape), g.reshape(shape), h.reshape(shape), under.reshape(shape),
                      (v & ~under).reshape(shape))


@functools.lru_cache(maxsize=32)
def _traced_value(fn, n_theta: int):
    return jax.make_jaxpr(fn)(jnp.zeros(2), jnp.zeros(n_theta))


def value_check(landscape, xy) -> tuple[np.ndarray, np.ndarray]:
    """``(underflow, overflow)`` masks of the points ``xy (..., 2)`` where f itself left the float64 range (digits
    lost to an underflow, or an overflow): the cheap test for a map's grid (f's program alone, without its
    derivatives).  Both all False when the program has an operation this walk has no rule for."""
    theta = np.asarray(landscape.theta, np.float64).reshape(-1)
    pts = np.asarray(xy, np.float64).reshape(-1, 2)
    shape = np.shape(xy)[:-1]
    try:
        (value,) = jaxprs.evaluate(_traced_value(landscape.fn, theta.size),
                                   [Flagged(pts, np.zeros(pts.shape)), Flagged(theta[None], np.zeros((1, theta.size)))],
                                   FlaggedDomain)
    except jaxprs.Unsupported:
        return np.zeros(shape, bool), np.zeros(shape, bool)
    left = np.broadcast_to(_left(value), (pts.shape[0],))
    under = left & np.isfinite(np.broadcast_to(value.error, (pts.shape[0],)))
    return under.reshape(shape), (left & ~under).reshape(shape)
