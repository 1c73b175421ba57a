"""``make run``: serve the app with Streamlit, warm the default page up in the same process, and say when it is ready.

    python -m components.serve [streamlit run options, e.g. --server.port 8501]

The same as ``streamlit run app.py [options]``, plus two things, both through ``st.App`` (Streamlit's ASGI entry
point, which takes extra routes and a lifespan hook):

* `components.warmup` starts with the server, so that the first visitor finds the default page's programs compiled
  (see that module for why and what);
* a readiness route, ``READY`` (``/ready``): 503 while the warm-up runs, 200 once it is done.  Streamlit's own
  ``/_stcore/health`` answers 200 as soon as the server listens, so it tells a load balancer that the process is
  alive, not that a visitor sent there gets a warm page; ``/ready`` tells that (``deploy/cluster.py`` adds a
  replica to nginx only then, and a Kubernetes ``readinessProbe`` asks it: ``deploy/kubernetes.yaml``).

`main` runs ``streamlit run components/serve.py [options]``, which finds `app` below and serves it with Streamlit's
own server (uvicorn), reading ``.streamlit/config.toml`` from the working directory, the repository root.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import streamlit as st
from starlette.responses import PlainTextResponse
from starlette.routing import Route

APP = Path(__file__).resolve().parent.parent / "app.py"
READY = "/ready"
"""The readiness route (outside ``/_stcore/``, which Streamlit reserves)."""


async def ready(request) -> PlainTextResponse:
    """200 once this process's warm-up is done, else 503 (a probe retries; nginx is told by deploy/cluster.py)."""
    from components import warmup

    if warmup.finished():
        return PlainTextResponse("ready\n")
    return PlainTextResponse("warming up\n", status_code=503)


@contextlib.asynccontextmanager
async def _warm_up(_app):
    # Started here, after Streamlit (and the plotly it imports) are loaded: two threads importing the same package
    # at once can see it half-initialised (plotly's optional-import helper reads sys.modules without the lock).
    from components import warmup

    warmup.start()
    yield


app = st.App(APP, routes=[Route(READY, ready)], lifespan=_warm_up)


def main(argv: list[str] | None = None) -> None:
    from streamlit.web import cli

    cli.main(["run", __file__, *(sys.argv[1:] if argv is None else argv)], prog_name="streamlit")


if __name__ == "__main__":
    main()
