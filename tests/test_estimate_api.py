"""Behaviour of the public estimation API: formulas, errors, results, etable."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import ftalab
import ftalab.estimate as est
from ftalab.errors import ConvergenceError, EstimationError, EstimationWarning, FormulaError
from ftalab.estimate.formula import parse_formula


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    """Seeded 3-way gravity panel: 12 countries x 4 years, domestic flows, some zeros."""
    rng = np.random.default_rng(42)
    n, t = 12, 4
    e, i, y = np.meshgrid(np.arange(n), np.arange(n), np.arange(t), indexing="ij")
    df = pd.DataFrame({"exp": e.ravel(), "imp": i.ravel(), "year": 2000 + y.ravel()})
    df["dist"] = np.exp(rng.normal(7, 1, len(df)))
    df["rta"] = rng.integers(0, 2, len(df)).astype(float)
    mu = np.exp(1.0 + 0.4 * df["rta"] - 0.8 * np.log(df["dist"]) + rng.normal(0, 0.3, n)[df["exp"]] + 8)
    df["trade"] = rng.poisson(mu).astype(float)
    df["pair"] = df["exp"] * 100 + df["imp"]
    return df


def test_public_names() -> None:
    assert set(est.__all__) == {
        "fepois", "feols", "etable", "EstimationResult", "PoissonResult", "OLSResult", "Formula", "parse_formula",
    }
    assert ftalab.fepois is est.fepois and ftalab.feols is est.feols and ftalab.etable is est.etable


@pytest.mark.parametrize(
    ("fml", "match"),
    [
        ("trade rta", "form"),
        ("trade ~ rta +", "empty term"),
        ("trade ~ sqrt(dist)", "unknown function"),
        ("trade ~ rta | ", "nothing after"),
        ("trade ~ (rta", "unbalanced"),
        ("trade ~ rta + rta", "twice"),
        ("trade ~ rta | exp + exp", "twice"),
    ],
)
def test_bad_formulas(fml: str, match: str) -> None:
    with pytest.raises(FormulaError, match=match):
        parse_formula(fml)


def test_unknown_column_suggests(panel) -> None:
    with pytest.raises(FormulaError, match="'rtaa'.*did you mean 'rta'"):
        ftalab.fepois("trade ~ rtaa | exp", panel)


def test_interactions_caret_and_colon_are_the_same(panel) -> None:
    a = ftalab.fepois("trade ~ rta + log(dist) | exp^year + imp^year", panel)
    b = ftalab.fepois("trade ~ rta + log(dist) | exp:year + imp:year", panel)
    pd.testing.assert_series_equal(a.coef(), b.coef())
    assert a.fixef_names == ["exp^year", "imp^year"]
    fe = a.fixef()["exp^year"]
    assert isinstance(fe.index, pd.MultiIndex) and fe.index.names == ["exp", "year"]


def test_non_numeric_regressor_and_negative_outcome(panel) -> None:
    df = panel.assign(name=panel["exp"].astype(str))
    with pytest.raises(FormulaError, match="not numeric"):
        ftalab.fepois("trade ~ name", df)
    with pytest.raises(EstimationError, match="non-negative"):
        ftalab.fepois("trade ~ rta", df.assign(trade=df["trade"] - 1e9))


def test_input_not_mutated_and_result_immutable(panel) -> None:
    before = panel.copy()
    fit = ftalab.fepois("trade ~ rta + log(dist) | exp^year + imp^year + pair", panel, vcov={"CRV1": "pair"})
    pd.testing.assert_frame_equal(panel, before)
    with pytest.raises(AttributeError):
        fit.nobs = 3  # type: ignore[misc]
    c = fit.coef()
    c.iloc[0] = 99.0
    assert fit.coef().iloc[0] != 99.0


@pytest.mark.parametrize("dense", [None, False])
def test_fitted_equals_exp_of_linear_predictor_and_fixef(panel, dense) -> None:
    df = panel.assign(off=0.1 * np.log(panel["dist"]))
    fit = ftalab.fepois("trade ~ rta + log(dist) | exp^year + imp^year + pair", df, offset="off", dense=dense)
    assert fit.info["layout"] == ("general" if dense is False else "dense")
    fe = fit.fixef()
    eta = fit.coef()["rta"] * df["rta"] + fit.coef()["log(dist)"] * np.log(df["dist"]) + df["off"]
    eta += fe["exp^year"].reindex(pd.MultiIndex.from_frame(df[["exp", "year"]])).to_numpy()
    eta += fe["imp^year"].reindex(pd.MultiIndex.from_frame(df[["imp", "year"]])).to_numpy()
    eta += fe["pair"].reindex(df["pair"]).to_numpy()
    fitted = fit.fitted_values()
    used = fit.sample_mask()
    np.testing.assert_allclose(np.exp(eta[used]), fitted[used], rtol=1e-9)
    assert fitted[~used].isna().all()
    # Poisson first-order conditions: fitted totals equal observed totals per exporter-year
    sums = pd.DataFrame({"y": df["trade"][used], "mu": fitted[used], "k": df["exp"].astype(str)[used] + df["year"].astype(str)[used]})
    g = sums.groupby("k").sum()
    np.testing.assert_allclose(g["mu"], g["y"], rtol=1e-9)


def test_feols_fixef_reconstructs_fitted(panel) -> None:
    df = panel[panel["trade"] > 0]
    fit = ftalab.feols("log(trade) ~ rta + log(dist) | exp + imp^year", df)
    fe = fit.fixef()
    xb = fit.coef()["rta"] * df["rta"] + fit.coef()["log(dist)"] * np.log(df["dist"])
    xb += fe["exp"].reindex(df["exp"]).to_numpy() + fe["imp^year"].reindex(pd.MultiIndex.from_frame(df[["imp", "year"]])).to_numpy()
    np.testing.assert_allclose(xb, fit.fitted_values(), rtol=1e-8)


def test_scaling_outcome_leaves_ppml_slopes_unchanged(panel) -> None:
    a = ftalab.fepois("trade ~ rta + log(dist) | exp^year + imp^year", panel)
    b = ftalab.fepois("trade ~ rta + log(dist) | exp^year + imp^year", panel.assign(trade=panel["trade"] * 1000))
    np.testing.assert_allclose(a.coef(), b.coef(), rtol=1e-8)
    np.testing.assert_allclose(a.se(), b.se(), rtol=1e-6)


def test_tidy_columns_and_summary(panel) -> None:
    fit = ftalab.fepois("trade ~ rta + log(dist) | exp^year + imp^year", panel, vcov="iid")
    assert list(fit.tidy().columns) == ["Estimate", "Std. Error", "t value", "Pr(>|t|)", "2.5%", "97.5%"]
    assert "rta" in fit.summary() and "<table" in fit._repr_html_()
    assert fit.vcov().shape == (2, 2) and fit.converged and fit.iterations >= 1


def test_missing_values_are_dropped_and_reported(panel) -> None:
    df = panel.copy()
    df.loc[[0, 5], "rta"] = np.nan
    df.loc[7, "dist"] = 0.0
    fit = ftalab.fepois("trade ~ rta + log(dist) | exp^year + imp^year", df)
    c = fit.dropped_counts()
    assert c["missing or non-finite value"] == 2 and c["log() of a non-positive value"] == 1
    assert fit.nobs == len(df) - 3


def test_vcov_options_and_conventions(panel) -> None:
    fml = "trade ~ rta + log(dist) | exp^year + imp^year"
    st = ftalab.fepois(fml, panel, vcov={"CRV1": "pair"}, ssc="stata")
    py = ftalab.fepois(fml, panel, vcov="CRV1:pair", ssc="pyfixest")
    assert (py.se() > st.se()).all()  # pyfixest also scales by (N-1)/(N-df_k)
    tw = ftalab.fepois(fml, panel, vcov={"CRV1": "exp+imp"})
    assert tw.vcov_type == "CRV1: exp+imp"
    with pytest.raises(EstimationError, match="unknown vcov"):
        ftalab.fepois(fml, panel, vcov="HC7")
    with pytest.raises(EstimationError, match="ssc"):
        ftalab.fepois(fml, panel, ssc="R")  # type: ignore[arg-type]


def test_non_convergence_raises(panel) -> None:
    with pytest.raises(ConvergenceError, match="did not converge"):
        ftalab.fepois("trade ~ rta + log(dist) | exp^year + imp^year + pair", panel, maxiter=1)


def test_etable_formats(panel) -> None:
    a = ftalab.fepois("trade ~ rta + log(dist) | exp^year + imp^year", panel)
    b = ftalab.feols("log(trade) ~ rta | exp^year + imp^year", panel[panel["trade"] > 0])
    md = ftalab.etable([a, b])
    assert md.startswith("| | (1) | (2) |") and "rta" in md and f"{a.coef()['rta']:.4f}" in md
    tex = ftalab.etable([a, b], type="tex")
    assert tex.startswith(r"\begin{tabular}{lcc}") and r"log(dist)" in tex
    html = ftalab.etable([a, b], type="html", labels=["PPML", "OLS"])
    assert "<th>PPML</th>" in html
    with pytest.raises(EstimationError):
        ftalab.etable([a], type="docx")  # type: ignore[arg-type]


def test_dense_gravity_layout_matches_general(panel) -> None:
    # unbalanced (rows removed), with zeros and one pair that never trades
    rng = np.random.default_rng(3)
    df = panel.sample(frac=0.9, random_state=5).copy()
    df.loc[(df["exp"] == 1) & (df["imp"] == 2), "trade"] = 0.0
    df.loc[rng.choice(df.index, 40, replace=False), "trade"] = 0.0
    df["off"] = rng.normal(0, 0.1, len(df))
    fml = "trade ~ rta + log(dist) | exp^year + imp^year + pair"
    fast = ftalab.fepois(fml, df, vcov={"CRV1": "pair"}, offset="off")
    slow = ftalab.fepois(fml, df, vcov={"CRV1": "pair"}, offset="off", dense=False)
    assert fast.info["layout"] == "dense" and slow.info["layout"] == "general"
    np.testing.assert_allclose(fast.coef(), slow.coef(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(fast.se(), slow.se(), rtol=1e-7)
    np.testing.assert_allclose(fast.fitted_values().dropna(), slow.fitted_values().dropna(), rtol=1e-8)
    assert fast.dropped_counts() == slow.dropped_counts()
    for name, fe in fast.fixef().items():
        # effects are identified only up to normalisation: same levels; the fitted values
        # they imply are checked in test_fitted_equals_exp_of_linear_predictor_and_fixef
        assert fe.index.equals(slow.fixef()[name].index)


def test_dense_layout_not_used_for_symmetric_pair(panel) -> None:
    df = panel.assign(sym=np.minimum(panel["exp"], panel["imp"]) * 100 + np.maximum(panel["exp"], panel["imp"]))
    fit = ftalab.fepois("trade ~ rta | exp^year + imp^year + sym", df)
    assert fit.info["layout"] == "general"
    with pytest.raises(EstimationError, match="dense=True"):
        ftalab.fepois("trade ~ rta | exp^year + imp^year + sym", df, dense=True)


def _home_bias_panel(seed: int = 99) -> pd.DataFrame:
    """Domestic flows e^6 times larger than international ones, a few zeros: a hard start."""
    rng = np.random.default_rng(seed)
    n, t = 8, 3
    e, i, y = (a.ravel() for a in np.meshgrid(np.arange(n), np.arange(n), np.arange(t), indexing="ij"))
    df = pd.DataFrame({"exp": e, "imp": i, "year": y})
    df["intl"] = (df["exp"] != df["imp"]).astype(float)
    df["x"] = rng.normal(size=len(df))
    size = rng.normal(0, 2, n)
    eta = size[df["exp"]] + size[df["imp"]] - 6.0 * df["intl"] + 0.3 * df["x"]
    df["trade"] = np.exp(eta + rng.normal(0, 0.5, len(df)))
    df.loc[rng.choice(len(df), 20, replace=False), "trade"] = 0.0
    return df


def test_hard_start_converges_to_the_optimum() -> None:
    # regression: a full first Newton step used to jump to a degenerate plateau
    df = _home_bias_panel()
    fit = ftalab.fepois("trade ~ intl + x | exp^year + imp^year", df)
    assert fit.coef()["intl"] == pytest.approx(-6.0, abs=1.0)  # sampling noise and censoring
    # first-order conditions hold at the returned point: X'(y - mu) = 0
    used = fit.sample_mask()
    mu = fit.fitted_values()[used]
    X = df.loc[used, ["intl", "x"]].to_numpy()
    score = X.T @ (df.loc[used, "trade"].to_numpy() - mu.to_numpy())
    assert np.abs(score).max() < 1e-6 * df["trade"].sum()


def test_negative_two_way_variance_warns() -> None:
    # 5 clusters in one dimension: V_a + V_b - V_ab < 0 here (pyfixest gives NaN too)
    rng = np.random.default_rng(0)
    n = 500
    df = pd.DataFrame({
        "x": rng.normal(size=n), "g": rng.choice(list("abcde"), n),
        "h": rng.integers(0, 7, n), "c": rng.integers(0, 30, n).astype(float),
    })
    df["y"] = rng.poisson(np.exp(0.5 * df["x"]))
    with pytest.warns(EstimationWarning, match="two-way clustered variance is negative"):
        fit = ftalab.fepois("y ~ x | g + h", df, vcov={"CRV1": "c+g"})
    assert np.isnan(fit.se()["x"])
