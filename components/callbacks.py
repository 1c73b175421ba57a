"""The pages' widget callbacks (``on_click``/``on_change``), kept here rather than in the page scripts.

Why here: a widget keeps its callback in the session's state and calls it at the start of a later run, and a
function keeps the namespace it was defined in (``fn.__globals__``).  A page script runs in a fresh namespace each
time, holding everything that run computed (the grid, the paths, the live scrub's ~1.6 MB of encoded runs), and
that namespace is cleared when the run ends (`components.memory.release_with_run`).  A callback defined in the page
would find its names gone; before the clearing, it kept its session's last run alive (1.7 MB per session with the
scrub on, closed tabs included for ``disconnectedSessionTTL``).  ``tests/test_memory.py`` checks that no page gives a
widget a function of its own.
"""

from __future__ import annotations

import streamlit as st

from components import controls, runs

LEARN_REVEALED = "_learn.revealed"
"""Session key: the lessons revealed, ``{slug: {"guess", "values"}}``."""


def learn_guess_key(slug: str) -> str:
    """Session key of a lesson's prediction."""
    return f"_learn.{slug}.guess"


def learn_reveal(slug: str, values: dict) -> None:
    """The Run button: keep the prediction and the settings it was made for; the runs are shown from now on."""
    st.session_state.setdefault(LEARN_REVEALED, {})[slug] = {"guess": st.session_state.get(learn_guess_key(slug)),
                                                             "values": dict(values)}


def learn_predict_again(slug: str) -> None:
    st.session_state.get(LEARN_REVEALED, {}).pop(slug, None)
    st.session_state.pop(learn_guess_key(slug), None)


def learn_go_to(slug: str) -> None:
    st.session_state["learn.lesson"] = slug


def explore_set_box(box) -> None:
    """The Explore page's view box ``((xmin, xmax), (ymin, ymax))``."""
    (st.session_state["explore.xmin"], st.session_state["explore.xmax"]), \
        (st.session_state["explore.ymin"], st.session_state["explore.ymax"]) = box


def explore_set_point(xy) -> None:
    """The Explore page's point."""
    st.session_state["explore.x"], st.session_state["explore.y"] = float(xy[0]), float(xy[1])


def compare_tune_learning_rates(key, names, start, steps, hyperparams, schedule, schedule_params, noise,
                                seed) -> None:
    """The Compare page's "Tune η" button (runs before the widgets exist, so it may set their values): tune and set
    each η."""
    tuned = []
    for name in names:
        rate = next((h for h in runs.preset_hyperparams(key, name) if h.name == "learning_rate"), None)
        if rate is None or rate.kind != "float":
            tuned.append((name, None, None, "no_rate"))
            continue
        slider = f"compare.{name}.learning_rate"
        candidates = controls.log_grid(rate.min, rate.max, rate.default)
        others = tuple((k, v) for k, v in hyperparams.get(name, {}).items() if k != "learning_rate")
        try:
            result = runs.tuning(key, name, start, steps, others, candidates, schedule, schedule_params, noise, seed)
        except Exception as err:  # the engine refused this configuration: say so in the report, keep the page
            tuned.append((name, None, None, type(err).__name__))
            continue
        if result.best is None:
            tuned.append((name, None, None, "all_diverged"))
            continue
        tuned.append((name, st.session_state.get(slider), result.best, ""))
        st.session_state[slider] = result.best
    st.session_state["_compare.tuned"] = {"for": (key, start, steps, schedule, noise), "rows": tuned}
