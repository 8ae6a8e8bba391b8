"""Test configuration: data come from the offline mirror, never the network.

``FTALAB_DATA_MIRROR`` defaults to ``../shared/data`` next to the checkout;
the cache is a per-session temporary folder unless ``FTALAB_DATA_DIR`` is set.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MIRROR = ROOT.parent / "shared" / "data"
REFERENCE_DIR = ROOT.parent / "shared" / "reference"


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("FTALAB_DATA_MIRROR", str(DEFAULT_MIRROR))
    if "FTALAB_DATA_DIR" not in os.environ:
        import tempfile

        os.environ["FTALAB_DATA_DIR"] = tempfile.mkdtemp(prefix="ftalab-test-cache-")


@pytest.fixture(scope="session")
def mirror() -> Path:
    """The offline data mirror (real copies of the official files)."""
    path = Path(os.environ["FTALAB_DATA_MIRROR"])
    if not path.is_dir():
        pytest.fail(f"data mirror {path} not found; set FTALAB_DATA_MIRROR")
    return path


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--runslow", action="store_true", help="also run tests marked slow (CI does)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --runslow (CI runs it)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
