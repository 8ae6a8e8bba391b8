"""The tariff channel through the runner on the real world (one quick GE run, no sensitivity runs)."""

from __future__ import annotations

import pytest

from ftalab.scenario import load_scenario
from ftalab.scenario.runner import run_scenario

SCO_2025 = ["BLR", "CHN", "IND", "IRN", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB"]


@pytest.fixture(scope="module")
def result():
    scenario, _ = load_scenario("sco-fta-tariffs")
    quick = scenario.model_copy(
        update={
            "baseline": scenario.baseline.model_copy(update={"update_to_date": False, "domestic_sensitivity": []}),
            "model": scenario.model.model_copy(update={"sigma_sensitivity": []}),
        }
    )
    return run_scenario(quick)


def test_member_tariffs_are_mfn_not_bound(result) -> None:
    pr = result.tables["pair_results"].set_index(["exporter", "importer"])
    # India's MFN weighted mean 2015 (WDI) is 7.49%; its WTO bound average (48.5%) is never used.
    assert pr.loc[("CHN", "IND"), "tariff_base"] == pytest.approx(0.0749)
    assert pr.loc[("CHN", "IND"), "tariff_new"] == 0.0 and pr.loc[("CHN", "IND"), "shocked"]
    # PSA partners pay MFN in the baseline; FTA/CU partners pay nothing and are not shocked.
    assert pr.loc[("IRN", "PAK"), "tariff_base"] == pytest.approx(0.1066)
    for pair in [("KAZ", "RUS"), ("CHN", "PAK"), ("IND", "PAK")]:
        assert pr.loc[pair, "tariff_base"] == 0.0 and not pr.loc[pair, "shocked"]
    # non-members keep paying members' MFN rates
    assert pr.loc[("USA", "IND"), "tariff_new"] == pytest.approx(0.0749)
    mfn = result.tables["countries"].set_index("iso3")["mfn_tariff_pct"]
    assert mfn["IND"] == pytest.approx(7.49) and mfn["IRN"] == pytest.approx(15.23)


def test_revenue_falls_and_trade_rises(result) -> None:
    cr = result.tables["country_results"]
    rev = cr[(cr["step"] == "scenario") & (cr["measure"] == "revenue") & cr["iso3"].isin(SCO_2025)].set_index("iso3")["value"]
    assert (rev < 0).all()
    te = result.tables["trade_effects"].set_index("measure")
    assert te.loc["trade_creation", "change"] > 0 and te.loc["trade_diversion", "change"] < 0
    notes = " ".join(n.text for n in result.notes)
    assert "never WTO bound rates" in notes and "IRN 15.23 (2011)" in notes
