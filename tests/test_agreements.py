"""Agreement types, the EAEU fill and pair-level agreement tables."""

from __future__ import annotations

import pandas as pd
import pytest

from ftalab.data.agreements import (
    AGREEMENT_TYPES,
    agreement_spells,
    agreement_types,
    agreements_entered_between,
    pair_agreements,
    pair_links,
    registry_agreements,
    rule_type,
    type_rank,
)
from ftalab.data.readers.dta import read_wb_dta_rta
from ftalab.errors import ValidationError

SCO10 = ["BLR", "CHN", "IND", "IRN", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB"]


def _link(links: pd.DataFrame, a: str, b: str) -> pd.Series:
    row = links[(links.exporter == a) & (links.importer == b)]
    assert len(row) == 1, f"{a}-{b} not linked"
    return row.iloc[0]


# --------------------------------------------------------------------------- types
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Southern African Customs Union (SACU)", "CU"),
        ("Latin American Integration Association (LAIA) - Accession of Cuba", "PSA"),
        ("South Pacific Regional Trade and Economic Cooperation Agreement (SPARTECA)", "PSA"),
        ("Protocol on Trade Negotiations (PTN)", "PSA"),
        ("Economic Cooperation Organization (ECO)", "PSA"),
        ("South Asian Preferential Trade Arrangement (SAPTA)", "PSA"),
        ("India - Chile Partial Scope Agreement", "PSA"),
        ("EC (27) Enlargement", "CU & EIA"),
        ("Japan - Mongolia", "FTA"),
        ("Economic Partnership (ECOWAS)", "FTA"),  # 'ECO' must match as a whole acronym only
    ],
)
def test_name_rule(name: str, expected: str) -> None:
    assert rule_type(name) == expected


def test_every_dta_agreement_has_a_type() -> None:
    types = agreement_types()
    assert len(types) == 381
    assert types["type"].isin(AGREEMENT_TYPES).all()
    assert set(types["basis"]) == {"WTO RTA-IS", "ftalab", "name rule"}
    by_id = types.set_index("id_agree")
    # SCO-relevant agreements (explicit table).
    expected = {
        10: "PSA",  # APTA
        19: "PSA",  # GSTP
        24: "PSA",  # ECO
        35: "PSA",  # SAPTA
        136: "FTA",  # SAFTA
        133: "FTA & EIA",  # Pakistan - China (2007)
        45: "FTA",  # CIS 1994
        240: "FTA",  # CIS FTA 2011 treaty
        46: "FTA",  # Kyrgyz Republic - Kazakhstan 1995
        44: "FTA",  # Kyrgyz Republic - Uzbekistan 1998
        225: "FTA",  # Russian Federation - Uzbekistan 1993
        255: "CU & EIA",  # EAEU
        308: "PSA",  # EAEU - Iran interim agreement
        15: "PSA",  # LAIA
        317: "PSA",  # PTN
        14: "PSA",  # SPARTECA
        1: "CU & EIA",  # EU Treaty
        21: "CU & EIA",  # MERCOSUR
    }
    assert {k: by_id.loc[k, "type"] for k in expected} == expected
    # Explicit-table names match the DTA file's names exactly (the table is keyed by id_agree).
    explicit = types[types.basis != "name rule"]
    dta_names = read_wb_dta_rta().groupby("id_agree").agreement.first()
    assert (explicit.set_index("id_agree").agreement == dta_names.reindex(explicit.id_agree)).all()


def test_type_rank_and_unknown_type() -> None:
    assert type_rank("PSA") < type_rank("FTA") < type_rank("CU & EIA")
    with pytest.raises(ValidationError, match="unknown agreement type 'RTA'"):
        type_rank("RTA")


# --------------------------------------------------------------------------- SCO pairs
def test_sco_pair_types_2025() -> None:
    links = pair_links("2025-06-01", countries=SCO10)
    for a, b in [("CHN", "IND"), ("IND", "IRN"), ("IRN", "PAK")]:
        for x, y in [(a, b), (b, a)]:
            row = _link(links, x, y)
            assert row.psa_only and not row.fta_or_deeper, (x, y)
            assert row.deepest_type == "PSA"
    assert "GSTP" in _link(links, "IRN", "PAK").agreements
    assert "APTA" in _link(links, "CHN", "IND").agreements
    assert _link(links, "CHN", "PAK").deepest_type == "FTA & EIA"
    assert _link(links, "RUS", "KAZ").deepest_type == "CU & EIA"
    assert _link(links, "RUS", "IRN").deepest_type == "FTA"  # EAEU-Iran FTA from 2025-05-15
    assert _link(links, "IND", "PAK").deepest_type == "FTA"  # SAFTA
    assert _link(links, "KAZ", "UZB").deepest_type == "FTA"  # CIS FTA (registry; absent from the DTA)
    # Not linked at all: China with Russia, Iran with China.
    linked = set(zip(links.exporter, links.importer))
    assert ("CHN", "RUS") not in linked and ("CHN", "IRN") not in linked
    # Full listing of the intra-SCO pairs' deepest types (unordered pairs).
    table = {(r.exporter, r.importer): r.deepest_type for r in links.itertuples() if r.exporter < r.importer}
    assert table == {
        ("BLR", "IRN"): "FTA", ("BLR", "KAZ"): "CU & EIA", ("BLR", "KGZ"): "CU & EIA",
        ("BLR", "RUS"): "CU & EIA", ("BLR", "TJK"): "FTA", ("BLR", "UZB"): "FTA",
        ("CHN", "IND"): "PSA", ("CHN", "PAK"): "FTA & EIA", ("IND", "IRN"): "PSA",
        ("IND", "PAK"): "FTA", ("IRN", "KAZ"): "FTA", ("IRN", "KGZ"): "FTA", ("IRN", "PAK"): "PSA",
        ("IRN", "RUS"): "FTA", ("KAZ", "KGZ"): "CU & EIA", ("KAZ", "RUS"): "CU & EIA",
        ("KAZ", "TJK"): "FTA", ("KAZ", "UZB"): "FTA", ("KGZ", "RUS"): "CU & EIA",
        ("KGZ", "TJK"): "FTA", ("KGZ", "UZB"): "FTA", ("RUS", "TJK"): "FTA", ("RUS", "UZB"): "FTA",
        ("TJK", "UZB"): "FTA",
    }


def test_eaeu_iran_interim_is_partial_scope_before_the_fta() -> None:
    assert _link(pair_links("2025-05-14", ["RUS", "IRN"]), "RUS", "IRN").psa_only
    assert _link(pair_links("2019-10-27", ["RUS", "IRN"]), "RUS", "IRN").deepest_type == "PSA"
    assert pair_links("2019-10-26", ["RUS", "IRN"]).empty
    # Year convention: in force at any time in 2025 -> both the interim agreement and the FTA.
    ids = set(pair_agreements(2025, ["RUS", "IRN"]).agreement_id)
    assert ids == {"EAEU_IRN_INTERIM", "EAEU_IRN_FTA"}


@pytest.mark.parametrize("year", [2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023])
def test_eaeu_fill_rus_kaz(year: int) -> None:
    # The DTA file has no EAEU row for RUS-KAZ after 2018 (PROVENANCE.md); the registry fills it.
    links = pair_links(year, ["RUS", "KAZ"])
    for a, b in [("RUS", "KAZ"), ("KAZ", "RUS")]:
        row = _link(links, a, b)
        assert row.deepest_type == "CU & EIA" and row.fta_or_deeper


def test_eaeu_fill_all_members_2023() -> None:
    members = ["ARM", "BLR", "KAZ", "KGZ", "RUS"]
    links = pair_links(2023, members)
    assert len(links) == 20
    assert (links.deepest_type == "CU & EIA").all()


def test_eaeu_iran_artefact_dropped() -> None:
    # The DTA puts EAEU-Iran (id 308) on intra-EAEU pairs in 2019-2020; not in ftalab's tables.
    pa = pair_agreements(2019, ["RUS", "KAZ", "BLR", "KGZ"])
    assert "EAEU_IRN_INTERIM" not in set(pa.agreement_id)
    assert not (pa.id_agree == 308).any()


def test_cis_fta_suspended_between_russia_and_ukraine() -> None:
    assert "CIS_FTA_2011" in set(pair_agreements("2015-12-31", ["RUS", "UKR"]).agreement_id)
    assert "CIS_FTA_2011" not in set(pair_agreements("2016-01-01", ["RUS", "UKR"]).agreement_id)


def test_customs_union_2010() -> None:
    assert _link(pair_links("2009-12-31", ["RUS", "KAZ"]), "RUS", "KAZ").deepest_type == "FTA"
    assert _link(pair_links("2010-01-01", ["RUS", "KAZ"]), "RUS", "KAZ").deepest_type == "CU"


def test_pair_agreements_columns_and_dta_passthrough() -> None:
    pa = pair_agreements(2007, ["CHN", "PAK"])
    assert list(pa.columns) == [
        "exporter", "importer", "agreement", "agreement_id", "id_agree", "type", "entry_force", "end", "source"
    ]
    row = pa[(pa.exporter == "CHN") & (pa.agreement_id == "DTA:133")].iloc[0]
    assert row.entry_force == pd.Timestamp("2007-07-01")  # exact day from the type table
    assert row.source == "dta"
    assert pair_agreements(2006, ["CHN", "PAK"]).empty


# --------------------------------------------------------------------------- baseline update
def test_entered_between_2015_and_2025() -> None:
    new = agreements_entered_between("2015-01-01", "2025-12-31", SCO10)
    got = {(r.exporter, r.importer, r.agreement_id): r for r in new.itertuples()}
    kgz = got[("KGZ", "RUS", "EAEU")]
    assert kgz.entry_force == pd.Timestamp("2015-08-12") and kgz.deepens and kgz.type_before == "FTA"
    interim = got[("IRN", "RUS", "EAEU_IRN_INTERIM")]
    assert interim.entry_force == pd.Timestamp("2019-10-27") and interim.type == "PSA"
    fta = got[("RUS", "IRN", "EAEU_IRN_FTA")]
    assert fta.entry_force == pd.Timestamp("2025-05-15") and fta.deepens
    assert ("RUS", "KAZ", "EAEU") not in got  # entered on 2015-01-01, not after it


def test_entered_between_2009_and_2015() -> None:
    new = agreements_entered_between(2009, 2015, SCO10)
    ids = set(new[(new.exporter == "RUS") & (new.importer == "KAZ")].agreement_id)
    assert ids == {"CU_BLR_KAZ_RUS_2010", "CIS_FTA_2011", "EAEU"}
    assert set(new.agreement_id) >= {"CU_BLR_KAZ_RUS_2010", "CIS_FTA_2011", "EAEU"}
    assert new.entry_force.between("2010-01-01", "2015-12-31").all()


def test_bad_arguments() -> None:
    with pytest.raises(ValidationError, match="end 2010-12-31 is before start 2015-12-31"):
        agreements_entered_between(2015, 2010)
    with pytest.raises(ValidationError, match="unknown country codes: 'XXX'"):
        pair_links(2020, ["CHN", "XXX"])
    with pytest.raises(ValidationError, match="not a single string"):
        pair_links(2020, "CHN")
    with pytest.raises(ValidationError, match="not a valid date"):
        pair_agreements("2020-13-01")


def test_registry_agreements_table_and_spells() -> None:
    reg = registry_agreements()
    assert set(reg.agreement_id) == {
        "CU_BLR_KAZ_RUS_2010", "EAEU", "CIS_FTA_2011", "EAEU_IRN_INTERIM", "EAEU_IRN_FTA"
    }
    assert (reg.source.str.len() > 40).all()
    spells = agreement_spells()
    assert set(spells.source) == {"dta", "registry"}
    # Registry agreements replace their DTA rows entirely.
    assert not spells[(spells.source == "dta")].id_agree.isin([240, 255, 257, 264, 308]).any()
    assert (spells.exporter != spells.importer).all()


def test_unlinked_pairs_have_no_type_before() -> None:
    new = agreements_entered_between("2019-01-01", "2019-12-31", ["RUS", "IRN"])
    assert len(new) == 2
    assert new.type_before.isna().all() and new.type_before.map(lambda v: v is None).all()
    assert new.deepens.all()


def test_include_unlinked_gives_every_pair_once() -> None:
    links = pair_links("2025-06-01", SCO10, include_unlinked=True)
    assert len(links) == 90 and not links.duplicated(["exporter", "importer"]).any()
    chn_rus = _link(links, "CHN", "RUS")
    assert chn_rus.deepest_type is None and not chn_rus.fta_or_deeper and not chn_rus.psa_only
    assert chn_rus.n_agreements == 0
    # Pairs an SCO FTA scenario shocks: not already FTA/CU/EIA (unlinked or PSA-only).
    shocked = links[~links.fta_or_deeper]
    assert {("CHN", "IND"), ("IND", "IRN"), ("IRN", "PAK"), ("CHN", "RUS")} <= set(zip(shocked.exporter, shocked.importer))
    assert ("RUS", "KAZ") not in set(zip(shocked.exporter, shocked.importer))
    with pytest.raises(ValidationError, match="needs a list of countries"):
        pair_links(2020, include_unlinked=True)
