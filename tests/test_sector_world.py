"""The carved sector world: totals conserved, ROW non-negative, a source for every derived cell."""

from __future__ import annotations

import numpy as np
import pytest

from ftalab.data.carve_out import sitc_icio_concordance
from ftalab.data.icio_tariffs import clean_icio_tariffs
from ftalab.data.readers.icio import read_icio
from ftalab.data.readers.unctad import UNCTAD_SECTIONS
from ftalab.data.sector_world import DEFAULT_CARVE, build_sector_world, final_demand_check
from ftalab.errors import ValidationError

CARVED = list(DEFAULT_CARVE)


@pytest.fixture(scope="module")
def icio():
    return read_icio(2022)


@pytest.fixture(scope="module")
def world(icio):
    return build_sector_world(2022, icio=icio)


def test_all_ten_members_have_their_own_rows(world) -> None:
    sco = {"CHN", "RUS", "KAZ", "KGZ", "TJK", "UZB", "IND", "PAK", "IRN", "BLR"}
    assert sco <= set(world.countries)
    assert world.countries[-1] == "ROW" and len(world.countries) == 85
    n, s = len(world.countries), len(world.sectors)
    assert world.flows.shape == world.tariffs.shape == (n, n, s)
    assert world.va_shares.shape == (n, s) and world.io_shares.shape == (n, s, s)
    assert world.deficits.shape == (n,)
    assert repr(world) == "SectorWorld(year=2022, 85 economies x 28 sectors, carved: KGZ, TJK, UZB, IRN)"


def test_totals_are_conserved(world, icio) -> None:
    old = icio.flows  # [sector, importer, exporter]
    new = world.flows  # [importer, exporter, sector]
    np.testing.assert_allclose(new.sum(axis=(0, 1)), old.sum(axis=(1, 2)), rtol=1e-12)
    # every ICIO pair of economies keeps its cells exactly
    base = [c for c in icio.countries if c != "ROW"]
    oi = [icio.countries.index(c) for c in base]
    ni = [world.countries.index(c) for c in base]
    np.testing.assert_array_equal(new[np.ix_(ni, ni)], old[:, oi][:, :, oi].transpose(1, 2, 0))
    # each old ROW cell = its remainder + what the carved economies took from it
    carved = [world.countries.index(c) for c in CARVED]
    ro_new, ro_old = world.countries.index("ROW"), icio.countries.index("ROW")
    for b in ("CHN", "RUS", "DEU"):
        bn, bo = world.countries.index(b), icio.countries.index(b)
        np.testing.assert_allclose(new[bn, [*carved, ro_new]].sum(axis=0), old[:, bo, ro_old], rtol=1e-12)
        np.testing.assert_allclose(new[[*carved, ro_new], bn].sum(axis=0), old[:, ro_old, bo], rtol=1e-12)
    block = [*carved, ro_new]
    np.testing.assert_allclose(new[np.ix_(block, block)].sum(axis=(0, 1)), old[:, ro_old, ro_old], rtol=1e-12)


def test_row_stays_non_negative_and_keeps_its_floor(world, icio) -> None:
    ro_new, ro_old = world.countries.index("ROW"), icio.countries.index("ROW")
    assert (world.flows >= 0).all()
    assert world.flows[ro_new].min() >= 0 and world.flows[:, ro_new].min() >= 0
    floor = world.notes["row_floor"]
    assert np.all(world.flows[ro_new, ro_new] >= floor * icio.flows[:, ro_old, ro_old] - 1e-9)
    for b in ("CHN", "IND", "CHE"):
        bn, bo = world.countries.index(b), icio.countries.index(b)
        assert np.all(world.flows[bn, ro_new] >= floor * icio.flows[:, bo, ro_old] - 1e-9)


def test_every_derived_cell_has_a_source(world) -> None:
    src = world.sources
    assert set(src["quantity"]) == {"flow", "tariff"}
    flows = src[src.quantity == "flow"]
    n, s = len(world.countries), len(world.sectors)
    # all cells with a carved economy on either side, and every ROW remainder
    carved_cells = sum(1 for i in world.countries for e in world.countries if (i in CARVED or e in CARVED))
    row_cells = 2 * (n - len(CARVED) - 1) + 1
    assert len(flows) == (carved_cells + row_cells) * s
    assert not flows.duplicated(["importer", "exporter", "sector"]).any()
    assert flows["source"].str.len().min() > 0
    first = set(flows["source"].str.split("|").str[0])
    assert first <= {"baci2023", "baci2023_rest", "unctad2015", "no_source", "row_remainder", "gdp_proxy:KAZ", "gdp_proxy:RUS"}
    # RUS <-> IRN and RUS <-> TJK have no BACI record: filled from UNCTAD 2015
    one = flows[(flows.importer == "RUS") & (flows.exporter == "IRN") & (flows.sector == "A01")]
    assert one["source"].item().startswith("unctad2015|sitc_pair")
    tariffs = src[src.quantity == "tariff"]
    assert len(tariffs) == (carved_cells - len(CARVED)) * int(world.is_goods.sum())


def test_carve_out_numbers(world) -> None:
    co = world.carve_out.set_index("economy")
    assert list(co.index) == CARVED
    # GDP 2023 (WDI via BACI): KGZ 13.99 bn USD (PROVENANCE §14)
    assert co.loc["KGZ", "gdp"] == pytest.approx(13_987.6, abs=1)
    # entrepot: KGZ's recorded goods imports exceed its GDP and are cut to it at most
    assert co.loc["KGZ", "goods_imports_recorded"] > co.loc["KGZ", "gdp"]
    assert co.loc["KGZ", "goods_imports"] <= co.loc["KGZ", "gdp"] + 1e-6
    assert (world.adjustments["rule"] == "entrepot_cut").sum() == 1
    assert world.adjustments.loc[world.adjustments.rule == "entrepot_cut", "partner"].item() == "CHN"
    # a carved economy produces: gross output above GDP, below 3x GDP
    assert np.all(co["gross_output"] > co["gdp"]) and np.all(co["gross_output"] < 3 * co["gdp"])
    assert 0.6 < world.notes["baci_scale"] < 0.9


def test_tariff_rules(world, icio) -> None:
    cleaned, _ = clean_icio_tariffs(icio)
    c = world.countries.index
    goods = np.flatnonzero(world.is_goods)
    blr_o, chn_o = icio.countries.index("BLR"), icio.countries.index("CHN")
    # KGZ applies the EAEU common external tariff: BLR's cleaned rate on CHN, by sector
    np.testing.assert_allclose(world.tariffs[c("KGZ"), c("CHN"), goods], cleaned[goods, blr_o, chn_o])
    # zero inside the EAEU and the CIS free trade area
    assert np.all(world.tariffs[c("KGZ"), c("RUS")] == 0) and np.all(world.tariffs[c("RUS"), c("KGZ")] == 0)
    assert np.all(world.tariffs[c("TJK"), c("UZB")] == 0)
    # MFN elsewhere: TJK's WDI MFN weighted mean, 2021 (6.36 %), on CHN in every goods sector
    np.testing.assert_allclose(world.tariffs[c("TJK"), c("CHN"), goods], 0.0636)
    # partial-scope partners pay MFN (IRN-EAEU interim agreement)
    assert world.tariffs[c("IRN"), c("RUS"), goods[0]] > 0.05
    # services and domestic sales are never tariffed; ROW's imports stay unknown (0)
    assert np.all(world.tariffs[:, :, ~world.is_goods] == 0)
    assert np.all(world.tariffs[np.arange(85), np.arange(85)] == 0)
    assert np.all(world.tariffs[c("ROW")] == 0)
    # the ICIO economies keep their cleaned rates
    assert world.tariffs[c("IND"), c("DEU"), -1] == 0
    np.testing.assert_allclose(world.tariffs[c("RUS"), c("CHN"), goods], cleaned[goods, icio.countries.index("RUS"), chn_o])


def test_shares_and_proxies(world) -> None:
    np.testing.assert_allclose(world.va_shares + world.io_shares.sum(axis=1), 1.0, atol=1e-12)
    assert np.all((world.va_shares > 0) & (world.va_shares < 1))
    px = world.proxies
    assert set(px.loc[px.drives.str.startswith("domestic"), "proxy"]) == {"KAZ", "RUS"}
    assert set(CARVED) <= set(px.loc[px.drives.str.startswith("value-added"), "economy"])


def test_final_demand_check_reports_negative_shares(world) -> None:
    fd = final_demand_check(world)
    assert len(fd) == 85 * 28
    # proxy IO shares imply negative final demand in some cells: the GE's baseline adjustment is needed
    assert (fd.alpha < 0).sum() > 0
    np.testing.assert_allclose(fd.groupby("country").alpha.sum(), 1.0, atol=1e-9)


def test_uncarved_and_no_io_variants(icio) -> None:
    w = build_sector_world(2022, carve=(), io=False, icio=icio)
    assert len(w.countries) == 81 and w.carved == [] and len(w.sources) == 0
    np.testing.assert_array_equal(w.flows, icio.flows.transpose(1, 2, 0))
    assert np.all(w.va_shares == 1) and np.all(w.io_shares == 0)
    assert w.ge_inputs("U4")["io_share"] is None
    np.testing.assert_allclose(w.deficits.sum(), 0, atol=1e-6)


def test_ge_inputs_use_the_engine_names(world) -> None:
    kw = world.ge_inputs("CP")
    assert set(kw) == {"countries", "sectors", "flows", "tariffs", "va_share", "io_share", "deficits", "theta"}
    assert kw["theta"][world.sectors.index("C19")] == pytest.approx(64.85, abs=0.01)
    kw["flows"][0, 0, 0] = -1  # a copy
    assert world.flows[0, 0, 0] >= 0
    with pytest.raises(ValidationError, match="unknown elasticity set"):
        world.ge_inputs("XX")
    with pytest.raises(ValidationError, match="values for 28 sectors"):
        world.ge_inputs(np.ones(3))


def test_bad_inputs_are_clear(icio) -> None:
    with pytest.raises(ValidationError, match="ICIO economies already"):
        build_sector_world(2022, carve=["CHN"], icio=icio)
    with pytest.raises(ValidationError, match="no proxy economy"):
        build_sector_world(2022, proxies={"KGZ": "XXX"}, icio=icio)
    with pytest.raises(ValidationError, match="not 2021"):
        build_sector_world(2021, icio=icio)


def test_sitc_concordance_covers_every_section(icio) -> None:
    conc = sitc_icio_concordance()
    assert set(conc["section"]) == set(UNCTAD_SECTIONS)
    assert set(conc["icio"]) <= set(icio.goods_sectors())
