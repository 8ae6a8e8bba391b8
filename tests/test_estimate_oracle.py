"""ftalab vs pyfixest (the test-time oracle) over a range of formulas and options.

Both solvers run to a convergence tolerance of 1e-10 or tighter. Tolerances
(issue #3): |coefficient difference| <= 1e-6 * max(1, |b|); standard errors
within 1e-4 relative. pyfixest's small-sample defaults correspond to
``ssc="pyfixest"``; ``ssc(k_adj=False, G_adj=True)`` to ``ssc="stata"`` for
clustered errors.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pyfixest as pf
import pytest

import ftalab

from _panels import agtpa_panel


pytestmark = [pytest.mark.oracle, pytest.mark.slow]


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    d = agtpa_panel()
    d["ltrade"] = np.log(d["trade"].where(d["trade"] > 0))
    return d.reset_index(drop=True)


def _compare(ours, theirs) -> None:
    b_ours, b_pf = ours.coef(), theirs.coef()
    assert list(b_ours.index) == list(b_pf.index)
    np.testing.assert_array_less(np.abs(b_ours - b_pf), 1e-6 * np.maximum(1.0, np.abs(b_pf)) + 1e-15)
    np.testing.assert_allclose(ours.se().to_numpy(), theirs.se().to_numpy(), rtol=1e-4)
    assert ours.nobs == theirs._N


POIS = [
    ("trade ~ log_dist + cntg + lang + clny + rta | exp_year + imp_year", "intl", "hetero"),
    ("trade ~ log_dist + cntg + lang + clny + rta | exp_year + imp_year", "intl", "iid"),
    ("trade ~ log_dist + cntg + lang + clny + rta | exp_year + imp_year", "intl", {"CRV1": "pair_id"}),
    ("trade ~ log_dist + cntg + lang + clny + rta | exp_year + imp_year", "intl", {"CRV1": "exporter+importer"}),
    ("trade ~ rta + rta_lag4 + rta_lag8 | exp_year + imp_year + pair_id", "all", {"CRV1": "pair_id"}),
    ("trade ~ rta + rta_lead4 | exp_year + imp_year + pair_id", "all", "hetero"),
    ("trade ~ log_dist + cntg + intl | exporter + importer + year", "all", {"CRV1": "pair_id"}),
    ("trade ~ log_dist + cntg + lang | exporter^year + importer^year", "all", "hetero"),
    ("trade ~ log_dist + cntg + rta", "intl", "hetero"),
    # dense year x exporter x importer fast path (pair = exporter^importer)
    ("trade ~ rta + rta_lag4 | exporter^year + importer^year + exporter^importer", "all", {"CRV1": "pair_id"}),
]


@pytest.mark.parametrize(("fml", "sample", "vcov"), POIS)
def test_fepois_matches_pyfixest(panel, fml, sample, vcov) -> None:
    data = panel if sample == "all" else panel[panel["intl"] == 1]
    ours = ftalab.fepois(fml, data, vcov=vcov, ssc="pyfixest", tol=1e-12)
    if "exporter^importer" in fml:
        assert ours.info["layout"] == "dense"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = pf.fepois(fml, data, vcov=vcov, iwls_tol=1e-12, fixef_tol=1e-12, iwls_maxiter=100)
    _compare(ours, theirs)


def test_fepois_stata_ssc_matches_pyfixest_g_only(panel) -> None:
    fml = "trade ~ rta + rta_lag4 | exp_year + imp_year + pair_id"
    ours = ftalab.fepois(fml, panel, vcov={"CRV1": "pair_id"}, ssc="stata")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = pf.fepois(fml, panel, vcov={"CRV1": "pair_id"}, ssc=pf.ssc(k_adj=False, G_adj=True), iwls_tol=1e-12, fixef_tol=1e-12)
    _compare(ours, theirs)


def test_fepois_hard_start_matches_pyfixest() -> None:
    from test_estimate_api import _home_bias_panel

    df = _home_bias_panel()
    fml = "trade ~ intl + x | exp^year + imp^year"
    ours = ftalab.fepois(fml, df, tol=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = pf.fepois(fml, df, vcov="hetero", iwls_tol=1e-12, fixef_tol=1e-12, iwls_maxiter=100)
    _compare(ours, theirs)


def test_fepois_offset_matches_pyfixest(panel) -> None:
    data = panel[panel["intl"] == 1]
    fml = "trade ~ cntg + lang + rta | exp_year + imp_year"
    ours = ftalab.fepois(fml, data, offset="log_dist", tol=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = pf.fepois(fml, data, offset="log_dist", vcov="hetero", iwls_tol=1e-12, fixef_tol=1e-12)
    _compare(ours, theirs)


OLS = [
    ("ltrade ~ log_dist + cntg + lang + clny | exp_year + imp_year", {"CRV1": "pair_id"}),
    ("ltrade ~ log_dist + cntg + lang + clny | exp_year + imp_year", "iid"),
    ("ltrade ~ rta + rta_lag4 | exp_year + imp_year + pair_id", "hetero"),
    ("ltrade ~ log_dist + cntg + rta", {"CRV1": "exporter+importer"}),
]


@pytest.mark.parametrize(("fml", "vcov"), OLS)
def test_feols_matches_pyfixest(panel, fml, vcov) -> None:
    data = panel[panel["intl"] == 1]
    ours = ftalab.feols(fml, data, vcov=vcov)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = pf.feols(fml, data, vcov=vcov, fixef_tol=1e-12)
    _compare(ours, theirs)
