"""The pages' languages: English and 简体中文, from gettext catalogs (``locales/<lang>/LC_MESSAGES/*.po``).

Every sentence a page shows is one message with named placeholders, written in English in the code and looked up
here for the visitor's language::

    t("{name} converged at step {step}.", name=title, step=k)
    tn("{n} critical point in view", "{n} critical points in view", n, n=n)   # plural forms of the language

`N_` marks a message for extraction where it is defined as a constant and translated where it is shown (``t(NAME)``);
registry texts that live in the engine (titles, descriptions, help) are extracted from the registries themselves
(``tools/messages.py``) and shown through `t` as well, so the engine keeps its English for notebook users.

The language: the URL's ``lang`` (``en``/``zh``), else the browser's (`st.context.locale`, any ``zh*`` → 简体中文), else
English; the sidebar's switch writes ``lang`` to the URL (`controls.finish` keeps it there), so a shared link, Copy
link and every "open in …" link carry it.  The ``.po`` files are read at first use with Babel and compiled in memory
(`babel.messages.mofile`), so a fresh clone needs no build step.  Adding a language is adding its catalogs and a line
to `LANGUAGES` (README, "Translations").
"""

from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path

import streamlit as st

LOCALES = Path(__file__).resolve().parent.parent / "locales"
LANGUAGES = {"en": "English", "zh": "简体中文"}
"""Language codes (the URL's ``lang``) and their names in their own script, in menu order."""
SOURCE = "en"
"""The language the messages are written in (no catalog needed)."""
PARAM = "lang"
"""The URL parameter and widget key of the language."""
_STATE = "_i18n.lang"


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it here (a constant translated where it is shown)."""
    return message


@functools.lru_cache(maxsize=len(LANGUAGES))
def catalog(lang: str) -> gettext.NullTranslations:
    """Every catalog of ``lang`` (all its ``.po`` domains merged), compiled in memory; a null catalog for English."""
    if lang == SOURCE or lang not in LANGUAGES:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    merged = None
    for po in sorted((LOCALES / lang / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as f:
            cat = read_po(f, locale=_babel_locale(lang))
        buffer = io.BytesIO()
        write_mo(buffer, cat, use_fuzzy=False)
        buffer.seek(0)
        translations = gettext.GNUTranslations(buffer)
        if merged is None:
            merged = translations
        else:
            merged.add_fallback(translations)
    return merged or gettext.NullTranslations()


def _babel_locale(lang: str) -> str:
    return {"zh": "zh_Hans_CN"}.get(lang, lang)


def language() -> str:
    """The visitor's language in this run (`choose` sets it; English outside a page run)."""
    try:
        return st.session_state.get(_STATE, SOURCE)
    except Exception:  # noqa: BLE001 -- no script run (a notebook, a unit test): the source language
        return SOURCE


def choose() -> str:
    """Decide this run's language (first call of every page run): the switch's value, else the URL's ``lang``, else
    the browser's language; returns it."""
    state = st.session_state
    chosen = state.get(PARAM)
    if chosen not in LANGUAGES:
        chosen = st.query_params.get(PARAM)
    if chosen not in LANGUAGES:
        locale = (st.context.locale or "") if hasattr(st.context, "locale") else ""
        chosen = "zh" if str(locale).lower().startswith("zh") else SOURCE
    state[_STATE] = chosen
    if state.get(PARAM) not in LANGUAGES:
        state[PARAM] = chosen
    return chosen


def switch() -> None:
    """The sidebar's language switch (its value goes to the URL's ``lang`` through `controls.finish`)."""
    st.sidebar.radio("Language · 语言", list(LANGUAGES), key=PARAM, format_func=LANGUAGES.get, horizontal=True,
                     label_visibility="collapsed", on_change=_switched)


def _switched() -> None:
    st.session_state[_STATE] = st.session_state[PARAM]


def t(message: str, /, **values) -> str:
    """``message`` in the visitor's language, its ``{placeholders}`` filled from ``values``."""
    text = catalog(language()).gettext(message) if message else message
    return text.format(**values) if values else text


def tn(singular: str, plural: str, n: int, /, **values) -> str:
    """The message for ``n`` (the language's plural rule), its placeholders filled from ``values``."""
    text = catalog(language()).ngettext(singular, plural, n)
    return text.format(**values) if values else text
