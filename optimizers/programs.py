"""The compiled programs of surface runs: one jitted function per static key, kept in two bounded LRUs.

A key is ``(static, mode, bucket, layout, noisy, axes, devices, chunk, width)``: the `optimizers.kernel.Static`
part of a run, how it is batched (``mode``), the step bucket, where each traced float lives, whether σ ≠ 0, for a
sweep the devices and chunk size, and for a batch of paths its size.  Everything a slider moves is data, so a
slider move finds its program here.

Runners of surfaces that serve every built-in (`landscapes.family`, marked ``serves_all_builtins``) are few and
shared by every visitor, so they have an LRU of their own (`BUILTINS`): a storm of typed surfaces, each with runners
of its own (`OTHERS`), must not evict them.  JAX keeps the executables these LRUs hold; evicting an entry drops
the only reference to its surface function (JAX's own jit caches would keep static arguments alive).
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict

import jax
import numpy as np
from jax.sharding import Mesh, PartitionSpec

from landscapes._xla import fast_compile

from .kernel import Static, simulate

MODES = ("one", "many", "grid", "sweep")
"""``one``: a single run, every iterate; ``many``: a vmapped batch, every iterate; ``grid``: the same, compiled with
XLA's defaults (run again at every rerun, so its run time counts); ``sweep``: final rows only, sharded."""

_FAST_COMPILE = fast_compile()


def build(static: Static, mode: str, bucket: int | None, layout: tuple, noisy: bool, axes: tuple = (),
          devices: tuple = (), chunk: int = 0, width: int = 0):
    """The jitted function for one key.

    ``width`` is the batch size of a ``many`` or ``grid`` call: ``jax.jit`` compiles once per shape, and with the
    width in the key each entry holds one program, so that `Programs.ready` answers for exactly the call asked
    about (a live scrub's grid of 32 runs is not ready because one of 64 is) and the LRU bounds programs, not keys.

    ``noisy`` is False when σ = 0 for the whole call: that program draws no random numbers.  ``axes`` are the
    vmap axes of ``(batched, noise, seed)`` for batched modes.  A sweep runs, on each device, its share of the
    configurations ``chunk`` at a time (``lax.map`` over chunks of a vmapped run, `optimizers.packing.chunking`).
    Each configuration's formula is the same whatever the chunk, and within one program its result does not depend
    on its place in the batch or on the padding.  The programs compiled for different device counts may round an
    ulp apart (XLA:CPU contracts ``a·b + c`` into fused multiply-adds as its fusion decisions allow, and those
    depend on the program): results agree to a few ulp, statuses and event steps exactly (tests/test_run.py);
    the Lab's phase diagram is identical bit for bit (benchmarks/lab.py).

    ``one`` and ``many`` compile with XLA's fast options (`landscapes._xla.fast_compile`): a visitor waits for their
    compile (a new page, surface or optimizer), while their run is well under a millisecond either way.  ``grid``
    and ``sweep`` keep XLA's defaults: there the run, not the compile, is the cost.
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; one of {', '.join(MODES)}")
    fun = functools.partial(simulate, static, bucket, layout, noisy)
    if mode == "one":
        return jax.jit(fun, compiler_options=_FAST_COMPILE)
    batched = jax.vmap(fun, in_axes=(None,) + axes + (None,))
    if mode == "many":
        return jax.jit(batched, compiler_options=_FAST_COMPILE)
    if mode == "grid":
        return jax.jit(batched)

    def share(shared, *rest):
        *per_config, n = rest
        chunked = [a.reshape(a.shape[0] // chunk, chunk, *a.shape[1:]) for a, ax in zip(per_config, axes)
                   if ax is not None]

        def one_chunk(parts):
            parts = iter(parts)
            return batched(shared, *(a if ax is None else next(parts) for a, ax in zip(per_config, axes)), n)

        rows = jax.lax.map(one_chunk, chunked)
        return rows.reshape(-1, rows.shape[-1])

    mesh = Mesh(np.asarray(devices), ("config",))
    specs = (PartitionSpec(),) + tuple(PartitionSpec() if a is None else PartitionSpec("config") for a in axes)
    return jax.jit(jax.shard_map(share, mesh=mesh, in_specs=specs + (PartitionSpec(),),
                                 out_specs=PartitionSpec("config"), check_vma=False))


class Programs:
    """A bounded LRU of jitted runners by key (`build` makes a missing one; jax.jit compiles at its first call),
    which can also say whether a key's program is compiled (`ready`): the page shows progress instead of a blank
    wait."""

    def __init__(self, maxsize: int):
        self.maxsize = maxsize
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, *key):
        """The runner for ``key``, built if missing (the least recently used one beyond `maxsize` is dropped)."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        runner = build(*key)  # cheap: jax.jit compiles at the first call
        with self._lock:
            runner = self._entries.setdefault(key, runner)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)
        return runner

    def ready(self, *key) -> bool:
        """The program for ``key`` is held and compiled (its jit cache has an entry)."""
        with self._lock:
            runner = self._entries.get(key)
        return runner is not None and runner._cache_size() > 0

    def clear(self) -> None:
        """Drop every runner (and with it the last reference to its surface function)."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


BUILTINS = Programs(maxsize=128)  # ~5-10 MB each (all 16 surfaces' code): a path and a scrub program per
# optimizer and step bucket, e.g. the load test's 10 optimizers x 3 buckets x (path + 1-2 scrub widths) = 90
OTHERS = Programs(maxsize=32)  # ~3.5 MB each: 4 typed surfaces x 8 optimizers
CACHES = (BUILTINS, OTHERS)
"""Every LRU of compiled surface runners (each bounded by its ``maxsize``)."""


def for_static(static: Static) -> Programs:
    """The LRU that holds the runners of ``static``'s surface."""
    return BUILTINS if getattr(static.fn, "serves_all_builtins", False) else OTHERS


def clear() -> None:
    """Empty every LRU of this module."""
    for cache in CACHES:
        cache.clear()
