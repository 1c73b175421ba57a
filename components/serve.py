"""``make run``: serve the app with Streamlit and warm the default page up in the same process.

    python -m components.serve [streamlit run options, e.g. --server.port 8501]

The same as ``streamlit run app.py [options]``, plus `components.warmup` started before the server, so that the
first visitor finds the default page's programs compiled (see that module for why and what).
"""

from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"


def main(argv: list[str] | None = None) -> None:
    # Streamlit (and the plotly it imports) first, then the warm-up thread: two threads importing the same package
    # at once can see it half-initialised (plotly's optional-import helper reads sys.modules without the lock).
    from streamlit.web import cli

    from components import warmup

    warmup.start()
    cli.main(["run", str(APP), *(sys.argv[1:] if argv is None else argv)], prog_name="streamlit")


if __name__ == "__main__":
    main()
