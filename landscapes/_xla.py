"""XLA settings that must be in place before JAX starts its CPU backend (it reads ``XLA_FLAGS`` once).

- ``xla_cpu_small_while_loop_byte_threshold``: XLA:CPU compiles a ``while`` loop into one kernel only when an
  iteration touches under 1 kB; above that every operation of every step is dispatched separately, which made a
  1000-step run 3-5x slower here (benchmarks/engine.py).  Our loop carries (x, optimizer state, ~6 records).
- ``xla_force_host_platform_device_count``: one JAX device per core, so `optimizers.sweep` shards its configuration
  axis over every core exactly as it does over several GPUs.
- ``xla_cpu_parallel_codegen_split_count=1``: XLA:CPU splits each program's LLVM module into parts (to compile them
  on several threads) and loads every part's code, constants and data as separate memory mappings: ~117 per
  runner of the shared family here.  Linux allows a process ``vm.max_map_count`` (65530) of them; the test
  process, which keeps thousands of programs, reached it, and LLVM's "Cannot allocate memory" became a
  segmentation fault (CI of stop 34; reproduced by filling the maps first).  One part: ~24 mappings per runner
  (tests/test_bounded.py), the same compile time on two cores (7.2 s against 7.6 s for a new step count's six
  runners), the same code.

Flags the user already set win: each is added only when ``XLA_FLAGS`` does not mention it.

`fast_compile` is the per-program counterpart: options for ``jax.jit(..., compiler_options=...)`` that trade a
little run time for a much cheaper compile, for programs that run once or a few times per slider move.
"""

import os

_FLAGS = {
    "--xla_backend_extra_options": "xla_cpu_small_while_loop_byte_threshold=262144",
    "--xla_force_host_platform_device_count": str(max(1, os.cpu_count() or 1)),
    "--xla_cpu_parallel_codegen_split_count": "1",
}


def configure() -> None:
    """Add the flags above to ``XLA_FLAGS`` unless already present (call before the first JAX computation)."""
    flags = os.environ.get("XLA_FLAGS", "")
    for name, value in _FLAGS.items():
        if name not in flags:
            flags = f"{flags} {name}={value}".strip()
    os.environ["XLA_FLAGS"] = flags


def fast_compile() -> dict | None:
    """XLA:CPU options for programs whose compile, not their run, is what a visitor waits for: the classic fusion
    emitters at LLVM -O0.  Measured here: the default page's six 200-step runners compiled in 1.1 s of XLA time
    instead of 3.1 s, and each still runs in ~0.5 ms; Himmelblau's Newton atlas 0.31 s instead of 0.89 s (a warm
    run ~9 ms instead of ~2 ms).  None (the defaults) on other backends."""
    import jax

    if jax.default_backend() != "cpu":
        return None
    return {"xla_cpu_use_fusion_emitters": False, "xla_backend_optimization_level": 0}
