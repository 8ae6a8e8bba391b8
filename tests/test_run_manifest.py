"""Manifests: bad or stale manifests are refused with exit 2 (fast; the bit-for-bit rerun is in test_run_sco_fta)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ftalab.cli.main import main
from ftalab.report.outputs import MANIFEST_VERSION, table_digest
from ftalab.scenario import load_scenario


def _manifest(tmp_path: Path, **changes: object) -> Path:
    scenario, _ = load_scenario("sco-fta")
    data = {
        "manifest_version": MANIFEST_VERSION,
        "tool": "ftalab",
        "scenario": scenario.model_dump(mode="json"),
        "inputs": [{"dataset": "wdi", "file": "WDI_GDP_current_usd_2005_2020.csv", "sha256": "0" * 64}],
        "tables": {},
    }
    data.update(changes)
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_changed_input_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _manifest(tmp_path)
    assert main(["run", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "input files changed" in err and "wdi/WDI_GDP_current_usd_2005_2020.csv" in err


def test_not_a_manifest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "other.json"
    bad.write_text('{"hello": 1}', encoding="utf-8")
    assert main(["run", str(bad), "--out", str(tmp_path / "out")]) == 2
    assert "not an ftalab run manifest" in capsys.readouterr().err
    assert main(["run", str(_manifest(tmp_path, manifest_version=99)), "--out", str(tmp_path / "out")]) == 2
    assert "manifest_version 99" in capsys.readouterr().err
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert main(["run", str(broken), "--out", str(tmp_path / "out")]) == 2
    assert "not a readable JSON manifest" in capsys.readouterr().err


def test_tampered_scenario_in_manifest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario, _ = load_scenario("sco-fta")
    sc = scenario.model_dump(mode="json")
    sc["model"]["sigma"] = 0.5
    path = _manifest(tmp_path, scenario=sc)
    assert main(["run", str(path), "--out", str(tmp_path / "out")]) == 2
    assert "model.sigma" in capsys.readouterr().err


def test_table_digest_sees_every_bit() -> None:
    a = pd.DataFrame({"x": [0.1, 0.2], "c": ["a", "b"]})
    b = a.copy()
    b.loc[1, "x"] = np.nextafter(0.2, 1.0)  # differs from 0.2 in the last bit only
    assert b.loc[1, "x"] != 0.2
    assert table_digest(a) == table_digest(a.copy())
    assert table_digest(a) != table_digest(b)
    assert table_digest(a) != table_digest(a.astype({"x": "float32"}))
