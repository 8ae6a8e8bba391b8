"""Least squares with high-dimensional fixed effects: the solver kernel.

The fixed effects are partialled out of the outcome and the regressors
exactly (Frisch-Waugh-Lovell) by preconditioned conjugate gradients, then the
slopes solve the normal equations of the residualised data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ftalab.errors import ConvergenceError
from ftalab.estimate.kernels import partial_out

__all__ = ["OLSFit", "fit_ols"]


@dataclass
class OLSFit:
    """Raw output of :func:`fit_ols` (arrays on the estimation sample)."""

    beta: np.ndarray
    alpha: np.ndarray  # fixed effects (global positions)
    fitted: np.ndarray
    resid: np.ndarray
    X_tilde: np.ndarray
    y_tilde: np.ndarray
    hessian: np.ndarray  # X~'X~
    cg_iterations: int


def fit_ols(
    y: np.ndarray,
    X: np.ndarray,
    codes: np.ndarray | None,
    n_levels: int,
    *,
    tol: float = 1e-12,
    maxiter: int = 10_000,
) -> OLSFit:
    """Least squares of ``y`` on ``X`` and fixed effects.

    Raises
    ------
    ConvergenceError
        If partialling out the fixed effects does not converge.
    """
    n, k = X.shape
    if codes is None:
        codes = np.zeros((n, 0), dtype=np.int64)
    w = np.ones(n)
    res, _, it, ok = partial_out(codes, n_levels, w, np.column_stack([y, X]), tol=tol, maxiter=maxiter)
    if not ok:
        raise ConvergenceError(
            f"partialling out the fixed effects did not converge in {maxiter} iterations"
        )
    yt, Xt = res[:, 0], res[:, 1:]
    H = Xt.T @ Xt
    beta = np.linalg.solve(H, Xt.T @ yt) if k else np.zeros(0)
    resid = yt - Xt @ beta
    # fixed effects: project y - X b on the fixed effects
    if codes.shape[1]:
        _, a, _, ok2 = partial_out(codes, n_levels, w, y - X @ beta, tol=tol, maxiter=maxiter)
        if not ok2:
            raise ConvergenceError("computing the fixed effects did not converge")
        alpha = a[:, 0]
    else:
        alpha = np.zeros(0)
    fitted = y - resid
    return OLSFit(beta=beta, alpha=alpha, fitted=fitted, resid=resid, X_tilde=Xt, y_tilde=yt, hessian=H, cg_iterations=it)
