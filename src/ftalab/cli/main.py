"""Entry point of the ``ftalab`` command line.

Contract relied on by users and scripts: a problem the user can fix (an
:class:`~ftalab.errors.FtalabError`, a bad option) ends with exit status 2 and
one message on stderr that names the problem; ``--json`` prints
machine-readable output on stdout.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from ftalab import __version__
from ftalab.errors import FtalabError

__all__ = ["main", "build_parser"]

# Each module defines ``register(subparsers, common)`` and sets a handler
# ``func(args) -> int`` on its parsers.
_COMMAND_MODULES = (  # in the order of the data flow, as `ftalab --help` lists them
    "ftalab.cli.data",
    "ftalab.cli.estimate",
    "ftalab.cli.replicate",
    "ftalab.cli.run",
    "ftalab.cli.web",
)


def _common_options() -> argparse.ArgumentParser:
    # SUPPRESS: an option given before the command must survive the subparser.
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument(
        "--mirror",
        metavar="DIR",
        help="data mirror folder tried before the network (default: $FTALAB_DATA_MIRROR)",
    )
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        help="user data cache (default: $FTALAB_DATA_DIR or the OS cache folder)",
    )
    common.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    return common


def build_parser() -> argparse.ArgumentParser:
    """Build the full argument parser with every registered command."""
    common = _common_options()
    parser = argparse.ArgumentParser(
        prog="ftalab",
        description="Free-trade-area feasibility studies with structural gravity.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"ftalab {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in _COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    # Relative folders are relative to where the command was started, whatever changes directory later.
    if getattr(args, "mirror", None):
        os.environ["FTALAB_DATA_MIRROR"] = os.path.abspath(os.path.expanduser(args.mirror))
    if getattr(args, "data_dir", None):
        os.environ["FTALAB_DATA_DIR"] = os.path.abspath(os.path.expanduser(args.data_dir))
    logging.basicConfig(
        level=logging.INFO if getattr(args, "verbose", False) else logging.WARNING,
        format="%(levelname)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return int(args.func(args) or 0)
    except FtalabError as exc:
        print(f"ftalab: error: {exc}", file=sys.stderr)
        return 2
    except (FileNotFoundError, PermissionError, IsADirectoryError, NotADirectoryError) as exc:
        # a path the user gave (--out, --data, ...) that cannot be read or written
        print(f"ftalab: error: {exc.strerror}: {exc.filename}; check the path", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("ftalab: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader of our output (e.g. `| head`) went away: not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
