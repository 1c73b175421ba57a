"""The Network page on real data sets and on an uploaded CSV, through Streamlit's AppTest and its real
``st.file_uploader`` widget (tests/apps/network_app.py mounts app_pages/network.py)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from components import cache
from landscapes import datasets, tables
from components.network import words as net_words
from tests.test_lab_page import array
from tests.test_network_page import APP, SMALL, TIMEOUT, charts, run, url

SLICE = {"network.chart.loss", "network.chart.slice", "network.chart.slice3d", "network.chart.spectrum"}


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


@pytest.mark.parametrize("name", datasets.real_names())
def test_every_real_set_shows_its_confusion_matrix_and_held_out_accuracy(name):
    at = run(**SMALL, **{"network.data": name, "network.hidden": "8"})
    figs = charts(at)
    assert SLICE | {"network.chart.confusion"} <= set(figs) and "network.chart.boundary" not in figs
    data = datasets.real(name, 0)
    heat = figs["network.chart.confusion"]["data"][0]
    assert heat["x"] == list(data.classes)
    assert array(heat["z"]).sum() == len(data.y_test)  # every held-out row counted once
    text = captions(at)
    assert "held-out accuracy" in text and f"{len(data.y_test)} held out" in text
    assert datasets.title(name) in text
    assert not at.warning and not at.error


def test_digits_default_to_64_32_9_and_show_misclassified_images():
    at = run(**{**SMALL, "network.steps": "200", "network.data": "digits"})
    assert url(at)["network.hidden"] == "32"
    assert "64–32–9 tanh" in captions(at) and "2,377 parameters" in captions(at)
    figs = charts(at)
    # 200 steps of Adam (η = 0.05) get 97.1 % of the held-out digits right (measured): 13 wrong, 8 shown
    strip = array(figs["network.chart.wrong"]["data"][0]["z"])
    assert strip.shape == (8, 8 * 8 + 7)  # eight 8 × 8 images side by side, a blank column between them
    assert "8 of the 13 held-out digits it gets wrong" in captions(at)


def upload_page(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({**SMALL, "network.data": "upload", **query})
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_the_upload_choice_without_a_file_asks_for_one_and_states_its_limits():
    at = upload_page()
    assert not charts(at)
    text = captions(at)
    assert f"{tables.MAX_ROWS:,} rows" in text and f"{tables.MAX_FEATURES} numeric feature columns" in text
    assert f"{tables.MAX_CLASSES} classes" in text
    assert "A shared link cannot carry an uploaded file" in text
    assert "Upload a CSV file" in " ".join(i.value for i in at.info)


def test_an_uploaded_csv_trains_slices_and_stays_in_the_session():
    at = upload_page()
    at.file_uploader(key="network_upload.file").set_value(("fruit.csv", tables.example(90), "text/csv")).run()
    assert not at.exception, [e.message for e in at.exception]
    figs = charts(at)
    assert SLICE | {"network.chart.confusion"} <= set(figs)
    text = captions(at)
    assert "90 rows, 3 features, 3 classes" in text and "fruit.csv, MLP 3–8–2 tanh" in text
    assert figs["network.chart.confusion"]["data"][0]["x"] == ["apple", "pear", "plum"]
    # Its results live in this session's state, not in the shared caches; nothing of it is in the URL.
    memo = at.session_state[cache._PRIVATE]
    assert {k[0] for k in memo} >= {"training", "plane", "point", "scores"}
    assert all(k[1][0].problem.table is not None for k in memo)
    assert not any("fruit" in v or "upload.file" in k for k, v in url(at).items())
    # Another label column: refused with its reason, and the page says so instead of failing.
    at.selectbox(key="network_upload.label").set_value("length").run()
    assert not at.exception
    assert "different values: it looks like a measurement" in " ".join(e.value for e in at.error)
    assert not charts(at)


@pytest.mark.parametrize("raw, words", [
    (b"\x89PNG\r\n\x1a\n\x00\x00", "not a CSV file"),
    (b"a,b\n1,2\n3\n", "line 3 has 1 cells"),
    (b"a,b,label\n1,,0\n2,3,1\n4,5,0\n6,7,1\n", "missing value in data row 1"),
    (b"a,label\n1,x\n2,x\n3,x\n4,x\n", "one value only"),
])
def test_a_bad_upload_is_a_clear_message(raw, words):
    at = upload_page()
    at.file_uploader(key="network_upload.file").set_value(("bad.csv", raw, "text/csv")).run()
    assert not at.exception, [e.message for e in at.exception]
    assert words in " ".join(e.value for e in at.error)
    assert not charts(at)


def test_every_refusal_has_words():
    for code in tables.CODES:
        err = tables.TableError(code, size=5e6, limit=4, line=3, cells=1, expected=2, rows=9, columns=70,
                                column="c", row=2, count=1, value=1e12, label="y", values=12)
        assert net_words.refusal(err).endswith(".")
