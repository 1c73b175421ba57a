"""Two replicas behind nginx on loopback (`deploy.cluster`, what ``make cluster`` runs), under 40 simulated visitors
(`benchmarks/loadgen.py`: Streamlit's websocket protocol, each visitor with the cookie nginx gave its first page
load), with faults (issue 33).

* A minute of 40 users: no error, both replicas serve, and every visitor's requests (its page load and all its
  tabs' websockets) reach one replica.
* Then, under the same load, one replica is killed (SIGKILL) and, once it is back and the visitors it dropped are
  due back, the other is stopped (SIGTERM).
  Each time, the visitors whose websocket was on that replica see their run fail, reconnect through nginx (a new
  tab on the same URL) and get a full run on the other replica within ``RECONNECT_S`` of the fault, with the start
  point the URL held; every other visitor sees no error.  No connection reaches a restarted replica before its
  ``/ready`` says its warm-up is done, and once it has, visitors are sent to it again.

What nginx did is read from its access log (``deploy/nginx.conf``: each line has the replica, the visitor's
affinity key, and when the connection opened and closed).  Needs Debian's nginx: skipped without it, except where
``REQUIRE_NGINX=1`` (``.ci/run`` installs it and sets that).
"""

from __future__ import annotations

import dataclasses
import os
import re
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import load  # noqa: E402
import loadgen  # noqa: E402
from deploy import cluster  # noqa: E402

USERS = 40
THINK = 2.0
STEADY_S = 60.0
RECONNECT_S = 60.0
"""A dropped visitor's next full run ends at most this long after the fault (think time and a compile included).
With one replica down, the other serves all 40 visitors on this 2-core machine beside the restarted replica's warm-up:
a reconnect is a page load and a full run at the back of that queue (40 users on two replicas already had p95
12.6 s here).  The latest reconnect measured here: 2.6-32.1 s over five runs, and 43.4 s when the second fault met
the first one's reconnects (the faults are now `RECONNECT_S` apart)."""
DROP_S = 15.0
"""A visitor notices a dropped connection at its next run: within a think time and a run of the fault."""
REJOIN_S = 60.0
"""Once a restarted replica is ready, visitors' new connections reach it within this long."""
READY_S = 150.0
"""A restarted replica is ready (its warm-up done, programs loaded from the shared cache) within this long."""

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    if cluster.nginx_binary() is None:
        if os.environ.get("REQUIRE_NGINX") == "1":
            pytest.fail("REQUIRE_NGINX=1 but nginx is not installed (apt-get install nginx)")
        pytest.skip("nginx is not installed (Debian: apt-get install nginx; .ci/run installs it)")
    ports = [loadgen.free_port() for _ in range(3)]
    with cluster.Cluster(2, ports[0], replica_ports=ports[1:], run_dir=tmp_path_factory.mktemp("cluster")) as c:
        yield c


@dataclasses.dataclass
class Connection:
    """One line of nginx's access log (``log_format replicas``)."""

    opened: float
    closed: float
    status: int
    replica: str  # host:port of the replica that answered ("-" when none did)
    route: str  # the affinity key
    path: str


LINE = re.compile(r'^(\S+) (\S+) (\d+) (.*?) route=(\S*) "\S+ (\S+)')


def connections(c: cluster.Cluster) -> list[Connection]:
    out = []
    for line in c.access_log.read_text().splitlines():
        m = LINE.match(line)
        assert m, line
        closed, took, status, upstreams, route, path = m.groups()
        replica = upstreams.split(", ")[-1]  # nginx lists every replica it tried; the last one answered
        out.append(Connection(float(closed) - float(took), float(closed), int(status), replica, route, path))
    return out


def websockets(c: cluster.Cluster, since: float) -> list[Connection]:
    return [k for k in connections(c) if k.path.startswith("/_stcore/stream") and k.status == 101
            and k.opened >= since]


def route(sample: loadgen.Sample) -> str:
    return sample.cookie.split("=", 1)[1] if "=" in sample.cookie else ""


def test_forty_users_for_a_minute_each_on_one_replica(running):
    since = time.time()
    samples = loadgen.run_users(running.base, USERS, THINK, STEADY_S, loadgen.Compare(load.SURFACES).link, seed=21)
    summary = loadgen.summary(samples)
    print(f"\n{USERS} users through nginx, {STEADY_S:g} s: {summary['runs']} runs, errors {summary['errors']}, "
          f"p50 {summary['p50']:.3f} s, p95 {summary['p95']:.3f} s; load average {os.getloadavg()[0]:.2f}")
    assert [f"{s.what}: {s.detail}" for s in samples if not s.ok] == []
    assert len({s.user for s in samples}) == USERS  # every visitor finished runs
    assert all(s.cookie.startswith("landscapes_route=") for s in samples)  # each had nginx's cookie

    mine = {route(s) for s in samples}
    seen = [k for k in connections(running) if k.route in mine and k.opened >= since - 1]
    replicas_of: dict[str, set[str]] = {}
    for k in seen:
        replicas_of.setdefault(k.route, set()).add(k.replica)
    assert set(replicas_of) == mine
    assert {r: len(s) for r, s in replicas_of.items() if len(s) != 1} == {}  # every visitor stuck to one replica
    users_on = {r.base: sum(s == {r.base} for s in replicas_of.values()) for r in running.replicas}
    print(f"visitors per replica: {users_on}")
    assert all(n >= 4 for n in users_on.values()), users_on  # both serve (40 random keys on a 2-replica ring)


def test_stopped_replicas_visitors_reconnect_and_it_rejoins(running):
    first, second = running.replicas
    stop, samples = threading.Event(), []
    wall0 = time.time()
    users = threading.Thread(target=lambda: samples.extend(loadgen.run_users(
        running.base, USERS, THINK, 600, loadgen.Compare(load.SURFACES).link, seed=22, stop=stop)))
    users.start()
    faults = []  # (time.time() of the signal, replica, time.time() it was ready again)
    try:
        for replica, sig in ((first, signal.SIGKILL), (second, signal.SIGTERM)):
            # 15 s of load first; the second fault only after the first one's visitors are due back (a visitor whose
            # reconnect met the second fault would measure both).
            time.sleep(max(15.0, faults[-1][0] + RECONNECT_S + 5 - time.time()) if faults else 15.0)
            at = time.time()
            replica.proc.send_signal(sig)
            faults.append((at, replica, wait_ready_again(running, replica, at)))
        # Visitors keep their open websockets; a replica back in nginx gets the new ones (new tabs, reconnects).
        deadline = time.time() + REJOIN_S
        while time.time() < deadline and not all(
                any(k.replica == replica.base and k.opened > back for k in websockets(running, back))
                for _, replica, back in faults):
            time.sleep(1)
    finally:
        stop.set()
        users.join(300)
    assert not users.is_alive()
    wall = lambda s: wall0 + s.t  # noqa: E731  a sample's wall-clock time (run_users started at t0 ≈ wall0)
    log = websockets(running, wall0 - 1)
    for at, replica, back in faults:
        rejoined = min((k.opened - back for k in log if k.replica == replica.base and k.opened > back), default=None)
        print(f"\nreplica {replica.index} signalled at +{at - wall0:.1f} s, ready again +{back - at:.1f} s later, "
              f"its next connection {'none' if rejoined is None else f'+{rejoined:.1f} s'} after that")

    errors = [s for s in samples if not s.ok]
    for at, replica, back in faults:
        # The visitors whose websocket was open on that replica at the fault: they, and only they, see it.
        hit = {k.route for k in log if k.replica == replica.base and k.opened < at < k.closed}
        assert hit, "no visitor was on the stopped replica: the fault tested nothing"
        noticed = [s for s in errors if at <= wall(s) <= at + DROP_S]
        assert {route(s) for s in noticed} <= hit, [  # what each visitor who was not on it saw, and when
            (route(s), f"+{wall(s) - at:.1f} s", s.what, s.detail) for s in noticed if route(s) not in hit]
        assert all(s.detail.startswith("connection:") for s in noticed), [s.detail for s in noticed]
        back_in = {}
        for who in {route(s) for s in noticed}:
            # Its next full run of any kind: a reconnect, or a new tab when the reconnect itself met the next fault.
            back_in[who] = min((wall(s) - at for s in samples if route(s) == who and s.ok and wall(s) > at),
                               default=float("inf"))
        times = sorted(back_in.values())
        print(f"replica {replica.index}: {len(hit)} visitors on it, {len(back_in)} noticed; their next full run "
              f"ended {times[len(times) // 2] if times else 0:.1f} s (median), {max(times, default=0):.1f} s (latest) "
              f"after the fault")
        assert all(t <= RECONNECT_S for t in back_in.values()), back_in
        # Ready only once its warm-up was done (the warm-up's own clock starts after the process's) ...
        started, warm_up = restarted(replica, at)
        assert back - started >= warm_up
        # ... and no connection reached the replica while it was down or warming up; after that, it served again.
        assert [k for k in log if k.replica == replica.base and at < k.opened < back] == []
        assert [k for k in log if k.replica == replica.base and k.opened > back]
    windows = [(at, at + DROP_S) for at, _, _ in faults]
    assert [(s.what, s.detail) for s in errors if not any(a <= wall(s) <= b for a, b in windows)] == []
    reconnects = [s for s in samples if s.what == "reconnect"]
    assert reconnects and all(s.ok for s in reconnects), [s.detail for s in reconnects if not s.ok]
    print(f"{len(errors)} dropped runs, {len(reconnects)} reconnects, all with their view restored from the URL; "
          f"{loadgen.summary(samples)['runs']} runs in all; load average {os.getloadavg()[0]:.2f}")


def wait_ready_again(c: cluster.Cluster, replica: cluster.Replica, since: float) -> float:
    """The time the supervisor found ``replica`` ready again after ``since`` (it restarts a replica that exits)."""
    deadline = time.time() + READY_S
    while time.time() < deadline:
        ready = [t for t, i, what in c.events if i == replica.index and what == "ready" and t > since]
        if ready:
            return ready[0]
        time.sleep(0.5)
    raise AssertionError(f"replica {replica.index} not ready again {READY_S:g} s after {since}: {c.events}")


def restarted(replica: cluster.Replica, since: float) -> tuple[float, float]:
    """(when, warm-up seconds) of the replica's first start after ``since``: `cluster.Replica.start` writes
    "==== start N at T" into its log, and the warm-up "warm-up: ..., done at 7.04 s" (seconds since it began)."""
    for part in replica.log.read_text().split("==== start ")[1:]:
        head, _, rest = part.partition("\n")
        started = float(head.split(" at ")[1])
        if started > since:
            found = re.search(r"^warm-up: .*done at ([0-9.]+) s", rest, re.M)
            assert found, f"replica {replica.index} logged no finished warm-up"
            return started, float(found.group(1))
    raise AssertionError(f"replica {replica.index} was not started again after {since}")
