"""The Lab page in 简体中文 (issue 29): every section (``lab.section``: the learning-rate curve, the phase diagram, random
against grid search, basins of attraction, the fair comparison, schedules), and the pages' other states (a surface
that is not a quadratic, one with fewer than two minima, a typed formula that does not parse, a reversed range),
render without an exception and with no English sentence left (`tests.test_i18n.english_left`); the same views in
English say what they always said; ``lang`` stays in the URL; switching the language keeps the section and its
settings.

AppTest runs app.py (navigation, language) switched to the Lab page, so the engine's compiled sweeps stay warm in
this process between the two languages of a view: the second language costs no compile.
"""

from __future__ import annotations

import pytest

from components import i18n, outcomes
from components.lab import compute, words
from tests.test_i18n import english_left, open_page, visible_texts

SMALL = {"lab.steps": "150", "lab.curve.points": "16", "lab.phase.size": "8", "lab.basins.size": "12",
         "lab.fair.budget": "3", "lab.fair.starts": "10", "lab.search.budget": "9"}
USES = {"curve": ("curve",), "phase": ("phase",), "search": ("phase", "search"), "basins": ("basins",),
        "fair": ("fair",), "schedules": ()}
CHARTS = {"curve": "lab.chart.curve", "phase": "lab.chart.phase", "search": "lab.chart.search",
          "basins": "lab.chart.basins", "fair": "lab.chart.fair", "schedules": "lab.chart.schedule"}

VIEWS = {
    # name: (section, extra query); together they open every section and every branch of the page's sentences
    "curve": ("curve", {}),  # a quadratic: analytic limits, closed-form readings
    "curve-not-quadratic": ("curve", {"lab.surface": "himmelblau"}),
    "phase": ("phase", {}),  # the analytic boundary and the agreement caption
    "phase-steps": ("phase", {"lab.surface": "rosenbrock", "lab.phase.metric": "steps"}),
    "search": ("search", {}),
    "basins": ("basins", {"lab.surface": "himmelblau"}),  # four minima, each a labelled category
    "basins-one-minimum": ("basins", {}),  # the valley: the "fewer than two minima" note
    "fair": ("fair", {"lab.surface": "himmelblau"}),
    "schedules": ("schedules", {"lab.schedules.schedule": "one_cycle"}),
}


def query(section: str, extra: dict) -> dict[str, str]:
    sizes = {k: v for k, v in SMALL.items() if k == "lab.steps" or k.split(".")[1] in USES[section]}
    return {**sizes, "lab.section": section, **extra}


def chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def url(at) -> dict[str, str]:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def chart_keys(at) -> set[str]:
    return {element.proto.id.split("-", 2)[-1] for element in at.get("plotly_chart")}


@pytest.mark.parametrize("view", list(VIEWS))
def test_every_lab_view_speaks_chinese_and_the_same_view_in_english_is_unchanged(view):
    section, extra = VIEWS[view]
    zh = open_page("lab", "zh", **query(section, extra))
    assert not zh.error, [e.value for e in zh.error]
    assert CHARTS[section] in chart_keys(zh)
    assert english_left(zh) == []
    assert url(zh)["lang"] == "zh" and url(zh)["lab.section"] == section
    shown = "\n".join(visible_texts(zh))
    assert "实验室：大规模扫描" in shown and "学习率曲线" in shown  # the title and the section bar

    en = open_page("lab", "en", **query(section, extra))
    assert not en.error, [e.value for e in en.error]
    assert CHARTS[section] in chart_keys(en)
    assert url(en)["lang"] == "en"
    english = "\n".join(visible_texts(en))
    assert "Lab: sweeps at scale" in english and "Learning-rate curve" in english
    switch = {i18n.LANGUAGES["zh"], "Language · 语言"}  # the language switch names each language in its own script
    assert [text for text in visible_texts(en) if chinese(text) and text not in switch] == []


def test_the_sentences_with_numbers_are_whole_in_both_languages():
    """A reading of the η curve is one message in each language, its numbers in their place (not glued)."""
    values = dict(label="GD", onset=2.0, limit=2.0, spacing=1.05)
    assert words.divergence_reading(**values) == "**GD** first diverges at η = 2 (closed form: 2; grid spacing ×1.050)"
    assert "never diverges on this range" in words.divergence_reading("GD", None, None, 1.05)
    assert words.limits().endswith(f"≤ {compute.MAX_STEPS:,} steps")
    zh = i18n.catalog("zh")
    assert zh.gettext("**{name}** first diverges at η = {eta} (closed form: {limit}; grid spacing ×{spacing})") \
        .format(name="GD", eta="2", limit="2", spacing="1.050") == "**GD** 在 η = 2 处首次发散（闭式解：2；网格间距 ×1.050）"
    # The schedule's outcome names the engine's status with the pages' one status vocabulary (outcomes.ENGINE_WORDS),
    # whose words the Lab marks for its catalog: the same words, each with its Chinese.
    assert sorted(words.STATUS_MESSAGES) == sorted(outcomes.ENGINE_WORDS.values())
    assert {status: zh.gettext(word) for status, word in outcomes.ENGINE_WORDS.items()} == {
        "converged": "收敛", "diverged": "发散", "max_steps": "仍在移动"}


def test_a_broken_formula_and_a_reversed_range_are_said_in_chinese():
    at = open_page("lab", "zh", **{"lab.surface": "custom", "lab.expression": "x**2 + (", "lab.box": "2"})
    assert at.sidebar.error and english_left(at) == []
    assert any("请先修正侧边栏中的表达式" in i.value for i in at.info)
    at = open_page("lab", "zh", **query("curve", {"lab.curve.lo": "5.0", "lab.curve.hi": "0.01"}))
    assert any("已将两者对调" in i.value for i in at.info) and english_left(at) == []


def test_switching_the_language_keeps_the_section_and_its_settings():
    at = open_page("lab", "zh", **query("basins", {"lab.surface": "himmelblau"}))
    before = {k: v for k, v in url(at).items() if k != "lang"}
    at.radio(key=i18n.PARAM).set_value("en").run()
    assert not at.exception, at.exception
    after = url(at)
    assert after["lang"] == "en" and {k: v for k, v in after.items() if k != "lang"} == before
    assert "lab.chart.basins" in chart_keys(at)
    assert any(h.value == "Lab: sweeps at scale" for h in at.title)
    assert english_left(at) != []  # English again: the detector sees the sentences
