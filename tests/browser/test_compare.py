"""The compare page end to end: a real `streamlit run app.py` and headless Chromium (fixtures in conftest.py).

What a user does: load the page, press Play, drag a hyperparameter slider, click on the surface to pick a start
(also after an animation has played), switch between overlaid and side-by-side panels.  Every test also checks
that the browser saw no page error or console error.  Pixel <-> data conversions use Plotly's own axis maps.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from . import player_helpers as helpers
from .player_helpers import IFRAME, page_point

pytestmark = pytest.mark.browser

APP = "app.py"
LOAD_MS = 180_000  # the first load compiles six optimizer runners (cold JAX)
WAIT_MS = 60_000
STEPS = 200  # the page's default step count


def open_page(page, url):
    """Load the page, wait for the player's first draw, return its Frame."""
    page.goto(url)
    frame = page.wait_for_selector(IFRAME, timeout=LOAD_MS).content_frame()
    # The paths, not the surface the page may show first while it compiles them (playerState.pending).
    drawn = "() => window.playerState && window.playerState.drawCount > 0 && !window.playerState.pending"
    frame.wait_for_function(drawn, timeout=LOAD_MS)
    return frame


def state(frame) -> dict:
    return frame.evaluate("() => Object.assign({}, window.playerState)")


def ghost_paths(frame, panel=0):
    """Each optimizer's whole route as the player draws it in panel ``panel``: {label: [[x, y], ...]}."""
    return frame.evaluate("(i) => window.playerState.routes(i)", panel)


def assert_clean(page):
    assert page.errors == [], page.errors
    assert page.console_errors == [], page.console_errors
    assert page.locator("[data-testid='stException']").count() == 0


def wait_redraw(frame, draws):
    frame.wait_for_function(f"() => window.playerState.drawCount > {draws}", timeout=WAIT_MS)


def start_inputs(page) -> tuple[float, float]:
    x = page.locator(".st-key-compare-x0 input").input_value()
    y = page.locator(".st-key-compare-y0 input").input_value()
    return float(x), float(y)


def click_surface(page, frame, x, y):
    """Click the surface at data point (x, y); wait until the page's start inputs and every path moved there."""
    draws = state(frame)["drawCount"]
    frame.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    page.mouse.click(*page_point(page, frame, x, y))
    wait_redraw(frame, draws)
    page.wait_for_function(
        """([x, y]) => { const q = (k) => document.querySelector(`.st-key-compare-${k} input`);
                         return q('x0') && Math.abs(Number(q('x0').value) - x) < 0.05
                             && Math.abs(Number(q('y0').value) - y) < 0.05; }""", arg=[x, y], timeout=WAIT_MS)
    for route in ghost_paths(frame).values():
        assert route[0] == pytest.approx([x, y], abs=0.05)


def play_to_end(frame):
    helpers.play_to_end(frame, STEPS, WAIT_MS)


@pytest.fixture
def compare(page, streamlit_app):
    frame = open_page(page, streamlit_app(APP))
    return frame


def test_slider_move_updates_the_paths(page, compare):
    frame = compare
    before = ghost_paths(frame)
    page.locator("[data-testid='stSidebar'] [data-testid='stExpander']").filter(
        has_text="Gradient descent").locator("summary").click()
    slider = page.locator(".st-key-compare-sgd-learning_rate input[type='range']")
    draws, plotly_draws = state(frame)["drawCount"], state(frame)["plotlyDraws"]
    slider.focus()
    slider.press("ArrowLeft")  # η 1.8 (the valley's preset) -> 1.5, the log grid's value below: only GD's path changes
    wait_redraw(frame, draws)
    after = ghost_paths(frame)
    changed = [name for name in before if before[name] != after[name]]
    assert changed == ["Gradient descent"]
    assert state(frame)["plotlyDraws"] == plotly_draws  # new routes only: the canvas is redrawn, not the contour
    page.wait_for_url(re.compile(r"compare\.sgd\.learning_rate=1\.5"), timeout=WAIT_MS)
    # While playing, a slider move swaps the paths and the animation keeps going.
    frame.locator("#loop").check()
    frame.locator("#play").click()
    draws = state(frame)["drawCount"]
    slider.press("ArrowLeft")
    wait_redraw(frame, draws)
    assert state(frame)["playing"]
    assert_clean(page)


def test_click_on_surface_moves_the_start_also_after_play(page, compare, artifacts):
    frame = compare
    click_surface(page, frame, 4.0, 6.0)
    assert start_inputs(page) == pytest.approx((4.0, 6.0), abs=0.05)
    play_to_end(frame)
    click_surface(page, frame, -5.0, 3.0)
    assert start_inputs(page) == pytest.approx((-5.0, 3.0), abs=0.05)
    page.screenshot(path=str(artifacts / "compare_after_clicks.png"), full_page=True)
    assert_clean(page)


def test_page_loads_plays_and_switches_layouts(page, compare, artifacts):
    frame = compare
    s = state(frame)
    assert s["nPaths"] == 6 and s["frame"] == 0 and not s["playing"]
    assert frame.locator("#readout tbody tr").count() == 6
    assert frame.locator(".js-plotly-plot").count() == 1
    page.wait_for_url(re.compile(r"compare\.optimizers=sgd%2Cmomentum"), timeout=WAIT_MS)  # the configuration
    frame.locator("#play").click()
    frame.wait_for_function("() => window.playerState.frame > 3", timeout=WAIT_MS)
    m = re.fullmatch(r"step (\d+) / (\d+)", frame.locator("#frame").inner_text().strip())
    assert m and 0 < int(m.group(1)) <= int(m.group(2)) == STEPS
    page.screenshot(path=str(artifacts / "compare_overlay.png"), full_page=True)

    draws = state(frame)["drawCount"]
    page.locator(".st-key-compare-layout").get_by_text("Side by side", exact=True).click()
    wait_redraw(frame, draws)
    assert frame.locator(".js-plotly-plot").count() == 6
    assert state(frame)["playing"]  # one shared clock keeps running across the new layout
    page.wait_for_url(re.compile(r"compare\.layout=side_by_side"), timeout=WAIT_MS)  # written at the end of the run
    page.screenshot(path=str(artifacts / "compare_side_by_side.png"), full_page=True)
    # A click in any panel picks the start for all of them.
    draws = state(frame)["drawCount"]
    page.mouse.click(*page_point(page, frame, 2.0, -4.0, panel=4))
    wait_redraw(frame, draws)
    assert start_inputs(page) == pytest.approx((2.0, -4.0), abs=0.1)

    draws = state(frame)["drawCount"]
    page.locator(".st-key-compare-layout").get_by_text("All overlaid", exact=True).click()
    wait_redraw(frame, draws)
    assert frame.locator(".js-plotly-plot").count() == 1
    assert_clean(page)


@pytest.mark.parametrize("surface", ["elongated_valley", "rosenbrock", "saddle"])
def test_each_showcase_surfaces_default_view_draws_its_paths(streamlit_app, page, artifacts, surface):
    """The default view of each showcase surface (its preset), drawn in a real browser; saved as an artifact."""
    frame = open_page(page, streamlit_app(APP, f"compare.surface={surface}"))
    routes = ghost_paths(frame)
    assert len(routes) == 6 and all(len(r) > 10 for r in routes.values())
    assert_clean(page)
    page.screenshot(path=str(artifacts / f"preset-{surface}.png"), full_page=False)


def test_live_scrub_redraws_every_notch_without_the_server_and_release_sets_the_sliders(page, streamlit_app,
                                                                                       artifacts):
    """The default Compare page has the live scrub of η (issue 28: this fails if it is off by default).  Drag it
    across 10 notches: each notch redraws the routes from data already in the browser and no websocket message
    leaves the page; letting go sets the sidebar's sliders and the URL (one rerun)."""
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    frame = open_page(page, streamlit_app(APP))  # the default view: the scrub of η is on without asking for it
    # A server that has not compiled the scrub yet draws the paths first, then the page again with the scrub.
    frame.wait_for_function("() => window.playerState.scrub", timeout=LOAD_MS)
    scrub = frame.locator("input[type='range'][data-role='scrub']")
    scrub.scroll_into_view_if_needed()
    s = state(frame)["scrub"]
    assert s["name"] == "learning_rate" and len(s["values"]) == 64
    start, n = s["index"], len(s["values"])
    assert start >= 10  # room to drag ten notches down
    box = scrub.bounding_box()
    thumb = 16  # Chromium's range thumb: the track its centre moves along is the box less one thumb width

    def x_of(i):
        return box["x"] + thumb / 2 + (box["width"] - thumb) * i / (n - 1)

    y = box["y"] + box["height"] / 2
    routes = [ghost_paths(frame)]
    page.mouse.move(x_of(start), y)
    page.mouse.down()
    quiet_from = len(sent)
    for k in range(1, 11):
        page.mouse.move(x_of(start - k), y, steps=2)
        frame.wait_for_function(f"() => window.playerState.scrub.index === {start - k}", timeout=WAIT_MS)
        routes.append(ghost_paths(frame))
        # Each notch moves every path whose own slider has a new value there (each optimizer's notches spread over
        # its own slider: where it has fewer values than notches, a value holds for two notches).
        each = state(frame)["scrub"]["each"]
        for label in ("Gradient descent", "Adam"):
            moved = each[label][start - k] != each[label][start - k + 1]
            assert (routes[-1][label] != routes[-2][label]) == moved, f"{label}, notch {start - k}"
        assert routes[-1] != routes[-2], f"notch {start - k}: nothing moved"
    page.wait_for_timeout(300)
    assert sent[quiet_from:] == [], "the page talked to the server during the drag"
    values = state(frame)["scrub"]["values"]
    page.screenshot(path=str(artifacts / "compare_scrubbing.png"), full_page=True)
    page.mouse.up()
    # Released: the sliders take this notch's values, so the URL carries them and the new runs are drawn from them.
    eta = values[start - 10]
    page.wait_for_url(re.compile(r"compare\.sgd\.learning_rate=" + re.escape(f"{eta:g}")), timeout=WAIT_MS)
    assert len(sent) > quiet_from
    frame.wait_for_function(f"() => window.playerState.scrub && window.playerState.scrub.values[window.playerState"
                            f".scrub.index] === {eta!r}", timeout=WAIT_MS)
    after = ghost_paths(frame)
    np.testing.assert_allclose(after["Gradient descent"], routes[-1]["Gradient descent"], atol=1e-5)
    shown = page.locator(".st-key-compare-sgd-learning_rate [data-testid='stSliderThumbValue']").text_content()
    assert float(shown) == pytest.approx(eta, rel=1e-3)
    assert_clean(page)


def test_the_legend_sits_below_the_plot(page, streamlit_app):
    """The player's iframe is first drawn narrow (the legend of six optimizers then wraps into many rows, and Plotly
    lifts it into the figure) and widens a moment later; the legend must end up under the plot area, not stay
    where the narrow draw put it, over the surface (seen on this page before the player placed it again)."""
    frame = open_page(page, streamlit_app(APP))
    geometry = """() => { const gd = document.querySelector('.js-plotly-plot'), fl = gd._fullLayout;
                          const lg = gd.querySelector('.legend').getBoundingClientRect(), r = gd.getBoundingClientRect();
                          return {bottom: fl.yaxis._offset + fl.yaxis._length, legend: lg.top - r.top, width: fl.width}; }"""
    frame.wait_for_function(f"() => ({geometry})().width > 600", timeout=LOAD_MS)
    page.wait_for_timeout(1000)  # past the player's resize debounce
    g = frame.evaluate(geometry)
    assert g["legend"] >= g["bottom"], g
