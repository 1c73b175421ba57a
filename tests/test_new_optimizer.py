"""Adding an optimizer touches its catalog entry and nothing else (README, "Adding an optimizer").

`tests/extra_optimizer.py` appends one entry to a family module of the catalog, as a contributor would; then
every parametrized test and every page that lists optimizers must offer it without another line changed.  The entry
is a twin of AdaBelief, so where it must appear is known: wherever AdaBelief does.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

from optimizers import catalog
from tests import extra_optimizer as extra

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
APPS = ROOT / "tests" / "apps"


def _collected(*plugin: str) -> dict[str, set[str]]:
    """Test function -> the optimizer names among its parameters, from ``pytest --collect-only`` (a fresh process,
    so that the plugin's entry is in the registry before the test modules read it)."""
    env = {**os.environ, "JAX_PLATFORMS": "cpu"}
    done = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", "not browser", *plugin,
                           "tests"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    names = set(catalog.names()) | {extra.NAME}
    params: dict[str, set[str]] = {}
    for line in done.stdout.splitlines():
        match = re.fullmatch(r"(tests/\S+?::\S+?)\[(.*)\]", line.strip())
        if match:
            found = {n for n in re.split(r"[-,\s]", match[2]) if n in names}
            params.setdefault(match[1], set()).update(found)
    return params


def test_a_new_entry_is_in_every_parametrized_test_its_twin_is_in():
    before, after = _collected(), _collected("-p", "tests.extra_optimizer")
    with_twin = sorted(t for t, names in before.items() if extra.TWIN in names)
    assert len(with_twin) >= 3, with_twin  # the registry-wide tests: formulas, convergence, per-coordinate, ...
    assert all(extra.NAME not in names for names in before.values())
    missing = [t for t in with_twin if extra.NAME not in after.get(t, set())]
    assert missing == [], f"tests that list {extra.TWIN} but not the new entry: {missing}"


def _options(at, key: str) -> list[str]:
    widget = next(w for w in [*at.multiselect, *at.selectbox] if w.key == key)
    return list(widget.options)


def test_a_new_entry_is_in_every_optimizer_menu_and_runs_on_compare():
    with extra.registered():
        at = AppTest.from_file(APP, default_timeout=180)
        at.query_params.update({"compare.optimizers": f"sgd,{extra.NAME}", "compare.steps": "50"})
        at.run()
        assert not at.exception, at.exception
        assert extra.TITLE in _options(at, "compare.optimizers")
        assert at.multiselect(key="compare.optimizers").value == ["sgd", extra.NAME]  # it runs beside sgd
        assert any(extra.TITLE in m.value for m in at.markdown), "no outcome line for the new entry"

        menus = {"curve": ["lab.curve.optimizers"], "phase": ["lab.phase.optimizer"],
                 "basins": ["lab.basins.optimizers"], "fair": ["lab.fair.optimizers"],
                 "schedules": ["lab.schedules.optimizer"]}
        for section, keys in menus.items():
            lab = AppTest.from_file(str(APPS / "lab_app.py"), default_timeout=180)
            lab.query_params.update({"lab.section": section, "lab.steps": "20"})
            lab.run()
            assert not lab.exception, (section, lab.exception)
            for key in keys:
                assert extra.TITLE in _options(lab, key), (section, key)

        net = AppTest.from_file(str(APPS / "network_app.py"), default_timeout=180)
        net.query_params.update({"network.steps": "20", "network.at": "20"})
        net.run()
        assert not net.exception, net.exception
        assert extra.TITLE in _options(net, "network.optimizers")
