"""``ftalab run SCENARIO_OR_PRESET --out DIR [--json]``: a whole study from one command.

``SCENARIO_OR_PRESET`` is a scenario file (``.toml``), the name of a shipped
preset (``sco-fta``, ``sco-fta-tariffs``, ``sco-facilitation``,
``sco-corridor``, ``sco-enlargement``) or a run's ``manifest.json`` (rerun it
and check that every number is reproduced bit for bit). Progress goes to
stderr; ``--json`` prints a summary on stdout.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from ftalab.cli.output import print_json

__all__ = ["register"]


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``run`` command."""
    p = subparsers.add_parser(
        "run",
        help="run a scenario (file, preset or manifest) and write tables, manifest and report",
        parents=[common],
        description=(
            "Run a whole study: estimation, baseline update to the scenario date, general equilibrium with "
            "Monte Carlo intervals, sensitivity runs; writes tables (CSV, Parquet), manifest.json and a "
            "self-contained report.html into --out. SCENARIO_OR_PRESET is a scenario .toml file, a preset "
            "(sco-fta, sco-fta-tariffs, sco-facilitation, sco-corridor, sco-enlargement) or a run's "
            "manifest.json (rerun it and check every number bit for bit)."
        ),
    )
    p.add_argument("scenario", metavar="SCENARIO_OR_PRESET", help="scenario .toml, preset name, or a run's manifest.json")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (created if missing)")
    p.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    p.add_argument("--no-report", action="store_true", help="write tables and manifest only")
    p.set_defaults(func=_run)


def _progress():
    start = time.perf_counter()

    def emit(msg: str) -> None:
        print(f"[{time.perf_counter() - start:6.1f}s] {msg}", file=sys.stderr, flush=True)

    return emit


def _summary(result: Any, written: dict[str, Any]) -> dict[str, Any]:
    cr = result.tables["country_results"]
    scen = cr[(cr["step"] == "scenario") & (cr["measure"].isin(["welfare", "real_gdp", "exports"]))]
    focus = list(result.members) + list(result.new_members) + ["*MEMBERS", "*NONMEMBERS", "*WORLD"]
    rows = scen[scen["iso3"].isin(focus)]
    return {
        "scenario": result.scenario_name,
        "members": list(result.members),
        "new_members": list(result.new_members),
        "results": rows[["iso3", "measure", "value", "lo", "hi"]],
        "trade_effects": result.tables["trade_effects"],
        "outputs": written,
        "timings": result.manifest.get("timings", {}),
    }


def _run(args: argparse.Namespace) -> int:
    from ftalab.scenario.loader import load_scenario
    from ftalab.report.outputs import run_from_manifest, write_outputs
    from ftalab.scenario.runner import run_scenario

    emit = _progress()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)  # an unusable --out fails now, not after the study
    spec = args.scenario
    t0 = time.perf_counter()
    comparison = None
    if str(spec).endswith(".json"):
        emit(f"rerunning the run recorded in {spec}")
        scenario, result, comparison = run_from_manifest(Path(spec), progress=emit)
        source = str(spec)
    else:
        scenario, path = load_scenario(spec)
        source = str(spec) if Path(spec).is_file() else f"preset {spec} ({path})"
        emit(f"scenario {scenario.name}: {scenario.title or ''}".rstrip(": "))
        result = run_scenario(scenario, source=source, progress=emit)
    emit("writing tables, manifest" + ("" if args.no_report else " and report"))
    written = write_outputs(result, scenario, out, source=source, report=not args.no_report)
    emit(f"done in {time.perf_counter() - t0:.1f} s: {out}")
    if comparison is not None:
        if comparison["identical"]:
            emit("every table is bit-for-bit identical to the recorded run")
        else:
            bad = [k for k, v in comparison["tables"].items() if not v]
            emit(f"tables differ from the recorded run: {', '.join(bad)}; package versions that differ: {comparison['version_differences'] or 'none'}")
    if args.json:
        summary = _summary(result, written)
        if comparison is not None:
            summary["reproduced"] = comparison
        print_json(summary)
    else:
        _print_headline(result)
        if written.get("report"):
            print(f"report: {written['report']}")
    if comparison is not None and not comparison["identical"]:
        return 1
    return 0


def _print_headline(result: Any) -> None:
    from ftalab.cli.output import print_table

    h = result.headline(measure="welfare")
    focus = [c for c in list(result.members) + list(result.new_members) + ["*MEMBERS", "*NONMEMBERS", "*WORLD"] if c in h.index]
    table = h.loc[focus].reset_index().rename(columns={"iso3": "economy", "value": "real income %", "lo": "low", "hi": "high"})
    print_table(table)
