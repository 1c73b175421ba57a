"""Lab sweeps: one compiled sweep against the same update rule in vectorised NumPy, and the sweep sharded over two
devices against the unsharded one.

Run: ``.venv/bin/python benchmarks/lab.py`` (about a minute on two cores).

1. Basin map: gradient descent ``x ← x − η∇f`` on Himmelblau from a 200 × 200 grid of starts (40,000 runs).
2. Phase diagram: heavy-ball momentum ``v ← μv − η∇f, x ← x + v`` on the elongated valley over a 100 × 100 grid of
   (η, μ) (10,000 runs).

Both sides do the same work per step: the update, the engine's divergence test (non-finite or beyond ``BOUND``:
freeze the run and record the step), and its convergence test (``‖∇f‖ ≤ GTOL·max(1, ‖∇f(x₀)‖)`` and a step
``≤ XTOL·max(1, ‖x‖)``), see `optimizers.run`.  The NumPy side is one loop over the steps, each step vectorised
over every run, with the surface's gradient written out by hand.  Their results are compared (final points,
status).  JAX cold = first call (trace + compile + run; the persistent compilation cache points at an empty
directory, so nothing is loaded from disk); warm = median of 15 calls.  NumPy: median of 3 calls (interleaved).

3. Sharding: two subprocesses run the phase diagram through the same `optimizers.engine.sweep`, one with
   ``XLA_FLAGS=--xla_force_host_platform_device_count=1`` and one with ``=2`` (the app's setting on this 2-core
   machine: one device per core); each prints how the result is laid out over its devices and its warm time, and
   this process checks that both results are identical, bit for bit, to its own.

Timing on a shared VM is noisy (a pure-Python loop's time swings 2x from second to second here): warm JAX times
are medians of 15 calls, NumPy's of 3, interleaved (one NumPy call, five JAX calls, three times) so that both
sides are timed through the same stretches of noise.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("JAX_CACHE_DIR", tempfile.mkdtemp(prefix="lab-bench-jax-cache-"))

import logging  # noqa: E402

import numpy as np  # noqa: E402

import landscapes  # noqa: E402
from optimizers.base import STATUSES  # noqa: E402

logging.getLogger("streamlit").setLevel(logging.ERROR)
from optimizers import engine as R
from components.lab import compute as lab_compute
from optimizers import solver  # noqa: E402

STEPS = 500
BASIN_N = 200
PHASE_N = 100
GD_ETA = 0.005
JAX_REPEATS = 15
NUMPY_REPEATS = 3


# ------------------------------------------------------------------------------------------------ NumPy side
def himmelblau(x, y):
    a, b = x * x + y - 11.0, x + y * y - 7.0
    return a * a + b * b, 4.0 * a * x + 2.0 * b, 2.0 * a + 4.0 * b * y


def valley(theta):
    kappa, phi = theta
    c, s = np.cos(np.radians(phi)), np.sin(np.radians(phi))
    rot = np.array([[c, s], [-s, c]])
    a = rot.T @ np.diag([1.0 / kappa, 1.0]) @ rot

    def fg(x, y):
        gx, gy = a[0, 0] * x + a[0, 1] * y, a[1, 0] * x + a[1, 1] * y
        return 0.5 * (x * gx + y * gy), gx, gy

    return fg


def numpy_sweep(fg, x0, y0, eta, mu, steps):
    """The engine's iteration, vectorised over runs: ``v ← μv − η g`` (``μ = 0``: gradient descent), freeze on
    divergence, first converged step.  Returns final x, y, loss, converged_at, diverged_at."""
    n = np.broadcast(x0, eta, mu).shape[0]
    x, y = np.broadcast_to(x0, n).copy(), np.broadcast_to(y0, n).copy()
    eta, mu = np.broadcast_to(eta, n), np.broadcast_to(mu, n)
    with np.errstate(all="ignore"):
        f, gx, gy = fg(x, y)
        vx, vy = np.zeros(n), np.zeros(n)

        def sane(x, y, f, gx, gy):
            return (np.isfinite(x) & np.isfinite(y) & np.isfinite(f) & np.isfinite(gx) & np.isfinite(gy)
                    & (np.maximum(np.abs(x), np.abs(y)) <= R.BOUND) & (np.abs(f) <= R.BOUND))

        ok0 = sane(x, y, f, gx, gy)
        gtol = R.GTOL * np.maximum(1.0, np.where(ok0, np.hypot(gx, gy), 1.0))
        conv = np.full(n, -1)
        div = np.where(ok0, -1, 0)
        for t in range(steps):
            vx, vy = mu * vx - eta * gx, mu * vy - eta * gy
            x1, y1 = x + vx, y + vy
            f1, gx1, gy1 = fg(x1, y1)
            ok = (div < 0) & sane(x1, y1, f1, gx1, gy1) & np.isfinite(vx) & np.isfinite(vy)
            xn, yn = np.where(ok, x1, x), np.where(ok, y1, y)
            step = np.hypot(xn - x, yn - y)
            still = (np.hypot(gx, gy) <= gtol) & (step <= R.XTOL * np.maximum(1.0, np.hypot(x, y)))
            conv = np.where(ok & still & (conv < 0), t, conv)
            div = np.where((div < 0) & ~ok, t + 1, div)
            x, y = xn, yn
            f, gx, gy = np.where(ok, f1, f), np.where(ok, gx1, gx), np.where(ok, gy1, gy)
    return x, y, f, conv, div


# ------------------------------------------------------------------------------------------------ timing
def timed(fn, repeats):
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def status_codes(conv, div):
    return np.where(div >= 0, STATUSES.index("diverged"),
                    np.where(conv >= 0, STATUSES.index("converged"), STATUSES.index("max_steps")))


def compare(title, jax_call, numpy_call):
    t0 = time.perf_counter()
    jax_call()
    cold = time.perf_counter() - t0
    # Interleaved (a NumPy call, then a third of the JAX calls, three times), so both sides sample the same
    # stretches of the machine's noise.
    jax_times, numpy_times = [], []
    for _ in range(NUMPY_REPEATS):
        t, (x, y, f, conv, div) = timed(numpy_call, 1)
        numpy_times.append(t)
        for _ in range(JAX_REPEATS // NUMPY_REPEATS):
            t, r = timed(jax_call, 1)
            jax_times.append(t)
    warm, numpy_time = statistics.median(jax_times), statistics.median(numpy_times)
    same_status = float(np.mean(r.code == status_codes(conv, div)))
    both = (r.diverged_at < 0) & (div < 0)
    dx = float(np.max(np.abs(r.xy[both] - np.stack([x, y], 1)[both]))) if both.any() else 0.0
    print(f"{title}")
    print(f"  JAX sweep   cold {cold * 1e3:9.1f} ms   warm {warm * 1e3:9.1f} ms")
    print(f"  NumPy loop       {numpy_time * 1e3:9.1f} ms")
    print(f"  ratio NumPy / JAX warm: {numpy_time / warm:6.1f}x   (NumPy / JAX cold: {numpy_time / cold:5.1f}x)")
    print(f"  agreement: same status {100 * same_status:.2f} %, max |Δ final point| {dx:.2e} "
          f"(runs that did not diverge on either side)")
    return warm


def basin_benchmark():
    surface = landscapes.get("himmelblau")
    _, _, starts = lab_compute.basin_starts(surface.bounds, BASIN_N)

    def jax_call():
        return lab_compute.padded_sweep(surface, "sgd", {}, starts, STEPS, {"learning_rate": GD_ETA})

    def numpy_call():
        return numpy_sweep(himmelblau, starts[:, 0], starts[:, 1], GD_ETA, 0.0, STEPS)

    compare(f"Basin map: gradient descent (η = {GD_ETA}) on Himmelblau, {BASIN_N} x {BASIN_N} = "
            f"{BASIN_N ** 2:,} starts, {STEPS} steps", jax_call, numpy_call)


def phase_inputs():
    surface = landscapes.get("elongated_valley")
    eta, mu = np.meshgrid(np.geomspace(1e-3, 10.0, PHASE_N), np.linspace(0.0, 0.99, PHASE_N))
    return surface, eta.ravel(), mu.ravel()


def phase_sweep():
    surface, eta, mu = phase_inputs()
    return lab_compute.padded_sweep(surface, "momentum", {"learning_rate": eta, "momentum": mu}, surface.start, STEPS)


def phase_benchmark():
    surface, eta, mu = phase_inputs()
    theta = [v for _, v in surface.params]

    def numpy_call():
        return numpy_sweep(valley(theta), surface.start[0], surface.start[1], eta, mu, STEPS)

    return compare(f"Phase diagram: heavy-ball momentum on the elongated valley, {PHASE_N} x {PHASE_N} = "
                   f"{PHASE_N ** 2:,} (η, μ), {STEPS} steps", phase_sweep, numpy_call)


# ------------------------------------------------------------------------------------------------ sharding
def sharded_child(out: str) -> None:
    """Runs under XLA_FLAGS=--xla_force_host_platform_device_count=D: lay the sweep out over the D devices."""
    import jax

    surface, eta, mu = phase_inputs()
    n_pad = lab_compute.bucket(len(eta)) - len(eta)
    configs = {"learning_rate": np.concatenate([eta, np.repeat(eta[-1:], n_pad)]),
               "momentum": np.concatenate([mu, np.repeat(mu[-1:], n_pad)])}
    rows, _ = solver.final_rows(surface, "momentum", surface.start, STEPS, None, None, configs, 0.0, 0)
    shards = sorted((str(s.device), tuple(s.data.shape)) for s in rows.addressable_shards)
    phase_sweep()
    warm, r = timed(phase_sweep, JAX_REPEATS)
    np.savez(out, **r._asdict())
    print(json.dumps({"devices": [str(d) for d in jax.devices()], "sharding": str(rows.sharding.spec),
                      "shards": shards, "warm_s": warm}))


def run_child(devices: int, out: str) -> dict | None:
    env = dict(os.environ, XLA_FLAGS=f"--xla_force_host_platform_device_count={devices}")
    proc = subprocess.run([sys.executable, __file__, "--sharded-child", out], env=env, capture_output=True,
                          text=True, timeout=600)
    if proc.returncode != 0:
        print(f"The {devices}-device run failed:\n" + proc.stderr[-3000:])
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def sharding_benchmark() -> None:
    unsharded = phase_sweep()
    print("Sharding the phase diagram (subprocesses, XLA_FLAGS=--xla_force_host_platform_device_count=D)")
    warm = {}
    with tempfile.TemporaryDirectory() as tmp:
        for devices in (1, 2):
            out = os.path.join(tmp, f"devices{devices}.npz")
            info = run_child(devices, out)
            if info is None:
                return
            got = np.load(out)
            identical = all(np.array_equal(got[k], np.asarray(getattr(unsharded, k))) for k in unsharded._fields)
            warm[devices] = info["warm_s"]
            print(f"  D = {devices}: devices {', '.join(info['devices'])}; result sharding "
                  f"PartitionSpec{info['sharding']}; warm {info['warm_s'] * 1e3:.1f} ms")
            for device, shape in info["shards"]:
                print(f"    shard on {device}: rows {tuple(shape)}")
            print(f"    identical to this process's result (every field, bit for bit): {identical}")
    print(f"  speed-up of 2 devices over 1: {warm[1] / warm[2]:.2f}x on {os.cpu_count()} cores")


def main() -> None:
    import jax

    print(f"jax {jax.__version__} on {jax.devices()[0].platform}, {os.cpu_count()} cores; "
          f"compilation cache: {os.environ['JAX_CACHE_DIR']} (empty)\n")
    basin_benchmark()
    print()
    phase_benchmark()
    print()
    sharding_benchmark()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--sharded-child":
        sharded_child(sys.argv[2])
    else:
        main()
