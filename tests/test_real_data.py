"""The network engine on the real data sets scikit-learn ships (digits, iris, wine, breast cancer): the data as
prepared (split, standardisation), the K-class loss and gradient against an independent NumPy implementation, the
Lanczos extremes of the digits network against the dense eigenvalues of its full Hessian, and the held-out accuracy
Adam reaches on the digits."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import landscapes
import optimizers
from landscapes import datasets, spectrum
from landscapes import network as N

DIGITS = N.Problem("digits", (32,), "tanh")
DIGITS_STEPS, DIGITS_LR, DIGITS_FLOOR = 500, 0.01, 0.95
"""Adam at η = 0.01 for 500 full-batch steps from seed 0 reaches 97.1 % on the 450 held-out digits (measured);
the floor leaves room for a last-bit difference in the arithmetic, not for a broken network (chance is 10 %)."""


# ------------------------------------------------------------------------------------------ NumPy reference
def np_loss_and_grad(problem, theta, X, y):
    """Softmax cross-entropy of logits (0, z₁ … z_{K−1}) plus (λ/2)ΣW², and its gradient by hand-written
    backprop (tanh), in NumPy: ∂/∂logits = (softmax − onehot)/N, and the fixed first logit gets no gradient."""
    assert problem.activation == "tanh"
    layers, at = [], 0
    for i, o in problem.layers:
        layers.append((theta[at:at + i * o].reshape(i, o), theta[at + i * o:at + i * o + o]))
        at += i * o + o
    hs = [X]
    for W, b in layers[:-1]:
        hs.append(np.tanh(hs[-1] @ W + b))
    W, b = layers[-1]
    z = np.concatenate([np.zeros((len(X), 1)), hs[-1] @ W + b], axis=1)
    m = z.max(axis=1, keepdims=True)
    logsum = m[:, 0] + np.log(np.exp(z - m).sum(axis=1))
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


# ------------------------------------------------------------------------------------------ the data
@pytest.mark.parametrize("name", datasets.real_names())
def test_real_sets_are_split_per_class_and_standardised_on_the_training_rows(name):
    import sklearn.datasets

    raw = getattr(sklearn.datasets, datasets.REAL[name][1])()
    data = datasets.real(name, seed=3)
    inputs, classes = datasets.SHAPES[name]
    assert data.X.shape[1] == data.X_test.shape[1] == inputs and len(data.classes) == classes
    assert len(data.y) + len(data.y_test) == len(raw.target)
    for c in range(classes):  # each class split 75 / 25 (rounded)
        n = int(np.sum(raw.target == c))
        assert int(np.sum(data.y_test == c)) == round(datasets.HELD_OUT * n)
    # standardised with the training rows' statistics: those rows have mean 0, std 1 (or a constant column)
    np.testing.assert_allclose(data.X.mean(0), 0.0, atol=1e-12)
    std = data.X.std(0)
    assert np.all((np.abs(std - 1) < 1e-12) | (std == 0))
    # every row is a raw row, mapped by the training statistics, and no row is both trained on and held out
    rows = {tuple(np.round(r, 9)) for r in raw.data}
    back = np.concatenate([data.raw(data.X), data.raw(data.X_test)])
    assert all(tuple(np.round(r, 9)) in rows for r in back[::7])
    assert not np.array_equal(data.X_test, datasets.real(name, seed=4).X_test)
    assert data.X.flags.writeable is False


@pytest.mark.parametrize("name", datasets.real_names())
def test_k_class_loss_and_gradient_match_numpy_backprop(name):
    problem = N.Problem(name, (6, 5), "tanh")
    inputs, classes = datasets.SHAPES[name]
    assert problem.sizes == (inputs, 6, 5, classes - 1)
    X, y = N.data(problem)
    theta = N.initial(problem, 1) + 0.3 * np.random.default_rng(0).standard_normal(problem.n_params)
    ref_loss, ref_grad = np_loss_and_grad(problem, theta, X, y)
    value, grad = N.value_and_grad(problem, theta)
    assert value == pytest.approx(ref_loss, rel=1e-12)
    np.testing.assert_allclose(grad, ref_grad, rtol=1e-9, atol=1e-13)
    # the bound loss (notebooks) is the same function
    assert float(N.loss_function(problem)(jnp.asarray(theta))) == pytest.approx(ref_loss, rel=1e-12)
    # the backprop itself against a central difference
    e = np.zeros_like(theta)
    e[7] = 1e-6
    fd = (np_loss_and_grad(problem, theta + e, X, y)[0] - np_loss_and_grad(problem, theta - e, X, y)[0]) / 2e-6
    assert fd == pytest.approx(ref_grad[7], rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("name", ["iris", "wine"])
def test_k_class_slice_grid_is_the_loss_on_the_plane(name):
    problem = N.Problem(name, (8,), "tanh")
    theta = N.initial(problem, 2) + 0.1
    s = landscapes.network_slice(problem=problem, directions="filter", theta=theta)
    xs, ys, z = N.slice_grid(s, s.bounds, 7)
    X, y = N.data(problem)
    for i, j in ((0, 0), (3, 5), (6, 2)):
        assert z[i, j] == pytest.approx(np_loss_and_grad(problem, s.network.point(xs[j], ys[i]), X, y)[0], rel=1e-12)


# ------------------------------------------------------------------------------------------ the digits network
@pytest.fixture(scope="module")
def digits_run():
    return optimizers.train_network(DIGITS, "adam", N.initial(DIGITS, 0), steps=DIGITS_STEPS,
                                    hyperparams={"learning_rate": DIGITS_LR})


def test_adam_learns_the_digits_above_the_floor_on_held_out_rows(digits_run):
    assert DIGITS.n_params == 64 * 32 + 32 + 32 * 9 + 9 == 2377
    theta = digits_run.params[-1]
    held_out = N.accuracy(DIGITS, theta, held_out=True)
    assert held_out >= DIGITS_FLOOR, held_out
    assert N.accuracy(DIGITS, theta) >= held_out - 0.05
    C = N.confusion(DIGITS, theta)
    assert C.sum() == len(N.dataset(DIGITS).y_test) and np.trace(C) / C.sum() == pytest.approx(held_out)


def _dense_hessian(problem, theta) -> np.ndarray:
    """The full Hessian, column by column from Hessian-vector products (256 at a time: all 2,377 at once would hold
    2,377 copies of the hidden layer's activations)."""
    loss, data = N.objective(problem.net), N.data(problem)
    n = theta.size
    cols = jax.jit(jax.vmap(lambda v: spectrum.hvp(loss, jnp.asarray(theta), v, data)))
    eye = np.eye(n)
    H = np.concatenate([np.asarray(cols(jnp.asarray(eye[i:i + 256]))) for i in range(0, n, 256)])
    return 0.5 * (H + H.T)


def test_lanczos_extremes_match_the_dense_spectrum_of_the_digits_network(digits_run):
    theta = digits_run.params[-1]
    w = np.linalg.eigvalsh(_dense_hessian(DIGITS, theta))
    ext = spectrum.extremes(N.objective(DIGITS.net), theta, k=3, data=N.data(DIGITS))
    assert ext.steps == spectrum.MAX_STEPS and not ext.complete
    # The top converges first (Golub & Van Loan §10.1): to the last digits.
    np.testing.assert_allclose(ext.high, w[-3:], rtol=1e-8)
    # Every Ritz pair (λ, u) has an exact eigenvalue within its measured residual ‖Hu − λu‖ (Krylov–Bogoliubov).
    for values, residuals in ((ext.low, ext.low_residuals), (ext.high, ext.high_residuals)):
        for lam, r in zip(values, residuals):
            assert np.min(np.abs(w - lam)) <= r * (1 + 1e-6) + 1e-12
    # The smallest Ritz value is an upper bound of λmin and close to it, on the scale of ‖H‖.
    assert w[0] - 1e-10 <= ext.low[0] <= w[0] + 1e-3 * abs(w[-1])
