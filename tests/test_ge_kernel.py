"""Properties of the one-sector GE solver (exact method) on synthetic worlds.

Tolerances are those of the issue: zero shock 1e-12, equilibrium conditions
1e-10, welfare identity and reference invariance 1e-8.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ftalab.errors import ConvergenceError, ValidationError
from ftalab.ge import Baseline, simulate
from ftalab.ge.counterfactual import shock_arrays, solve_arrays
from ftalab.ge.kernel import equilibrium_residuals


def world(n: int = 12, seed: int = 1, imbalanced: bool = True) -> tuple[list[str], np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.lognormal(0.0, 1.5, (n, n))
    if not imbalanced:
        X = (X + X.T) / 2  # symmetric flows -> balanced trade
    np.fill_diagonal(X, X.sum(axis=1) * rng.uniform(1.0, 6.0, n) if imbalanced else X.sum(axis=1) * 3)
    return [f"C{i:02d}" for i in range(n)], X


def random_shock(n: int, seed: int = 2, scale: float = 0.5) -> np.ndarray:
    rng = np.random.default_rng(seed)
    s = rng.normal(0.0, scale, (n, n))
    np.fill_diagonal(s, 0.0)
    return s


def to_long(codes: list[str], mat: np.ndarray, col: str) -> pd.DataFrame:
    n = len(codes)
    return pd.DataFrame(
        {"exporter": np.repeat(codes, n), "importer": np.tile(codes, n), col: mat.ravel()}
    )


@pytest.mark.parametrize("imbalance", ["multiplicative", "additive"])
@pytest.mark.parametrize("with_tariffs", [False, True])
def test_zero_shock_returns_baseline(imbalance: str, with_tariffs: bool) -> None:
    codes, X = world()
    tar = np.full(X.shape, 0.08) if with_tariffs else None
    base = Baseline.from_arrays(codes, X, sigma=5.0, reference="C03", tariffs=tar, imbalance=imbalance)
    res = simulate(base)
    cols = [c for c in res.countries.columns if c.endswith("_pct") or c.endswith("_change")]
    assert np.max(np.abs(res.countries[cols].to_numpy())) / 100 < 1e-12
    np.testing.assert_allclose(res.pairs["trade_full"], res.pairs["trade_base"], rtol=1e-12)


@pytest.mark.parametrize("imbalance", ["multiplicative", "additive"])
def test_equilibrium_conditions_hold(imbalance: str) -> None:
    codes, X = world(15, seed=4)
    tar0 = np.where(np.eye(15) == 1, 0.0, 0.1)
    base = Baseline.from_arrays(codes, X, sigma=6.0, reference="C07", tariffs=tar0, imbalance=imbalance)
    logc, tar = shock_arrays(base, random_shock(15), np.where(np.eye(15) == 1, 0.0, 0.02))
    cdl, full = solve_arrays(base, logc, tar)
    res = equilibrium_residuals(
        full.flows, full.price, base.output, base.expenditure - base.revenue, tar, full.imr,
        ref=base.ref_index, imbalance=imbalance,
    )
    for name, r in res.items():
        assert np.max(np.abs(r)) < 1e-10, name
    # conditional GE: output and income net of revenue held, sales = output
    assert np.max(np.abs(cdl.flows.sum(axis=1) / base.output - 1)) < 1e-10
    assert abs(cdl.imr[base.ref_index] - 1) < 1e-10
    assert full.max_residual < 1e-10 and cdl.max_residual < 1e-10


def test_welfare_identity_multiplicative_no_tariffs() -> None:
    codes, X = world(20, seed=7)
    sigma = 4.0
    base = Baseline.from_arrays(codes, X, sigma=sigma, reference="C00")
    res = simulate(base, cost_change=random_shock(20, seed=8))
    dom = res.pairs[res.pairs.exporter == res.pairs.importer].set_index("exporter")
    lam_hat = dom["share_new"] / dom["share_base"]
    expected = lam_hat ** (1.0 / (1.0 - sigma))
    got = 1 + res.countries["real_gdp_pct"] / 100
    np.testing.assert_allclose(got.to_numpy(), expected.loc[got.index].to_numpy(), rtol=1e-8)


def test_additive_keeps_world_imbalance() -> None:
    codes, X = world(10, seed=3)
    base = Baseline.from_arrays(codes, X, sigma=5.0, reference="C02", imbalance="additive")
    logc, tar = shock_arrays(base, random_shock(10, seed=5))
    _, full = solve_arrays(base, logc, tar)
    d0 = (base.expenditure - base.output).sum()
    d1 = (full.expenditure - full.output).sum()
    assert abs(d0) < 1e-9 * base.output.sum()
    assert abs(d1) < 1e-9 * full.output.sum()
    # each deficit is fixed relative to world output (the documented closure)
    ratio0 = (base.expenditure - base.output) / base.output.sum()
    ratio1 = (full.expenditure - full.output) / full.output.sum()
    np.testing.assert_allclose(ratio1, ratio0, atol=1e-12)


def test_tariff_revenue_adds_up() -> None:
    codes, X = world(10, seed=11)
    rng = np.random.default_rng(0)
    tar0 = rng.uniform(0.0, 0.3, (10, 10))
    new = tar0 * rng.uniform(0.0, 1.0, (10, 10))
    base = Baseline.from_arrays(codes, X, sigma=5.0, reference="C01", tariffs=tar0)
    res = simulate(base, new_tariffs=to_long(codes, new, "tariff"))
    np.fill_diagonal(new, 0.0)
    consumer = res.pairs["trade_full"].to_numpy().reshape(10, 10) * (1 + new)
    expected = (new * consumer / (1 + new)).sum(axis=0)
    np.testing.assert_allclose(res.countries["tariff_revenue_new"], expected, rtol=1e-10)
    np.testing.assert_allclose(
        res.countries["tariff_revenue_change"], expected - base.revenue, rtol=1e-10, atol=1e-12
    )
    # abolishing all tariffs leaves no revenue
    free = simulate(base, new_tariffs=np.zeros((10, 10)))
    assert np.abs(free.countries["tariff_revenue_new"]).max() == 0.0


@pytest.mark.parametrize("imbalance", ["multiplicative", "additive"])
def test_real_results_do_not_depend_on_reference(imbalance: str) -> None:
    codes, X = world(12, seed=21)
    tar0 = np.where(np.eye(12) == 1, 0.0, 0.05)
    shock = random_shock(12, seed=22)
    a = simulate(Baseline.from_arrays(codes, X, sigma=5.0, reference="C00", tariffs=tar0, imbalance=imbalance),
                 cost_change=shock, new_tariffs=np.zeros((12, 12)))
    b = simulate(Baseline.from_arrays(codes, X, sigma=5.0, reference="C09", tariffs=tar0, imbalance=imbalance),
                 cost_change=shock, new_tariffs=np.zeros((12, 12)))
    for col in ("real_gdp_pct", "welfare_pct"):
        np.testing.assert_allclose(1 + a.countries[col] / 100, 1 + b.countries[col] / 100, rtol=1e-8)
    np.testing.assert_allclose(a.pairs["share_new"], b.pairs["share_new"], rtol=1e-8, atol=1e-14)
    # nominal values do depend on the reference: prices differ by a common factor
    ratio = (1 + a.countries["price_pct"] / 100) / (1 + b.countries["price_pct"] / 100)
    np.testing.assert_allclose(ratio, ratio.iloc[0], rtol=1e-8)


def test_symmetric_countries_get_identical_results() -> None:
    # four identical countries in two blocs; the shock is symmetric within the blocs
    X = np.full((4, 4), 10.0)
    np.fill_diagonal(X, 100.0)
    base = Baseline.from_arrays(["AAA", "BBB", "CCC", "DDD"], X, sigma=5.0, reference="AAA")
    shock = np.zeros((4, 4))
    shock[0, 1] = shock[1, 0] = shock[2, 3] = shock[3, 2] = 0.3
    res = simulate(base, cost_change=shock)
    c = res.countries
    np.testing.assert_allclose(c.loc["AAA"], c.loc["BBB"], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(c.loc["CCC"], c.loc["DDD"], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(c.loc["AAA", "real_gdp_pct"], c.loc["CCC", "real_gdp_pct"], rtol=1e-10)


def test_relabelling_permutes_results() -> None:
    codes, X = world(8, seed=31)
    shock = random_shock(8, seed=32)
    perm = np.random.default_rng(0).permutation(8)
    a = simulate(Baseline.from_arrays(codes, X, sigma=5.0, reference="C03"), cost_change=shock)
    b = simulate(
        Baseline.from_arrays([codes[i] for i in perm], X[np.ix_(perm, perm)], sigma=5.0, reference="C03"),
        cost_change=shock[np.ix_(perm, perm)],
    )
    pd.testing.assert_frame_equal(a.countries, b.countries.loc[a.countries.index], rtol=1e-9, atol=1e-9)


def test_inputs_not_mutated_and_long_tables_work() -> None:
    codes, X = world(6)
    flows = to_long(codes, X, "value")
    before = flows.copy()
    base = Baseline.from_flows(flows, sigma=5.0, reference="C00")
    shock = to_long(codes, random_shock(6), "log_change")
    shock_before = shock.copy()
    res = simulate(base, cost_change=shock)
    pd.testing.assert_frame_equal(flows, before)
    pd.testing.assert_frame_equal(shock, shock_before)
    assert res.converged and list(res.countries.index) == codes


def test_bad_inputs_raise_clear_errors() -> None:
    codes, X = world(5)
    flows = to_long(codes, X, "value")
    with pytest.raises(ValidationError, match="sigma"):
        Baseline.from_flows(flows, sigma=0.5, reference="C00")
    with pytest.raises(ValidationError, match="reference"):
        Baseline.from_flows(flows, sigma=5, reference="XXX")
    with pytest.raises(ValidationError, match="lacks column"):
        Baseline.from_flows(flows.rename(columns={"value": "trade"}), sigma=5, reference="C00")
    no_dom = flows[flows.exporter != flows.importer]
    with pytest.raises(ValidationError, match="domestic"):
        Baseline.from_flows(no_dom, sigma=5, reference="C00")
    base = Baseline.from_flows(flows, sigma=5, reference="C00")
    with pytest.raises(ValidationError, match="not in the baseline"):
        simulate(base, cost_change=pd.DataFrame({"exporter": ["ZZZ"], "importer": ["C00"], "log_change": [0.1]}))
    with pytest.raises(ValidationError, match="percent"):
        simulate(base, new_tariffs=pd.DataFrame({"exporter": ["C01"], "importer": ["C00"], "tariff": [25.0]}))
    dup = pd.concat([flows, flows.head(1)])
    with pytest.raises(ValidationError, match="more than once"):
        Baseline.from_flows(dup, sigma=5, reference="C00")
    with pytest.raises(ValidationError, match="method"):
        simulate(base, method="fast")  # type: ignore[arg-type]


def test_non_convergence_is_reported() -> None:
    codes, X = world(10, seed=3)
    base = Baseline.from_arrays(codes, X, sigma=5.0, reference="C00")
    with pytest.raises(ConvergenceError, match="did not converge"):
        simulate(base, cost_change=random_shock(10, scale=3.0), max_iter=1)


def test_extreme_shock_converges() -> None:
    # removing a huge border (kappa ~ e^4) in a very unequal world still solves
    rng = np.random.default_rng(5)
    n = 40
    X = rng.lognormal(0, 3.0, (n, n)) * 1e-3
    np.fill_diagonal(X, rng.lognormal(5, 3.0, n))
    base = Baseline.from_arrays([f"K{i:02d}" for i in range(n)], X, sigma=7.0, reference="K00")
    shock = np.where(np.eye(n) == 1, 0.0, 4.0)
    res = simulate(base, cost_change=shock)
    assert res.converged and res.max_residual < 1e-10
    assert np.isfinite(res.countries.to_numpy()).all()
