"""Issue 26 in a real browser: the readout says what each run had done by the step on screen, the live scrub says
what each optimizer gets, long formulas stay inside the sidebar, and the views a new user found wrong, as they
look now (screenshots under test-artifacts/)."""

from __future__ import annotations

import pytest

from .player_helpers import IFRAME
from .test_compare import APP, LOAD_MS, WAIT_MS, assert_clean, open_page, state

pytestmark = pytest.mark.browser


def statuses(frame) -> dict[str, str]:
    """The readout's status column by optimizer, as shown."""
    return frame.evaluate("""() => Object.fromEntries(Array.from(document.querySelectorAll('#readout tbody tr'))
                                   .map((r) => [r.cells[1].textContent, r.cells[6].textContent]))""")


def show_step(frame, k: int) -> None:
    frame.evaluate("""(k) => { const s = document.getElementById('scrub'); s.value = String(k);
                               s.dispatchEvent(new Event('input', {bubbles: true})); }""", k)
    frame.wait_for_function(f"() => window.playerState.frame === {k}", timeout=WAIT_MS)


def test_the_readout_says_the_status_at_the_step_shown(page, streamlit_app, artifacts):
    frame = open_page(page, streamlit_app(APP))
    assert set(statuses(frame).values()) == {"running"}  # step 0: no run has done anything yet
    header = frame.locator("#readout thead th").nth(6).inner_text()
    assert header == "status at this step"
    show_step(frame, 195)
    assert statuses(frame)["Nesterov momentum"] == "running"
    show_step(frame, 196)  # Nesterov converges at step 196 on the valley's preset
    assert statuses(frame)["Nesterov momentum"] == "converged"
    assert statuses(frame)["Gradient descent"] == "running"
    show_step(frame, 200)  # the last step: each run's outcome
    final = statuses(frame)
    assert final["Nesterov momentum"] == "converged" and final["Gradient descent"] == "moving"
    page.screenshot(path=str(artifacts / "truth-readout-end.png"), full_page=False)
    assert_clean(page)


def test_the_live_scrub_says_what_each_optimizer_gets(page, streamlit_app):
    frame = open_page(page, streamlit_app(APP, "compare.scrub=learning_rate"))
    label = frame.locator("#hp-value").inner_text()
    assert label.startswith("notch ") and "(as in the sidebar)" in label
    for title in ("Gradient descent 1.8", "Momentum 0.3", "AdaGrad 1.5", "Adam 0.3"):
        assert title in label, label
    s = state(frame)["scrub"]
    frame.evaluate("""(i) => { const s = document.querySelector("[data-role='scrub']"); s.value = String(i);
                               s.dispatchEvent(new Event('input', {bubbles: true})); }""", len(s["values"]) - 1)
    last = frame.locator("#hp-value").inner_text()
    assert "as in the sidebar" not in last and "Gradient descent 4" in last  # the top of GD's own slider (η ≤ 4)
    assert_clean(page)


def test_long_formulas_stay_inside_the_sidebar(page, streamlit_app, artifacts):
    url = streamlit_app(APP, "compare.optimizers=schedule_free_adamw&compare.schedule=warmup_cosine")
    page.goto(url)
    page.wait_for_selector(IFRAME, timeout=LOAD_MS)
    page.locator("[data-testid='stSidebar'] [data-testid='stExpander']").filter(
        has_text="Schedule-free AdamW").locator("summary").click()
    page.wait_for_selector("[data-testid='stSidebar'] .katex-display", timeout=WAIT_MS)
    overflow = page.evaluate("""() => {
        const side = document.querySelector("[data-testid='stSidebar']").getBoundingClientRect();
        return Array.from(document.querySelectorAll("[data-testid='stSidebar'] .katex-display")).map((el) => ({
            right: el.getBoundingClientRect().right, edge: side.right, scroll: getComputedStyle(el).overflowX,
            wide: el.scrollWidth > el.clientWidth}));
    }""")
    assert overflow, "no formula in the sidebar"
    for box in overflow:
        assert box["right"] <= box["edge"] + 1, box  # inside the sidebar ...
        assert box["scroll"] == "auto", box  # ... and a formula wider than it scrolls in its own box
    page.locator("[data-testid='stSidebar']").screenshot(path=str(artifacts / "truth-sidebar-formulas.png"))
    assert_clean(page)


@pytest.mark.parametrize("name, query", [
    ("compare-exp1000x", "compare.surface=custom&compare.expression=exp(1000*x)"),
    ("compare-rosenbrock", "compare.surface=rosenbrock"),
])
def test_screens_of_the_views_found_wrong(page, streamlit_app, artifacts, name, query):
    frame = open_page(page, streamlit_app(APP, query))
    page.screenshot(path=str(artifacts / f"truth-{name}.png"), full_page=True)
    assert state(frame)["nPaths"] == 6
    assert_clean(page)


def test_screen_of_explore_on_a_thousand_wide_box(page, streamlit_app, artifacts):
    page.goto(streamlit_app("tests/apps/explore_app.py", "explore.surface=himmelblau&explore.xmin=-1000"
                                                         "&explore.xmax=1000&explore.ymin=-1000&explore.ymax=1000"))
    page.get_by_text("9 critical points in view", exact=False).wait_for(timeout=LOAD_MS)
    page.wait_for_selector(".js-plotly-plot", timeout=WAIT_MS)
    page.screenshot(path=str(artifacts / "truth-explore-1000.png"), full_page=True)
    assert_clean(page)
