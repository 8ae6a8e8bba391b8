"""WDI GDP and tariff readers on the real files.

Reference values: PROVENANCE.md s.6a (GDP 2019: CHN 1.428e13, KGZ 8.87e9, TJK
8.30e9, UZB 5.77e10; 217 economies) and s.9 (2019 applied/MFN weighted: IND
6.59/8.77, IRN 15.43/15.43, BLR 2.82/10.95; 7,614 non-null values in the long
file). GDP to 3 significant digits as quoted; tariffs exact to 1e-9.
"""

from __future__ import annotations

import pandas as pd
import pytest

from ftalab.data import load
from ftalab.data.readers.wdi import (
    TARIFF_SERIES,
    read_wdi_gdp,
    read_wdi_tariff_subset47,
    read_wdi_tariffs_2025,
)
from ftalab.errors import ValidationError


def test_gdp_current_default() -> None:
    g = read_wdi_gdp()
    assert g.attrs["unit"] == "current USD" and g.attrs["series"] == "NY.GDP.MKTP.CD"
    # 217 economies in the file; VGB, PYF, GIB, PRK, NCL, MAF have no GDP value in any year
    assert g["iso3"].nunique() == 211 and not {"PRK", "VGB"} & set(g["iso3"])
    v = g[g["year"] == 2019].set_index("iso3")["gdp"]
    assert v["CHN"] == pytest.approx(1.428e13, rel=5e-4)
    assert v["KGZ"] == pytest.approx(8.87e9, rel=5e-4)
    assert v["TJK"] == pytest.approx(8.30e9, rel=5e-4)
    assert v["UZB"] == pytest.approx(5.77e10, rel=5e-4)
    assert load("wdi").equals(g)


def test_gdp_constant_is_labelled() -> None:
    g = read_wdi_gdp("constant2010")
    assert (
        g.attrs["unit"] == "constant 2010 USD"
        and "not consistent with current-dollar trade" in g.attrs["notes"][1]
    )
    assert "WLD" in g.attrs["dropped_aggregates"] and "WLD" not in set(g["iso3"])
    assert g["year"].between(2009, 2018).all()
    pc = read_wdi_gdp("per_capita")
    assert pc.attrs["unit"] == "current USD per person" and "gdp_per_capita" in pc.columns
    with pytest.raises(ValidationError, match="unknown series 'real'"):
        read_wdi_gdp("real")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("indicator", "ind", "irn", "blr"), [("applied", 6.59, 15.43, 2.82), ("MFN", 8.77, 15.43, 10.95)]
)
def test_tariffs_2025(indicator: str, ind: float, irn: float, blr: float, mirror) -> None:
    t = read_wdi_tariffs_2025(indicator)  # type: ignore[arg-type]
    v = t[t["year"] == 2019].set_index("iso3")["tariff_pct"]
    assert (v["IND"], v["IRN"], v["BLR"]) == pytest.approx((ind, irn, blr), abs=1e-9)
    # the .xls files agree with the long CSV conversion, cell by cell (aggregates included)
    long = pd.read_csv(mirror / "wdi_tariffs_2025" / "wdi_tariff_weighted_applied_mfn_long.csv")
    long = long[long["indicator_code"] == TARIFF_SERIES[indicator]]
    full = read_wdi_tariffs_2025(indicator, include_aggregates=True)  # type: ignore[arg-type]
    m = full.merge(long, on=["iso3", "year"], how="outer", indicator=True)
    assert (m["_merge"] == "both").all()
    assert (m["tariff_pct"] - m["value_pct"]).abs().max() < 1e-9
    assert len(full) < len(long) + 1 and set(t["iso3"]) <= set(long.loc[~long["is_aggregate"], "iso3"])


def test_tariff_long_file_total(mirror) -> None:
    n = len(read_wdi_tariffs_2025("applied", include_aggregates=True)) + len(
        read_wdi_tariffs_2025("MFN", include_aggregates=True)
    )
    assert n == 7_614  # PROVENANCE s.9


def test_subset47_uses_corrected_labels() -> None:
    applied = read_wdi_tariff_subset47("applied")
    assert applied.attrs["series"] == "TM.TAX.MRCH.WM.AR.ZS"
    # ARE 2005: AR.ZS (applied) = 4.2 although the source labelled it MFN_WEIGHTED
    assert applied.set_index(["iso3", "year"]).loc[("ARE", 2005), "tariff_pct"] == pytest.approx(4.2)
    with pytest.raises(ValidationError, match="indicator must be 'MFN' or 'applied'"):
        read_wdi_tariffs_2025("bound")  # type: ignore[arg-type]
