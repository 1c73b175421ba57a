"""A first visit to a freshly started server, in a real browser (issue 13).

* Served like ``streamlit run app.py`` (nothing warmed up): the page sends the surface with a progress note first,
  while it compiles the optimizers, then the paths; once they are drawn the note is gone.  (Whether the browser
  draws the intermediate view depends on how fast this machine compiles; that the player draws the surface with
  the note when told to is checked deterministically in tests/browser/test_player.py.)
* Served the way ``make run`` serves it (``python -m components.serve``): once the warm-up has logged that it is
  done, a first visit gets the paths in the player's very first drawing, with no note: the warm-up compiled
  exactly what the default page runs.
"""

from __future__ import annotations

import re
import time

import pytest

from .conftest import ROOT, _Server
from .player_helpers import IFRAME

pytestmark = pytest.mark.browser

LOAD_MS = 180_000
EIGHT = "sgd,momentum,nesterov,adagrad,rmsprop,adam,adamw,lion"


@pytest.fixture
def fresh_server(artifacts, tmp_path):
    servers = []

    def start(warm: bool, name: str) -> _Server:
        server = _Server(ROOT / "app.py", artifacts / f"streamlit-{name}.log", warm=warm,
                         env={"JAX_CACHE_DIR": str(tmp_path / "jax-cache")})
        servers.append(server)
        server.wait()
        return server

    yield start
    for server in servers:
        server.stop()


def first_drawing(page, url):
    page.goto(url)
    frame = page.wait_for_selector(IFRAME, timeout=LOAD_MS).content_frame()
    frame.wait_for_function("() => window.playerState && window.playerState.drawCount > 0", timeout=LOAD_MS,
                            polling="raf")
    return frame, frame.evaluate("() => Object.assign({}, window.playerState)")


def assert_clean(page):
    assert page.errors == [], page.errors
    assert page.console_errors == [], page.console_errors
    assert page.locator("[data-testid='stException']").count() == 0


def test_first_visit_sends_the_surface_with_progress_then_the_paths(page, fresh_server, artifacts):
    server = fresh_server(warm=False, name="first-visit")
    players = []  # the player's arguments in each websocket message that carries them, in arrival order

    def record(payload):
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
        for pending in re.findall(r'"pending": "([^"]*)"', text):
            players.append(pending)

    page.on("websocket", lambda ws: ws.on("framereceived", record))
    page.goto(f"{server.base}/?compare.optimizers={EIGHT.replace(',', '%2C')}")
    frame = page.wait_for_selector(IFRAME, timeout=LOAD_MS).content_frame()
    frame.wait_for_function("() => window.playerState && window.playerState.nPaths === 8", timeout=LOAD_MS,
                            polling="raf")
    # The server sent the surface with a note first (the browser may have drawn it, or gone straight to the
    # paths if they came fast enough), and then the paths without one; the note is gone once they are drawn.
    assert players and players[0].startswith("Compiling and running") and players[-1] == "", players
    assert frame.evaluate("() => window.playerState.pending") is False
    assert frame.locator("[data-role='pending']").is_hidden()
    routes = frame.evaluate("() => window.playerState.routes(0)")
    assert len(routes) == 8 and all(len(r) > 10 for r in routes.values())
    assert_clean(page)


def test_make_run_warms_the_default_page_before_the_first_visit(page, fresh_server):
    server = fresh_server(warm=True, name="warmed")
    deadline = time.monotonic() + 180
    while not re.search(r"^warm-up: .*done at", server.log.read_text(errors="replace"), flags=re.M):
        assert time.monotonic() < deadline, "no warm-up line in the server log"
        time.sleep(0.25)
    frame, first = first_drawing(page, server.base + "/")
    assert first["pending"] is False and first["nPaths"] == 6  # the very first drawing has every path
    assert frame.locator("[data-role='pending']").is_hidden()
    assert_clean(page)
