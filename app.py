"""Loss-landscape & optimizer visualizer: page config and navigation, nothing else."""

import streamlit as st

from components import style, warmup
from components.memory import collect_now_and_then
from optimizers import compile_cache

warmup.wait("imports")  # a visitor early after a start: let the warm-up finish its imports (see components.serve)

PAGES = [
    # (file, title, icon, URL path); the first is the default page.  Material icons come with Streamlit's own
    # font, so they show on every machine (emoji need an emoji font: without one they are empty boxes).
    ("app_pages/compare.py", "Compare optimizers", ":material/sprint:", "compare"),
    ("app_pages/explore.py", "Explore critical points", ":material/explore:", "explore"),
    ("app_pages/lab.py", "Lab: sweeps", ":material/science:", "lab"),
    ("app_pages/network.py", "A real network", ":material/neurology:", "network"),
]


def run() -> None:
    compile_cache.enable()  # the process's compiled programs kept on disk: a restarted server loads, not compiles
    st.set_page_config(page_title="Loss landscapes", page_icon="⛰️", layout="wide")
    style.apply()
    pages = [st.Page(path, title=title, icon=icon, url_path=url, default=i == 0)
             for i, (path, title, icon, url) in enumerate(PAGES)]
    st.navigation(pages).run()
    collect_now_and_then()  # the full GC Streamlit would run after every rerun, at most every 15 s


run()
