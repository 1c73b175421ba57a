"""Your own material in a real browser: Adam built from optax blocks overlays Adam on Compare, and a CSV file uploaded
through the Network page's real file widget (Playwright's ``set_input_files``) trains and draws.  Screenshots land in
``test-artifacts/`` (``own_*.png``), desktop and phone."""

from __future__ import annotations

import numpy as np
import pytest

from landscapes import tables
from tests.browser.test_compare import assert_clean, ghost_paths, open_page, wait_redraw, state
from tests.browser.test_lab import chart, idle, tall

pytestmark = pytest.mark.browser

BUILT_ADAM = "Built: scale_by_adam → scale_by_learning_rate"


def test_adam_built_from_blocks_overlays_adam(page, streamlit_app, artifacts):
    frame = open_page(page, streamlit_app("app.py", "compare.optimizers=adam&compare.surface=rosenbrock"))
    idle(page)
    draws = state(frame)["drawCount"]
    page.get_by_text("Build your own optimizer").click()
    preset = page.locator(".st-key-_compare-chain_preset [role=combobox]")
    preset.scroll_into_view_if_needed()  # at the window's bottom edge the combo box's list does not open
    preset.click()
    page.get_by_role("option", name="Adam from blocks").click()
    wait_redraw(frame, draws)
    frame.wait_for_function("() => !window.playerState.pending", timeout=180_000)
    idle(page)
    routes = ghost_paths(frame)
    assert set(routes) == {"Adam", BUILT_ADAM}, set(routes)
    np.testing.assert_allclose(np.asarray(routes[BUILT_ADAM]), np.asarray(routes["Adam"]), rtol=0, atol=1e-6)
    assert page.get_by_text("These blocks are Adam of the catalog").count() > 0
    assert "compare.chain=adam%2Clr" in page.url or "compare.chain=adam,lr" in page.url
    assert_clean(page)
    page.screenshot(path=str(artifacts / "own_builder.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts / "own_builder_phone.png"), full_page=True)


def test_a_csv_uploaded_through_the_widget_trains_and_draws(page, streamlit_app, artifacts, tmp_path):
    page.goto(streamlit_app("tests/apps/network_app.py",
                            "network.data=upload&network.steps=60&network.grid=31&network.optimizers=adam"))
    page.get_by_text("Upload a CSV file").first.wait_for(timeout=180_000)
    assert page.get_by_text("A shared link cannot carry an uploaded file").count() > 0
    csv_file = tmp_path / "fruit.csv"
    csv_file.write_bytes(tables.example(90))
    page.locator("input[type=file]").set_input_files(str(csv_file))
    chart(page, "network.chart.confusion")
    chart(page, "network.chart.slice")
    idle(page)
    assert page.get_by_text("90 rows, 3 features, 3 classes").count() > 0
    assert page.get_by_text("held-out accuracy").count() > 0
    assert "fruit" not in page.url
    assert page.errors == [], page.errors
    tall(page)
    page.screenshot(path=str(artifacts / "own_upload.png"), full_page=True)
    # a bad file: a clear message, and the page keeps working
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"a,b,label\n1,,0\n2,3,1\n4,5,0\n6,7,1\n")
    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_text("missing value in data row 1").first.wait_for(timeout=60_000)
    assert page.errors == [], page.errors
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts / "own_upload_phone.png"), full_page=True)
