"""The visitor's language in a real browser (issue 29): a first visit without ``lang`` follows the browser's language
(``st.context.locale``: any ``zh*`` is 简体中文), the URL then carries it, and Copy link keeps it; an English browser
gets English.  In Chinese the player's own controls are Chinese, and so is the text band it draws into an exported GIF
(every text drawn on a canvas is recorded by an init script); the copied link opens in Chinese for a visitor whose browser speaks English.  Screenshots of the default page in both languages,
desktop and phone (``language_*.png``)."""

from __future__ import annotations

import pytest

from components.i18n import catalog
from tests.browser.test_compare import APP, IFRAME, LOAD_MS, assert_clean
from tests.browser.test_lab import idle
from tests.browser.test_share import export

DRAWN_TEXTS = """
const fill = CanvasRenderingContext2D.prototype.fillText;
window.__drawnTexts = [];
CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
  window.__drawnTexts.push(String(text));
  return fill.call(this, text, ...rest);
};
"""

pytestmark = pytest.mark.browser


def zh(message: str) -> str:
    """The Chinese of ``message``, from the catalogs the page reads (a test that cannot drift from them)."""
    translated = catalog("zh").gettext(message)
    assert translated != message, f"no Chinese for {message!r}"
    return translated


def open_in(browser, url: str, locale: str, **context):
    """A new visitor whose browser speaks ``locale``; returns (page, player frame) once the paths are drawn."""
    ctx = browser.new_context(locale=locale, **context)
    page = ctx.new_page()
    page.add_init_script(DRAWN_TEXTS)  # every frame, the player's iframe included
    page.errors, page.console_errors = [], []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
    page.goto(url)
    frame = page.wait_for_selector(IFRAME, timeout=LOAD_MS).content_frame()
    frame.wait_for_function("() => window.playerState && window.playerState.drawCount > 0 "
                            "&& !window.playerState.pending", timeout=LOAD_MS)
    idle(page)
    return page, frame


def test_a_chinese_browser_gets_chinese_and_its_links_keep_it(browser, streamlit_app, artifacts):
    url = streamlit_app(APP)  # no lang in the URL: the browser's language decides
    page, frame = open_in(browser, url, "zh-CN", viewport={"width": 1280, "height": 1100})
    try:
        page.wait_for_function("() => location.search.includes('lang=zh')", timeout=LOAD_MS)
        assert page.get_by_role("heading", name=zh("Compare optimizers")).count() > 0
        assert page.get_by_text(zh("Optimizers"), exact=True).count() > 0  # the sidebar's section
        assert page.get_by_text("Compare optimizers", exact=True).count() == 0
        origin = url.split("/?")[0]
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
        frame.locator("#copy-link").click()
        frame.wait_for_function("() => window.playerState.copiedLink !== null", timeout=LOAD_MS)
        copied = frame.evaluate("() => navigator.clipboard.readText()")
        assert "lang=zh" in copied and copied == page.url
        # The player's controls, from the same catalogs (player.po), and the band of an exported GIF.
        assert frame.locator("#play").inner_text().endswith(zh("Play"))
        assert frame.locator("#export-gif").is_visible()
        frame.evaluate("() => { window.__drawnTexts = []; }")
        data, last, _ = export(page, frame, "#export-gif", "480x360", "10")
        assert data[:6] == b"GIF89a" and last["frames"] > 1
        band = zh("{title}  ·  step {step} / {total}").split("{step}")[0].replace("{title}", "")
        drawn = frame.evaluate("() => window.__drawnTexts")
        assert any(band.strip() in text and "步" in text for text in drawn), drawn[:5]
        assert not any("step" in text for text in drawn), [text for text in drawn if "step" in text][:5]
        assert_clean(page)
        page.screenshot(path=str(artifacts / "language_zh_desktop.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_timeout(500)
        page.screenshot(path=str(artifacts / "language_zh_phone.png"), full_page=True)
    finally:
        page.context.close()
    # The copied link, opened by a visitor whose browser speaks English, opens in Chinese: the link decides.
    other, _ = open_in(browser, copied, "en-US", viewport={"width": 1280, "height": 1100})
    try:
        assert other.get_by_role("heading", name=zh("Compare optimizers")).count() > 0
        assert "lang=zh" in other.url
    finally:
        other.context.close()


def test_an_english_browser_gets_english(browser, streamlit_app, artifacts):
    page, _ = open_in(browser, streamlit_app(APP), "en-US", viewport={"width": 390, "height": 844},
                      is_mobile=True, has_touch=True)
    try:
        page.wait_for_function("() => location.search.includes('lang=en')", timeout=LOAD_MS)
        assert page.get_by_role("heading", name="Compare optimizers").count() > 0
        assert page.get_by_role("heading", name=zh("Compare optimizers")).count() == 0
        assert_clean(page)
        page.screenshot(path=str(artifacts / "language_en_phone.png"), full_page=True)
    finally:
        page.context.close()
