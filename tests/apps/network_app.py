"""The Network page mounted the way ``app.py`` mounts pages (``st.navigation``), for AppTest and the browser tests
until ``app.py`` lists it."""

from pathlib import Path

import streamlit as st

PAGE = Path(__file__).resolve().parents[2] / "app_pages" / "network.py"

st.set_page_config(page_title="Network", page_icon="⛰️", layout="wide")
st.navigation([st.Page(PAGE, title="A real network", icon=":material/neurology:", url_path="network", default=True)]).run()
