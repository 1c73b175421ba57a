"""The Compare page in 简体中文 (issue 29): every view speaks Chinese, keeps ``lang`` in its URL, and the same views
in English still say what they said."""

from __future__ import annotations

import pytest

from test_i18n import english_left, open_page

VIEWS = {
    "default": {},
    "scrub and flow": {"compare.scrub": "learning_rate", "compare.flow": "true",
                       "compare.optimizers": "sgd,momentum,adam"},
    "schedule, noise, side by side": {"compare.schedule": "cosine", "compare.noise": "0.5",
                                      "compare.layout": "side_by_side"},
    "built chain": {"compare.chain": "adam,wd,lr"},
    "diverging run": {"compare.surface": "rosenbrock", "compare.optimizers": "sgd",
                      "compare.sgd.learning_rate": "0.1"},
    "saddle": {"compare.surface": "monkey_saddle"},
}


@pytest.mark.parametrize("view", list(VIEWS))
def test_every_view_speaks_chinese(view):
    at = open_page("compare", "zh", **VIEWS[view])
    assert at.title[0].value == "比较优化器"
    assert english_left(at) == []
    assert at.query_params["lang"] == "zh"


def test_the_outcomes_and_claims_are_sentences_of_the_run_in_chinese():
    at = open_page("compare", "zh", **VIEWS["diverging run"])
    outcome = " ".join(m.value for m in at.markdown)
    assert "发散" in outcome and "η·λmax" in outcome  # the divergence sentence with its numbers
    at = open_page("compare", "zh")
    assert "这些运行说明了什么" in at.caption[0].value


def test_english_is_unchanged():
    at = open_page("compare", "en", **VIEWS["scrub and flow"])
    assert at.title[0].value == "Compare optimizers"
    assert english_left(at) != []  # the detector sees English where English is wanted
    assert at.query_params["lang"] == "en"


def test_a_refused_formula_is_explained_in_chinese():
    at = open_page("compare", "zh", **{"compare.surface": "custom", "compare.expression": "x**2 + (y"})
    assert [e.value for e in at.error] == ["这个表达式无法使用："]
    assert "第 8 列" in at.code[0].value and "'(' 没有闭合" in at.code[0].value
    at = open_page("compare", "en", **{"compare.surface": "custom", "compare.expression": "x**2 + (y"})
    assert "syntax error at column 8: '(' was never closed" in at.code[0].value
