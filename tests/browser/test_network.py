"""The Network page in a real browser, against tests/apps/network_app.py (the page mounted through ``st.navigation``).

What a user relies on: the default view draws its five figures without page errors, a link reproduces its
settings, a hostile link gets a notice and a working page, and "Show me a saddle" ends on a page that says
"saddle".  Screenshots land in ``test-artifacts/`` (``network_*.png``).
"""

from __future__ import annotations

import urllib.parse

import pytest

from tests.browser.test_lab import chart, idle, tall, traces

pytestmark = pytest.mark.browser

APP = "tests/apps/network_app.py"
FIGURES = ("network.chart.boundary", "network.chart.loss", "network.chart.slice", "network.chart.slice3d",
           "network.chart.spectrum")


def test_default_view_draws_every_figure(page, streamlit_app, artifacts):
    page.goto(streamlit_app(APP))
    for key in FIGURES:
        chart(page, key)
    idle(page)
    assert "is a minimum" in page.locator("[data-testid='stAlert']").first.inner_text() or \
        page.get_by_text("a minimum").count() > 0
    names = traces(page, "network.chart.slice", "name")
    assert {"Adam", "Momentum", "Gradient descent"} <= set(names), names
    assert page.errors == [], page.errors
    tall(page)
    page.screenshot(path=str(artifacts / "network_default.png"), full_page=True)


def test_a_link_reproduces_the_view_and_a_hostile_one_is_refused(page, streamlit_app, artifacts):
    query = "network.data=circles&network.optimizers=rmsprop&network.steps=120&network.plane=pca&network.grid=31"
    page.goto(streamlit_app(APP, query))
    chart(page, "network.chart.slice")
    idle(page)
    assert page.get_by_text("Concentric circles, MLP").count() > 0
    assert traces(page, "network.chart.slice", "name").count("RMSProp") == 1
    url = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)
    assert url["network.data"] == ["circles"] and url["network.plane"] == ["pca"] and url["network.steps"] == ["120"]
    hostile = "network.data=<script>alert(1)</script>&network.steps=1e99&network.hidden=999&network.seed=-5"
    page.goto(streamlit_app(APP, urllib.parse.quote(hostile, safe="=&")))
    chart(page, "network.chart.slice")
    idle(page)
    warning = page.locator("[data-testid='stAlert']").first.inner_text()
    assert "replaced" in warning and "Data set" in warning, warning
    assert page.errors == [], page.errors
    assert page.locator("script:has-text('alert(1)')").count() == 0
    page.screenshot(path=str(artifacts / "network_hostile.png"), full_page=True)


def test_show_me_a_saddle(page, streamlit_app, artifacts):
    page.goto(streamlit_app(APP, "network.steps=100"))
    chart(page, "network.chart.spectrum")
    idle(page)
    page.get_by_role("button", name="Show me a saddle").click()
    page.get_by_text("a saddle point").first.wait_for(timeout=180_000)
    chart(page, "network.chart.escape")
    idle(page)
    assert page.errors == [], page.errors
    tall(page)
    page.screenshot(path=str(artifacts / "network_saddle.png"), full_page=True)
