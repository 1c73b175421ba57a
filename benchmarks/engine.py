"""Speed of the optimizer engine against NumPy baselines measured in this same process.

    .venv/bin/python benchmarks/engine.py

Prints, for Rosenbrock (a = 1, b = 100) from (-1.2, 1):
  1. one warm `run` of Adam, 1000 steps, vs a NumPy per-step loop of the same update (target >= 100x);
  2. eight optimizers x 1000 steps through `run_all` (warm);
  3. `sweep` of 10,000 Adam configurations (learning rate x beta1) x 500 steps vs the same in vectorised NumPy
     (target >= 2x) and vs looping `run` (target >= 50x; timed on a sample of configurations and extrapolated);
  4. the first `run` in a fresh process with a cold, then a warm, persistent compilation cache (two subprocesses
     sharing a new temporary cache directory).
Each JAX result is checked against its NumPy twin before it is timed, so the baselines compute the same thing.
Timings are medians of at least 5 repeated calls (wall clock); the machine's other load shows up in them.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

import landscapes  # noqa: E402
import optimizers  # noqa: E402

from optimizers import engine as R
SURFACE = landscapes.get("rosenbrock")
START = np.array(SURFACE.start)
ADAM = dict(learning_rate=0.01, b1=0.9, b2=0.999, eps=1e-8)


def median_time(fn, repeat: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def rosenbrock_grad(x, y, a=1.0, b=100.0):
    return -2 * (a - x) - 4 * b * x * (y - x * x), 2 * b * (y - x * x)


def rosenbrock(x, y, a=1.0, b=100.0):
    return (a - x) ** 2 + b * (y - x * x) ** 2


def numpy_adam_loop(steps, learning_rate, b1, b2, eps):
    """optax.adam, one step at a time, recording the path and the loss (what `run` records, minus the norms)."""
    x = START.copy()
    m, v = np.zeros(2), np.zeros(2)
    xy, loss = [x.copy()], [rosenbrock(*x)]
    for t in range(1, steps + 1):
        g = np.array(rosenbrock_grad(*x))
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
        x = x - learning_rate * m_hat / (np.sqrt(v_hat) + eps)
        xy.append(x.copy())
        loss.append(rosenbrock(*x))
    return np.array(xy), np.array(loss)


def numpy_adam_sweep(steps, learning_rate, b1, b2, eps):
    """The same update vectorised over configurations (arrays of shape (N,)); final points and losses."""
    n = learning_rate.shape[0]
    x, y = np.full(n, START[0]), np.full(n, START[1])
    mx, my, vx, vy = (np.zeros(n) for _ in range(4))
    for t in range(1, steps + 1):
        gx, gy = rosenbrock_grad(x, y)
        mx, my = b1 * mx + (1 - b1) * gx, b1 * my + (1 - b1) * gy
        vx, vy = b2 * vx + (1 - b2) * gx * gx, b2 * vy + (1 - b2) * gy * gy
        c1, c2 = 1 - b1**t, 1 - b2**t
        x = x - learning_rate * (mx / c1) / (np.sqrt(vx / c2) + eps)
        y = y - learning_rate * (my / c1) / (np.sqrt(vy / c2) + eps)
    return np.stack([x, y], 1), rosenbrock(x, y)


def report(label: str, seconds: float, unit: str = "ms") -> None:
    scale = {"ms": 1e3, "us": 1e6, "s": 1.0}[unit]
    print(f"{label:<62s} {seconds * scale:10.3f} {unit}")


def ratio(label: str, slow: float, fast: float, target: float) -> None:
    r = slow / fast
    print(f"{label:<62s} {r:10.1f} x   (target >= {target:g}x: {'met' if r >= target else 'NOT met'})")


def bench_single_run() -> None:
    print("== 1. one run: Adam, 1000 steps")
    traj = optimizers.run(SURFACE, "adam", steps=1000, **ADAM)
    xy, loss = numpy_adam_loop(1000, **ADAM)
    assert np.allclose(traj.xy, xy, rtol=1e-9, atol=1e-12) and np.allclose(traj.loss, loss, rtol=1e-9, atol=1e-12)
    jax_s = median_time(lambda: optimizers.run(SURFACE, "adam", steps=1000, **ADAM), repeat=50)
    numpy_s = median_time(lambda: numpy_adam_loop(1000, **ADAM), repeat=7)
    report("run(rosenbrock, 'adam', steps=1000), warm", jax_s)
    report("NumPy per-step loop, same formula", numpy_s)
    ratio("speed-up", numpy_s, jax_s, 100)


def bench_run_all() -> None:
    print("== 2. eight optimizers x 1000 steps (run_all)")
    names = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "lbfgs", "newton"]
    t = time.perf_counter()
    R.run_all(SURFACE, names, steps=1000)
    report("first call (compiles the 8 runners)", time.perf_counter() - t, "s")
    report("warm call", median_time(lambda: R.run_all(SURFACE, names, steps=1000), repeat=20))


def bench_sweep() -> None:
    print("== 3. sweep: 10,000 Adam configurations x 500 steps")
    lr, b1 = np.meshgrid(np.geomspace(1e-4, 0.3, 100), np.linspace(0.0, 0.99, 100))
    lr, b1 = lr.ravel(), b1.ravel()
    configs = {"learning_rate": lr, "b1": b1}
    # Checked over the first 30 steps: later, large-η runs hover chaotically and round-off differences grow.
    early = optimizers.sweep(SURFACE, "adam", configs, steps=30)
    assert np.allclose(early.xy, numpy_adam_sweep(30, lr, b1, 0.999, 1e-8)[0], rtol=1e-9, atol=1e-12)
    swept = optimizers.sweep(SURFACE, "adam", configs, steps=500)
    print(f"  (statuses after 500 steps: {dict(zip(*np.unique(swept.status, return_counts=True)))})")
    sweep_s = median_time(lambda: optimizers.sweep(SURFACE, "adam", configs, steps=500), repeat=7)
    numpy_s = median_time(lambda: numpy_adam_sweep(500, lr, b1, 0.999, 1e-8), repeat=5)
    sample = 200
    loop_s = median_time(lambda: [optimizers.run(SURFACE, "adam", steps=500, learning_rate=lr[i], b1=b1[i])
                                  for i in range(0, lr.size, lr.size // sample)], repeat=5)
    loop_s *= lr.size / sample
    report("sweep, one sharded call", sweep_s)
    report("vectorised NumPy, same formula", numpy_s)
    report(f"looping run() (timed on {sample} configurations, x{lr.size // sample})", loop_s)
    ratio("speed-up over vectorised NumPy", numpy_s, sweep_s, 2)
    ratio("speed-up over looping run()", loop_s, sweep_s, 50)


FIRST_CALL = textwrap.dedent("""
    import sys, time
    t0 = time.perf_counter()
    import landscapes, optimizers
    from optimizers import compile_cache
    compile_cache.enable(sys.argv[1])
    t1 = time.perf_counter()
    optimizers.run(landscapes.get("rosenbrock"), "adam", steps=1000)
    t2 = time.perf_counter()
    print(t1 - t0, t2 - t1)
""")


def bench_persistent_cache() -> None:
    print("== 4. first run() in a fresh process: cold vs warm persistent cache")
    with tempfile.TemporaryDirectory() as cache:
        times = []
        for _ in range(2):
            done = subprocess.run([sys.executable, "-c", FIRST_CALL, cache], cwd=ROOT, capture_output=True,
                                  text=True, check=True, env={**os.environ, "JAX_PLATFORMS": "cpu"})
            times.append([float(v) for v in done.stdout.split()])
        entries = len(list(Path(cache).iterdir()))
    report("import landscapes + optimizers (cold process)", times[0][0], "s")
    report("first run(), cold cache (compiles, writes the cache)", times[0][1], "s")
    report("first run(), warm cache (second process)", times[1][1], "s")
    ratio(f"speed-up of the first call ({entries} cache entries)", times[0][1], times[1][1], 1)


if __name__ == "__main__":
    import jax

    flags = os.environ.get("XLA_FLAGS", "")
    print(f"jax {jax.__version__} on {jax.devices()}; XLA_FLAGS={flags!r}")
    bench_single_run()
    bench_run_all()
    bench_sweep()
    bench_persistent_cache()
