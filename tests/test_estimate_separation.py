"""Separation and singletons, on the hand-made cases in tests/fixtures/separation (see its README)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ftalab
from ftalab.errors import EstimationError, EstimationWarning

FIX = Path(__file__).parent / "fixtures" / "separation"
SEP = "separated by regressors"


def _load(name: str) -> pd.DataFrame:
    return pd.read_csv(FIX / name)


@pytest.mark.parametrize(
    ("file", "fml", "collinear", "reduced"),
    [
        ("regressor_dummy.csv", "y ~ x1 + x2", "x1", "y ~ x2"),
        ("regressor_combination.csv", "y ~ x1 + x2 + x3", "x2", "y ~ x1 + x3"),
        ("fe_and_regressor.csv", "y ~ x + z | g", "x", "y ~ z | g"),
    ],
)
def test_regressor_separation_is_detected_and_dropped(file, fml, collinear, reduced) -> None:
    df = _load(file)
    with pytest.warns(EstimationWarning, match="collinear"):
        fit = ftalab.fepois(fml, df)
    dropped = fit.dropped()
    got = sorted(dropped.loc[dropped["reason"] == SEP, "position"])
    assert got == list(np.flatnonzero(df["separated"].to_numpy() == 1))
    assert collinear not in fit.coef().index
    assert np.isfinite(fit.coef()).all() and np.isfinite(fit.se()).all()
    # same slopes as a fit on the non-separated rows without the collinear regressor
    ref = ftalab.fepois(reduced, df[df["separated"] == 0])
    common = ref.coef().index
    np.testing.assert_allclose(fit.coef()[common], ref.coef()[common], rtol=1e-8, atol=1e-10)


def test_separation_off_leaves_rows_in() -> None:
    df = _load("fe_only.csv")
    fit = ftalab.fepois("y ~ z | g", df, separation=False)
    # FE separation (all-zero group) and singletons are always dropped
    counts = fit.dropped_counts()
    assert counts == {"singleton fixed-effect group": 1, "separated by fixed effects (outcome zero throughout a group)": 5}
    pos = fit.dropped().set_index("position")["reason"]
    assert set(pos[pos.str.startswith("separated")].index) == set(np.flatnonzero(df["separated"] == 1))
    assert set(pos[pos.str.startswith("singleton")].index) == set(np.flatnonzero(df["singleton"] == 1))
    assert fit.nobs == 14
    assert fit.fitted_values().isna().sum() == 6


def test_no_false_positive_on_clean_data() -> None:
    rng = np.random.default_rng(0)
    n = 400
    df = pd.DataFrame({"x": rng.normal(size=n), "g": rng.integers(0, 20, n)})
    df["y"] = rng.poisson(np.exp(0.5 * df["x"]))
    fit = ftalab.fepois("y ~ x | g", df)
    assert SEP not in fit.dropped_counts()
    assert (df["y"] == 0).any()


def test_nothing_identified_raises() -> None:
    df = pd.DataFrame({"y": [0.0, 0.0, 0.0, 0.0], "x": [1.0, 2.0, 3.0, 4.0], "g": ["a", "a", "b", "b"]})
    with pytest.raises(EstimationError, match="no observations left"):
        ftalab.fepois("y ~ x | g", df)


def test_regressor_absorbed_by_fixed_effect_raises() -> None:
    df = pd.DataFrame({"y": [1.0, 2.0, 3.0, 4.0, 2.0, 1.0], "x": [1.0, 1, 1, 2, 2, 2], "g": list("aaabbb")})
    with pytest.warns(EstimationWarning, match="collinear"), pytest.raises(EstimationError, match="no regressor"):
        ftalab.fepois("y ~ x | g", df)


def _sparse_poisson_panel(n: int, t: int, seed: int) -> pd.DataFrame:
    """Small 3-way panel with small Poisson means: about 40-55% zeros, unbalanced."""
    rng = np.random.default_rng(seed)
    yr, ex, im = (a.ravel() for a in np.meshgrid(np.arange(t), np.arange(n), np.arange(n), indexing="ij"))
    size = rng.normal(0, 1.5, n)
    dist = rng.lognormal(1, 0.5, (n, n))
    rta = ((rng.uniform(size=(n, n)) < 0.3)[ex, im] & (yr >= rng.integers(0, t, (n, n))[ex, im])).astype(float)
    eta = size[ex] + size[im] - np.log(dist[ex, im]) + 3.0 * (ex == im) + 0.1 * yr + 0.4 * rta
    df = pd.DataFrame({"year": yr, "ex": ex, "im": im, "y": rng.poisson(np.exp(eta)).astype(float), "rta": rta})
    return df.drop(index=rng.choice(len(df), len(df) // 30, replace=False)).reset_index(drop=True)


def _lp_separated(df: pd.DataFrame, keep: np.ndarray, xcols: tuple[str, ...] = ("rta",)) -> np.ndarray:
    """Rows separated by the regressors and the three fixed effects, by linear programming.

    Maximise the sum of z = X g + D a over the zero rows subject to z = 0 where y > 0
    and 0 <= z <= 1 where y = 0 (Correia, Guimaraes & Zylkin 2019, section 3).
    """
    from scipy.optimize import linprog

    s = df[keep]
    dims = [s["ex"] * 1000 + s["year"], s["im"] * 1000 + s["year"], s["ex"] * 1000 + s["im"]]
    codes = [pd.factorize(d)[0] for d in dims]
    k = len(xcols)
    M = np.zeros((len(s), k + sum(c.max() + 1 for c in codes)))
    M[:, :k] = s[list(xcols)].to_numpy()
    col = k
    for c in codes:
        M[np.arange(len(s)), col + c] = 1.0
        col += c.max() + 1
    pos = s["y"].to_numpy() > 0
    Z = M[~pos]
    found = np.zeros(len(Z), dtype=bool)
    while True:
        # rows not found yet that some certificate makes positive; repeat until none (the
        # optimum of one LP need not cover every separable row when the bounds bind)
        res = linprog(-Z[~found].sum(axis=0), A_eq=M[pos], b_eq=np.zeros(pos.sum()), A_ub=np.vstack([-Z, Z]),
                      b_ub=np.r_[np.zeros(len(Z)), np.ones(len(Z))], bounds=[(None, None)] * M.shape[1],
                      method="highs")
        assert res.status == 0
        new = (Z @ res.x > 1e-7) & ~found
        if not new.any():
            break
        found |= new
    return np.flatnonzero(keep)[np.flatnonzero(~pos)[found]]


@pytest.mark.parametrize("seed", [1, 7])
def test_relu_on_sparse_three_way_panel_agrees_with_linear_programming(seed) -> None:
    # Regression: on these panels conjugate gradients stalled under the ReLU weights
    # (ConvergenceError), and a decaying iteration left values just above tol that were
    # then taken for separated rows (3 and 8 rows, none separated by the LP below).
    df = _sparse_poisson_panel(12, 5, seed)
    fml = "y ~ rta | ex^year + im^year + ex^im"
    fit = ftalab.fepois(fml, df)
    dropped = fit.dropped()
    by_fe = dropped.loc[dropped["reason"] != "separated by regressors", "position"].to_numpy()
    keep = np.ones(len(df), dtype=bool)
    keep[by_fe] = False
    lp = _lp_separated(df, keep)
    ours = dropped.loc[dropped["reason"] == "separated by regressors", "position"].to_numpy()
    assert sorted(ours) == sorted(lp)
    unchecked = ftalab.fepois(fml, df, separation=False)
    if len(lp) == 0:
        assert fit.coef()["rta"] == pytest.approx(unchecked.coef()["rta"], abs=1e-8)


def test_relu_finds_real_separation_on_sparse_three_way_panel() -> None:
    # a dummy that is 1 on three zero rows only separates exactly those rows
    df = _sparse_poisson_panel(12, 5, 1)
    used = ftalab.fepois("y ~ rta | ex^year + im^year + ex^im", df).sample_mask().to_numpy()
    zero_rows = np.flatnonzero(used & (df["y"] == 0).to_numpy() & (df["year"] == 2).to_numpy())[[0, 5, 9]]
    df["flag"] = 0.0
    df.loc[zero_rows, "flag"] = 1.0
    with pytest.warns(EstimationWarning, match="collinear"):
        fit = ftalab.fepois("y ~ rta + flag | ex^year + im^year + ex^im", df)
    dropped = fit.dropped()
    ours = dropped.loc[dropped["reason"] == SEP, "position"].to_numpy()
    keep = np.ones(len(df), dtype=bool)
    keep[dropped.loc[dropped["reason"] != SEP, "position"].to_numpy()] = False
    lp = _lp_separated(df, keep, ("rta", "flag"))
    assert set(zero_rows) <= set(lp)
    assert sorted(ours) == sorted(lp)
