"""A load generator that speaks Streamlit's own websocket protocol (no browser), importable by tests.

The protocol, as Streamlit 1.67's server reads it (``streamlit/web/server/starlette/starlette_websocket.py``):

* connect to ``ws://HOST:PORT/_stcore/stream``; the ``Sec-WebSocket-Protocol`` header carries
  ``"streamlit, <xsrf token>, <session id to resume>"``.  The XSRF token only unlocks the auth cookie, so an
  anonymous client sends the subprotocol alone; the Origin header must match the Host (websocket-client sends
  ``http://HOST:PORT`` by default).
* every frame is a binary protobuf: the client sends ``BackMsg``, the server answers with ``ForwardMsg``s.
* the server runs the script only when asked: ``BackMsg(rerun_script=ClientState(query_string, widget_states,
  page_script_hash, page_name))``.  The run ends with ``ForwardMsg.script_finished``; a script that raised shows
  an ``exception`` element in a ``delta`` (the status is still FINISHED_SUCCESSFULLY: only a syntax error gives
  FINISHED_WITH_COMPILE_ERROR).
* a widget is changed by sending its full ``WidgetState`` (id from the element proto; a widget created with
  ``key=K`` has an id ending in ``-K``); widgets left out keep their values.

Through a load balancer (``deploy/cluster.py``: nginx in front of replicas) a visitor first loads the page, which sets
the affinity cookie, and sends it with every websocket, as a browser does (`page_cookie`).  When a connection drops
(its replica stopped), the visitor reconnects as a reloaded tab does: a new session on the same URL, which the app
keeps up to date with the whole view (``page_info_changed``), and checks that the view came back.

`Session` is one browser tab; `Server` starts ``streamlit run app.py`` on a free port; `rss_mb` sums the resident
memory of a process and its children from ``/proc``; `user` is one simulated visitor; `run_users` runs many.
"""

from __future__ import annotations

import dataclasses
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

import websocket
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
EARLY = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")


# ------------------------------------------------------------------------------------------------ the server
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``streamlit run app.py`` on a free port, with the repository's ``.streamlit/config.toml``; a context
    manager that waits for ``/_stcore/health`` and terminates the process group on exit."""

    def __init__(self, app: str = "app.py", port: int | None = None, log: Path | None = None,
                 env: dict | None = None):
        self.app, self.port = app, port or free_port()
        self.log = log
        self.env = {**os.environ, **(env or {})}
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"127.0.0.1:{self.port}"

    def __enter__(self) -> "Server":
        out = open(self.log, "wb") if self.log else subprocess.DEVNULL
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", self.app, "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=self.env, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode} (log: {self.log})")
            try:
                with urllib.request.urlopen(f"http://{self.base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        raise RuntimeError("streamlit did not become healthy within 60 s")

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def rss_mb(self) -> float:
        return rss_mb(self.proc.pid)


def rss_mb(pid: int) -> float:
    """Resident memory (VmRSS) of ``pid`` and all its descendants, in MB, read from ``/proc``."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, ()))
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


# ------------------------------------------------------------------------------------------------ one tab
@dataclasses.dataclass
class Rerun:
    """One script run as the client saw it."""

    latency: float  # seconds from sending rerun_script to script_finished
    status: int  # ForwardMsg.ScriptFinishedStatus, or -1 if the connection failed first
    exceptions: list[str]  # the messages of exception elements the run produced
    elements: int  # deltas received
    query_string: str = ""  # the page's URL after the run (what the app wrote into it)


def page_cookie(base: str, timeout: float = 30.0) -> str:
    """Load the page as a browser's first visit does; returns the cookie it set (``name=value``), "" if none."""
    with urllib.request.urlopen(f"http://{base}/", timeout=timeout) as r:
        r.read()
        return "; ".join(c.split(";", 1)[0].strip() for c in r.headers.get_all("Set-Cookie") or ())


class Session:
    """One browser tab: a websocket session that reruns the app and keeps track of its widgets' ids and of its URL
    (``query_string``: what it asked for, then what the app wrote into the URL)."""

    def __init__(self, base: str, timeout: float = 120.0, cookie: str = ""):
        self.ws = websocket.create_connection(f"ws://{base}/_stcore/stream", subprotocols=["streamlit"],
                                              timeout=timeout, cookie=cookie or None)
        self.page_script_hash = ""
        self.query_string = ""
        self.widgets: dict[str, object] = {}  # user key -> the widget's element proto (has .id)

    def rerun(self, query_string: str = "", page_name: str = "", widgets: dict[str, dict] | None = None) -> Rerun:
        """Run the script once and read ForwardMsgs until it finishes.

        ``widgets`` maps a widget's user key to the WidgetState fields to send (``{"compare.x0":
        {"double_value": 1.0}}``); the key must have been seen in an earlier run of this session."""
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query_string = query_string if widgets is None else self.query_string
        cs.page_script_hash = self.page_script_hash
        cs.page_name = page_name
        for key, fields in (widgets or {}).items():
            w = cs.widget_states.widgets.add()
            w.id = self.widgets[key].id
            for name, value in fields.items():
                setattr(w, name, value)
        t0 = time.perf_counter()
        self.ws.send_binary(msg.SerializeToString())
        exceptions, elements = [], 0
        while True:
            try:
                frame = self.ws.recv()
            except (websocket.WebSocketException, OSError) as err:
                return Rerun(time.perf_counter() - t0, -1, [f"connection: {err!r}"], elements)
            if not isinstance(frame, bytes):  # the server closed the socket (a close frame reads as "")
                return Rerun(time.perf_counter() - t0, -1, [f"connection: closed ({frame!r})"], elements)
            fm = ForwardMsg()
            fm.ParseFromString(frame)
            kind = fm.WhichOneof("type")
            if kind == "delta":
                elements += 1
                if fm.delta.WhichOneof("type") == "new_element":
                    self._note_element(fm.delta.new_element, exceptions)
            elif kind == "new_session" and fm.new_session.page_script_hash:
                self.page_script_hash = fm.new_session.page_script_hash
            elif kind == "navigation" and fm.navigation.page_script_hash:
                self.page_script_hash = fm.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query_string = fm.page_info_changed.query_string
            elif kind == "script_finished" and fm.script_finished != EARLY:
                return Rerun(time.perf_counter() - t0, fm.script_finished, exceptions, elements, self.query_string)

    def _note_element(self, element, exceptions: list[str]) -> None:
        which = element.WhichOneof("type")
        if which == "exception":
            exceptions.append(f"{element.exception.type}: {element.exception.message}"[:300])
            return
        inner = getattr(element, which) if which else None
        wid = getattr(inner, "id", None)
        if isinstance(wid, str):
            parts = wid.split("-", 2)  # "$$ID-<hash>-<user key>" for a widget made with key=...
            if len(parts) == 3 and parts[0] == "$$ID":
                self.widgets[parts[2]] = inner

    def close(self) -> None:
        try:
            self.ws.close()
        except (websocket.WebSocketException, OSError):
            pass


# ------------------------------------------------------------------------------------------------ the visitors
@dataclasses.dataclass
class Sample:
    t: float  # seconds since the load started, at the end of the run
    user: int
    latency: float
    ok: bool
    what: str  # "open" (a new tab on a link), "move" (a changed start point), "reconnect" (a dropped tab reloaded)
    detail: str = ""
    cookie: str = ""  # the visitor's cookie (the load balancer's affinity key), "" without one


@dataclasses.dataclass
class Compare:
    """Varied Compare-page links: a built-in surface, a few optimizers, a step count and learning rates."""

    surfaces: tuple[str, ...]
    optimizers: tuple[str, ...] = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "nadam",
                                   "lion", "radam")
    steps: tuple[int, ...] = (100, 200, 500)

    most: int = 6  # optimizers per link: 2 to this many

    def link(self, rng: random.Random) -> str:
        chosen = rng.sample(self.optimizers, rng.randint(2, self.most))
        params = {"compare.surface": rng.choice(self.surfaces), "compare.optimizers": ",".join(chosen),
                  "compare.steps": str(rng.choice(self.steps))}
        for name in chosen[:2]:
            params[f"compare.{name}.learning_rate"] = f"{10 ** rng.uniform(-3, -1):.3g}"
        return urllib.parse.urlencode(params)

    def warming_links(self) -> list[str]:
        """Links that between them open every surface and run every optimizer at every step count: what a long
        random warm-up fills on the server eventually (its compiled runners, grids and critical points), in a
        known number of runs.  The optimizers go in two halves (the page takes at most 8 at once)."""
        half = (len(self.optimizers) + 1) // 2
        halves = (self.optimizers[:half], self.optimizers[half:])

        def link(surface: str, optimizers: tuple[str, ...], steps: int) -> str:
            return urllib.parse.urlencode({"compare.surface": surface, "compare.optimizers": ",".join(optimizers),
                                           "compare.steps": str(steps)})

        by_surface = [link(s, halves[i % 2], self.steps[0]) for i, s in enumerate(self.surfaces)]
        by_program = [link(self.surfaces[0], h, n) for h in halves for n in self.steps]
        # The live scrub's program width follows its notch count, which depends on the paths shown and their
        # length (`components.runs.grid_width`): the widest set of the mix at its longest runs gets fewer notches.
        most = max(self.most, 1)
        widest = [self.optimizers[:most], self.optimizers[-most:]]
        by_scrub = [link(self.surfaces[0], tuple(w), max(self.steps)) for w in widest]
        return by_surface + by_program + by_scrub


def expression_link(i: int) -> str:
    """The ``i``-th of a family of distinct typed surfaces (each one compiles afresh on the server)."""
    a, b = 1 + (i % 7) * 0.25, 0.5 + (i // 7) * 0.01
    text = f"{a:g}*x**2 + {b:g}*y**2 + 0.1*sin({1 + i % 5}*x)*cos(y)"
    return urllib.parse.urlencode({"compare.surface": "custom", "compare.expression": text,
                                   "compare.optimizers": "sgd,adam", "compare.steps": "200"})


def user(base: str, uid: int, links: Callable[[random.Random], str], think: float, running: Callable[[], bool],
         t0: float, record: Callable[[Sample], None], moves: int = 4, seed: int = 0) -> None:
    """One visitor while ``running()``: load the page (its cookie), open a link in a new tab,
    then move the start point ``moves`` times (as if typing x₀, y₀), thinking ``think`` seconds (±50 %) between
    runs; repeat.  A run whose connection dropped counts as an error and is followed by a reconnect (`reconnect`)."""
    rng = random.Random(seed * 1000 + uid)
    time.sleep(rng.uniform(0, think))  # stagger the arrivals
    cookie = ""

    def note(r: Rerun, what: str, problem: str = "") -> bool:
        ok = r.status == 0 and not r.exceptions and not problem
        record(Sample(time.monotonic() - t0, uid, r.latency, ok, what, "; ".join(r.exceptions) or problem
                      or ("" if ok else f"status {r.status}"), cookie))
        return r.status >= 0

    while running():
        try:
            cookie = cookie or page_cookie(base)
            tab = Session(base, cookie=cookie)
        except (websocket.WebSocketException, OSError) as err:
            record(Sample(time.monotonic() - t0, uid, 0.0, False, "open", f"connect: {err!r}", cookie))
            time.sleep(think)
            continue
        try:
            run, what = tab.rerun(links(rng)), "open"
            for i in range(moves + 1):
                if not note(run, what):  # the connection dropped: reload the tab on its URL, as a browser would
                    url = tab.query_string
                    tab.close()
                    tab = reconnect(base, cookie)
                    run = tab.rerun(url)
                    if not note(run, "reconnect", restored(tab)):
                        break
                if i == moves:
                    break
                time.sleep(think * rng.uniform(0.5, 1.5))
                if not running():
                    break
                x, y = tab.widgets.get("compare.x0"), tab.widgets.get("compare.y0")
                if x is None or y is None:
                    record(Sample(time.monotonic() - t0, uid, 0.0, False, "move", "no start-point inputs", cookie))
                    break
                move = {"compare.x0": {"double_value": rng.uniform(x.min, x.max)},
                        "compare.y0": {"double_value": rng.uniform(y.min, y.max)}}
                run, what = tab.rerun(widgets=move), "move"
        except (websocket.WebSocketException, OSError) as err:  # the reconnect itself failed
            record(Sample(time.monotonic() - t0, uid, 0.0, False, "reconnect", f"connect: {err!r}", cookie))
        finally:
            tab.close()
        time.sleep(think * rng.uniform(0.5, 1.5))


def reconnect(base: str, cookie: str, tries: int = 3) -> Session:
    """A new websocket for a tab whose connection dropped; a second or third try after a second (a balancer may
    need a moment to route around a replica that just went away)."""
    for i in range(tries):
        try:
            return Session(base, cookie=cookie)
        except (websocket.WebSocketException, OSError):
            if i == tries - 1:
                raise
            time.sleep(1.0)


def restored(tab: Session) -> str:
    """"" when the tab's start-point inputs show the values in its URL (the view came back), else what differs."""
    query = urllib.parse.parse_qs(tab.query_string)
    wrong = [f"{key} {widget.value!r} (URL {query.get(key)})" for key in ("compare.x0", "compare.y0")
             if (widget := tab.widgets.get(key)) is not None and key in query
             and not (widget.set_value and widget.value == float(query[key][0]))]
    return f"view not restored: {', '.join(wrong)}" if wrong else ""


def warm(base: str, links: list[str]) -> list[Rerun]:
    """Open each link once, one after another, each in a new tab (as a visitor opens a link: the app reads a link's
    view when a session starts, and a later rerun of the same session keeps the session's own view); returns the
    runs (check them for errors)."""
    out = []
    for link in links:
        tab = Session(base)
        try:
            out.append(tab.rerun(link))
        finally:
            tab.close()
    return out


def run_users(base: str, users: int, think: float, duration: float, links: Callable[[random.Random], str],
              on_sample: Callable[[Sample], None] | None = None, seed: int = 0,
              stop: threading.Event | None = None) -> list[Sample]:
    """``users`` concurrent visitors for ``duration`` seconds (or until ``stop`` is set); returns every run's
    `Sample`."""
    samples: list[Sample] = []
    lock = threading.Lock()
    t0 = time.monotonic()

    def running() -> bool:
        return time.monotonic() < t0 + duration and not (stop is not None and stop.is_set())

    def record(s: Sample) -> None:
        with lock:
            samples.append(s)
        if on_sample:
            on_sample(s)

    def visitor(uid: int) -> None:
        try:
            user(base, uid, links, think, running, t0, record, seed=seed)
        except Exception as err:  # a visitor that stops counts as an error, never silently
            record(Sample(time.monotonic() - t0, uid, 0.0, False, "crash", repr(err)))

    threads = [threading.Thread(target=visitor, args=(i,), daemon=True) for i in range(users)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(duration + 300)
    return samples


def sample_memory(server: Server, every: float, stop: threading.Event) -> Iterator[tuple[float, float]]:
    """``(seconds, MB)`` every ``every`` seconds until ``stop`` is set."""
    t0 = time.monotonic()
    while not stop.is_set():
        yield time.monotonic() - t0, server.rss_mb()
        stop.wait(every)


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation between order statistics (NumPy's default)."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def summary(samples: list[Sample]) -> dict:
    lat = [s.latency for s in samples if s.ok]
    return {"runs": len(samples), "errors": sum(not s.ok for s in samples),
            "p50": percentile(lat, 50), "p95": percentile(lat, 95),
            "median": statistics.median(lat) if lat else float("nan")}
