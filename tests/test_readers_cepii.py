"""CEPII GeoDist (real files in the mirror) and CEPII Gravity (fixture in the official layout).

Reference values: PROVENANCE.md s.2 (KAZ-KGZ contig=1, comlang_off=1, distw=884.7 km;
KAZ-CHN contig=1, distw=4007.9 km; 50,176 = 224 x 224 pairs; distw missing for
2,215 pairs; 225 unique iso3 in geo_cepii; landlocked KAZ KGZ TJK UZB AFG ARM AZE
MNG NPL). Distances to 0.1 km (the file has 4 decimals).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ftalab.data.readers.cepii import read_cepii_geo, read_cepii_geodist, read_cepii_gravity
from ftalab.errors import DataError, ValidationError

FIXTURE = Path(__file__).parent / "fixtures" / "readers" / "cepii_gravity" / "Gravity_V202211_sample.csv"


def test_geodist_values_and_codes() -> None:
    d = read_cepii_geodist()
    assert len(d) == 50_176 and d["distw"].isna().sum() == 2_215
    pair = d.set_index(["exporter", "importer"])
    assert pair.loc[("KAZ", "KGZ"), "contig"] == 1 and pair.loc[("KAZ", "KGZ"), "comlang_off"] == 1
    assert pair.loc[("KAZ", "KGZ"), "distw"] == pytest.approx(884.7, abs=0.1)
    assert pair.loc[("KAZ", "CHN"), "distw"] == pytest.approx(4007.9, abs=0.1)
    codes = set(d["exporter"])
    assert {"ROU", "COD", "TLS", "PSE", "SRB", "ANT"} <= codes and not {
        "ROM",
        "ZAR",
        "YUG",
        "PAL",
        "TMP",
    } & codes
    assert d.attrs["units"]["distw"] == "km"
    assert len(read_cepii_geodist(internal=False)) == 50_176 - 224


def test_geo_country_file() -> None:
    g = read_cepii_geo()
    assert len(g) == 225 and g["iso3"].is_unique
    kaz = g.set_index("iso3").loc["KAZ"]
    assert kaz["city_en"] == "Astana" and kaz["cap"] == 1  # capital row kept, not Almaty
    land = set(g.loc[g["landlocked"] == 1, "iso3"])
    assert {"KAZ", "KGZ", "TJK", "UZB", "AFG", "ARM", "AZE", "MNG", "NPL"} <= land
    assert g.set_index("iso3").loc["ROU", "iso3_in_file"] == "ROM"


def test_gravity_fixture() -> None:
    g = read_cepii_gravity(FIXTURE)
    assert len(g) == 6  # the non-existing RUS row of 1990 is dropped
    assert g.loc[g["year"] == 1990, "exporter"].tolist() == ["RUS"]  # SUN -> RUS
    assert "main_city_source_o" not in g.columns and {"distw_harmonic", "fta_wto"} <= set(g.columns)
    sub = read_cepii_gravity(FIXTURE, columns=["distw_harmonic", "contig"])
    assert list(sub.columns) == ["exporter", "importer", "year", "distw_harmonic", "contig"]
    # keeping non-existing countries makes SUN and RUS both RUS in 1990: refused, not summed
    with pytest.raises(
        ValidationError, match=r"2 rows share a key.*exporter='RUS', importer='CHN', year=1990"
    ):
        read_cepii_gravity(FIXTURE, existing_only=False)


def test_gravity_bad_inputs(tmp_path) -> None:
    with pytest.raises(DataError, match="not found; download it from the CEPII Gravity page"):
        read_cepii_gravity(tmp_path / "nope.csv")
    src = pd.read_csv(FIXTURE)
    src.drop(columns=["iso3_o"]).to_csv(tmp_path / "a.csv", index=False)
    with pytest.raises(ValidationError, match=r"lacks column\(s\) \['iso3_o'\]"):
        read_cepii_gravity(tmp_path / "a.csv")
    with pytest.raises(ValidationError, match=r"lacks column\(s\) \['distw'\]"):
        read_cepii_gravity(FIXTURE, columns=["distw"])
    src.assign(iso3_d=src["iso3_d"].replace({"KGZ": "QQQ"})).to_csv(tmp_path / "b.csv", index=False)
    with pytest.raises(ValidationError, match=r"iso3_d: 1 unknown code\(s\).*'QQQ'"):
        read_cepii_gravity(tmp_path / "b.csv")
    pd.concat([src, src.tail(1)]).to_csv(tmp_path / "c.csv", index=False)
    with pytest.raises(ValidationError, match="rows share a key"):
        read_cepii_gravity(tmp_path / "c.csv")
