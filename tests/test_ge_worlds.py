"""Robustness on large real worlds: ~220 economies (UNCTAD 2015), 197 (WITS 2009).

Quick worlds: reported exports (thousand USD) plus a domestic flow built from
WDI GDP (current USD): ``X_ii = max(GDP_i - exports_i, 0.25 GDP_i)``. Economies
without a GDP figure are dropped. This is a robustness world, not a
calibrated one (merchandise exports against GDP; see PROVENANCE.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ftalab.ge import Baseline, simulate

SCO = ["CHN", "RUS", "IND", "PAK", "KAZ", "KGZ", "TJK", "UZB", "IRN", "BLR"]


def quick_world(matrix: pd.DataFrame, gdp_year: int) -> tuple[pd.Index, np.ndarray]:
    from ftalab.data.readers.wdi import read_wdi_gdp

    gdp = read_wdi_gdp("current")
    gdp = gdp[gdp["year"] == gdp_year].set_index("iso3")["gdp"].dropna() / 1000.0  # thousand USD
    codes = pd.Index(sorted(set(matrix.index) & set(matrix.columns) & set(gdp.index)))
    X = matrix.loc[codes, codes].to_numpy(dtype=float)
    X = np.nan_to_num(X, nan=0.0)
    np.fill_diagonal(X, 0.0)
    g = gdp.loc[codes].to_numpy()
    np.fill_diagonal(X, np.maximum(g - X.sum(axis=1), 0.25 * g))
    return codes, X


@pytest.fixture(scope="module", params=["unctad2015", "wits2009"])
def world(request):
    if request.param == "unctad2015":
        from ftalab.data.readers.unctad import unctad_2015_matrix

        return quick_world(unctad_2015_matrix(), 2015)
    from ftalab.data.readers.wits import wits_2009_matrix

    return quick_world(wits_2009_matrix(), 2009)


def _shock(codes: pd.Index, members: list[str], value: float) -> np.ndarray:
    m = np.isin(codes, members)
    s = np.where(np.outer(m, m), value, 0.0)
    np.fill_diagonal(s, 0.0)
    return s


def _check_finite(res, X: np.ndarray) -> None:
    # trade changes are NaN exactly where the baseline has no exports/imports (0/0)
    off = X - np.diag(np.diag(X))
    c = res.countries
    for col, base in (("exports_pct", off.sum(axis=1)), ("imports_pct", off.sum(axis=0))):
        for prefix in ("", "cdl_"):
            v = c[prefix + col].to_numpy()
            assert np.isfinite(v[base > 0]).all() and np.isnan(v[base == 0]).all()
    rest = c.drop(columns=[k for k in c.columns if k.endswith(("exports_pct", "imports_pct"))])
    assert np.isfinite(rest.to_numpy()).all()


def test_world_size(world) -> None:
    codes, X = world
    assert len(codes) >= 180
    assert set(SCO) <= set(codes)


@pytest.mark.parametrize("imbalance", ["multiplicative", "additive"])
def test_sco_fta_solves_on_big_worlds(world, imbalance) -> None:
    codes, X = world
    tar0 = np.where(np.eye(len(codes)) == 1, 0.0, 0.05)
    base = Baseline.from_arrays(codes, X, sigma=5.0, reference="USA", tariffs=tar0, imbalance=imbalance)
    m = np.isin(codes, SCO)
    new = np.where(np.outer(m, m), 0.0, tar0)
    res = simulate(base, cost_change=_shock(codes, SCO, 0.5), new_tariffs=new)
    assert res.converged and res.max_residual < 1e-10
    _check_finite(res, X)
    assert (res.countries.loc[SCO, "cdl_exports_pct"] > 0).all()


def test_removing_all_borders_solves_on_big_worlds(world) -> None:
    # the book's most extreme experiment (kappa = e^2.47 on every international pair)
    codes, X = world
    base = Baseline.from_arrays(codes, X, sigma=7.0, reference="USA")
    shock = np.where(np.eye(len(codes)) == 1, 0.0, 2.47445)
    res = simulate(base, cost_change=shock)
    assert res.converged and res.max_residual < 1e-10
    assert (res.countries["price_pct"] > -100).all()
    _check_finite(res, X)
    assert (res.countries["real_gdp_pct"] > 0).all()
