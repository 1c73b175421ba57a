"""N replicas of the app behind nginx on one machine: ``make cluster REPLICAS=N PORT=…``.

    python -m deploy.cluster --replicas 2 --port 8501     # nginx on *:8501, replicas on 127.0.0.1:8502 and 8503

Each replica is what ``make run`` runs (``python -m components.serve``): a Streamlit server with its warm-up and its
readiness route ``/ready``.  nginx (Debian's package, run unprivileged from a scratch folder) listens on ``--port``
with the configuration in ``deploy/nginx.conf``: websocket upgrade, cookie affinity, passive failover.  Because
open-source nginx cannot probe a replica itself, this script does what a Kubernetes readiness probe does: a replica
is written into the upstream as ``down`` until its ``/ready`` answers 200 (its warm-up is done), then nginx reloads
its configuration; a replica whose process exits is marked down at once, started again, and rejoins once ready.

All replicas share one persistent compilation cache (``JAX_CACHE_DIR``, default the repository's ``.jax_cache``),
so a program one of them compiled is loaded by the others (JAX serialises reads and writes with a file lock:
``optimizers/compile_cache.py``), and one cookie secret, so Streamlit's cookies stay valid when a visitor moves.
The first replica warms up alone and nginx starts as soon as it is ready, so the cluster serves after one warm-up;
the others start then and load its programs from the cache instead of compiling them (``benchmarks/startup.py``).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("nginx.conf")
READY_TIMEOUT_S = 300.0
"""How long a replica may take from start to ready (a cold warm-up on a busy 2-core machine takes about a minute)."""
WATCH_S = 0.5
"""How often the supervisor looks at the replicas."""


def nginx_binary() -> str | None:
    """Debian's nginx, on PATH or in /usr/sbin (not on a non-root PATH); None when not installed."""
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None


def nginx_config(listen: str, run_dir: str | os.PathLike, servers: list[tuple[str, bool]]) -> str:
    """``deploy/nginx.conf`` with its fields filled: ``servers`` are ``(host:port, up)`` pairs."""
    lines = "\n".join(f"        server {address}{'' if up else ' down'};" for address, up in servers)
    return (TEMPLATE.read_text().replace("@LISTEN@", listen).replace("@RUN@", str(run_dir))
            .replace("@SERVERS@", lines))


@dataclasses.dataclass
class Replica:
    """One ``python -m components.serve`` process on ``port``; ``ready_at`` is the ``time.time()`` at which its
    ``/ready`` first answered 200 since it was last started (None while it warms up)."""

    index: int
    address: str
    port: int
    log: Path
    proc: subprocess.Popen | None = None
    started_at: float = 0.0
    ready_at: float | None = None
    starts: int = 0

    @property
    def base(self) -> str:
        return f"{self.address}:{self.port}"

    def start(self, env: dict) -> None:
        self.starts += 1
        out = open(self.log, "ab")
        out.write(f"\n==== start {self.starts} at {time.time():.3f}\n".encode())
        out.flush()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "components.serve", "--server.port", str(self.port), "--server.address",
             self.address, "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        out.close()
        self.started_at, self.ready_at = time.time(), None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def probe(self) -> bool:
        """Its ``/ready`` answers 200 now."""
        try:
            with urllib.request.urlopen(f"http://{self.base}/ready", timeout=2) as r:
                return r.status == 200
        except OSError:  # refused (still starting), 503 (warming up: HTTPError is an OSError), or a timeout
            return False

    def stop(self, sig: int = signal.SIGTERM, wait: float = 20.0) -> None:
        if self.alive():
            self.proc.send_signal(sig)
            try:
                self.proc.wait(wait)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Cluster:
    """``replicas`` replicas on 127.0.0.1 behind nginx on ``listen:port``; a context manager that returns once every
    replica is ready and in the upstream, supervises them while open (restarting any that exits), and stops
    everything on exit.  ``events`` records ``(time.time(), replica index, "started" | "ready" | "exited")``."""

    def __init__(self, replicas: int = 2, port: int = 8501, replica_ports: list[int] | None = None,
                 listen: str = "127.0.0.1", cache_dir: str | os.PathLike | None = None,
                 run_dir: str | os.PathLike | None = None, env: dict | None = None):
        if replicas < 1:
            raise ValueError("a cluster needs at least one replica")
        ports = replica_ports or [port + 1 + i for i in range(replicas)]
        if len(ports) != replicas:
            raise ValueError(f"{replicas} replicas need {replicas} ports, got {ports}")
        self.port, self.listen = port, listen
        self.run_dir = Path(run_dir or tempfile.mkdtemp(prefix="landscapes-cluster-"))
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.run_dir.chmod(0o755)  # nginx's workers (user nobody when started by root) create temp files here
        self.replicas = [Replica(i, "127.0.0.1", p, self.run_dir / f"replica-{i}.log") for i, p in enumerate(ports)]
        cache = Path(cache_dir or os.environ.get("JAX_CACHE_DIR") or ROOT / ".jax_cache").resolve()
        self.env = {**os.environ, **(env or {}), "JAX_CACHE_DIR": str(cache),
                    "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}
        self.events: list[tuple[float, int, str]] = []
        self.nginx: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="cluster-supervisor", daemon=True)

    @property
    def base(self) -> str:
        """``host:port`` of nginx, where visitors on this machine go."""
        return f"{'127.0.0.1' if self.listen in ('0.0.0.0', '*') else self.listen}:{self.port}"

    @property
    def access_log(self) -> Path:
        return self.run_dir / "access.log"

    # ------------------------------------------------------------------------------------------- start and stop
    def __enter__(self) -> "Cluster":
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed (Debian: apt-get install nginx)")
        try:
            first, *others = self.replicas
            self._start(first)
            self._await_ready([first])
            self._write_config()
            with open(self.run_dir / "nginx.out", "ab") as out:
                self.nginx = subprocess.Popen(
                    [binary, "-p", str(self.run_dir), "-c", str(self.run_dir / "nginx.conf"), "-e",
                     str(self.run_dir / "error.log"), "-g", "daemon off;"], stdout=out, stderr=subprocess.STDOUT)
            for replica in others:
                self._start(replica)
            self._await_ready(others)
            self._await_listening()
        except BaseException:
            self.__exit__()
            raise
        self._watcher.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._watcher.is_alive():
            self._watcher.join(10)
        if self.nginx and self.nginx.poll() is None:
            self.nginx.terminate()
            self.nginx.wait(10)
        for replica in self.replicas:
            replica.stop()

    def _start(self, replica: Replica) -> None:
        replica.start(self.env)
        self._note(replica, "started")

    def _await_ready(self, replicas: list[Replica]) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        waiting = list(replicas)
        while waiting:
            for replica in list(waiting):
                if not replica.alive():
                    raise RuntimeError(f"replica {replica.index} exited with {replica.proc.returncode}; its log: "
                                       f"{replica.log.read_text()[-2000:]}")
                if replica.probe():
                    self._mark_ready(replica)
                    waiting.remove(replica)
            if time.monotonic() > deadline:
                raise RuntimeError(f"replicas {[r.index for r in waiting]} not ready after {READY_TIMEOUT_S:g} s")
            time.sleep(WATCH_S)

    def _await_listening(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.nginx.poll() is not None:
                raise RuntimeError(f"nginx exited: {(self.run_dir / 'error.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://{self.base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("nginx did not answer within 30 s")

    # ------------------------------------------------------------------------------------ nginx's upstream list
    def _mark_ready(self, replica: Replica) -> None:
        replica.ready_at = time.time()
        self._note(replica, "ready")
        self._reload()

    def _write_config(self) -> None:
        servers = [(r.base, r.ready_at is not None and r.alive()) for r in self.replicas]
        text = nginx_config(f"{self.listen}:{self.port}", self.run_dir, servers)
        tmp = self.run_dir / "nginx.conf.new"
        tmp.write_text(text)
        tmp.replace(self.run_dir / "nginx.conf")

    def _reload(self) -> None:
        """Rewrite the upstream list and have nginx reload it (SIGHUP: new workers take new connections; the old
        ones finish the websockets they hold, so no open tab is cut)."""
        with self._lock:
            self._write_config()
            if self.nginx and self.nginx.poll() is None:
                self.nginx.send_signal(signal.SIGHUP)

    # ----------------------------------------------------------------------------------------------- supervisor
    def _watch(self) -> None:
        while not self._stop.wait(WATCH_S):
            for replica in self.replicas:
                if not replica.alive():
                    self._note(replica, "exited")
                    replica.ready_at = None
                    self._reload()  # down in nginx at once; its visitors' next connection goes to another
                    self._start(replica)
                elif replica.ready_at is None and replica.probe():
                    self._mark_ready(replica)

    def _note(self, replica: Replica, what: str) -> None:
        self.events.append((time.time(), replica.index, what))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--replicas", type=int, default=2)
    p.add_argument("--port", type=int, default=8501, help="nginx's port; the replicas take the next ones")
    p.add_argument("--listen", default="0.0.0.0", help="nginx's address (default: every interface, as `make run` "
                                                         "listens; the replicas only on 127.0.0.1)")
    p.add_argument("--cache", default=None, help="the shared compilation cache (default $JAX_CACHE_DIR or .jax_cache)")
    a = p.parse_args(argv)
    with Cluster(a.replicas, a.port, listen=a.listen, cache_dir=a.cache) as cluster:
        print(f"{a.replicas} replicas ready behind nginx: http://{cluster.base}  (logs and config: {cluster.run_dir};"
              f" Ctrl-C stops)", flush=True)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # leaves the with block: everything stops
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
