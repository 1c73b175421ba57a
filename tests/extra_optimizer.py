"""One more optimizer, added the way a contributor adds one: an `OptimizerSpec` appended to its family's catalog
module (`optimizers/catalog/optax_alias.py`'s ``SPECS``), and nothing else.

The new entry is AdaBelief again under another name (`NAME`): a *twin* of a registered entry, so
`tests/test_new_optimizer.py` knows exactly where it must show up: in every test parametrized with its twin
(the same spec, so the same filters select it) and in every optimizer menu of every page.

As a pytest plugin (``pytest -p tests.extra_optimizer``) it registers the entry before any test module is
collected; `registered` does the same for the duration of a ``with`` block.
"""

from __future__ import annotations

import contextlib
import dataclasses

from optimizers import catalog
from optimizers.catalog import optax_alias

TWIN = "adabelief"
NAME = "adabelief_again"
TITLE = "AdaBelief (again)"


def spec():
    return dataclasses.replace(next(s for s in optax_alias.SPECS if s.name == TWIN), name=NAME, title=TITLE)


@contextlib.contextmanager
def registered():
    """The registry with the new entry appended to its family, restored afterwards."""
    before = optax_alias.SPECS
    optax_alias.SPECS = before + (spec(),)
    catalog._REGISTRY = None  # the registry is built from the family modules on first use
    try:
        yield
    finally:
        optax_alias.SPECS = before
        catalog._REGISTRY = None


_SESSION = []


def pytest_configure(config):
    """Plugin hook: register the entry for the whole session, before collection (the context is kept alive here:
    a dropped generator would close, and restore the registry)."""
    _SESSION.append(registered())
    _SESSION[-1].__enter__()
