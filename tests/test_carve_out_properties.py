"""Carve-out invariants on small seeded worlds: totals conserved, ROW never below its floor.

The worlds are random but have the real 28 ICIO sectors and the real SITC
concordance; BACI, GDP and UNCTAD inputs are random tables in the readers'
layouts, with unknown (NaN) pairs, so every rule (UNCTAD fill, no source,
entrepot cut, fit inside ROW) is exercised by real code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ftalab.data.carve_out import carve_flows
from ftalab.data.readers.icio import IcioWorld
from ftalab.data.readers.unctad import UNCTAD_SECTIONS
from ftalab.errors import ValidationError

SECTORS = [
    "A01", "A02", "A03", "B05", "B06", "B07", "B08", "B09", "C10T12", "C13T15", "C16", "C17_18", "C19", "C20",
    "C21", "C22", "C23", "C24A", "C24B", "C25", "C26", "C27", "C28", "C29", "C301", "C302T309", "C31T33",
    "Services (aggregate)",
]
ICIO = ["AAA", "BBB", "ROW"]
CARVE = ["CCC", "EEE"]
REST = ["DDD", "FFF"]  # inside the remaining ROW
ALL = ["AAA", "BBB", *CARVE, *REST]


def _inputs(seed: int, row_scale: float, gdp_scale: float):
    rng = np.random.default_rng(seed)
    s, n = len(SECTORS), len(ICIO)
    flows = rng.uniform(10, 100, (s, n, n))
    flows[:, 2, :] *= row_scale  # ROW's cells: small -> the carved values must be fitted
    flows[:, :, 2] *= row_scale
    flows[:, 2, 2] = rng.uniform(1000, 2000, s) * row_scale
    flows[3, 0, 2] = 0.0  # an empty ROW cell stays empty
    world = IcioWorld(2022, ICIO, SECTORS, flows, np.zeros((s, n, n)), {}, s - 1)
    pairs = [(e, i) for e in ALL for i in ALL if e != i]
    baci = pd.DataFrame(pairs, columns=["exporter", "importer"])
    baci["value_usd"] = rng.uniform(1e6, 5e8, len(baci))
    baci.loc[rng.choice(len(baci), 6, replace=False), "value_usd"] = np.nan  # unknown pairs
    gdp = pd.Series(rng.uniform(1e8, 1e9, len(ALL)) * gdp_scale, index=ALL, name="gdp_usd")
    rows = [(e, i, sec, rng.uniform(1, 1e5)) for e, i in pairs[::2] for sec in UNCTAD_SECTIONS]
    unctad = pd.DataFrame(rows, columns=["exporter", "importer", "sector", "value"])
    va = np.full((n, s), 0.4)
    return world, baci, gdp, unctad, va


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize(("row_scale", "gdp_scale"), [(1.0, 1.0), (0.05, 1.0), (1.0, 0.01)])
def test_carve_out_invariants(seed: int, row_scale: float, gdp_scale: float) -> None:
    world, baci, gdp, unctad, va = _inputs(seed, row_scale, gdp_scale)
    floor = 0.05
    out = carve_flows(
        world, CARVE, baci=baci, gdp_usd=gdp, unctad=unctad, va_shares=va,
        proxies={"CCC": "AAA", "EEE": "ROW"}, max_imports_to_gdp=1.0, row_floor=floor,
    )
    assert out.countries == ["AAA", "BBB", "CCC", "EEE", "ROW"]
    new, old = out.flows, world.flows
    # world totals by sector conserved; ICIO pairs untouched
    np.testing.assert_allclose(new.sum(axis=(1, 2)), old.sum(axis=(1, 2)), rtol=1e-12)
    np.testing.assert_array_equal(new[:, :2, :2], old[:, :2, :2])
    # every old ROW cell = carved parts + ROW's remainder, and ROW keeps its floor
    np.testing.assert_allclose(new[:, :2, 2:].sum(axis=2), old[:, :2, 2], rtol=1e-12)
    np.testing.assert_allclose(new[:, 2:, :2].sum(axis=1), old[:, 2, :2], rtol=1e-12)
    np.testing.assert_allclose(new[:, 2:, 2:].sum(axis=(1, 2)), old[:, 2, 2], rtol=1e-12)
    assert (new >= 0).all()
    assert np.all(new[:, :2, 4] >= floor * old[:, :2, 2] - 1e-9)
    assert np.all(new[:, 4, :2] >= floor * old[:, 2, :2] - 1e-9)
    assert np.all(new[:, 4, 4] >= floor * old[:, 2, 2] - 1e-9)
    assert new[3, 0, 2:].sum() == 0  # nothing carved out of an empty cell
    # every carved pair has a source
    carved_pairs = out.sources[(out.sources.importer.isin(CARVE)) | (out.sources.exporter.isin(CARVE))]
    assert len(carved_pairs) == (5 * 5 - 3 * 3) * len(SECTORS)
    rules = set(out.adjustments["rule"])
    if row_scale < 1:
        assert "fit_row" in rules
    if gdp_scale < 1:
        assert "entrepot_cut" in rules


def test_unknown_pairs_are_filled_or_flagged() -> None:
    world, baci, gdp, unctad, va = _inputs(4, 1.0, 1.0)
    baci.loc[(baci.exporter == "CCC") & (baci.importer == "AAA"), "value_usd"] = np.nan
    baci.loc[(baci.exporter == "AAA") & (baci.importer == "CCC"), "value_usd"] = np.nan
    unctad = unctad[~((unctad.exporter == "AAA") & (unctad.importer == "CCC"))]
    unctad = pd.concat(
        [unctad, pd.DataFrame([("CCC", "AAA", "SITC0_Food", 500.0)], columns=unctad.columns)], ignore_index=True
    )
    out = carve_flows(world, CARVE, baci=baci, gdp_usd=gdp, unctad=unctad, va_shares=va,
                      proxies={"CCC": "AAA", "EEE": "AAA"}, max_imports_to_gdp=None, row_floor=0.0)
    src = out.sources.set_index(["importer", "exporter", "sector"])["source"]
    assert src[("AAA", "CCC", "A01")].startswith("unctad2015|sitc_pair")
    assert src[("CCC", "AAA", "A01")].startswith("no_source")
    assert out.flows[:-1, 2, 0].sum() == 0  # goods AAA -> CCC: unknown, kept at 0 and flagged


def test_without_the_fill_unknown_pairs_stay_zero() -> None:
    world, baci, gdp, unctad, va = _inputs(6, 1.0, 1.0)
    baci.loc[(baci.exporter == "CCC") & (baci.importer == "AAA"), "value_usd"] = np.nan
    out = carve_flows(world, CARVE, baci=baci, gdp_usd=gdp, unctad=unctad, va_shares=va,
                      proxies={"CCC": "AAA", "EEE": "AAA"}, fill_unknown=False)
    src = out.sources.set_index(["importer", "exporter", "sector"])["source"]
    assert src[("AAA", "CCC", "A01")].startswith("unknown_zero")
    assert out.flows[:-1, 0, 2].sum() == 0


def test_bad_arguments() -> None:
    world, baci, gdp, unctad, va = _inputs(5, 1.0, 1.0)
    kw = dict(baci=baci, gdp_usd=gdp, unctad=unctad, va_shares=va)
    with pytest.raises(ValidationError, match="ICIO economies already"):
        carve_flows(world, ["AAA"], proxies={"AAA": "BBB"}, **kw)
    with pytest.raises(ValidationError, match="no GDP"):
        carve_flows(world, ["XYZ"], proxies={"XYZ": "AAA"}, **kw)
    with pytest.raises(ValidationError, match="row_floor"):
        carve_flows(world, CARVE, proxies={"CCC": "AAA", "EEE": "AAA"}, row_floor=1.0, **kw)
