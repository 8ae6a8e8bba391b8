"""The book's iterative full-endowment procedure (``method="book"``).

Yotov, Piermartini, Monteiro & Larch (2016), *An Advanced Guide to Trade
Policy Analysis*, ch. 2, solve the full-endowment GE with a loop of
structural PPML regressions (do-files ``Chapter2/Applications/*/*.do`` in
github ``pachadotdev/tradepolicy``). This module runs that loop step by step:

1. conditional GE: PPML of the baseline flows on exporter and importer fixed
   effects with the counterfactual trade costs as offset; the reference
   importer's effect is fixed at 0 (``exp_chi_ref = 1``);
2. first-order price change ``p_1 = (exp_pi_1 / exp_pi_0)^(1/(1-sigma))``;
3. iterate: scale the last fitted flows by the exporter's and the importer's
   latest price change and divide by the latest changes of the outward and
   inward resistances; re-fit the PPML; set output to the fitted sales,
   expenditure to ``phi * output`` (``phi = E/Y`` of the baseline, no world
   rescaling); update prices ``((exp_pi_s / exp_pi_{s-1}) / (E_R,s / E_R,s-1))^(1/(1-sigma))``
   and the resistances;
4. stopping rule: the difference between the two *previous* price changes
   (lagged one iteration), taken over all N x N rows of the data, has a
   standard deviation <= 0.01 and an absolute maximum <= 0.01;
5. full-endowment values from the last fit: prices
   ``((exp_pi_S / exp_pi_0) / (E_R,S / E_R,0))^(1/(1-sigma))``, output ``p * Y``,
   expenditure ``phi * p * Y``, flows ``Y E t / (IMR * OMR)``.

The PPMLs of the loop contain only exporter and importer fixed effects and an
offset, on a complete N x N table. Their maximum-likelihood solution is the
unique fit ``a_i b_j O_ij`` whose row and column sums equal those of the
dependent variable (the Poisson first-order conditions); it is computed by
:func:`ftalab.fepois` with fixed effects only, first-order conditions met to
1e-14 on the log scale (``tests/test_ge_book.py`` checks it against pyfixest's
``fepois``).

What this is and is not: the loop stops at a *snapshot*. It stops after 5
iterations in "trade without borders" and 3 for NAFTA, as in the book's logs,
but run longer it drifts (export changes move by several percentage points)
and for NAFTA it diverges; at its stopping point output and sales do not
match exactly (the gap is reported as ``max_residual``). ``method="exact"``
solves the equilibrium conditions themselves; report both side by side.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from ftalab.errors import ConvergenceError, ValidationError
from ftalab.ge.baseline import Baseline
from ftalab.ge.kernel import KernelSolution
from ftalab.ge.results import GEResult

__all__ = ["simulate_book", "two_way_poisson", "BOOK_THRESHOLD"]

logger = logging.getLogger(__name__)

#: The do-files' stopping threshold on the sd and |max| of the lagged price difference.
BOOK_THRESHOLD = 0.01


def two_way_poisson(
    target: np.ndarray, offset: np.ndarray, ref: int, *, tol: float = 1e-14, max_iter: int = 100_000
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """PPML of an N x N table on exporter and importer fixed effects with an offset.

    Runs :func:`ftalab.fepois` (``y ~ 1 | exporter + importer`` with offset
    ``log(offset)``), the project's one Poisson solver, whose fixed effects solve
    the Poisson first-order conditions: the fit ``a_i * b_j * offset_ij`` has the
    row and column sums of ``target``. Normalisation ``b[ref] = 1`` (the reference
    importer's fixed effect is 0). Cells with a zero offset are left out (their
    fit is 0); an all-zero row or column of ``target`` gets ``a_i = 0`` or
    ``b_j = 0`` (Poisson separation: the fixed effect is minus infinity).

    Parameters
    ----------
    target : ndarray (N, N)
        Dependent variable (non-negative).
    offset : ndarray (N, N)
        ``exp(offset)`` of the regression, i.e. trade costs ``t^(1-sigma)`` (non-negative).
    ref : int
        Reference importer.
    tol : float
        Largest violation of a first-order condition, log scale (``fe_tol`` of fepois).
    max_iter : int
        Largest number of fixed-effect sweeps (``fe_maxiter`` of fepois).

    Returns
    -------
    a, b, fitted : ndarray
        ``exp`` of exporter and importer fixed effects, and fitted values.
    """
    from ftalab.estimate import fepois

    target = np.asarray(target, dtype=float)
    offset = np.asarray(offset, dtype=float)
    n, m = target.shape
    if offset.shape != target.shape or (offset < 0).any() or (target < 0).any():
        raise ValidationError("two_way_poisson needs non-negative target and offset tables of the same shape")
    if target[offset == 0].any():
        raise ValidationError("two_way_poisson: positive flows where the offset (trade cost term) is zero")
    with np.errstate(divide="ignore"):
        log_off = np.log(offset).ravel()
    df = pd.DataFrame(
        {
            "y": target.ravel(),
            "exporter": np.repeat(np.arange(n), m),
            "importer": np.tile(np.arange(m), n),
            "o": log_off,
        }
    )
    # rows with a zero offset (log = -inf) are dropped by fepois as non-finite: their fit is 0
    try:
        fit = fepois("y ~ 1 | exporter + importer", df, offset="o", fe_tol=tol, fe_maxiter=max_iter)
    except ConvergenceError as exc:
        raise ConvergenceError(f"two-way Poisson fit (book method) did not converge: {exc}") from exc
    fe = fit.fixef()
    with np.errstate(over="ignore"):
        a = np.exp(fe["exporter"].reindex(np.arange(n)).to_numpy(dtype=float))
        b = np.exp(fe["importer"].reindex(np.arange(m)).to_numpy(dtype=float))
    a = np.nan_to_num(a, nan=0.0)  # separated rows and columns (all-zero target)
    b = np.nan_to_num(b, nan=0.0)
    if not b[ref] > 0:
        raise ValidationError("two_way_poisson: the reference importer has no positive flows")
    a, b = a * b[ref], b / b[ref]
    return a, b, a[:, None] * b[None, :] * offset


def simulate_book(
    baseline: Baseline,
    logc: np.ndarray,
    tar: np.ndarray,
    *,
    max_iterations: int = 200,
    threshold: float = BOOK_THRESHOLD,
) -> GEResult:
    """Run the book's procedure for one counterfactual (see the module docstring).

    Parameters
    ----------
    baseline : Baseline
        Should hold *fitted* flows of a structural gravity regression, as in the book.
    logc : ndarray
        Log change of ``t^(1-sigma)`` per pair.
    tar : ndarray
        Counterfactual tariffs; the book's procedure has none, so they must equal
        the baseline's and be zero.
    max_iterations : int
        Safety cap on loop iterations (the book has none).
    threshold : float
        Stopping threshold (0.01 in the book).

    Returns
    -------
    GEResult
        ``converged`` = the stopping rule was met; ``max_residual`` = largest
        relative gap between sales and output at the stopping point;
        ``diagnostics["iterations"]`` = the per-iteration summaries printed in the
        book's logs (mean, sd, min, max of the lagged price difference).
    """
    from ftalab.ge.counterfactual import assemble

    if baseline.tariffs.any() or np.any(tar != 0):
        raise ValidationError("method='book' has no tariffs (the book's procedure has none); use method='exact'")
    if baseline.imbalance != "multiplicative":
        raise ValidationError("method='book' holds imbalances multiplicatively; use method='exact' for additive")
    n = baseline.n
    r = baseline.ref_index
    e = 1.0 / (1.0 - baseline.sigma)
    X = baseline.flows
    O = X * np.exp(logc)  # counterfactual trade costs up to exporter and importer factors
    Y = X.sum(axis=1)
    E = X.sum(axis=0)
    phi = E / Y
    ER0 = E[r]

    # s = 1: conditional GE
    a1, b1, that1 = two_way_poisson(X, O, r)
    imr_bln = E / ER0  # exp_chi_BLN = 1 in relative terms
    omr_bln = Y * ER0
    imr_cdl = E / (b1 * ER0)
    omr_cdl = Y * ER0 / a1

    # state of iteration k: a, ER, cp (price change), OMR, IMR, cOMR, cIMR, tradehat, E
    cp_prev2 = np.zeros(n)  # change_pricei_0 = 0 in the do-file
    cp_prev = (a1 / 1.0) ** e
    a_prev, ER_prev = a1, ER0
    omr_prev, imr_prev = omr_cdl, imr_cdl
    comr_prev = cimr_prev = np.ones(n)
    that_prev = that1
    a_k, b_k, ER_k, E_k = a1, b1, ER0, E
    summaries = []
    met = False
    for k in range(2, max_iterations + 2):
        trade_k = that_prev * cp_prev[:, None] * cp_prev[None, :] / (comr_prev[:, None] * cimr_prev[None, :])
        a_k, b_k, that_k = two_way_poisson(trade_k, O, r)
        Y_k = that_k.sum(axis=1)
        E_k = phi * Y_k
        ER_k = E_k[r]
        cp_k = ((a_k / a_prev) / (ER_k / ER_prev)) ** e
        omr_k = Y_k * ER_k / a_k
        imr_k = E_k / (b_k * ER_k)
        # the rule looks at the previous two price changes, over all N x N rows
        dif = np.repeat(cp_prev - cp_prev2, n)
        summaries.append(
            {"iteration": k - 1, "obs": n * n, "mean": dif.mean(), "sd": dif.std(ddof=1),
             "min": dif.min(), "max": dif.max()}
        )
        logger.info("book iteration %d: sd %.7f max %.7f", k - 1, summaries[-1]["sd"], summaries[-1]["max"])
        cp_prev2, cp_prev = cp_prev, cp_k
        comr_prev, cimr_prev = omr_k / omr_prev, imr_k / imr_prev
        omr_prev, imr_prev = omr_k, imr_k
        a_prev, ER_prev = a_k, ER_k
        that_prev = that_k
        if summaries[-1]["sd"] <= threshold and abs(summaries[-1]["max"]) <= threshold:
            met = True
            break
    if not met:
        logger.warning("book procedure: stopping rule not met in %d iterations", max_iterations)

    # full-endowment values from the last fit
    p_full = ((a_k / 1.0) / (ER_k / ER0)) ** e
    Y_full = p_full * Y
    E_full = phi * Y_full
    omr_full = Y_full * ER_k / a_k
    imr_full = E_k / (b_k * ER_k)
    X_full = (Y_full[:, None] * E_full[None, :] * O) / (imr_full[None, :] * omr_full[:, None])
    gap = X_full.sum(axis=1) / Y_full - 1.0
    if not np.all(np.isfinite(X_full)) or (p_full <= 0).any():
        raise ConvergenceError("the book's procedure produced non-finite or non-positive values")
    full = KernelSolution(
        u=p_full ** (1 - baseline.sigma), price=p_full, imr=(imr_full / imr_bln) ** e,
        omr=(omr_full / omr_bln) ** e, output=Y_full, expenditure=E_full, revenue=np.zeros(n),
        flows=X_full, converged=met, iterations=len(summaries), max_residual=float(np.max(np.abs(gap))),
    )
    cdl = KernelSolution(
        u=a1, price=np.ones(n), imr=(imr_cdl / imr_bln) ** e, omr=(omr_cdl / omr_bln) ** e,
        output=Y, expenditure=E, revenue=np.zeros(n), flows=that1, converged=True, iterations=0,
        max_residual=float(np.max(np.abs(that1.sum(axis=1) / Y - 1.0))),
    )
    diag = {
        "iterations": pd.DataFrame(summaries),
        "stopping_rule_met": met,
        "sales_output_gap": pd.Series(gap, index=baseline.countries),
        "note": "snapshot of the book's loop at its stopping rule, not an exact equilibrium",
    }
    res = assemble(baseline, cdl, full, tar, method="book", diagnostics=diag)
    return GEResult(
        countries=res.countries, pairs=res.pairs, converged=met,
        iterations={"conditional": 0, "full": len(summaries)}, max_residual=full.max_residual,
        method="book", sigma=baseline.sigma, reference=baseline.reference, diagnostics=diag,
    )
