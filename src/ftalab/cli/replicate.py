"""``ftalab replicate agtpa-ch2-twb|agtpa-ch2-nafta [--method exact|book] [--json]``."""

from __future__ import annotations

import argparse
from typing import Any

from ftalab.cli.output import print_json, print_table

__all__ = ["register"]

_NAMES = ("agtpa-ch2-twb", "agtpa-ch2-nafta")


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``replicate`` command."""
    p = subparsers.add_parser(
        "replicate",
        help="reproduce a published GE application (Yotov et al. 2016, ch. 2)",
        parents=[common],
        description=(
            "Re-run a chapter 2 application of Yotov et al. (2016) on the advanced_guide data. "
            "--method exact solves the equilibrium to 1e-10; --method book runs the book's "
            "iterative procedure and stopping rule (a snapshot, see ftalab.ge.book)."
        ),
    )
    p.add_argument("name", choices=_NAMES, help="application")
    p.add_argument("--method", choices=("exact", "book"), default="exact", help="GE solution method")
    p.add_argument("--json", action="store_true", help="per-country table keyed by ISO3 as JSON")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from ftalab.ge.applications import APPLICATIONS, replicate

    rep = replicate(args.name, method=args.method)
    if args.json:
        extra = {}
        if args.method == "book":
            extra["book_iterations"] = rep.result.diagnostics["iterations"]
        print_json(
            {
                **extra,
                "application": args.name,
                "description": APPLICATIONS[args.name],
                "method": args.method,
                "converged": rep.result.converged,
                "iterations": rep.result.iterations,
                "max_residual": rep.result.max_residual,
                "countries": {code: row for code, row in rep.table.to_dict(orient="index").items()},
            }
        )
        return 0
    print(f"{APPLICATIONS[args.name]} -- method {args.method}")
    if args.method == "exact":
        print(
            f"converged: {rep.result.converged}; Newton iterations: {rep.result.iterations}; "
            f"max residual of the equilibrium conditions: {rep.result.max_residual:.2e}"
        )
    else:
        print(
            f"book's stopping rule met: {rep.result.converged} after {rep.result.iterations['full']} "
            f"iterations; largest gap between sales and output at the stop: {rep.result.max_residual:.2e} "
            "(a snapshot, not an exact equilibrium)"
        )
        print("book's stopping-rule summaries (lagged price difference over all N x N rows):")
        print_table(rep.result.diagnostics["iterations"].set_index("iteration"), floatfmt="{:.7f}")
    print_table(rep.table, floatfmt="{:.3f}")
    return 0
