"""Load on the Compare page at the protocol level: many websocket sessions against a local `streamlit run app.py`.

    .venv/bin/python benchmarks/load.py --users 20 --think 2 --duration 600      # steady users
    .venv/bin/python benchmarks/load.py --storm 500                              # typed-expression storm
    .venv/bin/python benchmarks/load.py --replicas 1,2 --users 20,60 --duration 150   # through nginx (issue 33)

Steady users (`loadgen.user`): each opens a Compare link with a random built-in surface, 2-6 optimizers, a step
count and learning rates, then moves the start point four times (new runs for every optimizer, no recompile),
thinking ``--think`` s ±50 % between runs, and opens a new link.  Latency is the time from sending
``rerun_script`` to ``script_finished``; an error is an exception element, a compile-error status or a dropped
connection.  Memory is the RSS of the server and its children (``/proc``), sampled every ``--every`` s; the
growth bar is taken after ``--warmup`` s, once the compiled runners and caches have filled.

Storm: ``--others`` steady users run alone for ``--idle`` s (their idle median), then one client types
``--storm`` distinct expressions (each a new surface: a fresh compile of the surface, its grid, its critical
points and two runners) while the same users keep going; reports the memory peak over the start and the users'
median during the storm against their idle median.

Replicas (``--replicas N``, a comma-separated list): the same steady users through nginx in front of N replicas of
``make run``'s server (`deploy.cluster`, sharing one compilation cache), each visitor with the affinity cookie of
its first page load; memory is the sum over the replicas.  Every combination of ``--replicas`` and ``--users`` runs
in turn on a fresh cluster; the closing note compares each with the first replica count at the same users and
says how many users a core carried within the p95 target, and so how many cores a class of 200 needs.
``--replicas 0`` (the default) is one plain ``streamlit run app.py`` without nginx, as before.

The targets (README "Deploying"): p95 <= 1.5 s, 0 errors, growth <= 50 MB after warm-up; storm peak <= start
+ 600 MB, users' median <= 2x idle.  Server and load share the machine, so the load average is printed too.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import loadgen  # noqa: E402
from deploy import cluster  # noqa: E402

P95_TARGET_S = 1.5
CLASS = 200
"""The class the closing note sizes a deployment for (issue 33)."""

# The built-in surfaces, read from the catalog's source rather than imported: the load process stays light.
SURFACES = ("elongated_valley", "saddle", "monkey_saddle", "rosenbrock", "beale", "himmelblau", "rastrigin",
            "ackley", "booth", "matyas", "goldstein_price", "styblinski_tang", "three_hump_camel", "six_hump_camel",
            "wells", "quartic")


class Replicas(cluster.Cluster):
    """`deploy.cluster.Cluster` on free loopback ports, measured as one server: its memory is the replicas' sum."""

    def __init__(self, replicas: int, run_dir: Path):
        ports = [loadgen.free_port() for _ in range(replicas + 1)]
        super().__init__(replicas, ports[0], replica_ports=ports[1:], run_dir=run_dir)

    def rss_mb(self) -> float:
        return sum(loadgen.rss_mb(r.proc.pid) for r in self.replicas if r.alive())


class Memory:
    """RSS samples of the server in a background thread."""

    def __init__(self, server: loadgen.Server, every: float, echo: bool = True):
        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, args=(server, every, echo), daemon=True)

    def _loop(self, server, every, echo):
        for t, mb in loadgen.sample_memory(server, every, self._stop):
            self.samples.append((t, mb))
            if echo:
                print(f"  t={t:6.0f} s  server RSS {mb:7.1f} MB  load average {os.getloadavg()[0]:.2f}", flush=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(5)

    def at(self, t: float) -> float:
        """The sample closest to ``t`` seconds."""
        return min(self.samples, key=lambda s: abs(s[0] - t))[1]


def steady(server: loadgen.Server, users: int, think: float, duration: float, warmup: float, every: float,
           seed: int = 0) -> dict:
    """The steady-users scenario; returns its figures (also printed)."""
    links = loadgen.Compare(SURFACES).link
    start_mb = server.rss_mb()
    with Memory(server, every) as mem:
        samples = loadgen.run_users(server.base, users, think, duration, links, seed=seed)
    after = [s for s in samples if s.t >= warmup]
    whole, warm = loadgen.summary(samples), loadgen.summary(after)
    warm_mb = mem.at(warmup)
    tail = [mb for t, mb in mem.samples if t >= warmup]
    out = {"users": users, "think": think, "duration": duration, "warmup": warmup, "start_mb": start_mb,
           "warm_mb": warm_mb, "end_mb": mem.samples[-1][1], "peak_after_warm_mb": max(tail, default=warm_mb),
           "all": whole, "after_warmup": warm, "load_average": os.getloadavg()}
    out["growth_mb"] = out["end_mb"] - warm_mb
    out["peak_growth_mb"] = out["peak_after_warm_mb"] - warm_mb
    errors = [s for s in samples if not s.ok]
    print(f"\nsteady: {users} users, think {think:g} s, {duration:g} s (warm-up {warmup:g} s)")
    print(f"  all runs:          {whole['runs']} runs, errors {whole['errors']}, p50 {whole['p50']:.3f} s, "
          f"p95 {whole['p95']:.3f} s")
    print(f"  after warm-up:     {warm['runs']} runs, errors {warm['errors']}, p50 {warm['p50']:.3f} s, "
          f"p95 {warm['p95']:.3f} s   (target p95 <= {P95_TARGET_S:g} s, 0 errors)")
    print(f"  server memory:     start {start_mb:.1f} MB, at warm-up {warm_mb:.1f} MB, end {out['end_mb']:.1f} MB, "
          f"peak after warm-up {out['peak_after_warm_mb']:.1f} MB")
    print(f"  growth after warm-up: {out['growth_mb']:+.1f} MB at the end, {out['peak_growth_mb']:+.1f} MB at peak "
          f"(target <= 50 MB)")
    print(f"  load average (1, 5, 15 min): {' '.join(f'{v:.2f}' for v in out['load_average'])} on "
          f"{os.cpu_count()} cores")
    for s in errors[:10]:
        print(f"  error at t={s.t:.0f} s user {s.user} ({s.what}): {s.detail[:200]}")
    return out


def storm(server: loadgen.Server, count: int, others: int, think: float, idle: float, every: float,
          limit: float = float("inf")) -> dict:
    """The typed-expression storm; returns its figures (also printed)."""
    links = loadgen.Compare(SURFACES).link
    # Warm the steady users' compiled runners first, so the idle median is not a compile median.
    loadgen.run_users(server.base, others, think, idle, links, seed=1)
    idle_samples = loadgen.run_users(server.base, others, think, idle, links, seed=2)
    idle_median = loadgen.summary(idle_samples)["median"]
    start_mb = server.rss_mb()
    storm_runs: list[loadgen.Rerun] = []
    done = threading.Event()
    t0 = time.monotonic()

    def typist():
        for i in range(count):
            if time.monotonic() - t0 > limit:
                break  # out of time: the report says how many were typed
            tab = loadgen.Session(server.base)
            try:
                storm_runs.append(tab.rerun(loadgen.expression_link(i)))
            finally:
                tab.close()
        done.set()

    busy: list[loadgen.Sample] = []
    with Memory(server, every) as mem:
        th = threading.Thread(target=typist, daemon=True)
        th.start()
        while not done.is_set():  # the steady users keep coming until the storm is over, in 30 s rounds
            busy += loadgen.run_users(server.base, others, think, 30, links, seed=3 + len(busy))
        th.join()
    elapsed = time.monotonic() - t0
    peak = max(mb for _, mb in mem.samples)
    busy_sum = loadgen.summary(busy)
    storm_errors = sum(r.status != 0 or bool(r.exceptions) for r in storm_runs)
    out = {"count": len(storm_runs), "asked": count, "others": others, "idle_median": idle_median, "storm_median": busy_sum["median"],
           "ratio": busy_sum["median"] / idle_median, "start_mb": start_mb, "peak_mb": peak,
           "end_mb": mem.samples[-1][1], "storm_errors": storm_errors, "user_errors": busy_sum["errors"],
           "elapsed": elapsed, "storm_p50": loadgen.percentile([r.latency for r in storm_runs], 50)}
    print(f"\nstorm: {len(storm_runs)} of {count} distinct typed expressions in {elapsed:.0f} s "
          f"(median {out['storm_p50']:.2f} s each, errors {storm_errors}), {others} other users, think {think:g} s")
    print(f"  other users' median: idle {idle_median:.3f} s, during the storm {busy_sum['median']:.3f} s, "
          f"ratio {out['ratio']:.2f}x (target <= 2x); their errors {busy_sum['errors']}")
    print(f"  server memory: start {start_mb:.1f} MB, peak {peak:.1f} MB (+{peak - start_mb:.1f} MB, target <= "
          f"+600 MB), end {out['end_mb']:.1f} MB")
    print(f"  load average (1, 5, 15 min): {' '.join(f'{v:.2f}' for v in os.getloadavg())} on "
          f"{os.cpu_count()} cores")
    return out


def replicated(replicas: list[int], users: list[int], think: float, duration: float, warmup: float,
               every: float) -> list[dict]:
    """`steady` for every (replica count, users) pair, each on a fresh cluster; prints the closing note."""
    results = []
    for n in replicas:
        for u in users:
            with tempfile.TemporaryDirectory(prefix="load-cluster-") as run_dir:
                t0 = time.monotonic()
                with (Replicas(n, Path(run_dir)) if n else loadgen.Server()) as server:
                    print(f"\n== {n or 'one plain'} {'replica' if n == 1 else 'replicas' if n else 'server'}"
                          f"{' behind nginx' if n else ''}, {u} users (ready after {time.monotonic() - t0:.1f} s; "
                          f"memory: {'the replicas summed' if n else 'the server'})", flush=True)
                    results.append({"replicas": n, **steady(server, u, think, duration, warmup, every, seed=u)})
    cores = os.cpu_count() or 1
    print(f"\nclosing note (think {think:g} s, {duration:g} s each, figures after the {warmup:g} s warm-up; load "
          f"generator and servers on the same {cores} cores):")
    base = {r["users"]: r for r in results if r["replicas"] == replicas[0]}
    for r in results:
        w, b = r["after_warmup"], base[r["users"]]["after_warmup"]
        print(f"  {r['replicas']} replica(s), {r['users']:3d} users: p50 {w['p50']:.3f} s, p95 {w['p95']:.3f} s "
              f"({w['p95'] / b['p95']:.2f}x the {replicas[0]}-replica p95), errors {w['errors']}, memory "
              f"{r['end_mb']:.0f} MB ({r['growth_mb']:+.1f} MB after warm-up)")
    within = [r["users"] / min(max(r["replicas"], 1), cores) for r in results
              if r["after_warmup"]["p95"] <= P95_TARGET_S and r["after_warmup"]["errors"] == 0]
    if within:
        per_core = max(within)
        print(f"  capacity: at least {per_core:.0f} users per core within p95 <= {P95_TARGET_S:g} s, so a class of "
              f"{CLASS} needs about {math.ceil(CLASS / per_core)} cores, one replica each (a lower bound: here "
              f"the load generator took part of the same cores)")
    else:
        print(f"  capacity: no run stayed within p95 <= {P95_TARGET_S:g} s with 0 errors here: fewer than "
              f"{min(r['users'] for r in results) / cores:.0f} users per core")
    return results


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--users", default="20", help="users, or a comma-separated list (with --replicas)")
    p.add_argument("--replicas", default="0", help="replicas behind nginx, or a comma-separated list; 0: one "
                                                   "plain server without nginx")
    p.add_argument("--think", type=float, default=2.0, help="seconds between a user's runs (±50 %%)")
    p.add_argument("--duration", type=float, default=600.0, help="seconds of steady load")
    p.add_argument("--warmup", type=float, default=None, help="seconds before the memory/latency bars apply "
                                                               "(default: a fifth of the duration, at most 120)")
    p.add_argument("--storm", type=int, default=0, help="run the storm with this many typed expressions instead")
    p.add_argument("--others", type=int, default=5, help="steady users alongside the storm")
    p.add_argument("--idle", type=float, default=60.0, help="seconds of the storm's idle baseline")
    p.add_argument("--storm-limit", type=float, default=float("inf"),
                   help="stop typing after this many seconds (the report says how many were typed)")
    p.add_argument("--every", type=float, default=10.0, help="seconds between memory samples")
    p.add_argument("--log", type=Path, default=None, help="the server's output goes here")
    a = p.parse_args(argv)
    print(f"load average before the server starts: {' '.join(f'{v:.2f}' for v in os.getloadavg())} "
          f"on {os.cpu_count()} cores", flush=True)
    users, replicas = [int(v) for v in a.users.split(",")], [int(v) for v in a.replicas.split(",")]
    warmup = a.warmup if a.warmup is not None else min(120.0, a.duration / 5)
    if replicas != [0] or len(users) > 1:
        replicated(replicas, users, a.think, a.duration, warmup, a.every)
        return 0
    with loadgen.Server(log=a.log) as server:
        if a.storm:
            storm(server, a.storm, a.others, a.think, a.idle, a.every, a.storm_limit)
        else:
            steady(server, users[0], a.think, a.duration, warmup, a.every)
    return 0


if __name__ == "__main__":
    sys.exit(main())
