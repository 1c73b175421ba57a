"""Network benchmark (issue 16): a 51 × 51 slice and the top Hessian eigenvalue of the default network, warm, against
NumPy/SciPy baselines in the same process; and the time to the first drawn slice.

A plain script: ``python benchmarks/network.py [--no-browser]``.

* Slice: `landscapes.analysis.evaluate_grid` of `landscapes.network_slice` (one compiled, vmapped program) vs
  NumPy evaluating the same MLP loss (a) point by point (a loop over the 2,601 planes points, each vectorized over
  the data) and (b) all at once (one batched einsum over every grid point and data point).
* Top eigenvalue: `landscapes.spectrum.top` (compiled Lanczos on Hessian-vector products that stops when the top
  Ritz pair's residual is below 1e-10·|λ|) vs ``scipy.sparse.linalg.eigsh(which="LA", k=1, tol=1e-10)`` (ARPACK,
  the same residual test) on a LinearOperator whose product is a central difference of a NumPy backprop gradient
  (Hv ≈ (∇L(θ + εv) − ∇L(θ − εv)) / 2ε).  Both answers and both counts of products are printed.
* Time to the first drawn slice: a fresh Python process (import, train, plane, grid; empty JAX compilation cache)
  and, with Chromium, a fresh ``streamlit run`` of the Network page until the slice's SVG is on the page.
* Digits (issue 32): the 64–32–9 network (2,377 parameters, 1,347 training rows): 500 full-batch Adam steps
  (`optimizers.train_network`, one compiled scan) vs a NumPy loop of the same Adam on a NumPy backprop gradient;
  the 51 × 51 slice (`landscapes.network.slice_grid`) vs NumPy over the grid; the Hessian's extremes
  (`landscapes.spectrum.extremes`, k = 5, 128 Lanczos steps) vs SciPy ``eigsh`` (both ends) on NumPy FD-HVPs.
  Target: each within a second, warm, on this 2-core machine.
Median of ``REPEATS`` runs each; ratios are baseline / ours (target ≥ 10× warm).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import scipy.sparse.linalg as sla  # noqa: E402

import landscapes  # noqa: E402
import optimizers  # noqa: E402
from landscapes import analysis, spectrum  # noqa: E402
from landscapes import network as N  # noqa: E402

REPEATS = 7
GRID = 51


def median_time(fn, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


# ------------------------------------------------------------------------------------------ NumPy baselines
def np_layers(problem, theta):
    out, at = [], 0
    for i, o in problem.layers:
        out.append((theta[..., at:at + i * o].reshape(*theta.shape[:-1], i, o),
                    theta[..., at + i * o:at + i * o + o]))
        at += i * o + o
    return out


def np_loss(problem, theta, X, y):
    """The page's loss (tanh MLP, logits (0, z), weight decay) for one θ or a batch of θ (leading axis)."""
    h = X
    layers = np_layers(problem, theta)
    for W, b in layers[:-1]:
        h = np.tanh(np.einsum("...ni,...io->...no", h, W) + b[..., None, :])
    W, b = layers[-1]
    z = (np.einsum("...ni,...io->...no", h, W) + b[..., None, :])[..., 0]
    ce = np.mean(np.logaddexp(0.0, z) - y * z, axis=-1)
    return ce + 0.5 * problem.l2 * sum(np.sum(W * W, axis=(-1, -2)) for W, _ in layers)


def np_grad(problem, theta, X, y):
    """∇L by backprop (tanh), NumPy."""
    layers = np_layers(problem, theta)
    hs = [X]
    for W, b in layers[:-1]:
        hs.append(np.tanh(hs[-1] @ W + b))
    W, b = layers[-1]
    z = (hs[-1] @ W + b)[:, 0]
    delta = ((1.0 / (1.0 + np.exp(-z)) - y) / len(y))[:, None]
    grads = []
    for li in range(len(layers) - 1, -1, -1):
        W, _ = layers[li]
        grads.append(np.concatenate([(hs[li].T @ delta + problem.l2 * W).ravel(), delta.sum(0)]))
        if li:
            delta = (delta @ W.T) * (1.0 - hs[li] ** 2)
    return np.concatenate(grads[::-1])


def measure(hidden: tuple[int, ...]) -> None:
    problem = N.Problem(hidden=hidden)
    X, y = N.data(problem)
    theta = optimizers.train_network(problem, "adam", N.initial(problem, 0), steps=500,
                                     hyperparams={"learning_rate": 0.05}).params[-1]
    surface = landscapes.network_slice(problem=problem, directions="hessian", theta=theta)
    net = surface.network
    theta, d1, d2 = net.theta, net.d1, net.d2
    bounds = surface.bounds

    # ---- the slice
    N.slice_grid(surface, bounds, GRID)  # compile
    analysis.evaluate_grid(surface, bounds, GRID)
    ours = median_time(lambda: N.slice_grid(surface, bounds, GRID))
    generic = median_time(lambda: analysis.evaluate_grid(surface, bounds, GRID))
    (x0, x1), (y0, y1) = bounds
    A, B = np.meshgrid(np.linspace(x0, x1, GRID), np.linspace(y0, y1, GRID))
    thetas = theta + A.reshape(-1, 1) * d1 + B.reshape(-1, 1) * d2

    def loop():
        return np.array([np_loss(problem, t, X, y) for t in thetas])

    def batched():
        return np_loss(problem, thetas, X, y)

    z = N.slice_grid(surface, bounds, GRID)[2]
    assert np.allclose(z.ravel(), batched(), rtol=1e-10) and np.allclose(z.ravel(), loop(), rtol=1e-10)
    t_loop = median_time(loop, 3)
    t_batch = median_time(batched)
    print(f"{GRID} x {GRID} slice of a {problem.architecture} network ({problem.n_params} parameters, "
          f"{problem.points} points), warm, median of {REPEATS}:")
    print(f"  ours (network.slice_grid)               {ours * 1e3:8.2f} ms")
    print(f"  ours, generic (analysis.evaluate_grid)  {generic * 1e3:8.2f} ms")
    print(f"  NumPy, loop over the grid               {t_loop * 1e3:8.2f} ms   ratio {t_loop / ours:6.1f}x")
    print(f"  NumPy, batched einsum                   {t_batch * 1e3:8.2f} ms   ratio {t_batch / ours:6.1f}x"
          f"   (target >= 10x)")

    # ---- the top eigenvalue
    loss = N.loss_function(problem)
    top = spectrum.top(loss, theta)  # compile
    t_ours = median_time(lambda: spectrum.top(loss, theta))
    eps = 1e-5
    products = [0]

    def hv(v):
        products[0] += 1
        v = np.asarray(v).ravel()
        return (np_grad(problem, theta + eps * v, X, y) - np_grad(problem, theta - eps * v, X, y)) / (2 * eps)

    op = sla.LinearOperator((theta.size, theta.size), matvec=hv, dtype=np.float64)
    v0 = np.random.default_rng(0).standard_normal(theta.size)

    def scipy_top():
        return sla.eigsh(op, k=1, which="LA", v0=v0, tol=1e-10)[0][0]

    lam_scipy = float(scipy_top())
    scipy_products = products[0]
    t_scipy = median_time(scipy_top)
    t_hv = median_time(lambda: hv(v0))
    print(f"top Hessian eigenvalue at θ*, warm, median of {REPEATS}:")
    print(f"  ours (spectrum.top, stops at residual 1e-10)   {t_ours * 1e3:8.2f} ms   λmax = {top.value:.10g}   "
          f"{top.steps} products, residual {top.residual:.0e}")
    print(f"  SciPy eigsh on NumPy FD-HVPs                   {t_scipy * 1e3:8.2f} ms   λmax = {lam_scipy:.10g}   "
          f"{scipy_products} products ({t_hv * 1e3:.3f} ms each)   ratio {t_scipy / t_ours:6.1f}x   (target >= 10x)")
    # Other designs tried: the full Krylov space of min(n, 128) steps (the first design; a negative tol never
    # stops early), and the dense Hessian + eigvalsh.
    full = spectrum.steps_for(theta.size)
    spectrum.top(loss, theta, tol=-1.0)
    t_full = median_time(lambda: spectrum.top(loss, theta, tol=-1.0))
    dense = jax.jit(lambda t: jnp.linalg.eigvalsh(jax.hessian(loss)(t))[-1])
    th = jnp.asarray(theta)
    dense(th).block_until_ready()
    t_dense = median_time(lambda: dense(th).block_until_ready())
    print(f"  ours, all {full} Lanczos steps (no early stop)     {t_full * 1e3:8.2f} ms   ratio {t_scipy / t_full:6.1f}x")
    print(f"  ours, dense jax.hessian + eigvalsh             {t_dense * 1e3:8.2f} ms   ratio {t_scipy / t_dense:6.1f}x")


def np_k_loss_grad(problem, theta, X, y):
    """The K-class loss (logits (0, z), tanh, weight decay) and its gradient by backprop, NumPy."""
    layers = np_layers(problem, theta)
    hs = [X]
    for W, b in layers[:-1]:
        hs.append(np.tanh(hs[-1] @ W + b))
    W, b = layers[-1]
    z = np.concatenate([np.zeros((len(X), 1)), hs[-1] @ W + b], axis=1)
    m = z.max(1, keepdims=True)
    logsum = m[:, 0] + np.log(np.exp(z - m).sum(1))
    loss = np.mean(logsum - z[np.arange(len(y)), y]) + 0.5 * problem.l2 * sum(np.sum(W * W) for W, _ in layers)
    p = np.exp(z - logsum[:, None])
    p[np.arange(len(y)), y] -= 1.0
    delta = p[:, 1:] / len(y)
    grads = []
    for li in range(len(layers) - 1, -1, -1):
        W, _ = layers[li]
        grads.append(np.concatenate([(hs[li].T @ delta + problem.l2 * W).ravel(), delta.sum(0)]))
        if li:
            delta = (delta @ W.T) * (1.0 - hs[li] ** 2)
    return loss, np.concatenate(grads[::-1])


def digits() -> None:
    import optimizers

    problem = N.Problem("digits", (32,))
    X, y = N.data(problem)
    theta0 = N.initial(problem, 0)
    lr = 0.01

    def ours_train():
        return optimizers.train_network(problem, "adam", theta0, steps=500, hyperparams={"learning_rate": lr})

    fit = ours_train()
    t_train = median_time(ours_train, 5)

    def numpy_train(steps=500):
        theta, m, v = theta0.copy(), np.zeros_like(theta0), np.zeros_like(theta0)
        for t in range(1, steps + 1):
            _, g = np_k_loss_grad(problem, theta, X, y)
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            theta = theta - lr * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
        return theta

    t0 = time.perf_counter()
    theta_np = numpy_train()
    t_np_train = time.perf_counter() - t0
    assert np.allclose(theta_np, fit.params[-1], rtol=1e-6, atol=1e-8)
    print(f"digits, {problem.architecture} ({problem.n_params:,} parameters, {len(y):,} training rows), warm:")
    print(f"  500 Adam steps: ours {t_train:6.3f} s   NumPy loop {t_np_train:6.3f} s   ratio "
          f"{t_np_train / t_train:5.1f}x   (target: within 1 s)")

    theta = fit.params[-1]
    surface = landscapes.network_slice(problem=problem, directions="pca", theta=theta, path=fit.params)
    net = surface.network
    N.slice_grid(surface, surface.bounds, GRID)
    t_slice = median_time(lambda: N.slice_grid(surface, surface.bounds, GRID), 5)
    (x0, x1), (y0, y1) = surface.bounds
    A, B = np.meshgrid(np.linspace(x0, x1, GRID), np.linspace(y0, y1, GRID))
    thetas = net.theta + A.reshape(-1, 1) * net.d1 + B.reshape(-1, 1) * net.d2
    t0 = time.perf_counter()
    z_np = np.array([np_k_loss_grad(problem, t, X, y)[0] for t in thetas])
    t_np_slice = time.perf_counter() - t0
    assert np.allclose(N.slice_grid(surface, surface.bounds, GRID)[2].ravel(), z_np, rtol=1e-10)
    print(f"  {GRID} x {GRID} slice: ours {t_slice:6.3f} s   NumPy loop {t_np_slice:6.3f} s   ratio "
          f"{t_np_slice / t_slice:5.1f}x   (target: within 1 s)")

    loss, data = N.objective(problem.net), (X, y)
    ext = spectrum.extremes(loss, theta, k=5, data=data)
    t_ext = median_time(lambda: spectrum.extremes(loss, theta, k=5, data=data), 5)
    eps = 1e-5
    products = [0]

    def hv(v):
        products[0] += 1
        v = np.asarray(v).ravel()
        return (np_k_loss_grad(problem, theta + eps * v, X, y)[1]
                - np_k_loss_grad(problem, theta - eps * v, X, y)[1]) / (2 * eps)

    op = sla.LinearOperator((theta.size, theta.size), matvec=hv, dtype=np.float64)
    v0 = np.random.default_rng(0).standard_normal(theta.size)
    t0 = time.perf_counter()
    w = sla.eigsh(op, k=2, which="BE", v0=v0, tol=1e-8)[0]
    t_scipy = time.perf_counter() - t0
    print(f"  Hessian extremes: ours {t_ext:6.3f} s (λmin {ext.low[0]:.6g}, λmax {ext.high[-1]:.6g}, "
          f"{ext.steps} products)   SciPy eigsh both ends {t_scipy:6.3f} s (λ {w[0]:.6g}, {w[-1]:.6g}, "
          f"{products[0]} products)   ratio {t_scipy / t_ext:5.1f}x   (target: within 1 s)")


def main() -> None:
    browser = "--no-browser" not in sys.argv
    if "--digits" in sys.argv:
        digits()
        return
    for hidden in ((8,), (16, 16)):
        measure(hidden)
    digits()

    # ---- time to the first drawn slice
    script = ("import time; t0 = time.perf_counter(); import landscapes, optimizers; "
              "from landscapes import analysis, network; p = network.Problem(); "
              "fit = optimizers.train_network(p, 'adam', network.initial(p, 0), steps=500, "
              "hyperparams={'learning_rate': 0.05}); "
              "s = landscapes.network_slice(problem=p, directions='pca', theta=fit.params[-1], path=fit.params); "
              "analysis.evaluate_grid(s, s.bounds, 51); print(time.perf_counter() - t0)")
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, JAX_CACHE_DIR=cache, PYTHONPATH=str(ROOT))
        out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    print(f"time to the first slice in a fresh process (import, train 500 steps, plane, 51 x 51 grid): "
          f"{float(out.stdout.strip().splitlines()[-1]):.2f} s")
    if browser:
        first_drawn()


def first_drawn() -> None:
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, _Server

    if not os.access(CHROMIUM, os.X_OK):
        print("(no Chromium: time to the first drawn slice in the browser not measured)")
        return
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as cache:
        os.environ["JAX_CACHE_DIR"] = cache
        t0 = time.perf_counter()
        server = _Server(ROOT / "tests" / "apps" / "network_app.py", Path(cache) / "streamlit.log")
        try:
            server.wait()
            up = time.perf_counter() - t0
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 1100})
                t1 = time.perf_counter()
                page.goto(server.base + "/")
                page.locator("[class*='st-key-network-chart-slice'] .js-plotly-plot .main-svg").first.wait_for(
                    state="visible", timeout=240_000)
                cold = time.perf_counter() - t1
                t2 = time.perf_counter()
                page2 = browser.new_page(viewport={"width": 1280, "height": 1100})
                page2.goto(server.base + "/")
                page2.locator("[class*='st-key-network-chart-slice'] .js-plotly-plot .main-svg").first.wait_for(
                    state="visible", timeout=240_000)
                warm = time.perf_counter() - t2
                browser.close()
        finally:
            server.stop()
    print(f"time to the first drawn slice in Chromium (Network page defaults): server up in {up:.2f} s, then "
          f"{cold:.2f} s on a cold server, {warm:.2f} s for a new tab")


if __name__ == "__main__":
    main()
