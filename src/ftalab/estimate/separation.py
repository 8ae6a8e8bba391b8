"""Detect observations separated by the regressors (Poisson), as ``ppmlhdfe`` does.

A Poisson maximum-likelihood estimate does not exist when some combination
``z = X g + D a`` of regressors and fixed effects is zero wherever ``y > 0`` and
non-negative, somewhere positive, where ``y = 0`` (Santos Silva & Tenreyro
2010; Correia, Guimaraes & Zylkin 2019, "Verifying the existence of maximum
likelihood estimates for generalized linear models"). The observations with
``z > 0`` are separated: their fitted value tends to zero, and dropping them
gives the same estimates for every identified coefficient.

This module implements the paper's iterative rectifier ("ReLU") method: a
weighted least-squares fit of ``u`` on the regressors and fixed effects with a
huge weight on ``y > 0`` rows, followed by ``u <- max(fit, 0)`` on the zero rows,
until the fit is non-negative. Observations separated by the fixed effects alone
(a group whose outcome is zero throughout) are dropped earlier, in ``design``.
"""

from __future__ import annotations

import logging

import numpy as np

from ftalab.errors import ConvergenceError

__all__ = ["relu_separation"]

logger = logging.getLogger(__name__)


def relu_separation(
    y: np.ndarray,
    X: np.ndarray,
    ops=None,
    *,
    tol: float = 1e-5,
    maxiter: int = 100,
) -> np.ndarray:
    """Boolean mask of observations separated by the regressors (and fixed effects).

    Parameters
    ----------
    y, X
        Outcome and regressors of the estimation sample (after FE pruning).
    ops
        Fixed-effect operations with ``partial_out_obs`` (see :mod:`ftalab.estimate.dense`);
        ``None`` without fixed effects.
    tol
        Values of the certificate ``z`` below ``tol`` in absolute value count as zero.

    Raises
    ------
    ConvergenceError
        If the iterations do not settle in ``maxiter`` steps.
    """
    n = len(y)
    zero = y <= 0
    if not zero.any() or X.shape[1] == 0:
        return np.zeros(n, dtype=bool)
    # scale regressors so the tolerance means the same for every column
    scale = np.abs(X).max(axis=0)
    Xs = X / np.where(scale > 0, scale, 1.0)
    w = np.where(zero, 1.0, 1.0 / tol**2)
    u = zero.astype(float)
    for it in range(maxiter):
        both = np.column_stack([u, Xs])
        res = ops.partial_out_obs(w, both, 1e-12) if ops is not None else both
        ut, Xt = res[:, 0], res[:, 1:]
        sw = np.sqrt(w)
        g, *_ = np.linalg.lstsq(Xt * sw[:, None], ut * sw, rcond=None)
        fit = u - (ut - Xt @ g)
        fit[np.abs(fit) < tol] = 0.0
        if (fit[zero] >= 0).all():
            sep = zero & (fit > 0)
            logger.debug("ReLU separation check: %d separated after %d iterations", sep.sum(), it + 1)
            return sep
        u = np.where(zero, np.maximum(fit, 0.0), 0.0)
    raise ConvergenceError(
        f"the separation check (ReLU method) did not settle in {maxiter} iterations; "
        "pass separation=False to skip it, and check the regressors for separation by hand"
    )
