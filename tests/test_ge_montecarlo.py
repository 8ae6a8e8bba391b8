"""Monte Carlo intervals: reproducibility across executors, sane intervals."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

from ftalab.errors import ValidationError
from ftalab.ge import Baseline, draw_coefficients, monte_carlo, simulate


def _world(n: int = 10) -> tuple[Baseline, np.ndarray]:
    rng = np.random.default_rng(3)
    X = rng.lognormal(0, 1.2, (n, n))
    np.fill_diagonal(X, X.sum(axis=1) * 4)
    fta = np.zeros((n, n))
    fta[:4, :4] = 1.0
    np.fill_diagonal(fta, 0.0)
    return Baseline.from_arrays([f"C{i:02d}" for i in range(n)], X, sigma=5.0, reference="C09"), fta


class Shock:
    """Picklable shock builder: an FTA among the first four countries."""

    def __init__(self, fta: np.ndarray) -> None:
        self.fta = fta

    def __call__(self, b: pd.Series) -> dict:
        return {"cost_change": b["rta"] * self.fta}


COEF = pd.Series({"rta": 0.5, "ln_dist": -0.8})
VCOV = pd.DataFrame([[0.01, 0.002], [0.002, 0.004]], index=COEF.index, columns=COEF.index)


def test_same_draws_whatever_the_executor_and_chunking() -> None:
    base, fta = _world()
    seq = monte_carlo(base, draws=40, seed=7, coef=COEF, vcov=VCOV, build_shock=Shock(fta))
    with ThreadPoolExecutor(2) as pool:
        par = monte_carlo(base, draws=40, seed=7, coef=COEF, vcov=VCOV, build_shock=Shock(fta),
                          executor=pool, chunk_size=7)
    np.testing.assert_array_equal(seq.coef_draws.to_numpy(), par.coef_draws.to_numpy())
    np.testing.assert_allclose(seq.values, par.values, rtol=1e-9, atol=1e-10)
    # the first draws do not change when more draws are requested? (spawned streams do not)
    more = draw_coefficients(COEF, VCOV, 60, seed=7)
    np.testing.assert_array_equal(more.iloc[:40].to_numpy(), seq.coef_draws.to_numpy())


def test_each_draw_equals_a_fresh_solve() -> None:
    base, fta = _world()
    mc = monte_carlo(base, draws=5, seed=1, coef=COEF, vcov=VCOV, build_shock=Shock(fta))
    for d in (0, 4):
        b = mc.coef_draws.iloc[d]
        fresh = simulate(base, **Shock(fta)(b))
        np.testing.assert_allclose(mc.values[d], fresh.countries.to_numpy(), rtol=1e-8, atol=1e-9)


def test_summary_intervals() -> None:
    base, fta = _world()
    mc = monte_carlo(base, draws=200, seed=3, coef=COEF, vcov=VCOV, build_shock=Shock(fta))
    s = mc.summary(0.9)
    assert set(s.columns) == {"point", "lower", "upper", "sd", "label"}
    assert (s["label"] == "conditional on sigma").all()
    gdp = s.xs("real_gdp_pct", level="outcome")
    assert (gdp["lower"] <= gdp["point"]).all() and (gdp["point"] <= gdp["upper"]).all()
    # members gain, and their intervals have positive width
    assert (gdp.loc[["C00", "C01", "C02", "C03"], "lower"] > 0).all()
    assert (gdp["upper"] - gdp["lower"] > 0).all()
    with pytest.raises(ValidationError, match="level"):
        mc.summary(95)


def test_zero_variance_gives_point_intervals_and_sigma_draws_are_labelled() -> None:
    base, fta = _world()
    zero = pd.DataFrame(0.0, index=COEF.index, columns=COEF.index)
    mc = monte_carlo(base, draws=5, seed=3, coef=COEF, vcov=zero, build_shock=Shock(fta))
    s = mc.summary()
    np.testing.assert_allclose(s["lower"], s["point"], rtol=1e-9, atol=1e-9)
    mc2 = monte_carlo(base, draws=5, seed=3, coef=COEF, vcov=VCOV, build_shock=Shock(fta),
                      sigma_draws=np.linspace(4, 6, 5))
    assert (mc2.summary()["label"] == "sigma drawn").all()
    assert "sigma" in mc2.coef_draws.columns


def test_bad_vcov() -> None:
    with pytest.raises(ValidationError, match="vcov lacks"):
        draw_coefficients(COEF, VCOV.iloc[:1, :1], 3, 0)
    bad = pd.DataFrame([[1.0, 2.0], [2.0, 1.0]], index=COEF.index, columns=COEF.index)
    with pytest.raises(ValidationError, match="positive semi-definite"):
        draw_coefficients(COEF, bad, 3, 0)
