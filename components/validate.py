"""Pure validators for values that arrive as text (URL query parameters).

Each returns ``(value, notice)``: the value to use, and ``None`` or a sentence for the page to show when the raw
text was missing, garbage, non-finite or out of range and had to be clamped or replaced.  Nothing here raises on
any input, and nothing echoes more than a short, printable excerpt of the raw text back.
"""

from __future__ import annotations

import math
from typing import Sequence

from components.i18n import t

MAX_RAW = 200  # longer URL values are refused without being parsed


def excerpt(raw: object, limit: int = 24) -> str:
    """A short, printable excerpt of untrusted text, safe to show inside code formatting."""
    text = str(raw)
    text = "".join(ch if ch.isprintable() and ch not in "`\\" else "?" for ch in text[:limit])
    return text + ("…" if len(str(raw)) > limit else "")


def parse_float(raw: str | None, default: float, lo: float, hi: float, label: str) -> tuple[float, str | None]:
    """A finite float in ``[lo, hi]``; garbage or non-finite text gives ``default``, out-of-range text is clamped."""
    if raw is None:
        return default, None
    if len(raw) > MAX_RAW:
        return default, t("{label}: the URL value is too long; using {default}.", label=label, default=f"{default:g}")
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return default, t("{label}: `{raw}` is not a number; using {default}.", label=label, raw=excerpt(raw),
                          default=f"{default:g}")
    if not math.isfinite(value):
        return default, t("{label}: `{raw}` is not finite; using {default}.", label=label, raw=excerpt(raw),
                          default=f"{default:g}")
    if value < lo or value > hi:
        clamped = min(max(value, lo), hi)
        return clamped, t("{label}: {value} is outside [{lo}, {hi}]; clamped to {clamped}.", label=label,
                          value=f"{value:g}", lo=f"{lo:g}", hi=f"{hi:g}", clamped=f"{clamped:g}")
    return value, None


def parse_int(raw: str | None, default: int, lo: int, hi: int, label: str) -> tuple[int, str | None]:
    """An integer in ``[lo, hi]`` (a float is rounded); otherwise as ``parse_float``."""
    value, notice = parse_float(raw, float(default), float(lo), float(hi), label)
    return int(round(value)), notice


def parse_choice(raw: str | None, options: Sequence[str], default: str, label: str) -> tuple[str, str | None]:
    """One of ``options``; anything else gives ``default`` and a notice."""
    if raw is None:
        return default, None
    if raw in options:
        return raw, None
    return default, t("{label}: unknown value `{raw}`; using `{default}`.", label=label, raw=excerpt(raw),
                      default=default)


def parse_choices(raw: str | None, options: Sequence[str], default: Sequence[str], label: str,
                  max_items: int = 12) -> tuple[list[str], str | None]:
    """A comma-separated subset of ``options`` (unknown names dropped, duplicates removed, at most ``max_items``)."""
    if raw is None:
        return list(default), None
    if len(raw) > MAX_RAW * 4:
        return list(default), t("{label}: the URL value is too long; using the defaults.", label=label)
    wanted = [part.strip() for part in raw.split(",") if part.strip()]
    kept = list(dict.fromkeys(name for name in wanted if name in options))[:max_items]
    dropped = [name for name in wanted if name not in options]
    notice = None
    if dropped:
        notice = t("{label}: ignored unknown {names}.", label=label,
                   names=", ".join("`" + excerpt(d, 16) + "`" for d in dropped[:5]))
    if not kept:
        empty = t("{label}: nothing to show.", label=label)
        return list(default), (notice or empty) + " " + t("Using the defaults.")
    return kept, notice


def parse_bool(raw: str | None, default: bool, label: str) -> tuple[bool, str | None]:
    """``1/true/yes/on`` or ``0/false/no/off`` (any case); anything else gives ``default``."""
    if raw is None:
        return default, None
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True, None
    if lowered in ("0", "false", "no", "off"):
        return False, None
    return default, t("{label}: `{raw}` is not true/false; using {default}.", label=label, raw=excerpt(raw),
                      default=default)
