"""The Explore page alone, behind the same page config and navigation as app.py, for the browser tests (until
app.py lists the page, and so that these tests do not depend on the other pages)."""

from pathlib import Path

import streamlit as st

PAGE = Path(__file__).resolve().parents[2] / "app_pages" / "explore.py"

st.set_page_config(page_title="Explore", layout="wide")
st.navigation([st.Page(PAGE, title="Explore critical points", url_path="explore", default=True)]).run()
