"""What every page is built on, written once: its frame (URL state and the notice box), the sidebar's surface
picker and start point, and the block shown when the engine refuses a configuration.

Widget keys are ``"{page}.surface"``, ``"{page}.expression"``, ``"{page}.box"``, ``"{page}.{surface}.{param}"``,
``"{page}.x0"`` and ``"{page}.y0"``: the names the URL uses (`components.controls`), the same on every page.
"""

from __future__ import annotations

from typing import Callable, Iterable, NamedTuple, Sequence

import numpy as np
import streamlit as st

import landscapes
from components import controls, surfaces
from components.i18n import N_, t
from landscapes import expression
from landscapes.expression import MAX_LENGTH

CUSTOM = "custom"
"""The surface menu's last entry: a formula the user types."""

EXPRESSION_HELP = N_("Numbers, x, y, pi, e, + − * / ** and functions such as sin, exp, log; at most {n} "
                     "characters. Press Enter to apply.")
"""The typed formula's help (``n``: its length cap), translated where it is shown."""


class Frame:
    """A page's frame: `controls.begin` (URL values in), the notice box at the top of the page, and the notices
    shown in it at the end of the run (`controls.show_notices`)."""

    def __init__(self, page: str) -> None:
        self.page = page
        controls.begin(page)
        self.notice_box = st.container()

    def show_notices(self, extra: Sequence[str] = ()) -> None:
        controls.show_notices(self.page, self.notice_box, extra)


class SurfaceChoice(NamedTuple):
    """What the surface picker chose.  ``key`` and ``surface`` are None for a typed formula until it has a box
    (`typed_surface`), and ``surface`` stays None when the formula cannot be used (the error is on the page).
    ``identity`` changes exactly when another surface is picked (a built-in's name, or a typed formula's key), so
    a page resets what belongs to the old one (its start, its presets) when it does."""

    name: str
    text: str | None
    key: tuple | None
    surface: landscapes.Landscape | None
    box: landscapes.Bounds | None
    identity: object


def surface_picker(page: str, default: str, default_expression: str, *, expression_help: str | None = None,
                   box_help: str | None = None, caret: bool = False) -> SurfaceChoice:
    """The "Surface" block: a menu of the built-in surfaces and "Type your own…", then the chosen surface's
    parameters, or the formula and (with ``box_help``) its box half-width.  Without ``box_help`` the page
    gives a typed formula its box itself and calls `typed_surface`; ``caret`` as there."""
    st.header(t("Surface"))
    titles = {n: t(title) for n, title in surfaces.titles().items()} | {CUSTOM: t("Type your own…")}
    name = controls.choice(f"{page}.surface", t("Surface"), [*landscapes.names(), CUSTOM], default,
                           format_func=titles.get,  # translated in the run: AppTest formats options later
                           help=t("A built-in surface, or type a formula in x and y."))
    if name != CUSTOM:
        values = controls.hyperparameters(f"{page}.{name}", landscapes.parameters(name), context=titles[name])
        key = surfaces.surface_key(name, values)
        surface = surfaces.surface(key)
        return SurfaceChoice(name, None, key, surface, surface.bounds, name)
    text = controls.text(f"{page}.expression", "f(x, y) =", default_expression, max_chars=MAX_LENGTH,
                         help=expression_help or t(EXPRESSION_HELP, n=MAX_LENGTH))
    if box_help is None:
        return SurfaceChoice(name, text, None, None, None, (CUSTOM, text))
    half = controls.number(f"{page}.box", t("Box half-width"), 3.0, 0.01, 1000.0, step=0.5, help=box_help)
    box = ((-half, half), (-half, half))
    key, surface = typed_surface(text, box, caret=caret)
    return SurfaceChoice(name, text, key, surface, box, key)


def typed_surface(text: str, box: landscapes.Bounds, *,
                  caret: bool = False) -> tuple[tuple, landscapes.Landscape | None]:
    """The cache key of a typed formula on ``box`` and its `Landscape`, or None after showing why it cannot be
    used: the message in a code block (never rendered as markdown), with ``caret`` the formula above it and a
    caret under the column at fault (the Compare page, whose sidebar has room for it)."""
    key = surfaces.custom_key(text, box)
    try:
        return key, surfaces.surface(key)
    except landscapes.ExpressionError as err:
        st.error(t("This expression cannot be used:"), icon="⚠️")
        pointer = f"{text}\n{' ' * (err.column - 1)}^\n" if caret and err.column and len(text) <= 120 else ""
        st.code(f"{pointer}{expression_error(err)}", language=None, wrap_lines=True)  # whole, however narrow
        return key, None


def expression_error(err: landscapes.ExpressionError) -> str:
    """Why a typed formula was refused, in the visitor's language (`landscapes.expression.MESSAGES`)."""
    phrases = {name: t(phrase) for name, phrase in err.phrases.items()}
    return t(expression.MESSAGES[err.code], **err.values, **phrases)


def start_point(page: str, box: landscapes.Bounds, default: Sequence[float], identity: object, *,
                help: str, forget: Callable[[], Iterable[str]] = tuple,
                click: Sequence[float] | None = None) -> tuple[float, float]:
    """The x₀, y₀ inputs of the runs' start.  Another surface (``identity`` changed) opens with its own start
    ``default``, and the widget keys ``forget()`` names are dropped so they take that surface's defaults too; a
    link's values were applied on the first run and are not re-applied then.  ``click``, a point picked on the
    surface, moves the start there (rounded to 1e-4 of the box and clipped to it)."""
    (xlo, xhi), (ylo, yhi) = box
    marker = f"_{page}.start_for"
    if st.session_state.get(marker, identity) != identity:
        st.session_state[f"{page}.x0"], st.session_state[f"{page}.y0"] = default
        for k in list(forget()):
            st.session_state.pop(k, None)
    st.session_state[marker] = identity
    if click is not None:
        grain = 1e-4 * max(xhi - xlo, yhi - ylo)
        st.session_state[f"{page}.x0"] = float(np.clip(round(click[0] / grain) * grain, xlo, xhi))
        st.session_state[f"{page}.y0"] = float(np.clip(round(click[1] / grain) * grain, ylo, yhi))
    step = 10.0 ** np.floor(np.log10(max(xhi - xlo, yhi - ylo) / 100))
    cx, cy = st.columns(2)
    with cx:
        x0 = controls.number(f"{page}.x0", "x₀", default[0], xlo, xhi, step=step, format="%.4f", help=help)
    with cy:
        y0 = controls.number(f"{page}.y0", "y₀", default[1], ylo, yhi, step=step, format="%.4f")
    return float(x0), float(y0)


def range_note(lost) -> str | None:
    """The sentence a map owes its reader where f leaves float64's range on it (``lost``: a `surfaces.RangeMask`),
    else None: those grid points are left blank, and nothing is claimed there."""
    under, over = float(np.mean(lost.underflow)), float(np.mean(lost.overflow))
    if not (under or over):
        return None
    share = dict(under=f"{under:.0%}", over=f"{over:.0%}")
    if under and over:
        where = t("f leaves the float64 range (about 2.2e-308 to 1.8e308 in size): it underflows to 0 on {under} and "
                  "overflows on {over} of this map.", **share)
    elif under:
        where = t("f leaves the float64 range (about 2.2e-308 to 1.8e308 in size): it underflows to 0 on {under} of "
                  "this map.", **share)
    else:
        where = t("f leaves the float64 range (about 2.2e-308 to 1.8e308 in size): it overflows on {over} of this "
                  "map.", **share)
    return where + " " + t("Those regions are left blank, and no critical point, verdict or convergence is claimed "
                           "there: the numbers float64 gives there are not the function's.")


def engine_failed(what: str, err: Exception) -> None:
    """The engine refused a configuration: say which and why (the message as code, cut at 600 characters: it
    may hold user text), and keep the page."""
    st.error(t("{what} could not run:", what=what), icon="⚠️")
    st.code(f"{type(err).__name__}: {err}"[:600], language=None, wrap_lines=True)
