"""The Learn page end to end: a real `streamlit run app.py` and headless Chromium (fixtures in conftest.py).

A new learner's way through lesson 1: the surface is shown and Run stays disabled until a prediction is chosen;
Run reveals the path and the answer (with the run's own numbers), Play animates it to its last step, the κ slider is
moved one notch at a time until the task turns done (the step at which the engine says it does), and "Open this in
Compare" opens a new tab whose player draws the same route from the same settings.  Then three lessons in each
language, revealed, saved as desktop (1280 wide) and phone (390 x 844) screenshots, with nothing wider than the
screen.  Few page loads: the whole run is two page loads per test (CI's time is counted).
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from components import controls
from components.learn import compute, lessons as L, words

from . import player_helpers as helpers
from .player_helpers import IFRAME

pytestmark = pytest.mark.browser

APP = "app.py"
LOAD_MS = 180_000  # a cold server compiles the lesson's runner first
WAIT_MS = 60_000
DESKTOP = {"width": 1280, "height": 1100}
PHONE = {"width": 390, "height": 844}
SHOWN = ("ravine", "critical", "random_search")
"""The lessons saved as screenshots: the trajectory player, the four nudges around a critical point, a Plotly chart."""


def learn_url(streamlit_app, lang: str, slug: str) -> str:
    return streamlit_app(APP) + f"learn?lang={lang}&learn.lesson={slug}"


def key_class(key: str) -> str:
    """The CSS class Streamlit gives the element with widget key ``key``."""
    return ".st-key-" + re.sub(r"[^A-Za-z0-9_-]", "-", key)


def player_frame(page):
    return page.wait_for_selector(IFRAME, timeout=LOAD_MS).content_frame()


def drawn(page, paths: int):
    """The player's frame once it has drawn ``paths`` paths.  The reveal puts the player in a new place on the page,
    so its iframe is replaced: a frame detached while we wait is looked up again."""
    from playwright.sync_api import Error

    for _ in range(5):
        frame = player_frame(page)
        try:
            frame.wait_for_function(f"() => window.playerState && window.playerState.drawCount > 0 && "
                                    f"!window.playerState.pending && window.playerState.nPaths === {paths}",
                                    timeout=LOAD_MS)
            return frame
        except Error as err:
            if "detached" not in str(err):
                raise
    raise AssertionError("the player's frame kept being replaced")


def routes(frame) -> dict:
    return frame.evaluate("() => window.playerState.routes(0)")


PROBES = re.compile(r"/learn/_stcore/(host-config|health)$")
"""Streamlit's own probes when a page is opened at its path (``/learn?…``): it first asks for its server under
that path, gets 404 and then finds it at the root.  Nothing of ours; every other 404 fails the test."""


def record_404s(page) -> list[str]:
    missing: list[str] = []
    page.context.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    return missing


def assert_clean(page, missing: list[str]) -> None:
    assert page.errors == [], page.errors
    assert all(PROBES.search(url.split("?")[0]) for url in missing), missing
    errors = [e for e in page.console_errors if not e.startswith("Failed to load resource: the server responded "
                                                                 "with a status of 404")]
    assert errors == [], page.console_errors
    assert page.locator("[data-testid='stException']").count() == 0


def predict(page, slug: str, choice: int = 0) -> None:
    """Choose the ``choice``-th answer and press Run; wait until the answer is shown."""
    page.locator(f"{key_class(f'_learn.{slug}.guess')} [role='radiogroup'] label").nth(choice).click()
    page.locator(f"{key_class(f'learn.{slug}.run')} button:not([disabled]):visible").first.click()
    page.locator(f"{key_class(f'learn.{slug}.again')} button:visible").first.wait_for(timeout=LOAD_MS)


def slider_value(page, key: str) -> str:
    return page.locator(f"{key_class(key)} [data-testid='stSliderThumbValue']").first.inner_text()


def test_a_new_learner_goes_through_lesson_one_and_opens_it_in_compare(page, streamlit_app, artifacts):
    lesson = L.get("ravine")
    missing = record_404s(page)
    page.goto(learn_url(streamlit_app, "en", "ravine"))
    frame = drawn(page, 0)  # the surface, no path: first the prediction
    run = page.locator(f"{key_class('learn.ravine.run')} button:visible").first
    assert run.is_disabled()
    assert page.get_by_text("Your task").count() == 0

    # Predict, then run: the zig-zag (right at the defaults, the tests of the lessons check it from the closed form).
    choices = list(lesson.choices)
    predict(page, "ravine", choices.index("zigzag"))
    page.get_by_text("Right: Zig-zag across the floor and crawl along it").wait_for(timeout=WAIT_MS)
    first = compute.view(lesson, lesson.defaults())
    assert page.get_by_text(" ".join(words.why(first))).count() == 1  # the reveal, with the run's own numbers
    assert "1 − ηλmax = −0.8" in words.why(first)[0]
    frame = drawn(page, 1)
    helpers.play_to_end(frame, 200, WAIT_MS)
    page.get_by_text("Not yet: " + words.status(first, lesson.goal(first))).wait_for(timeout=WAIT_MS)
    page.screenshot(path=str(artifacts / "learn_lesson1_revealed.png"))

    # The task: no η reaches the floor's end when κ = 100, so the learner lowers κ, a notch at a time, until done.
    grid = controls.log_grid(1.0, 1000.0, 100.0)
    thumb = page.locator(f"{key_class('learn.ravine.kappa')} input[type='range']").first
    kappa, met = 100.0, False
    while not met:
        thumb.focus()
        thumb.press("ArrowLeft")
        kappa = grid[grid.index(kappa) - 1]
        page.wait_for_url(re.compile(rf"learn\.ravine\.kappa={re.escape(controls.encode(kappa))}(&|$)"),
                          timeout=WAIT_MS)
        view = compute.view(lesson, {"learning_rate": 1.8, "kappa": kappa})
        goal = lesson.goal(view)
        met = goal.met
        said = ("Done: " if met else "Not yet: ") + words.status(view, goal)  # each notch's run, in its words
        page.get_by_text(said).wait_for(timeout=WAIT_MS)
        assert kappa > 1.0
    assert slider_value(page, "learn.ravine.kappa") == f"{kappa:g}" and said.startswith(
        "Done: It came within 0.001 of the minimum at step ")
    page.wait_for_url(re.compile(r"learn\.done=ravine"), timeout=WAIT_MS)
    sidebar = page.locator("[data-testid='stSidebar']")
    assert sidebar.get_by_text(re.compile(r"^✓ 1\. ")).count() == 1
    assert sidebar.get_by_text("1 of 13 lessons done").count() == 1
    assert page.locator(f"{key_class('learn.lesson')} input").first.is_checked()  # still lesson 1, marked
    ours = routes(drawn(page, 1))
    np.testing.assert_allclose(ours["Gradient descent"], view.runs["sgd"].xy, atol=1e-5)
    page.screenshot(path=str(artifacts / "learn_lesson1_done.png"))

    # "Open this in Compare": a new tab with the lesson's surface, start, κ, η, and the same route.
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Open this in Compare").click()
    compare = opened.value
    compare.on("pageerror", lambda exc: page.errors.append(str(exc)))
    compare.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
    other = drawn(compare, 1)
    assert compare.locator("h1").first.inner_text().startswith("Compare optimizers")
    assert "compare.surface=elongated_valley" in compare.url and "compare.sgd.learning_rate=1.8" in compare.url
    assert compare.locator(key_class("compare.elongated_valley.kappa")).get_by_text(f"{kappa:g}", exact=True).count()
    theirs = routes(other)
    assert list(theirs) == list(ours) == ["Gradient descent"]
    np.testing.assert_allclose(theirs["Gradient descent"], ours["Gradient descent"], atol=1e-5)
    compare.screenshot(path=str(artifacts / "learn_lesson1_in_compare.png"))
    assert_clean(page, missing)


def shoot(page, path, viewport) -> None:
    """A screenshot of the whole page at ``viewport``'s width: the viewport is made as tall as the page's content
    (Streamlit scrolls its main block itself, so a full-page screenshot would stop at the window's height)."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMainBlockContainer\"]').scrollHeight")
    page.set_viewport_size({"width": viewport["width"], "height": max(viewport["height"], int(height) + 80)})
    page.wait_for_timeout(800)  # the player's resize debounce
    page.screenshot(path=str(path))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_three_lessons_revealed_on_a_desktop_and_a_phone(page, streamlit_app, artifacts, lang):
    missing = record_404s(page)
    page.goto(learn_url(streamlit_app, lang, SHOWN[0]))
    for i, slug in enumerate(SHOWN):
        if i:  # the sidebar's list, as a learner picks the next lesson (a rerun, not a page load)
            page.set_viewport_size(DESKTOP)
            page.locator(f"{key_class('learn.lesson')} [role='radiogroup'] label").nth(L.number(slug) - 1).click()
            page.wait_for_url(re.compile(rf"learn\.lesson={slug}(&|$)"), timeout=WAIT_MS)
        page.locator(f"{key_class(f'_learn.{slug}.guess')} [role='radiogroup'] label").first.wait_for(timeout=LOAD_MS)
        predict(page, slug)
        if L.get(slug).figure in ("paths", "nudges"):
            drawn(page, len(compute.view(L.get(slug), L.get(slug).defaults()).paths))
        else:
            page.locator(".js-plotly-plot").first.wait_for(timeout=WAIT_MS)
        for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            shoot(page, artifacts / f"learn-{lang}-{L.number(slug):02d}-{slug}-{name}.png", viewport)
            wide = page.evaluate("""() => { const m = document.querySelector('[data-testid="stMain"]');
                                            return [m.scrollWidth, m.clientWidth]; }""")
            assert wide[0] <= wide[1], f"{slug} overflows sideways on the {name}: {wide}"
    page.set_viewport_size(DESKTOP)
    assert_clean(page, missing)
