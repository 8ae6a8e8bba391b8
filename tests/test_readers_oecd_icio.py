"""OECD ICIO official CSV layout, on a small fixture written in that layout."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ftalab.data.readers.oecd_icio import read_oecd_icio_csv
from ftalab.errors import DataError, ValidationError

FIXTURE = Path(__file__).parent / "fixtures" / "readers" / "oecd_icio" / "2020_small.csv"


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return pd.read_csv(FIXTURE, index_col=0)


def test_layout_is_read_and_china_merged(raw) -> None:
    t = read_oecd_icio_csv(FIXTURE)
    assert t.countries == ["AUS", "CHN", "ROW"]
    assert t.sectors == ["A01_02", "C10T12", "G"]
    flows = t.bilateral_flows()
    assert flows.shape == (3, 3, 3)
    # CHN buys AUS food (C10T12): CN1 and CN2 industry columns plus CHN final-use columns, by hand
    cols = [c for c in raw.columns if c.startswith(("CN1_", "CN2_", "CHN_"))]
    assert flows[1, 1, 0] == pytest.approx(raw.loc["AUS_C10T12", cols].sum())
    # CHN's output of services = CN1_G + CN2_G
    assert t.output[1, 2] == pytest.approx(raw.loc["CN1_G", "OUT"] + raw.loc["CN2_G", "OUT"])


def test_accounting_identities(raw) -> None:
    t = read_oecd_icio_csv(FIXTURE)
    # every sale is somewhere: flows summed over importers = output
    np.testing.assert_allclose(t.bilateral_flows().sum(axis=1).T, t.output, atol=1e-9)
    # costs: inputs + taxes + value added = output (columns of the table)
    costs = t.inter.sum(axis=(0, 1)) + t.taxes + t.value_added
    np.testing.assert_allclose(costs, t.output, atol=0.2)  # one-decimal rounding in the file
    assert np.all((t.va_shares() > 0) & (t.va_shares() < 1))
    total = t.va_shares() + t.io_shares().sum(axis=1) + t.taxes / t.output
    np.testing.assert_allclose(total, 1.0, atol=1e-3)  # one-decimal rounding in the file
    assert t.value_added.sum() == pytest.approx(raw.loc["VA", "OUT"])


def test_2021_edition_labels(tmp_path: Path, raw) -> None:
    old = raw.rename(index={"TLS": "TAXSUB", "VA": "VALU", "OUT": "OUTPUT"}, columns={"OUT": "TOTAL"})
    path = tmp_path / "ICIO2021_2018.csv"
    old.to_csv(path)
    t = read_oecd_icio_csv(path)
    np.testing.assert_allclose(t.bilateral_flows(), read_oecd_icio_csv(FIXTURE).bilateral_flows())


def test_foreign_layout_is_rejected(tmp_path: Path, raw) -> None:
    path = tmp_path / "x.csv"
    raw.drop(index="VA").to_csv(path)
    with pytest.raises(ValidationError, match="value-added row"):
        read_oecd_icio_csv(path)
    raw.rename(columns={"AUS_HFCE": "AUS_XYZ"}).to_csv(path)
    with pytest.raises(ValidationError, match="neither an industry nor a final use"):
        read_oecd_icio_csv(path)
    bad = raw.astype(object)
    bad.iloc[0, 0] = "n/a"
    bad.to_csv(path)
    with pytest.raises(ValidationError, match="non-numeric"):
        read_oecd_icio_csv(path)
    with pytest.raises(DataError, match="does not exist"):
        read_oecd_icio_csv(tmp_path / "missing.csv")


def test_truncated_file_is_caught(tmp_path: Path) -> None:
    lines = FIXTURE.read_text().splitlines()
    path = tmp_path / "cut.csv"
    path.write_text("\n".join(lines[:5] + lines[-3:]) + "\n")  # industry rows missing
    with pytest.raises(ValidationError):
        read_oecd_icio_csv(path)
