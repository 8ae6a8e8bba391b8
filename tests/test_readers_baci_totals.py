"""BACI 2023 totals reader: real file, published totals, unknown stays unknown."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from ftalab.data import load
from ftalab.data.readers.baci_totals import GDP_YEAR, read_baci_gdp, read_baci_totals
from ftalab.errors import DataError, ValidationError


@pytest.fixture(scope="module")
def totals():
    return read_baci_totals()


def _pair(df, i, j) -> float:
    return float(df.loc[(df.exporter == i) & (df.importer == j), "value_usd"].iloc[0])


def test_all_ordered_pairs_in_usd(totals) -> None:
    assert list(totals.columns) == ["exporter", "importer", "value_usd"]
    assert len(totals) == 194 * 193
    assert not (totals.exporter == totals.importer).any()
    # PROVENANCE §14 (values as published by CEPII BACI V202501): CHN->USA 440.5 bn,
    # USA->CHN 145.3 bn, world total 21.75 trillion USD.
    assert _pair(totals, "CHN", "USA") == pytest.approx(440.48e9, rel=1e-4)
    assert _pair(totals, "USA", "CHN") == pytest.approx(145.3e9, rel=1e-3)
    assert totals.value_usd.sum() == pytest.approx(21.7497e12, rel=1e-4)
    assert _pair(totals, "CHN", "KGZ") == pytest.approx(18.18e9, rel=1e-3)
    assert totals.attrs["year"] == 2023


def test_unreported_pairs_are_nan_not_zero(totals) -> None:
    # 12,238 empty cells including the 194 diagonal ones.
    assert int(totals.value_usd.isna().sum()) == 12238 - 194
    assert (totals.value_usd.dropna() > 0).all()
    for i, j in [("RUS", "BLR"), ("BLR", "RUS"), ("RUS", "IRN"), ("RUS", "TJK")]:
        assert np.isnan(_pair(totals, i, j)), (i, j)


def test_gdp_is_2023_wdi() -> None:
    gdp = read_baci_gdp()
    assert gdp.name == "gdp_usd" and len(gdp) == 194 and GDP_YEAR == 2023
    # WDI NY.GDP.MKTP.CD 2023: KGZ 13.99 bn, CHN 17.79 tn (2022: 10.9 bn / 17.88 tn).
    assert gdp["KGZ"] == pytest.approx(13.99e9, rel=1e-3)
    assert gdp["CHN"] == pytest.approx(17.795e12, rel=1e-3)


def test_registry_load_uses_the_reader() -> None:
    assert len(load("baci_2023_totals")) == 194 * 193


def _copy(mirror: Path, tmp_path: Path) -> Path:
    out = tmp_path / "baci"
    shutil.copytree(mirror / "baci_2023_totals", out)
    for f in out.iterdir():
        f.chmod(0o644)
    return out


def test_truncated_matrix_is_a_data_error(mirror: Path, tmp_path: Path) -> None:
    d = _copy(mirror, tmp_path)
    lines = (d / "trade_cepii.csv").read_text().splitlines()
    (d / "trade_cepii.csv").write_text("\n".join(lines[:50]) + "\n")
    with pytest.raises(DataError, match="49 x 194.*194 economies"):
        read_baci_totals(path=d)


def test_negative_value_is_named(mirror: Path, tmp_path: Path) -> None:
    d = _copy(mirror, tmp_path)
    lines = (d / "trade_cepii.csv").read_text().splitlines()
    cells = lines[1].split(",")
    cells[1] = "-5"
    lines[1] = ",".join(cells)
    (d / "trade_cepii.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(ValidationError, match="negative trade value at ABW->AFG"):
        read_baci_totals(path=d)
