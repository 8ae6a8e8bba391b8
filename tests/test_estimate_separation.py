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
