"""Hostile input on every page: URL values and typed expressions give notices, never an exception, and user text
comes back only inert (as code or LaTeX built from the parsed tree), never as live Markdown or HTML.

For each page, one run with no parameters learns which URL keys the page reads (the keys it writes back); then
every key at once gets one hostile value (NaN, ±inf, ±1e308, text, 10 kB, empty, a Markdown link to
``javascript:``, an ``<img onerror>``), and further runs name unknown surfaces and optimizers, carry unknown keys
whose *names* are payloads, and type payloads into the expression box (one AppTest reused for all of those).

"Inert" is checked on the element tree AppTest receives: the payload fragments (``javascript:``, ``<img``,
``onerror``, ``<script``) may appear in code and LaTeX elements (and in the text box that holds what the user
typed), and inside inline-code spans of Markdown (which Streamlit renders as literal text); anywhere else is a
failure.  No element may echo more than `ECHO_LIMIT` characters of a long value.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, UnknownElement, Widget

from components import style

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("compare", "explore", "lab")
TIMEOUT = 300  # cold JAX compiles (and a loaded CI box) take far longer than AppTest's 3 s

LINK = "[x](javascript:alert(1))"
IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(1)</script>"
PAYLOADS = (LINK, IMG, SCRIPT, f"x**2 + {LINK}")
OWN_HTML = {style.CSS.strip(), style.TOUCH.strip()}
DANGER = ("javascript:", "<img", "onerror", "<script")
LONG = "Z" * 10_000
ECHO_LIMIT = 200
URL_VALUES = ("nan", "inf", "-inf", "1e308", "-1e308", "text", LONG, "", LINK, IMG)
TYPED = (*PAYLOADS, "__import__('os').system('id')", "x**2 +", "x" * 600, "exp(exp(exp(exp(x))))", "x**1e308",
         "1/(x-x)", "nan*x + inf*y", "(" * 80 + "x" + ")" * 80, LONG)
INERT = {"code", "latex"}  # display elements allowed to carry user text verbatim
CODE_SPANS = re.compile(r"```.*?```|``.*?``|`[^`\n]*`", re.DOTALL)


def page_file(page: str) -> str:
    return str(ROOT / "app_pages" / f"{page}.py")


def fresh(page: str, query: dict[str, str] | None = None) -> AppTest:
    """The page as app.py mounts it (st.navigation: its links to other pages resolve)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update(query or {})
    at.switch_page(f"app_pages/{page}.py")
    return at.run()


def walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def offences(at: AppTest) -> list[str]:
    """Every place where user text shows outside code/LaTeX, and every exception."""
    found = []
    for node in walk(at._tree):
        if isinstance(node, Block) or isinstance(node, Widget):
            continue  # containers hold no text; a widget shows the user's own input in its box
        kind = getattr(node, "type", "")
        if kind == "exception":
            found.append(f"exception: {node.value}: {node.message}"[:300])
            continue
        text = str(node.proto)
        if kind == "html" and str(getattr(node.proto, "body", "")).strip() in OWN_HTML:
            continue  # the app's own style and touch script (components/style.py), no user text in them
        if kind in INERT:
            shown = ""
        elif isinstance(node, UnknownElement) or kind in ("html", "json", "text"):
            shown = text  # no Markdown here: a fragment anywhere would reach the browser as it is
        else:
            value = getattr(node, "value", None)
            shown = CODE_SPANS.sub("", value if isinstance(value, str) else text)
        found += [f"{kind}: {frag!r} outside code in {shown[:160]!r}" for frag in DANGER if frag.lower() in
                  shown.lower()]
        if LONG[:ECHO_LIMIT] in text:
            found.append(f"{kind}: echoes a long value")
    return found


def told(at: AppTest) -> bool:
    """The page said something about the input: a warning, an error or an info box."""
    return bool(at.warning or at.error or at.info)


@pytest.fixture(scope="module", params=PAGES)
def page_keys(request):
    """The page and the URL keys it reads, as written back after a run with no parameters ("missing keys")."""
    at = fresh(request.param)
    assert offences(at) == []
    keys = sorted(at.query_params.keys())
    assert keys and all(k.startswith(f"{request.param}.") or k == "lang" for k in keys)  # lang: the language
    return request.param, keys


@pytest.mark.parametrize("value", URL_VALUES, ids=["nan", "inf", "-inf", "1e308", "-1e308", "text", "10kB", "empty",
                                                   "md-link", "img"])
def test_every_url_key_with_a_hostile_value(page_keys, value):
    page, keys = page_keys
    at = fresh(page, {k: value for k in keys})
    assert offences(at) == []
    if value not in ("1e308", "-1e308"):  # a huge number is clamped silently where the control allows any size
        assert told(at), f"{page}: {value[:20]!r} everywhere in the link gave no notice"


def test_unknown_names_and_payload_keys(page_keys):
    page, keys = page_keys
    query = {f"{page}.surface": "no_such_surface", f"{page}.optimizers": "no_such_optimizer,adam",
             f"{page}.optimizer": "no_such_optimizer", f"{page}.schedule": "no_such_schedule",
             f"{page}.{LINK}": "1", f"{page}.{IMG}": IMG, LINK: LINK, f"{page}.{'k' * 5000}": "1"}
    at = fresh(page, query)
    assert offences(at) == []
    assert told(at)


@pytest.mark.parametrize("payload", PAYLOADS + (LONG,), ids=["md-link", "img", "script", "expr+link", "10kB"])
def test_expression_in_the_url(page_keys, payload):
    page, _ = page_keys
    at = fresh(page, {f"{page}.surface": "custom", f"{page}.expression": payload})
    assert offences(at) == []
    assert told(at)


def test_typed_expressions(page_keys):
    page, _ = page_keys
    at = fresh(page, {f"{page}.surface": "custom"})
    box = f"{page}.expression"
    for text in TYPED:
        at.text_input(box).input(text).run()
        assert offences(at) == [], f"{page}: typing {text[:40]!r}"
    at.text_input(box).input("x**2 + y**2").run()  # and the page recovers
    assert offences(at) == [] and not at.error


def _shows(payload_kind: str) -> None:  # a tiny app for the checker's own test (AppTest.from_function)
    import streamlit as st

    link = "[x](javascript:alert(1))"
    {"markdown": lambda: st.markdown(link), "warning": lambda: st.warning(f"bad {link}"),
     "html": lambda: st.html("<img src=x onerror=alert(1)>"), "caption": lambda: st.caption(link),
     "code": lambda: st.code(link), "inline-code": lambda: st.warning(f"bad `{link}`"),
     "latex": lambda: st.latex(r"\text{javascript:}"), "box": lambda: st.text_input("f", link)}[payload_kind]()


@pytest.mark.parametrize("kind, flagged", [("markdown", True), ("warning", True), ("html", True), ("caption", True),
                                           ("code", False), ("inline-code", False), ("latex", False),
                                           ("box", False)])
def test_the_checker_flags_live_markdown_and_html_only(kind, flagged):
    at = AppTest.from_function(_shows, args=(kind,), default_timeout=30).run()
    assert bool(offences(at)) == flagged
