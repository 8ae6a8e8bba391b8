"""UNCTAD 2015 matrix and MFN tariffs, read from the original files in the mirror.

Reference values: ../shared/data/PROVENANCE.md, section 8 (UNCTAD 2015, thousand
USD) and section 10 (MFN tariffs). Tolerance: 1 thousand USD on single cells
(the .dta stores the values with three decimals), 0.5 on sums.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ftalab.data import load
from ftalab.data.readers.unctad import (
    read_unctad_mfn_tariffs_manuf,
    read_unctad_trade_matrix_2015,
    unctad_2015_matrix,
)
from ftalab.errors import DataError, ValidationError

SCO = ["CHN", "RUS", "IND", "PAK", "KAZ", "KGZ", "TJK", "UZB", "IRN", "BLR"]


@pytest.fixture(scope="module")
def all_products() -> pd.DataFrame:
    return read_unctad_trade_matrix_2015()


@pytest.fixture(scope="module")
def sections() -> pd.DataFrame:
    return read_unctad_trade_matrix_2015(None)


def test_shape_units_and_spot_values(all_products: pd.DataFrame) -> None:
    df = all_products
    assert len(df) == 27_473  # PROVENANCE s.8: 27,473 directed pairs with a value
    assert df.attrs["unit"] == "thousand USD" and (df["year"] == 2015).all()
    assert df["exporter"].nunique() == 217 and df["importer"].nunique() == 222
    cell = df.set_index(["exporter", "importer"])["value"]
    assert cell["CHN", "USA"] == pytest.approx(410_804_880, abs=1)  # PROVENANCE s.8
    assert cell["USA", "CHN"] == pytest.approx(116_186_202, abs=1)
    assert cell["DEU", "FRA"] == pytest.approx(114_264_552, abs=1)
    assert df.loc[df["exporter"] == "CHN", "value"].sum() == pytest.approx(2_281_775_098, abs=1)
    assert df["value"].sum() / 1e6 == pytest.approx(16_357, abs=0.5)  # world total 16,357 bn USD
    assert (df["exporter"] != df["importer"]).all() and (df["value"] == 0).sum() == 16


def test_missing_pairs_are_unknown_not_zero(all_products: pd.DataFrame) -> None:
    m = unctad_2015_matrix(flows=all_products)
    block = m.loc[SCO, SCO]
    off = ~np.eye(len(SCO), dtype=bool)
    assert m.shape == (222, 222) and np.isnan(np.diag(m.to_numpy())).all()
    assert int(np.isfinite(block.to_numpy()[off]).sum()) == 87  # 87 of 90 present (PROVENANCE s.8)
    missing = {(e, i) for e in SCO for i in SCO if e != i and np.isnan(block.loc[e, i])}
    assert missing == {("UZB", "TJK"), ("UZB", "IRN"), ("IRN", "UZB")}


def test_sections_sum_to_total(all_products: pd.DataFrame, sections: pd.DataFrame) -> None:
    assert sections["sector"].nunique() == 10
    by_pair = sections.groupby(["exporter", "importer"])["value"].sum()
    total = all_products.set_index(["exporter", "importer"])["value"]
    common = total.index.intersection(by_pair.index)
    ratio = by_pair[common].sum() / total[common].sum()
    assert ratio == pytest.approx(1.0, abs=1e-4)  # PROVENANCE s.8: ratio 1.000


def test_agrees_with_converted_csv(mirror, all_products: pd.DataFrame) -> None:
    conv = pd.read_csv(mirror / "unctad_trade_matrix_2015" / "unctad_merch_exports_2015_by_sitc.csv.gz")
    conv = (
        conv[conv["product"] == "All"]
        .set_index(["exporter_iso3", "importer_iso3"])["value_thousand_usd"]
        .sort_index()
    )
    ours = all_products.set_index(["exporter", "importer"])["value"].sort_index()
    assert ours.index.equals(conv.index)
    np.testing.assert_allclose(ours.to_numpy(), conv.to_numpy(), rtol=0, atol=1e-3)


def test_one_section_and_load(all_products: pd.DataFrame) -> None:
    fuels = read_unctad_trade_matrix_2015("SITC3")
    assert set(fuels["sector"]) == {"SITC3_MineralFuels"}
    assert load("unctad_trade_matrix_2015").equals(all_products)


def test_unknown_product() -> None:
    with pytest.raises(ValidationError, match="unknown product 'SITC10'.*SITC0_Food"):
        read_unctad_trade_matrix_2015("SITC10")


def test_truncated_dta(tmp_path, mirror) -> None:
    src = (mirror / "unctad_trade_matrix_2015" / "orig" / "15DiGraph_All.dta").read_bytes()
    (tmp_path / "15DiGraph_All.dta").write_bytes(src[: len(src) // 3])
    with pytest.raises(DataError, match=r"cannot read .*15DiGraph_All.dta.*damaged, truncated"):
        read_unctad_trade_matrix_2015(path=tmp_path)


def test_wrong_layout_and_unknown_name(tmp_path) -> None:
    pd.DataFrame({"from": ["China"], "to": ["Japan"], "w": [1.0]}).to_stata(
        tmp_path / "15DiGraph_All.dta", write_index=False
    )
    with pytest.raises(ValidationError, match=r"lacks column\(s\) \['source', 'target', 'edgewidth'\]"):
        read_unctad_trade_matrix_2015(path=tmp_path)
    pd.DataFrame(
        {"source": ["China", "Atlantis"], "target": ["Japan", "China"], "edgewidth": [1.0, 2.0]}
    ).to_stata(tmp_path / "15DiGraph_All.dta", write_index=False)
    with pytest.raises(
        ValidationError,
        match="source \\(exporter\\) names: 1 name\\(s\\) not in ftalab's UNCTAD name table: Atlantis",
    ):
        read_unctad_trade_matrix_2015(path=tmp_path)


def test_negative_and_duplicate_values(tmp_path) -> None:
    bad = pd.DataFrame({"source": ["China", "Japan"], "target": ["Japan", "China"], "edgewidth": [1.0, -2.0]})
    bad.to_stata(tmp_path / "15DiGraph_All.dta", write_index=False)
    with pytest.raises(ValidationError, match="negative values at row 1: exporter='JPN', importer='CHN'"):
        read_unctad_trade_matrix_2015(path=tmp_path)
    dup = pd.DataFrame({"source": ["China", "China"], "target": ["Japan", "Japan"], "edgewidth": [1.0, 2.0]})
    dup.to_stata(tmp_path / "15DiGraph_All.dta", write_index=False)
    with pytest.raises(ValidationError, match="2 rows share a key"):
        read_unctad_trade_matrix_2015(path=tmp_path)


def test_mfn_tariffs() -> None:
    t = read_unctad_mfn_tariffs_manuf()
    assert t.attrs["unit"] == "percent" and t["product"].nunique() == 6
    sub = t[t["product"] == "Manufactured goods, ores and metals"]
    years = sub[sub["year"].between(2009, 2017)].groupby("iso3")["year"].nunique()
    # PROVENANCE s.10: BLR 9 yrs, RUS 9, KGZ 9, IND 8, KAZ 8, PAK 8, CHN 7, TJK 7, UZB 4, IRN only 2011
    assert years[["BLR", "RUS", "KGZ", "IND", "KAZ", "PAK", "CHN", "TJK", "UZB", "IRN"]].tolist() == [
        9,
        9,
        9,
        8,
        8,
        8,
        7,
        7,
        4,
        1,
    ]
    afg = t[
        (t["iso3"] == "AFG") & (t["year"] == 2004) & (t["product"] == "Manufactured goods, ores and metals")
    ]
    assert afg["mfn_simple_avg_pct"].item() == pytest.approx(
        4.3
    )  # first numeric AFG cell in the original export
    assert "EUN" not in set(t["iso3"]) and "EUN" in set(
        read_unctad_mfn_tariffs_manuf(include_aggregates=True)["iso3"]
    )
    with pytest.raises(ValidationError, match="unknown product 'Food'"):
        read_unctad_mfn_tariffs_manuf("Food")


def test_mfn_tariffs_agree_with_long_conversion(mirror) -> None:
    """Same values as the collector's long CSV; that conversion lost Afghanistan's first line (6 values)."""
    ours = read_unctad_mfn_tariffs_manuf(include_aggregates=True)
    conv = pd.read_csv(mirror / "unctad_mfn_tariffs_manuf" / "unctad_mfn_simple_avg_manuf_groups_long.csv")
    conv["v"] = pd.to_numeric(conv["mfn_simple_avg_pct"], errors="coerce")  # '_' = not available
    m = ours.merge(conv, on=["market", "product", "year"], how="outer", indicator=True)
    both = m[m["_merge"] == "both"]
    assert len(both) == 19_632 and (both["mfn_simple_avg_pct_x"] - both["v"]).abs().max() == 0
    only_ours = m[m["_merge"] == "left_only"]
    assert set(zip(only_ours["market"], only_ours["product"], strict=True)) == {
        ("Afghanistan", "Manufactured goods, ores and metals")
    }
    assert len(only_ours) == 6
    # rows only in the conversion are '_' placeholders or the former economies left out on purpose
    only_conv = m[(m["_merge"] == "right_only") & m["v"].notna()]
    assert set(only_conv["market"]) == {
        "Indonesia (...2002)",
        "Sudan (...2011)",
        "Serbia and Montenegro",
        "Czechoslovakia",
    }
