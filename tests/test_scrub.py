"""The live scrub's notches and payload (`components.scrub`) against what the sidebar's sliders can take."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from components import controls, scrub


def test_notches_are_slider_values_and_the_opening_notch_holds_the_current_values():
    sgd = controls.slider_options(1e-4, 4.0, 1.8, log=True)
    adam = controls.slider_options(1e-4, 1.0, 0.1, log=True)
    s = scrub.build("learning_rate", "η", {"sgd": sgd, "adam": adam}, {"sgd": 1.8, "adam": 0.1}, 64)
    assert s.values["sgd"][s.index] == 1.8 and s.values["adam"][s.index] == 0.1
    for name, options in (("sgd", sgd), ("adam", adam)):
        assert set(s.values[name]) <= set(options)
        assert np.all(np.diff(s.values[name]) >= 0)  # one direction of the scrub moves every slider the same way
        assert s.values[name][0] == options[0] or s.values[name][0] < s.values[name][s.index]
    # One notch moves each slider by one of its own steps (both grids have a stride of one here).
    i = s.index - 1
    assert list(sgd).index(s.values["sgd"][i]) == list(sgd).index(1.8) - 1
    assert list(adam).index(s.values["adam"][i]) == list(adam).index(0.1) - 1


def test_a_linear_slider_is_spread_over_its_whole_range():
    mu = controls.slider_options(0.0, 0.999, 0.9, log=False)
    assert mu[0] == 0.0 and mu[-1] == pytest.approx(0.999) and len(mu) == 1000
    s = scrub.build("momentum", "μ", {"momentum": mu}, {"momentum": 0.9}, 64)
    values = s.values["momentum"]
    assert values[s.index] == 0.9 and values[0] < 16 * 0.001 and values[-1] <= 0.999
    assert values[-1] - values[0] > 0.9  # the notches span (almost) the whole slider, not 64 of its 1000 steps


@pytest.mark.parametrize("paths, steps, expected", [(6, 200, 64), (8, 1000, 11), (8, 2000, 0), (1, 2000, 46)])
def test_notch_count_keeps_the_payload_within_its_bound(paths, steps, expected):
    n = scrub.notch_count(paths, steps)
    assert n == expected
    assert n * paths * (steps + 1) * scrub.SERIES * 4 * 4 / 3 <= scrub.PAYLOAD_BYTES


def test_runs_are_cut_where_they_stop():
    run = SimpleNamespace(xy=np.zeros((201, 2)), diverged_at=-1, converged_at=-1)
    assert scrub.cut(run) == 201
    assert scrub.cut(SimpleNamespace(xy=np.zeros((201, 2)), diverged_at=7, converged_at=-1)) == 8
    assert scrub.cut(SimpleNamespace(xy=np.zeros((201, 2)), diverged_at=-1, converged_at=120)) == 121


@pytest.mark.parametrize("value", [None, "x", {"n": 3}, {"n": 3, "scrub": "x"}, {"n": "a", "scrub": {}},
                                   {"n": 3, "scrub": {"name": "eta", "values": {"sgd": "fast"}}},
                                   {"n": 3, "scrub": {"name": "eta", "values": {"sgd": float("nan")}}},
                                   {"n": 2, "scrub": {"name": "eta", "values": {"sgd": 0.1}}}])
def test_a_malformed_or_old_release_is_ignored(value):
    assert scrub.released(value, seen=2) is None


def test_a_release_is_read_once():
    value = {"n": 3, "scrub": {"name": "learning_rate", "values": {"sgd": 0.5}}}
    assert scrub.released(value, seen=2) == (3, "learning_rate", {"sgd": 0.5})
    assert scrub.released(value, seen=3) is None


def test_every_notch_count_runs_in_one_of_four_program_widths_under_twice_its_notches():
    from components import runs

    widths = {runs.grid_width(n) for n in range(1, scrub.MAX_NOTCHES + 1)}
    assert widths == {8, 16, 32, 64}
    for n in range(1, scrub.MAX_NOTCHES + 1):
        assert n <= runs.grid_width(n) < max(2 * n, 9)
