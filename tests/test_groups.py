"""Group membership timelines (SCO, EAEU, CIS FTA) and user group files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from ftalab.data.groups import (
    as_date,
    get_group,
    group_codes,
    groups_of,
    load_groups,
    members,
    membership_timeline,
    registry_groups,
)
from ftalab.errors import DataError, ValidationError

FIX = Path(__file__).parent / "fixtures" / "groups"
FOUNDERS = ["CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB"]


# --- SCO timeline: founders 15 Jun 2001; IND, PAK 9 Jun 2017; IRN 4 Jul 2023; BLR 4 Jul 2024
@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("2001-06-14", []),
        ("2001-06-15", FOUNDERS),
        ("2016-12-31", FOUNDERS),
        ("2017-06-08", FOUNDERS),
        ("2017-06-09", sorted(FOUNDERS + ["IND", "PAK"])),
        ("2023-07-03", sorted(FOUNDERS + ["IND", "PAK"])),
        ("2023-07-04", sorted(FOUNDERS + ["IND", "PAK", "IRN"])),
        ("2024-07-03", sorted(FOUNDERS + ["IND", "PAK", "IRN"])),
        ("2024-07-04", sorted(FOUNDERS + ["IND", "PAK", "IRN", "BLR"])),
    ],
)
def test_sco_members_at_dates(when: str, expected: list[str]) -> None:
    assert members("SCO", when) == expected


def test_sco_counts_named_in_the_brief() -> None:
    assert len(members("SCO", "2016-12-31")) == 6
    assert len(members("SCO", "2017-06-09")) == 8
    assert len(members("SCO", "2024-07-04")) == 10


def test_year_means_end_of_year_and_date_types_agree() -> None:
    assert members("SCO", 2017) == members("SCO", "2017-12-31")
    assert members("SCO", dt.date(2017, 6, 9)) == members("SCO", pd.Timestamp("2017-06-09"))
    assert members("SCO", dt.datetime(2017, 6, 9, 12)) == members("SCO", "2017-06-09")


def test_sco_observers_change_status_on_accession() -> None:
    # India was an observer until the day before it became a member.
    assert "IND" in members("SCO", "2017-06-08", role="observer")
    assert "IND" not in members("SCO", "2017-06-09", role="observer")
    assert members("SCO", "2013-01-01", role="observer") == ["AFG", "IND", "IRN", "MNG", "PAK"]
    assert members("SCO", "2020-01-01", role="observer") == ["AFG", "BLR", "IRN", "MNG"]
    # Belarus: dialogue partner 2009, observer 2015, member 2024.
    assert groups_of("BLR", "2010-01-01", role="dialogue_partner") == ["SCO"]
    assert "BLR" in members("SCO", "2016-01-01", role="observer")


def test_sco_partner_status_after_tianjin_2025() -> None:
    assert members("SCO", "2025-09-01", role="observer") == []
    assert members("SCO", "2025-09-01", role="dialogue_partner") == []
    partners = members("SCO", "2025-09-01", role="partner")
    assert {"MNG", "AFG", "TUR", "EGY", "SAU"} <= set(partners)


def test_afghanistan_status_is_flagged_uncertain() -> None:
    tl = membership_timeline("SCO")
    afg = tl[(tl.iso3 == "AFG") & (tl.role == "observer")].iloc[0]
    assert afg.start == pd.Timestamp("2012-06-07")
    assert bool(afg.uncertain)
    assert "2021" in afg.note


def test_eaeu_and_predecessors() -> None:
    assert members("EAEU", "2014-12-31") == []
    assert members("EAEU", "2015-01-01") == ["BLR", "KAZ", "RUS"]
    assert members("EAEU", "2015-01-02") == ["ARM", "BLR", "KAZ", "RUS"]
    assert members("EAEU", "2015-08-11") == ["ARM", "BLR", "KAZ", "RUS"]
    assert members("EAEU", "2015-08-12") == ["ARM", "BLR", "KAZ", "KGZ", "RUS"]
    assert members("EAEU_CU", "2010-01-01") == ["BLR", "KAZ", "RUS"]
    assert members("EAEU_CU", "2009-12-31") == []
    assert members("EAEU_CU", "2015-01-01") == []
    assert members("EURASEC", "2007-01-01") == ["BLR", "KAZ", "KGZ", "RUS", "TJK", "UZB"]
    assert members("EURASEC", "2009-01-01") == ["BLR", "KAZ", "KGZ", "RUS", "TJK"]


def test_cis_fta_entry_dates() -> None:
    assert members("CIS_FTA", "2012-09-20") == ["BLR", "RUS", "UKR"]
    assert members("CIS_FTA", "2012-12-31") == ["ARM", "BLR", "KAZ", "MDA", "RUS", "UKR"]
    assert set(members("CIS_FTA", "2016-01-01")) == {"ARM", "BLR", "KAZ", "KGZ", "MDA", "RUS", "TJK", "UKR", "UZB"}
    ukr = membership_timeline("CIS_FTA").query("iso3 == 'UKR'").iloc[0]
    assert bool(ukr.uncertain)  # status after 2023 noted as not established
    assert "2023" in get_group("CIS_FTA").note


def test_groups_of() -> None:
    assert groups_of("KAZ", "2016-01-01") == ["CIS_FTA", "EAEU", "SCO"]
    assert groups_of("KGZ", "2015-08-11") == ["CIS_FTA", "SCO"]
    assert groups_of("IRN", "2025-01-01") == ["SCO"]
    assert groups_of("IRN", "2025-01-01", role="observer") == ["EAEU"]
    with pytest.raises(ValidationError, match="unknown country code 'XXX'"):
        groups_of("XXX", "2020-01-01")


def test_timeline_table_and_sources() -> None:
    tl = membership_timeline("SCO")
    assert list(tl.columns) == ["group", "iso3", "name", "role", "start", "end", "uncertain", "source", "note"]
    assert tl.loc[tl.iso3 == "IND", "name"].iloc[0] == "India"
    # Every built-in entry cites a source (keys are expanded to the full citation).
    for code in group_codes():
        t = membership_timeline(code)
        assert (t.source.str.len() > 20).all(), code
    assert "Astana" in tl[(tl.iso3 == "IND") & (tl.role == "member")].source.iloc[0]


def test_registry_groups_is_a_copy() -> None:
    g = registry_groups()
    g.pop("SCO")
    assert "SCO" in registry_groups()


def test_unknown_group_and_role() -> None:
    with pytest.raises(ValidationError, match="unknown group 'ASEAN'.*SCO"):
        members("ASEAN", "2020-01-01")
    with pytest.raises(ValidationError, match="unknown role 'guest'"):
        members("SCO", "2020-01-01", role="guest")
    with pytest.raises(ValidationError, match="not a valid date"):
        members("SCO", "2020-02-30")
    with pytest.raises(ValidationError, match="must be a date"):
        as_date(2.5)  # type: ignore[arg-type]


# --- user files
def test_load_good_user_file() -> None:
    groups = load_groups(FIX / "good.toml")
    assert sorted(groups) == ["CA_SCO", "CORRIDOR"]
    assert members("CA_SCO", "2001-07-01", groups=groups) == ["KAZ", "KGZ", "TJK", "UZB"]
    assert members("CA_SCO", "2010-01-01", groups=groups) == ["KAZ", "KGZ", "TJK", "UZB"]
    assert members("CORRIDOR", "2021-01-01", role="partner", groups=groups) == ["IRN"]
    assert groups_of("IRN", "2021-01-01", role="partner", groups=groups) == ["CORRIDOR"]
    tl = membership_timeline("CA_SCO", groups=groups)
    assert tl.loc[tl.iso3 == "KAZ", "source"].iloc[0].startswith("Declaration")  # key expanded
    assert len(tl[tl.iso3 == "UZB"]) == 2


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("bad_unknown_code", r"bad_unknown_code\.toml, group 'TEST', member entry #2 \(XYZ\): unknown country code 'XYZ'"),
        ("bad_lowercase_code", r"group 'TEST', member entry #1 \(kaz\): unknown country code 'kaz' \(codes are upper case\)"),
        ("bad_date_string", r"group 'TEST', member entry #1 \(IND\): start = '2017-02-30' is not a valid date"),
        ("bad_date_toml", r"bad_date_toml\.toml: not valid TOML .*YYYY-MM-DD"),
        ("bad_date_type", r"member entry #1 \(IND\): start = 2017 is not a valid date"),
        ("bad_duplicate", r"group 'TEST', member entry #3 \(PAK\): duplicate member: PAK is already listed as member from 2017-06-09 \(entry #1\)"),
        ("bad_end_before_start", r"member entry #1 \(IRN\): end 2005-07-05 is before start 2023-07-04"),
        ("bad_role", r"member entry #1 \(MNG\): unknown role 'watcher'"),
        ("bad_unknown_key", r"member entry #1 \(MNG\): unknown key\(s\) \['joined'\]"),
        ("bad_missing_start", r"member entry #1 \(MNG\): missing required key 'start'"),
        ("bad_no_members", r"group 'TEST': no members"),
        ("bad_schema_version", r"schema_version 2 is not supported"),
        ("bad_syntax", r"bad_syntax\.toml: not valid TOML"),
        ("bad_top_key", r"unknown top-level key\(s\) \['group'\]"),
    ],
)
def test_bad_user_files(name: str, pattern: str) -> None:
    with pytest.raises(ValidationError, match=pattern):
        load_groups(FIX / f"{name}.toml")


def test_missing_user_file() -> None:
    with pytest.raises(DataError, match="group file .*nope.toml not found"):
        load_groups(FIX / "nope.toml")
