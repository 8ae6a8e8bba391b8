"""WIOD 2011 reader, the WIOD -> ICIO concordance and the IO shares of the ICIO world."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ftalab.data import load
from ftalab.data.io_shares import icio_io_shares, no_io_shares, wiod_icio_concordance, wiod_region_shares
from ftalab.data.readers.icio import read_icio
from ftalab.data.readers.wiod import WIOD_INDUSTRIES, read_wiod_2011, read_wiod_file
from ftalab.errors import DataError, ValidationError


@pytest.fixture(scope="module")
def wiod():
    return read_wiod_2011()


@pytest.fixture(scope="module")
def w22():
    return read_icio(2022)


@pytest.fixture(scope="module")
def shares(wiod, w22):
    return icio_io_shares(w22.countries, w22.sectors, w22.gross_output(), wiod=wiod)


def test_wiod_layout_and_accounting(wiod) -> None:
    assert wiod.year == 2011 and wiod.shape == (41, 35)
    assert wiod.countries[-1] == "ROW" and "ROU" in wiod.countries and "ROM" not in wiod.countries
    assert {"CHN", "IND", "RUS"} <= set(wiod.countries)
    assert wiod.industries == list(WIOD_INDUSTRIES)
    # rows: intermediate + final use = gross output (rounding in the file: at most 108 of 3.4 million)
    gap = np.abs(wiod.inter.sum(axis=1) + wiod.final.sum(axis=1) - wiod.output)
    assert gap.max() <= 108
    # world value added 69.3 tn USD; WDI world GDP 2011 (NY.GDP.MKTP.CD) was about 73.4 tn: within 10 %
    assert wiod.value_added().sum() / 1e6 == pytest.approx(69.3, abs=0.1)
    assert 0.9 < wiod.value_added().sum() / 73.4e6 < 1.0
    assert (wiod.value_added() >= 0).all()


def test_load_uses_the_registered_reader() -> None:
    assert load("wiod_2013").shape == (41, 35)


def test_damaged_wiod_file(tmp_path: Path, mirror: Path) -> None:
    bad = tmp_path / "wiot_2011.RData"
    bad.write_bytes((mirror / "wiod_2013" / "wiot_2011.RData").read_bytes()[:4000])
    with pytest.raises(DataError, match="WIOD file wiot_2011.RData"):
        read_wiod_file(bad)


def test_concordance_covers_both_classifications(w22) -> None:
    conc = wiod_icio_concordance()
    assert set(conc["wiod"]) == set(WIOD_INDUSTRIES)
    assert set(conc["icio"]) == set(w22.sectors)
    assert set(conc.loc[conc["icio"] == "C13T15", "wiod"]) == {"c4", "c5"}
    assert (conc["icio"] == "Services (aggregate)").sum() == 19


def test_shares_add_up_and_stay_in_range(shares, w22) -> None:
    assert shares.va_shares.shape == (81, 28) and shares.io_shares.shape == (81, 28, 28)
    assert np.all((shares.va_shares > 0) & (shares.va_shares < 1))
    np.testing.assert_allclose(shares.va_shares + shares.io_shares.sum(axis=1), 1.0, atol=1e-12)
    assert (shares.io_shares >= 0).all()


def test_own_table_where_wiod_has_it_rows_otherwise(shares, wiod) -> None:
    assert shares.source["CHN"] == "WIOD 2011 CHN"
    assert shares.source["KAZ"] == "WIOD 2011 RoW (proxy)"
    assert shares.source["ROW"] == "WIOD 2011 RoW"
    table = shares.source_table()
    assert table.loc[table.country == "PAK", "proxy"].item()
    assert not table.loc[table.country == "RUS", "proxy"].item()
    # CHN's services value-added share equals WIOD's c17..c35 aggregate for CHN
    n = wiod.countries.index("CHN")
    out = wiod.output_by_country()[n, 16:].sum()
    va = wiod.value_added()[n, 16:].sum()
    i = shares.countries.index("CHN")
    assert shares.va_shares[i, -1] == pytest.approx(va / out, rel=1e-12)
    # the three agriculture sectors share WIOD c1's structure
    assert shares.va_shares[i, 0] == shares.va_shares[i, 1] == shares.va_shares[i, 2]


def test_named_proxy_and_bad_proxy(wiod, w22) -> None:
    s = icio_io_shares(w22.countries, w22.sectors, w22.gross_output(), wiod=wiod, proxies={"KAZ": "RUS"})
    k, r = s.countries.index("KAZ"), s.countries.index("RUS")
    assert s.source["KAZ"] == "WIOD 2011 RUS (proxy)"
    np.testing.assert_allclose(s.va_shares[k], s.va_shares[r])
    with pytest.raises(ValidationError, match="not WIOD regions"):
        icio_io_shares(w22.countries, w22.sectors, w22.gross_output(), wiod=wiod, proxies={"KAZ": "XXX"})
    with pytest.raises(ValidationError, match="shape"):
        icio_io_shares(w22.countries, w22.sectors, w22.gross_output()[:5], wiod=wiod)


def test_region_shares_of_an_unknown_region(wiod, w22) -> None:
    with pytest.raises(ValidationError, match="not a WIOD region"):
        wiod_region_shares(wiod, "KGZ", w22.sectors)


def test_no_io_variant(w22) -> None:
    s = no_io_shares(w22.countries, w22.sectors)
    assert np.all(s.va_shares == 1) and np.all(s.io_shares == 0)
    assert s.source_table()["proxy"].sum() == 0
