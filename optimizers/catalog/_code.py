"""How to write each optimizer whose factory is not a public optax function as plain optax code
(`OptimizerSpec.code`, used by `optimizers.codegen`): one function per optimizer, named after it, from its
hyperparameters to a `Recipe`."""

from __future__ import annotations

from ..codegen import Recipe, kwargs, value

_ADAGRAD_TX = '''
def scale_by_adagrad(eps, initial_accumulator_value):
    """c <- c + g**2; g / (sqrt(c) + eps): the course form (optax.scale_by_rss puts eps inside the root)."""

    def init(params):
        return jnp.full_like(params, initial_accumulator_value)

    def update(updates, c, params=None):
        c = c + updates * updates
        return updates / (jnp.sqrt(c) + eps), c

    return optax.GradientTransformation(init, update)
'''

_ADAM_TX = '''
def scale_by_uncorrected_adam(b1, b2, eps):
    """m / (sqrt(v) + eps) without bias correction (optax.scale_by_adam always corrects)."""

    def init(params):
        return (jnp.zeros_like(params), jnp.zeros_like(params))

    def update(updates, state, params=None):
        m, v = state
        m = b1 * m + (1 - b1) * updates
        v = b2 * v + (1 - b2) * updates * updates
        return m / (jnp.sqrt(v) + eps), (m, v)

    return optax.GradientTransformation(init, update)
'''


def adagrad(hp: dict) -> Recipe:
    if hp["eps_in_sqrt"]:
        return Recipe(f"optax.chain(optax.scale_by_rss(initial_accumulator_value="
                      f"{value(hp['initial_accumulator_value'])}, eps={value(hp['eps'])}), "
                      f"optax.scale_by_learning_rate(learning_rate))")
    return Recipe(f"optax.chain(scale_by_adagrad(eps={value(hp['eps'])}, initial_accumulator_value="
                  f"{value(hp['initial_accumulator_value'])}), optax.scale_by_learning_rate(learning_rate))",
                  _ADAGRAD_TX)


def adam(hp: dict) -> Recipe:
    if hp["bias_correction"]:
        return Recipe(f"optax.adam(learning_rate, {kwargs(hp, ('learning_rate', 'bias_correction'))})")
    return Recipe(f"optax.chain(scale_by_uncorrected_adam(b1={value(hp['b1'])}, b2={value(hp['b2'])}, "
                  f"eps={value(hp['eps'])}), optax.scale_by_learning_rate(learning_rate))", _ADAM_TX)


def _schedule_free(kind: str):
    def recipe(hp: dict) -> Recipe:
        return Recipe(f"optax.contrib.schedule_free_{kind}(learning_rate, {kwargs(hp)})",
                      report="optax.contrib.schedule_free_eval_params(state, params)", extras=(),
                      gradient_at_params_without_noise=True)
    return recipe


def momentum(hp: dict) -> Recipe:
    return Recipe(f"optax.chain(optax.scale_by_learning_rate(learning_rate), "
                  f"optax.trace(decay={value(hp['momentum'])}))")


def nesterov(hp: dict) -> Recipe:
    # trace(nesterov=True) returns u + μ v' with v' = u + μ v: the course's −μ v + (1 + μ) v', rearranged.
    return Recipe(f"optax.chain(optax.scale_by_learning_rate(learning_rate), "
                  f"optax.trace(decay={value(hp['momentum'])}, nesterov=True))")


def lbfgs(hp: dict) -> Recipe:
    return Recipe(f"optax.lbfgs(learning_rate, {kwargs(hp)})",
                  extras=(("value", "value"), ("grad", "grad"), ("value_fn", "f")))


def noisy_sgd(hp: dict) -> Recipe:
    return Recipe(f"optax.noisy_sgd(learning_rate, {kwargs(hp)}, key=0)")


def optimistic_adam(hp: dict) -> Recipe:
    return Recipe(f"optax.optimistic_adam_v2(learning_rate, {kwargs(hp)})")


def rprop(hp: dict) -> Recipe:
    return Recipe(f"optax.rprop(learning_rate, {kwargs(hp)})")


def sm3(hp: dict) -> Recipe:
    return Recipe(f"optax.chain(optax.scale_by_sm3(b1={value(hp['momentum'])}), "
                  f"optax.scale_by_learning_rate(learning_rate))")


def _with_betas(path: str):
    def recipe(hp: dict) -> Recipe:
        return Recipe(f"{path}(learning_rate, betas=({value(hp['b1'])}, {value(hp['b2'])}), "
                      f"{kwargs(hp, ('learning_rate', 'b1', 'b2'))})")
    return recipe


dadapt_adamw = _with_betas("optax.contrib.dadapt_adamw")
prodigy = _with_betas("optax.contrib.prodigy")


def mechanize(hp: dict) -> Recipe:
    return Recipe(f"optax.contrib.mechanize(optax.sgd(learning_rate), {kwargs(hp)})")


def sophia(hp: dict) -> Recipe:
    return Recipe(f"optax.contrib.sophia(learning_rate, {kwargs(hp)})", extras=(("obj_fn", "f"),))


def sam(hp: dict) -> Recipe:
    # optax's SAM recipe in opaque mode: the adversary is normalized SGD ascent of radius rho.
    return Recipe(f"optax.contrib.sam(optax.sgd(learning_rate), optax.chain(optax.contrib.normalize(), "
                  f"optax.sgd({value(hp['rho'])})), sync_period=2, opaque_mode=True)",
                  extras=(("grad_fn", "lambda p, _: jax.grad(f)(p)"),))


schedule_free_sgd = _schedule_free("sgd")
schedule_free_adamw = _schedule_free("adamw")
