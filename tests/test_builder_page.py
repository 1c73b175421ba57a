""""Build your own optimizer" on the Compare page, through AppTest: the chain from the URL or a preset runs as one
more optimizer, overlays its catalog twin, keeps its sliders in the URL, and a bad chain is a notice, not an error."""

from __future__ import annotations

import numpy as np

from components.player import decode_array
from tests.test_compare_page import new_app, paths_by_name, player_args, url, warnings_text

ADAM = "chain:adam-lr"


def xy(path) -> np.ndarray:
    value = path["xy"]
    return decode_array(value) if isinstance(value, dict) else np.asarray(value)


def test_a_chain_in_the_url_runs_beside_the_catalog_and_overlays_its_twin():
    at = new_app(**{"compare.surface": "rosenbrock", "compare.optimizers": "adam", "compare.chain": "adam,lr"})
    at.run()
    assert not at.exception, at.exception
    paths = paths_by_name(player_args(at))
    assert set(paths) == {"adam", ADAM}
    assert paths[ADAM]["label"] == "Built: scale_by_adam → scale_by_learning_rate"
    np.testing.assert_allclose(xy(paths[ADAM]), xy(paths["adam"]), rtol=1e-12, atol=1e-12)
    captions = " ".join(c.value for c in at.caption)
    assert "These blocks are Adam of the catalog" in captions
    assert url(at)["compare.chain"] == "adam,lr"
    assert url(at)[f"compare.{ADAM}.learning_rate"] == url(at)["compare.adam.learning_rate"]


def test_a_preset_builds_the_chain_and_a_slider_moves_only_it():
    at = new_app(**{"compare.optimizers": "momentum"})
    at.run()
    at.selectbox(key="_compare.chain_preset").set_value("momentum").run()
    assert not at.exception, at.exception
    assert url(at)["compare.chain"] == "lr,trace"
    name = "chain:lr-trace"
    paths = paths_by_name(player_args(at))
    np.testing.assert_allclose(xy(paths[name]), xy(paths["momentum"]), rtol=1e-12, atol=1e-12)
    at.select_slider(key=f"compare.{name}.learning_rate").set_value(0.01).run()
    moved = paths_by_name(player_args(at))
    assert not np.allclose(xy(moved[name]), xy(moved["momentum"]))
    np.testing.assert_allclose(xy(moved["momentum"]), xy(paths["momentum"]))
    # the shown optax code is the chain's
    assert url(at)[f"compare.{name}.learning_rate"] == "0.01"


def test_bad_chains_in_the_url_are_notices_not_errors():
    at = new_app(**{"compare.optimizers": "sgd", "compare.chain": "adam,bogus,<script>,adam,clip,trace,rms,sign,wd,lr"})
    at.run()
    assert not at.exception, at.exception
    warnings = warnings_text(at)
    assert "Blocks, in order" in warnings and "`bogus`" in warnings and "at most 6" in warnings
    # the first six kept (adam, clip, trace, rms, sign, wd) have no scale_by_learning_rate: said, and not run
    assert "Add scale_by_learning_rate" in " ".join(c.value for c in at.caption)
    assert set(paths_by_name(player_args(at))) == {"sgd"}
    at2 = new_app(**{"compare.optimizers": "sgd", "compare.chain": "lr",
                     "compare.chain:lr.learning_rate": "nan"})
    at2.run()
    assert not at2.exception
    assert "is not finite" in warnings_text(at2)


def test_no_chain_round_trips_without_a_notice():
    at = new_app(**{"compare.optimizers": "sgd"})
    at.run()
    assert url(at)["compare.chain"] == ""
    again = new_app(**url(at))
    again.run()
    assert not again.exception and not again.warning
    assert set(paths_by_name(player_args(again))) == {"sgd"}
