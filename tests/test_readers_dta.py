"""The World Bank DTA toolkit RTA reader on the real file and on small fixtures."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from ftalab.data.countries import is_known_iso3
from ftalab.data.readers.dta import DTA_COLUMNS, collapse_rta, read_wb_dta_rta
from ftalab.errors import DataError, ValidationError


def _fixture_frame() -> pd.DataFrame:
    # A few rows in the official layout (same column names and Stata types).
    rows = [
        (10, 1976, "Asia Pacific Trade Agreement (APTA)", "CHN", "IND", 2002, 1, 0),
        (10, 1976, "Asia Pacific Trade Agreement (APTA)", "IND", "CHN", 2002, 1, 0),
        (133, 2007, "Pakistan - China", "CHN", "PAK", 2007, 1, 0),
        (133, 2007, "Pakistan - China", "PAK", "CHN", 2007, 1, 0),
        (19, 1989, "Global System of Trade Preferences among Developing Countries (GSTP)", "IRN", "PAK", 2007, 1, 0),
        (24, 1992, "Economic Cooperation Organization (ECO)", "IRN", "PAK", 2007, 1, 1),
    ]
    df = pd.DataFrame(
        rows, columns=["id_agree", "entry_force", "agreement", "iso_o", "iso_d", "year", "rta_v2", "drop_overlap"]
    )
    return df.astype({"id_agree": "int16", "entry_force": "int16", "year": "int16", "rta_v2": "int8", "drop_overlap": "int8"})


def _write_zip(path: Path, df: pd.DataFrame, member: str = "bilateral_rta_Toolkit_test.dta") -> Path:
    buf = io.BytesIO()
    df.to_stata(buf, write_index=False, version=118)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(member, buf.getvalue())
    return path


# --------------------------------------------------------------------------- real file
def test_real_file_counts() -> None:
    # PROVENANCE.md section 4: 251,112 rows, 381 agreements, 210 countries, years 1958-2023.
    dta = read_wb_dta_rta()
    assert list(dta.columns) == list(DTA_COLUMNS)
    assert len(dta) == 251_112
    assert dta["id_agree"].nunique() == 381
    assert dta["agreement"].nunique() == 381
    assert (dta["year"].min(), dta["year"].max()) == (1958, 2023)
    assert len(set(dta.exporter) | set(dta.importer)) == 210
    # PROVENANCE.md: drop_overlap == 1 on 8,388 rows.
    assert int(dta["drop_overlap"].sum()) == 8_388
    assert all(is_known_iso3(c) for c in set(dta.exporter) | set(dta.importer))
    assert not dta["agreement"].str.endswith(" ").any()


def test_real_file_collapse_matches_overlap_flag() -> None:
    dta = read_wb_dta_rta()
    pairs = collapse_rta(dta)
    assert list(pairs.columns) == ["exporter", "importer", "year", "rta"]
    assert (pairs.rta == 1).all()
    assert not pairs.duplicated(["exporter", "importer", "year"]).any()
    # Each pair-year keeps exactly one row with drop_overlap == 0 (251,112 - 8,388).
    assert len(pairs) == 242_724 == int((dta.drop_overlap == 0).sum())


def test_real_file_sco_agreements_2023() -> None:
    dta = read_wb_dta_rta()
    y = dta[dta.year == 2023]
    pair = lambda a, b: set(y[(y.exporter == a) & (y.importer == b)].agreement)  # noqa: E731
    assert pair("CHN", "IND") == {"Asia Pacific Trade Agreement (APTA)"}
    assert pair("IND", "IRN") == {"Global System of Trade Preferences among Developing Countries (GSTP)"}
    assert pair("CHN", "PAK") == {"Pakistan - China"}
    # The known gap: no EAEU row for RUS-KAZ after 2018 (PROVENANCE.md).
    assert not any("Eurasian Economic Union (EAEU)" == a for a in pair("RUS", "KAZ"))


def test_csv_conversion_reads_identically(mirror: Path) -> None:
    csv = mirror / "wb_dta_rta" / "bilateral_rta_Toolkit_202401.csv.gz"
    assert read_wb_dta_rta(csv).equals(read_wb_dta_rta())


def test_result_is_a_fresh_copy() -> None:
    a = read_wb_dta_rta()
    a.loc[0, "exporter"] = "ZZZ"
    assert read_wb_dta_rta().loc[0, "exporter"] != "ZZZ"


# --------------------------------------------------------------------------- fixtures
def test_fixture_zip_and_plain_dta(tmp_path: Path) -> None:
    df = _fixture_frame()
    out = read_wb_dta_rta(_write_zip(tmp_path / "rta.zip", df))
    assert len(out) == 6
    assert out.loc[0, ["exporter", "importer", "year", "id_agree"]].tolist() == ["CHN", "IND", 2002, 10]
    df.to_stata(tmp_path / "rta.dta", write_index=False)
    assert read_wb_dta_rta(tmp_path / "rta.dta").equals(out)
    assert collapse_rta(out).query("exporter == 'IRN'").shape[0] == 1  # GSTP + ECO -> one pair-year


def test_fixture_input_not_modified(tmp_path: Path) -> None:
    out = read_wb_dta_rta(_write_zip(tmp_path / "rta.zip", _fixture_frame()))
    before = out.copy()
    collapse_rta(out)
    pd.testing.assert_frame_equal(out, before)


def _bad(tmp_path: Path, df: pd.DataFrame) -> Path:
    return _write_zip(tmp_path / "bad.zip", df)


def test_missing_column(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"lacks column\(s\) \['iso_d'\]"):
        read_wb_dta_rta(_bad(tmp_path, _fixture_frame().drop(columns="iso_d")))


def test_rta_v2_is_optional(tmp_path: Path) -> None:
    assert len(read_wb_dta_rta(_bad(tmp_path, _fixture_frame().drop(columns="rta_v2")))) == 6


def test_truncated_zip(tmp_path: Path) -> None:
    good = _write_zip(tmp_path / "good.zip", _fixture_frame()).read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(good[: len(good) // 2])
    with pytest.raises(DataError, match="not a readable zip archive .*truncated"):
        read_wb_dta_rta(cut)


def test_zip_without_dta(tmp_path: Path) -> None:
    path = tmp_path / "nodta.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "no data here")
    with pytest.raises(DataError, match=r"holds no Stata \.dta file \(contents: \['readme.txt'\]\)"):
        read_wb_dta_rta(path)


def test_zip_with_two_dta(tmp_path: Path) -> None:
    path = tmp_path / "two.zip"
    buf = io.BytesIO()
    _fixture_frame().to_stata(buf, write_index=False)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("a.dta", buf.getvalue())
        z.writestr("b.dta", buf.getvalue())
    with pytest.raises(DataError, match="several .dta files"):
        read_wb_dta_rta(path)


def test_damaged_dta_inside_zip(tmp_path: Path) -> None:
    path = tmp_path / "junk.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("x.dta", b"this is not a stata file" * 10)
    with pytest.raises(DataError, match="cannot read DTA file .*truncated or damaged"):
        read_wb_dta_rta(path)


def test_missing_file_and_wrong_extension(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="not found"):
        read_wb_dta_rta(tmp_path / "absent.zip")
    other = tmp_path / "rta.xlsx"
    other.write_bytes(b"x")
    with pytest.raises(DataError, match=r"must be a \.zip"):
        read_wb_dta_rta(other)


def test_empty_cells(tmp_path: Path) -> None:
    df = _fixture_frame()
    df.loc[2, "iso_o"] = None
    with pytest.raises(ValidationError, match=r"empty cells in column\(s\) \['iso_o'\]"):
        read_wb_dta_rta(_bad(tmp_path, df))


def test_bad_country_code(tmp_path: Path) -> None:
    df = _fixture_frame()
    df.loc[1, "iso_d"] = "CN"
    with pytest.raises(ValidationError, match=r"iso_d holds non-ISO3 code\(s\) \['CN'\]"):
        read_wb_dta_rta(_bad(tmp_path, df))


def test_duplicate_rows(tmp_path: Path) -> None:
    df = pd.concat([_fixture_frame(), _fixture_frame().iloc[[0]]], ignore_index=True)
    with pytest.raises(ValidationError, match=r"1 duplicated \(id_agree, exporter, importer, year\) row\(s\), e.g. \[10, 'CHN', 'IND', 2002\]"):
        read_wb_dta_rta(_bad(tmp_path, df))


def test_bad_year_and_flag(tmp_path: Path) -> None:
    df = _fixture_frame()
    df["year"] = df["year"].astype("int16")
    df.loc[0, "year"] = 207
    with pytest.raises(ValidationError, match="implausible year 207"):
        read_wb_dta_rta(_bad(tmp_path, df))
    df = _fixture_frame()
    df.loc[0, "drop_overlap"] = 2
    with pytest.raises(ValidationError, match="drop_overlap must be 0 or 1"):
        read_wb_dta_rta(_write_zip(tmp_path / "flag.zip", df))


def test_non_integer_year(tmp_path: Path) -> None:
    df = _fixture_frame().astype({"year": "float64"})
    df.loc[3, "year"] = 2007.5
    with pytest.raises(ValidationError, match="column 'year' must hold integers, found 2007.5"):
        read_wb_dta_rta(_bad(tmp_path, df))


def test_collapse_needs_columns() -> None:
    with pytest.raises(ValidationError, match=r"collapse_rta needs columns \['year'\]"):
        collapse_rta(pd.DataFrame({"exporter": ["CHN"], "importer": ["IND"]}))


def test_registry_load_uses_this_reader() -> None:
    from ftalab.data import load

    assert len(load("wb_dta_rta")) == 251_112
