"""Relative data folders mean relative to where the process started (issue: README's test command).

README's test command sets ``FTALAB_DATA_MIRROR=../shared/data``; the docs examples
then run in a temporary working directory. The mirror must still be the one the
user named, in this process and in the processes it starts.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ftalab.data import data_dir, fetch_file, mirror_dir
from ftalab.data import registry

ROOT = Path(__file__).resolve().parents[1]


def _relative_to_start(path: Path) -> str:
    rel = os.path.relpath(path, registry._START_DIR)
    assert not os.path.isabs(rel)
    return rel


def test_relative_mirror_survives_chdir(mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FTALAB_DATA_MIRROR", _relative_to_start(mirror))
    monkeypatch.setenv("FTALAB_DATA_DIR", _relative_to_start(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    assert mirror_dir() == mirror.resolve()
    assert data_dir() == tmp_path / "cache"
    # resolved once: the environment now holds the absolute path, for child processes too
    assert os.environ["FTALAB_DATA_MIRROR"] == str(mirror.resolve())
    path = fetch_file("wb_lpi", "lpi_2010_2016.csv")
    assert path.is_file() and path.is_relative_to(tmp_path / "cache")


def test_docs_example_with_relative_mirror_and_changed_directory(mirror: Path, tmp_path: Path) -> None:
    # README's layout: the process starts in the checkout with ../shared/data beside it,
    # then a docs example runs in another working directory.
    from tests.test_docs_examples import python_blocks

    _, code = python_blocks(ROOT / "docs" / "data.md")[0]
    work = tmp_path / "elsewhere"
    work.mkdir()
    script = textwrap.dedent(
        f"""
        import os
        import ftalab.data
        os.chdir({str(work)!r})
        exec(compile({code!r}, "data.md", "exec"))
        print(ftalab.data.mirror_dir())
        """
    )
    start = tmp_path / "checkout"  # the mirror is "../../…/shared/data" relative to it, as in README
    start.mkdir()
    env = {**os.environ, "FTALAB_DATA_MIRROR": os.path.relpath(mirror.resolve(), start),
           "FTALAB_DATA_DIR": "cache", "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-c", script], cwd=start, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == str(mirror.resolve())
    assert (start / "cache" / "wb_lpi").is_dir() and not (work / "cache").exists()  # the cache did not follow the chdir


def test_cli_relative_options(mirror: Path, tmp_path: Path) -> None:
    rel = os.path.relpath(mirror.resolve(), tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "ftalab.cli.main", "--mirror", rel, "--data-dir", "cache", "data", "fetch", "wb_lpi", "--json"],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "cache" / "wb_lpi" / "lpi_2010_2016.csv").is_file()
