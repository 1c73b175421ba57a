"""The Lab page mounted the way ``app.py`` mounts pages (``st.navigation``), for AppTest and the browser tests
until ``app.py`` lists it."""

from pathlib import Path

import streamlit as st

PAGE = Path(__file__).resolve().parents[2] / "app_pages" / "lab.py"

st.set_page_config(page_title="Lab", page_icon="⛰️", layout="wide")
st.navigation([st.Page(PAGE, title="Lab: sweeps", icon=":material/science:", url_path="lab", default=True)]).run()
