"""Bounded memory: every cache has a size limit, and nothing outside those caches keeps a typed surface alive.

A public server meets a storm of distinct typed expressions.  Each one is a new Python function ``fn(xy, theta)``;
everything compiled for it (the runner, the grid, the critical-point search, the flows) hangs off that function.
Memory stays bounded only if every place that keeps such a function is an LRU with a size limit.  The AST scan
checks the Streamlit caches; the weakref tests check that once our own LRUs let a surface go (here: cleared, the
same as evicted), no module-level ``jax.jit`` with the function as a *static* argument still holds it (JAX's own
jit caches keep static arguments strongly, up to thousands of entries, so they are not a bound).
"""

from __future__ import annotations

import ast
import gc
import importlib
import json
import os
import pathlib
import subprocess
import sys
import textwrap
import weakref

import numpy as np
import pytest

import landscapes
from landscapes import analysis, expression

ROOT = pathlib.Path(__file__).resolve().parents[1]
UI_DIRS = ("app_pages", "components")
CACHES = {"cache_data", "cache_resource"}
from optimizers import engine as run_module
from optimizers import programs


# ------------------------------------------------------------------------------------------------ the AST scan
def _cache_name(node: ast.AST) -> str | None:
    """'cache_data' / 'cache_resource' when ``node`` is ``st.cache_data`` / ``streamlit.cache_resource`` / ..."""
    if isinstance(node, ast.Attribute) and node.attr in CACHES:
        return node.attr
    if isinstance(node, ast.Name) and node.id in CACHES:  # from streamlit import cache_data
        return node.id
    return None


def _positive(node) -> bool:
    return (isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool)
            and node.value > 0)


DECORATOR = "components/cache.py"
"""The one file allowed to pass st.cache_* a ``max_entries`` variable: its decorators (`cache.resource`,
`cache.data`) take the bound as their first argument, a literal at every use (checked below) and refused at run
time unless positive (`test_the_cache_decorators_refuse_an_unbounded_cache`)."""


def unbounded_caches(source: str, filename: str = "<string>") -> list[str]:
    """Every use of st.cache_data / st.cache_resource in ``source`` without a literal positive ``max_entries``
    (bare decorators, calls without the keyword, ``max_entries=None``), and every ``cache.resource`` /
    ``cache.data`` decorator without a literal positive bound."""
    tree = ast.parse(source, filename)
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    bad = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("resource", "data")
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "cache"):
            if not (node.args and _positive(node.args[0])):
                bad.append(f"{filename}:{node.lineno} cache.{node.func.attr} without a positive bound")
        elif isinstance(node, ast.Call) and _cache_name(node.func):
            kw = {k.arg: k.value for k in node.keywords}
            limit = kw.get("max_entries")
            ok = _positive(limit) or (filename == DECORATOR and isinstance(limit, ast.Name)
                                      and limit.id == "max_entries")
            if not ok:
                bad.append(f"{filename}:{node.lineno} {_cache_name(node.func)} without a positive max_entries")
        elif _cache_name(node) and id(node) not in called and not isinstance(getattr(node, "ctx", None), ast.Store):
            # A bare reference: `@st.cache_data` as a decorator or `st.cache_data(fn)` passed on.  `.clear()` on a
            # cached function is an Attribute named clear, not a cache name, so it is not caught here.
            bad.append(f"{filename}:{node.lineno} bare {_cache_name(node)} (no max_entries)")
    return bad


def _ui_files() -> list[pathlib.Path]:
    return sorted(p for d in UI_DIRS for p in (ROOT / d).rglob("*.py"))


def test_scanner_flags_unbounded_and_accepts_bounded_caches():
    flagged = unbounded_caches(
        "import streamlit as st\n"
        "@st.cache_data\ndef a(): ...\n"
        "@st.cache_resource()\ndef b(): ...\n"
        "@st.cache_data(ttl=60, max_entries=None)\ndef c(): ...\n"
        "@st.cache_resource(max_entries=8, ttl=60)\ndef d(): ...\n"
        "e = st.cache_data(max_entries=4)(len)\n"
        "a.clear()\n")
    assert [line.split()[0] for line in flagged] == ["<string>:2", "<string>:4", "<string>:6"]


def test_every_streamlit_cache_in_the_ui_has_max_entries():
    sources = {p.relative_to(ROOT).as_posix(): p.read_text() for p in _ui_files()}
    uses = sum(s.count("cache.resource(") + s.count("cache.data(") for s in sources.values())
    assert uses > 20, "the scan found few cached functions: have the UI's caches moved?"
    bad = [b for name, text in sources.items() for b in unbounded_caches(text, name)]
    assert bad == []


def test_the_cache_decorators_refuse_an_unbounded_cache():
    from components import cache

    for bad in (0, -1, None, 2.5, True):
        with pytest.raises(ValueError):
            cache.resource(bad)
        with pytest.raises(ValueError):
            cache.data(bad)
    assert unbounded_caches("@cache.resource(16)\ndef a(): ...\n@cache.data(n)\ndef b(): ...\n") == [
        "<string>:3 cache.data without a positive bound"]


# ------------------------------------------------------------------------------------------------ the LRUs
def test_expression_compiler_lru_is_bounded():
    size = expression.cache_info().maxsize
    assert size is not None and 0 < size <= 1024


def test_every_lru_of_compiled_runners_is_bounded():
    held = {id(v) for v in vars(programs).values() if isinstance(v, programs.Programs)}
    assert held and held == {id(c) for c in programs.CACHES}, "an LRU of runners is missing from programs.CACHES"
    assert all(0 < c.maxsize <= 1024 for c in programs.CACHES)


def test_an_lru_of_runners_keeps_at_most_maxsize_and_drops_the_oldest():
    lru = programs.Programs(maxsize=2)
    built = []
    original = programs.build
    try:
        programs.build = lambda *key: built.append(key) or object()
        a, b = lru.get("a"), lru.get("b")
        assert lru.get("a") is a and len(built) == 2  # a hit builds nothing and makes "a" the newest
        lru.get("c")  # evicts "b", the least recently used
        assert len(lru) == 2 and lru.get("a") is a and lru.get("b") is not b and len(built) == 4
    finally:
        programs.build = original
    lru.clear()
    assert len(lru) == 0


# ------------------------------------------------------------------------------------------------ no hidden keeper
def _typed(i: int) -> landscapes.Landscape:
    return landscapes.from_expression(f"{1 + i}*x**2 + 0.5*y**2 + 0.01*x*y*{i + 2}", ((-2.0, 2.0), (-2.0, 2.0)))


def _released(use) -> bool:
    """Build a fresh typed surface, ``use`` it, drop it and clear our own LRUs (every ``functools`` cache defined
    in the expression compiler, the runner, the analysis, its interval and float-range walks, and the flows): is
    its function gone?"""
    _typed.counter = getattr(_typed, "counter", 0) + 1
    land = _typed(1000 + _typed.counter)
    ref = weakref.ref(land.fn)
    use(land)
    del land
    for module in (expression, analysis, importlib.import_module("optimizers.flow"),
                   importlib.import_module("landscapes.intervals"), importlib.import_module("landscapes.floatrange")):
        for obj in list(vars(module).values()):  # our own functools LRUs only; JAX's caches are left alone
            if callable(getattr(obj, "cache_clear", None)) and getattr(obj, "__module__", "") == module.__name__:
                obj.cache_clear()
    programs.clear()  # the runner's own LRUs of compiled programs
    gc.collect()
    return ref() is None


def test_a_typed_surface_is_released_by_the_runner_once_its_lru_lets_go():
    assert _released(lambda land: run_module.run(land, "adam", start=(1.0, 1.0), steps=20))


@pytest.mark.parametrize("use", [
    pytest.param(lambda land: analysis.evaluate_grid(land, n=16), id="evaluate_grid"),
    pytest.param(lambda land: landscapes.critical_points(land), id="critical_points"),
    pytest.param(lambda land: landscapes.classify(land, np.array([0.1, 0.2])), id="classify"),
])
def test_a_typed_surface_is_released_by_the_analysis(use):
    # analysis.py jits with the surface function as a static argument: JAX's jit caches hold static arguments
    # strongly (up to 8192 entries per cache), so without an LRU of our own in front, every typed surface ever
    # analysed stays in memory with its compiled executables.
    assert _released(use)


def test_a_typed_surface_is_released_by_the_flows():
    flow = importlib.import_module("optimizers.flow")
    assert _released(lambda land: flow.gradient_flow(land, start=(1.0, 1.0), t_max=1.0, n_points=11))


MAPPINGS = textwrap.dedent("""
    import json
    import landscapes, optimizers
    def maps():
        with open("/proc/self/maps") as f:
            return sum(1 for _ in f)
    surface = landscapes.shared_family(landscapes.get("rosenbrock"))
    optimizers.run(surface, "sgd", steps=10)  # the backend and the family's tracing machinery
    names = ("momentum", "nesterov", "adam", "rmsprop")
    before = maps()
    for name in names:
        optimizers.run(surface, name, steps=300)
    print(json.dumps((maps() - before) / len(names)))
""")
MAPPINGS_PER_RUNNER = 40
"""Memory mappings one compiled runner may add (measured ~24 with `landscapes._xla`'s one codegen part, ~117 with
XLA's default split)."""


def _mappings_per_runner(xla_flags: str) -> float:
    env = {**os.environ, "JAX_PLATFORMS": "cpu", "XLA_FLAGS": xla_flags, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", MAPPINGS], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not pathlib.Path("/proc/self/maps").exists(), reason="counts Linux memory mappings")
def test_a_compiled_runner_adds_few_memory_mappings():
    # Linux caps a process at vm.max_map_count (65530) mappings; XLA:CPU's default codegen split loads each part of
    # a program separately, and a process holding thousands of programs ran out: LLVM's "Cannot allocate memory",
    # then a segmentation fault (the test suite, CI of stop 34).  The flag the user sets wins (`_xla.configure`),
    # which is how the default split is measured here.
    ours = _mappings_per_runner("")
    default_split = _mappings_per_runner("--xla_cpu_parallel_codegen_split_count=32")
    assert ours <= MAPPINGS_PER_RUNNER < default_split, (ours, default_split)
