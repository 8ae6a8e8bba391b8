"""Shock construction (pure functions): which pairs, how large."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ftalab.errors import ScenarioError
from ftalab.scenario import shocks as S
from ftalab.scenario.domestic import build_domestic
from ftalab.scenario.tariffs import mfn_by_importer, spike_years

LINKS = pd.DataFrame(
    # one direction each: fta_pairs treats links as symmetric
    [("CHN", "IND", "PSA"), ("IRN", "PAK", "PSA"), ("KAZ", "RUS", "FTA"), ("CHN", "PAK", "FTA")],
    columns=["exporter", "importer", "type"],
)


def test_member_pairs_ordered_without_diagonal() -> None:
    p = S.member_pairs(["B", "A", "C"])
    assert len(p) == 6 and not (p["exporter"] == p["importer"]).any()


def test_fta_pairs_psa_shocked_fta_not() -> None:
    marked = S.fta_pairs(S.member_pairs(["CHN", "IND", "IRN", "PAK", "KAZ", "RUS"]), LINKS).set_index(["exporter", "importer"])
    # partial-scope pairs ARE shocked, both directions
    for pair in [("CHN", "IND"), ("IND", "CHN"), ("IRN", "PAK"), ("PAK", "IRN")]:
        assert marked.loc[pair, "shocked"] and marked.loc[pair, "existing"] == "PSA"
    # FTA pairs are not, both directions
    for pair in [("KAZ", "RUS"), ("RUS", "KAZ"), ("CHN", "PAK"), ("PAK", "CHN")]:
        assert not marked.loc[pair, "shocked"]
    assert marked.loc[("IND", "KAZ"), "shocked"] and marked.loc[("IND", "KAZ"), "existing"] == ""
    assert int(marked["shocked"].sum()) == 30 - 4


def test_rta_cost_change_values() -> None:
    marked = S.fta_pairs(S.member_pairs(["KAZ", "RUS", "CHN"]), LINKS)
    cc = S.rta_cost_change(marked, 0.5572)
    assert set(zip(cc["exporter"], cc["importer"])) == {("CHN", "KAZ"), ("KAZ", "CHN"), ("CHN", "RUS"), ("RUS", "CHN")}
    assert (cc["log_change"] == 0.5572).all()


def test_enlargement_pairs() -> None:
    p = S.enlargement_pairs(["A", "B"], ["C", "D"])
    got = set(zip(p["exporter"], p["importer"]))
    assert ("A", "B") not in got and ("B", "A") not in got
    assert {("A", "C"), ("C", "A"), ("C", "D"), ("D", "C"), ("B", "D")} <= got
    assert len(p) == 12 - 2
    with pytest.raises(ScenarioError, match="already members"):
        S.enlargement_pairs(["A"], ["A"])


def test_baseline_tariffs_zero_inside_fta_mfn_for_psa() -> None:
    mfn = pd.Series({"CHN": 5.58, "IND": 7.49, "RUS": 5.54, "KAZ": 5.62})
    t = S.baseline_tariffs(["CHN", "IND", "KAZ", "RUS"], mfn, LINKS).set_index(["exporter", "importer"])["tariff"]
    assert t[("KAZ", "RUS")] == 0.0 and t[("RUS", "KAZ")] == 0.0  # FTA/CU: zero in the baseline
    assert t[("CHN", "IND")] == pytest.approx(0.0749)  # PSA partner pays India's MFN rate
    assert t[("IND", "CHN")] == pytest.approx(0.0558)
    assert len(t) == 12


def test_fta_tariffs_cut_share() -> None:
    base = pd.DataFrame({"exporter": ["A", "B"], "importer": ["B", "A"], "tariff": [0.1, 0.2]})
    marked = pd.DataFrame({"exporter": ["A", "B"], "importer": ["B", "A"], "shocked": [True, True]})
    assert S.fta_tariffs(base, marked)["tariff"].tolist() == [0.0, 0.0]
    assert S.fta_tariffs(base, marked, 0.5)["tariff"].tolist() == pytest.approx([0.05, 0.1])


def test_facilitation_all_partners_and_formula() -> None:
    hours = pd.DataFrame({"export_hours": [9.0, 208.0, 50.0], "import_hours": [4.0, 285.0, 60.0]}, index=["BLR", "UZB", "CHN"])
    saved = S.facilitation_hours_saved(hours, ["BLR", "UZB"], target="best_member")
    assert saved.loc["UZB", "export_saved"] == 199 and saved.loc["UZB", "import_saved"] == 281
    assert saved.loc["BLR", "export_saved"] == 0
    cc = S.facilitation_cost_change(["BLR", "UZB", "CHN", "USA"], saved, ave_per_day_pct=1.35, sigma=7.0).set_index(["exporter", "importer"])
    # UZB's reform reaches every partner, members or not (non-discriminatory)
    assert ("UZB", "USA") in cc.index and ("USA", "UZB") in cc.index and ("CHN", "UZB") in cc.index
    # (sigma - 1) * ave * days: exports UZB->USA save 199 h of UZB's export time
    assert cc.loc[("UZB", "USA"), "log_change"] == pytest.approx(6 * 0.0135 * 199 / 24)
    assert cc.loc[("UZB", "BLR"), "log_change"] == pytest.approx(6 * 0.0135 * 199 / 24)
    assert ("USA", "CHN") not in cc.index  # no reformer involved
    cut = S.facilitation_hours_saved(hours, ["CHN"], target="cut", cut_percent=50)
    assert cut.loc["CHN", "export_saved"] == 25
    with pytest.raises(ScenarioError, match="no Doing Business"):
        S.facilitation_hours_saved(hours, ["TWN"], target="cut", cut_percent=10)


def test_corridor_cost_and_distance() -> None:
    cc = S.corridor_cost_change([("CHN", "KGZ", False)], cost_cut_percent=10, sigma=7)
    assert len(cc) == 2 and cc["log_change"].iloc[0] == pytest.approx(-6 * np.log(0.9))
    dd = S.corridor_cost_change([("CHN", "KGZ", True)], distance_cut_percent=25, sigma=7, dist_elasticity=-0.87)
    assert len(dd) == 1 and dd["log_change"].iloc[0] == pytest.approx(-0.87 * np.log(0.75))
    with pytest.raises(ScenarioError):
        S.corridor_cost_change([("CHN", "KGZ", False)], distance_cut_percent=25, sigma=7)


def test_domestic_floor_catches_negative_and_imputes_missing_gdp() -> None:
    # BLZ-like: exports above GDP -> raw domestic negative -> floored and flagged.
    c = pd.DataFrame(
        {"gdp": [100.0, 50.0, np.nan, 80.0], "exports": [20.0, 60.0, 30.0, 10.0], "imports": [25.0, 40.0, 35.0, 5.0]},
        index=["AAA", "BLZ", "TWN", "CCC"],
    )
    before = c.copy()
    out = build_domestic(c, multiplier=1.0, floor_share=0.1)
    pd.testing.assert_frame_equal(c, before)  # caller's data untouched
    assert out.loc["BLZ", "domestic_raw"] == -10.0
    assert out.loc["BLZ", "domestic_flag"] == "floor" and out.loc["BLZ", "domestic"] == 5.0
    assert out.loc["TWN", "domestic_flag"] == "imputed"
    # median ratio of unflagged economies (AAA 80/25, CCC 70/10) applied to max(exports, imports)
    assert out.loc["TWN", "domestic"] == pytest.approx(np.median([80 / 25, 70 / 10]) * 35)
    assert (out["domestic"] > 0).all()


def test_tariff_spikes_and_nearest_year() -> None:
    s = pd.Series([4.9, 4.3, 4.1, 4.0, 4.0, 10.95, 4.3], index=[2014, 2015, 2016, 2017, 2018, 2019, 2020])
    assert spike_years(s) == [2019]
    table = pd.DataFrame(
        {
            "iso3": ["BLR"] * 4 + ["IRN"] * 3,
            "year": [2017, 2018, 2019, 2020, 2011, 2019, 2020],
            "tariff_pct": [4.0, 4.0, 10.95, 4.3, 15.23, 15.43, 12.09],
        }
    )
    rate, detail, notes = mfn_by_importer(["BLR", "IRN", "TWN"], 2019, table=table, required=["BLR", "IRN"])
    d = detail.set_index("iso3")
    assert d.loc["BLR", "year_used"] in (2018, 2020) and rate["BLR"] != 10.95  # the 2019 spike is skipped
    assert d.loc["IRN", "year_used"] == 2019
    assert np.isnan(rate["TWN"])
    rate15, d15, _ = mfn_by_importer(["IRN"], 2015, table=table)
    assert d15.set_index("iso3").loc["IRN", "year_used"] == 2011  # tie 2011/2019 -> earlier
    with pytest.raises(ScenarioError, match="no MFN tariff"):
        mfn_by_importer(["TWN"], 2015, table=table, required=["TWN"])
    r2, _, n2 = mfn_by_importer(["TWN"], 2015, table=table, required=["TWN"], overrides={"TWN": 2.0})
    assert r2["TWN"] == 2.0 and any(n.kind == "override" for n in n2)
