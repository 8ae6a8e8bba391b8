"""Country registry: ISO3 codes, names, M49 codes."""

from __future__ import annotations

import pytest

from ftalab.data.countries import check_iso3, country_name, country_table, is_known_iso3, m49_code
from ftalab.errors import ValidationError

SCO10 = ["CHN", "RUS", "KAZ", "KGZ", "TJK", "UZB", "IND", "PAK", "IRN", "BLR"]


def test_table_shape_and_columns() -> None:
    table = country_table()
    assert list(table.columns) == ["iso3", "m49", "name", "official_name", "status", "valid_until", "note"]
    assert table.iso3.is_unique
    # ISO 3166-1 has 249 current codes (pycountry 26.2.16); plus XKX.
    assert (table.status == "current").sum() == 249
    assert len(country_table(include_historical=False)) == 250


def test_names_and_m49() -> None:
    assert [country_name(c) for c in ("KGZ", "IRN", "TWN")] == ["Kyrgyzstan", "Iran", "Taiwan"]
    # UN M49: India 356, China 156, Russian Federation 643, Afghanistan 004 (zero-padded).
    assert m49_code("IND") == "356"
    assert m49_code("CHN") == "156"
    assert m49_code("RUS") == "643"
    assert m49_code("AFG") == "004"
    assert m49_code("XKX") is None
    assert all(is_known_iso3(c) for c in SCO10)


def test_historical_and_user_assigned_codes() -> None:
    # Codes found in trade data: Yugoslavia (DTA, PTN rows), USSR, Kosovo (World Bank code).
    for code in ("YUG", "SUN", "CSK", "ZAR", "XKX"):
        assert is_known_iso3(code), code
    table = country_table().set_index("iso3")
    assert table.loc["YUG", "status"] == "historical"
    assert table.loc["XKX", "status"] == "user-assigned"


def test_unknown_codes_are_named() -> None:
    assert not is_known_iso3("chn")
    assert not is_known_iso3(None)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"unknown country code 'ABC'.*ISO 3166-1 alpha-3"):
        country_name("ABC")
    with pytest.raises(ValidationError, match=r"unknown exporters: 'QQQ', 'ZZZ'"):
        check_iso3(["CHN", "ZZZ", "QQQ"], what="exporters")
    assert check_iso3(("CHN", "IND")) == ["CHN", "IND"]


def test_table_is_a_copy() -> None:
    t = country_table()
    t.loc[:, "name"] = "x"
    assert country_name("CHN") == "China"
