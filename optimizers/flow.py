r"""The continuous-time limits of gradient descent and momentum, integrated accurately (seed 002: optimizers as ODE
solvers).

Gradient flow.  Gradient descent ``x_{k+1} = x_k − η ∇f(x_k)`` is the explicit Euler method, with step ``η``, for

    dx/dt = −∇f(x),                     so iterate k sits near x(t = k η).

Heavy ball.  Momentum (optax ``sgd(η, momentum=μ)``: ``u_k = μ u_{k−1} − η ∇f(x_k)``, ``x_{k+1} = x_k + u_k``)
reads ``x_{k+1} − 2x_k + x_{k−1} = −(1 − μ)(x_k − x_{k−1}) − η ∇f(x_k)``; dividing by ``h² = η`` gives the
damped oscillator (Polyak 1964; Su, Boyd & Candès 2016)

    ẍ + a ẋ + ∇f(x) = 0,                with time t = k √η and friction a = (1 − μ) / √η,

which `momentum_time_and_friction` returns.  Holding ``a`` fixed while ``η → 0`` means ``μ = 1 − a √η → 1``.

Both ODEs are integrated by Dormand–Prince 5(4) (Dormand & Prince 1980; Hairer, Nørsett & Wanner, *Solving ODEs I*,
§II.4-5) with an embedded error estimate and the standard step-size controller
``h ← h · clip(0.9 · err^(−1/5), 0.2, 5)``, written here in ~60 lines of JAX (one ``lax.while_loop`` per output
interval inside a ``lax.scan`` over the requested times) rather than adding a dependency.  Steps are clipped to land
exactly on each output time, so no interpolation error enters the samples.

Divergence is `optimizers.stopping`'s test, as for every optimizer run: the first output time at which ``x`` or
``f(x)`` is non-finite or beyond `stopping.BOUND` in magnitude (or the step size collapses because the right-hand
side is non-finite) marks ``diverged_at``, and every later sample repeats the last good one.  A solver that uses up
``max_steps`` accepted or rejected steps stops the same way with status ``"max_steps"`` (stiff or very long runs);
a path that reaches its end time is ``"finished"`` (the names are `stopping.STATUSES`).
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from . import stopping

FLOW_STATUSES = tuple(stopping.STATUSES[c] for c in (stopping.FINISHED, stopping.DIVERGED, stopping.MAX_STEPS_USED))
"""The statuses an ODE path can end with, by the solver's internal code (0 finished, 1 diverged, 2 out of steps)."""

# Dormand–Prince 5(4) tableau (FSAL: the 7th stage is f at the new point).
_C = (0.0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1.0, 1.0)
_A = (
    (),
    (1 / 5,),
    (3 / 40, 9 / 40),
    (44 / 45, -56 / 15, 32 / 9),
    (19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729),
    (9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656),
    (35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84),
)
_B5 = (35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0.0)
_B4 = (5179 / 57600, 0.0, 7571 / 16695, 393 / 640, -92097 / 339200, 187 / 2100, 1 / 40)
_E = tuple(b5 - b4 for b5, b4 in zip(_B5, _B4))


class FlowPath(NamedTuple):
    """An ODE path sampled at ``t (n,)``: ``xy (n, 2)``, ``loss (n,)``; ``velocity (n, 2)`` is ``ẋ`` (for gradient
    flow ``−∇f``).  ``status`` is one of `FLOW_STATUSES`; ``diverged_at`` the first sample not reached, or -1;
    ``steps`` how many Dormand–Prince steps were attempted."""

    t: np.ndarray
    xy: np.ndarray
    loss: np.ndarray
    velocity: np.ndarray
    status: str
    diverged_at: int
    steps: int


def _dopri_step(rhs, y, h):
    """One Dormand–Prince step: the 5th-order solution and the embedded error estimate."""
    k = [rhs(y)]
    for i in range(1, 7):
        k.append(rhs(y + h * sum(a * kj for a, kj in zip(_A[i], k))))
    y5 = y + h * sum(b * kj for b, kj in zip(_B5, k))
    return y5, h * sum(e * kj for e, kj in zip(_E, k))


def _integrate(rhs, ok, y0, times, rtol, atol, max_steps):
    """Integrate ``ẏ = rhs(y)`` from ``times[0]`` and return ``y`` at every time, plus status bookkeeping.

    ``ok(y)`` says whether ``y`` is still acceptable (finite, bounded); the first sample where it is not freezes
    the path.  The step size carries over between output intervals."""
    h0 = jnp.maximum((times[-1] - times[0]) * 1e-4, 1e-12)

    def interval(carry, t_end):
        y, t, h, steps, code = carry

        def cond(c):
            y, t, h, steps, code = c
            return (code == 0) & (t < t_end)

        def body(c):
            y, t, h, steps, code = c
            last = h >= t_end - t
            dt = jnp.where(last, t_end - t, h)
            y_new, err = _dopri_step(rhs, y, dt)
            scale = atol + rtol * jnp.maximum(jnp.abs(y), jnp.abs(y_new))
            e = jnp.sqrt(jnp.mean((err / scale) ** 2))
            e = jnp.where(jnp.isfinite(e) & jnp.all(jnp.isfinite(y_new)), e, jnp.inf)
            accept = e <= 1.0
            factor = jnp.clip(0.9 * jnp.where(e > 0, e, 1e-10) ** -0.2, 0.2, 5.0)
            y = jnp.where(accept, y_new, y)
            t = jnp.where(accept, jnp.where(last, t_end, t + dt), t)
            h_next = jnp.where(accept & last, h, dt * factor)  # keep the natural h across a clipped step
            steps = steps + 1
            tiny = h_next <= 1e-13 * jnp.maximum(1.0, jnp.abs(t_end))
            code = jnp.where(tiny, 1, jnp.where(steps >= max_steps, 2, 0))
            return y, t, h_next, steps, code

        y_end, t, h, steps, code = jax.lax.while_loop(cond, body, (y, t, h, steps, code))
        # A sample that is reached but no longer acceptable counts as divergence too.
        code = jnp.where((code == 0) & ~ok(y_end), 1, code)
        reached = code == 0
        y_out = jnp.where(reached, y_end, y)
        return (y_out, jnp.where(reached, t, carry[1]), h, steps, code), (y_out, reached)

    init = (y0, times[0], h0, jnp.asarray(0), jnp.where(ok(y0), 0, 1))
    (_, _, _, steps, code), (ys, reached) = jax.lax.scan(interval, init, times[1:])
    ys = jnp.concatenate([y0[None], ys])
    reached = jnp.concatenate([ok(y0)[None], reached])
    return ys, reached, steps, code


@functools.lru_cache(maxsize=32)
def _compiled(fn):
    """`_flow` jitted for one surface family (a bounded LRU).  Not a module-level jit with ``fn`` static: JAX's jit
    caches hold static arguments strongly, which would keep every typed surface ever flowed alive; here evicting
    the LRU entry drops the only reference.  ``kind``, ``n_points`` and ``max_steps`` stay static, the rest traced."""
    return jax.jit(functools.partial(_flow, fn), static_argnums=(0, 1, 2))


def _flow(fn, kind, n_points, max_steps, theta, y0, t_max, friction, rtol, atol):
    f = lambda x: fn(x, theta)  # noqa: E731
    grad = jax.grad(f)
    times = jnp.linspace(0.0, t_max, n_points)

    def ok(y):
        x = y[:2]
        fx = f(x)
        return stopping.finite(y) & stopping.within_bound(x, fx)

    if kind == "gradient":
        rhs = lambda y: -grad(y)  # noqa: E731
    else:
        rhs = lambda y: jnp.concatenate([y[2:], -friction * y[2:] - grad(y[:2])])  # noqa: E731
    ys, reached, steps, code = _integrate(rhs, ok, y0, times, rtol, atol, max_steps)
    xs = ys[:, :2]
    velocity = ys[:, 2:] if kind == "heavy_ball" else jax.vmap(rhs)(xs)
    return times, xs, jax.vmap(f)(xs), velocity, reached, steps, code


def _path(landscape, kind, start, velocity0, t_max, friction, n_points, rtol, atol, max_steps) -> FlowPath:
    x0 = np.asarray(landscape.start if start is None else start, np.float64)
    if x0.shape != (2,) or not np.all(np.isfinite(x0)):
        raise ValueError(f"start must be a finite (x, y) point, got {start!r}")
    if not (np.isfinite(t_max) and t_max > 0) or int(n_points) < 2:
        raise ValueError("need t_max > 0 and n_points >= 2")
    y0 = x0 if kind == "gradient" else np.concatenate([x0, np.asarray(velocity0, np.float64).reshape(2)])
    theta = np.asarray([v for _, v in landscape.params], np.float64).reshape(-1)
    out = jax.device_get(_compiled(landscape.fn)(kind, int(n_points), int(max_steps), theta, y0, np.float64(t_max),
                               np.float64(friction), np.float64(rtol), np.float64(atol)))
    t, xs, loss, velocity, reached, steps, code = out
    diverged_at = int(np.argmin(reached)) if not reached.all() else -1
    big = np.finfo(np.float64).max
    clean = lambda a: np.nan_to_num(a, nan=0.0, posinf=big, neginf=-big)  # noqa: E731  (a bad start only)
    return FlowPath(t=t, xy=clean(xs), loss=clean(loss), velocity=clean(velocity),
                    status=FLOW_STATUSES[int(code)] if diverged_at >= 0 else "finished",
                    diverged_at=diverged_at, steps=int(steps))


def gradient_flow(landscape, start=None, t_max: float = 10.0, n_points: int = 201, rtol: float = 1e-10,
                  atol: float = 1e-12, max_steps: int = 100_000) -> FlowPath:
    """The gradient flow ``ẋ = −∇f(x)``, ``x(0) = start``, sampled at ``n_points`` equally spaced times in
    ``[0, t_max]``.  Gradient descent with step η is its Euler discretisation: iterate ``k`` ≈ ``x(kη)``."""
    return _path(landscape, "gradient", start, (0.0, 0.0), t_max, 0.0, n_points, rtol, atol, max_steps)


def heavy_ball_flow(landscape, start=None, t_max: float = 10.0, friction: float = 1.0, velocity0=(0.0, 0.0),
                    n_points: int = 201, rtol: float = 1e-10, atol: float = 1e-12,
                    max_steps: int = 100_000) -> FlowPath:
    """The heavy-ball ODE ``ẍ + a ẋ + ∇f(x) = 0`` (``a = friction``), ``x(0) = start``, ``ẋ(0) = velocity0``.

    Momentum with ``(η, μ)`` tracks it at ``t = k√η`` with ``a = (1 − μ)/√η`` (`momentum_time_and_friction`)."""
    return _path(landscape, "heavy_ball", start, velocity0, t_max, friction, n_points, rtol, atol, max_steps)


def momentum_time_and_friction(learning_rate: float, momentum: float) -> tuple[float, float]:
    """``(√η, (1 − μ)/√η)``: the time one momentum step covers and the friction ``a`` of the heavy-ball ODE."""
    h = float(np.sqrt(learning_rate))
    return h, (1.0 - float(momentum)) / h
