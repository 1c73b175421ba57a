"""The trajectory player in a real browser, against tests/apps/player_demo.py (quadratic bowl, three spirals).

What is checked is what a user relies on: it loads without errors, Play moves the clock, a slider on the page swaps
the paths without losing zoom, step or play state, clicks anywhere on the surface come back to Python (also after
Play has run), and both layouts draw their panels.  Pixel <-> data conversions in these tests use Plotly's own axis
maps (``l2p``), independently of the player's range arithmetic.
"""

from __future__ import annotations

import re

import pytest

from . import player_helpers as helpers
from .player_helpers import IFRAME, page_point

pytestmark = pytest.mark.browser

APP = "tests/apps/player_demo.py"
STEPS = 120  # player_demo.STEPS
LOAD_MS = 60_000
WAIT_MS = 20_000
CLICK_TOL = 0.03  # data units; one pixel is ~0.005 here


def open_player(page, url):
    """Load the page, wait for the player's first draw, return its Frame."""
    page.goto(url)
    handle = page.wait_for_selector(IFRAME, timeout=LOAD_MS)
    frame = handle.content_frame()
    frame.wait_for_function("() => window.playerState && window.playerState.drawCount > 0", timeout=LOAD_MS)
    return frame


def state(frame) -> dict:
    return frame.evaluate("() => Object.assign({}, window.playerState)")


def step_text(frame) -> tuple[int, int]:
    m = re.fullmatch(r"step (\d+) / (\d+)", frame.locator("#frame").inner_text().strip())
    assert m, frame.locator("#frame").inner_text()
    return int(m.group(1)), int(m.group(2))


def assert_clean(page):
    assert page.errors == [], page.errors
    assert page.console_errors == [], page.console_errors


def clicked(page, n):
    """Wait until the page shows click number n; return its (x, y)."""
    text = page.get_by_text(re.compile(rf"clicked: .* n={n}$"))
    text.wait_for(timeout=WAIT_MS)
    m = re.search(r"x=(-?[\d.]+) y=(-?[\d.]+) n=(\d+)", text.inner_text())
    return float(m.group(1)), float(m.group(2))


def ghost_paths(frame):
    """Each optimizer's whole route as the player draws it (one per optimizer), as lists of [x, y] pairs."""
    return list(frame.evaluate("() => window.playerState.routes(0)").values())


def canvas_alpha(frame, x, y, radius=0) -> int:
    """Largest alpha of the moving layer's pixels within ``radius`` device pixels of data point (x, y), located by
    Plotly's own axis maps (a thin line's pixel centres lie up to half a pixel off the exact point)."""
    return frame.evaluate(
        """([x, y, r]) => { const gd = document.querySelector('.js-plotly-plot'), fl = gd._fullLayout;
                            const c = gd.parentElement.querySelector('canvas'), s = c.width / fl.xaxis._length;
                            const px = Math.round(fl.xaxis.l2p(x) * s), py = Math.round(fl.yaxis.l2p(y) * s);
                            const d = c.getContext('2d').getImageData(px - r, py - r, 2 * r + 1, 2 * r + 1).data;
                            let a = 0; for (let i = 3; i < d.length; i += 4) a = Math.max(a, d[i]); return a; }""",
        [x, y, radius])


def play_to_end(frame):
    helpers.play_to_end(frame, STEPS, WAIT_MS)


def test_loads_without_errors(page, streamlit_app, artifacts):
    frame = open_player(page, streamlit_app(APP))
    s = state(frame)
    assert s["nPaths"] == 3 and s["frame"] == 0 and not s["playing"]
    assert step_text(frame) == (0, STEPS)
    assert frame.locator("#readout tbody tr").count() == 3
    traces = frame.evaluate("() => document.querySelector('.js-plotly-plot').data.map(t => t.type)")
    assert traces[0] == "contour"
    page.screenshot(path=str(artifacts / "player_overlay.png"), full_page=True)
    assert (artifacts / "player_overlay.png").stat().st_size > 10_000
    assert_clean(page)


def test_play_advances_the_frame_counter(page, streamlit_app):
    frame = open_player(page, streamlit_app(APP))
    frame.locator("#play").click()
    frame.wait_for_function("() => window.playerState.frame > 3", timeout=WAIT_MS)
    k, total = step_text(frame)
    assert 0 < k <= total == STEPS
    frame.locator("#play").click()  # pause
    paused_at = state(frame)["frame"]
    page.wait_for_timeout(400)
    assert state(frame)["frame"] == paused_at and not state(frame)["playing"]
    # Played to the end it stops on the last step, with each optimizer's readout at its last iterate.
    play_to_end(frame)
    assert step_text(frame) == (STEPS, STEPS)
    assert frame.locator("#readout tbody tr").first.locator("td").nth(2).inner_text() == f"{STEPS} / {STEPS}"
    assert_clean(page)


def test_slider_swaps_paths_keeping_zoom_step_and_play_state(page, streamlit_app):
    frame = open_player(page, streamlit_app(APP))
    before = ghost_paths(frame)
    frame.locator("#scrub").fill("50")
    assert state(frame)["frame"] == 50
    zoom = [[-1.0, 1.0], [-0.8, 1.2]]
    frame.evaluate("""async (z) => { await Plotly.relayout(document.querySelector('.js-plotly-plot'),
                                        {'xaxis.range': z[0], 'yaxis.range': z[1]}); }""", zoom)
    draws, plotly_draws = state(frame)["drawCount"], state(frame)["plotlyDraws"]

    slider = page.locator("[data-testid='stSlider'] input[type='range']")
    slider.focus()
    slider.press("ArrowLeft")  # contraction 0.97 -> 0.96: every path changes
    frame.wait_for_function(f"() => window.playerState.drawCount > {draws}", timeout=WAIT_MS)

    after = ghost_paths(frame)
    assert len(after) == len(before) == 3
    assert all(a != b for a, b in zip(after, before))
    ranges = frame.evaluate("""() => { const fl = document.querySelector('.js-plotly-plot')._fullLayout;
                                       return [fl.xaxis.range, fl.yaxis.range]; }""")
    assert ranges[0] == pytest.approx(zoom[0]) and ranges[1] == pytest.approx(zoom[1])
    assert state(frame)["frame"] == 50 and step_text(frame) == (50, STEPS)

    # The moving layer follows the zoomed axes: the first optimizer's head at step 50 is painted where Plotly's
    # axes put that point.
    hx, hy = after[0][50]
    assert zoom[0][0] < hx < zoom[0][1] and zoom[1][0] < hy < zoom[1][1]
    assert canvas_alpha(frame, hx, hy) > 200
    # A slider move redraws the canvas only: Plotly (contour, markers, legend) is not replotted.
    assert state(frame)["plotlyDraws"] == plotly_draws

    # New data while playing keeps playing.
    frame.locator("#loop").check()
    frame.locator("#play").click()
    draws = state(frame)["drawCount"]
    slider.press("ArrowLeft")
    frame.wait_for_function(f"() => window.playerState.drawCount > {draws}", timeout=WAIT_MS)
    assert state(frame)["playing"]
    assert_clean(page)


def test_whole_routes_are_painted_and_hovering_one_labels_its_point(page, streamlit_app):
    frame = open_player(page, streamlit_app(APP))
    routes = frame.evaluate("() => window.playerState.routes(0)")
    assert list(routes) == ["GD", "MOMENTUM", "ADAM"]
    # At step 0 each route is already drawn in full, faintly; far from every route the layer is transparent.
    assert state(frame)["frame"] == 0
    for route in routes.values():
        x, y = route[STEPS // 2]
        assert canvas_alpha(frame, x, y, radius=1) > 50
    assert canvas_alpha(frame, 1.9, -1.9, radius=3) == 0

    # Hovering a route's point shows that path's label for that step in place of Plotly's surface label.
    x, y = routes["GD"][30]
    page.mouse.move(*page_point(page, frame, x, y))
    tip = frame.locator(".tip")
    tip.wait_for(state="visible", timeout=WAIT_MS)
    text = tip.inner_text()
    assert text.startswith("GD") and re.search(r"step (\d+)", text), text
    assert abs(int(re.search(r"step (\d+)", text).group(1)) - 30) <= 1
    assert frame.locator(".panel.on-path").count() == 1
    # Away from the routes the label goes and the surface's own hover (x, y, f) is back.
    page.mouse.move(*page_point(page, frame, 1.9, -1.9))
    tip.wait_for(state="hidden", timeout=WAIT_MS)
    assert frame.locator(".panel.on-path").count() == 0
    frame.wait_for_function("() => { const h = document.querySelector('.js-plotly-plot')._hoverdata;"
                            " return h && h.length && h[0].data.type === 'contour'; }", timeout=WAIT_MS)
    assert_clean(page)


def test_click_on_surface_returns_coordinates_also_after_play(page, streamlit_app):
    frame = open_player(page, streamlit_app(APP))
    target = (1.0, -1.0)  # an empty spot of the surface: no trace point there
    page.mouse.click(*page_point(page, frame, *target))
    x, y = clicked(page, 1)
    assert x == pytest.approx(target[0], abs=CLICK_TOL) and y == pytest.approx(target[1], abs=CLICK_TOL)

    play_to_end(frame)
    target = (-0.5, 0.8)
    page.mouse.click(*page_point(page, frame, *target))
    x, y = clicked(page, 2)
    assert x == pytest.approx(target[0], abs=CLICK_TOL) and y == pytest.approx(target[1], abs=CLICK_TOL)
    assert state(frame)["lastClick"]["n"] == 2

    # A drag is a zoom, not a pick.
    sx, sy = page_point(page, frame, 0.2, 0.2)
    page.mouse.move(sx, sy)
    page.mouse.down()
    page.mouse.move(sx + 60, sy + 40, steps=5)
    page.mouse.up()
    page.wait_for_timeout(800)
    assert state(frame)["lastClick"]["n"] == 2
    assert_clean(page)


def test_overlay_and_side_by_side_layouts(page, streamlit_app, artifacts):
    frame = open_player(page, streamlit_app(APP))
    assert frame.locator(".js-plotly-plot").count() == 1
    draws = state(frame)["drawCount"]
    page.get_by_text("side_by_side", exact=True).click()
    frame.wait_for_function(f"() => window.playerState.drawCount > {draws}", timeout=WAIT_MS)
    assert frame.locator(".js-plotly-plot").count() == 3
    kinds = frame.evaluate("""() => Array.from(document.querySelectorAll('.js-plotly-plot'),
                                              gd => gd.data.filter(t => t.type === 'contour').length)""")
    assert kinds == [1, 1, 1]

    # One clock for all panels; a zoom in one panel is applied to the others.
    frame.locator("#play").click()
    frame.wait_for_function("() => window.playerState.frame > 3", timeout=WAIT_MS)
    frame.evaluate("""async () => { await Plotly.relayout(document.querySelectorAll('.js-plotly-plot')[1],
                                        {'xaxis.range': [-1, 1], 'yaxis.range': [-1, 1]}); }""")
    frame.wait_for_function("""() => Array.from(document.querySelectorAll('.js-plotly-plot'))
                                   .every(gd => gd._fullLayout.xaxis.range[0] === -1)""", timeout=WAIT_MS)
    page.screenshot(path=str(artifacts / "player_side_by_side.png"), full_page=True)

    # Loading the side-by-side URL directly, then switching back to overlay.
    frame = open_player(page, streamlit_app(APP, "layout=side_by_side"))
    assert frame.locator(".js-plotly-plot").count() == 3
    draws = state(frame)["drawCount"]
    page.get_by_text("overlay", exact=True).click()
    frame.wait_for_function(f"() => window.playerState.drawCount > {draws}", timeout=WAIT_MS)
    assert frame.locator(".js-plotly-plot").count() == 1
    assert_clean(page)


def test_log_levels_on_a_surface_spanning_decades(page, streamlit_app):
    frame = open_player(page, streamlit_app(APP, "surface=rosenbrock"))
    title = frame.evaluate("() => document.querySelector('.js-plotly-plot').data[0].colorbar.title.text")
    assert title.startswith("log")
    assert_clean(page)


def test_pending_note_shows_over_the_surface(page, streamlit_app, artifacts):
    """What the compare page shows while it compiles: the surface drawn, no paths, the note and its spinner."""
    frame = open_player(page, streamlit_app(APP, "pending=1"))
    st = state(frame)
    assert st["pending"] is True and st["nPaths"] == 0 and st["plotlyDraws"] > 0
    note = frame.locator("[data-role='pending']")
    assert note.is_visible() and note.inner_text().strip() == "Computing the spirals…"
    assert frame.locator("#pending .spinner").is_visible()
    # The note sits over the plot, inside its box.
    plot, box = frame.locator(".js-plotly-plot").bounding_box(), note.bounding_box()
    assert plot["x"] < box["x"] and box["x"] + box["width"] < plot["x"] + plot["width"]
    assert plot["y"] < box["y"] and box["y"] + box["height"] < plot["y"] + plot["height"]
    page.screenshot(path=str(artifacts / "player-pending.png"))
    assert page.errors == [] and page.console_errors == []

