"""The Learn page's lessons against mathematics: every run a lesson shows is re-derived here from a closed form or
an independent NumPy implementation of the course formula, and the lesson's right answer, its task and the numbers
its words quote are checked on it.  For each lesson: the task is not met at the defaults and is met by the known
solution, which lies on the lesson's own controls; the answer at the defaults is what the mathematics says.

References: cs231n optimization notes (shared/seeds/000, 003), NTU ML 2023 (001), the ODE view (002), the survey
of gradient methods (004); Polyak 1964, Sutskever et al. 2013, Kingma & Ba 2015, You et al. 2020.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import landscapes
from components import controls
from components.lab import compute as lab
from components.learn import compute, lessons as L, measure, words
from optimizers import analytic

VALLEY = landscapes.get("elongated_valley")


def view(slug: str, **values) -> compute.View:
    lesson = L.get(slug)
    return compute.view(lesson, {**lesson.defaults(), **values})


def solved(slug: str) -> compute.View:
    return view(slug, **L.get(slug).solution)


# ------------------------------------------------------------------------------------------------ independent maths
def valley_hessian(kappa: float = 100.0, angle: float = 30.0) -> np.ndarray:
    """A = Rᵀ diag(1/κ, 1) R for f = ½(u²/κ + v²), (u, v) = R (x, y), R = [[c, s], [−s, c]]."""
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    rot = np.array([[c, s], [-s, c]])
    return rot.T @ np.diag([1.0 / kappa, 1.0]) @ rot


def valley_start(angle: float = 30.0) -> np.ndarray:
    phi = math.radians(angle)
    return np.array([-8 * math.cos(phi) - 2 * math.sin(phi), -8 * math.sin(phi) + 2 * math.cos(phi)])


def gd_quadratic(a: np.ndarray, x0: np.ndarray, eta: float, steps: int) -> np.ndarray:
    """x_t = (I − ηA)^t x₀, every t (the closed form, by matrix powers)."""
    m = np.eye(2) - eta * a
    return np.stack([np.linalg.matrix_power(m, t) @ x0 for t in range(steps + 1)])


def iterate(step, x0, steps: int, state=None) -> np.ndarray:
    """Run ``step(t, x, state) -> (x, state)`` for t = 1 … steps, returning every iterate."""
    xs, x = [np.asarray(x0, float)], np.asarray(x0, float)
    for t in range(1, steps + 1):
        x, state = step(t, x, state)
        xs.append(x)
    return np.stack(xs)


def heavy_ball(grad, x0, eta, mu, steps):
    """cs231n: v ← μv − η∇f(x); x ← x + v."""
    def step(t, x, v):
        v = mu * (0.0 if v is None else v) - eta * grad(x)
        return x + v, v
    return iterate(step, x0, steps)


def nesterov(grad, x0, eta, mu, steps):
    """cs231n's form: v_prev ← v; v ← μv − η∇f(x); x ← x − μ v_prev + (1 + μ) v."""
    def step(t, x, v):
        prev = np.zeros(2) if v is None else v
        v = mu * prev - eta * grad(x)
        return x - mu * prev + (1 + mu) * v, v
    return iterate(step, x0, steps)


def himmelblau_grad(p):
    x, y = p
    return np.array([4 * x * (x * x + y - 11) + 2 * (x + y * y - 7), 2 * (x * x + y - 11) + 4 * y * (x + y * y - 7)])


def himmelblau_hessian(p):
    x, y = p
    return np.array([[12 * x * x + 4 * y - 42, 4 * x + 4 * y], [4 * x + 4 * y, 4 * x + 12 * y * y - 26]])


# ------------------------------------------------------------------------------------------------ every lesson
@pytest.mark.parametrize("slug", L.slugs())
def test_the_task_is_not_met_at_the_defaults_and_is_met_by_the_known_solution(slug):
    assert not L.get(slug).goal(view(slug)).met
    assert L.get(slug).goal(solved(slug)).met


@pytest.mark.parametrize("slug", L.slugs())
def test_the_known_solution_and_the_defaults_lie_on_the_lessons_own_controls(slug):
    lesson = L.get(slug)
    assert 1 <= len(lesson.controls) <= 2 and 3 <= len(lesson.choices) <= 4
    for c in lesson.controls:
        for value in (c.default, lesson.solution.get(c.name, c.default)):
            if c.kind == "choice":
                assert value in c.options
            elif c.kind == "bool":
                assert isinstance(value, bool)
            elif c.kind == "float" and c.log:
                assert value in controls.log_grid(c.lo, c.hi, c.default), (c.name, value)
            elif c.kind == "float":
                step = controls.linear_step(c.lo, c.hi)
                assert c.lo <= value <= c.hi and abs((value - c.lo) / step - round((value - c.lo) / step)) < 1e-6
            else:
                assert c.lo <= value <= c.hi


@pytest.mark.parametrize("slug", L.slugs())
def test_every_answer_is_one_of_the_choices_and_every_lesson_has_words_for_its_run(slug):
    for v in (view(slug), solved(slug)):
        assert v.lesson.answer(v) in v.lesson.choices
        assert words.why(v) and all(s.strip() for s in words.why(v))
        assert words.status(v, v.lesson.goal(v)).strip() and words.question(v).strip()


# ------------------------------------------------------------------------------------------------ 1 the ravine
@pytest.mark.parametrize("eta,kappa", [(1.8, 100.0), (1.8, 10.0), (0.5, 100.0), (2.05, 100.0)])
def test_ravine_runs_are_the_closed_form_and_the_answer_follows_the_factor_across(eta, kappa):
    v = view("ravine", learning_rate=eta, kappa=kappa)
    run = v.runs["sgd"]
    closed = gd_quadratic(valley_hessian(kappa), valley_start(), eta, 200)
    if int(run.diverged_at) < 0:
        np.testing.assert_allclose(run.xy, closed, atol=1e-9)
    across = 1 - eta * 1.0  # λmax = 1 for every κ
    expected = "diverge" if abs(across) > 1 else "zigzag" if across < 0 else "smooth"
    assert L.get("ravine").answer(v) == expected
    reach = np.flatnonzero(np.linalg.norm(closed, axis=1) < L.RAVINE_TOL)
    if int(run.diverged_at) < 0:
        assert L._reach(v, "sgd", L.RAVINE_TOL) == (int(reach[0]) if reach.size else -1)


def test_ravine_words_quote_the_factors_of_the_run_shown():
    text = " ".join(words.why(view("ravine", learning_rate=1.5, kappa=20.0)))
    assert "1 − ηλmax = −0.5" in text and "1 − ηλmin = 0.925" in text and "2/λmax = 2" in text


# ------------------------------------------------------------------------------------------------ 2 momentum
def floor_direction(angle=30.0):
    return np.array([math.cos(math.radians(angle)), math.sin(math.radians(angle))])


@pytest.mark.parametrize("mu,eta", [(0.95, 0.3), (0.9, 0.3), (0.5, 0.3), (0.9, 1.0)])
def test_momentum_is_the_heavy_ball_and_its_overshoot_is_counted_on_the_floor(mu, eta):
    v = view("momentum", momentum=mu, learning_rate=eta)
    a = valley_hessian()
    ours = heavy_ball(lambda x: a @ x, valley_start(), eta, mu, 200)
    np.testing.assert_allclose(v.runs["momentum"].xy, ours, atol=1e-9)
    along = ours @ floor_direction()
    passes = measure.sign_changes(along)
    assert L._floor_passes(v, "momentum")[0] == passes
    assert L.get("momentum").answer(v) == ("overshoot" if passes else "stop")


def test_momentums_reveal_says_complex_roots_exactly_when_the_discriminant_is_negative():
    for mu, complex_roots in ((0.95, True), (0.5, False)):
        text = " ".join(words.why(view("momentum", momentum=mu)))
        lam, eta = 0.01, 0.3
        assert ((1 + mu - eta * lam) ** 2 < 4 * mu) == complex_roots
        assert ("complex roots" in text) == complex_roots


# ------------------------------------------------------------------------------------------------ 3 Nesterov
@pytest.mark.parametrize("eta", [0.3, 0.5, 1.4])
def test_nesterov_against_the_cs231n_formula_and_who_arrives_first(eta):
    v = view("nesterov", learning_rate=eta)
    a = valley_hessian()
    mom = heavy_ball(lambda x: a @ x, valley_start(), eta, L.NESTEROV_MU, 200)
    nes = nesterov(lambda x: a @ x, valley_start(), eta, L.NESTEROV_MU, 200)
    np.testing.assert_allclose(v.runs["momentum"].xy, mom, atol=1e-8)
    if int(v.runs["nesterov"].diverged_at) < 0:
        np.testing.assert_allclose(v.runs["nesterov"].xy, nes, atol=1e-8)
    first = [int(np.flatnonzero(np.linalg.norm(p, axis=1) < L.NESTEROV_TOL)[0])
             if (np.linalg.norm(p, axis=1) < L.NESTEROV_TOL).any() else -1 for p in (mom, nes)]
    if int(v.runs["nesterov"].diverged_at) >= 0:
        first[1] = -1
        # Above Nesterov's closed-form limit 2(1 + μ)/((1 + 2μ)λmax), below momentum's 2(1 + μ)/λmax.
        assert analytic.learning_rate_limit("nesterov", 1.0, 0.01, momentum=0.9) < eta
        assert eta < analytic.learning_rate_limit("momentum", 1.0, 0.01, momentum=0.9)
    assert L._arrivals(v) == tuple(first)
    m, n = first
    expected = ("neither" if m < 0 and n < 0 else "momentum" if n < 0 or (0 <= m < n) else
                "nesterov" if m < 0 or n < m else "same")
    assert L.get("nesterov").answer(v) == expected


# ------------------------------------------------------------------------------------------------ 4 AdaGrad, RMSProp
@pytest.mark.parametrize("angle", [30.0, 0.0, -60.0])
def test_adagrad_and_rmsprop_first_steps_are_diagonal_as_their_formulas_say(angle):
    v = view("adaptive", angle=angle)
    a, x0 = valley_hessian(angle=angle), valley_start(angle)
    g = a @ x0
    adagrad = x0 - 1.5 * g / (np.sqrt(g * g) + 1e-7)  # c₁ = g², course form √c + ε
    rmsprop = x0 - 0.1 * g / (np.sqrt(0.1 * g * g) + 1e-8)  # c₁ = (1 − ρ)g², ρ = 0.9
    np.testing.assert_allclose(v.runs["adagrad"].xy[1], adagrad, atol=1e-9)
    np.testing.assert_allclose(v.runs["rmsprop"].xy[1], rmsprop, atol=1e-9)
    assert abs(abs(adagrad - x0)[0] - abs(adagrad - x0)[1]) < 1e-5  # a diagonal up to ε/|gᵢ|, whatever g is
    assert L.get("adaptive").answer(v) == "diagonal"


def test_adagrad_over_the_whole_run_is_the_course_formula():
    v = view("adaptive", angle=0.0)
    a = valley_hessian(angle=0.0)

    def step(t, x, c):
        g = a @ x
        c = (0.0 if c is None else c) + g * g
        return x - 1.5 * g / (np.sqrt(c) + 1e-7), c

    np.testing.assert_allclose(v.runs["adagrad"].xy, iterate(step, valley_start(0.0), 200), atol=1e-9)


def test_the_question_is_right_that_the_gradient_at_the_start_points_mostly_across_the_floor_at_every_angle():
    """Lesson 4 asks, for the φ on the slider, about a gradient that "points mostly across the floor": at every φ the
    slider offers, ∇f(x₀) = A x₀ is within 45° of the across-floor direction (−sin φ, cos φ)."""
    c = next(c for c in L.get("adaptive").controls if c.name == "angle")
    step = controls.linear_step(c.lo, c.hi)
    for angle in np.arange(c.lo, c.hi + step / 2, step):
        x0 = valley_start(angle)
        np.testing.assert_allclose(view("adaptive", angle=float(angle)).setup.start, x0, atol=1e-12)
        g = valley_hessian(100.0, angle) @ x0
        across = np.array([-math.sin(math.radians(angle)), math.cos(math.radians(angle))])
        assert abs(g @ across) / np.linalg.norm(g) > math.cos(math.radians(45.0)), angle


# ------------------------------------------------------------------------------------------------ 5 Adam
@pytest.mark.parametrize("bias_correction,b2", [(False, 0.999), (False, 0.99), (False, 0.9), (True, 0.999)])
def test_adams_first_step_is_the_closed_form(bias_correction, b2):
    v = view("adam", bias_correction=bias_correction, b2=b2)
    closed = 1.0 if bias_correction else (1 - 0.9) / math.sqrt(1 - b2)
    np.testing.assert_allclose(L._adam_ratio(v), closed, rtol=1e-6)
    expected = "shorter" if closed < 0.5 else "longer" if closed > 2 else "eta"
    assert L.get("adam").answer(v) == expected
    assert L.get("adam").goal(v).met == (abs(closed - 1) <= L.ADAM_TOLERANCE)


def test_adam_over_the_whole_run_is_kingma_and_bas_rule():
    v = view("adam")  # bias correction off, β₂ = 0.999
    a = valley_hessian()

    def step(t, x, s):
        m, u = (np.zeros(2), np.zeros(2)) if s is None else s
        g = a @ x
        m, u = 0.9 * m + 0.1 * g, 0.999 * u + 0.001 * g * g
        return x - L.ADAM_ETA * m / (np.sqrt(u) + 1e-8), (m, u)

    np.testing.assert_allclose(v.runs["adam"].xy, iterate(step, valley_start(), 200), atol=1e-8)


# ------------------------------------------------------------------------------------------------ 6 AdamW, LAMB
def test_lambs_every_step_is_eta_times_the_norm_of_x_as_the_trust_ratio_says():
    for eta in (0.02, 0.1):
        v = view("lamb", learning_rate=eta)
        xy = np.asarray(v.runs["lamb"].xy)
        steps = np.linalg.norm(np.diff(xy, axis=0), axis=1)
        np.testing.assert_allclose(steps, eta * np.linalg.norm(xy[:-1], axis=1), rtol=1e-9)
        assert L.get("lamb").answer(v) == "shrinking"


def test_lamb_over_the_whole_run_is_you_et_als_rule():
    v = view("lamb", learning_rate=0.1)
    a = valley_hessian()

    def step(t, x, s):
        m, u = (np.zeros(2), np.zeros(2)) if s is None else s
        g = a @ x
        m, u = 0.9 * m + 0.1 * g, 0.999 * u + 0.001 * g * g
        r = (m / (1 - 0.9**t)) / (np.sqrt(u / (1 - 0.999**t)) + 1e-6)
        ratio = np.linalg.norm(x) / np.linalg.norm(r)
        return x - 0.1 * ratio * r, (m, u)

    np.testing.assert_allclose(v.runs["lamb"].xy, iterate(step, valley_start(), 200), atol=1e-9)


# ------------------------------------------------------------------------------------------------ 7 schedules
def rmsprop_booth(eta_t, steps=200):
    """RMSProp (optax: ε outside the root, ρ = 0.9) on Booth, η_t from the schedule function."""
    def grad(p):
        x, y = p
        return np.array([2 * (x + 2 * y - 7) + 4 * (2 * x + y - 5), 4 * (x + 2 * y - 7) + 2 * (2 * x + y - 5)])

    def step(t, x, c):
        g = grad(x)
        c = 0.9 * (0.0 if c is None else c) + 0.1 * g * g
        return x - eta_t(t - 1) * g / (np.sqrt(c) + 1e-8), c

    return iterate(step, (-7.0, -6.0), steps)


def warmup_cosine(eta, steps=200, warmup=0.1, alpha=0.0):
    """The schedule's formula as the page shows it: ηt/W before W = ⌊wN⌋, then a cosine from η to αη."""
    w = math.floor(warmup * steps)

    def at(t):
        if t < w:
            return eta * t / w
        return eta * (alpha + (1 - alpha) * 0.5 * (1 + math.cos(math.pi * min(t - w, steps - w) / (steps - w))))
    return at


def test_rmsprop_hovers_with_a_constant_eta_and_settles_with_warm_up_and_cosine():
    constant = view("schedules")
    ours = rmsprop_booth(lambda t: 0.3)
    np.testing.assert_allclose(constant.runs["rmsprop"].xy, ours, atol=1e-8)
    tail = np.linalg.norm(ours[-L.SCHEDULE_LAST:] - (1.0, 3.0), axis=1)
    assert tail.max() > L.SCHEDULE_TOL and L.get("schedules").answer(constant) == "hovering"
    scheduled = solved("schedules")
    ours = rmsprop_booth(warmup_cosine(0.3))
    np.testing.assert_allclose(scheduled.runs["rmsprop"].xy, ours, atol=1e-8)
    assert np.linalg.norm(ours[-L.SCHEDULE_LAST:] - (1.0, 3.0), axis=1).max() < L.SCHEDULE_TOL
    assert L.get("schedules").answer(scheduled) == "settled"


# ------------------------------------------------------------------------------------------------ 8 critical points
def test_the_runs_that_head_back_count_the_positive_eigenvalues_of_the_hessian():
    v = view("critical")
    for i, point in enumerate(v.extra["critical"]):
        lam, vec = np.linalg.eigh(himmelblau_hessian(point.xy))
        np.testing.assert_allclose(lam, point.eigenvalues, rtol=1e-6, atol=1e-6)
        at = view("critical", point=str(i))
        back = sum(measure.came_back(at.runs[label].xy, point.xy, L.DELTA) for label in L.NUDGES)
        assert back == 2 * int(np.sum(lam > 0))
        expected = {4: "all", 2: "two", 0: "none"}[back]
        assert L.get("critical").answer(at) == expected
        # and the runs are gradient descent with the hand-written gradient
        start = np.asarray(point.xy) + L.DELTA * vec[:, 0] * np.sign(vec[:, 0] @ point.eigenvectors[:, 0])
        ours = iterate(lambda t, x, s: (x - L.NUDGE_ETA * himmelblau_grad(x), s), start, L.NUDGE_STEPS)
        np.testing.assert_allclose(at.runs["+v₁"].xy[:20], ours[:20], atol=1e-6)


def test_the_reveal_is_right_that_a_positive_eigenvalues_factor_is_below_one_in_size_at_every_point():
    """Lesson 8's reveal says that along an eigenvector with λ > 0 each step multiplies the offset by 1 − ηλ, "less
    than 1 here", so the run returns, and by 1 + η|λ| > 1 where λ < 0: at each of the nine points of the menu, from
    the Hessian written by hand, 0 < ηλ < 2 (|1 − ηλ| < 1) for every positive eigenvalue."""
    points = view("critical").extra["critical"]
    assert len(points) == len(next(c for c in L.get("critical").controls if c.name == "point").options)
    for point in points:
        lam = np.linalg.eigvalsh(himmelblau_hessian(point.xy))
        assert np.all(lam != 0)
        positive = lam[lam > 0]
        assert np.all(np.abs(1 - L.NUDGE_ETA * positive) < 1), (point.xy, lam)
        assert np.all(1 + L.NUDGE_ETA * np.abs(lam[lam < 0]) > 1)


# ------------------------------------------------------------------------------------------------ 9 saddles, noise
def test_without_noise_gradient_descent_sits_on_the_saddle_as_the_closed_form_says():
    v = view("saddles")
    eta = 0.05
    xy = np.asarray(v.runs["sgd"].xy)
    t = np.arange(len(xy))
    np.testing.assert_allclose(xy[:, 0], -1.8 * (1 - 2 * eta) ** t, atol=1e-12)
    assert np.all(xy[:, 1] == 0.0)
    assert L.get("saddles").answer(v) == "stuck"


def test_with_noise_it_leaves_along_the_negative_eigenvector():
    v = solved("saddles")
    n = L._saddle_numbers(v)
    assert n["away"] and n["below"] and L.get("saddles").answer(v) == "escape"
    assert measure.angle_between(n["end"], (0.0, 1.0)) < 1.0  # v₁ of H = diag(2, −2)


# ------------------------------------------------------------------------------------------------ 10 Newton
@pytest.mark.parametrize("start,kind", [((3.0, 0.5), "saddle"), ((3.2, 1.6), "minimum"), ((0.5, 0.5), "maximum")])
def test_newton_goes_where_the_quadratic_model_is_flat(start, kind):
    v = view("newton", x0=start[0], y0=start[1])
    ours = iterate(lambda t, x, s: (x - np.linalg.solve(himmelblau_hessian(x), himmelblau_grad(x)), s), start,
                   L.NEWTON_STEPS)
    np.testing.assert_allclose(v.runs["newton"].xy[-1], ours[-1], atol=1e-8)
    lam = np.linalg.eigvalsh(himmelblau_hessian(ours[-1]))
    assert np.linalg.norm(himmelblau_grad(ours[-1])) < 1e-8
    assert kind == ("minimum" if lam[0] > 0 else "maximum" if lam[1] < 0 else "saddle")
    assert L.get("newton").answer(v) == kind


# ------------------------------------------------------------------------------------------------ 11 gradient check
def test_the_gradient_check_is_the_centred_difference_of_the_notes():
    v = view("gradient_check")
    check = v.extra["check"]
    x = np.array(L.CHECK_POINT)
    f = lambda p: (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2  # noqa: E731
    exact = np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)])
    np.testing.assert_allclose(check.analytic, exact, rtol=1e-12)
    for h, error in zip(check.hs, check.errors):
        numeric = np.array([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(2)])
        ours = np.linalg.norm(exact - numeric) / (np.linalg.norm(exact) + np.linalg.norm(numeric))
        if h >= 1e-4:  # truncation decides: both compute the same number to a few digits
            assert ours == pytest.approx(error, rel=1e-3)
    assert L.get("gradient_check").answer(v) == "middle"
    assert [float(h) for h in L.CHECK_HS] == pytest.approx(list(check.hs), rel=5e-3)


# ------------------------------------------------------------------------------------------------ 12 random search
def test_random_search_tries_every_value_once_and_the_grid_only_its_square_root():
    for budget, seed in (("9", 0), ("16", 3)):
        v = view("random_search", budget=budget, seed=seed)
        s = v.extra["search"]
        k = math.isqrt(int(budget))
        assert len(np.unique(s.grid_x)) == k and len(np.unique(s.random_x)) == int(budget)


def test_the_searchs_runs_are_adam_and_the_winner_is_read_off_them():
    v = view("random_search")
    s = v.extra["search"]
    a = valley_hessian()

    def adam_loss(eta, eps):
        def step(t, x, st):
            m, u = (np.zeros(2), np.zeros(2)) if st is None else st
            g = a @ x
            m, u = 0.9 * m + 0.1 * g, 0.999 * u + 0.001 * g * g
            return x - eta * (m / (1 - 0.9**t)) / (np.sqrt(u / (1 - 0.999**t)) + eps), (m, u)
        x = iterate(step, valley_start(), 200)[-1]
        return 0.5 * x @ a @ x

    grid = [adam_loss(e, p) for e, p in zip(s.grid_x, s.grid_y)]
    rand = [adam_loss(e, p) for e, p in zip(s.random_x, s.random_y)]
    np.testing.assert_allclose(s.grid_loss, grid, rtol=1e-4, atol=1e-14)
    np.testing.assert_allclose(s.random_loss, rand, rtol=1e-4, atol=1e-14)
    ours = "random" if min(rand) < min(grid) else "grid"
    assert L.get("random_search").answer(v) == ours
    assert lab.best_index(np.asarray(s.random_loss), s.random_converged_at, s.random_diverged) == int(np.argmin(rand))


# ------------------------------------------------------------------------------------------------ 13 the ODE
def flow_closed_form(t, kappa=100.0, angle=30.0):
    """x(t) = Rᵀ diag(e^(−t/κ), e^(−t)) R x₀: the gradient flow of the valley."""
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    rot = np.array([[c, s], [-s, c]])
    u0 = rot @ valley_start(angle)
    return np.stack([rot.T @ (np.exp(-np.array([1 / kappa, 1.0]) * ti) * u0) for ti in np.atleast_1d(t)])


@pytest.mark.parametrize("eta", [1.8, 0.1])
def test_the_flow_is_the_closed_form_and_the_gap_is_measured_against_it(eta):
    v = view("ode", learning_rate=eta)
    flow = np.asarray(v.extra["flow"])
    times = np.linspace(0, 200 * eta, len(flow))
    np.testing.assert_allclose(flow, flow_closed_form(times), atol=1e-7)
    closed_gap = np.max(np.linalg.norm(gd_quadratic(valley_hessian(), valley_start(), eta, 200)
                                       - flow_closed_form(np.arange(201) * eta), axis=1))
    assert measure.gap_to_flow(v.runs["sgd"].xy, flow, eta)[0] == pytest.approx(closed_gap, abs=1e-6)
    assert L.get("ode").answer(v) == "smooth"  # e^(−t) never changes sign
