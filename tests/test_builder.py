"""Optimizers built from optax blocks (`optimizers.builder`): each preset chain runs the catalog optimizer's
trajectory to 1e-12 on two surfaces, the optax code shown for a chain, executed, runs the engine's trajectory, a
slider move never recompiles, equal chains share one runner, and every invalid chain is refused with its reason."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
import pytest

import landscapes
from optimizers import builder, catalog, codegen, engine, presets, programs
from tests.counting import CompileCounter

SURFACES = ("rosenbrock", "himmelblau")
STEPS = 150


def path(surface: str, name: str, **hp) -> np.ndarray:
    land = landscapes.get(surface)
    return engine.run(land, name, start=land.start, steps=STEPS, **hp).xy


# Each preset, with the values the catalog entry opens with on the surface (`optimizers.presets`: stable there) and
# with other values on top (every hyperparameter the two share).
CASES = [
    ("sgd", {}), ("sgd", {"learning_rate": 3e-4}),
    ("momentum", {}), ("momentum", {"learning_rate": 2e-4, "momentum": 0.7}),
    ("rmsprop", {}), ("rmsprop", {"learning_rate": 0.02, "decay": 0.8, "eps": 1e-6, "eps_in_sqrt": True}),
    ("adam", {}), ("adam", {"learning_rate": 0.03, "b1": 0.8, "b2": 0.99, "eps": 1e-6}),
    ("adam", {"bias_correction": False}),
    ("adamw", {}), ("adamw", {"learning_rate": 0.05, "weight_decay": 0.05, "b1": 0.85}),
    ("lamb", {}), ("lamb", {"learning_rate": 0.02, "weight_decay": 0.01, "eps": 1e-4}),
]


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("preset,hp", CASES, ids=[f"{p}{'+' if h else ''}" for p, h in CASES])
def test_each_preset_chain_runs_the_catalog_optimizers_trajectory(surface, preset, hp):
    p = builder.PRESETS[preset]
    chain = builder.name(p.codes)
    assert builder.twin(chain, hp) == p.catalog
    hp = {**presets.defaults(landscapes.get(surface), p.catalog), **hp}
    ours, theirs = path(surface, chain, **hp), path(surface, p.catalog, **hp)
    assert np.all(np.isfinite(ours)) and not np.allclose(ours[-1], ours[0])  # it went somewhere
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


def test_a_preset_chain_opens_with_its_catalog_twins_values_on_each_surface():
    for surface in ("elongated_valley", "rosenbrock", "saddle"):
        land = landscapes.get(surface)
        for key, p in builder.PRESETS.items():
            ours = presets.defaults(land, builder.name(p.codes))
            theirs = presets.defaults(land, p.catalog)
            assert {k: v for k, v in ours.items() if k in theirs} == theirs, (surface, key)


CODE_CASES = [
    (("clip", "adam", "lr"), {"max_norm": 0.5, "learning_rate": 0.05}),
    (("adam", "lr"), {"bias_correction": False, "learning_rate": 0.05}),
    (("lr", "trace"), {"nesterov": True, "learning_rate": 2e-4}),
    (("rms", "trace", "lr"), {"eps_in_sqrt": True, "learning_rate": 0.005}),
    (("sign", "wd", "lr"), {"learning_rate": 0.01, "weight_decay": 0.02}),
    (("adam", "wd", "trust", "lr"), {"learning_rate": 0.02, "trust_coefficient": 0.5}),
    (("rms", "adam", "lr"), {"eps": 1e-4, "adam_eps": 1e-7, "learning_rate": 0.05}),
]


@pytest.mark.parametrize("codes,hp", CODE_CASES, ids=["-".join(c) for c, _ in CODE_CASES])
def test_the_optax_code_shown_for_a_chain_runs_the_same_trajectory(codes, hp):
    name = builder.name(codes)
    land = landscapes.get("rosenbrock")
    steps = 12
    code = codegen.optax_code(name, hp, steps=steps, start=land.start)
    assert "optax.chain(" in code and "catalog" not in code  # plain optax, not this app's factory
    namespace: dict = {}
    exec(compile(code, f"<optax snippet {name}>", "exec"), namespace)  # the test, never the app, executes it
    got = np.asarray(namespace["run"](land.f))
    want = engine.run(land, name, start=land.start, steps=steps, **hp).xy
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-13)


def test_moving_a_blocks_slider_does_not_recompile():
    land = landscapes.shared_family(landscapes.get("himmelblau"))
    name = builder.name(("clip", "adam", "wd", "lr"))
    engine.run(land, name, steps=100, learning_rate=0.05)
    with CompileCounter() as counter:
        for hp in ({"max_norm": 0.3}, {"b1": 0.5, "b2": 0.9}, {"eps": 1e-3, "weight_decay": 0.05},
                   {"learning_rate": 0.2}):
            engine.run(land, name, steps=100, **hp)
    assert counter.compiles == 0 and counter.traces == 0
    # a switch is structure, like the catalog's: it compiles once
    with CompileCounter() as counter:
        engine.run(land, name, steps=100, bias_correction=False)
    assert counter.traces == 1


def test_equal_chains_share_one_runner():
    land = landscapes.shared_family(landscapes.get("booth"))
    name = builder.name(("trace", "rms", "lr"))
    engine.run(land, name, steps=50)
    held = len(programs.BUILTINS)
    first = builder.spec(name)
    builder.spec.cache_clear()  # a rebuilt spec is equal, so it finds the same runner
    again = builder.spec(name)
    assert again is not first and again == first and hash(again) == hash(first)
    with CompileCounter() as counter:
        engine.run(land, name, steps=50, learning_rate=0.3)
    assert counter.compiles == 0 and len(programs.BUILTINS) == held


def test_hyperparameters_are_optax_names_and_shared_names_get_the_block():
    spec = catalog.get("chain:rms-adam-lr")
    assert [h.name for h in spec.hyperparams] == ["decay", "eps", "eps_in_sqrt", "b1", "b2", "adam_eps",
                                                  "bias_correction", "learning_rate"]
    assert {h.name: h.kind for h in spec.hyperparams}["bias_correction"] == "bool"
    assert spec.per_coordinate and not catalog.get("chain:clip-lr").per_coordinate
    assert spec.takes_schedule and catalog.get("chain:adam-lr").step_scale == "length"


def test_the_update_rule_follows_the_blocks_and_their_switches():
    assert catalog.latex_for("chain:adam-lr") != catalog.latex_for("chain:adam-lr", bias_correction=False)
    assert r"\frac{m_t}{\sqrt{v_t}" in catalog.latex_for("chain:adam-lr", bias_correction=False)
    nesterov = catalog.latex_for("chain:lr-trace", nesterov=True)
    assert r"u \leftarrow u + \mu\, b_t" in nesterov
    rule = catalog.get("chain:clip-sign-lr").latex
    assert rule.index(r"\min") < rule.index(r"\operatorname{sign}") < rule.index(r"-\eta_t")
    assert r"\epsilon_{\mathrm{adam}}" in catalog.get("chain:rms-adam-lr").latex


@pytest.mark.parametrize("codes,problem", [
    (("adam", "nope", "lr"), "unknown"), (("adam", "adam", "lr"), "repeated"), (("adam",), "no_lr"),
    ((), "empty"), (("clip", "trace", "rms", "adam", "sign", "wd", "lr"), "too_many"),
])
def test_invalid_chains_are_refused_with_their_reason(codes, problem):
    assert problem in [code for code, _ in builder.problems(codes)]
    with pytest.raises(KeyError, match=problem):
        catalog.get(builder.name(codes))


def test_twins_need_the_same_blocks_order_and_switches():
    assert builder.twin("chain:adam-lr") == "adam"
    assert builder.twin("chain:lr-adam") is None  # η first, then Adam's normalisation undoes it
    assert builder.twin("chain:lr-trace", {"nesterov": True}) is None
    assert builder.twin("chain:adam-wd-lr", {"bias_correction": False}) is None
    assert builder.twin("chain:adam-wd-trust-lr", {"trust_coefficient": 2.0}) is None
    assert builder.twin("adam") is None and builder.twin("chain:bogus") is None


def test_a_chain_without_the_learning_rate_block_would_climb():
    # Why `no_lr` is refused: optax adds the updates, and only scale_by_learning_rate flips the sign.
    tx = builder._Chain(("adam",), builder._names(("adam",)))(b1=0.9, b2=0.999, eps=1e-8, bias_correction=True)
    x = jnp.asarray([1.0, 1.0])
    u, _ = tx.update(2 * x, tx.init(x), x)  # the gradient of ‖x‖²
    assert float(u @ (2 * x)) > 0
