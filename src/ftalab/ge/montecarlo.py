"""Monte Carlo intervals for GE counterfactuals.

Coefficients are drawn from their estimated sampling distribution
``N(b, V)`` and the GE is re-solved for each draw (as ``gegravity``'s
``MonteCarloGE`` does). Each draw ``d`` has its own random stream
``SeedSequence(seed).spawn(draws)[d]``, so results are identical whatever the
executor, chunking or number of workers.

Intervals are percentile intervals over draws. Unless ``sigma_draws`` is
given, sigma is fixed and the intervals are *conditional on sigma*: they
reflect the sampling uncertainty of the trade-cost coefficients only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd

from ftalab.errors import ConvergenceError, ValidationError
from ftalab.ge.baseline import Baseline
from ftalab.ge.counterfactual import country_arrays, shock_arrays, solve_arrays
from ftalab.ge.results import COUNTRY_COLUMNS, GEResult

__all__ = ["monte_carlo", "MonteCarloResult", "Executor", "draw_coefficients"]

logger = logging.getLogger(__name__)


class Executor(Protocol):
    """Anything with ``map(fn, iterable)``: ``concurrent.futures`` pools or a ``dask.distributed.Client``
    (whose futures are resolved here)."""

    def map(self, fn: Callable[..., Any], *iterables: Any) -> Any: ...


def draw_coefficients(coef: pd.Series, vcov: pd.DataFrame, draws: int, seed: int) -> pd.DataFrame:
    """Draw ``draws`` coefficient vectors from ``N(coef, vcov)``, one seeded stream per draw.

    Returns a DataFrame (draws x coefficients). Draw ``d`` depends only on
    ``seed`` and ``d``.
    """
    if not isinstance(coef, pd.Series):
        raise ValidationError("coef must be a pandas Series indexed by coefficient name")
    if not isinstance(vcov, pd.DataFrame):
        raise ValidationError("vcov must be a pandas DataFrame indexed by coefficient name")
    names = list(coef.index)
    missing = [c for c in names if c not in vcov.index or c not in vcov.columns]
    if missing:
        raise ValidationError(f"vcov lacks rows/columns for coefficients {missing}")
    V = vcov.loc[names, names].to_numpy(dtype=float)
    b = coef.to_numpy(dtype=float)
    if not (np.all(np.isfinite(V)) and np.all(np.isfinite(b))):
        raise ValidationError("coef and vcov must be finite")
    if not np.allclose(V, V.T, rtol=1e-8, atol=1e-14 * max(1.0, np.abs(V).max())):
        raise ValidationError("vcov must be symmetric")
    # eigen-decomposition tolerates singular (but PSD) covariance matrices
    w, Q = np.linalg.eigh((V + V.T) / 2)
    if w.min() < -1e-10 * max(1.0, w.max()):
        raise ValidationError("vcov is not positive semi-definite")
    L = Q * np.sqrt(np.clip(w, 0.0, None))
    if draws < 1:
        raise ValidationError("draws must be >= 1")
    seqs = np.random.SeedSequence(seed).spawn(draws)
    z = np.stack([np.random.default_rng(s).standard_normal(len(b)) for s in seqs])
    return pd.DataFrame(b + z @ L.T, columns=names)


@dataclass(frozen=True)
class MonteCarloResult:
    """Draws of every reported country outcome.

    Attributes
    ----------
    point : GEResult
        Solution at the point estimates.
    values : ndarray (draws, countries, outcomes)
        Outcome of each draw, in the columns of ``point.countries``.
    coef_draws : DataFrame
        The drawn coefficients (and ``sigma`` when it was drawn).
    conditional_on_sigma : bool
        True when sigma was held fixed.
    failed : list of int
        Draws whose GE did not converge (excluded from the intervals).
    """

    point: GEResult
    values: np.ndarray
    coef_draws: pd.DataFrame
    conditional_on_sigma: bool
    failed: list = field(default_factory=list)

    def summary(self, level: float = 0.95) -> pd.DataFrame:
        """Percentile intervals for every country and outcome.

        Returns
        -------
        DataFrame
            Index ``(country, outcome)``; columns ``point, lower, upper, sd`` and
            ``label`` ("conditional on sigma" or "sigma drawn").
        """
        if not 0 < level < 1:
            raise ValidationError("level must be between 0 and 1, e.g. 0.95")
        ok = np.setdiff1d(np.arange(self.values.shape[0]), self.failed)
        vals = self.values[ok]
        a = (1 - level) / 2 * 100
        lo = np.percentile(vals, a, axis=0)
        hi = np.percentile(vals, 100 - a, axis=0)
        sd = vals.std(axis=0, ddof=1) if len(ok) > 1 else np.full(lo.shape, np.nan)
        cols = self.point.countries.columns
        idx = pd.MultiIndex.from_product([self.point.countries.index, cols], names=["country", "outcome"])
        out = pd.DataFrame(
            {
                "point": self.point.countries.to_numpy().ravel(),
                "lower": lo.ravel(),
                "upper": hi.ravel(),
                "sd": sd.ravel(),
            },
            index=idx,
        )
        out["label"] = "conditional on sigma" if self.conditional_on_sigma else "sigma drawn"
        return out

    def __repr__(self) -> str:
        return (
            f"MonteCarloResult(draws={self.values.shape[0]}, failed={len(self.failed)}, "
            f"conditional_on_sigma={self.conditional_on_sigma})"
        )


def _solve_chunk(args: tuple) -> tuple[list[int], np.ndarray, list[int]]:
    """Solve a batch of draws (module-level so process pools can pickle it)."""
    baseline, build_shock, draws_df, sigmas, idx, warm, tol = args
    out = []
    failed = []
    for d in idx:
        b = draws_df.iloc[d]
        base = baseline if sigmas is None else baseline.with_(sigma=float(sigmas[d]))
        kw = build_shock(b)
        logc, tar = shock_arrays(base, kw.get("cost_change"), kw.get("new_tariffs"))
        try:
            cdl, full = solve_arrays(base, logc, tar, tol=tol, warm=warm if sigmas is None else None)
            out.append(country_arrays(base, cdl, full, tar))
        except ConvergenceError:
            failed.append(d)
            out.append(np.full((base.n, len(COUNTRY_COLUMNS)), np.nan))
    return list(idx), np.stack(out), failed



def monte_carlo(
    baseline: Baseline,
    *,
    draws: int,
    seed: int,
    coef: pd.Series,
    vcov: pd.DataFrame,
    build_shock: Callable[[pd.Series], dict],
    sigma_draws: Sequence[float] | np.ndarray | Callable[[pd.Series], float] | None = None,
    executor: Executor | None = None,
    chunk_size: int = 50,
    tol: float = 1e-10,
) -> MonteCarloResult:
    """Re-solve the GE for draws of the estimated coefficients.

    Parameters
    ----------
    baseline : Baseline
    draws : int
        Number of draws.
    seed : int
        Master seed; draw ``d`` uses ``SeedSequence(seed).spawn(draws)[d]``.
    coef : Series
        Point estimates of the coefficients that enter the shock (index = names).
    vcov : DataFrame
        Their covariance matrix (rows/columns = names).
    build_shock : callable
        ``build_shock(b) -> dict`` of :func:`~ftalab.ge.simulate` keyword arguments
        (``cost_change``, ``new_tariffs``) for one coefficient vector ``b``. Return
        N x N arrays (in ``baseline.countries`` order) for speed; DataFrames work too.
        Must be picklable when a process pool is used.
    sigma_draws : array or callable, optional
        Sigma per draw (array of length ``draws``), or ``f(b) -> sigma`` when sigma
        is a function of an estimated coefficient (e.g. ``-b["ln_tariff"]``), so it is
        drawn jointly with the others. None holds sigma fixed (intervals conditional on sigma).
    executor : Executor, optional
        Object with ``map``; default runs sequentially in this process.
    chunk_size : int
        Draws per task given to the executor.
    tol : float
        Residual tolerance of each solve.

    Returns
    -------
    MonteCarloResult
    """
    from ftalab.ge.counterfactual import simulate

    coef_draws = draw_coefficients(coef, vcov, draws, seed)
    point_kw = build_shock(coef)
    point = simulate(baseline, **point_kw, tol=tol)
    sigmas = None
    if sigma_draws is not None:
        sigmas = (
            np.array([float(sigma_draws(coef_draws.iloc[d])) for d in range(draws)])
            if callable(sigma_draws)
            else np.asarray(sigma_draws, dtype=float)
        )
        if sigmas.shape != (draws,) or not np.all(np.isfinite(sigmas)) or (sigmas <= 1).any():
            raise ValidationError(f"sigma_draws must give {draws} finite values > 1")
        coef_draws = coef_draws.assign(sigma=sigmas)
    # warm start and chord Jacobian from the point solution, shared by all draws
    logc, tar = shock_arrays(baseline, point_kw.get("cost_change"), point_kw.get("new_tariffs"))
    warm = solve_arrays(baseline, logc, tar, tol=tol, keep_jacobian=True)
    warm_state = tuple((s.u, s.jacobian_lu) for s in warm)
    chunks = [list(range(i, min(i + chunk_size, draws))) for i in range(0, draws, chunk_size)]
    tasks = [(baseline, build_shock, coef_draws, sigmas, c, warm_state, tol) for c in chunks]
    mapper = map if executor is None else executor.map
    values = np.empty((draws, baseline.n, len(COUNTRY_COLUMNS)))
    failed: list[int] = []
    for item in mapper(_solve_chunk, tasks):
        # dask's Client.map returns futures; concurrent.futures' map returns results
        idx, vals, fail = item.result() if hasattr(item, "result") else item
        values[idx] = vals
        failed.extend(fail)
    if failed:
        logger.warning("%d of %d Monte Carlo draws did not converge and are excluded", len(failed), draws)
    return MonteCarloResult(point, values, coef_draws, sigma_draws is None, sorted(failed))

