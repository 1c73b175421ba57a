"""What a replica's start costs, and what the shared compilation cache and the warm-up change (issue 33).

    .venv/bin/python benchmarks/startup.py

Every server here starts on a fresh, empty compilation cache (a temporary ``JAX_CACHE_DIR``), on this machine:

1. plain ``streamlit run app.py`` (no warm-up): seconds until ``/_stcore/health`` answers, and its memory then;
   then one visit to the default page (what the warm-up does ahead of time): its seconds and the memory after;
2. ``python -m components.serve`` (``make run``: the warm-up) on the empty cache: seconds until ``/ready``, memory;
3. a second one on the cache the first filled, what every replica after the first sees in ``deploy/cluster.py``:
   the ratio to 2 is what the shared cache saves;
4. two at once on an empty cache (both compile the same programs on the same cores) against 2 then 3 one after the
   other, which is how the cluster starts;
5. the warm-up extended to every built-in surface's preset view (`components.warmup.view`), in a process of its
   own after the default one: the seconds and memory it would add to each start, on an empty and a filled cache.

The baseline of each ratio is measured in the same run.  The load average is printed: other work on the machine
slows every figure alike.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import loadgen  # noqa: E402
from deploy.cluster import Replica  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

EXTENDED = """
import json, sys, time
from components import warmup

def rss():
    return int(next(l for l in open("/proc/self/status") if l.startswith("VmRSS")).split()[1]) / 1024

import landscapes
t0 = time.perf_counter()
warmup._run_stages(t0)
default_s, default_mb = time.perf_counter() - t0, rss()
for name in landscapes.names():
    warmup.view(name)
print(json.dumps({"default_s": default_s, "default_mb": default_mb, "extra_s": time.perf_counter() - t0 - default_s,
                  "extra_mb": rss() - default_mb}))
"""


def env(cache: Path) -> dict:
    return {**os.environ, "JAX_CACHE_DIR": str(cache)}


def ready(replicas: list[Replica], timeout: float = 600) -> float:
    """Seconds until every replica's ``/ready`` answers 200 (they were just started)."""
    t0, waiting = time.monotonic(), list(replicas)
    while waiting and time.monotonic() - t0 < timeout:
        waiting = [r for r in waiting if not r.probe()]
        if any(not r.alive() for r in waiting):
            raise RuntimeError(f"a replica exited: {waiting[0].log.read_text()[-2000:]}")
        time.sleep(0.2)
    if waiting:
        raise RuntimeError("not ready in time")
    return time.monotonic() - t0


def started(tmp: Path, cache: Path, name: str) -> Replica:
    replica = Replica(0, "127.0.0.1", loadgen.free_port(), tmp / f"{name}.log")
    replica.start(env(cache))
    return replica


def served(tmp: Path, cache: Path, *names: str) -> tuple[float, list[float]]:
    """Start ``names`` replicas at once on ``cache``; (seconds until all are ready, their memory in MB)."""
    replicas = [started(tmp, cache, n) for n in names]
    try:
        seconds = ready(replicas)
        return seconds, [loadgen.rss_mb(r.proc.pid) for r in replicas]
    finally:
        for r in replicas:
            r.stop()


def extended(cache: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", EXTENDED], cwd=ROOT, env=env(cache), capture_output=True,
                          text=True, timeout=900)
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    print(f"load average at the start: {' '.join(f'{v:.2f}' for v in os.getloadavg())} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="startup-") as tmp:
        tmp = Path(tmp)
        t0 = time.monotonic()
        with loadgen.Server(log=tmp / "plain.log", env={"JAX_CACHE_DIR": str(tmp / "plain-cache")}) as plain:
            plain_s, plain_mb = time.monotonic() - t0, plain.rss_mb()
            visit = loadgen.warm(plain.base, [""])[0]
            visit_mb = plain.rss_mb()
        print(f"1. plain streamlit run app.py: healthy after {plain_s:.1f} s, {plain_mb:.0f} MB (nothing imported "
              f"or compiled yet); its first visit to the default page took {visit.latency:.1f} s, then "
              f"{visit_mb:.0f} MB")

        first_s, (first_mb,) = served(tmp, tmp / "shared", "first")
        print(f"2. make run's server, empty cache: ready after {first_s:.1f} s, {first_mb:.0f} MB "
              f"(the warm-up: +{first_s - plain_s:.1f} s, {first_mb - visit_mb:+.0f} MB against 1 after its first "
              f"visit)")
        second_s, (second_mb,) = served(tmp, tmp / "shared", "second")
        print(f"3. the same on the cache 2 filled: ready after {second_s:.1f} s ({second_s / first_s:.2f}x 2), "
              f"{second_mb:.0f} MB")

        both_s, both_mb = served(tmp, tmp / "together", "a", "b")
        print(f"4. two at once on an empty cache: both ready after {both_s:.1f} s, {sum(both_mb):.0f} MB; one "
              f"after the other (2 then 3): {first_s + second_s:.1f} s ({(first_s + second_s) / both_s:.2f}x)")

        for label, cache in (("empty", tmp / "extended"), ("filled", tmp / "extended")):
            e = extended(cache)
            print(f"5. every built-in surface's preset view after the default one, {label} cache: default "
                  f"{e['default_s']:.1f} s, {e['default_mb']:.0f} MB; all 16 surfaces +{e['extra_s']:.1f} s "
                  f"({(e['default_s'] + e['extra_s']) / e['default_s']:.2f}x), +{e['extra_mb']:.0f} MB "
                  f"({(e['default_mb'] + e['extra_mb']) / e['default_mb']:.2f}x)")
    print(f"load average at the end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
