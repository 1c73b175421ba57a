"""The Learn page through Streamlit's AppTest (the real app.py), in English and 简体中文: every lesson renders, shows
its runs and its answer only after a prediction, turns its task done for the known solution (and keeps the progress
in the URL), and opens the same view on the Compare, Explore or Lab page; the navigation puts Learn first while
``/`` opens Compare, which links to lesson 1.

What the page sends to the player is read from the component's JSON arguments; the runs a link opens on another
page are compared with the lesson's own (`components.learn.compute.view`).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from components.learn import compute, lessons as L
from components.player import decode_array
from tests.test_i18n import english_left

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 300
PAGES = {"./": "app_pages/compare.py", "explore": "app_pages/explore.py", "lab": "app_pages/lab.py"}
"""The page each link's path opens (Compare, the default page, is the app's root)."""


def learn(lang: str = "en", **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({"lang": lang, **query})
    at.switch_page("app_pages/learn.py")
    at.run()
    assert not at.exception, at.exception
    return at


def url(at: AppTest) -> dict[str, str]:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def player_args(at: AppTest) -> dict | None:
    found = at.get("component_instance")
    return json.loads(found[0].proto.json_args) if found else None


def predict_and_run(at: AppTest, slug: str, choice: str | None = None) -> AppTest:
    lesson = L.get(slug)
    at.radio(key=f"_learn.{slug}.guess").set_value(choice or next(iter(lesson.choices))).run()
    at.button(key=f"learn.{slug}.run").click().run()
    assert not at.exception, at.exception
    return at


def solution_query(slug: str) -> dict[str, str]:
    from components import controls

    return {f"learn.{slug}.{k}": controls.encode(v) for k, v in L.get(slug).solution.items()}


def texts(at: AppTest, kind: str) -> str:
    return "\n".join(str(e.value) for e in getattr(at, kind))


# ------------------------------------------------------------------------------------------------ every lesson
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("slug", L.slugs())
def test_a_lesson_shows_its_runs_and_answer_only_after_a_prediction_in_both_languages(slug, lang):
    lesson = L.get(slug)
    at = learn(lang, **{"learn.lesson": slug})
    args = player_args(at)
    if lesson.figure in ("paths", "nudges"):
        assert args is not None and args["paths"] == []  # the surface, no run yet
    else:
        assert args is None and not at.get("plotly_chart")
    assert not at.success and not at.warning
    assert at.button(key=f"learn.{slug}.run").disabled  # no prediction yet
    if lang == "zh":
        assert english_left(at) == []

    at = predict_and_run(at, slug, lesson.answer(compute.view(lesson, lesson.defaults())))
    if lesson.figure in ("paths", "nudges"):
        assert len(player_args(at)["paths"]) == len(compute.view(lesson, lesson.defaults()).paths)
    else:
        assert len(at.get("plotly_chart")) == 1
    assert len(at.success) == 1  # the right answer, said so
    assert "learn.done" in url(at) and slug not in url(at)["learn.done"].split(",")  # not met at the defaults
    assert url(at)["lang"] == lang and url(at)["learn.lesson"] == slug
    if lang == "zh":
        assert english_left(at) == []


@pytest.mark.parametrize("slug", L.slugs())
def test_the_known_solution_turns_the_task_done_and_the_progress_goes_to_the_url(slug):
    at = predict_and_run(learn("en", **{"learn.lesson": slug, **solution_query(slug)}), slug)
    assert slug in url(at)["learn.done"].split(",")
    assert any(s.value.startswith("Done:") for s in at.success)
    assert f"✓ {L.number(slug)}." in at.radio(key="learn.lesson").options[L.number(slug) - 1]


def test_the_reveal_speaks_of_the_run_shown_after_a_slider_moves():
    at = predict_and_run(learn("en", **{"learn.lesson": "ravine"}), "ravine", "zigzag")
    assert "1 − ηλmax = −0.8" in texts(at, "markdown")
    at.select_slider(key="learn.ravine.learning_rate").set_value(0.5).run()
    shown = texts(at, "markdown")
    assert "1 − ηλmax = 0.5" in shown and "−0.8" not in shown
    assert "Slide smoothly" in texts(at, "warning")  # the answer for η = 0.5, not the one predicted
    assert "settings you had then" in texts(at, "caption")
    xy = decode_array(player_args(at)["paths"][0]["xy"])
    lesson = L.get("ravine")
    ours = compute.view(lesson, {**lesson.defaults(), "learning_rate": 0.5}).runs["sgd"].xy
    np.testing.assert_allclose(xy, ours, rtol=1e-6, atol=1e-5)  # float32 on the wire


def test_progress_from_a_link_and_an_unknown_lesson_in_it():
    at = learn("en", **{"learn.lesson": "momentum", "learn.done": "ravine,nonsense"})
    assert url(at)["learn.done"] == "ravine"
    assert at.radio(key="learn.lesson").options[0].startswith("✓ 1.")
    assert "ignored unknown lessons" in texts(at, "warning")


def test_next_and_previous_lesson():
    at = learn("en", **{"learn.lesson": "ravine"})
    at.button(key="learn.next").click().run()
    assert url(at)["learn.lesson"] == "momentum"
    at.button(key="learn.previous").click().run()
    assert url(at)["learn.lesson"] == "ravine"


# ------------------------------------------------------------------------------------------------ open in …
def opened(link: str, lang: str = "en") -> AppTest:
    parts = urlsplit(link)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(dict(parse_qsl(parts.query)))
    at.switch_page(PAGES[parts.path])
    at.run()
    assert not at.exception, at.exception
    return at


def links_of(at: AppTest) -> list[str]:
    return [b.proto.url for b in at.get("link_button")]


@pytest.mark.parametrize("slug", [s for s in L.slugs() if "compare" in L.get(s).links])
def test_open_in_compare_carries_the_whole_view(slug):
    lesson = L.get(slug)
    values = {**lesson.defaults(), **lesson.solution}
    at = learn("en", **{"learn.lesson": slug, **solution_query(slug)})
    (link,) = [u for u in links_of(at) if u.startswith("./?")]
    compare = opened(link)
    assert not compare.warning, [w.value for w in compare.warning]  # every value of the link was usable
    view = compute.view(lesson, values)
    shown = {p["name"]: p for p in player_args(compare)["paths"]}
    assert set(shown) == {p.optimizer for p in view.paths}
    for path in view.paths:
        xy = decode_array(shown[path.optimizer]["xy"])
        np.testing.assert_allclose(xy, view.runs[compute.path_id(path)].xy, rtol=1e-6, atol=1e-5)
    if lesson.flow:
        assert "flow_xy" in shown["sgd"]


def test_open_in_explore_selects_the_lessons_point():
    at = learn("en", **{"learn.lesson": "critical", "learn.critical.point": "8"})
    (link,) = links_of(at)
    explore = opened(link)
    view = compute.view(L.get("critical"), {"point": "8"})
    assert explore.number_input(key="explore.x").value == pytest.approx(view.extra["point"].xy[0])
    assert explore.number_input(key="explore.y").value == pytest.approx(view.extra["point"].xy[1])
    assert "maximum" in " ".join(m.value for m in explore.markdown)


def test_open_in_the_lab_shows_the_same_searches():
    at = learn("en", **{"learn.lesson": "random_search", "learn.random_search.budget": "16",
                        "learn.random_search.seed": "3"})
    (link,) = links_of(at)
    lab = opened(link)
    assert not lab.warning, [w.value for w in lab.warning]
    assert lab.radio(key="lab.section").value == "search"
    assert lab.selectbox(key="lab.search.budget").value == "16" and lab.number_input(key="lab.search.seed").value == 3
    (table,) = lab.dataframe
    view = compute.view(L.get("random_search"), {"budget": "16", "seed": 3})
    s = view.extra["search"]
    assert list(table.value["best learning_rate"]) == pytest.approx([s.grid_x[s.grid_best], s.random_x[s.random_best]])


# ------------------------------------------------------------------------------------------------ the navigation
def test_learn_is_first_in_the_navigation_and_compare_is_the_default_page():
    import ast

    tree = ast.parse(Path(APP).read_text())
    assigned = {node.targets[0].id: node.value for node in tree.body
                if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)}
    first = assigned["PAGES"].elts[0].elts[0].value
    assert first == "app_pages/learn.py" and ast.literal_eval(assigned["DEFAULT"]) == "app_pages/compare.py"


def test_slash_opens_compare_which_links_to_lesson_one():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Compare optimizers"
    (link,) = at.get("page_link")
    assert link.proto.page.endswith("learn") and "learn.lesson=ravine" in link.proto.query_string
    # a visitor who already knows the Learn page arrives at lesson 1, not at the lesson it had open
    at = learn("en", **{"learn.lesson": "adam"})
    at.query_params["learn.lesson"] = "ravine"
    at.run()
    assert url(at)["learn.lesson"] == "ravine"
