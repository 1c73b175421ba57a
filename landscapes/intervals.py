"""Interval arithmetic over a surface's own program: enclosures of f, ∇f and the Hessian over boxes.

For a box ``B = [x₀, x₁] × [y₀, y₁]`` the program that computes ``f, ∇f, H`` at a point (`analysis._derivatives`)
is evaluated with every value replaced by an interval ``[lo, hi]`` (`landscapes.jaxprs`).  Each rule returns an
interval that contains every value its operation can take on its input intervals (the inclusion property), rounded
outward, so the result encloses ``∇f(B)`` and ``H(B)``:  if ``0 ∉ [∂f/∂x](B)``, no critical point lies in ``B``.
The enclosures are wide on big boxes (each variable is treated as independent wherever it reappears, the
"dependency problem") and tighten as boxes shrink, which is what a subdivision search needs.

Conventions.  Bounds are float64 arrays with a leading batch axis (one row per box).  NaN bounds mean *empty*: the
operation is undefined on the whole input (``log`` of a negative interval), so f is undefined there and there is no
critical point to find.  Where an input only partly leaves a function's domain, the rule encloses the defined part.
``0 · ∞`` bounds are taken as 0, the usual convention.  A boolean is an interval of two flags: ``lo`` "certainly
true", ``hi`` "possibly true".  Rounding: IEEE's correctly rounded operations (``+ − × ÷ √``) are widened by one
ulp outward, library functions (``exp``, ``sin``, ...) by four.

Reference: R. E. Moore, R. B. Kearfott & M. J. Cloud, *Introduction to Interval Analysis*, SIAM 2009, ch. 2-5.
"""

from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np

from . import jaxprs

_INF = np.inf
TWO_PI = 2.0 * math.pi


class Interval:
    """``[lo, hi]`` componentwise: two arrays of one shape (a leading batch axis first).  ``lost`` marks where an
    operation that fed the value had left the float64 range on the whole box (every value it could take underflowed
    or overflowed): such an enclosure may hold 0 only because the digits that would exclude it are lost, and cutting
    the box further cannot change that (`landscapes.exclusion`)."""

    __slots__ = ("lo", "hi", "lost")

    def __init__(self, lo, hi, lost=False):
        self.lo, self.hi, self.lost = np.asarray(lo), np.asarray(hi), lost

    def __repr__(self) -> str:
        return f"Interval({self.lo!r}, {self.hi!r})"


def _widen(lo, hi, ulps: int):
    """Round ``[lo, hi]`` outward by ``ulps`` units in the last place (NaN, empty, stays NaN)."""
    for _ in range(ulps):
        lo, hi = np.nextafter(lo, -_INF), np.nextafter(hi, _INF)
    return lo, hi


def _empty(*intervals) -> np.ndarray:
    """Where any input is empty (NaN bounds)."""
    out = False
    for iv in intervals:
        out = out | np.isnan(iv.lo) | np.isnan(iv.hi)
    return np.asarray(out)


def _result(lo, hi, empty, ulps: int = 1) -> Interval:
    """A rule's result: NaN that arithmetic made (∞ − ∞) means "anything", NaN inputs stay empty."""
    lo, hi = np.asarray(lo, np.float64), np.asarray(hi, np.float64)
    unknown = (np.isnan(lo) | np.isnan(hi)) & ~empty
    lo, hi = np.where(unknown, -_INF, lo), np.where(unknown, _INF, hi)
    lo, hi = _widen(lo, hi, ulps) if ulps else (lo, hi)
    return Interval(np.where(empty, np.nan, lo), np.where(empty, np.nan, hi))


def _monotone(fn, ulps: int = 4, increasing: bool = True, domain=(-_INF, _INF), positive: bool = False):
    """The rule of a monotone function on ``domain``: its values at the clipped ends (``positive``: a function whose
    values are all > 0, so rounding outward never takes its lower end below 0)."""

    def rule(a: Interval) -> Interval:
        lo, hi = np.maximum(a.lo, domain[0]), np.minimum(a.hi, domain[1])
        empty = _empty(a) | (lo > hi)
        with np.errstate(all="ignore"):
            f_lo, f_hi = fn(lo), fn(hi)
        out = _result(f_lo, f_hi, empty, ulps) if increasing else _result(f_hi, f_lo, empty, ulps)
        if positive:
            out.lo = np.where(np.isnan(out.lo), out.lo, np.maximum(out.lo, 0.0))
        return out

    return rule


def _products(a: Interval, b: Interval):
    """The four products of the ends, each rounded outward (down for the low candidates, up for the high ones),
    except a product with a zero factor, which is exactly 0: a bound of 0 stays 0 (1e300 · [0, …] does not reach
    below 0)."""
    with np.errstate(all="ignore"):
        pairs = [(a.lo, b.lo), (a.lo, b.hi), (a.hi, b.lo), (a.hi, b.hi)]
        p = np.stack(np.broadcast_arrays(*[u * v for u, v in pairs]))
        exact = np.stack(np.broadcast_arrays(*[(u == 0) | (v == 0) for u, v in pairs]))
    p = np.where(np.isnan(p), 0.0, p)  # 0 · ∞ = 0 (the inputs' NaNs are restored as empty by _result)
    return np.where(exact, p, np.nextafter(p, -_INF)), np.where(exact, p, np.nextafter(p, _INF))


def _mul(a: Interval, b: Interval) -> Interval:
    down, up = _products(a, b)
    return _result(down.min(axis=0), up.max(axis=0), _empty(a, b), ulps=0)


def _div(a: Interval, b: Interval) -> Interval:
    empty = _empty(a, b)
    zero_in_b = (b.lo <= 0) & (b.hi >= 0)
    with np.errstate(all="ignore"):
        q = np.stack(np.broadcast_arrays(a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi))
    q = np.where(np.isnan(q), 0.0, q)
    lo, hi = np.where(zero_in_b, -_INF, q.min(axis=0)), np.where(zero_in_b, _INF, q.max(axis=0))
    return _result(lo, hi, empty)


def _integer_pow(a: Interval, y: int) -> Interval:
    empty = _empty(a)
    with np.errstate(all="ignore"):
        p_lo, p_hi = a.lo ** float(abs(y)), a.hi ** float(abs(y))
    if y % 2 == 0:
        contains_zero = (a.lo <= 0) & (a.hi >= 0)
        lo = np.where(contains_zero, 0.0, np.minimum(p_lo, p_hi))
        hi = np.maximum(p_lo, p_hi)
    else:
        lo, hi = p_lo, p_hi
    out = _result(lo, hi, empty, ulps=4)
    return out if y >= 0 else _div(Interval(np.ones_like(out.lo), np.ones_like(out.hi)), out)


def _pow(a: Interval, b: Interval) -> Interval:
    """``a ** b`` for real powers: defined for ``a ≥ 0`` (the negative part of ``a`` is outside the domain); on
    ``a > 0`` it is monotone in each argument, so its extremes are at the corners."""
    base = Interval(np.maximum(a.lo, 0.0), a.hi)
    empty = _empty(a, b) | (a.hi < 0)
    with np.errstate(all="ignore"):
        c = np.stack(np.broadcast_arrays(base.lo ** b.lo, base.lo ** b.hi, base.hi ** b.lo, base.hi ** b.hi))
    return _result(np.nanmin(np.where(np.isnan(c), _INF, c), axis=0),
                   np.nanmax(np.where(np.isnan(c), -_INF, c), axis=0), empty, ulps=4)


def _abs(a: Interval) -> Interval:
    contains_zero = (a.lo <= 0) & (a.hi >= 0)
    lo = np.where(contains_zero, 0.0, np.minimum(np.abs(a.lo), np.abs(a.hi)))
    return _result(lo, np.maximum(np.abs(a.lo), np.abs(a.hi)), _empty(a), ulps=0)


def _even_convex(fn):
    """A function with its minimum at 0 and increasing in |t| (cosh)."""

    def rule(a: Interval) -> Interval:
        contains_zero = (a.lo <= 0) & (a.hi >= 0)
        with np.errstate(all="ignore"):
            ends = np.maximum(fn(a.lo), fn(a.hi))
            low = np.where(contains_zero, fn(0.0), np.minimum(fn(a.lo), fn(a.hi)))
        return _result(low, ends, _empty(a), ulps=4)

    return rule


def _contains(lo, hi, offset, period):
    """Whether ``[lo, hi]`` contains a point ``offset + k·period`` (k an integer), with a little slack outward."""
    k = np.ceil((lo - offset) / period - 1e-12)
    return offset + k * period <= hi + 1e-12 * np.maximum(1.0, np.abs(hi))


def _cos(a: Interval) -> Interval:
    empty = _empty(a)
    with np.errstate(all="ignore"):
        wide = ~((a.hi - a.lo) < TWO_PI) | ~(np.abs(a.lo) < 1e8) | ~(np.abs(a.hi) < 1e8)
        c_lo, c_hi = np.cos(a.lo), np.cos(a.hi)
        hi = np.where(_contains(a.lo, a.hi, 0.0, TWO_PI), 1.0, np.maximum(c_lo, c_hi))
        lo = np.where(_contains(a.lo, a.hi, math.pi, TWO_PI), -1.0, np.minimum(c_lo, c_hi))
    lo, hi = np.where(wide, -1.0, lo), np.where(wide, 1.0, hi)
    lo, hi = lo - 1e-15, hi + 1e-15  # cos is accurate to an ulp of 1 near its zeros, not relative to its value
    return _result(np.maximum(lo, -1.0), np.minimum(hi, 1.0), empty, ulps=0)


def _sin(a: Interval) -> Interval:
    # sin t = cos(t − π/2); the shifted bounds are rounded outward before cos sees them.
    lo, hi = _widen(a.lo - math.pi / 2, a.hi - math.pi / 2, 2)
    return _cos(Interval(np.where(_empty(a), np.nan, lo), np.where(_empty(a), np.nan, hi)))


def _tan(a: Interval) -> Interval:
    empty = _empty(a)
    with np.errstate(all="ignore"):
        pole = ~((a.hi - a.lo) < math.pi) | _contains(a.lo, a.hi, math.pi / 2, math.pi)
        lo, hi = np.tan(a.lo), np.tan(a.hi)
    return _result(np.where(pole, -_INF, lo), np.where(pole, _INF, hi), empty, ulps=4)


def _compare(op):
    """``a op b`` as a boolean interval: certainly true / possibly true."""

    def rule(a: Interval, b: Interval) -> Interval:
        if op == "eq":
            certain = (a.lo == a.hi) & (b.lo == b.hi) & (a.lo == b.lo)
            possible = (a.lo <= b.hi) & (b.lo <= a.hi)
        elif op == "ne":
            certain = (a.hi < b.lo) | (b.hi < a.lo)
            possible = ~((a.lo == a.hi) & (b.lo == b.hi) & (a.lo == b.lo))
        elif op in ("gt", "lt"):
            (a, b) = (a, b) if op == "gt" else (b, a)
            certain, possible = a.lo > b.hi, a.hi > b.lo
        else:  # ge, le
            (a, b) = (a, b) if op == "ge" else (b, a)
            certain, possible = a.lo >= b.hi, a.hi >= b.lo
        return Interval(certain, possible)

    return rule


def _hull(cases: list[Interval]) -> Interval:
    """The smallest interval holding every case (an empty case adds nothing)."""
    lo = np.nanmin(np.stack(np.broadcast_arrays(*[np.where(np.isnan(c.lo), _INF, c.lo) for c in cases])), axis=0)
    hi = np.nanmax(np.stack(np.broadcast_arrays(*[np.where(np.isnan(c.hi), -_INF, c.hi) for c in cases])), axis=0)
    empty = lo > hi
    return Interval(np.where(empty, np.nan, lo), np.where(empty, np.nan, hi))


def _select(which: Interval, cases: list[Interval]) -> Interval:
    """``select_n``: case ``which`` (a boolean or an integer interval); where it is not certain, their hull."""
    lo, hi = which.lo.astype(np.int64), which.hi.astype(np.int64)
    pieces = []
    for k, case in enumerate(cases):
        chosen = (lo <= k) & (k <= hi)
        pieces.append(Interval(np.where(chosen, case.lo, np.nan), np.where(chosen, case.hi, np.nan)))
    return _hull(pieces)


def _convert(a: Interval, new_dtype, **_) -> Interval:
    dtype = np.dtype(new_dtype)
    if a.lo.dtype == bool and dtype != bool:
        return Interval(a.lo.astype(dtype), a.hi.astype(dtype))
    if dtype == bool:  # a number as a flag: certainly true if 0 is not in it, possibly unless it is exactly 0
        return Interval((a.lo > 0) | (a.hi < 0), ~((a.lo == 0) & (a.hi == 0)))
    if np.issubdtype(dtype, np.integer):
        return Interval(np.floor(a.lo).astype(dtype), np.ceil(a.hi).astype(dtype))
    return Interval(a.lo.astype(dtype), a.hi.astype(dtype))


def _max(a, b):
    return _result(np.maximum(a.lo, b.lo), np.maximum(a.hi, b.hi), _empty(a, b), ulps=0)


def _min(a, b):
    return _result(np.minimum(a.lo, b.lo), np.minimum(a.hi, b.hi), _empty(a, b), ulps=0)


def _logistic(t):
    return 0.5 * (1.0 + np.tanh(0.5 * t))  # = 1 / (1 + e^{−t}), without overflow in e^{−t}


_UNARY = {
    "neg": lambda a: Interval(-a.hi, -a.lo),
    "exp": _monotone(np.exp, positive=True),
    "exp2": _monotone(np.exp2, positive=True),
    "expm1": _monotone(np.expm1),
    "log": _monotone(np.log, domain=(0.0, _INF)),
    "log1p": _monotone(np.log1p, domain=(-1.0, _INF)),
    "sqrt": _monotone(np.sqrt, ulps=1, domain=(0.0, _INF)),
    "rsqrt": _monotone(lambda t: 1.0 / np.sqrt(t), increasing=False, domain=(0.0, _INF)),
    "cbrt": _monotone(np.cbrt),
    "tanh": _monotone(np.tanh),
    "logistic": _monotone(_logistic, positive=True),
    "sinh": _monotone(np.sinh),
    "cosh": _even_convex(np.cosh),
    "asinh": _monotone(np.arcsinh),
    "atan": _monotone(np.arctan),
    "asin": _monotone(np.arcsin, domain=(-1.0, 1.0)),
    "acos": _monotone(np.arccos, increasing=False, domain=(-1.0, 1.0)),
    "abs": _abs,
    "sign": lambda a: Interval(np.sign(a.lo), np.sign(a.hi)),
    "sin": _sin,
    "cos": _cos,
    "tan": _tan,
    "square": lambda a: _integer_pow(a, 2),
    "not": lambda a: Interval(~a.hi, ~a.lo),
    "stop_gradient": lambda a: a,
}
_BINARY = {
    "add": lambda a, b: _result(a.lo + b.lo, a.hi + b.hi, _empty(a, b)),
    "add_any": lambda a, b: _result(a.lo + b.lo, a.hi + b.hi, _empty(a, b)),
    "sub": lambda a, b: _result(a.lo - b.hi, a.hi - b.lo, _empty(a, b)),
    "mul": _mul,
    "div": _div,
    "pow": _pow,
    "max": _max,
    "min": _min,
    "and": lambda a, b: Interval(a.lo & b.lo, a.hi & b.hi),
    "or": lambda a, b: Interval(a.lo | b.lo, a.hi | b.hi),
    **{op: _compare(op) for op in ("eq", "ne", "gt", "ge", "lt", "le")},
}


_UNDERFLOWS = {"mul", "div", "exp", "exp2", "pow", "integer_pow", "square", "logistic", "expm1", "sinh", "tanh"}
_OVERFLOWS = {"add", "add_any", "sub", "mul", "div", "exp", "exp2", "expm1", "pow", "integer_pow", "square", "sinh",
              "cosh"}


def _left_range(name: str, inputs: list[Interval], out: Interval):
    """Per box (an ``(N,)`` or ``(1,)`` flag array, or False): where the operation left the float64 range for every
    value some element could take: a result that cannot be zero but lies below the smallest normal number
    throughout (an ``exp`` of [−2000, −1000]), or that is infinite throughout while its inputs are finite."""
    if not np.issubdtype(out.lo.dtype, np.floating) or name not in _UNDERFLOWS | _OVERFLOWS:
        return False
    floats = [a for a in inputs if np.issubdtype(a.lo.dtype, np.floating)]
    arrays = jaxprs.align([out.lo, out.hi] + [b for a in floats for b in (a.lo, a.hi)])
    lo, hi, bounds = arrays[0], arrays[1], arrays[2:]
    with np.errstate(all="ignore"):
        event = np.zeros(np.broadcast_shapes(*(a.shape for a in arrays)), bool)
        if name in _UNDERFLOWS:
            # Inputs at which the exact result is 0 (a factor 0, a numerator 0, sin 0): no underflow to speak of.
            zero = np.zeros(event.shape, bool)
            if name not in ("exp", "exp2", "logistic"):
                for a_lo, a_hi in list(zip(bounds[::2], bounds[1::2]))[: 2 if name == "mul" else 1]:
                    zero = zero | ((a_lo <= 0) & (a_hi >= 0))
            event |= (np.maximum(np.abs(lo), np.abs(hi)) < np.finfo(np.float64).tiny) & ~zero
        if name in _OVERFLOWS:
            finite_in = np.ones(event.shape, bool)
            for b in bounds:
                finite_in &= np.isfinite(b)
            event |= finite_in & np.isinf(lo) & np.isinf(hi) & (np.sign(lo) == np.sign(hi))
    if not event.any():
        return False
    return event.reshape(event.shape[0], -1).any(axis=1)


def _exact(a: Interval) -> bool:
    """An integer or boolean interval that is a single value: computed exactly, never rounded."""
    return not np.issubdtype(a.lo.dtype, np.floating) and np.array_equal(a.lo, a.hi)


class IntervalDomain:
    """The interval arithmetic for `jaxprs.evaluate`."""

    @staticmethod
    def constant(array) -> Interval:
        return Interval(array, array)

    @staticmethod
    def apply(name: str, inputs: list[Interval], params: dict):
        out = IntervalDomain._apply(name, inputs, params)
        carried = False
        for a in inputs:
            if a.lost is not False:
                carried = carried | a.lost
        for iv in (out if isinstance(out, list) else [out]):
            event = _left_range(name, inputs, iv)
            iv.lost = carried | event if event is not False else carried
        return out

    @staticmethod
    def _apply(name: str, inputs: list[Interval], params: dict):
        if name in jaxprs.STRUCTURAL:
            rule = jaxprs.STRUCTURAL[name]
            return Interval(rule(inputs[0].lo, **params), rule(inputs[0].hi, **params))
        if len(inputs) > 1 and name not in ("pad", "concatenate"):
            bounds = jaxprs.align([a.lo for a in inputs] + [a.hi for a in inputs])
            inputs = [Interval(lo, hi) for lo, hi in zip(bounds[:len(inputs)], bounds[len(inputs):])]
        if name in jaxprs.POINT and all(_exact(a) for a in inputs):  # integer bookkeeping (one-hot bases): exact
            value = jaxprs.point(name, [a.lo for a in inputs], params)
            return Interval(value, value)
        with np.errstate(all="ignore"):
            if name in _UNARY:
                return _UNARY[name](inputs[0])
            if name in _BINARY:
                return _BINARY[name](*inputs)
            if name == "integer_pow":
                return _integer_pow(inputs[0], params["y"])
            if name == "convert_element_type":
                return _convert(inputs[0], **params)
            if name == "select_n":
                return _select(inputs[0], inputs[1:])
            if name == "clamp":
                low, a, high = inputs
                return _min(_max(a, low), high)
            if name == "iota":
                value = jaxprs.iota(**params)
                return Interval(value, value)
            if name == "pad":
                a, fill = inputs
                return Interval(jaxprs.pad(a.lo, fill.lo.reshape(()), **params),
                                jaxprs.pad(a.hi, fill.hi.reshape(()), **params))
            if name == "concatenate":
                return Interval(jaxprs.concatenate([a.lo for a in inputs], **params),
                                jaxprs.concatenate([a.hi for a in inputs], **params))
            if name == "split":
                return [Interval(lo, hi) for lo, hi in zip(jaxprs.split(inputs[0].lo, **params),
                                                          jaxprs.split(inputs[0].hi, **params))]
            if name == "reduce_sum":
                axes = tuple(a + 1 for a in params["axes"])
                a = inputs[0]
                return _result(a.lo.sum(axis=axes), a.hi.sum(axis=axes), _empty(a).any(axis=axes), ulps=2)
        raise jaxprs.Unsupported(name)


def derivative_program(fn):
    """The jaxpr of ``(xy, theta) -> (f, ∇f, H)`` for a surface family ``fn`` (traced once per family)."""
    from .analysis import _derivatives  # the one definition of the derivatives the engine computes

    def derivatives(xy, theta):
        return _derivatives(fn, xy, theta)

    return derivatives


def enclose(fn, theta, lo, hi):
    """Enclosures of ``f``, ``∇f`` and ``H`` over the boxes ``[lo_i, hi_i]`` (``lo, hi`` of shape ``(N, 2)``).

    Returns three `Interval`\\ s with shapes ``(N,)``, ``(N, 2)``, ``(N, 2, 2)``.  Raises `jaxprs.Unsupported` when
    the surface's program uses a primitive without an interval rule."""
    theta = np.asarray(theta, np.float64).reshape(-1)
    closed = _traced(fn, theta.size)
    xy = Interval(np.asarray(lo, np.float64), np.asarray(hi, np.float64))
    out = jaxprs.evaluate(closed, [xy, Interval(theta[None], theta[None])], IntervalDomain)
    n = xy.lo.shape[0]
    return tuple(Interval(np.broadcast_to(iv.lo, (n, *iv.lo.shape[1:])), np.broadcast_to(iv.hi, (n, *iv.hi.shape[1:])),
                          iv.lost if iv.lost is False else np.broadcast_to(iv.lost, (n,)))
                 for iv in out)


@functools.lru_cache(maxsize=32)  # like the analysis' own LRU: a storm of typed surfaces cannot grow it
def _traced(fn, n_theta: int):
    return jax.make_jaxpr(derivative_program(fn))(jnp.zeros(2), jnp.zeros(n_theta))
