"""README's two commands are what CI and a newcomer run: they must be found and agree with .ci/run."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _block_after(marker: str) -> str:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index(marker)
    assert lines[start + 1] == "```bash", f"a ```bash block must follow {marker}"
    end = lines.index("```", start + 2)
    return "\n".join(lines[start + 2 : end])


def test_readme_has_both_commands() -> None:
    main = _block_after("<!-- main-command -->")
    test = _block_after("<!-- test-command -->")
    assert "ftalab run sco-fta" in main and "--mirror ../shared/data" in main
    assert "FTALAB_DATA_MIRROR=../shared/data" in test and "pytest --runslow" in test


def test_ci_extracts_the_readme_test_command() -> None:
    # the same awk program .ci/run uses, run on the real README
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    awk = script[script.index("$(awk ") + 2 : script.index("README.md)") + len("README.md")]
    extracted = subprocess.run(["bash", "-c", awk], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert extracted.strip() == _block_after("<!-- test-command -->").strip()
    assert 'bash -euo pipefail -c "$command_text"' in script
