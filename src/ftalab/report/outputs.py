"""Write a run's outputs (tables, manifest, report) and rerun a run from its manifest.

The manifest records everything needed to reproduce the numbers: the full
scenario (every option explicit), the SHA-256 of each input file, package
versions, the seed, timings, and the SHA-256 of each table written.
:func:`run_from_manifest` checks the inputs against the recorded checksums,
reruns, and compares the new tables' checksums with the recorded ones.
"""

from __future__ import annotations

import hashlib
import json
import logging
import platform
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from ftalab import __version__
from ftalab.data import file_sha256
from ftalab.errors import ScenarioError
from ftalab.scenario.loader import parse_scenario, scenario_to_toml
from ftalab.scenario.results import TABLE_NAMES, StudyResult, write_tables
from ftalab.scenario.schema import Scenario

__all__ = ["write_outputs", "build_manifest", "run_from_manifest", "table_digest", "MANIFEST_VERSION"]

logger = logging.getLogger(__name__)

MANIFEST_VERSION = 1
_PACKAGES = ("numpy", "scipy", "pandas", "pyarrow", "pydantic", "numba", "plotly", "jinja2", "shapely", "threadpoolctl")



def table_digest(df: pd.DataFrame) -> str:
    """SHA-256 of a table's exact contents (column names, dtypes and every value's bits)."""
    h = hashlib.sha256()
    h.update(json.dumps([(str(c), str(t)) for c, t in df.dtypes.items()]).encode())
    h.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    return h.hexdigest()


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version(), "ftalab": __version__}
    for name in _PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _input_checksums(inputs: list[dict[str, str]]) -> list[dict[str, str]]:
    from ftalab.data import fetch_file

    out = []
    for item in inputs:
        path = Path(fetch_file(item["dataset"], item["file"]))
        out.append({**item, "sha256": file_sha256(path)})
    return out


def _data_folders() -> dict[str, str | None]:
    from ftalab.data import data_dir, mirror_dir

    mirror = mirror_dir()
    return {"cache": str(data_dir()), "mirror": str(mirror) if mirror is not None else None}


def build_manifest(result: StudyResult, scenario: Scenario, source: str) -> dict[str, Any]:
    """The manifest of a run (JSON-serialisable)."""
    m = dict(result.manifest)
    return {
        "manifest_version": MANIFEST_VERSION,
        "tool": "ftalab",
        "created": m.get("created"),
        "source": source,
        "scenario": scenario.model_dump(mode="json"),
        "scenario_toml": scenario_to_toml(scenario),
        "seed": scenario.model.seed,
        "inputs": _input_checksums(m.get("inputs", [])),
        "data_folders": _data_folders(),
        "versions": _versions(),
        "parameters": {k: v for k, v in result.parameters.items() if k != "display"},
        "coefficients": m.get("coefficients", {}),
        "ge": m.get("ge", {}),
        "timings": m.get("timings", {}),
        "tables": {name: table_digest(result.tables[name]) for name in TABLE_NAMES},
    }


def write_outputs(result: StudyResult, scenario: Scenario, out: Path, *, source: str, report: bool = True) -> dict[str, Any]:
    """Write tables (CSV, Parquet), ``manifest.json``, ``scenario.toml`` and ``report.html`` into ``out``.

    Returns
    -------
    dict
        ``{"out": ..., "report": path or None, "manifest": path, "tables": {...}}``.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = write_tables(result, out)
    (out / "scenario.toml").write_text(scenario_to_toml(scenario), encoding="utf-8")
    manifest = build_manifest(result, scenario, source)
    report_path = None
    if report:
        from ftalab.report.html import write_report  # same layer

        manifest_for_report = {**result.manifest, "timings": manifest["timings"]}
        report_path = write_report(
            StudyResult(**{**result.__dict__, "manifest": manifest_for_report}), out
        )
        manifest["outputs"] = {"report.html": file_sha256(report_path)}
    mpath = out / "manifest.json"
    mpath.write_text(json.dumps(manifest, indent=2, sort_keys=False), encoding="utf-8")
    return {
        "out": str(out),
        "report": str(report_path) if report_path else None,
        "manifest": str(mpath),
        "tables": {k: [str(p) for p in v] for k, v in written.items()},
    }


def read_manifest(path: Path) -> dict[str, Any]:
    """Read and check a manifest file."""
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except FileNotFoundError:
        raise ScenarioError(f"manifest {path} not found") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise ScenarioError(f"{path}: not a readable JSON manifest ({exc})") from None
    if not isinstance(data, dict) or data.get("tool") != "ftalab" or "scenario" not in data:
        raise ScenarioError(f"{path}: not an ftalab run manifest (no 'scenario' recorded)")
    if data.get("manifest_version") != MANIFEST_VERSION:
        raise ScenarioError(f"{path}: manifest_version {data.get('manifest_version')} is not supported (expected {MANIFEST_VERSION})")
    return data


def run_from_manifest(path: Path, *, progress: Any = None) -> tuple[Scenario, StudyResult, dict[str, Any]]:
    """Rerun the run recorded in manifest ``path``.

    Checks every input file against its recorded SHA-256 first (a changed input
    is an error: the numbers could not be the same). Returns the scenario, the
    new result, and a comparison ``{"identical": bool, "tables": {name: bool}, "versions": {...}}``.
    """
    from ftalab.scenario.runner import run_scenario

    data = read_manifest(Path(path))
    scenario = parse_scenario(data["scenario"], source=f"{path} (scenario)")
    current = _input_checksums([{"dataset": i["dataset"], "file": i["file"]} for i in data.get("inputs", [])])
    changed = [f"{c['dataset']}/{c['file']}" for c, r in zip(current, data.get("inputs", []), strict=True) if c["sha256"] != r.get("sha256")]
    if changed:
        raise ScenarioError(f"{path}: input files changed since the recorded run: {', '.join(changed)}; the run cannot be reproduced")
    result = run_scenario(scenario, source=str(path), progress=progress)
    recorded = data.get("tables", {})
    same = {name: table_digest(result.tables[name]) == recorded.get(name) for name in TABLE_NAMES}
    versions_now = _versions()
    diff_versions = {k: (v, versions_now.get(k)) for k, v in data.get("versions", {}).items() if versions_now.get(k) != v}
    return scenario, result, {"identical": all(same.values()), "tables": same, "version_differences": diff_versions}
