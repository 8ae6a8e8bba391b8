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

Two safeguards (found on small three-way panels with many zeros, checked against
an exact linear program in ``tests/test_estimate_separation.py``): when conjugate
gradients stall under the extreme weights, the weighted fit is solved directly
(small designs only, else a clear error); and the iteration only stops when no
zero row is left with a value just above ``tol`` (the remnant of a decaying
iteration, which earlier was taken for a separated row), and only if the fit is
zero (to ``tol``) on every positive row, i.e. the certificate is valid.
"""

from __future__ import annotations

import logging

import numpy as np

from ftalab.errors import ConvergenceError

__all__ = ["relu_separation"]

logger = logging.getLogger(__name__)


#: Largest dense design (observations x fixed-effect levels) solved directly when the
#: conjugate gradients fail on the ReLU's extreme weights.
DIRECT_MAX_CELLS = 20_000_000


def _direct_residuals(codes: np.ndarray, w: np.ndarray, x: np.ndarray) -> np.ndarray | None:
    """Weighted least-squares residuals on the dense dummy matrix (SVD); None if too large."""
    used, local = np.unique(codes, return_inverse=True)
    n, L = len(w), len(used)
    if n * L > DIRECT_MAX_CELLS:
        return None
    sw = np.sqrt(w)
    D = np.zeros((n, L))
    np.put_along_axis(D, local.reshape(codes.shape), 1.0, axis=1)
    coef, *_ = np.linalg.lstsq(D * sw[:, None], x * sw[:, None], rcond=None)
    return x - D @ coef


class _Residuals:
    """Residuals after the fixed effects under the ReLU weights.

    The weights (1 and 1/tol**2) make the problem so ill-conditioned that conjugate
    gradients can stall on small panels with many zeros; such panels are small enough
    to solve directly, and once CG has failed every later iteration goes direct.
    """

    def __init__(self, ops) -> None:
        self.ops = ops
        self.direct = False

    def __call__(self, w: np.ndarray, x: np.ndarray) -> np.ndarray:
        if not self.direct:
            res, ok = self.ops.partial_out_obs(w, x, 1e-12, return_ok=True, maxiter=2000)
            if ok:
                return res
            self.direct = True
            logger.debug("ReLU: conjugate gradients did not converge; solving directly")
        out = _direct_residuals(self.ops.obs_codes(), w, x)
        if out is None:
            raise ConvergenceError(
                "the separation check (ReLU method) could not partial out the fixed effects "
                "(conjugate gradients did not converge); pass separation=False to skip it, "
                "and check the regressors for separation by hand"
            )
        return out


def relu_separation(
    y: np.ndarray,
    X: np.ndarray,
    ops=None,
    *,
    tol: float = 1e-5,
    maxiter: int = 300,
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
    # column by column: numpy's axis-0 reduction over a narrow (n, k) array is ~30x slower
    scale = np.array([np.abs(X[:, k]).max() for k in range(X.shape[1])])
    Xs = X / np.where(scale > 0, scale, 1.0)
    w = np.where(zero, 1.0, 1.0 / tol**2)
    u = zero.astype(float)
    resid = _Residuals(ops) if ops is not None else None
    for it in range(maxiter):
        both = np.column_stack([u, Xs])
        res = resid(w, both) if ops is not None else both
        ut, Xt = res[:, 0], res[:, 1:]
        sw = np.sqrt(w)
        g, *_ = np.linalg.lstsq(Xt * sw[:, None], ut * sw, rcond=None)
        fit = u - (ut - Xt @ g)
        # a valid certificate is zero (to tol) wherever y > 0; record how far this fit is
        off_pos = float(np.abs(fit[~zero]).max()) if (~zero).any() else 0.0
        fit[np.abs(fit) < tol] = 0.0
        logger.debug("ReLU iteration %d: min on zeros %.3g, max |fit| on positives %.3g",
                     it, fit[zero].min(), off_pos)
        if (fit[zero] >= 0).all():
            if off_pos > tol:
                raise ConvergenceError(
                    "the separation check (ReLU method) could not solve its weighted fit accurately "
                    f"(certificate off by {off_pos:.2g} on positive observations); pass "
                    "separation=False to skip it, and check the regressors for separation by hand"
                )
            sep = zero & (fit > 0)
            if (fit[sep] < 100 * tol).any():
                # values just above tol are what is left of a decaying iteration, not a
                # certificate (a real one stays of order one): keep iterating until they
                # fall below tol (or, if real, grow)
                u = np.where(zero, np.maximum(fit, 0.0), 0.0)
                continue
            logger.debug("ReLU separation check: %d separated after %d iterations", sep.sum(), it + 1)
            return sep
        u = np.where(zero, np.maximum(fit, 0.0), 0.0)
    raise ConvergenceError(
        f"the separation check (ReLU method) did not settle in {maxiter} iterations; "
        "pass separation=False to skip it, and check the regressors for separation by hand"
    )
