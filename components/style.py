"""The app's few style rules, in one place: injected once per page run by `app.py`.

Streamlit has no theme setting for these; each rule says which view it keeps readable.  One small script goes with
them (`TOUCH`): on a touch screen a finger on a chart scrolls the page.
"""

import streamlit as st

CSS = """
<style>
/* Long formulas (schedule-free AdamW, warm-up then cosine) scroll inside their own box instead of being clipped at
   the sidebar's edge or widening the page. */
.katex-display { overflow-x: auto; overflow-y: hidden; padding-bottom: 2px; }
[data-testid="stSidebar"] .katex-display > .katex { font-size: 1em; }
/* A phone: display formulas a little smaller, so most fit the width (the rest still scroll in their box). */
@media (max-width: 640px) { .katex-display > .katex { font-size: 1.05em; } }
/* The touch script's element takes no room on the page. */
[data-testid="stElementContainer"]:has(.touch-scroll) { display: none; }
/* A finger (coarse pointer): buttons, tabs and expander headers at least 44 px high (WCAG 2.5.5). */
@media (pointer: coarse) {
  [data-testid="stBaseButton-secondary"], [data-testid="stBaseButton-primary"],
  [data-testid="stDownloadButton"] button, [data-baseweb="tab"], [data-testid="stExpander"] summary {
    min-height: 44px;
  }
}
</style>
"""

TOUCH = """
<span class="touch-scroll" hidden></span>
<script>
/* On a touch screen (primary pointer coarse), one finger on a chart scrolls the page: a Plotly drag mode (zoom, pan,
   3-D rotation) would take the finger and the page could not be scrolled past the chart (plotly.js #2844).  The
   touch is kept from the chart's own handlers; taps still reach it as clicks (hover labels, legend, mode bar,
   picking a point), and two fingers still reach it.  A mouse or pen is not affected. */
(function () {
  if (window.__touchScrollsPage || !(window.matchMedia && window.matchMedia("(pointer: coarse)").matches)) return;
  window.__touchScrollsPage = true;
  document.addEventListener("touchstart", function (e) {
    if (e.touches.length === 1 && e.target.closest && e.target.closest(".js-plotly-plot")) e.stopPropagation();
  }, { capture: true, passive: true });
})();
</script>
"""


def apply() -> None:
    """Add the style rules (an invisible element) and the touch script (an element hidden by those rules)."""
    st.html(CSS)
    st.html(TOUCH, unsafe_allow_javascript=True)
