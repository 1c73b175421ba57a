"""Loss-landscape & optimizer visualizer: page config and navigation, nothing else."""

import streamlit as st

from components import i18n, memory, style, warmup
from components.i18n import N_, t
from optimizers import compile_cache

warmup.wait("imports")  # a visitor early after a start: let the warm-up finish its imports (see components.serve)

PAGES = [
    # (file, title, icon, URL path), in the navigation's order.  Material icons come with Streamlit's own font, so
    # they show on every machine (emoji need an emoji font: without one they are empty boxes).
    ("app_pages/learn.py", N_("Learn"), ":material/school:", "learn"),
    ("app_pages/compare.py", N_("Compare optimizers"), ":material/sprint:", "compare"),
    ("app_pages/explore.py", N_("Explore critical points"), ":material/explore:", "explore"),
    ("app_pages/lab.py", N_("Lab: sweeps"), ":material/science:", "lab"),
    ("app_pages/network.py", N_("A real network"), ":material/neurology:", "network"),
]
DEFAULT = "app_pages/compare.py"  # what ``/`` opens: Compare, the app's first use (Learn comes first in the menu)


def run() -> None:
    compile_cache.enable()  # the process's compiled programs kept on disk: a restarted server loads, not compiles
    i18n.choose()  # this run's language, before any text: the URL's lang, else the browser's
    st.set_page_config(page_title=t("Loss landscapes"), page_icon="⛰️", layout="wide")
    style.apply()
    pages = [st.Page(path, title=t(title), icon=icon, url_path=url, default=path == DEFAULT)
             for path, title, icon, url in PAGES]
    navigation = st.navigation(pages)
    i18n.switch()
    try:
        navigation.run()
    finally:  # also when the run stops early (a newer rerun, st.rerun): its page's namespace goes with it
        memory.release_run_namespaces()
    memory.collect_now_and_then()  # the full GC Streamlit would run after every rerun, at most every 15 s


run()
