"""Widgets built from registry metadata, and the URL <-> widget-state sync that makes every view a shareable link.

Protocol (one per page; widget keys double as URL parameter names, e.g. ``compare.adam.learning_rate``):

1. `begin` -- first call of every run, before any widget.  On the session's first run of the page it copies
   ``st.query_params`` into session state once ("pending" values).
2. Each widget helper below *seeds* its key before creating the widget: if the key has no state yet, the pending
   URL value is parsed with `components.validate` (garbage, NaN, inf, out of range, unknown names -> clamped or
   replaced, with a notice), else the default is used.  Existing state is re-checked against the widget's current
   range and options, so a stale value (the surface's box changed, an option vanished) is clamped instead of making
   Streamlit raise.  The widget is then created with ``key`` only, never with ``value=``: the state is the value.
3. `finish` -- last call of every run: the pending URL values no widget claimed are reported as ignored, and the
   values of this run's widgets are written back to ``st.query_params`` (one message, only when they changed).

`notices` returns what the URL parse had to fix, for the page to show with ``st.warning``.  Notices quote user text
only through `validate.excerpt` (short, printable) and the page shows them as plain text.

Streamlit 1.67 also offers ``bind="query-params"`` on widgets; it silently drops invalid values and forbids writing
bound keys, while this page must say what it clamped or ignored, hence the explicit protocol.
"""

from __future__ import annotations

import functools
import math
from typing import Any, Callable, Iterable, Sequence

import streamlit as st

from components import i18n, titles, validate
from components.i18n import t, tn
from landscapes import numbers

_PENDING = "_controls.pending"  # {page: {key: raw text}}: URL values not yet claimed by a widget
_NOTICES = "_controls.notices"  # {page: [sentence, ...]}
_KEYS = "_controls.keys"  # {page: [key, ...]}: the widgets created in the current run, in order
_WRITTEN = "_controls.written"  # {page: {key: text}}: what was last written to the URL
_REPORTED = "_controls.reported"  # {page: True} once the unclaimed URL values have been reported

LOG_MANTISSAS = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0)
"""Log-scale sliders offer these values in every decade (about 10 per decade, equally spaced in log)..."""
WIDE_MANTISSAS = (1.0, 2.0, 5.0)
"""...or these, when the range spans more than `WIDE_DECADES` decades (ε from 1e-16 to 0.1)."""
WIDE_DECADES = 6


# ------------------------------------------------------------------------------------------------ the protocol
def begin(page: str) -> None:
    """Start a run of ``page``: snapshot the URL once per session and reset this run's list of widget keys."""
    pending = st.session_state.setdefault(_PENDING, {})
    if page not in pending:
        # Another page's keys (``lab.…`` while on Compare) are that page's business, not garbage: skip them quietly.
        pending[page] = {k: st.query_params.get(k) for k in st.query_params.keys()
                         if (k.startswith(page + ".") or "." not in k) and k != i18n.PARAM}
        st.session_state.setdefault(_NOTICES, {})[page] = []
    st.session_state.setdefault(_KEYS, {})[page] = []


def notices(page: str) -> list[str]:
    """What the URL parse clamped or ignored in this session, as short plain-text sentences."""
    return list(st.session_state.get(_NOTICES, {}).get(page, []))


def dismiss_notices(page: str) -> None:
    st.session_state.setdefault(_NOTICES, {})[page] = []


def show_notices(page: str, box, extra: Sequence[str] = ()) -> None:
    """Show in ``box`` (a container placed at the top of the page) what the link asked for that could not be used,
    plus the page's own ``extra`` sentences, with a Dismiss button.  Called last, once every widget read the URL."""
    fixed = notices(page) + list(extra)
    if fixed:
        with box:
            st.warning(t("Some values were unusable and have been replaced:") + "\n\n" +
                       "\n".join(f"- {n}" for n in fixed))
            st.button(t("Dismiss"), on_click=dismiss_notices, args=(page,), key=f"{page}.dismiss")


def finish(page: str) -> None:
    """End a run: report unclaimed URL values (first complete run only) and write this run's widgets to the URL."""
    reported = st.session_state.setdefault(_REPORTED, {})
    if not reported.get(page):
        left = st.session_state.get(_PENDING, {}).get(page, {})
        if left:
            names = ", ".join(f"`{validate.excerpt(k, 40)}`" for k in list(left)[:6])
            if len(left) > 6:
                names = t("{names} and {count} more", names=names, count=len(left) - 6)
            _notice(page, tn("Ignored URL parameter {names}: not a control of this page (or not shown with the "
                             "current choices).",
                             "Ignored URL parameters {names}: not controls of this page (or not shown with the "
                             "current choices).", len(left), names=names))
            left.clear()
        reported[page] = True
    params = {**values(page), i18n.PARAM: i18n.language()}  # the language travels with every view
    written = st.session_state.setdefault(_WRITTEN, {})
    if written.get(page) != params or st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
        written[page] = params


def values(page: str) -> dict[str, str]:
    """The URL form of the widgets created so far in this run: the configuration a link would carry."""
    return {key: encode(st.session_state[key]) for key in st.session_state.get(_KEYS, {}).get(page, [])
            if key in st.session_state}


def encode(value: Any) -> str:
    """A widget value as URL text that the matching parser reads back exactly."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else "0"
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def _page(key: str) -> str:
    return key.split(".", 1)[0]


def _notice(page: str, text: str) -> None:
    store = st.session_state.setdefault(_NOTICES, {}).setdefault(page, [])
    if text not in store:
        store.append(text)


def _claim(key: str) -> str | None:
    """The pending URL text for ``key`` (once: claiming removes it), or None."""
    page = _page(key)
    st.session_state.setdefault(_KEYS, {}).setdefault(page, []).append(key)
    return st.session_state.get(_PENDING, {}).get(page, {}).pop(key, None)


def _seed(key: str, parse: Callable[[str], tuple[Any, str | None]], default: Any,
          sanitize: Callable[[Any], Any]) -> None:
    """Give ``key`` its start value (URL, else default) or sanitize the value it already has."""
    raw = _claim(key)
    if key in st.session_state and raw is None:
        current = st.session_state[key]
        fixed = sanitize(current)
        if fixed != current or type(fixed) is not type(current):
            st.session_state[key] = fixed
        return
    value, notice = (default, None) if raw is None else parse(raw)
    if notice:
        _notice(_page(key), notice)
    st.session_state[key] = sanitize(value)


# ------------------------------------------------------------------------------------------------ value grids
def _nice(v: float) -> float:
    return float(f"{v:.12g}")


@functools.lru_cache(maxsize=256)
def log_grid(lo: float, hi: float, default: float | None = None) -> tuple[float, ...]:
    """Log-spaced slider values from ``lo`` to ``hi``: `LOG_MANTISSAS` (or `WIDE_MANTISSAS`) in each decade, plus
    ``lo``, ``hi`` and the default exactly.  ``lo <= 0`` (a log parameter that may be switched off) adds 0 below ``hi * 1e-6``."""
    hi = float(hi)
    zero = lo <= 0
    lo = hi * 1e-6 if zero else float(lo)
    values = {_nice(lo), _nice(hi)}
    mantissas = WIDE_MANTISSAS if math.log10(hi / lo) > WIDE_DECADES else LOG_MANTISSAS
    for exponent in range(math.floor(math.log10(lo)) - 1, math.ceil(math.log10(hi)) + 1):
        for m in mantissas:
            v = _nice(m * 10.0**exponent)
            if lo <= v <= hi:
                values.add(v)
    if default is not None and (lo <= default <= hi or (zero and default == 0)):
        values.add(_nice(default))
    if zero:
        values.add(0.0)
    return tuple(sorted(values))


def nearest(options: Sequence[float], value: float, log: bool) -> float:
    """The option closest to ``value`` (in log distance for positive log grids)."""
    if log and value > 0:
        positive = [o for o in options if o > 0]
        return min(positive, key=lambda o: abs(math.log(o / value))) if positive else options[0]
    return min(options, key=lambda o: abs(o - value))


def linear_step(lo: float, hi: float) -> float:
    """A round step giving about 100-1000 positions over ``[lo, hi]``."""
    span = hi - lo
    return 10.0 ** math.floor(math.log10(span / 100.0)) if span > 0 else 1.0


def slider_options(lo: float, hi: float, default: float, log: bool) -> tuple[float, ...]:
    """Every value the slider `scalar` draws for these bounds can take, ascending: `log_grid` for ``log``, else
    ``lo + k·linear_step`` up to ``hi`` (the live scrub's notches are these values)."""
    lo, hi = float(lo), float(hi)
    if log:
        return log_grid(lo, hi, float(default))
    step = linear_step(lo, hi)
    count = int(math.floor((hi - lo) / step + 1e-9))
    return tuple(round(lo + k * step, 12) for k in range(count + 1))


def fmt(v: float) -> str:
    """Compact number text for slider labels: 0.001, 2.5e-05, 1000 (`landscapes.numbers.number`, plain hyphen)."""
    return numbers.number(v, minus="-")


# ------------------------------------------------------------------------------------------------ widgets
def _labelled(options: list, format_func: Callable) -> Callable:
    """``format_func`` evaluated now, in this run's language: Streamlit (and AppTest) may format an option later,
    outside the script run, where `i18n.language` cannot know the visitor's language.  Nor is ``format_func`` kept:
    a page's own function would find its page's namespace cleared by then (`components.memory.release_with_run`);
    an option it was not given is shown as itself."""
    labels = {option: format_func(option) for option in options}
    return lambda option: labels.get(option, str(option))


def _resend_if_relabelled(key: str, labels: list[str]) -> None:
    """Send ``key``'s value to the browser again when its options' labels changed since the last run (the Learn
    page's ✓ on a lesson just done, a switch of language): Streamlit keeps the widget (its identity is its key) and
    its value, but the browser's radio, given new labels and no value, showed no option selected."""
    shown = f"_{key}.labels"
    if st.session_state.get(shown, labels) != labels and key in st.session_state:
        st.session_state[key] = st.session_state[key]
    st.session_state[shown] = labels


def choice(key: str, label: str, options: Sequence[str], default: str, *, format_func: Callable = str,
           help: str | None = None, radio: bool = False) -> str:
    """A selectbox (or horizontal radio) over ``options``; unknown URL names fall back to ``default``."""
    options = list(options)
    _seed(key, lambda raw: validate.parse_choice(raw, options, default, label), default,
          lambda v: v if v in options else default)
    format_func = _labelled(options, format_func)
    _resend_if_relabelled(key, [format_func(o) for o in options])
    if radio:
        return st.radio(label, options, key=key, format_func=format_func, help=help, horizontal=True)
    return st.selectbox(label, options, key=key, format_func=format_func, help=help)


def choices(key: str, label: str, options: Sequence[str], default: Sequence[str], *, max_items: int,
            format_func: Callable = str, help: str | None = None, empty_ok: bool = False) -> list[str]:
    """A multiselect of at most ``max_items``; the URL form is comma-separated names.  ``empty_ok``: an empty URL
    value means no item (a choice the user may make), not a value to replace with the defaults."""
    options = list(options)

    def sanitize(v):  # an empty choice is the user's to make; only the URL falls back to the defaults
        return list(dict.fromkeys(x for x in (v or []) if x in options))[:max_items]

    def parse(raw):
        if empty_ok and not raw.strip():
            return [], None
        value, notice = validate.parse_choices(raw, options, default, label, max_items=10**6)
        if len(value) > max_items:
            notice = ((notice + " ") if notice else "") + t("{label}: at most {n}; kept the first {n}.", label=label,
                                                            n=max_items)
        return value[:max_items], notice

    _seed(key, parse, list(default), sanitize)
    return st.multiselect(label, options, key=key, format_func=_labelled(options, format_func), help=help, max_selections=max_items)


def number(key: str, label: str, default: float, lo: float, hi: float, *, step: float | None = None,
           integer: bool = False, help: str | None = None, format: str | None = None) -> float | int:
    """A number input clamped to ``[lo, hi]`` (also when the range moved since the last run)."""
    if integer:
        lo, hi, default = int(lo), int(hi), int(default)
        parse = lambda raw: validate.parse_int(raw, default, lo, hi, label)  # noqa: E731
        sanitize = lambda v: int(min(max(int(v), lo), hi))  # noqa: E731
    else:
        lo, hi, default = float(lo), float(hi), float(default)
        parse = lambda raw: validate.parse_float(raw, default, lo, hi, label)  # noqa: E731
        sanitize = lambda v: float(min(max(float(v), lo), hi)) if _finite(v) else default  # noqa: E731
    _seed(key, parse, default, sanitize)
    return st.number_input(label, min_value=lo, max_value=hi, step=step if step is not None else (1 if integer else None),
                           key=key, help=help, format=format)


def toggle(key: str, label: str, default: bool, *, help: str | None = None, context: str | None = None) -> bool:
    """A toggle; ``context`` (e.g. the optimizer's name) prefixes ``label`` in URL notices."""
    said = f"{context} {label}" if context else label
    _seed(key, lambda raw: validate.parse_bool(raw, default, said), bool(default), bool)
    return st.toggle(label, key=key, help=help)


def text(key: str, label: str, default: str, *, max_chars: int, help: str | None = None,
         placeholder: str | None = None) -> str:
    """A text input; a URL value longer than ``max_chars`` is refused with a notice (never shown back whole)."""

    def parse(raw):
        if len(raw) > max_chars:
            return default, t("{label}: the URL value is longer than {n} characters; using the default.", label=label,
                              n=max_chars)
        return raw, None

    _seed(key, parse, default, lambda v: v if isinstance(v, str) and len(v) <= max_chars else default)
    return st.text_input(label, key=key, max_chars=max_chars, help=help, placeholder=placeholder)


def scalar(key: str, label: str, default: float, lo: float, hi: float, *, log: bool = False, integer: bool = False,
           help: str | None = None, context: str | None = None) -> float | int:
    """A slider: for ``log`` a select slider over `log_grid` (the value is shown as it is), else a linear slider.
    ``context`` (e.g. the optimizer's name) prefixes ``label`` in URL notices."""
    shown, label = label, (f"{context} {label}" if context else label)
    if integer:
        lo_i, hi_i, d = int(lo), int(hi), int(default)
        _seed(key, lambda raw: validate.parse_int(raw, d, lo_i, hi_i, label), d,
              lambda v: int(min(max(int(v), lo_i), hi_i)))
        return st.slider(shown, lo_i, hi_i, step=1, key=key, help=help)
    lo, hi, default = float(lo), float(hi), float(default)
    if log:
        options = log_grid(lo, hi, default)

        def parse(raw):
            value, notice = validate.parse_float(raw, default, min(options), max(options), label)
            snapped = nearest(options, value, log=True)
            if notice is None and not math.isclose(snapped, value, rel_tol=1e-2, abs_tol=1e-300):
                notice = t("{label}: {value} is not on the slider's scale; using {snapped}.", label=label,
                           value=f"{value:g}", snapped=f"{snapped:g}")
            return snapped, notice

        def sanitize(v):
            if v in options:  # the common case, every rerun: nothing to snap
                return float(v)
            return float(nearest(options, float(v), log=True)) if _finite(v) else _nice(default)

        _seed(key, parse, _nice(default), sanitize)
        return st.select_slider(shown, options=options, key=key, format_func=fmt, help=help)
    step = linear_step(lo, hi)
    _seed(key, lambda raw: validate.parse_float(raw, default, lo, hi, label), default,
          lambda v: float(min(max(float(v), lo), hi)) if _finite(v) else default)
    return st.slider(shown, lo, hi, step=step, key=key, help=help, format=_format_for(step))


def _format_for(step: float) -> str:
    decimals = max(0, -math.floor(math.log10(step))) if step > 0 else 3
    return f"%.{min(decimals, 8)}f"


def _finite(v: Any) -> bool:
    try:
        return math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def hyperparameter(key: str, spec: Any, *, label: str | None = None, context: str | None = None) -> Any:
    """The widget for one `optimizers.base.Hyperparam` or `landscapes.base.ParamSpec` (duck-typed: ``name``,
    ``default``, ``min``, ``max``, ``log``, ``help`` and, for hyperparameters, ``kind`` float/int/bool)."""
    kind = getattr(spec, "kind", "float")
    label = label or spec.name
    help_text = titles.help_text(spec.help) if spec.help else None  # the registry's English, translated
    if kind == "bool":
        return toggle(key, label, bool(spec.default), help=help_text, context=context)
    if kind == "int":
        return scalar(key, label, spec.default, spec.min, spec.max, integer=True, help=help_text, context=context)
    return scalar(key, label, spec.default, spec.min, spec.max, log=bool(spec.log), help=help_text, context=context)


def hyperparameters(prefix: str, specs: Iterable[Any], *, context: str | None = None) -> dict[str, Any]:
    """One widget per spec, keyed ``<prefix>.<name>``; returns ``{name: value}``."""
    return {spec.name: hyperparameter(f"{prefix}.{spec.name}", spec, context=context) for spec in specs}


def take_click(player_key: str, seen_key: str) -> tuple[float, float] | None:
    """A new click on the player (its counter ``n`` moved on since the last call), else None.

    Called before the start-point inputs are created, so the page may still write their state.  The counter makes
    a repeated click on the same spot count, and an old click replayed by a rerun count only once.
    """
    value = st.session_state.get(player_key)
    if not isinstance(value, dict):
        return None
    try:
        n, x, y = int(value.get("n", 0)), float(value["x"]), float(value["y"])
    except (KeyError, TypeError, ValueError):
        return None
    if n <= st.session_state.get(seen_key, 0) or not (math.isfinite(x) and math.isfinite(y)):
        return None
    st.session_state[seen_key] = n
    return x, y


def kept(key: str, default: Any, parse: Callable[[str], tuple[Any, str | None]],
         sanitize: Callable[[Any], Any] = lambda v: v) -> Any:
    """A page value that is no widget (the Learn page's progress), kept in session state and in the URL like one:
    seeded from the link once (``parse(raw) -> (value, notice)``), else ``default``; `finish` writes it back.
    The page changes it by assigning ``st.session_state[key]``."""
    _seed(key, parse, default, sanitize)
    return st.session_state[key]


def linked(page: str, key: str) -> str | None:
    """The URL's value of ``key`` when it is not what ``page`` last wrote there: a link (``st.page_link`` with query
    parameters) asked for it after the page's first run, which `begin` alone would not read again.  None otherwise
    (the page's own URL, or no value)."""
    raw = st.query_params.get(key)
    written = st.session_state.get(_WRITTEN, {}).get(page)
    if raw is None or written is None or written.get(key) == raw:
        return None
    return raw


# ------------------------------------------------------------------------------------------------ widget memory
def restore_widget_state(page: str) -> None:
    """Give back the values of ``page``'s widgets that Streamlit dropped while they were not shown (another section
    or page was open): Streamlit deletes a widget's state after a run that does not draw it."""
    for key, value in st.session_state.get(f"_{page}.memory", {}).items():
        if key not in st.session_state:
            st.session_state[key] = value


def remember_widget_state(page: str, keys) -> None:
    """Store the current values of ``keys`` (this run's widgets of ``page``) for `restore_widget_state`."""
    memory = st.session_state.setdefault(f"_{page}.memory", {})
    for key in keys:
        if key in st.session_state:
            memory[key] = st.session_state[key]
