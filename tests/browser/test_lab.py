"""The Lab page in a real browser, against tests/apps/lab_app.py (the page mounted through ``st.navigation``).

What a user relies on: a link opens the section it names with its settings, every figure draws (Plotly has put
its SVG on the page) without page errors, clicking another section swaps the view, and the analytic boundary is
among the phase diagram's traces.  Screenshots land in ``test-artifacts/`` (``lab_*.png``).
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

APP = "tests/apps/lab_app.py"
LOAD_MS = 120_000  # a cold server compiles the sweeps it is asked for


def css(key: str) -> str:
    """The selector of the element drawn with widget/element ``key`` (Streamlit's class ``st-key-…`` replaces
    every character outside [A-Za-z0-9_-] by '-')."""
    return "[class*='st-key-" + "".join(c if c.isalnum() or c in "_-" else "-" for c in key) + "']"


def chart(page, key: str):
    """The Plotly chart drawn with ``key``, once its SVG is on the page."""
    locator = page.locator(f"{css(key)} .js-plotly-plot .main-svg").first
    locator.wait_for(state="visible", timeout=LOAD_MS)
    return locator


def idle(page) -> None:
    """Wait until the script run is over (Streamlit's 'Running…' status widget is gone)."""
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=LOAD_MS)


def tall(page) -> None:
    """Make the window tall enough that the whole section is in the screenshot (Streamlit scrolls inside its
    own container, so a full-page screenshot is only the window)."""
    page.set_viewport_size({"width": 1280, "height": 2200})
    page.wait_for_timeout(500)


def traces(page, key: str, field: str) -> list[str]:
    """``field`` (name, type) of every trace of the chart drawn with ``key``, read from Plotly's own graph div."""
    return page.evaluate("([sel, field]) => document.querySelector(sel + ' .js-plotly-plot').data"
                         ".map(t => t[field] || '')", [css(key), field])


def test_phase_diagram_link_draws_heatmap_and_analytic_boundary(page, streamlit_app, artifacts):
    page.goto(streamlit_app(APP, "lab.section=phase&lab.phase.size=24&lab.steps=400"))
    chart(page, "lab.chart.phase")
    idle(page)
    names = traces(page, "lab.chart.phase", "name")
    assert any("analytic boundary" in n for n in names), names
    assert "diverged" in names
    assert page.errors == [], page.errors
    tall(page)
    page.screenshot(path=str(artifacts / "lab_phase.png"), full_page=True)


def test_clicking_sections_swaps_the_view_and_keeps_settings(page, streamlit_app, artifacts):
    page.goto(streamlit_app(APP, "lab.surface=himmelblau&lab.section=basins&lab.basins.size=60&lab.steps=300"))
    chart(page, "lab.chart.basins")
    idle(page)
    # One heatmap per optimizer (two by default), side by side.
    assert traces(page, "lab.chart.basins", "type").count("heatmap") == 2
    tall(page)
    page.screenshot(path=str(artifacts / "lab_basins.png"), full_page=True)
    page.get_by_text("Learning-rate curve", exact=True).click()
    chart(page, "lab.chart.curve")
    idle(page)
    assert page.locator(css("lab.chart.basins")).count() == 0  # only the open section is drawn
    page.wait_for_function("() => window.location.search.includes('lab.section=curve')", timeout=LOAD_MS)
    page.get_by_text("Basins of attraction", exact=True).click()
    chart(page, "lab.chart.basins")
    idle(page)
    # The basin settings survived the trip through another section (and are back in the link).
    page.wait_for_function("() => window.location.search.includes('lab.basins.size=60')", timeout=LOAD_MS)
    assert page.errors == [], page.errors


@pytest.mark.parametrize("section, key, query", [
    ("curve", "lab.chart.curve", "lab.curve.points=40"),
    ("search", "lab.chart.search", "lab.phase.size=20&lab.search.budget=16"),
    ("fair", "lab.chart.fair", "lab.surface=himmelblau&lab.fair.budget=6&lab.fair.starts=40"),
    ("schedules", "lab.chart.schedule", "lab.schedules.schedule=one_cycle"),
])
def test_section_draws_from_a_link(page, streamlit_app, artifacts, section, key, query):
    page.goto(streamlit_app(APP, f"lab.section={section}&lab.steps=300&{query}"))
    chart(page, key)
    idle(page)
    assert traces(page, key, "type"), "the figure has no traces"
    assert page.errors == [], page.errors
    tall(page)
    page.screenshot(path=str(artifacts / f"lab_{section}.png"), full_page=True)
