"""Doing Business historical workbook (DB2019 release) on the real file.

Reference values: PROVENANCE.md s.11, DB2019 export border compliance
hours / USD: BLR 5/108, CHN 23/305, IND 54/250, IRN 101/415, KAZ 105/470,
KGZ 5/10, PAK 75/356, RUS 66/580, TJK 51/313, UZB 112/278 (exact).
"""

from __future__ import annotations

import pandas as pd
import pytest

from ftalab.data.readers.doing_business import read_doing_business_hist
from ftalab.errors import DataError, ValidationError

EXPECTED_2019 = {
    "BLR": (5, 108),
    "CHN": (23, 305),
    "IND": (54, 250),
    "IRN": (101, 415),
    "KAZ": (105, 470),
    "KGZ": (5, 10),
    "PAK": (75, 356),
    "RUS": (66, 580),
    "TJK": (51, 313),
    "UZB": (112, 278),
}


@pytest.fixture(scope="module")
def hours() -> pd.DataFrame:
    return read_doing_business_hist("hours")


def test_hours_method_db2019(hours: pd.DataFrame) -> None:
    v = hours[hours["year"] == 2019].set_index("iso3")
    got = {
        c: (v.loc[c, "time_export_border_hours"], v.loc[c, "cost_export_border_usd"]) for c in EXPECTED_2019
    }
    assert got == EXPECTED_2019
    assert hours["year"].between(2015, 2019).all() and (hours["data_year"] == hours["year"] - 1).all()
    assert not any(c.endswith("_days") for c in hours.columns)  # methods never mixed


def test_single_city_flag(hours: pd.DataFrame) -> None:
    v = hours[hours["year"] == 2019].set_index("iso3")
    assert v.loc[["CHN", "IND", "PAK", "RUS"], "single_city"].all()
    assert v.loc[["CHN", "IND", "PAK", "RUS"], "city"].tolist() == ["Shanghai", "Mumbai", "Karachi", "Moscow"]
    assert not v.loc[["KAZ", "KGZ", "BLR"], "single_city"].any()
    assert hours["iso3"].is_unique is False and not hours.duplicated(["iso3", "year"]).any()
    assert "ROU" in set(hours["iso3"]) and "XKX" in set(hours["iso3"])  # ROM, KSV remapped


def test_weighted_rows_and_days_method() -> None:
    w = read_doing_business_hist(economies="weighted")
    chn = w[(w["iso3"] == "CHN") & (w["year"] == 2019)]
    assert chn["economy"].item() == "China" and chn["time_export_border_hours"].item() == pytest.approx(25.9)
    assert not chn["single_city"].item()
    days = read_doing_business_hist("days")
    assert days["year"].between(2006, 2015).all() and "time_export_days" in days.columns
    assert not any("hours" in c for c in days.columns)
    assert days.set_index(["iso3", "year"]).loc[("CHN", 2006), "time_export_days"] == 23


def test_bad_method_and_layout(tmp_path) -> None:
    with pytest.raises(ValidationError, match="method must be 'hours' or 'days', got 'weeks'"):
        read_doing_business_hist("weeks")  # type: ignore[arg-type]
    # header on the first row instead of the second: the official layout is not recognised
    df = pd.DataFrame({"Country code": ["CHN"], "Economy": ["China Shanghai"], "DB Year": [2019]})
    with pd.ExcelWriter(tmp_path / "db.xlsx") as xw:
        df.to_excel(xw, sheet_name="All Data", index=False)
    with pytest.raises(
        ValidationError,
        match=r"header found on the wrong row \(row 1\); the official workbook has it on the second row",
    ):
        read_doing_business_hist(path=tmp_path / "db.xlsx")
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(DataError, match="cannot read .*broken.xlsx"):
        read_doing_business_hist(path=tmp_path / "broken.xlsx")


def test_agrees_with_csv_extract(mirror, hours: pd.DataFrame) -> None:
    """The workbook read gives the same numbers as the collector's CSV extract of the same sheet."""
    csv = pd.read_csv(mirror / "doing_business_hist" / "db2019_trading_across_borders_2004_2019.csv")
    csv = csv[csv["Country code"] == "CHN"].set_index("DB Year")
    col = "Time to import: Border compliance (hours) (DB16-19 methodology)"
    ours = hours[hours["iso3"] == "CHN"].set_index("year")["time_import_border_hours"]
    assert (ours - pd.to_numeric(csv.loc[ours.index, col])).abs().max() == 0
    full = pd.read_csv(mirror / "doing_business_hist" / "db2019_trading_across_borders_2004_2019.csv")
    # drop second cities (CHN_Beij) and the weighted national rows (CHIN, US, ...; JAP has 3 letters)
    main = full[(full["Country code"].str.len() == 3) & (full["Country code"] != "JAP")]
    n_csv = pd.to_numeric(main[col], errors="coerce").notna().sum()
    assert n_csv == hours["time_import_border_hours"].notna().sum()
