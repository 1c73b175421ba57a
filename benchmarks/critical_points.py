"""Critical-point atlas: one compiled JAX call against SciPy's ``root`` looped in Python over the same starts.

Run: ``.venv/bin/python benchmarks/critical_points.py``

Both sides start from the same jittered grid (``analysis.start_points``), keep a root only if it lies in the box and
``‖∇f‖ ≤ 1e-8 · max(1, |f|/L, max|λ|·L)`` (the rule ``critical_points`` documents), and merge roots with the same
``analysis.merge_roots``.  The SciPy side solves ∇f = 0 with MINPACK's hybrid method (``method="hybr"``) and
``jac`` = the Hessian; its ∇f and H are the surface's own JAX derivatives, jitted once for single points (their
compile time is part of its cold run).  Cold = first call for that surface (JAX: trace + compile + run; the
process's one-time start-up is paid beforehand on a fourth surface and printed separately); warm = median of
repeated calls (15 for JAX, 3 for SciPy).  Seeds are off on both sides (``critical_points`` would
otherwise also start from the listed minima).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from scipy.optimize import root  # noqa: E402

import landscapes  # noqa: E402
from landscapes import analysis  # noqa: E402
from landscapes.base import Landscape  # noqa: E402


def sin_sin(xy, theta):
    """f = sin x · sin y: extrema at (π/2 + kπ, π/2 + mπ), saddles at (kπ, mπ)."""
    return jnp.sin(xy[0]) * jnp.sin(xy[1])


def surfaces() -> list[tuple[Landscape, tuple]]:
    egg_crate = Landscape("sin_sin", "sin x · sin y", r"\sin x \sin y", sin_sin, ((-5.0, 5.0), (-5.0, 5.0)), (1, 1))
    return [
        (landscapes.get("himmelblau"), landscapes.get("himmelblau").bounds),  # 9 critical points
        (egg_crate, egg_crate.bounds),  # 25
        (landscapes.get("rastrigin"), ((-2.5, 2.5), (-2.5, 2.5))),  # 81
    ]


def scipy_atlas(landscape: Landscape, bounds):
    """The baseline: hybr root-finding from every start, then the same verification, merge and second-derivative
    test.  Returns a function; its derivatives are jitted on the first call (which the cold time includes)."""
    theta = landscape.theta
    grad = jax.jit(jax.grad(landscape.fn))
    hess = jax.jit(jax.hessian(landscape.fn))
    value = jax.jit(landscape.fn)

    def g(p):
        return np.asarray(grad(p, theta))

    def h(p):
        return np.asarray(hess(p, theta))

    lo, hi = np.array([b[0] for b in bounds]), np.array([b[1] for b in bounds])
    diag = float(np.hypot(*(hi - lo)))

    def run() -> tuple[np.ndarray, list[str]]:
        roots, gnorms, values, eigenvalues = [], [], [], []
        for x0 in analysis.start_points(bounds):
            x = root(g, x0, jac=h, method="hybr").x
            if not np.all((x >= lo - 1e-9 * (hi - lo)) & (x <= hi + 1e-9 * (hi - lo))):
                continue
            gx, lam, fx = g(x), np.linalg.eigvalsh(h(x)), float(value(x, theta))
            scale = max(1.0, abs(fx) / diag, float(np.max(np.abs(lam))) * diag)
            if np.linalg.norm(gx) <= analysis.ATLAS_RTOL * scale:
                roots.append(x), gnorms.append(np.linalg.norm(gx)), values.append(fx), eigenvalues.append(lam)
        roots = np.array(roots).reshape(-1, 2)
        keep = analysis.merge_roots(roots, np.array(gnorms), analysis.MERGE_RTOL * diag)
        kinds = [analysis._verdict(values[i], gnorms[i], eigenvalues[i], diag).kind for i in keep]
        return roots[keep], kinds

    return run


def timed(fn, repeats: int):
    start = time.perf_counter()
    out = fn()
    cold = time.perf_counter() - start
    warm = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        warm.append(time.perf_counter() - start)
    return out, cold, statistics.median(warm)


def same_set(a_xy, a_kinds, b_xy, b_kinds, tol) -> bool:
    if len(a_xy) != len(b_xy):
        return False
    for p, kind in zip(a_xy, a_kinds):
        j = int(np.argmin(np.linalg.norm(b_xy - p, axis=1)))
        if np.linalg.norm(b_xy[j] - p) > tol or b_kinds[j] != kind:
            return False
    return True


def main() -> None:
    n = analysis.N_STARTS
    print(f"critical points from a {n}×{n} start grid ({n * n} starts); JAX {jax.__version__}, "
          f"backend {jax.default_backend()}")
    # The first atlas of a process also pays one-time costs (backend start-up, LLVM set-up, tracing caches of jnp
    # helpers): shown once here on a fourth surface, so each "cold" below is what switching surfaces costs.
    booth = landscapes.get("booth")
    start = time.perf_counter()
    analysis.critical_points(booth, seeds=())
    j_first = time.perf_counter() - start
    start = time.perf_counter()
    scipy_atlas(booth, booth.bounds)()
    s_first = time.perf_counter() - start
    print(f"first atlas in this process (booth): JAX {j_first:.3f}s, SciPy {s_first:.3f}s")
    print(f"{'surface':10s} {'found':>5s}  {'JAX cold':>9s} {'JAX warm':>9s}  {'SciPy cold':>10s} {'SciPy warm':>10s}")
    failures = []
    for landscape, bounds in surfaces():
        lo, hi = np.array([b[0] for b in bounds]), np.array([b[1] for b in bounds])
        tol = 1e-6 * float(np.hypot(*(hi - lo)))
        ours, j_cold, j_warm = timed(lambda: analysis.critical_points(landscape, bounds, seeds=()), repeats=15)
        baseline = scipy_atlas(landscape, bounds)
        (s_xy, s_kinds), s_cold, s_warm = timed(baseline, repeats=3)
        j_xy = np.array([p.xy for p in ours]).reshape(-1, 2)
        agree = same_set(j_xy, [p.kind for p in ours], s_xy, s_kinds, tol)
        if not agree:
            failures.append(landscape.name)
        print(f"{landscape.name:10s} {len(ours):5d}  {j_cold:8.3f}s {j_warm * 1e3:7.2f}ms  {s_cold:9.3f}s "
              f"{s_warm:9.3f}s   same set as SciPy: {'yes' if agree else f'NO (SciPy found {len(s_xy)})'}")
        print(f"{'':10s} warm speed-up: {s_warm / j_warm:.0f}×   cold speed-up: {s_cold / j_cold:.1f}×")
    assert not failures, f"JAX and SciPy disagree on {failures}"


if __name__ == "__main__":
    main()
