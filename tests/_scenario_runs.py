"""One end-to-end run of the sco-fta preset shared by the slow test files.

pytest fixtures defined in two modules are two fixtures; this module-level
cache makes the (slow) run happen once per test session whichever test file
asks first.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

_CACHE: dict[str, Path] = {}


def run_cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run ``python -m ftalab ARGS`` as a user would (fresh process, mirror from the environment)."""
    return subprocess.run(
        [sys.executable, "-m", "ftalab", *args], capture_output=True, text=True, timeout=timeout, env=os.environ.copy()
    )


def sco_fta_run() -> Path:
    """Output folder of ``ftalab run sco-fta --out DIR --json`` (run once per session)."""
    if "sco-fta" not in _CACHE:
        out = Path(tempfile.mkdtemp(prefix="ftalab-sco-fta-"))
        proc = run_cli("run", "sco-fta", "--out", str(out), "--json")
        if proc.returncode != 0:
            raise AssertionError(f"ftalab run sco-fta failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
        (out / "stdout.json").write_text(proc.stdout, encoding="utf-8")
        (out / "stderr.txt").write_text(proc.stderr, encoding="utf-8")
        _CACHE["sco-fta"] = out
    return _CACHE["sco-fta"]
