"""LPI, WTO bound tariffs, gegravity sample and Advanced Guide readers on the real files.

Reference values: PROVENANCE.md s.5 (630 rows; BLR missing in 2010, IRN in 2014),
s.7 (bound averages CHN 10.0, IND 48.5, PAK 60.8, RUS 7.5, KAZ 6.5, KGZ 7.5,
TJK 7.9 to 0.05; UZB, IRN, BLR absent; 137 reporters), gegravity section (900
rows, 30 exporters), s.1 (99,981 rows, 69 countries, 1986-2006).
"""

from __future__ import annotations

import pytest

from ftalab.data import load
from ftalab.data.readers.advanced_guide import advanced_guide_files, read_advanced_guide
from ftalab.data.readers.gegravity import read_gegravity_sample
from ftalab.data.readers.lpi import read_wb_lpi
from ftalab.data.readers.wto import read_wto_bound_tariffs
from ftalab.errors import ValidationError


def test_lpi() -> None:
    lpi = read_wb_lpi()
    assert len(lpi) == 630 and set(lpi["year"]) == {2010, 2012, 2014, 2016}
    assert {"ROU", "COD"} <= set(lpi["iso3"]) and not {"ROM", "ZAR"} & set(lpi["iso3"])
    assert "BLR" not in set(lpi.loc[lpi["year"] == 2010, "iso3"]) and "IRN" not in set(
        lpi.loc[lpi["year"] == 2014, "iso3"]
    )
    deu = lpi.set_index(["iso3", "year"]).loc[("DEU", 2010)]
    assert deu["lpi"] == pytest.approx(4.11) and deu["lpi_rank"] == 1  # first row of the file


def test_wto_bound() -> None:
    w = read_wto_bound_tariffs().set_index("iso3")["bound_simple_avg_pct"]
    assert len(w) == 137
    expected = {"CHN": 10.0, "IND": 48.5, "PAK": 60.8, "RUS": 7.5, "KAZ": 6.5, "KGZ": 7.5, "TJK": 7.9}
    assert {k: round(w[k], 1) for k in expected} == expected
    assert not {"UZB", "IRN", "BLR"} & set(w.index) and {"TWN", "MNE", "EUN"} <= set(w.index)


def test_gegravity_sample() -> None:
    g = read_gegravity_sample()
    assert len(g) == 900 and g["exporter"].nunique() == 30 and g.attrs["domestic_flows"]
    assert (g["exporter"] == g["importer"]).sum() == 30
    assert g.set_index(["exporter", "importer"]).loc[("GBR", "AUS"), "value"] == 4310  # first row of the file
    assert {"Y", "E", "pta", "lndist"} <= set(g.columns) and g.attrs["unit"] == "million USD"
    # gegravity's examples/README.md: derived from the Advanced Guide's 1_TradeWithoutBorder.dta;
    # values are that file's rounded to integers (tolerance 0.5), DEU being ZZZ there
    ag = read_advanced_guide("1_TradeWithoutBorder").replace(
        {"exporter": {"ZZZ": "DEU"}, "importer": {"ZZZ": "DEU"}}
    )
    m = g.merge(ag[["exporter", "importer", "value"]], on=["exporter", "importer"], suffixes=("", "_ag"))
    assert len(m) == 900 and (m["value"] - m["value_ag"]).abs().max() <= 0.5


def test_advanced_guide_default_and_dta() -> None:
    a = load("advanced_guide")
    assert (
        a.shape == (99_981, 17) and a.attrs["unit"] == "million USD" and a["year"].between(1986, 2006).all()
    )
    assert len(set(a["exporter"])) == 69 and "ROU" in set(a["exporter"]) and "ROM" not in set(a["exporter"])
    assert {"dist", "cntg", "lang", "clny", "rta", "pair_id"} <= set(a.columns)
    b = read_advanced_guide("Chapter1Application1")
    both = a.merge(b, on=["exporter", "importer", "year"], suffixes=("", "_dta"))
    assert (
        len(both) == 99_981 and (both["value"] - both["value_dta"]).abs().max() < 1e-3 * both["value"].max()
    )
    tw = read_advanced_guide("1_TradeWithoutBorder.dta")
    assert "ZZZ" in set(tw["exporter"]) and {"intl_brdr", "ln_dist"} <= set(tw.columns)
    assert "agtpa_applications" in advanced_guide_files()


def test_advanced_guide_unknown_file() -> None:
    with pytest.raises(ValidationError, match="unknown file 'Chapter9'; choose one of"):
        read_advanced_guide("Chapter9")


MINE = [
    "advanced_guide",
    "unctad_trade_matrix_2015",
    "wits_trade_2009",
    "cepii_geodist",
    "wdi",
    "wdi_tariffs_2025",
    "unctad_mfn_tariffs_manuf",
    "doing_business_hist",
    "wb_lpi",
    "wto_tariffs",
    "gegravity_sample",
]


@pytest.mark.parametrize("name", MINE)
def test_registered_reader_contract(name: str) -> None:
    """Every registered reader returns a canonical table: kind, dataset, ISO3 keys, recorded units."""
    from ftalab.data.concordance import known_iso3

    df = load(name)
    assert df.attrs["kind"] in {"flows", "pair_covariates", "country_year"} and df.attrs["dataset"] == name
    keys = ["iso3"] if df.attrs["kind"] == "country_year" else ["exporter", "importer"]
    codes = set().union(*(set(df[k]) for k in keys))
    assert codes - known_iso3() <= {"ZZZ", "EUN"}  # ZZZ: the book's renamed Germany; EUN: the EU in WTO data
    if df.attrs["kind"] == "flows":
        assert df.attrs["unit"] in {"thousand USD", "million USD"}
    else:
        assert df.attrs["units"] or df.attrs.get("unit")
