"""Public estimators: :func:`fepois` (PPML) and :func:`feols`, with fixed effects."""

from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd

from ftalab.errors import EstimationError, EstimationWarning
from ftalab.estimate.dense import DenseGravityFE, GeneralFE, detect_gravity_layout
from ftalab.estimate.design import (
    DROP_REGRESSOR_SEPARATED,
    Design,
    build_design,
    prune_fixed_effects,
    subset_design,
)
from ftalab.estimate.formula import parse_formula
from ftalab.estimate.ols import fit_ols
from ftalab.estimate.poisson import fit_poisson
from ftalab.estimate.results import OLSResult, PoissonResult
from ftalab.estimate.separation import relu_separation
from ftalab.estimate.vcov import SSC, compute_vcov, parse_vcov

__all__ = ["fepois", "feols"]

logger = logging.getLogger(__name__)


def _merge_dropped(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    out = dict(a)
    for k, v in b.items():
        out[k] = np.sort(np.concatenate([out.get(k, np.zeros(0, np.int64)), v])) if len(v) else out.get(k, v)
    return {k: v for k, v in out.items() if len(v)}


def _local_codes(design: Design) -> list[np.ndarray]:
    if design.fe is None:
        return []
    return [design.fe.codes[:, d] - design.fe.offsets[d] for d in range(design.fe.codes.shape[1])]


def _fe_ops(formula, data, design: Design, dense: bool | None):
    """Fixed-effect operations for the current sample: dense gravity grid if possible."""
    fe = design.fe
    if fe is None:
        return None, None
    found = None
    if dense is not False:
        found = detect_gravity_layout(formula.fixed_effects, data, design.positions, fe.codes)
        if dense and found is None:
            raise EstimationError(
                "dense=True needs fixed effects exporter^year + importer^year + pair with one "
                "observation per exporter-importer-year"
            )
    if found is None:
        return GeneralFE(fe.codes, fe.offsets), None
    _, t, i, j, (T, Ne, Nm) = found
    return DenseGravityFE(t, i, j, T, Ne, Nm), found


def _drop_collinear(design: Design, collin_tol: float, ops) -> list[str]:
    """Remove regressors collinear with the fixed effects or each other; return their names."""
    X = design.X
    if X.shape[1] == 0:
        return []
    # a regressor absorbed by the fixed effects keeps a residual share ~ tol**2, far below collin_tol
    Xt = ops.partial_out_obs(np.ones(len(X)), X, 1e-7) if ops is not None else X
    norms = (X**2).sum(axis=0)
    keep: list[int] = []
    for j in range(X.shape[1]):
        v = Xt[:, j]
        if keep:
            Q = Xt[:, keep]
            coef, *_ = np.linalg.lstsq(Q, v, rcond=None)
            v = v - Q @ coef
        if norms[j] > 0 and (v @ v) / norms[j] > collin_tol:
            keep.append(j)
    dropped = [design.coef_names[j] for j in range(X.shape[1]) if j not in keep]
    if dropped:
        design.X = np.ascontiguousarray(X[:, keep])
        design.coef_names = [design.coef_names[j] for j in keep]
    return dropped


def _fe_values(design: Design, alpha: np.ndarray, gravity=None) -> tuple[np.ndarray, ...]:
    """Fixed effects per dimension, in the normalisation documented in ``EstimationResult.fixef``."""
    fe = design.fe
    if fe is None:
        return ()
    vals = [alpha[fe.offsets[d] : fe.offsets[d + 1]].copy() for d in range(len(fe.names))]
    if gravity is not None:
        return _normalise_gravity(design, vals, gravity)
    # normalise: first level of every later dimension is zero, first dimension absorbs it
    for d in range(1, len(vals)):
        shift = vals[d][0]
        vals[d] -= shift
        vals[0] += shift
    return tuple(vals)


def _normalise_gravity(design: Design, vals: list[np.ndarray], gravity) -> tuple[np.ndarray, ...]:
    """Remove the three-way model's invariances from exporter-year, importer-year and pair effects.

    Adding ``c`` to every exporter-year effect of exporter ``i`` and subtracting it from
    all of ``i``'s pair effects leaves every fitted value unchanged; likewise for each
    importer, and for each year (exporter-year effects up, importer-year effects down).
    Among all equivalent solutions this returns the one orthogonal to those directions
    (the smallest in the Euclidean norm along them), whatever the solver found:
    for each exporter ``sum_t A(i,t) = sum_j C(i,j)``, for each importer
    ``sum_t B(j,t) = sum_i C(i,j)``, for each year ``sum_i A(i,t) = sum_j B(j,t)``.
    """
    order, t, i, j, (T, Ne, Nm) = gravity
    fe = design.fe
    dA, dB, dC = order
    la, lb, lc = (fe.codes[:, d] - fe.offsets[d] for d in (dA, dB, dC))
    nA, nB, nC = len(vals[dA]), len(vals[dB]), len(vals[dC])
    exA, yrA = np.zeros(nA, np.int64), np.zeros(nA, np.int64)
    exA[la], yrA[la] = i, t
    imB, yrB = np.zeros(nB, np.int64), np.zeros(nB, np.int64)
    imB[lb], yrB[lb] = j, t
    exC, imC = np.zeros(nC, np.int64), np.zeros(nC, np.int64)
    exC[lc], imC[lc] = i, j
    a, b, c = vals[dA], vals[dB], vals[dC]
    # basis: u_i (+A of i, -C of i), v_j (+B of j, -C of j), w_t (+A of t, -B of t)
    rhs = np.concatenate(
        [
            np.bincount(exA, a, Ne) - np.bincount(exC, c, Ne),
            np.bincount(imB, b, Nm) - np.bincount(imC, c, Nm),
            np.bincount(yrA, a, T) - np.bincount(yrB, b, T),
        ]
    )
    m = Ne + Nm + T
    G = np.zeros((m, m))
    iu, iv, iw = np.arange(Ne), Ne + np.arange(Nm), Ne + Nm + np.arange(T)
    G[iu, iu] = np.bincount(exA, minlength=Ne) + np.bincount(exC, minlength=Ne)
    G[iv, iv] = np.bincount(imB, minlength=Nm) + np.bincount(imC, minlength=Nm)
    G[iw, iw] = np.bincount(yrA, minlength=T) + np.bincount(yrB, minlength=T)
    np.add.at(G, (exC, Ne + imC), 1.0)  # u_i . v_j: the pair (i, j) has an effect
    np.add.at(G, (exA, Ne + Nm + yrA), 1.0)  # u_i . w_t: the exporter-year (i, t) exists
    np.add.at(G, (Ne + imB, Ne + Nm + yrB), -1.0)  # v_j . w_t
    G = np.triu(G) + np.triu(G, 1).T
    coef = _solve_psd(G, rhs)
    cu, cv, cw = coef[:Ne], coef[Ne : Ne + Nm], coef[Ne + Nm :]
    out = list(vals)
    out[dA] = a - cu[exA] - cw[yrA]
    out[dB] = b - cv[imB] + cw[yrB]
    out[dC] = c + cu[exC] + cv[imC]
    return tuple(out)


def _solve_psd(G: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """A solution of ``G c = rhs`` for the (singular) Gram matrix of the invariances.

    The directions satisfy ``sum u - sum v - sum w = 0``, so the last one is dropped and
    the rest (independent when the sample is connected) solved by Cholesky on one BLAS
    thread: multithreaded LAPACK took 0.35 s instead of 3 ms here on a busy 2-core machine.
    """
    from scipy.linalg import LinAlgError, cho_factor, cho_solve
    from threadpoolctl import threadpool_limits

    m = len(rhs)
    with threadpool_limits(1):
        try:
            c = np.zeros(m)
            c[:-1] = cho_solve(cho_factor(G[:-1, :-1]), rhs[:-1])
            if np.allclose(G @ c, rhs, rtol=1e-9, atol=1e-9 * max(1.0, float(np.abs(rhs).max()))):
                return c
        except (LinAlgError, ValueError):
            pass
        # disconnected sample: more dependent directions; the minimum-norm solution
        return np.linalg.lstsq(G, rhs, rcond=None)[0]


def _prepare(fml, data, *, poisson, offset, vcov, separation, collin_tol, dense=None):
    formula = parse_formula(fml)
    spec = parse_vcov(vcov)
    design, local, levels = build_design(
        formula, data, poisson=poisson, offset=offset, extra_columns=spec.clusters
    )
    ops_found = _fe_ops(formula, data, design, dense) if len(design.y) else (None, None)
    if poisson and separation:
        for _ in range(50):
            if len(design.y) == 0:
                break
            sep = relu_separation(design.y, design.X, ops_found[0])
            if not sep.any():
                break
            keep = np.zeros(design.n_input, dtype=bool)
            keep[design.positions] = True
            sep_pos = design.positions[sep]
            keep[sep_pos] = False
            extra = prune_fixed_effects(local, _full_y(design), keep, True) if local else {}
            dropped = _merge_dropped(design.dropped, {DROP_REGRESSOR_SEPARATED: sep_pos, **extra})
            design = subset_design(design, local, levels, np.flatnonzero(keep))
            design.dropped = dropped
            ops_found = _fe_ops(formula, data, design, dense) if len(design.y) else (None, None)
    if len(design.y) == 0:
        raise EstimationError(
            f"no observations left to estimate {fml!r} after dropping: "
            + "; ".join(f"{len(v)} {k}" for k, v in design.dropped.items())
        )
    gone = _drop_collinear(design, collin_tol, ops_found[0])
    if design.dropped:
        logger.info(
            "%s: dropped %s", fml, "; ".join(f"{len(v)} rows ({k})" for k, v in design.dropped.items())
        )
    if gone:
        warnings.warn(
            f"dropped regressors collinear with the fixed effects or other regressors: {gone}",
            EstimationWarning,
            stacklevel=3,
        )
    fe_only = poisson and design.fe is not None and not gone and not formula.rhs
    if design.X.shape[1] == 0 and not fe_only:
        raise EstimationError(
            f"nothing to estimate in {fml!r}: no regressor is identified"
            + (f" (all collinear: {gone})" if gone else "")
        )
    return formula, spec, design, ops_found


def _full_y(design: Design) -> np.ndarray:
    y = np.zeros(design.n_input)
    y[design.positions] = design.y
    return y


def _clusters(data: pd.DataFrame, spec, design: Design) -> list[np.ndarray]:
    return [pd.factorize(data[c].to_numpy()[design.positions])[0] for c in spec.clusters]


def _check_counts(data: pd.DataFrame, ssc: str) -> None:
    # cheap checks first, so a typo does not cost a full fit
    if ssc not in ("stata", "pyfixest"):
        raise EstimationError(f"ssc must be 'stata' or 'pyfixest', not {ssc!r}")
    if isinstance(data, pd.DataFrame) and len(data) == 0:
        raise EstimationError("the data have no rows")


def fepois(
    fml: str,
    data: pd.DataFrame,
    vcov: str | dict[str, str] = "hetero",
    *,
    ssc: SSC = "pyfixest",
    offset: str | None = None,
    tol: float = 1e-10,
    maxiter: int = 100,
    fe_tol: float = 1e-12,
    fe_maxiter: int = 100_000,
    separation: bool = True,
    collin_tol: float = 1e-9,
    dense: bool | None = None,
) -> PoissonResult:
    """Poisson pseudo-maximum likelihood (PPML) with high-dimensional fixed effects.

    Parameters
    ----------
    fml : str
        fixest-style formula, e.g. ``"trade ~ rta + log(dist) | exp^year + imp^year + pair"``.
        ``"trade ~ 1 | exp + imp"`` (fixed effects only, usually with ``offset``) solves
        the fixed effects alone: ``coef()``, ``se()`` and ``vcov()`` are then empty, and
        ``fixef()``, ``fitted_values()`` and the deviance are the output.
    data : pandas.DataFrame
        Not modified.
    vcov : str or dict
        ``"hetero"`` (default), ``"iid"``, ``{"CRV1": "pair"}`` or ``{"CRV1": "a+b"}``.
    ssc : {"pyfixest", "stata"}
        Small-sample correction: pyfixest's default, or Stata/R's ``G/(G-1)`` only
        (see :mod:`ftalab.estimate.vcov`).
    offset : str, optional
        Column added to the linear predictor with coefficient fixed at one.
    tol : float
        Relative deviance-change tolerance of the Newton iterations.
    maxiter : int
        Maximum Newton iterations.
    fe_tol : float
        Largest allowed violation (log scale) of a fixed effect's first-order condition.
    fe_maxiter : int
        Maximum fixed-effect sweeps per solve (for one set of slopes).
    separation : bool
        Detect and drop observations separated by the regressors (ReLU method).
        Observations separated by the fixed effects and singletons are always dropped.
    collin_tol : float
        Regressors whose variance left after partialling out the fixed effects and the
        earlier regressors is below this share are dropped with a warning.
    dense : bool, optional
        Use the dense ``year x exporter x importer`` layout (much faster) when the fixed
        effects are ``exporter^year + importer^year + pair``; ``None`` (default) decides
        automatically, ``False`` forces the general layout. Results are the same.

    Returns
    -------
    PoissonResult

    Raises
    ------
    FormulaError, EstimationError, ConvergenceError

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [1, 2, 4, 3, 5, 8], "x": [0, 1, 2, 0, 1, 2], "g": list("aaabbb")})
    >>> round(float(fepois("y ~ x | g", df).coef()["x"]), 4)
    0.5474
    """
    _check_counts(data, ssc)
    formula, spec, design, ops_found = _prepare(
        fml, data, poisson=True, offset=offset, vcov=vcov, separation=separation,
        collin_tol=collin_tol, dense=dense,
    )
    fit, alpha, layout = _solve_poisson(
        design, ops_found, tol=tol, maxiter=maxiter, fe_tol=fe_tol, fe_maxiter=fe_maxiter
    )
    fe = design.fe
    gravity = _gravity_layout(formula, data, design, ops_found)
    bread = np.linalg.inv(fit.hessian)
    scores = fit.X_tilde * (design.y - fit.mu)[:, None]
    V, df_t, info = compute_vcov(
        spec,
        bread=bread,
        scores=scores,
        poisson=True,
        ssc=ssc,
        n_obs=len(design.y),
        k=design.X.shape[1],
        fe_local_codes=_local_codes(design),
        clusters=_clusters(data, spec, design),
    )
    y = design.y
    with np.errstate(divide="ignore", invalid="ignore"):
        ll = float(np.sum(y * np.log(fit.mu) - fit.mu - _lgamma1(y)))
    info.update(fe_sweeps=fit.fe_sweeps, cg_iterations=fit.cg_iterations, layout=layout)
    return PoissonResult(
        formula=fml,
        method="fepois",
        _names=tuple(design.coef_names),
        _beta=fit.beta,
        _vcov=V,
        vcov_type=spec.label,
        ssc=ssc,
        df_t=int(df_t),
        nobs=len(y),
        n_input=design.n_input,
        iterations=fit.iterations,
        converged=fit.converged,
        _index=design.index,
        _positions=design.positions,
        _fitted=fit.mu,
        _fe_names=fe.names if fe is not None else (),
        _fe_levels=fe.levels if fe is not None else (),
        _fe_values=_fe_values(design, alpha, gravity),
        _dropped=design.dropped,
        stats={"deviance": fit.deviance, "loglik": ll, "pseudo_r2_sq_corr": float(np.corrcoef(y, fit.mu)[0, 1] ** 2)},
        info=info,
    )


def _gravity_layout(formula, data, design: Design, ops_found):
    """The exporter-year/importer-year/pair layout of the sample, whichever path was used."""
    if ops_found[1] is not None:
        return ops_found[1]
    fe = design.fe
    if fe is None or fe.codes.shape[1] != 3:
        return None
    return detect_gravity_layout(formula.fixed_effects, data, design.positions, fe.codes)


def _solve_poisson(design: Design, ops_found, *, tol, maxiter, fe_tol, fe_maxiter):
    """Run the Poisson solver on the dense gravity grid when possible, else on codes."""
    fe = design.fe
    ops, found = ops_found
    kw = dict(beta0=_start(design), tol=tol, maxiter=maxiter, fe_tol=fe_tol, fe_maxiter=fe_maxiter)
    if found is None:
        fit = fit_poisson(design.y, design.X, ops, design.offset, **kw)
        return fit, fit.alpha, "general" if fe is not None else "none"
    grid = ops
    order, t, i, j, (T, Ne, Nm) = found
    off = grid.to_grid(design.offset) if design.offset is not None else None
    fit = fit_poisson(grid.to_grid(design.y), grid.to_grid(design.X), grid, off, **kw)
    cells = grid.cells
    per_obs = grid.alpha_by_obs(fit.alpha, t, i, j)
    # back to observations and to the design's fixed-effect levels
    fit.mu = fit.mu[cells]
    fit.X_tilde = fit.X_tilde[cells]
    fit.eta0 = fit.eta0[cells]
    alpha = np.zeros(fe.n_levels)
    for dim, vals in zip(order, per_obs):
        alpha[fe.codes[:, dim]] = vals
    return fit, alpha, "dense"


def _lgamma1(y: np.ndarray) -> np.ndarray:
    from scipy.special import gammaln

    return gammaln(y + 1.0)


def _start(design: Design) -> np.ndarray | None:
    if "Intercept" in design.coef_names and design.fe is None:
        b = np.zeros(len(design.coef_names))
        b[design.coef_names.index("Intercept")] = np.log(max(design.y.mean(), 1e-300))
        return b
    return None


def feols(
    fml: str,
    data: pd.DataFrame,
    vcov: str | dict[str, str] = "hetero",
    *,
    ssc: SSC = "pyfixest",
    collin_tol: float = 1e-9,
) -> OLSResult:
    """Least squares with high-dimensional fixed effects (same formulas as :func:`fepois`).

    Parameters
    ----------
    fml : str
        e.g. ``"log(trade) ~ log(dist) + cntg | exp_year + imp_year"``.
    data : pandas.DataFrame
    vcov, ssc
        As in :func:`fepois`.

    Returns
    -------
    OLSResult
    """
    _check_counts(data, ssc)
    formula, spec, design, ops_found = _prepare(
        fml, data, poisson=False, offset=None, vcov=vcov, separation=False, collin_tol=collin_tol
    )
    fe = design.fe
    fit = fit_ols(design.y, design.X, fe.codes if fe is not None else None, fe.n_levels if fe is not None else 0)
    bread = np.linalg.inv(fit.hessian)
    scores = fit.X_tilde * fit.resid[:, None]
    n = len(design.y)
    V, df_t, info = compute_vcov(
        spec,
        bread=bread,
        scores=scores,
        poisson=False,
        ssc=ssc,
        n_obs=n,
        k=design.X.shape[1],
        fe_local_codes=_local_codes(design),
        clusters=_clusters(data, spec, design),
        resid_ss=float(fit.resid @ fit.resid),
    )
    y = design.y
    tss = float(((y - y.mean()) ** 2).sum())
    rss = float(fit.resid @ fit.resid)
    wtss = float(((fit.y_tilde - (fit.y_tilde.mean() if fe is None else 0.0)) ** 2).sum())
    return OLSResult(
        formula=fml,
        method="feols",
        _names=tuple(design.coef_names),
        _beta=fit.beta,
        _vcov=V,
        vcov_type=spec.label,
        ssc=ssc,
        df_t=int(df_t),
        nobs=n,
        n_input=design.n_input,
        iterations=1,
        converged=True,
        _index=design.index,
        _positions=design.positions,
        _fitted=fit.fitted,
        _fe_names=fe.names if fe is not None else (),
        _fe_levels=fe.levels if fe is not None else (),
        _fe_values=_fe_values(design, fit.alpha, _gravity_layout(formula, data, design, ops_found)),
        _dropped=design.dropped,
        stats={"r2": 1 - rss / tss if tss > 0 else float("nan"), "r2_within": 1 - rss / wtss if wtss > 0 else float("nan"), "rmse": float(np.sqrt(rss / n))},
        info=info,
    )
