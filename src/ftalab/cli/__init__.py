"""The ``ftalab`` command line (``ftalab <noun> <verb>``)."""

from ftalab.cli.main import main

__all__ = ["main"]
