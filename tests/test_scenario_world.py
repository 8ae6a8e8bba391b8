"""The default world and the named data pitfalls, on the real files (offline mirror)."""

from __future__ import annotations

import pytest

from ftalab.scenario import shocks as S
from ftalab.scenario.schema import BaselineSpec
from ftalab.scenario.world import build_world

SCO_2025 = ["BLR", "CHN", "IND", "IRN", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB"]


@pytest.fixture(scope="module")
def world():
    return build_world(BaselineSpec(), members=tuple(SCO_2025))


def test_world_size_and_members(world) -> None:
    # UNCTAD 2015 (PROVENANCE.md section 8): 217 exporters, 222 importers; 27,473 reported pairs
    assert len(world.codes) == 222
    assert len(world.international) == 27_473
    assert set(SCO_2025) <= set(world.codes)
    flows = world.flows()
    dom = flows[flows["exporter"] == flows["importer"]]
    assert len(dom) == 222 and (dom["value"] > 0).all()


def test_taiwan_not_lost(world) -> None:
    c = world.countries
    assert "TWN" in c.index
    assert c.loc["TWN", "domestic_flag"] == "imputed" and c.loc["TWN", "domestic"] > 0
    twn_chn = world.international.query("exporter == 'TWN' and importer == 'CHN'")["value"].sum()
    # Taiwan's exports to China are tens of billions of USD (thousand USD in the table)
    assert twn_chn > 40e6
    notes = " ".join(n.text for n in world.notes)
    assert "TWN" in notes and "not dropped" in notes


def test_negative_domestic_sales_caught(world) -> None:
    c = world.countries
    neg = c[c["domestic_raw"] < 0]
    # Hong Kong and Singapore re-export more goods than their GDP in 2015.
    assert {"HKG", "SGP"} <= set(neg.index)
    assert (neg["domestic_flag"] == "floor").all()
    assert (c["domestic"] > 0).all()
    assert any("HKG" in n.countries and "floor" in n.text for n in world.notes)


def test_unknown_cells_reported(world) -> None:
    unk = set(zip(world.unknown["exporter"], world.unknown["importer"]))
    for pair in [("UZB", "TJK"), ("UZB", "IRN"), ("IRN", "UZB")]:
        assert pair in unk
    intra = [(e, i) for e, i in unk if e in SCO_2025 and i in SCO_2025]
    assert len(intra) == 3  # 87 of 90 intra-SCO cells present (PROVENANCE.md section 8)
    text = " ".join(n.text for n in world.notes)
    assert "UZB→TJK" in text and "unknown, not zero" in text


@pytest.mark.parametrize("when", ["2019-06-30", "2021-06-30", "2025-06-30"])
def test_eaeu_present_after_2018(when: str) -> None:
    # The DTA file drops the EAEU after 2018; the agreement registry fills it in.
    from ftalab.scenario.runner import _links

    links = _links(when, ["ARM", "BLR", "KAZ", "KGZ", "RUS"]).set_index(["exporter", "importer"])
    for pair in [("RUS", "KAZ"), ("KAZ", "RUS"), ("BLR", "RUS"), ("KGZ", "KAZ"), ("ARM", "RUS")]:
        assert links.loc[pair, "fta_or_deeper"], pair
        assert "Eurasian Economic Union" in links.loc[pair, "agreements"], pair


def test_india_mfn_not_bound_rate(world) -> None:
    from ftalab.data.readers.wto import read_wto_bound_tariffs
    from ftalab.scenario.tariffs import mfn_by_importer

    rate, detail, _ = mfn_by_importer(world.codes, 2015, required=SCO_2025)
    bound = read_wto_bound_tariffs().set_index("iso3")["bound_simple_avg_pct"]
    # WDI MFN weighted mean 2015 for India is 7.49 (wdi_tariffs_2025); WTO bound average 48.5.
    assert rate["IND"] == pytest.approx(7.49, abs=1e-9)
    assert bound["IND"] == pytest.approx(48.5, abs=0.1)
    assert rate["IND"] < bound["IND"] / 3 and rate["PAK"] < bound["PAK"] / 3
    # Iran has only 2011, 2019, 2020: nearest to 2015 (tie -> 2011)
    assert detail.set_index("iso3").loc["IRN", "year_used"] == 2011


def test_psa_pairs_shocked_fta_cu_pairs_not() -> None:
    from ftalab.scenario.runner import _links

    links = _links("2025-06-30", SCO_2025)
    marked = S.fta_pairs(S.member_pairs(SCO_2025), links).set_index(["exporter", "importer"])
    for a, b in [("CHN", "IND"), ("IND", "IRN"), ("IRN", "PAK")]:
        assert marked.loc[(a, b), "shocked"] and marked.loc[(b, a), "shocked"], (a, b)
        assert marked.loc[(a, b), "existing"] == "PSA"
    for a, b in [("KAZ", "RUS"), ("BLR", "RUS"), ("CHN", "PAK"), ("IND", "PAK"), ("IRN", "RUS")]:
        assert not marked.loc[(a, b), "shocked"], (a, b)


def test_alternative_world_2009() -> None:
    w = build_world(BaselineSpec(world="wits2009"), members=tuple(SCO_2025))
    assert w.year == 2009 and set(SCO_2025) <= set(w.codes)
    assert (w.international["source_flag"] != "unknown").all()
    text = " ".join(n.text for n in w.notes)
    assert "mirror" in text and "2009" in text and "trough" in text
