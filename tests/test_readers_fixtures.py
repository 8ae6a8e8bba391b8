"""BACI and ITPD-E readers on small fixtures written in their official layouts (tests/fixtures/readers)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ftalab.data.readers.baci import read_baci, read_baci_country_codes
from ftalab.data.readers.itpd import read_itpd_e
from ftalab.errors import DataError, ValidationError

FIX = Path(__file__).parent / "fixtures" / "readers"
BACI = FIX / "baci"
ITPD = FIX / "itpd_e" / "ITPDE_R02_sample.csv"


def test_baci_release_folder() -> None:
    b = read_baci(BACI)
    assert len(b) == 14 and b.attrs["unit"] == "thousand USD" and sorted(set(b["year"])) == [2021, 2022]
    assert b["sector"].str.len().eq(6).all() and "010121" in set(b["sector"])  # leading zero restored
    tw = b[(b["exporter"] == "TWN") & (b["year"] == 2022)]
    assert tw["importer"].item() == "CHN" and tw["value"].item() == 3750.25 and tw["quantity"].isna().item()
    assert b.attrs["code_changes"] == {"S19": "TWN"}
    assert {"CHE", "FRA", "IND", "USA"} <= set(b["exporter"]) | set(b["importer"])


def test_baci_total_and_years() -> None:
    t = read_baci(BACI, level="total", years=[2022])
    assert set(t["year"]) == {2022} and "sector" not in t.columns
    assert t.set_index(["exporter", "importer"]).loc[("CHN", "USA"), "value"] == pytest.approx(
        13.0 + 43500.75
    )
    one = read_baci(BACI / "BACI_HS17_Y2021_V202401.csv")
    assert set(one["year"]) == {2021}


def test_baci_country_codes_file() -> None:
    cc = read_baci_country_codes(BACI / "country_codes_V202401.csv").set_index("code")["iso3"]
    assert cc[490] == "TWN" and cc[842] == "USA" and cc[699] == "IND"


def _copy(tmp_path: Path) -> Path:
    dst = tmp_path / "release"
    shutil.copytree(BACI, dst)
    return dst


def _edit(folder: Path, text: str) -> None:
    (folder / "BACI_HS17_Y2022_V202401.csv").write_text(text, encoding="utf-8")


HEAD = "t,i,j,k,v,q\n"


@pytest.mark.parametrize(
    ("body", "error", "message"),
    [
        (
            "2022,156,842,847130,43500.75,1601.2\n2022,156",
            ValidationError,
            r"missing 'j' at rows \[1\] \(truncated file\?\)",
        ),
        ("2022,156,842,847130,-4.5,1.0\n", ValidationError, r"negative values v"),
        (
            "2022,156,842,847130,1,1\n2022,156,842,847130,2,2\n",
            ValidationError,
            r"duplicate t,i,j,k rows: \[\[2022, 156, 842, '847130'\]\]",
        ),
        (
            "2022,156,999,847130,1,1\n",
            ValidationError,
            r"j codes \[999\] are not in country_codes_V202401.csv",
        ),
        (
            "2022,156,842,8471,1,1\n",
            ValidationError,
            r"product codes k must be 5- or 6-digit HS codes; bad: \['8471'\]",
        ),
        ("2022,156,842,847130,abc,1\n", ValidationError, r"non-numeric 'v' values at rows \[0\]: \['abc'\]"),
    ],
)
def test_baci_bad_rows(tmp_path: Path, body: str, error: type, message: str) -> None:
    folder = _copy(tmp_path)
    _edit(folder, HEAD + body)
    with pytest.raises(error, match=message):
        read_baci(folder)


def test_baci_bad_layout(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder, "t,i,j,k,v\n2022,156,842,847130,1\n")
    with pytest.raises(ValidationError, match=r"lacks column\(s\) \['q'\]"):
        read_baci(folder)
    (folder / "country_codes_V202401.csv").unlink()
    with pytest.raises(DataError, match="no country_codes_V\\*.csv next to"):
        read_baci(folder)
    with pytest.raises(DataError, match="no BACI_HS\\?\\?_Y\\?\\?\\?\\?_V\\*.csv files in"):
        read_baci(tmp_path)
    with pytest.raises(ValidationError, match="level must be 'hs6' or 'total'"):
        read_baci(BACI, level="hs2")  # type: ignore[arg-type]


def test_itpd_e_layouts() -> None:
    i = read_itpd_e(ITPD)
    assert len(i) == 16 and i.attrs["unit"] == "million USD" and i.attrs["domestic_flows"]
    assert (i["exporter"] == i["importer"]).sum() == 8  # domestic flows kept
    assert set(i["sector"]) == {"1", "28", "53", "160"} and "broad_sector" in i.columns
    bs = read_itpd_e(ITPD, level="broad_sector")
    assert set(bs["sector"]) == {"Agriculture", "Mining & Energy", "Manufacturing", "Services"}
    tot = read_itpd_e(ITPD, level="total").set_index(["exporter", "importer"])["value"]
    assert tot[("KAZ", "CHN")] == pytest.approx(150.8 + 412.9 + 22.4 + 410.7)


def test_itpd_e_bad_inputs(tmp_path: Path) -> None:
    text = ITPD.read_text(encoding="utf-8")
    (tmp_path / "a.csv").write_text(text.replace(",trade,", ",value,", 1), encoding="utf-8")
    with pytest.raises(ValidationError, match=r"lacks column\(s\) \['trade'\]"):
        read_itpd_e(tmp_path / "a.csv")
    (tmp_path / "b.csv").write_text(
        text.replace("KAZ,Kazakhstan,CHN", "KAX,Kazakhstan,CHN", 1), encoding="utf-8"
    )
    with pytest.raises(ValidationError, match=r"exporter_iso3: 1 unknown code\(s\).*'KAX'"):
        read_itpd_e(tmp_path / "b.csv")
    (tmp_path / "c.csv").write_text(text.replace(",150.8,", ",1.5e,", 1), encoding="utf-8")
    with pytest.raises(ValidationError, match=r"non-numeric trade values at rows \[2\]"):
        read_itpd_e(tmp_path / "c.csv")
    lines = text.splitlines(keepends=True)
    (tmp_path / "d.csv").write_text("".join(lines + lines[1:2]), encoding="utf-8")
    with pytest.raises(ValidationError, match="rows share a key"):
        read_itpd_e(tmp_path / "d.csv")
    (tmp_path / "e.csv").write_text(lines[0], encoding="utf-8")
    with pytest.raises(DataError, match="has a header but no data rows"):
        read_itpd_e(tmp_path / "e.csv")
