"""XLA settings that must be in place before JAX starts its CPU backend (it reads ``XLA_FLAGS`` once).

- ``xla_cpu_small_while_loop_byte_threshold``: XLA:CPU compiles a ``while`` loop into one kernel only when an
  iteration touches under 1 kB; above that every operation of every step is dispatched separately, which made a
  1000-step run 3-5x slower here (benchmarks/engine.py).  Our loop carries (x, optimizer state, ~6 records).
- ``xla_force_host_platform_device_count``: one JAX device per core, so `optimizers.sweep` shards its configuration
  axis over every core exactly as it does over several GPUs.

Flags the user already set win: each is added only when ``XLA_FLAGS`` does not mention it.
"""

import os

_FLAGS = {
    "--xla_backend_extra_options": "xla_cpu_small_while_loop_byte_threshold=262144",
    "--xla_force_host_platform_device_count": str(max(1, os.cpu_count() or 1)),
}


def configure() -> None:
    """Add the flags above to ``XLA_FLAGS`` unless already present (call before the first JAX computation)."""
    flags = os.environ.get("XLA_FLAGS", "")
    for name, value in _FLAGS.items():
        if name not in flags:
            flags = f"{flags} {name}={value}".strip()
    os.environ["XLA_FLAGS"] = flags
