"""The book's iterative procedure (method="book") against the book's own logs.

Reference values: the logs of the book's do-files in github
``pachadotdev/tradepolicy``, ``00-application-files/Chapter2/Applications/``:

* ``1_TradeWithoutBorder/Results/TradeWithoutBorder.log`` (commit 342a6553e67f),
  the five blocks "iteration number 1" ... "iteration number 5" printed by
  ``summarize dif_change_pi_*`` inside the ``while`` loop (near the end of the
  file, after "Start of the Iterative Procedure");
* ``2_RTAsEffects/Results/RTAsEffects.log`` (commit bc5d4da01080), the three
  blocks "iteration number 1" ... "iteration number 3" (same place).

Stata prints 7 significant digits (at most 7 decimals), and its ``ppml`` fits
stop at their own convergence criterion, so the tolerance is one unit of the
last printed digit (1e-7 for values printed with 7 decimals, scaled up for
values printed with fewer). Observed differences are below 6e-8.
"""

from __future__ import annotations

import numpy as np
import pytest

from ftalab.errors import ValidationError
from ftalab.ge import Baseline, simulate
from ftalab.ge.book import two_way_poisson

# (mean, sd, min, max) per iteration, as printed
TWB_LOG = [
    (1.305293, 0.0796225, 0.9666225, 1.468882),
    (-0.3126514, 0.0902139, -0.4959582, 0.0765771),
    (0.0074778, 0.0139545, -0.0659928, 0.0318213),
    (0.0009588, 0.0067648, -0.005722, 0.0355494),
    (-0.0022108, 0.0044307, -0.0200164, 0.0032467),
]
NAFTA_LOG = [
    (0.9994758, 0.0031412, 0.978553, 1.000545),
    (0.0006048, 0.0036707, -0.0006441, 0.025059),
    (-0.0001521, 0.000977, -0.0066189, 0.0001341),
]


def printed_tol(v: float) -> float:
    """One unit in the 7th significant digit Stata prints (at most 7 decimals)."""
    if v == 0:
        return 1e-7
    digits = 7 - int(np.floor(np.log10(abs(v)))) - 1
    return 10.0 ** (-min(digits, 7)) + 1e-12


def _check_log(summaries, log) -> None:
    assert len(summaries) == len(log)
    for k, (row, ref) in enumerate(zip(summaries.itertuples(), log), start=1):
        assert row.iteration == k and row.obs == 4761
        for name, want in zip(("mean", "sd", "min", "max"), ref):
            got = getattr(row, name)
            assert abs(got - want) <= printed_tol(want), (k, name, got, want)


def test_two_way_poisson_solves_the_ppml_first_order_conditions() -> None:
    rng = np.random.default_rng(0)
    O = rng.lognormal(0, 1, (7, 7))
    T = rng.lognormal(0, 1, (7, 7)) * 5
    a, b, F = two_way_poisson(T, O, ref=2)
    np.testing.assert_allclose(F.sum(axis=1), T.sum(axis=1), rtol=1e-13)
    np.testing.assert_allclose(F.sum(axis=0), T.sum(axis=0), rtol=1e-13)
    assert b[2] == 1.0
    np.testing.assert_allclose(F, a[:, None] * b[None, :] * O, rtol=1e-14)


@pytest.mark.oracle
def test_two_way_poisson_matches_pyfixest() -> None:
    import pandas as pd
    import pyfixest as pf

    rng = np.random.default_rng(1)
    n = 8
    O = rng.lognormal(0, 1, (n, n))
    T = rng.lognormal(0, 1, (n, n)) * 5
    df = pd.DataFrame({"e": np.repeat(np.arange(n), n).astype(str), "i": np.tile(np.arange(n), n).astype(str),
                       "y": T.ravel(), "o": np.log(O).ravel()})
    fit = pf.fepois("y ~ 1 | e + i", data=df, offset="o")
    _, _, F = two_way_poisson(T, O, ref=0)
    # pyfixest stops its fixed-effect solver at ~1e-7 (its row sums miss by that much)
    np.testing.assert_allclose(F.ravel(), fit.predict(type="response"), rtol=1e-6)


def test_book_zero_shock_returns_baseline() -> None:
    rng = np.random.default_rng(2)
    X = rng.lognormal(0, 1, (9, 9))
    np.fill_diagonal(X, X.sum(axis=1) * 3)
    base = Baseline.from_arrays([f"C{i}" for i in range(9)], X, sigma=7.0, reference="C4")
    res = simulate(base, method="book")
    cols = [c for c in res.countries.columns if c.endswith("_pct")]
    assert np.max(np.abs(res.countries[cols].to_numpy())) / 100 < 1e-12
    assert res.converged


def test_book_rejects_what_it_cannot_do() -> None:
    X = np.array([[10.0, 1.0], [2.0, 8.0]])
    tar = np.array([[0.0, 0.1], [0.1, 0.0]])
    with pytest.raises(ValidationError, match="tariffs"):
        simulate(Baseline.from_arrays(["A", "B"], X, sigma=5, reference="A", tariffs=tar), method="book")
    with pytest.raises(ValidationError, match="additive"):
        simulate(Baseline.from_arrays(["A", "B"], X, sigma=5, reference="A", imbalance="additive"), method="book")


@pytest.fixture(scope="module")
def twb():
    from ftalab.ge.applications import twb_inputs

    return twb_inputs()


@pytest.fixture(scope="module")
def nafta():
    from ftalab.ge.applications import nafta_inputs

    return nafta_inputs()


def test_twb_book_matches_log_iteration_by_iteration(twb) -> None:
    res = simulate(twb.baseline, cost_change=twb.log_cost_change, method="book")
    _check_log(res.diagnostics["iterations"], TWB_LOG)
    assert res.converged and res.iterations["full"] == 5
    # at its stopping point output and sales do not match exactly
    assert 1e-4 < res.max_residual < 0.05


def test_nafta_book_matches_log_iteration_by_iteration(nafta) -> None:
    res = simulate(nafta.baseline, cost_change=nafta.log_cost_change, method="book")
    _check_log(res.diagnostics["iterations"], NAFTA_LOG)
    assert res.converged and res.iterations["full"] == 3


def test_nafta_book_loop_diverges_when_run_longer(nafta) -> None:
    from ftalab.ge.book import simulate_book

    n = nafta.baseline.n
    short = simulate_book(nafta.baseline, nafta.log_cost_change, np.zeros((n, n)), max_iterations=10, threshold=-1)
    long = simulate_book(nafta.baseline, nafta.log_cost_change, np.zeros((n, n)), max_iterations=40, threshold=-1)
    sd = long.diagnostics["iterations"]["sd"]
    # the lagged price difference grows again after its minimum: no convergence
    assert sd.iloc[-1] > 5 * sd.min()
    assert long.max_residual > short.max_residual
