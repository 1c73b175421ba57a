"""How a run's inputs reach the compiled program: traced floats packed into two vectors, static shapes in buckets.

What a slider moves (float hyperparameters, the start, the surface parameters θ, σ, the seed) travels as *data*:
every float slot is packed into one ``shared`` vector (the values a whole batch shares) and one ``(N, K)``
``batched`` matrix (the values that differ per run), and ``layout`` says where each slot lives.  The layout and the
step *bucket* are part of the program's key, the values are not, so a new value never recompiles.
"""

from __future__ import annotations

import numpy as np

BUCKETS = (64, 256, 1024, 4096, 16384)
"""Step counts are padded up to one of these (static shapes) and sliced back; the loop itself stops at ``steps``,
so padding costs memory, not time."""
CHUNK = 128
"""A sweep runs each device's share of the configurations at most this many at a time (`chunking`)."""


def bucket(steps: int) -> int:
    """The smallest of `BUCKETS` that holds ``steps`` steps."""
    return next(b for b in BUCKETS if b >= steps)


def theta_of(landscape) -> np.ndarray:
    """The surface's parameter values as a float64 vector (traced: a surface slider never recompiles)."""
    return np.asarray([v for _, v in landscape.params], np.float64).reshape(-1)


def start_of(landscape, start) -> np.ndarray:
    """``start`` (default: the surface's own) as float64, a finite point ``(2,)`` or a batch ``(N, 2)``."""
    x0 = np.asarray(landscape.start if start is None else start, np.float64)
    if x0.shape[-1:] != (2,) or x0.ndim > 2 or not np.all(np.isfinite(x0)):
        raise ValueError(f"start must be a finite (x, y) point or (N, 2) points, got {start!r}")
    return x0


def pack(slots: dict[tuple, np.ndarray], n: int | None):
    """Pack named float slots into ``(shared, batched, layout)``.

    ``layout`` is a tuple of ``(key, in_batch, start, size)``.  With ``n`` None everything is shared; otherwise
    a slot whose array has a leading batch axis (ndim 1 for a scalar slot, 2 for a vector slot) goes to the
    ``(n, K)`` batched matrix."""
    shared, batched, layout, s_at, b_at = [], [], [], 0, 0
    for key, value in slots.items():
        value = np.asarray(value, np.float64)
        vector = key[0] in ("x0", "theta")
        in_batch = n is not None and value.ndim == (2 if vector else 1)
        size = value.shape[-1] if vector else 1
        if in_batch:
            batched.append(np.broadcast_to(value.reshape(value.shape[0], -1), (n, size)))
            layout.append((key, True, b_at, size))
            b_at += size
        else:
            shared.append(value.reshape(size))
            layout.append((key, False, s_at, size))
            s_at += size
    shared = np.concatenate(shared) if shared else np.zeros(0)
    batched = np.concatenate(batched, axis=1) if batched else np.zeros((n or 0, 0))
    return shared, batched, tuple(layout)


def batch(landscape, floats: dict, starts, noise, seed):
    """Split the traced inputs of a batch of size ``N``: ``(N, (shared, batched, noise, seed), layout, axes)``.

    Scalars (and a single start) are shared by the batch; ``(N,)`` arrays (and ``(N, 2)`` starts) are batched;
    ``axes`` are the vmap axes of ``(batched, noise, seed)``."""
    x0 = start_of(landscape, starts)
    noise, seed = np.asarray(noise, np.float64), np.asarray(seed, np.int64)
    parts = {"start": x0[..., 0], "noise": noise, "seed": seed,
             **{f"{k[0]} parameter {k[1]!r}": np.asarray(v) for k, v in floats.items()}}
    for what, v in parts.items():
        if v.ndim > 1:
            raise ValueError(f"{what} must be a scalar or a 1-D batch, got shape {v.shape}")
    sizes = {v.shape[0] for v in parts.values() if v.ndim == 1}
    if len(sizes) > 1:
        raise ValueError(f"batch sizes differ: {', '.join(f'{k} {v.shape}' for k, v in parts.items() if v.ndim)}")
    n = sizes.pop() if sizes else 1
    shared, batched, layout = pack({**floats, ("x0",): x0, ("theta",): theta_of(landscape)}, n)
    return n, (shared, batched, noise, seed), layout, (0, 0 if noise.ndim else None, 0 if seed.ndim else None)


def chunking(n: int, devices: int) -> tuple[int, int]:
    """``(chunk, padded n)``: each device runs ``ceil(n / devices)`` configurations in equal chunks of at most
    `CHUNK`, so padding is under one chunk per device.  A chunk's loop state stays in the L1 cache instead of
    streaming every array of the whole share through memory each step, and its loop is small enough to become one
    kernel (about half the CPU time for a 40,000-start basin map here)."""
    share = -(-n // devices)
    if share == 0:
        return 1, 0
    chunk = -(-share // -(-share // CHUNK))
    return chunk, devices * chunk * -(-share // chunk)


def pad_rows(arrays, axes, n: int, padded: int):
    """Pad each batched array (vmap axis not None) to ``padded`` rows by repeating its last row."""
    return tuple(a if ax is None else np.concatenate([a, np.repeat(a[-1:], padded - n, axis=0)])
                 for a, ax in zip(arrays, axes))


def is_noisy(noise) -> bool:
    """Whether any run of the call has σ ≠ 0 (a noiseless call compiles a program that draws no random numbers)."""
    return bool(np.any(np.asarray(noise) != 0))
