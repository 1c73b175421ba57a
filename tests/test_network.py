"""The network engine against mathematics: an independent NumPy MLP (forward and backprop), dense Hessians,
finite differences, and the identities the slices and spectra must satisfy."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import landscapes
import optimizers
from landscapes import analysis, datasets, spectrum
from landscapes import network as N
from optimizers import network as train


# ------------------------------------------------------------------------------------------ NumPy reference
def np_layers(problem, theta):
    out, at = [], 0
    for i, o in problem.layers:
        W = theta[at:at + i * o].reshape(i, o)
        b = theta[at + i * o:at + i * o + o]
        out.append((W, b))
        at += i * o + o
    return out


def np_loss_and_grad(problem, theta, index=None):
    """Softmax cross-entropy of logits (0, z) plus (λ/2)ΣW², and its gradient by hand-written backprop (tanh)."""
    assert problem.activation == "tanh"
    X, y = N.data(problem)
    if index is not None:
        X, y = X[index], y[index]
    layers = np_layers(problem, np.asarray(theta, np.float64))
    hs = [X]
    for W, b in layers[:-1]:
        hs.append(np.tanh(hs[-1] @ W + b))
    W, b = layers[-1]
    z = (hs[-1] @ W + b)[:, 0]
    # −log softmax((0, z))_y = log(1 + e^z) − y z
    loss = np.mean(np.logaddexp(0.0, z) - y * z) + 0.5 * problem.l2 * sum(np.sum(W * W) for W, _ in layers)
    dz = (1.0 / (1.0 + np.exp(-z)) - y) / len(y)
    grads = []
    delta = dz[:, None]
    for li in range(len(layers) - 1, -1, -1):
        W, _ = layers[li]
        grads.append((hs[li].T @ delta + problem.l2 * W, delta.sum(0)))
        if li:
            delta = (delta @ W.T) * (1.0 - hs[li] ** 2)
    grads.reverse()
    return loss, np.concatenate([np.concatenate([gW.ravel(), gb]) for gW, gb in grads])


PROBLEM = N.Problem("moons", (8,), "tanh", 120)


@pytest.fixture(scope="module")
def trained():
    run = optimizers.train_network(PROBLEM, "adam", N.initial(PROBLEM, 0), steps=400,
                                   hyperparams={"learning_rate": 0.05})
    return run


@pytest.fixture(scope="module")
def dense(trained):
    theta = trained.params[-1]
    H = np.asarray(jax.hessian(N.loss_function(PROBLEM))(jnp.asarray(theta)))
    return theta, H


# ------------------------------------------------------------------------------------------ data and model
@pytest.mark.parametrize("name", datasets.names())
def test_datasets_are_balanced_seeded_and_finite(name):
    X, y = datasets.make(name, 101, seed=3)
    assert X.shape == (101, 2) and X.dtype == np.float64 and np.all(np.isfinite(X))
    assert sorted(set(y.tolist())) == [0, 1] and abs(int(y.sum()) - 50) <= 1
    X2, y2 = datasets.make(name, 101, seed=3)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert not np.array_equal(X, datasets.make(name, 101, seed=4)[0])


def test_bad_problems_are_refused_with_a_reason():
    with pytest.raises(ValueError, match="unknown data set"):
        N.Problem("mnist")
    with pytest.raises(ValueError, match="hidden layers"):
        N.Problem(hidden=(0,))
    with pytest.raises(ValueError, match="hidden layers"):
        N.Problem(hidden=(4, 4, 4, 4))
    with pytest.raises(ValueError, match="parameters"):
        N.Problem(hidden=(64, 64))
    with pytest.raises(ValueError, match="activation"):
        N.Problem(activation="sigmoid2")
    with pytest.raises(ValueError, match="points"):
        datasets.make("moons", 10**6)


@pytest.mark.parametrize("hidden", [(8,), (5, 3)])
def test_loss_and_gradient_match_numpy_backprop(hidden):
    problem = N.Problem("xor", hidden, "tanh", 60)
    theta = N.initial(problem, 1) + 0.3 * np.random.default_rng(0).standard_normal(problem.n_params)
    ref_loss, ref_grad = np_loss_and_grad(problem, theta)
    loss = N.loss_function(problem)
    assert float(loss(jnp.asarray(theta))) == pytest.approx(ref_loss, rel=1e-12)
    np.testing.assert_allclose(np.asarray(jax.grad(loss)(jnp.asarray(theta))), ref_grad, rtol=1e-10, atol=1e-13)
    # and the backprop itself against central differences
    e = np.zeros_like(theta)
    e[3] = 1e-6
    fd = (np_loss_and_grad(problem, theta + e)[0] - np_loss_and_grad(problem, theta - e)[0]) / 2e-6
    assert fd == pytest.approx(ref_grad[3], rel=1e-6, abs=1e-9)


def test_symmetric_initialization_makes_every_hidden_neuron_the_same():
    problem = N.Problem(hidden=(4, 3))
    (W1, b1), (W2, b2), (W3, _) = np_layers(problem, N.initial(problem, 0, "symmetric"))
    assert np.all(W1 == W1[:, :1]) and np.all(W2 == W2[0, 0]) and np.all(W3 == W3[0, 0])
    assert not np.all(W1 == 0)


# ------------------------------------------------------------------------------------------ training
def test_full_batch_sgd_is_gradient_descent_step_by_step():
    theta0 = N.initial(PROBLEM, 2)
    eta = 0.3
    run = optimizers.train_network(PROBLEM, "sgd", theta0, steps=5, hyperparams={"learning_rate": eta})
    theta = theta0.copy()
    for t in range(5):
        loss, grad = np_loss_and_grad(PROBLEM, theta)
        assert run.loss[t] == pytest.approx(loss, rel=1e-12)
        assert run.grad_norm[t] == pytest.approx(np.linalg.norm(grad), rel=1e-10)
        theta = theta - eta * grad
        np.testing.assert_allclose(run.params[t + 1], theta, rtol=1e-11, atol=1e-13)
    assert run.params.shape == (6, PROBLEM.n_params) and run.diverged_at == -1


def test_a_schedule_steps_a_network_as_it_steps_a_surface():
    """The network's training builds its update as a surface run does: η_t = η e^{−kt} in every step."""
    theta0 = N.initial(PROBLEM, 2)
    eta, k = 0.3, 0.2
    run = optimizers.solve(PROBLEM, "sgd", theta0, 4, hyperparams={"learning_rate": eta}, schedule="exponential",
                           schedule_params={"k": k})
    np.testing.assert_allclose(run.learning_rate, eta * np.exp(-k * np.arange(4)), rtol=1e-14)
    theta = theta0.copy()
    for t in range(4):
        theta = theta - eta * np.exp(-k * t) * np_loss_and_grad(PROBLEM, theta)[1]
        np.testing.assert_allclose(run.params[t + 1], theta, rtol=1e-11, atol=1e-13)
        assert run.update_norm[t] == pytest.approx(np.linalg.norm(run.params[t + 1] - run.params[t]), rel=1e-12)
    assert optimizers.STATUSES[run.status] == "max_steps" and run.converged_at == run.diverged_at == -1


def test_mini_batch_steps_use_the_sampled_batch_gradient():
    theta0 = N.initial(PROBLEM, 2)
    eta, batch, seed = 0.3, 16, 7
    run = optimizers.train_network(PROBLEM, "sgd", theta0, steps=3, batch_size=batch, seed=seed,
                                   hyperparams={"learning_rate": eta})
    theta = theta0.copy()
    for t in range(3):
        index = np.asarray(jax.random.permutation(jax.random.fold_in(jax.random.key(np.uint32(seed)), t),
                                                  PROBLEM.points))[:batch]
        assert len(set(index.tolist())) == batch
        loss, grad = np_loss_and_grad(PROBLEM, theta, index)
        assert run.batch_loss[t] == pytest.approx(loss, rel=1e-12)
        theta = theta - eta * grad
        np.testing.assert_allclose(run.params[t + 1], theta, rtol=1e-11, atol=1e-13)
    # the batch loss is not the full loss: the noise is real
    assert abs(run.batch_loss[0] - run.loss[0]) > 1e-4


def test_a_new_learning_rate_does_not_recompile():
    theta0 = N.initial(PROBLEM, 0)
    optimizers.train_network(PROBLEM, "momentum", theta0, steps=7, hyperparams={"learning_rate": 0.1})
    before = train._train._cache_size()
    optimizers.train_network(PROBLEM, "momentum", theta0 + 0.1, steps=7, seed=3,
                             hyperparams={"learning_rate": 0.2, "momentum": 0.5})
    assert train._train._cache_size() == before


def test_a_diverging_run_stops_at_the_last_good_point():
    run = optimizers.train_network(PROBLEM, "sgd", N.initial(PROBLEM, 0), steps=50,
                                   hyperparams={"learning_rate": 1e9})
    assert run.diverged_at > 0
    assert np.all(np.isfinite(run.params)) and np.all(np.isfinite(run.loss))
    assert np.all(run.params[run.diverged_at:] == run.params[run.diverged_at - 1])


def test_unknown_hyperparameters_are_refused():
    with pytest.raises(ValueError, match="no hyperparameter"):
        optimizers.train_network(PROBLEM, "sgd", N.initial(PROBLEM, 0), steps=2, hyperparams={"beta": 1.0})


# ------------------------------------------------------------------------------------------ slices
@pytest.mark.parametrize("directions", list(N.DIRECTIONS))
def test_slice_is_the_loss_on_the_plane(directions, trained):
    s = landscapes.network_slice("moons", (8,), directions, 0, points=120, theta=trained.params[-1],
                                 path=trained.params)
    net = s.network
    assert isinstance(s, landscapes.Landscape) and net.theta.dtype == np.float64
    assert net.theta.shape == net.d1.shape == net.d2.shape == (PROBLEM.n_params,)
    assert float(s.f((0.0, 0.0))) == pytest.approx(np_loss_and_grad(PROBLEM, net.theta)[0], rel=1e-12)
    assert float(s.f((0.0, 0.0))) == float(net.loss(jnp.asarray(net.theta)))
    rng = np.random.default_rng(1)
    (x0, x1), (y0, y1) = s.bounds
    for a, b in zip(rng.uniform(x0, x1, 5), rng.uniform(y0, y1, 5)):
        ref = np_loss_and_grad(PROBLEM, net.theta + a * net.d1 + b * net.d2)[0]
        assert float(s.f((a, b))) == pytest.approx(ref, rel=1e-12)


def test_slice_hessian_at_the_centre_is_the_projected_hessian(trained, dense):
    theta, H = dense
    for directions in N.DIRECTIONS:
        s = landscapes.network_slice(points=120, directions=directions, theta=theta, path=trained.params)
        D = np.stack([s.network.d1, s.network.d2], axis=1)
        np.testing.assert_allclose(analysis.hessian(s, (0.0, 0.0)), D.T @ H @ D, rtol=1e-8,
                                   atol=1e-8 * np.abs(H).max())


def test_filter_normalized_directions(trained):
    theta = trained.params[-1]
    s = landscapes.network_slice(points=120, directions="filter", seed=5, theta=theta)
    d1, d2 = s.network.d1, s.network.d2
    for idx in N.neurons(PROBLEM):
        assert np.linalg.norm(d1[idx]) == pytest.approx(np.linalg.norm(theta[idx]), rel=1e-10)
        assert np.linalg.norm(d2[idx]) == pytest.approx(np.linalg.norm(theta[idx]), rel=1e-10)
        assert abs(d1[idx] @ d2[idx]) <= 1e-10 * np.linalg.norm(theta[idx]) ** 2
    assert np.all(d1[N.biases(PROBLEM)] == 0) and np.all(d2[N.biases(PROBLEM)] == 0)
    assert abs(d1 @ d2) <= 1e-10 * np.linalg.norm(d1) * np.linalg.norm(d2)
    # every weight belongs to exactly one neuron
    assert sorted(np.concatenate(N.neurons(PROBLEM) + [N.biases(PROBLEM)]).tolist()) == list(range(PROBLEM.n_params))
    assert s.bounds == ((-1.0, 1.0), (-1.0, 1.0))


def test_hessian_directions_are_the_extreme_eigenvectors(dense):
    theta, H = dense
    s = landscapes.network_slice(points=120, directions="hessian", theta=theta)
    net = s.network
    norm = np.abs(np.linalg.eigvalsh(H)).max()
    lam_max, lam_min = net.eigenvalues
    for d, lam in ((net.d1, lam_max), (net.d2, lam_min)):
        assert np.linalg.norm(d) == pytest.approx(1.0, abs=1e-12)
        assert np.linalg.norm(H @ d - lam * d) <= 1e-6 * norm
    w, V = jnp.linalg.eigh(jnp.asarray(H))
    w, V = np.asarray(w), np.asarray(V)
    assert lam_max == pytest.approx(w[-1], abs=1e-9 * norm)
    assert lam_min == pytest.approx(w[0], abs=1e-9 * norm)
    assert w[-1] - w[-2] > 1e-3 * norm and w[1] - w[0] > 1e-8 * norm  # distinct, so the vectors are unique
    assert abs(net.d1 @ V[:, -1]) == pytest.approx(1.0, abs=1e-8)
    assert abs(net.d2 @ V[:, 0]) == pytest.approx(1.0, abs=1e-5)


def test_pca_plane_of_the_path(trained):
    theta, path = trained.params[-1], trained.params
    s = landscapes.network_slice(points=120, directions="pca", theta=theta, path=path)
    net = s.network
    assert net.d1 @ net.d2 == pytest.approx(0.0, abs=1e-12)
    assert np.linalg.norm(net.d1) == pytest.approx(1.0) and np.linalg.norm(net.d2) == pytest.approx(1.0)
    assert 1.0 >= net.explained[0] >= net.explained[1] > 0.0
    # the first principal direction maximizes the spread of the path: no other unit vector beats it
    M = path - theta
    rng = np.random.default_rng(0)
    for _ in range(20):
        u = rng.standard_normal(theta.size)
        u /= np.linalg.norm(u)
        assert np.sum((M @ u) ** 2) <= np.sum((M @ net.d1) ** 2) + 1e-12
    # Pythagoras: in-plane part and distance from the plane add up
    in_plane = net.coords[:, :1] * net.d1 + net.coords[:, 1:] * net.d2
    np.testing.assert_allclose(np.sum(in_plane ** 2, 1) + net.off_plane ** 2, np.sum(M ** 2, 1), rtol=1e-9,
                               atol=1e-12)
    assert net.off_plane[-1] == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(ValueError, match="path"):
        landscapes.network_slice(points=120, directions="pca", theta=theta)


def test_slices_work_with_the_2d_tools(trained):
    s = landscapes.network_slice(points=120, directions="hessian", theta=trained.params[-1])
    run = optimizers.run(s, "sgd", start=(0.5 * s.bounds[0][1], 0.0), steps=50,
                         learning_rate=0.5 / s.network.eigenvalues[0])
    assert run.loss[-1] < run.loss[0]
    info = landscapes.classify(s, (0.0, 0.0))
    assert info.value == pytest.approx(float(s.f((0.0, 0.0))))


def test_a_slice_never_trains_it_needs_theta(trained):
    with pytest.raises(ValueError, match=r"needs the trained weights .*optimizers\.train_network"):
        landscapes.network_slice(points=120)
    with pytest.raises(ValueError, match="directions"):
        landscapes.network_slice(points=120, directions="random", theta=trained.params[-1])
    s = landscapes.network_slice(points=120, theta=trained.params[-1], path=trained.params)
    assert isinstance(s, landscapes.Landscape) and isinstance(s.network, N.NetworkSlice)
    assert np.array_equal(s.network.theta, trained.params[-1]) and s.network.path.shape == trained.params.shape
    assert not hasattr(landscapes.get("himmelblau"), "network")  # the generic record knows no networks


# ------------------------------------------------------------------------------------------ spectrum
def test_lanczos_on_the_whole_space_is_the_whole_spectrum(dense):
    theta, H = dense
    run = spectrum.lanczos(N.loss_function(PROBLEM), theta)
    values, _ = run.ritz()
    assert run.alpha.size == PROBLEM.n_params
    np.testing.assert_allclose(np.sort(values), np.linalg.eigvalsh(H), atol=1e-9 * np.abs(H).max())
    np.testing.assert_allclose(run.V @ run.V.T, np.eye(run.alpha.size), atol=1e-10)


def test_lanczos_stops_when_the_krylov_space_is_invariant():
    A = np.diag([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    quad = lambda x: 0.5 * x @ jnp.asarray(A) @ x  # noqa: E731
    # a start in the span of two eigenvectors: the space stops growing after two steps
    run = spectrum._valid(*(a[0] for a in spectrum._lanczos(quad, jnp.zeros(6),
                                                             jnp.asarray([[1.0, 0, 0, 0, 1.0, 0]]), 6)))
    assert run.alpha.size == 2
    np.testing.assert_allclose(run.ritz()[0], [1.0, 5.0], atol=1e-12)


def test_extremes_residuals_are_measured():
    problem = N.Problem("circles", (16, 16), "tanh", 100)
    theta = N.initial(problem, 0)
    ext = spectrum.extremes(N.loss_function(problem), theta, k=2, steps=60)
    H = np.asarray(jax.hessian(N.loss_function(problem))(jnp.asarray(theta)))
    for values, vectors, res in ((ext.low, ext.low_vectors, ext.low_residuals),
                                 (ext.high, ext.high_vectors, ext.high_residuals)):
        for lam, u, r in zip(values, vectors.T, res):
            assert np.linalg.norm(H @ u - lam * u) == pytest.approx(r, rel=1e-6, abs=1e-12)
    w = np.linalg.eigvalsh(H)
    assert ext.steps == 60 and ext.high[-1] == pytest.approx(w[-1], rel=1e-8)  # the top converges first


def test_slq_density_integrates_to_one_and_its_moments_are_exact(dense):
    theta, H = dense
    n = theta.size
    probes = 64
    loss = N.loss_function(PROBLEM)
    nodes, weights, vs = spectrum.quadrature(loss, theta, probes=probes, steps=12, seed=1)
    np.testing.assert_allclose(weights.sum(1), 1.0, atol=1e-12)
    # Gauss quadrature with k nodes is exact for polynomials of degree < 2k: vᵀHv and vᵀH²v per probe
    np.testing.assert_allclose(np.sum(weights * nodes, 1), np.einsum("pi,ij,pj->p", vs, H, vs), rtol=1e-9,
                               atol=1e-13)
    np.testing.assert_allclose(np.sum(weights * nodes ** 2, 1), np.einsum("pi,ij,pj->p", vs, H @ H, vs),
                               rtol=1e-9, atol=1e-13)
    dens = spectrum.density(loss, theta, probes=probes, steps=12, seed=1)
    assert np.trapezoid(dens.density, dens.grid) == pytest.approx(1.0, abs=1e-6)
    # Hutchinson: for Rademacher v = s/√n, E[vᵀHv] = trace(H)/n, Var = 2 Σ_{i≠j} H_ij² / n².
    sd = np.sqrt(2 * (np.sum(H ** 2) - np.sum(np.diag(H) ** 2))) / n / np.sqrt(probes)
    assert abs(dens.moment(1) - np.trace(H) / n) <= 4 * sd  # the stated tolerance: four standard errors
    assert dens.moment(1) == pytest.approx(np.mean(np.sum(weights * nodes, 1)))


# ------------------------------------------------------------------------------------------ verdicts
@pytest.fixture(scope="module")
def symmetric_xor():
    problem = N.Problem("xor", (8,), "tanh", 200)
    run = optimizers.train_network(problem, "adam", N.initial(problem, 0, "symmetric"), steps=2000,
                                   hyperparams={"learning_rate": 0.02})
    return problem, run


def test_symmetric_start_ends_on_a_saddle_and_the_escape_lowers_the_loss(symmetric_xor):
    problem, run = symmetric_xor
    theta = run.params[-1]
    point = N.classify_point(problem, theta)
    assert point.kind == "saddle", point.reason
    H = np.asarray(jax.hessian(N.loss_function(problem))(jnp.asarray(theta)))
    w = np.linalg.eigvalsh(H)
    assert w[0] < -1e-3 * w[-1] and point.extremes.low[0] == pytest.approx(w[0], rel=1e-8)
    why = point.verdict  # the same reason as data: code, and the dense Hessian's extremes
    assert (why.code, why.kind, why.curvature) == ("indefinite", "saddle", "saddle")
    assert why.lam_min == pytest.approx(w[0], rel=1e-8) and why.lam_max == pytest.approx(w[-1], rel=1e-8)
    assert why.zero_tol == point.tol and why.grad_tol == N.GTOL
    assert np.linalg.norm(np.asarray(jax.grad(N.loss_function(problem))(jnp.asarray(theta)))) <= N.GTOL
    v = point.escape
    loss = N.loss_function(problem)
    for eps in (0.05, -0.05):
        assert float(loss(jnp.asarray(theta + eps * v))) < point.loss  # down both ways: a saddle
    t, values = N.profile(problem, theta, v, 0.05, 11)
    assert values[5] == pytest.approx(point.loss) and values[0] < values[5] and values[-1] < values[5]
    escaped = optimizers.train_network(problem, "adam", theta + 0.05 * v, steps=1000,
                                       hyperparams={"learning_rate": 0.02})
    stuck = optimizers.train_network(problem, "adam", theta, steps=1000, hyperparams={"learning_rate": 0.02})
    assert escaped.loss[-1] < 0.5 * point.loss
    assert stuck.loss[-1] == pytest.approx(point.loss, abs=1e-4)


def test_a_trained_network_is_a_minimum_or_degenerate_not_a_saddle(trained):
    point = N.classify_point(PROBLEM, trained.params[-1])
    assert point.kind in ("minimum", "degenerate", "regular")
    assert point.extremes.low[0] > -point.tol or point.kind == "regular"
    start = N.classify_point(PROBLEM, trained.params[0])
    assert start.kind == "regular" and "not a critical point" in start.reason
    assert start.verdict.code == "not_critical" and start.verdict.grad_norm > N.GTOL
    assert start.verdict.grad_norm == pytest.approx(np.linalg.norm(np_loss_and_grad(PROBLEM, trained.params[0])[1]))


def test_slice_grid_is_the_slice_everywhere(trained):
    for hidden in ((8,), (5, 3)):
        problem = N.Problem("moons", hidden, "tanh", 120)
        theta = N.initial(problem, 4) + 0.1
        s = landscapes.network_slice(points=120, hidden=hidden, directions="filter", theta=theta)
        xs, ys, z = N.slice_grid(s, s.bounds, 9)
        ref_x, ref_y, ref = analysis.evaluate_grid(s, s.bounds, 9)
        np.testing.assert_allclose(xs, ref_x, rtol=1e-14)
        np.testing.assert_allclose(ys, ref_y, rtol=1e-14)
        np.testing.assert_allclose(z, ref, rtol=1e-12)
        assert z[4, 2] == pytest.approx(np_loss_and_grad(problem, s.network.point(xs[2], ys[4]))[0], rel=1e-12)


def test_top_eigenvalue_is_the_dense_one(dense):
    theta, H = dense
    w = np.linalg.eigvalsh(H)
    assert spectrum.top_eigenvalue(N.loss_function(PROBLEM), theta) == pytest.approx(w[-1], rel=1e-10)
    # after a breakdown the zero block does not count: a negative definite quadratic keeps its negative top
    A = -np.diag([1.0, 2.0, 3.0, 4.0])
    quad = lambda x: 0.5 * x @ jnp.asarray(A) @ x  # noqa: E731
    top, residual, taken = spectrum._top(quad, jnp.zeros(4), jnp.asarray([1.0, 1.0, 0.0, 0.0]), 1e-10, 4)
    assert float(top) == pytest.approx(-1.0, abs=1e-12)
    assert int(taken) == 2 and float(residual) == 0.0  # the space span{e1, e2} is invariant after two steps


def test_top_stops_early_with_a_true_residual(dense):
    """`top` stops once Paige's residual β_k|s_k| is below tol·|λ|; by the Krylov–Bogoliubov theorem some
    eigenvalue of H lies within that residual of the Ritz value, so the reported residual cannot be too small."""
    theta, H = dense
    w = np.linalg.eigvalsh(H)
    loss = N.loss_function(PROBLEM)
    full = spectrum.top(loss, theta)
    assert full.steps < theta.size and full.residual <= spectrum.TOL
    assert full.value == pytest.approx(w[-1], rel=1e-10)
    for steps in (3, 4, 5, 6):  # cut short before convergence: the residual says how far it is
        rough = spectrum.top(loss, theta, steps=steps)
        assert rough.steps == steps and rough.residual > spectrum.TOL
        assert np.min(np.abs(w - rough.value)) <= rough.residual * abs(rough.value) * (1 + 1e-8)
        assert rough.value <= w[-1] + 1e-12  # a Ritz value never exceeds λmax
    # Paige's residual is the true one: the Ritz vector u = Vᵀs from the same start, against the dense H
    start = jnp.asarray(np.random.default_rng(1).standard_normal(theta.size))
    for steps in (3, 5):
        value, residual, _ = spectrum._top(loss, jnp.asarray(theta), start, 0.0, steps)
        alpha, beta, V = (np.asarray(a[0]) for a in spectrum._lanczos(loss, jnp.asarray(theta), start[None], steps))
        ritz, S = np.linalg.eigh(np.diag(alpha) + np.diag(beta[:-1], 1) + np.diag(beta[:-1], -1))
        u = V.T @ S[:, -1]
        assert float(value) == pytest.approx(ritz[-1], rel=1e-12)
        assert float(residual) == pytest.approx(np.linalg.norm(H @ u - ritz[-1] * u), rel=1e-6)
