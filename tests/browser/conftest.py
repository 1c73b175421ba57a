"""Browser harness: a real `streamlit run` server and a headless Chromium driven by Playwright (sync API).

``streamlit_app(app_path, query="")`` starts one server per app for the whole session (on a free port, killed at
the end, also after failures) and returns the page URL.  ``page`` is a fresh Chromium page that records page errors
and console errors in ``page.errors`` / ``page.console_errors``, and saves a screenshot under ``test-artifacts/``
when the test ends.  Without /usr/bin/chromium the tests skip, unless ``REQUIRE_BROWSER=1`` (CI), where they fail.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
STARTUP_TIMEOUT_S = 60.0


@pytest.hookimpl(tryfirst=True)  # before `-m "not browser"` deselects
def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def _require_browser() -> None:
    if not os.access(CHROMIUM, os.X_OK):
        message = f"{CHROMIUM} is missing (CI installs it with `apt-get install chromium`)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"playwright is not installed: {exc}")
        pytest.skip(f"playwright is not installed: {exc}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
            return r.status == 200 and r.read().strip() == b"ok"
    except OSError:
        return False


class _Server:
    """``streamlit run app`` on a free port; with ``warm=True`` the way ``make run`` starts it instead
    (``python -m components.serve``: app.py, with the default page warmed up at start).  ``env`` adds variables."""

    def __init__(self, app: Path, log: Path, warm: bool = False, env: dict | None = None):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
                   **(env or {}))
        options = ["--server.port", str(self.port), "--server.address", "127.0.0.1", "--server.headless", "true",
                   "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
        if warm:
            if Path(app).resolve() != ROOT / "app.py":
                raise ValueError("warm=True serves app.py (components.serve)")
            cmd = [sys.executable, "-m", "components.serve", *options]
        else:
            cmd = [sys.executable, "-m", "streamlit", "run", str(app), *options]
        self._log = open(log, "wb")
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def wait(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}:\n{self.log.read_text()[-3000:]}")
            if _healthy(self.base):
                return
            time.sleep(0.25)
        raise RuntimeError(f"streamlit not healthy after {STARTUP_TIMEOUT_S}s:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            # The server runs in its own session: signal that group, i.e. this server and its children only.
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self._log.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def streamlit_app(artifacts):
    """Factory: ``streamlit_app("tests/apps/player_demo.py", "layout=side_by_side") -> URL``; one server per app."""
    _require_browser()
    servers: dict[Path, _Server] = {}

    def start(app: str | os.PathLike, query: str = "") -> str:
        path = (ROOT / app).resolve()
        if path not in servers:
            server = _Server(path, artifacts / f"streamlit-{path.stem}.log")
            servers[path] = server
            server.wait()
        q = query.lstrip("?")
        return servers[path].base + "/" + (f"?{q}" if q else "")

    try:
        yield start
    finally:
        for server in servers.values():
            server.stop()


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser, artifacts, request):
    context = browser.new_context(viewport={"width": 1280, "height": 1100})
    pg = context.new_page()
    pg.errors = []
    pg.console_errors = []
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
    pg.on("console", lambda msg: pg.console_errors.append(msg.text) if msg.type == "error" else None)
    try:
        yield pg
    finally:
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        try:
            pg.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
        except Exception:  # a crashed page must not hide the test's own failure
            pass
        context.close()
