"""The Network page in 简体中文 (issue 29): every data set, plane, start and batch choice, the verdicts, "Show me a
saddle", an upload and every refusal of a bad CSV file speak Chinese only (`tests.test_i18n.english_left`: no run of
three English words outside mathematics and kept names; registry texts still untranslated in ``engine.po`` aside),
keep ``lang`` in the URL, and switching to English keeps the view.  The sentences composed from the engine's data
say in English exactly what the engine's own English says (`landscapes.network.classify_point`'s ``reason``)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from components import i18n
from components.network import compute, words
from landscapes import datasets, network as N, spectrum, tables
from optimizers import catalog
from tests.test_i18n import english_left, english_runs, open_page, visible_texts

SMALL = {"network.steps": "40", "network.grid": "31", "network.optimizers": "adam"}

VIEWS = {
    # Every data set once, and across them every plane, start, batch and a few optimizers (one training each).
    "moons": {},  # the default view: PCA plane, random start, full batch, three optimizers
    "spirals": {"network.data": "spirals", "network.plane": "hessian", "network.batch": "16",
                "network.optimizers": "adam,sgd"},
    "circles": {"network.data": "circles", "network.plane": "filter", "network.init": "symmetric"},
    "xor": {"network.data": "xor", "network.plane": "hessian", "network.activation": "relu", "network.at": "0"},
    "digits": {"network.data": "digits", "network.plane": "filter"},
    "iris": {"network.data": "iris", "network.plane": "hessian", "network.batch": "4"},
    "wine": {"network.data": "wine", "network.optimizers": "rmsprop,momentum"},
    "breast_cancer": {"network.data": "breast_cancer", "network.plane": "filter", "network.hidden": "4"},
}


@pytest.fixture
def widgets_in_chinese(monkeypatch):
    """AppTest formats a selectbox's value with the page's ``format_func`` in the test's own thread, outside any
    script run, where `i18n.language` answers English; there it answers the language of the page in Chinese (the
    menus' entries would not be found among the Chinese options otherwise).  Inside a script run: unchanged."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    real = i18n.language
    monkeypatch.setattr(i18n, "language",
                        lambda: real() if get_script_run_ctx(suppress_warning=True) is not None else "zh")


def view(name: str) -> dict[str, str]:
    return VIEWS[name] if name == "moons" else {**SMALL, **VIEWS[name]}


def url(at) -> dict[str, str]:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def chinese_only(at) -> None:
    left = english_left(at)
    for widget in at.get("file_uploader"):  # not among `visible_texts`' widgets
        left += [f"{runs} in {text[:80]!r}" for text in (widget.proto.label, widget.proto.help)
                 if (runs := english_runs(text))]
    assert left == [], left


@pytest.mark.parametrize("name", VIEWS)
@pytest.mark.usefixtures("widgets_in_chinese")
def test_every_data_set_and_plane_speaks_chinese_and_switches_back_to_english(name):
    assert set(VIEWS) == {*datasets.names(), *datasets.real_names()}  # every data set of the menu
    at = open_page("network", "zh", **view(name))
    chinese_only(at)
    assert at.title[0].value == "真实网络的损失曲面"
    assert url(at)["lang"] == "zh" and all(url(at)[k] == v for k, v in view(name).items())
    shown = "\n".join(visible_texts(at))
    assert "海森矩阵" in shown and "第一次运行学到了什么" in shown
    if datasets.SHAPES.get(name, (2, 2))[0] > 2:
        assert "留出" in shown  # the held-out accuracy and its confusion matrix
    # The language switch keeps the view: the same URL, in English.
    before = url(at)
    at.radio(key=i18n.PARAM).set_value("en").run()
    assert not at.exception, at.exception
    assert url(at) == {**before, "lang": "en"}
    assert at.title[0].value == "A real network's loss landscape"


@pytest.mark.usefixtures("widgets_in_chinese")
def test_hostile_link_notices_speak_chinese():
    at = open_page("network", "zh", **{"network.data": "<script>alert(1)</script>", "network.steps": "1e99",
                                       "network.seed": "-5", "network.grid": "7", "network.plane": "../x",
                                       "network.optimizers": "adam,rm -rf", "network.adam.lr": "nan"})
    chinese_only(at)
    notices = " ".join(w.value for w in at.warning)
    assert "有些值无法使用" in notices and "数据集" in notices and "步数" in notices and "学习率" in notices


@pytest.mark.usefixtures("widgets_in_chinese")
def test_no_optimizer_and_a_saddle_speak_chinese():
    at = open_page("network", "zh", **SMALL)
    at.multiselect(key="network.optimizers").set_value([]).run()
    assert not at.exception
    chinese_only(at)
    assert "请在侧边栏至少选择一个优化器" in " ".join(i.value for i in at.info)
    at.multiselect(key="network.optimizers").set_value(["adam"]).run()
    at.button(key="network.saddle").click().run()
    assert not at.exception, at.exception
    chinese_only(at)
    assert "是**鞍点**" in " ".join(w.value for w in at.warning)
    assert "network.chart.escape" in {e.proto.id.split("-", 2)[-1] for e in at.get("plotly_chart")}
    assert url(at)["lang"] == "zh" and url(at)["network.data"] == "xor"


# ------------------------------------------------------------------------------------------------ an upload
def upload(raw: bytes, lang: str = "zh"):
    at = open_page("network", lang, **{**SMALL, "network.data": "upload"})
    at.file_uploader(key="network_upload.file").set_value(("data.csv", raw, "text/csv")).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.usefixtures("widgets_in_chinese")
def test_an_upload_speaks_chinese_before_and_after_the_file():
    at = open_page("network", "zh", **{**SMALL, "network.data": "upload"})
    chinese_only(at)
    assert "在侧边栏上传一个 CSV 文件（数据集：你的 CSV 文件）" in " ".join(i.value for i in at.info)
    at.file_uploader(key="network_upload.file").set_value(("fruit.csv", tables.example(90), "text/csv")).run()
    assert not at.exception, at.exception
    chinese_only(at)
    assert "90 行，3 个特征，3 个类别" in " ".join(c.value for c in at.caption)
    at.selectbox(key="network_upload.label").set_value("length").run()  # a measurement, not classes
    chinese_only(at)
    assert "看起来是测量值" in " ".join(e.value for e in at.error)


def _rows(n: int, label=lambda i: i % 2) -> bytes:
    return ("a,label\n" + "".join(f"{i},{label(i)}\n" for i in range(n))).encode()


BAD_FILES = {
    # One file per refusal an upload can meet (`unknown_label` cannot: the page never offers a missing column).
    "too_big": b"a,label\n" + b"1,0\n" * (tables.MAX_BYTES // 4 + 1),
    "not_text": b"\x89PNG\r\n\x1a\n\x00\x00",
    "empty": b"a,label\n",
    "ragged": b"a,b\n1,2\n3\n",
    "one_column": b"a\n1\n2\n3\n4\n",
    "too_few_rows": _rows(tables.MIN_ROWS - 1),
    "too_many_rows": _rows(tables.MAX_ROWS + 1),
    "too_many_columns": ",".join(["1"] * (tables.MAX_FEATURES + 2)).encode() + b"\n",
    "no_numeric": b"a,label\nx,0\ny,1\nz,0\nw,1\n",
    "missing": b"a,b,label\n1,,0\n2,3,1\n4,5,0\n6,7,1\n",
    "huge": b"a,label\n1e12,0\n2,1\n3,0\n4,1\n",
    "one_class": b"a,label\n1,x\n2,x\n3,x\n4,x\n",
    "too_many_classes": _rows(2 * (tables.MAX_CLASSES + 2), lambda i: i % (tables.MAX_CLASSES + 2)),
    "label_values": _rows(2 * (tables.MANY_VALUES + 10), lambda i: i % (tables.MANY_VALUES + 10)),
    "tiny_class": b"a,label\n1,0\n2,0\n3,1\n4,1\n5,2\n",
}


@pytest.mark.parametrize("code", BAD_FILES)
@pytest.mark.usefixtures("widgets_in_chinese")
def test_every_refusal_of_a_bad_file_speaks_chinese(code, monkeypatch):
    assert set(BAD_FILES) == set(tables.CODES) - {"unknown_label"}
    with pytest.raises(tables.TableError) as refused:  # the file meets the refusal it is named after
        sheet = tables.read(BAD_FILES[code], "data.csv")
        tables.table(sheet, sheet.names[-1])
    assert refused.value.code == code
    at = upload(BAD_FILES[code])
    chinese_only(at)
    assert not at.get("plotly_chart")
    shown = [e.value for e in at.error]
    monkeypatch.setattr(i18n, "language", lambda: "zh")
    assert shown == [words.refusal(refused.value)]


NUMBER = re.compile(r"\d+(?:[.,e+]\d+)*")
SAMPLE = dict(size=5e6, limit=4, line=3, cells=1, expected=2, rows=9, columns=70, column="c", row=2, count=1,
              value=1e12, label="y", values=12)


@pytest.mark.parametrize("code", tables.CODES)
def test_every_refusal_has_chinese_words_with_the_same_numbers(code, monkeypatch):
    err = tables.TableError(code, **SAMPLE)
    english = words.refusal(err)
    monkeypatch.setattr(i18n, "language", lambda: "zh")
    chinese = words.refusal(err)
    assert english_runs(chinese) == [] and chinese != english and chinese.endswith("。")
    assert sorted(NUMBER.findall(chinese)) == sorted(NUMBER.findall(english))


# ------------------------------------------------------------------------------------------------ the verdict
def _point(monkeypatch, grad_norm: float, low: float, high: float, complete: bool = True):
    """`landscapes.network.classify_point` on crafted numbers: the engine's own verdict and English reason."""
    problem = N.Problem()
    k = 2
    ext = spectrum.Extremes(np.array([low, low + 1e-3 * abs(low)]), np.zeros((problem.n_params, k)),
                            np.array([high - 1e-3 * abs(high), high]), np.zeros((problem.n_params, k)),
                            np.zeros(k), np.zeros(k), 12, complete)
    grad = np.zeros(problem.n_params)
    grad[0] = grad_norm
    monkeypatch.setattr(N, "value_and_grad", lambda p, theta: (0.25, grad))
    monkeypatch.setattr(N.spectrum, "extremes", lambda *a, **kw: ext)
    return N.classify_point(problem, np.zeros(problem.n_params)), problem.n_params


CURVATURES = {"saddle": (-0.5, 2.0), "minimum": (0.1, 2.0), "maximum": (-2.0, -0.1), "degenerate": (1e-9, 2.0)}
OLD_WORDS = {"minimum": "a minimum", "maximum": "a maximum", "saddle": "a saddle point",
             "degenerate": "degenerate (the second-order test cannot decide)"}


@pytest.mark.parametrize("complete", [True, False])
@pytest.mark.parametrize("critical", [True, False])
@pytest.mark.parametrize("shape", CURVATURES)
def test_the_verdict_says_what_the_engine_says_in_both_languages(shape, critical, complete, monkeypatch):
    point, n = _point(monkeypatch, 1e-5 if critical else 0.5, *CURVATURES[shape], complete=complete)
    assert point.kind == (shape if critical else "regular") and words.curvature(point) == shape
    english = words.verdict_text(point, 7, n)
    if critical:
        assert english == f"θ at step 7 is **{OLD_WORDS[shape]}**: {point.reason}"
    else:
        assert english == f"θ at step 7 is {point.reason}"
    monkeypatch.setattr(i18n, "language", lambda: "zh")
    chinese = words.verdict_text(point, 7, n)
    assert english_runs(chinese) == [] and "{" not in chinese
    assert f"{CURVATURES[shape][0]:.3g}" in chinese and "第 7 步" in chinese
    assert ("不是临界点" in chinese) != critical
    assert (f"{n} 维" in chinese) != complete  # a Lanczos estimate says so


# ------------------------------------------------------------------------------------------------ the words' homes
def test_the_registry_texts_marked_here_are_the_registrys():
    registry = {*(datasets.title(n) for n in datasets.real_names()), *N.INITS.values(), *N.DIRECTIONS.values()}
    assert set(words.REGISTRY_TEXTS) == registry
    steps = {compute.step_size(n)[0].name for n in catalog.names() if compute.step_size(n)[0] is not None}
    assert steps <= set(words.STEP_SIZES)


def test_no_upload_is_too_wide_for_the_network_so_the_engines_unworded_refusal_is_never_shown():
    # The page shows `N.Problem`'s ValueError (English prose, no code) only as code; it can happen only if a table
    # of the widest upload made a network beyond `N.MAX_PARAMS`.  The digits are that widest table.
    assert datasets.SHAPES["digits"] == (tables.MAX_FEATURES, tables.MAX_CLASSES)
    for hidden in compute.ARCHITECTURES.values():
        assert N.Problem("digits", hidden).n_params <= N.MAX_PARAMS


@pytest.mark.parametrize("batch", [None, "16"])
def test_the_final_losses_with_a_diverged_run_in_both_languages(batch, monkeypatch):
    runs = [("Adam", 0.123456, -1), ("梯度下降", 2.5e6, 42)]
    english = words.final_losses([("Adam", 0.123456, -1), ("Gradient descent", 2.5e6, 42)], batch, 200)
    assert english.startswith("Final loss: Adam: 0.1235; Gradient descent: 2.5e+06 (diverged at step 42; the path "
                              "stops there).")
    assert ("Each step saw 16 of the 200 training rows" in english) == (batch is not None)
    monkeypatch.setattr(i18n, "language", lambda: "zh")
    chinese = words.final_losses(runs, batch, 200)
    assert english_runs(chinese) == []
    assert chinese.startswith("最终损失：Adam：0.1235；梯度下降：2.5e+06（在第 42 步发散")
    assert ("16" in chinese and "200" in chinese) == (batch is not None)
