"""The other presets end to end, in process, with the sensitivity runs trimmed (slow)."""

from __future__ import annotations

import pytest

from ftalab.scenario import load_scenario
from ftalab.scenario.runner import run_scenario

pytestmark = pytest.mark.slow

SCO_2025 = ["BLR", "CHN", "IND", "IRN", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB"]


def _run(name: str, **model: object):
    scenario, _ = load_scenario(name)
    quick = scenario.model_copy(
        update={
            "baseline": scenario.baseline.model_copy(update={"domestic_sensitivity": [], "robustness_world": "none"}),
            "model": scenario.model.model_copy(update={"sigma_sensitivity": [], "draws": 20, **model}),
        }
    )
    return run_scenario(quick)


def _pairs(res):
    pr = res.tables["pair_results"]
    return pr[pr["step"] == "scenario"].set_index(["exporter", "importer"])


def test_enlargement() -> None:
    res = _run("sco-enlargement")
    assert res.members == ("CHN", "IND", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB")
    assert res.new_members == ("BLR", "IRN")
    ag = res.tables["agreements"]
    assumed = ag[(ag["step"] == "baseline_update") & ag["agreement"].str.contains("existing members")]
    assert {("CHN", "IND"), ("IND", "CHN")} <= set(zip(assumed["exporter"], assumed["importer"]))  # step 1
    p = _pairs(res)
    shocked = p[p["shocked"]]
    assert all(("IRN" in pair or "BLR" in pair) for pair in shocked.index)
    assert not p.loc[("BLR", "RUS"), "shocked"]  # already in the EAEU
    assert p.loc[("IRN", "CHN"), "shocked"] and p.loc[("IRN", "CHN"), "change_cond"] > 0
    w = res.headline(measure="welfare")["value"]
    assert w["IRN"] > 0 and w["BLR"] > 0


def test_corridor_distance_elasticity_with_intervals() -> None:
    res = _run("sco-corridor")
    p = _pairs(res)
    shocked = set(p.index[p["shocked"]])
    assert shocked == {("CHN", "KGZ"), ("KGZ", "CHN"), ("CHN", "UZB"), ("UZB", "CHN"), ("KGZ", "UZB"), ("UZB", "KGZ")}
    assert (p.loc[list(shocked), "change_cond"] > 0).all()
    h = res.headline(measure="welfare")
    assert h.loc["KGZ", "value"] > 0 and h.loc["KGZ", "lo"] < h.loc["KGZ", "value"] < h.loc["KGZ", "hi"]
    d = res.parameters["display"]["Coefficient log_distw"]
    assert d.startswith("-0.8")  # PPML distance elasticity on the 2015 world, about -0.87


def test_facilitation_reaches_all_partners() -> None:
    res = _run("sco-facilitation")
    p = _pairs(res)
    # customs reform is non-discriminatory: UZB's exports to the USA and Germany are shocked too
    for pair in [("UZB", "USA"), ("UZB", "DEU"), ("USA", "UZB")]:
        assert p.loc[pair, "shocked"] and p.loc[pair, "cost_log_change"] > 0
    assert not p.loc[("USA", "DEU"), "shocked"]
    sens = res.tables["sensitivity"]
    band = sens[(sens["kind"] == "ave_per_day") & (sens["iso3"] == "*MEMBERS") & (sens["measure"] == "welfare")]
    v = band.set_index("variant")["value"]
    assert set(v.index) == {"0.6", "1.35", "2.1"} and v["0.6"] < v["1.35"] < v["2.1"]
    notes = " ".join(n.text for n in res.notes)
    assert "one city" in notes and "CHN" in notes
