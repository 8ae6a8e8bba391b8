"""Fixed-effects-only Poisson fits (``y ~ 1 | fe``) and the fixef() normalisation of three-way models."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import ftalab
from ftalab.errors import EstimationError


def _table(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    O = rng.lognormal(0, 1, (n, n))
    T = rng.lognormal(0, 1, (n, n)) * 5
    return pd.DataFrame(
        {
            "e": np.repeat(np.arange(n), n).astype(str),
            "i": np.tile(np.arange(n), n).astype(str),
            "y": T.ravel(),
            "o": np.log(O).ravel(),
        }
    )


def _panel(n: int, t: int, seed: int) -> pd.DataFrame:
    """Unbalanced 3-way panel with domestic flows, zeros and an RTA switching on."""
    rng = np.random.default_rng(seed)
    yr, ex, im = (a.ravel() for a in np.meshgrid(np.arange(t), np.arange(n), np.arange(n), indexing="ij"))
    size = rng.normal(0, 1.5, n)
    dist = rng.lognormal(1, 0.5, (n, n))
    rta = ((rng.uniform(size=(n, n)) < 0.3)[ex, im] & (yr >= rng.integers(0, t, (n, n))[ex, im])).astype(float)
    eta = 2.0 + size[ex] + size[im] - np.log(dist[ex, im]) + 3.0 * (ex == im) + 0.1 * yr + 0.4 * rta
    y = rng.poisson(np.exp(eta)).astype(float)
    df = pd.DataFrame({"year": yr, "ex": ex, "im": im, "y": y, "rta": rta})
    return df.drop(index=rng.choice(len(df), len(df) // 30, replace=False)).reset_index(drop=True)


def test_fixed_effects_only_solves_the_first_order_conditions() -> None:
    df = _table(9, 3)
    fit = ftalab.fepois("y ~ 1 | e + i", df, offset="o")
    assert fit.coef().empty and fit.se().empty and fit.vcov().shape == (0, 0) and fit.tidy().empty
    assert fit.converged and fit.iterations == 0 and fit.nobs == 81
    mu = fit.fitted_values()
    # Poisson first-order conditions: within every fixed-effect group, sum y = sum fitted
    for g in ("e", "i"):
        s = pd.DataFrame({"g": df[g], "y": df["y"], "mu": mu}).groupby("g").sum()
        np.testing.assert_allclose(s["mu"], s["y"], rtol=1e-11)
    # fitted = exp(offset + exporter effect + importer effect), first importer effect zero
    fe = fit.fixef()
    assert fe["i"].iloc[0] == 0.0
    eta = df["o"] + df["e"].map(fe["e"]) + df["i"].map(fe["i"])
    np.testing.assert_allclose(mu, np.exp(eta), rtol=1e-12)
    dev = 2 * np.sum(df["y"] * np.log(df["y"] / mu) - (df["y"] - mu))
    assert fit.stats["deviance"] == pytest.approx(dev, rel=1e-10)
    assert "fixed effects only" in fit.summary()


@pytest.mark.oracle
def test_fixed_effects_only_matches_pyfixest() -> None:
    import pyfixest as pf

    df = _table(8, 1)
    ours = ftalab.fepois("y ~ 1 | e + i", df, offset="o")
    theirs = pf.fepois("y ~ 1 | e + i", data=df, offset="o")
    # pyfixest stops its fixed-effect solver at ~1e-7 (its group sums miss by that much)
    np.testing.assert_allclose(ours.fitted_values(), theirs.predict(type="response"), rtol=1e-6)
    assert ours.stats["deviance"] == pytest.approx(float(theirs.deviance), rel=1e-6)


def test_fixed_effects_only_three_way_dense_and_general() -> None:
    df = _panel(10, 4, 5)
    fits = [ftalab.fepois("y ~ 1 | ex^year + im^year + ex^im", df, dense=d) for d in (True, False)]
    assert [f.info["layout"] for f in fits] == ["dense", "general"]
    np.testing.assert_allclose(fits[0].fitted_values(), fits[1].fitted_values(), rtol=1e-9)
    for name in fits[0].fixef_names:
        np.testing.assert_allclose(fits[0].fixef()[name], fits[1].fixef()[name], atol=1e-8)
    # separated pairs (zero throughout) are dropped, the rest fits its pair totals exactly
    used = fits[0].sample_mask()
    s = pd.DataFrame({"p": df["ex"] * 100 + df["im"], "y": df["y"], "mu": fits[0].fitted_values()})[used]
    tot = s.groupby("p").sum()
    np.testing.assert_allclose(tot["mu"], tot["y"], rtol=1e-10)


def test_no_regressor_left_is_still_an_error() -> None:
    df = _table(6, 2)
    df["c"] = df["e"].map(lambda v: float(v) * 2)  # constant within exporter: absorbed
    with pytest.warns(ftalab.errors.EstimationWarning), pytest.raises(EstimationError, match="no regressor"):
        ftalab.fepois("y ~ c | e + i", df)
    with pytest.raises(EstimationError, match="no regressor"):
        ftalab.fepois("y ~ 0", df)  # neither slopes nor fixed effects


def test_three_way_fixef_same_on_both_paths_and_normalised() -> None:
    df = _panel(12, 5, 7)
    fml = "y ~ rta | ex^year + im^year + ex^im"
    dense = ftalab.fepois(fml, df, dense=True)
    general = ftalab.fepois(fml, df, dense=False)
    assert dense.info["layout"] == "dense" and general.info["layout"] == "general"
    assert abs(dense.coef()["rta"] - general.coef()["rta"]) < 1e-8
    fd, fg = dense.fixef(), general.fixef()
    for name in dense.fixef_names:
        # the solvers stop at fe_tol=1e-12 on the log scale; their raw effects differ by O(1)
        np.testing.assert_allclose(fd[name], fg[name], atol=1e-8)
    # the documented normalisation: exporter, importer and year sums balance
    A, B, C = fd["ex^year"], fd["im^year"], fd["ex^im"]

    def split(s: pd.Series) -> pd.DataFrame:
        # levels of an interaction are (first column, second column) tuples
        ix = pd.DataFrame([tuple(k) for k in s.index], columns=["k1", "k2"]).astype(int)
        ix["v"] = s.to_numpy()
        return ix

    a, b, c = split(A), split(B), split(C)  # (ex, year), (im, year), (ex, im)
    np.testing.assert_allclose(a.groupby("k1")["v"].sum(), c.groupby("k1")["v"].sum(), atol=1e-9)
    np.testing.assert_allclose(b.groupby("k1")["v"].sum(), c.groupby("k2")["v"].sum(), atol=1e-9)
    np.testing.assert_allclose(a.groupby("k2")["v"].sum(), b.groupby("k2")["v"].sum(), atol=1e-9)
    # and fitted values are exp(rta b + the three effects)
    eta = (
        dense.coef()["rta"] * df["rta"].to_numpy()
        + a.set_index(["k1", "k2"])["v"].reindex(pd.MultiIndex.from_arrays([df["ex"], df["year"]])).to_numpy()
        + b.set_index(["k1", "k2"])["v"].reindex(pd.MultiIndex.from_arrays([df["im"], df["year"]])).to_numpy()
        + c.set_index(["k1", "k2"])["v"].reindex(pd.MultiIndex.from_arrays([df["ex"], df["im"]])).to_numpy()
    )
    m = dense.sample_mask().to_numpy()
    np.testing.assert_allclose(dense.fitted_values()[m], np.exp(eta[m]), rtol=1e-9)
