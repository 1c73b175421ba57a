"""The Explore page in a real browser (``streamlit run tests/apps/explore_app.py``, headless Chromium).

What a user relies on: the map draws every critical point with a legend entry per kind, and a click on a marker,
or anywhere else on the map, selects that point and opens its panel with that point's eigenvalues.  Expected
values come from the engine (`landscapes.critical_points` on Himmelblau's box); pixels from Plotly's own axis maps
(``l2p``), independently of the page's code.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

import landscapes

pytestmark = pytest.mark.browser

APP = "tests/apps/explore_app.py"
LOAD_MS = 120_000  # a cold server compiles the atlas, the grids and the point classification
WAIT_MS = 60_000
MAP = "document.querySelectorAll('.js-plotly-plot')[0]"


def open_map(page, url):
    page.goto(url)
    # Wait for the drawn SVG too, not just the data: one SVG trace group per scatter trace.
    page.wait_for_function(f"() => {{ const gd = {MAP}; return gd && gd._fullLayout && gd.data && "
                           f"gd.data.some(t => t.name === 'saddle') && gd.querySelectorAll('.scatterlayer .trace')"
                           f".length >= gd.data.filter(t => t.type === 'scatter').length; }}", timeout=LOAD_MS)


def legend(page) -> list[str]:
    return page.evaluate(f"() => Array.from({MAP}.querySelectorAll('.legendtext')).map(e => e.textContent)")


def drawn_markers(page, name: str) -> int:
    """How many marker points Plotly painted for the trace called ``name`` on the map."""
    return page.evaluate(f"""(name) => {{
        const gd = {MAP}, i = gd.data.findIndex(t => t.name === name);
        const k = i - gd.data.slice(0, i).filter(t => t.type !== 'scatter').length;  // scatter traces only
        return gd.querySelectorAll('.scatterlayer .trace')[k].querySelectorAll('path.point').length; }}""", name)


def click_data_point(page, x: float, y: float, near: float = 0.13) -> None:
    """Hover over the data point (x, y) until Plotly reports a hovered point within ``near`` of it in data units
    (its click handler reads the hover state, and on a loaded 2-core box the hover can lag the mouse), then click.
    The default ``near`` is about half the click lattice's spacing on the test's 10 × 10 box."""
    for attempt in range(5):
        px, py = page.evaluate(f"""([x, y]) => {{ const gd = {MAP}, fl = gd._fullLayout,
            r = gd.getBoundingClientRect();
            return [r.left + fl.xaxis._offset + fl.xaxis.l2p(x), r.top + fl.yaxis._offset + fl.yaxis.l2p(y)]; }}""",
                               [x, y])
        page.mouse.move(1, 1)  # off the chart first, so every attempt is a fresh hover
        page.mouse.move(px, py)
        try:
            page.wait_for_function(f"""([x, y, near]) => {{ const hd = {MAP}._hoverdata;
                return hd && hd.length > 0 && Math.abs(hd[0].x - x) <= near && Math.abs(hd[0].y - y) <= near; }}""",
                                   arg=[x, y, near], timeout=10_000)
        except PlaywrightTimeout:
            continue
        page.mouse.click(px, py)
        return
    raise AssertionError(f"Plotly never reported a hover near ({x}, {y})")


def wait_selected(page, xy, tol: float = 0.0) -> None:
    """Wait until the URL's selected point is ``xy`` (exactly, by default: a marker click selects the engine's
    coordinates, and the URL holds ``repr(float)``)."""
    page.wait_for_function("""([x, y, tol]) => { const q = new URLSearchParams(location.search);
        return Math.abs(Number(q.get('explore.x')) - x) <= tol && Math.abs(Number(q.get('explore.y')) - y) <= tol; }""",
                           arg=[xy[0], xy[1], tol], timeout=WAIT_MS)


def eigen_words(p) -> str:
    """The eigenvalues as the engine's verdict writes them (4 significant digits, a real minus sign)."""
    fmt = lambda v: f"{v:.4g}".replace("-", "−")  # noqa: E731
    return f"λ₁ = {fmt(float(p.eigenvalues[0]))}, λ₂ = {fmt(float(p.eigenvalues[1]))}"


def test_markers_with_legend_and_a_click_opens_that_points_panel(page, streamlit_app, artifacts):
    surface = landscapes.get("himmelblau")
    points = landscapes.critical_points(surface)
    open_map(page, streamlit_app(APP, "explore.surface=himmelblau"))

    # Every critical point is drawn, one legend entry per kind.
    names = legend(page)
    for kind in ("minimum", "maximum", "saddle"):
        assert kind in names
        assert drawn_markers(page, kind) == sum(p.kind == kind for p in points)
    assert page.get_by_text(f"{len(points)} critical points in view").is_visible()

    # Clicking the (only) maximum's marker selects exactly that point and shows its eigenvalues.
    (top,) = [p for p in points if p.kind == "maximum"]
    click_data_point(page, *map(float, top.xy))
    wait_selected(page, tuple(map(float, top.xy)))
    page.get_by_text("local maximum").first.wait_for(timeout=WAIT_MS)
    verdict = page.get_by_test_id("stText").first.inner_text()
    assert eigen_words(top) in verdict and "both eigenvalues negative" in verdict
    page.get_by_text("local maximum").first.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "explore_maximum_selected.png"))

    # A second click, on a minimum's marker, works as well (the chart was redrawn in between).
    low = next(p for p in points if p.kind == "minimum")
    open_map(page, page.url)
    click_data_point(page, *map(float, low.xy))
    wait_selected(page, tuple(map(float, low.xy)))
    page.get_by_text("local minimum").first.wait_for(timeout=WAIT_MS)
    assert eigen_words(low) in page.get_by_test_id("stText").first.inner_text()

    # A click away from the markers selects the nearest point of the click lattice (spacing 10/40 = 0.25 here).
    open_map(page, page.url)
    click_data_point(page, 1.0, -3.0)
    wait_selected(page, (1.0, -3.0), tol=1e-9)
    page.get_by_text("not a critical point").first.wait_for(timeout=WAIT_MS)
    assert re.search(r"Point \(1, −3\)", page.inner_text("body"))
    page.screenshot(path=str(artifacts / "explore_clicked.png"))
    assert (artifacts / "explore_clicked.png").stat().st_size > 10_000
    assert page.errors == [], page.errors
