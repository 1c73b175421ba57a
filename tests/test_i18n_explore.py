"""The Explore page in 简体中文 (issue 29): every view speaks Chinese, says the same as in English, and keeps its
language and its open tab.

What the visitor reads is collected by `tests.test_i18n.visible_texts` (and here also the verdict's plain text, the
table's kind column and the LaTeX's words); "no English left" is `english_left`/`english_runs` of that module.  The
views: the atlas with its notes (capped, continuum, undecided boxes, float64's range, a constant f, a bad formula,
refused URL values), the selected point of every kind (minimum, maximum, saddle, degenerate, not critical, outside
float64's range, not differentiable), and the four tabs (local model, saddle escape, the three curvature shadings,
the gradient check near and at a critical point).  The words of every branch are also checked directly, in both
languages, against the engine's own English (`PointInfo.reason`).
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

import landscapes
from components import i18n
from components.explore import compute, words
from landscapes import analysis
from landscapes.base import PointInfo
from landscapes.expression import DEFAULT_BOUNDS
from landscapes.exclusion import UNDECIDED
from tests.test_i18n import english_left, english_runs, open_page

SECTIONS_ZH = {code: i18n.catalog("zh").gettext(label) for code, label in words.SECTIONS.items()}


def url(at) -> dict[str, str]:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def said(at) -> list[str]:
    """What is left in English on the page: `english_left`, and the verdict (plain text) and the atlas table's
    kinds, which `visible_texts` does not read."""
    left = english_left(at)
    for text in [e.value for e in at.text]:
        if runs := english_runs(text):
            left.append(f"{runs} in {text[:120]!r}")
    for frame in at.dataframe:
        for column in getattr(frame.value, "columns", []):
            cells = [c for c in frame.value[column].tolist() if isinstance(c, str)]
            left += [f"{c!r} in column {column!r}" for c in cells if english_runs(c) or c in landscapes.KINDS]
    return left


def show(at, section: str, **state) -> None:
    """Open tab ``section`` (a key of `words.SECTIONS`) with the widget values ``state``, run, and check no English."""
    at.session_state["explore.section"] = SECTIONS_ZH[section]
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    assert url(at)["lang"] == "zh"
    assert said(at) == [], (section, state)


def verdict_text(at) -> str:
    return "\n".join(e.value for e in at.text)


# ------------------------------------------------------------------------------------------------ the page in Chinese
def texts(at) -> list[str]:
    return [e.value for kind in ("markdown", "warning", "info", "caption", "text", "header", "subheader")
            for e in getattr(at, kind)]


def every_tab(at, sections=tuple(words.SECTIONS)) -> list[str]:
    """Open each tab in turn (checking each); every text shown on the way."""
    shown = []
    for section in sections:
        show(at, section)
        shown += texts(at)
    return shown


def himmelblau_points() -> dict[str, PointInfo]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = landscapes.critical_points(landscapes.get("himmelblau"))
    return {p.kind: p for p in found}


def test_every_view_of_himmelblau_speaks_chinese():
    at = open_page("explore", "zh", **{"explore.surface": "himmelblau"})
    assert url(at)["lang"] == "zh" and said(at) == []
    assert at.title[0].value == "探索临界点"
    assert [t.label for t in at.tabs] == list(SECTIONS_ZH.values())
    assert "海森矩阵不定 → 鞍点" in verdict_text(at)  # the lowest saddle is selected
    assert any("视图内有 9 个临界点：4 个极小值、1 个极大值、4 个鞍点——这就是全部" in m.value for m in at.markdown)
    # The saddle's other tabs: the escape runs, each shading of the curvature map, the gradient check (∇f ≈ 0 here,
    # so it checks a nearby point as well: both readings, the chart and the table).
    show(at, "escape")
    assert sum(m.value.startswith("**") and "**：" in m.value for m in at.markdown) == 4
    for shade in words.CURVATURE_MODES:
        show(at, "curvature", **{"explore.shade": shade})
    show(at, "check")
    assert any("相对误差" in latex.value for latex in at.latex)
    assert any("附近的点 q" in m.value for m in at.markdown) and len(at.get("plotly_chart")) == 3
    # A minimum, the maximum and a point that is not critical, in the model tab and the check.
    points = himmelblau_points()
    for xy, headline in ((points["minimum"].xy, "局部极小值"), (points["maximum"].xy, "局部极大值"),
                         ((0.0, 0.0), "不是临界点")):
        show(at, "model", **{"explore.x": float(xy[0]), "explore.y": float(xy[1])})
        assert any(headline in m.value for m in at.markdown), headline
        show(at, "check")
    assert "曲面在此处的局部形状：穹顶形（两个 λ 都 < 0）。" in verdict_text(at)
    assert "梯度正确" in "\n".join(texts(at))
    # A point outside the view box, and a view box the page refuses (the surface's own box is used).
    show(at, "model", **{"explore.x": 9.0, "explore.y": 9.0})
    assert any("在视图范围之外" in c.value for c in at.caption)
    at.number_input(key="explore.xmin").set_value(4.0)
    at.number_input(key="explore.xmax").set_value(1.0)
    at.run()
    assert said(at) == [] and any("视图范围：x 下限（4）必须小于 x 上限（1）" in w.value for w in at.warning)


@pytest.mark.parametrize("surface, query, phrases", [
    ("saddle", {"explore.noise": "0.01", "explore.steps": "100"}, ["逃离并持续下降", "被困住：100 步之后离鞍点 0"]),
    ("rastrigin", {}, ["共找到 441 个临界点；表格和标记只显示 f 最低的 400 个。"]),
    ("monkey_saddle", {}, ["搜索既不能排除也不能孤立出临界点", "退化临界点：检验无法判定"]),
])
def test_builtin_surfaces_with_notes_and_escape_runs_speak_chinese(surface, query, phrases):
    at = open_page("explore", "zh", **{"explore.surface": surface, **query})
    assert said(at) == []
    shown = texts(at) + every_tab(at, ("escape", "curvature", "check"))
    for phrase in phrases:
        assert any(phrase in text for text in shown), phrase


@pytest.mark.parametrize("expression, point, phrases", [
    ("x**2", None, ["连续体", "退化临界点：检验无法判定", "视图范围内没有鞍点。"]),
    ("1", None, ["f 在此视图范围内是常数"]),
    ("sqrt(x**2 + y**2)", (0.0, 0.0), ["此处不可微", "不是二阶可微的", "此点的梯度不是有限值"]),
    ("exp(1000*x)", (-1.0, 0.0), ["f 在此处的 float64 计算中下溢（舍入为 0）", "f 或 ∇f 超出了 float64 的范围"]),
    ("log(x) + y**2", None, ["f 或 ∇f 不是有限值（极点，或函数定义域的边界）"]),
    ("1/x + y**2", None, ["搜索既不能排除也不能孤立出临界点"]),
])
def test_typed_surfaces_and_their_notes_speak_chinese_in_every_tab(expression, point, phrases):
    query = {"explore.surface": "custom", "explore.expression": expression}
    if point is not None:
        query.update({"explore.x": str(point[0]), "explore.y": str(point[1])})
    at = open_page("explore", "zh", **query)
    assert said(at) == []
    shown = every_tab(at)
    for phrase in phrases:
        assert any(phrase in text for text in shown), phrase


def test_a_bad_formula_and_hostile_url_values_are_refused_in_chinese():
    at = open_page("explore", "zh", **{"explore.surface": "custom", "explore.expression": "x +* y"})
    assert said(at) == [] and at.error[0].value == "这个表达式无法使用："
    assert at.info[0].value == "请在侧边栏修正表达式，以查看它的临界点。"
    at = open_page("explore", "zh", **{
        "explore.surface": "himmelblau", "explore.x": "nan", "explore.steps": "-5", "explore.shade": "`rm`",
        "explore.xmin": "3", "explore.xmax": "-3", "explore.bogus": "1"})
    assert said(at) == []
    notices = "\n".join(w.value for w in at.warning)
    for phrase in ("步数：", "曲率图：着色依据：", "已忽略 URL 参数", "视图范围：x 下限（3）必须小于 x 上限（-3）；改用曲面自带的范围。"):
        assert phrase in notices, (phrase, notices)


def test_switching_language_keeps_the_view_and_the_open_tab():
    at = open_page("explore", "en", **{"explore.surface": "booth", "explore.x": "1.5", "explore.y": "-2"})
    at.session_state["explore.section"] = "Curvature map"
    at.run()
    assert at.subheader[0].value == "Gradient descent's stability limit at p"
    at.radio(key="lang").set_value("zh")
    at.run()
    assert not at.exception and url(at)["lang"] == "zh"
    assert at.subheader[0].value == "p 处梯度下降的稳定性极限"  # still the curvature tab, now in Chinese
    assert (url(at)["explore.surface"], url(at)["explore.x"], url(at)["explore.y"]) == ("booth", "1.5", "-2.0")
    assert said(at) == []
    at.radio(key="lang").set_value("en")
    at.run()
    assert url(at)["lang"] == "en" and at.subheader[0].value == "Gradient descent's stability limit at p"
    assert at.session_state["explore.section"] == "Curvature map"


def test_the_same_views_in_english_still_say_what_they_said():
    at = open_page("explore", "en", **{"explore.surface": "himmelblau", "explore.x": "3", "explore.y": "2"})
    assert url(at)["lang"] == "en"
    assert at.title[0].value == "Explore critical points"
    assert [t.label for t in at.tabs] == list(words.SECTIONS.values())
    assert "both eigenvalues positive" in verdict_text(at)
    assert any(m.value == "**9 critical points in view: 4 minima, 1 maximum, 4 saddles — all of them: bounds on ∇f "
               "over a subdivision of the box rule out any other.**" for m in at.markdown)
    table = next(d for d in at.dataframe if d.proto.id.endswith("explore.table")).value
    assert list(table.columns) == list(words.TABLE_COLUMNS) and set(table["kind"]) == {"minimum", "maximum", "saddle"}
    assert len(said(at)) > 10  # the detector reads this page: in English it finds its sentences


# ------------------------------------------------------------------------------------------------ the words, directly
@pytest.fixture
def zh(monkeypatch):
    monkeypatch.setattr(i18n, "language", lambda: "zh")


def in_language(monkeypatch, lang: str, fn, *args):
    with monkeypatch.context() as m:
        m.setattr(i18n, "language", lambda: lang)
        return fn(*args)


def classified() -> list[tuple[PointInfo, tuple]]:
    """A point of every verdict the engine gives, with the box it was classified on."""
    himmelblau = landscapes.get("himmelblau")
    points = himmelblau_points()
    out = [(analysis.classify(himmelblau, xy, himmelblau.bounds), himmelblau.bounds)
           for xy in (points["minimum"].xy, points["maximum"].xy, points["saddle"].xy, (0.0, 0.0), (1.0, -3.0))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for text, xy in (("x**2", (0.0, 1.0)), ("exp(1000*x)", (-1.0, 0.0)), ("x**2 - y**2", (0.1, 0.2))):
            out.append((analysis.classify(landscapes.from_expression(text, DEFAULT_BOUNDS), xy, DEFAULT_BOUNDS),
                        DEFAULT_BOUNDS))
    return out


def numbers_in(text: str) -> list[str]:
    return re.findall(r"−?\d+(?:\.\d+)?(?:e[+-]?\d+)?", text)


def test_the_verdict_in_english_is_the_engines_reason_and_in_chinese_the_same_numbers(monkeypatch):
    points = classified()
    assert {p.kind for p, _ in points} == {"minimum", "maximum", "saddle", "regular", "degenerate", "out_of_range"}
    for info, box in points:
        headline, reason = in_language(monkeypatch, "en", words.verdict, info, box)
        if info.kind == "regular":  # the page adds the local shape
            shape = words.SHAPE_WORDS[compute.local_shape(*map(float, info.eigenvalues))]
            assert reason == f"{info.reason}. Locally the surface is {shape}."
        else:
            assert reason == info.reason
        zh_headline, zh_reason = in_language(monkeypatch, "zh", words.verdict, info, box)
        assert english_runs(zh_headline) == [] and english_runs(zh_reason) == [], zh_reason
        assert zh_headline != headline and zh_reason != reason
        assert [n for n in numbers_in(reason) if n not in zh_reason] == [], (reason, zh_reason)


def test_a_point_outside_float64s_range_says_what_left_it(zh):
    info = classified()[6][0]
    assert info.kind == "out_of_range"
    assert words.reason(info, DEFAULT_BOUNDS).startswith("f 在此处的 float64 计算中下溢（舍入为 0）")
    for engine, start in (("∇f overflows in float64 here: …", "∇f 在此处的 float64 计算中上溢"),
                          ("the Hessian underflows (rounds to 0) in float64 here: …", "海森矩阵 在此处的 float64 计算中下溢"),
                          ("some other wording", "此处 f、∇f 或海森矩阵超出了 float64 能表示的范围")):
        assert words.reason(info._replace(reason=engine), DEFAULT_BOUNDS).startswith(start)


def atlas_of(points, found, reasons=(), proof=True) -> analysis.Atlas:
    """An atlas with one undecided box per reason: the first a speck at the origin, the others [0, 1] × [0, 2]."""
    boxes = np.array([[[-1e-9, -1e-9], [1e-9, 1e-9]] if i == 0 else [[0.0, 0.0], [1.0, 2.0]]
                      for i in range(len(reasons))]).reshape(-1, 2, 2)
    return analysis.Atlas(tuple(points), found, boxes, np.array([UNDECIDED.index(r) for r in reasons], int), proof)


def test_every_atlas_count_and_note_is_chinese(zh):
    box = ((-2.0, 2.0), (-2.0, 2.0))
    line = [PointInfo(np.array([0.0, y]), 0.0, np.zeros(2), np.diag([2.0, 0.0]), np.array([0.0, 2.0]), np.eye(2),
                      "degenerate", "") for y in np.linspace(-1, 1, 25)]
    one = [p._replace(kind=kind) for p, kind in zip(line, ("minimum", "maximum", "saddle"))]
    for found in (atlas_of(line, 30, UNDECIDED, proof=False), atlas_of(one, 3), atlas_of(one[:1], 1),
                  atlas_of((), 0), atlas_of((), 0, ("budget",))):
        summary, notes = words.describe_atlas(found, box)
        assert [s for s in (summary, *notes) if english_runs(s)] == []
    summary, notes = words.describe_atlas(atlas_of(line, 30, UNDECIDED, proof=False), box)
    assert summary == "视图内有 25 个临界点：25 个退化点。"
    assert len(notes) == 1 + len(UNDECIDED) + 2  # Newton only, each reason, capped, continuum
    assert notes[1].startswith("在 (0, 0) 附近，搜索") and notes[2].startswith("在 x ∈ [0, 1]、y ∈ [0, 2] 范围内，∇f")
    assert words.describe_atlas(atlas_of(one, 3), box)[0] == (
        "视图内有 3 个临界点：1 个极小值、1 个极大值、1 个鞍点——这就是全部：在区域的细分上对 ∇f 求界，排除了其他任何临界点。")


def test_every_sentence_of_the_sections_is_chinese(zh):
    box = ((-1.0, 1.0), (-1.0, 1.0))
    sentences = [words.stability(lam) for lam in ([np.nan, 1.0], [-3.0, -1.0], [-1.0, 2.0], [0.5, 8.0])]
    away = np.stack([np.linspace(0, 0.5, 11), np.zeros(11)], axis=1)
    for xy, loss, status in ((np.zeros((11, 2)), np.zeros(11), "converged"), (away, -away[:, 0] ** 2, "max_steps"),
                             (away, away[:, 0] ** 2, "max_steps"), (away, -away[:, 0], "diverged"),
                             (away, away[:, 0], "diverged")):
        sentences.append(words.escape_summary(xy, loss, status, 10, (0, 0), 0.0, box)[1])
    hs = np.logspace(-1, -12, 12)
    for error in (1e-9, 1e-5, 1e-3, 1.0):  # each of cs231n's grades, and one step size exact
        errors = np.r_[0.0, np.full(11, error)]
        check = analysis.GradientCheck(np.ones(2), np.ones(2), np.full(2, error), error, hs, errors, 1e-5)
        sentences += words.gradient_check_words(check, 1.0, box)
    flat = analysis.GradientCheck(np.zeros(2), np.zeros(2), np.ones(2), 1.0, hs, np.ones(12), 1e-5)
    sentences += words.gradient_check_words(flat, 1.0, box)
    sentences += words.gradient_check_words(flat._replace(analytic=np.array([np.nan, 0.0])), 1.0, box)
    maps = analysis.CurvatureMaps(np.arange(2.0), np.arange(2.0), *(np.zeros((2, 2)),) * 3,
                                  np.array([[0, 1], [2, 3]], dtype=np.int8), np.ones((2, 2)))
    sentences.append(words.shape_shares(maps))
    sentences += [words.box_problem(0, 1, 0, np.inf), words.box_problem(1, 1, 0, 1)]
    nowhere = np.full((2, 2), np.nan)
    sentences.append(words.nonfinite_problem(PointInfo(np.zeros(2), 1.0, nowhere[0], nowhere, nowhere[0], nowhere,
                                                       "regular", "")))
    assert len(sentences) == 4 + 5 + 4 * 2 + 1 + 1 + 1 + 2 + 1  # every branch once, the exact-step note each time
    assert [s for s in sentences if not s or english_runs(s)] == []
    assert "此点处 梯度、海森矩阵 不是有限值" in sentences[-1]
    assert sentences[-4] == "在视图范围中所占的比例：碗形 25%、穹顶形 25%、鞍形 25%、某方向平坦 25%。"


def test_a_tab_keeps_its_place_whatever_language_its_label_was_stored_in(monkeypatch):
    assert words.section_label("Saddle escape") == "Saddle escape"
    assert words.section_label(SECTIONS_ZH["escape"]) == "Saddle escape"
    assert words.section_label("nonsense") is None and words.section_label(None) is None
    monkeypatch.setattr(i18n, "language", lambda: "zh")
    assert words.section_label("Saddle escape") == SECTIONS_ZH["escape"] == "鞍点逃逸"
