"""Phones, tablets, fingers and keys (issue 31), in a real Chromium against a real server.

Devices: a phone (390 × 844, touch, mobile) and a tablet upright (768 × 1024, touch, mobile), Playwright's emulation
(``is_mobile``, ``has_touch``: the primary pointer is coarse, as on the real thing).  What is checked:

* every page: no element of the main area sticks out of the screen sideways, unless it sits in a box of its own that
  scrolls or clips within the screen (a long formula, a table); the same inside the player's frame;
* the player's map takes the width (with its tick labels, at least 90 % of the content column; the colour bar above
  it, not beside it), and its controls are at least 44 px high;
* a tap on Play plays and pauses; a finger dragged along the step slider or the live scrub moves it; a tap on the map
  picks the start; a vertical swipe over the player or over a page's chart scrolls the page (the chart's view does
  not move);
* the keyboard: Space, ←/→, Home/End change ``playerState``, the step is announced politely once it settles, and Tab
  reaches every control of the player, each with a visible focus ring and a label.

Each page is loaded once per device and that load serves every check of the page (the player's checks and the
swipes ride on Compare's and Explore's loads): browser tests are the slow part of CI.  Touches are sent through the
DevTools protocol (``Input.dispatchTouchEvent``), i.e. the way a touch screen's events enter Chromium.  Screenshots
of every page on both devices land in ``test-artifacts/mobile/``.
"""

from __future__ import annotations

import re

import pytest

from .player_helpers import IFRAME, page_point

pytestmark = pytest.mark.browser

APP = "app.py"
DEMO = "tests/apps/player_demo.py"  # the player alone: a bowl, three spirals of 120 steps
DEMO_STEPS = 120
LOAD_MS = 240_000  # a cold server compiles every page's runs on these two shared cores
WAIT_MS = 60_000
DEVICES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 2},
    "tablet": {"viewport": {"width": 768, "height": 1024}, "is_mobile": True, "has_touch": True},
}
PAGES = {"compare": "", "explore": "explore", "lab": "lab", "network": "network"}
CONTROLS = ("play", "scrub", "speed", "loop", "export-size", "export-fps", "export-gif", "export-video", "copy-link")
"""The player's controls, in their Tab order (the live scrub's slider comes after "loop" when it is on)."""

OVERFLOW = """(root) => {
  // Elements that stick out of the screen sideways and are not inside a box of their own (below `root`) that
  // scrolls or clips within the screen: what would widen the page or be cut off at its edge.
  const W = document.documentElement.clientWidth, out = [];
  const inside = (r) => r.left >= -1 && r.right <= W + 1;
  for (const el of root.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || inside(r) || r.right <= 0) continue; // wholly left of it: hidden on purpose
    let a = el.parentElement, held = false;
    while (a && a !== root && !held) {
      held = ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(a).overflowX)
        && inside(a.getBoundingClientRect());
      a = a.parentElement;
    }
    if (!held) out.push(`${el.tagName.toLowerCase()}.${String(el.className.baseVal ?? el.className).slice(0, 40)}`
                        + ` ${Math.round(r.left)}..${Math.round(r.right)}`);
  }
  return out;
}"""
PROBE = re.compile(r"/[a-z]+/_stcore/(health|host-config)$")
"""A page opened by its own address (``/explore``) first asks for ``/explore/_stcore/health`` and ``host-config``,
gets 404 and falls back to the root's (Streamlit's own start-up, also on a desktop): not this app's error."""
SCROLLER = """() => { // Streamlit scrolls its main area inside an element of its own, not the window
  let e = document.querySelector('[data-testid="stMain"]');
  while (e && e !== document.body) {
    if (['auto', 'scroll'].includes(getComputedStyle(e).overflowY) && e.scrollHeight > e.clientHeight) return e;
    e = e.parentElement;
  }
  return document.scrollingElement; }"""


@pytest.fixture(params=list(DEVICES))
def device(request):
    return request.param


def open_touch(browser, device: str):
    context = browser.new_context(**DEVICES[device])
    page = context.new_page()
    page.errors, page.console_errors = [], []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("console", lambda msg: page.console_errors.append(msg.text)
            if msg.type == "error" and not PROBE.search(msg.location.get("url", "")) else None)
    return context, page


@pytest.fixture
def phone(browser):
    context, page = open_touch(browser, "phone")
    try:
        yield page
    finally:
        context.close()


def settle(page, quiet_s: int = 3) -> None:
    """Wait until the script run is over and the page stopped changing for ``quiet_s`` seconds."""
    page.wait_for_function("() => document.querySelector(\"[data-testid='stMainBlockContainer'] "
                           "[data-testid='stElementContainer']\")", timeout=LOAD_MS)  # the first may be hidden
    calm, last = 0, None
    for _ in range(LOAD_MS // 1000):
        busy = page.evaluate("() => !!document.querySelector('[data-testid=\"stStatusWidget\"]')")
        n = page.evaluate("() => document.querySelectorAll('[data-testid=\"stMain\"] *').length")
        calm, last = (calm + 1 if not busy and n == last else 0), n
        if calm >= quiet_s:
            return
        page.wait_for_timeout(1000)
    raise AssertionError("the page never settled")


def open_player(page, url: str):
    page.goto(url)
    frame = page.wait_for_selector(IFRAME, timeout=LOAD_MS).content_frame()
    frame.wait_for_function("() => window.playerState && window.playerState.drawCount > 0 "
                            "&& !window.playerState.pending", timeout=LOAD_MS)
    return frame


def state(frame) -> dict:
    return frame.evaluate("() => Object.assign({}, window.playerState)")


def touch_drag(page, points, pause_ms: int = 30) -> None:
    """One finger down at points[0], through the others, lifted at the last (page pixels)."""
    cdp = page.context.new_cdp_session(page)
    (x0, y0), *rest = points
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]})
    for x, y in rest:
        page.wait_for_timeout(pause_ms)
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def swipe_up(page, x: float, y: float, distance: float = 300, steps: int = 10) -> None:
    touch_drag(page, [(x, y - distance * i / steps) for i in range(steps + 1)], pause_ms=16)
    page.wait_for_timeout(800)  # the fling settles


def along(page, frame, selector: str, fraction: float) -> tuple[float, float]:
    """The page pixel at ``fraction`` of a range input's track (inside the player's frame)."""
    box = frame.locator(selector).bounding_box()  # page coordinates already
    thumb = 16  # the track the thumb's centre travels is the box less one thumb width
    return box["x"] + thumb / 2 + (box["width"] - thumb) * fraction, box["y"] + box["height"] / 2


def assert_clean(page):
    assert page.errors == [], page.errors
    assert page.console_errors == [], page.console_errors


# ------------------------------------------------------------------------------------------------ every page
def the_players_map_takes_the_width_and_its_controls_a_finger(page) -> None:
    frame = page.wait_for_selector(IFRAME, timeout=LOAD_MS).content_frame()
    frame.wait_for_function("() => window.playerState && window.playerState.drawCount > 0 "
                            "&& !window.playerState.pending && window.playerState.narrow", timeout=WAIT_MS)
    g = frame.evaluate("""() => {
        const gd = document.querySelector('.js-plotly-plot'), fl = gd._fullLayout;
        const bar = gd.querySelector('.colorbar').getBoundingClientRect(), r = gd.getBoundingClientRect();
        return {width: document.getElementById('root').clientWidth, left: fl.xaxis._offset, plot: fl.xaxis._length,
                top: fl.yaxis._offset, high: fl.yaxis._length, barBottom: bar.bottom - r.top,
                barHigh: bar.height, touch: window.playerState.touch}; }""")
    assert g["touch"], g
    assert g["left"] + g["plot"] >= 0.9 * g["width"], g  # the map with its tick labels
    assert g["plot"] >= 0.8 * g["width"], g  # the plot area alone
    assert g["barBottom"] <= g["top"], g  # the colour bar above the map, not beside it
    # ... and thin: a bar that stayed vertical above the map squeezed it to a strip (Plotly.react kept its orientation)
    assert g["barHigh"] <= 60 and g["high"] >= 0.4 * g["plot"], g
    for control in CONTROLS:  # what a finger hits: the control, or the label around it (the loop's box)
        box = frame.locator(f"#{control}").evaluate(
            "(el) => { const r = (el.closest('label') || el).getBoundingClientRect(); return [r.width, r.height]; }")
        assert box[1] >= 44, (control, box)
    for button in ("play", "export-gif", "export-video", "copy-link"):
        assert frame.locator(f"#{button}").bounding_box()["width"] >= 44, button


PLOTLY_VIEW = "() => { const fl = document.querySelector('.js-plotly-plot')._fullLayout; " \
              "return [fl.xaxis.range, fl.yaxis.range]; }"


def a_vertical_swipe_over_a_chart_scrolls_the_page(page, where: str) -> None:
    """One finger up over the middle of the first chart (the player's map, or the page's first Plotly chart):
    the page scrolls, the chart's view does not move."""
    if where == "player":
        chart = page.locator(IFRAME)
        doc = chart.element_handle().content_frame()
    else:
        chart, doc = page.locator(".js-plotly-plot").first, page
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    box = chart.bounding_box()
    height = page.viewport_size["height"]
    if where == "player":  # over the map itself, not the controls above it
        top, h = doc.evaluate("() => { const r = document.querySelector('.js-plotly-plot').getBoundingClientRect();"
                              " return [r.top, r.height]; }")
        y = box["y"] + top + h / 2
    else:
        y = box["y"] + box["height"] / 2
    y = min(max(y, 350), height - 20)  # on the screen, with room for the finger to travel up
    before, view = page.evaluate(f"() => ({SCROLLER})().scrollTop"), doc.evaluate(PLOTLY_VIEW)
    swipe_up(page, box["x"] + box["width"] / 2, y)
    after = page.evaluate(f"() => ({SCROLLER})().scrollTop")
    assert after - before > 100, (where, before, after)
    assert doc.evaluate(PLOTLY_VIEW) == view, where  # the chart did not zoom or pan


def no_check(page) -> None:
    pass


ON_PAGE = {"compare": lambda page: (the_players_map_takes_the_width_and_its_controls_a_finger(page),
                                    a_vertical_swipe_over_a_chart_scrolls_the_page(page, "player")),
           "explore": lambda page: a_vertical_swipe_over_a_chart_scrolls_the_page(page, "explore"),
           "lab": no_check, "network": no_check}
"""What else each page's load is used for (one load per page and device: these tests are slow on CI)."""


@pytest.mark.parametrize("name", list(PAGES))
def test_no_page_is_wider_than_the_screen(browser, streamlit_app, artifacts, device, name):
    context, page = open_touch(browser, device)
    width = DEVICES[device]["viewport"]["width"]
    try:
        page.goto(streamlit_app(APP) + PAGES[name])
        settle(page)
        assert page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]") == [width, width]
        assert page.locator("[data-testid='stMain']").evaluate(OVERFLOW) == []
        for handle in page.query_selector_all(IFRAME):
            assert handle.content_frame().evaluate(f"() => ({OVERFLOW})(document.body)") == []
        ON_PAGE[name](page)
        # The whole page in one picture: the window as tall as the page.
        height = page.evaluate(f"() => ({SCROLLER})().scrollHeight")
        page.set_viewport_size({"width": width, "height": min(int(height) + 40, 16000)})
        page.wait_for_timeout(1500)
        (artifacts / "mobile").mkdir(exist_ok=True)
        page.screenshot(path=str(artifacts / "mobile" / f"{name}-{device}.png"))
        assert_clean(page)
    finally:
        context.close()


# ------------------------------------------------------------------------------------------------ fingers
def test_a_tap_plays_and_a_finger_drags_the_step_slider_and_picks_the_start(phone, streamlit_app):
    frame = open_player(phone, streamlit_app(DEMO))
    frame.locator("#play").tap()
    frame.wait_for_function("() => window.playerState.playing", timeout=WAIT_MS)
    frame.locator("#play").tap()
    frame.wait_for_function("() => !window.playerState.playing", timeout=WAIT_MS)

    frame.locator("#scrub").scroll_into_view_if_needed()
    x0, y = along(phone, frame, "#scrub", 0.05)
    x1, _ = along(phone, frame, "#scrub", 0.6)
    touch_drag(phone, [(x0 + (x1 - x0) * i / 12, y) for i in range(13)])
    frame.wait_for_function("() => window.playerState.frame > 0", timeout=WAIT_MS)
    assert state(frame)["frame"] == pytest.approx(0.6 * DEMO_STEPS, abs=4)

    # A tap on the map (not a drag) is a click: the page takes it as the start point.
    frame.locator(".js-plotly-plot").scroll_into_view_if_needed()
    px, py = page_point(phone, frame, 0.5, -1.0)
    phone.touchscreen.tap(px, py)
    text = phone.get_by_text(re.compile(r"clicked: .* n=1$"))
    text.wait_for(timeout=WAIT_MS)
    x, yy = map(float, re.search(r"x=(-?[\d.]+) y=(-?[\d.]+)", text.inner_text()).groups())
    assert (x, yy) == pytest.approx((0.5, -1.0), abs=0.05)
    assert_clean(phone)


def test_a_finger_drags_the_live_scrub(phone, streamlit_app):
    frame = open_player(phone, streamlit_app(APP, "compare.scrub=learning_rate"))
    frame.locator("#hp-scrub").scroll_into_view_if_needed()
    s = state(frame)["scrub"]
    start, n = s["index"], len(s["values"])
    x0, y = along(phone, frame, "#hp-scrub", start / (n - 1))
    x1, _ = along(phone, frame, "#hp-scrub", (start - 10) / (n - 1))
    touch_drag(phone, [(x0 + (x1 - x0) * i / 10, y) for i in range(11)])
    frame.wait_for_function(f"() => window.playerState.scrub.index <= {start - 8}", timeout=WAIT_MS)
    moved = state(frame)["scrub"]["index"]
    assert start - 11 <= moved <= start - 8
    # Lifting the finger is the release: the sidebar takes the notch's values, so the URL carries them.
    eta = state(frame)["scrub"]["values"][moved]
    phone.wait_for_url(re.compile(r"compare\.sgd\.learning_rate=" + re.escape(f"{eta:g}")), timeout=WAIT_MS)
    assert_clean(phone)


# ------------------------------------------------------------------------------------------------ keys
def test_the_keyboard_drives_the_player_and_tab_reaches_every_control(page, streamlit_app):
    frame = open_player(page, streamlit_app(DEMO))
    frame.locator("#play").focus()
    frame.locator("#play").press("Space")  # a button's own key: it presses Play
    frame.wait_for_function("() => window.playerState.playing", timeout=WAIT_MS)
    frame.locator("#play").press("Space")
    frame.wait_for_function("() => !window.playerState.playing", timeout=WAIT_MS)
    frame.locator("#readout").click()  # the focus anywhere else in the player: the keys are the player's
    k = state(frame)["frame"]
    frame.locator("body").press("ArrowRight")
    assert state(frame)["frame"] == min(k + 1, DEMO_STEPS)
    frame.locator("body").press("End")
    assert state(frame)["frame"] == DEMO_STEPS
    frame.locator("body").press("ArrowLeft")
    assert state(frame)["frame"] == DEMO_STEPS - 1
    frame.locator("body").press("Home")
    assert state(frame)["frame"] == 0
    frame.locator("body").press("ArrowRight")
    frame.locator("body").press("ArrowRight")
    assert state(frame)["frame"] == 2
    # Said once it settles: the polite live region holds the step, not every frame on the way.
    frame.wait_for_function("() => window.playerState.announced === 'step 2 / 120'", timeout=WAIT_MS)
    assert frame.locator("#announce").get_attribute("aria-live") == "polite"
    assert frame.locator("#announce").inner_text() == "step 2 / 120"
    frame.locator("body").press("Space")
    frame.wait_for_function("() => window.playerState.playing", timeout=WAIT_MS)
    frame.locator("body").press("Space")
    frame.wait_for_function("() => !window.playerState.playing", timeout=WAIT_MS)
    # The step slider takes the arrows itself (one step each), and Space still plays there.
    frame.locator("#scrub").focus()
    at = state(frame)["frame"]
    frame.locator("#scrub").press("ArrowLeft")
    assert state(frame)["frame"] == max(at - 1, 0)

    # Tab, from Play on: every control in turn, each with a focus ring and a name.
    frame.locator("#play").focus()
    reached = [frame.evaluate("() => document.activeElement.id")]
    rings = {}
    for _ in range(30):  # the player's controls, and Plotly's mode bar buttons between them
        page.keyboard.press("Tab")
        here = frame.evaluate("() => document.activeElement && document.activeElement !== document.body"
                              " && (document.activeElement.id || document.activeElement.className)")
        if not here:
            break  # out of the player
        reached.append(here)
        rings[here] = frame.evaluate("() => { const s = getComputedStyle(document.activeElement);"
                                     " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }")
    assert [c for c in reached if c in CONTROLS] == list(CONTROLS)
    assert all(rings[c][0] == "solid" and rings[c][1] >= 2 for c in CONTROLS[1:]), rings
    names = frame.evaluate("""(ids) => ids.map((id) => { const el = document.getElementById(id);
        return el.getAttribute('aria-label') || (el.closest('label') && el.closest('label').textContent.trim())
            || el.textContent.trim(); })""", list(CONTROLS))
    assert all(names), dict(zip(CONTROLS, names))
    assert_clean(page)


def test_the_player_speaks_chinese_on_a_phone(phone, streamlit_app, artifacts):
    frame = open_player(phone, streamlit_app(APP, "lang=zh"))
    assert frame.locator("#play").inner_text().strip() == "▶ 播放"
    assert frame.locator("#frame").inner_text().strip() == "第 0 / 200 步"
    assert frame.evaluate("() => document.documentElement.lang") == "zh"
    assert frame.locator("#readout thead").inner_text().split() == ["优化器", "步", "f", "‖g‖", "η", "此步的状态"]
    frame.locator(".js-plotly-plot").scroll_into_view_if_needed()
    (artifacts / "mobile").mkdir(exist_ok=True)
    phone.screenshot(path=str(artifacts / "mobile" / "compare-player-zh.png"))
    assert_clean(phone)
