"""Sector elasticities estimated on the ICIO panel (the ``ftalab-icio`` set)."""

from __future__ import annotations

import numpy as np
import pytest

from ftalab.data.readers.icio import read_icio
from ftalab.scenario.sector_elasticities import (
    PUBLISHED_ESTIMATED_SETS,
    SET_NAME,
    THETA_BOUNDS,
    compare_elasticity_sets,
    estimate_icio_elasticities,
    icio_panel,
    load_ftalab_icio,
)
from ftalab.errors import ScenarioError


@pytest.fixture(scope="module")
def shipped():
    return load_ftalab_icio()


def test_shipped_set_respects_its_stated_rules(shipped) -> None:
    w = read_icio(2022)
    assert shipped.name == SET_NAME and shipped.sectors == w.sectors
    est = shipped.estimates
    assert len(est) == 21  # pooled agriculture, pooled mining, 19 other goods sectors
    used = est[est.used]
    # every estimate used lies within the stated bounds and has beta significantly < 0
    assert used.theta.between(*THETA_BOUNDS).all()
    assert (used.beta + 1.96 * used.se < 0).all()
    np.testing.assert_allclose(used.theta, -used.beta - 1)
    # the others take the median of the seven published non-uniform sets
    median = np.median(np.vstack([w.elasticities[s] for s in PUBLISHED_ESTIMATED_SETS]), axis=0)
    for k, src in enumerate(shipped.source):
        if src != "estimated":
            assert shipped.theta[k] == median[k] and np.isnan(shipped.se[k])
    assert shipped.source[w.services_sector].startswith("published_median (services")
    assert np.all(shipped.theta > 0)


def test_published_numbers_of_the_set(shipped) -> None:
    # the values measured when the set was estimated (docs/sectors.md); motor vehicles:
    t = shipped.table().set_index("sector")
    assert t.loc["C29", "theta"] == pytest.approx(4.823, abs=1e-3)
    assert t.loc["C29", "se"] == pytest.approx(1.282, abs=1e-3)
    assert list(t.index[t.source == "estimated"]) == ["C17_18", "C20", "C23", "C28", "C29", "C301", "C31T33"]


def test_side_by_side_table(shipped) -> None:
    table = compare_elasticity_sets(shipped)
    assert list(table.columns[:2]) == [SET_NAME, f"{SET_NAME} se"]
    assert set(table.columns[2:]) == {"IS", "U4", "CP", "BSY", "GYY", "Shap", "FGO", "LL"}
    assert table.loc["C19", "CP"] == pytest.approx(64.85, abs=0.01)


def test_panel_layout_and_rta() -> None:
    panel = icio_panel([2016], ["C29"])
    assert len(panel) == 80 * 80 and "ROW" not in set(panel.exporter) | set(panel.importer)
    dom = panel[panel.exporter == panel.importer]
    assert (dom.log_tariff == 0).all() and (dom.rta == 0).all()
    one = panel[(panel.exporter == "DEU") & (panel.importer == "FRA")]
    assert one.rta.item() == 1 and one.log_tariff.item() == 0
    us_cn = panel[(panel.exporter == "CHN") & (panel.importer == "USA")]
    assert us_cn.rta.item() == 0 and us_cn.log_tariff.item() > 0
    with pytest.raises(ScenarioError, match="unknown sector group"):
        icio_panel([2016], ["C99"])


def test_one_group_reproduces_exactly() -> None:
    a = estimate_icio_elasticities(range(2015, 2019), ["C29"]).estimates
    b = estimate_icio_elasticities(range(2015, 2019), ["C29"]).estimates
    assert a.equals(b)
    assert a.nobs.item() > 4 * 6000


@pytest.mark.slow
def test_full_estimation_reproduces_the_shipped_set(shipped) -> None:
    fresh = estimate_icio_elasticities()
    cols = ["beta", "se", "theta", "theta_se", "rta", "rta_se"]
    np.testing.assert_allclose(fresh.estimates[cols].to_numpy(), shipped.estimates[cols].to_numpy(), rtol=1e-8)
    assert list(fresh.estimates.used) == list(shipped.estimates.used)
    np.testing.assert_allclose(fresh.theta, shipped.theta, rtol=1e-8)
