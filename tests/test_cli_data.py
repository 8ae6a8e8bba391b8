"""``ftalab data`` commands and the CLI error contract (exit 2, no traceback)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ftalab.cli.main", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def test_data_list_json() -> None:
    out = run("data", "list", "--json")
    assert out.returncode == 0, out.stderr
    names = {d["name"] for d in json.loads(out.stdout)}
    assert {"advanced_guide", "wits_trade_2009", "baci"} <= names


def test_data_info_names_citation_and_files() -> None:
    out = run("data", "info", "cepii_geodist")
    assert out.returncode == 0
    assert "Mayer" in out.stdout and "dist_cepii.csv" in out.stdout


def test_data_fetch_from_mirror_option(tmp_path: Path, mirror: Path) -> None:
    out = run("data", "fetch", "wb_lpi", "--mirror", str(mirror), "--json", env={"FTALAB_DATA_DIR": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    assert Path(json.loads(out.stdout)["wb_lpi"]["lpi_2010_2016.csv"]).is_file()


def test_global_mirror_option_before_command(tmp_path: Path, mirror: Path) -> None:
    out = run("--mirror", str(mirror), "data", "fetch", "wto_tariffs", env={"FTALAB_DATA_DIR": str(tmp_path)})
    assert out.returncode == 0, out.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (("data", "info", "nope"), "unknown dataset 'nope'"),
        (("data", "fetch", "baci"), "downloaded by the user"),
        (("data", "fetch", "wb_lpi", "--mirror", "/nonexistent/mirror"), "does not exist"),
        (("data", "frobnicate"), "invalid choice"),
        (("run", "sco-fta", "--out", "/proc/ftalab-cannot-write-here"), "/proc/ftalab-cannot-write-here"),
    ],
)
def test_bad_input_exits_2_with_message(args: tuple[str, ...], message: str) -> None:
    out = run(*args)
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr
