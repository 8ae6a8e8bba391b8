"""Counterfactual GE simulation: shocks in, a :class:`~ftalab.ge.results.GEResult` out."""

from __future__ import annotations

import logging
from typing import Literal

import numpy as np
import pandas as pd

from ftalab.errors import ConvergenceError, ValidationError
from ftalab.ge import kernel
from ftalab.ge.baseline import Baseline, _check_tariffs, pairs_to_matrix
from ftalab.ge.results import COUNTRY_COLUMNS, GEResult, pct

__all__ = ["simulate", "shock_arrays", "solve_arrays", "country_arrays", "assemble", "Method"]

logger = logging.getLogger(__name__)

Method = Literal["exact", "book"]


def shock_arrays(
    baseline: Baseline,
    cost_change: pd.DataFrame | np.ndarray | None = None,
    new_tariffs: pd.DataFrame | np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Turn user shocks into ``(log_cost_change, new_tariffs)`` N x N arrays.

    Parameters
    ----------
    baseline : Baseline
    cost_change : DataFrame or ndarray, optional
        Log change of ``t_ij^(1-sigma)`` -- the *partial effect* ``b * dz`` of a
        gravity regressor, as ``ge_gravity`` / ``gegravity`` take it. DataFrame
        columns ``exporter, importer, log_change``; unlisted pairs are unchanged.
        An ndarray must be N x N in ``baseline.countries`` order.
    new_tariffs : DataFrame or ndarray, optional
        Counterfactual ad-valorem tariffs (fractions). DataFrame columns
        ``exporter, importer, tariff``; listed pairs replace the baseline
        tariff, unlisted pairs keep it. Domestic pairs never carry tariffs.

    Returns
    -------
    tuple of ndarray
    """
    n = baseline.n
    if cost_change is None:
        logc = np.zeros((n, n))
    elif isinstance(cost_change, pd.DataFrame):
        logc = pairs_to_matrix(cost_change, "log_change", baseline.countries, what="cost_change")
    else:
        logc = np.array(cost_change, dtype=float)
        if logc.shape != (n, n) or not np.all(np.isfinite(logc)):
            raise ValidationError(f"cost_change must be a finite {n} x {n} array")
    if np.abs(logc).max(initial=0.0) > 50:
        raise ValidationError("cost_change holds log changes above 50 in absolute value; give log changes, not levels")
    if new_tariffs is None:
        tar = baseline.tariffs.copy()
    elif isinstance(new_tariffs, pd.DataFrame):
        tar = pairs_to_matrix(new_tariffs, "tariff", baseline.countries, what="new_tariffs", fill=np.nan)
        tar = np.where(np.isnan(tar), baseline.tariffs, tar)
    else:
        tar = np.array(new_tariffs, dtype=float)
    _check_tariffs(tar, (n, n))
    np.fill_diagonal(tar, 0.0)
    return logc, tar


def _kappa(baseline: Baseline, logc: np.ndarray, tar: np.ndarray) -> np.ndarray:
    # trade-cost change times the tariff factor, both to the power 1 - sigma
    return np.exp(logc) * ((1.0 + tar) / (1.0 + baseline.tariffs)) ** (1.0 - baseline.sigma)


def simulate(
    baseline: Baseline,
    *,
    cost_change: pd.DataFrame | np.ndarray | None = None,
    new_tariffs: pd.DataFrame | np.ndarray | None = None,
    method: Method = "exact",
    tol: float = 1e-10,
    max_iter: int = 100,
) -> GEResult:
    """Solve conditional and full-endowment GE for one counterfactual.

    Parameters
    ----------
    baseline : Baseline
        The baseline world (flows, tariffs, sigma, reference, imbalance closure).
    cost_change : DataFrame or ndarray, optional
        Log change of ``t_ij^(1-sigma)`` per pair (``exporter, importer, log_change``),
        i.e. the partial effect ``b * dz`` (see :func:`shock_arrays`).
    new_tariffs : DataFrame or ndarray, optional
        Counterfactual tariffs (``exporter, importer, tariff``, fractions).
    method : {"exact", "book"}
        ``"exact"`` solves the equilibrium conditions to ``tol`` by damped Newton
        (:mod:`ftalab.ge.kernel`). ``"book"`` runs the iterative procedure of
        Yotov et al. (2016, ch. 2) as its do-files do, including their stopping
        rule (:mod:`ftalab.ge.book`); it is a snapshot, not an exact equilibrium,
        and supports neither tariffs nor additive imbalances.
    tol : float
        Residual tolerance of the exact method.
    max_iter : int
        Newton iteration limit of the exact method.

    Returns
    -------
    GEResult

    Raises
    ------
    ftalab.errors.ValidationError
        Bad shock tables (unknown countries, duplicated pairs, percent tariffs).
    ftalab.errors.ConvergenceError
        The solver did not reach ``tol`` or produced non-positive / non-finite values.

    Examples
    --------
    >>> import pandas as pd
    >>> from ftalab.ge import Baseline, simulate
    >>> flows = pd.DataFrame({"exporter": list("AABB"), "importer": list("ABAB"),
    ...                       "value": [80.0, 20.0, 10.0, 90.0]})
    >>> base = Baseline.from_flows(flows, sigma=5.0, reference="A")
    >>> shock = pd.DataFrame({"exporter": ["A", "B"], "importer": ["B", "A"], "log_change": [0.2, 0.2]})
    >>> res = simulate(base, cost_change=shock)
    >>> bool(res.converged), bool((res.countries["real_gdp_pct"] > 0).all())
    (True, True)
    """
    logc, tar = shock_arrays(baseline, cost_change, new_tariffs)
    if method == "book":
        from ftalab.ge.book import simulate_book

        return simulate_book(baseline, logc, tar)
    if method != "exact":
        raise ValidationError(f"method must be 'exact' or 'book', got {method!r}")
    cdl, full = solve_arrays(baseline, logc, tar, tol=tol, max_iter=max_iter)
    return assemble(baseline, cdl, full, tar, method="exact")


def solve_arrays(
    baseline: Baseline,
    logc: np.ndarray,
    tar: np.ndarray,
    *,
    tol: float = 1e-10,
    max_iter: int = 100,
    warm: tuple | None = None,
    keep_jacobian: bool = False,
    raise_on_failure: bool = True,
) -> tuple[kernel.KernelSolution, kernel.KernelSolution]:
    """Solve conditional and full GE on arrays; raise :class:`ConvergenceError` on failure.

    ``warm`` = ``((u, lu), (u, lu))`` of a nearby conditional and full solution
    (start values and chord Jacobians, as Monte Carlo draws use).
    """
    kap = _kappa(baseline, logc, tar)
    cons = baseline.consumer_flows
    share = cons / cons.sum(axis=0)
    Y = baseline.output
    B = baseline.expenditure - baseline.revenue
    common = dict(sigma=baseline.sigma, ref=baseline.ref_index, imbalance=baseline.imbalance,
                  tol=tol, max_iter=max_iter)
    sols = []
    for k, mode in enumerate(("conditional", "full")):
        y0 = lu = None
        if warm is not None:
            y0, lu = np.log(warm[k][0]), warm[k][1]
        sols.append(
            kernel.solve(share, kap, Y, B, tar, mode=mode, y0=y0, jacobian_lu=lu,  # type: ignore[arg-type]
                         keep_jacobian=keep_jacobian, **common)
        )
    cdl, full = sols
    if raise_on_failure:
        for name, sol in (("conditional", cdl), ("full-endowment", full)):
            _check_solution(baseline, name, sol, tol)
    return cdl, full


def _check_solution(baseline: Baseline, name: str, sol: kernel.KernelSolution, tol: float) -> None:
    if not sol.converged:
        raise ConvergenceError(
            f"{name} GE did not converge: max residual {sol.max_residual:.3g} > {tol:g} after "
            f"{sol.iterations} Newton iterations; check for countries without trade, extreme "
            "shocks (cost_change is a log change) or raise max_iter"
        )
    bad = ~(np.isfinite(sol.price) & (sol.price > 0) & np.isfinite(sol.imr) & (sol.imr > 0))
    if bad.any():
        raise ConvergenceError(
            f"{name} GE produced impossible values (non-positive or NaN prices/resistances) for "
            f"{list(baseline.countries[bad][:5])}"
        )


def country_arrays(
    baseline: Baseline,
    cdl: kernel.KernelSolution,
    full: kernel.KernelSolution,
    tar: np.ndarray,
) -> np.ndarray:
    """Per-country outcomes as an N x K array in the order of :data:`COUNTRY_COLUMNS`."""
    off = ~np.eye(baseline.n, dtype=bool)

    def intl(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        mm = np.where(off, m, 0.0)
        return mm.sum(axis=1), mm.sum(axis=0)

    ex0, im0 = intl(baseline.flows)
    exc, imc = intl(cdl.flows)
    exf, imf = intl(full.flows)
    Y0, E0, R0 = baseline.output, baseline.expenditure, baseline.revenue
    dom0 = np.diag(baseline.consumer_flows) / E0
    domf = np.diag(full.flows) * 1.0 / full.expenditure  # no tariffs on domestic sales
    cols = {
        "exports_pct": pct(exf, ex0),
        "imports_pct": pct(imf, im0),
        "price_pct": pct(full.price, 1.0),
        "imr_pct": pct(full.imr, 1.0),
        "omr_pct": pct(full.omr, 1.0),
        "output_pct": pct(full.output, Y0),
        "expenditure_pct": pct(full.expenditure, E0),
        "tariff_revenue_base": R0,
        "tariff_revenue_new": full.revenue,
        "tariff_revenue_change": full.revenue - R0,
        "real_gdp_pct": pct(full.output / Y0 / full.imr, 1.0),
        "welfare_pct": pct(full.expenditure / E0 / full.imr, 1.0),
        "domestic_share_pct": pct(domf, dom0),
        "cdl_exports_pct": pct(exc, ex0),
        "cdl_imports_pct": pct(imc, im0),
        "cdl_imr_pct": pct(cdl.imr, 1.0),
        "cdl_omr_pct": pct(cdl.omr, 1.0),
        "cdl_tariff_revenue_change": cdl.revenue - R0,
        "cdl_welfare_pct": pct(cdl.expenditure / E0 / cdl.imr, 1.0),
    }
    return np.column_stack([cols[c] for c in COUNTRY_COLUMNS])


def assemble(
    baseline: Baseline,
    cdl: kernel.KernelSolution,
    full: kernel.KernelSolution,
    tar: np.ndarray,
    *,
    method: str,
    diagnostics: dict | None = None,
) -> GEResult:
    """Build the per-country and per-pair tables from two kernel solutions."""
    X0 = baseline.flows
    countries = pd.DataFrame(
        country_arrays(baseline, cdl, full, tar), index=baseline.countries, columns=list(COUNTRY_COLUMNS)
    )
    cons0 = baseline.consumer_flows
    E0 = baseline.expenditure
    consf = full.flows * (1.0 + tar)
    n = baseline.n
    exp_codes = np.repeat(baseline.countries.to_numpy(), n)
    imp_codes = np.tile(baseline.countries.to_numpy(), n)
    pairs = pd.DataFrame(
        {
            "exporter": exp_codes,
            "importer": imp_codes,
            "trade_base": X0.ravel(),
            "trade_cdl": cdl.flows.ravel(),
            "trade_full": full.flows.ravel(),
            "trade_cdl_pct": pct(cdl.flows, X0).ravel(),
            "trade_pct": pct(full.flows, X0).ravel(),
            "share_base": (cons0 / E0).ravel(),
            "share_new": (consf / full.expenditure).ravel(),
        }
    )
    return GEResult(
        countries=countries,
        pairs=pairs,
        converged=bool(cdl.converged and full.converged),
        iterations={"conditional": cdl.iterations, "full": full.iterations},
        max_residual=max(cdl.max_residual, full.max_residual),
        method=method,
        sigma=baseline.sigma,
        reference=baseline.reference,
        diagnostics=diagnostics or {},
    )
