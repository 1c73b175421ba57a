"""The app's few style rules, in one place: injected once per page run by `app.py`.

Streamlit has no theme setting for these; each rule says which view it keeps readable.
"""

import streamlit as st

CSS = """
<style>
/* Long formulas (schedule-free AdamW, warm-up then cosine) scroll inside their own box instead of being clipped at
   the sidebar's edge or widening the page. */
.katex-display { overflow-x: auto; overflow-y: hidden; padding-bottom: 2px; }
[data-testid="stSidebar"] .katex-display > .katex { font-size: 1em; }
</style>
"""


def apply() -> None:
    """Add the style rules to the page (an invisible element)."""
    st.html(CSS)
