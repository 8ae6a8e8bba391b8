"""``ftalab web serve [--host 127.0.0.1] [--port 8000]``: the HTTP API and dashboard.

Needs the ``web`` extra (fastapi, uvicorn); without it the command stops with
exit status 2 and says to install ``ftalab[web]``.
"""

from __future__ import annotations

import argparse
import logging
from typing import Any

from ftalab.errors import FtalabError

__all__ = ["register"]


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``web`` command and its ``serve`` verb."""
    web = subparsers.add_parser("web", help="HTTP API and browser dashboard", parents=[common])
    verbs = web.add_subparsers(dest="verb", metavar="VERB", required=True)
    p = verbs.add_parser(
        "serve",
        help="serve the JSON API and the dashboard",
        parents=[common],
        description=(
            "Serve the JSON API (/api/..., contract at /openapi.json) and the dashboard (/). "
            "Runs are kept in memory while the server runs; their outputs go to --runs-dir."
        ),
    )
    p.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--runs-dir", metavar="DIR", default=None, help="folder for run outputs (default: a new temporary folder)")
    p.set_defaults(func=_serve)


def _serve(args: argparse.Namespace) -> int:
    try:
        import fastapi  # noqa: F401
        import uvicorn
    except ImportError as exc:
        raise FtalabError(f"the web dashboard needs the web extra ({exc.name or exc} is missing): install ftalab[web]") from None
    from ftalab.web import create_app

    # --mirror/--data-dir are already in the environment (set by main), where the registry reads them.
    app = create_app(runs_dir=args.runs_dir)
    verbose = getattr(args, "verbose", False)
    logging.getLogger("ftalab.web").setLevel(logging.INFO)  # run starts and failures are worth a line
    uvicorn.run(app, host=args.host, port=args.port, log_level="info" if verbose else "warning")
    return 0
