"""Country-code concordance: legacy codes, numeric codes, UNCTAD names, checked joins."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from ftalab.data import concordance as cc
from ftalab.errors import DataWarning, ValidationError


@pytest.mark.parametrize(
    ("code", "iso3"),
    [
        ("ROM", "ROU"),
        ("ZAR", "COD"),
        ("TMP", "TLS"),
        ("SER", "SRB"),
        ("MNT", "MNE"),
        ("OAS", "TWN"),
        ("PAL", "PSE"),
        ("YUG", "SRB"),
        ("SUN", "RUS"),
        ("KSV", "XKX"),
        ("ANT", "ANT"),
        ("CHN", "CHN"),
        (" rou ", "ROU"),
        ("XKX", "XKX"),
        ("SSD", "SSD"),
    ],
)
def test_alpha_codes(code: str, iso3: str) -> None:
    assert cc.to_iso3([code]).tolist() == [iso3]


@pytest.mark.parametrize(
    ("code", "iso3"),
    [
        (156, "CHN"),
        (490, "TWN"),
        (842, "USA"),
        (251, "FRA"),
        (757, "CHE"),
        (699, "IND"),
        (579, "NOR"),
        (381, "ITA"),
        (4, "AFG"),
        ("004", "AFG"),
        ("C156", "CHN"),
        (810, "RUS"),
        (643, "RUS"),
        (58, "BEL"),
        (158, "TWN"),
    ],
)
def test_numeric_codes(code: object, iso3: str) -> None:
    assert cc.numeric_to_iso3([code]).tolist() == [iso3]


def test_to_iso3_does_not_modify_input_and_keeps_index() -> None:
    s = pd.Series(["ROM", "CHN"], index=[10, 20], name="iso")
    out = cc.to_iso3(s)
    assert s.tolist() == ["ROM", "CHN"]
    assert out.index.tolist() == [10, 20] and out.tolist() == ["ROU", "CHN"]


def test_unknown_alpha_code_is_named() -> None:
    with pytest.raises(ValidationError, match=r"unknown code\(s\).*'XYZ' \(2 rows\)"):
        cc.to_iso3(["XYZ", "CHN", "XYZ"], what="my column")


def test_unknown_alpha_code_can_be_kept_or_coerced() -> None:
    assert cc.to_iso3(["XYZ"], errors="keep").tolist() == ["XYZ"]
    assert cc.to_iso3(["XYZ"], errors="coerce").isna().all()
    assert cc.to_iso3(["WLD"], keep=["WLD"]).tolist() == ["WLD"]


def test_non_numeric_code_is_named() -> None:
    with pytest.raises(ValidationError, match="not numeric country codes: abc"):
        cc.numeric_to_iso3(["156", "abc"])
    with pytest.raises(ValidationError, match="not numeric country codes: 156.5"):
        cc.numeric_to_iso3([156.5])


def test_unknown_numeric_code_is_named() -> None:
    with pytest.raises(ValidationError, match=r"'999' \(1 rows\)"):
        cc.numeric_to_iso3([999])


def test_unctad_names_compact_and_spelled_out() -> None:
    names = [
        "ChinaTaiwanProvince",
        "China, Taiwan Province of",
        "Côte d'Ivoire",
        "TFYRofMacedonia",
        "SintBonaire",
        "SintMaarten",
        "DemRepoftheCongo",
        "KoreaDemPeoples",
    ]
    assert cc.unctad_name_to_iso3(names).tolist() == ["TWN", "TWN", "CIV", "MKD", "BES", "SXM", "COD", "PRK"]


def test_unknown_unctad_name_is_named() -> None:
    with pytest.raises(ValidationError, match="not in ftalab's UNCTAD name table: Atlantis"):
        cc.unctad_name_to_iso3(["China", "Atlantis"])


def test_unctad_table_agrees_with_provided_mapping(mirror) -> None:
    """Our hand-reviewed table gives the same ISO3 as the collector's name_to_iso3.csv for all 222 names."""
    ref = pd.read_csv(mirror / "unctad_trade_matrix_2015" / "name_to_iso3.csv")
    ours = cc.unctad_name_to_iso3(ref["name_in_file"])
    diff = ref[ours.to_numpy() != ref["iso3"].to_numpy()]
    assert len(ref) == 222 and diff.empty, diff


def test_unctad_table_agrees_with_converted_csv(mirror) -> None:
    conv = pd.read_csv(
        mirror / "unctad_trade_matrix_2015" / "unctad_merch_exports_2015_by_sitc.csv.gz",
        usecols=["exporter_iso3", "exporter_name"],
    ).drop_duplicates()
    ours = cc.unctad_name_to_iso3(conv["exporter_name"])
    assert (ours.to_numpy() == conv["exporter_iso3"].to_numpy()).all()


def test_micro_states_reviewed() -> None:
    table = pd.read_csv(
        __import__("importlib.resources").resources.files("ftalab.data")
        / "concordance_data"
        / "unctad_names.csv",
        keep_default_na=False,
    )
    micro = [
        "SintBonaire",
        "SintMaarten",
        "Curacao",
        "HolySee",
        "SanMarino",
        "Tokelau",
        "Niue",
        "SaintHelena",
    ]
    notes = table.set_index("name").loc[micro, "note"]
    assert notes.str.contains("reviewed").all()
    assert table["name"].is_unique


def test_harmonize_codes_records_changes_and_copies() -> None:
    df = pd.DataFrame({"iso_o": ["ROM", "ZAR", "CHN"], "iso_d": ["TMP", "CHN", "YUG"]})
    out = cc.harmonize_codes(df, ["iso_o", "iso_d"])
    assert df["iso_o"].tolist() == ["ROM", "ZAR", "CHN"]  # input untouched
    assert out["iso_o"].tolist() == ["ROU", "COD", "CHN"] and out["iso_d"].tolist() == ["TLS", "CHN", "SRB"]
    assert out.attrs["code_changes"] == {"ROM": "ROU", "ZAR": "COD", "TMP": "TLS", "YUG": "SRB"}


def test_harmonize_codes_missing_column() -> None:
    with pytest.raises(ValidationError, match=r"column\(s\) \['iso3'\] not in the table"):
        cc.harmonize_codes(pd.DataFrame({"a": ["CHN"]}), ["iso3"])


def _flows() -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "exporter": ["TWN", "USA", "KAZ"],
            "importer": ["CHN", "CHN", "CHN"],
            "value": [42_175_731.879, 100.0, 5.0],
        }
    )
    df.attrs["unit"] = "thousand USD"
    return df


def _gdp() -> pd.DataFrame:
    return pd.DataFrame({"iso3": ["USA", "KAZ", "CHN"], "gdp": [2.1e13, 1.8e11, 1.4e13]})


def test_checked_merge_reports_lost_taiwan() -> None:
    """An inner join on exporter GDP loses Taiwan's 42 bn USD of exports to China: the report names TWN."""
    left, right = _flows(), _gdp()
    with pytest.warns(DataWarning, match=r"TWN") as rec:
        out, rep = cc.checked_merge(
            left,
            right,
            left_on="exporter",
            right_on="iso3",
            how="inner",
            what="flows x GDP",
            value="value",
            return_report=True,
        )
    msg = str(rec[0].message)
    assert "absent from the right table: TWN" in msg and "42,175,732 thousand USD" in msg
    assert rep.missing_codes == {"exporter": ["TWN"]} and rep.lost_value == pytest.approx(42_175_731.879)
    assert not rep.ok and len(out) == 2 and out.attrs["merge_report"] is rep
    assert left.shape == (3, 3) and "gdp" not in left.columns  # inputs untouched


def test_checked_merge_raise() -> None:
    with pytest.raises(ValidationError, match=r"are dropped: TWN\."):
        cc.checked_merge(_flows(), _gdp(), left_on="exporter", right_on="iso3", errors="raise")


def test_checked_merge_left_keeps_rows_but_still_reports() -> None:
    with pytest.warns(DataWarning, match="kept with missing values"):
        out = cc.checked_merge(_flows(), _gdp(), left_on="exporter", right_on="iso3", how="left")
    assert len(out) == 3 and out["gdp"].isna().sum() == 1


def test_checked_merge_silent_when_all_match() -> None:
    left = _flows().iloc[1:]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = cc.checked_merge(left, _gdp(), left_on="exporter", right_on="iso3")
    assert out.attrs["merge_report"].ok and len(out) == 2


def test_checked_merge_pair_keys_and_bad_arguments() -> None:
    right = pd.DataFrame({"exporter": ["USA", "KAZ"], "importer": ["CHN", "CHN"], "dist": [1.0, 2.0]})
    with pytest.warns(DataWarning, match=r"\('TWN', 'CHN'\)"):
        cc.checked_merge(_flows(), right, on=["exporter", "importer"])
    with pytest.raises(ValidationError, match=r"key column\(s\) \['year'\] not in the left table"):
        cc.checked_merge(_flows(), right, on=["exporter", "year"])
    with pytest.raises(ValidationError, match="give on="):
        cc.checked_merge(_flows(), right)
    with pytest.raises(ValidationError, match="value column 'trade' not in the left table"):
        cc.checked_merge(_flows(), right, on="exporter", value="trade")


def test_iso3_table_is_the_country_table() -> None:
    # One country list serves both modules: the concordance's ISO table is the
    # country registry's non-historical rows, with the alpha-2 codes beside them.
    from ftalab.data.countries import country_table

    iso = cc.iso3_table()
    reg = country_table(include_historical=False).reset_index(drop=True)
    assert list(iso.columns) == ["iso3", "iso2", "m49", "name"]
    pd.testing.assert_frame_equal(iso[["iso3", "m49", "name"]], reg[["iso3", "m49", "name"]])
    # ISO 3166-1 alpha-2 (Debian iso-codes 4.15.0): two letters, unique; Kosovo XK (user-assigned).
    assert iso["iso2"].str.fullmatch(r"[A-Z]{2}").all()
    assert iso["iso2"].is_unique
    assert dict(zip(iso.iso3, iso.iso2, strict=True))["NAM"] == "NA"  # Namibia's code is text, not NaN
    assert dict(zip(iso.iso3, iso.iso2, strict=True))["XKX"] == "XK"
    # Withdrawn codes are mapped, not kept: YUG is in the registry but not a concordance target.
    assert "YUG" not in set(iso.iso3) and not cc.is_known_iso3("YUG")
    assert cc.to_iso3(["YUG"]).tolist() == ["SRB"]
