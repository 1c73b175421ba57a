"""The player speaks the visitor's language (issue 29, domain ``player``): every text it shows comes from Python
(`components.player.words`, through the catalogs) and the front end keeps no sentence of its own.

What is checked: in Chinese no English sentence is left in the player's words and the Compare page sends them (with
``lang``) to the player; in English they are the texts the player has always shown; every message the front end asks
for exists, with the placeholders it fills; no string of the front end's code or markup is an English sentence; every
status a page sends has its words.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from components import i18n, outcomes
from components.player import build_args, words
from tests.test_i18n import PLACEHOLDER, english_runs, open_page

FRONTEND = Path(__file__).resolve().parent.parent / "components" / "player" / "frontend"
ROOT = FRONTEND.parents[2]


@pytest.fixture
def speak(monkeypatch):
    """Run `words.strings` as a page run in ``lang`` would."""
    def strings(lang: str) -> dict[str, str]:
        monkeypatch.setattr(i18n, "language", lambda: lang)
        return words.strings()
    return strings


def test_in_chinese_no_english_sentence_is_left(speak):
    zh, en = speak("zh"), speak("en")
    assert set(zh) == set(en)
    left = {k: english_runs(v) for k, v in zh.items() if english_runs(v)}
    assert left == {}
    untranslated = sorted(k for k in zh if zh[k] == en[k] and re.search(r"[A-Za-z]{3,}", en[k]))
    assert untranslated == ["gif"]  # "GIF" is GIF in Chinese too
    assert zh["frame"].format(step=3, total=200) == "第 3 / 200 步" and zh["status.out_of_range"] == "超出数值范围"


def test_in_english_the_player_says_what_it_always_said(speak):
    en = speak("en")
    said = {"play": "Play", "pause": "Pause", "frame": "step {step} / {total}", "speed": "speed", "loop": "loop",
            "col_optimizer": "optimizer", "col_status": "status at this step", "status.running": "running",
            "status.out_of_range": "out of range", "copy": "Copy link", "copied": "Link copied ✓",
            "plan": "{frames} frames · {seconds} s at {fps} fps", "notch_opening":
            "notch {notch} / {count} (as in the sidebar): {name} = {values}", "list_separator": ", ",
            "flow_name": "{label} (gradient flow)", "kind.minimum": "minimum", "kind.start": "start"}
    assert {k: en[k] for k in said} == said


def _calls(source: str) -> list[tuple[list[str], set[str]]]:
    """Every ``say(...)`` call of a JS source: (the message keys its first argument can name, the placeholder names
    its values object fills).  A key ending in '.' is a prefix completed at run time ("status." + code)."""
    out = []
    for m in re.finditer(r"\bsay\(", source):
        depth, i = 1, m.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(source[i], 0)
            i += 1
        inner = source[m.end():i - 1]
        brace = inner.find("{")
        first, values = (inner, "") if brace < 0 else (inner[:brace], inner[brace:])
        out.append((re.findall(r'"([^"]*)"', first), set(re.findall(r"[{,]\s*(\w+)\s*:", values))))
    return out


def test_every_message_the_front_end_asks_for_exists_with_the_placeholders_it_fills(speak):
    en = speak("en")
    asked = []
    for path in sorted(FRONTEND.glob("*.js")):
        for keys, filled in _calls(path.read_text()):
            for key in keys:
                matches = [k for k in en if (k.startswith(key) if key.endswith(".") else k == key)]
                assert matches, f"{path.name}: say({key!r}) has no message"
                for k in matches:
                    needed = set(PLACEHOLDER.findall(en[k]))
                    assert needed <= filled, f"{path.name}: say({k!r}) leaves {needed - filled} unfilled"
                asked.append(key)
    html = (FRONTEND / "index.html").read_text()
    for key in re.findall(r'data-say(?:-label|-title)?="([^"]+)"', html):
        assert key in en and not PLACEHOLDER.findall(en[key]), key
        asked.append(key)
    # Every message is used somewhere (none is kept for nothing).
    unused = [k for k in en if not any(k == a or (a.endswith(".") and k.startswith(a)) for a in asked)]
    assert unused == []


INTERNAL = {
    "plotly.js did not load": "a broken checkout: shown in the player's error box for whoever debugs it",
    "element too large": "the WebM muxer's guard (a file over 2^56 bytes): never reached",
    "loss-landscapes player": "the WebM file's MuxingApp and WritingApp fields, inside the file",
    "export cancelled": "an aborted export's DOMException: the note says 'cancelled' in the visitor's words",
}
"""The only English of the front end: what no visitor is meant to read."""


def test_the_front_end_holds_no_english_sentence():
    sentences = set()
    for path in sorted(FRONTEND.glob("*.js")):
        text = re.sub(r"/\*.*?\*/|(?<![:\"'])//[^\n]*", " ", path.read_text(), flags=re.S)  # comments out
        for literal in re.findall(r'"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'', text):
            s = literal[0] or literal[1]
            code = re.search(r"[\[\]\"=#<>{}$]|^[\w-]+$", s)  # a selector, a font list, a name: not prose
            if not code and (english_runs(s) or re.fullmatch(r"[A-Za-z]+( [a-z]+)+[.]?", s)):
                sentences.add(s)
    assert sentences == set(INTERNAL)
    html = re.sub(r"<!--.*?-->|<script.*?</script>|<style.*?</style>", " ", (FRONTEND / "index.html").read_text(),
                  flags=re.S)
    shown = re.sub(r"&\w+;", " ", " ".join(re.findall(r">([^<]*)<", html)))  # the markup's own text
    assert re.findall(r"[A-Za-z]{2,}", shown) == []  # symbols only (f, ‖g‖, η, ×)


def test_every_status_a_page_sends_has_its_words():
    tree = ast.parse((ROOT / "components" / "outcomes.py").read_text())
    sent = {node.args[0].value for node in ast.walk(tree) if isinstance(node, ast.Call)
            and getattr(node.func, "id", "") == "Outcome" and isinstance(node.args[0], ast.Constant)}
    sent |= set(outcomes.ENGINE_WORDS.values()) | {"running"}
    assert sent == set(words.STATUSES)
    with pytest.raises(ValueError, match="out_of_range"):
        build_args({"x": [0, 1], "y": [0, 1], "z": [[0, 1], [1, 2]]},
                   [{"name": "sgd", "xy": [[0, 0]], "status": "out of range"}])


def test_the_compare_page_sends_the_player_its_words_in_chinese():
    at = open_page("compare", "zh")
    (player,) = [json.loads(el.proto.json_args) for el in at.get("component_instance")]
    assert player["lang"] == "zh" and player["strings"]["play"] == "播放"
    assert all(not english_runs(v) for v in player["strings"].values())
    assert {p["status"] for p in player["paths"]} <= set(words.STATUSES)
