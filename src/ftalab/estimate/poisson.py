"""PPML with high-dimensional fixed effects: the solver kernel.

Method (exact maximum likelihood, not an approximation):

1. For given slopes ``b``, the fixed effects maximise the Poisson likelihood
   exactly: each dimension's first-order condition ``sum y = sum mu`` within a
   level has a closed-form solution given the other dimensions, so Gauss-Seidel
   sweeps over the dimensions are coordinate ascent on a concave function.
   The sweeps are accelerated with SQUAREM (Varadhan & Roland 2008) and every
   extrapolation is accepted only if the likelihood does not fall.
2. The slopes take Newton steps on the concentrated likelihood. By the envelope
   theorem its gradient is ``X'(y - mu)`` and its Hessian ``-X~' W X~``, where
   ``X~`` are the regressors with the fixed effects partialled out using
   weights ``W = mu`` (preconditioned conjugate gradients, see ``kernels``).
   Steps are halved until the likelihood rises.
3. Fixed effects and partialling-out coefficients are warm-started between
   Newton steps (the fixed effects from the first-order prediction
   ``alpha - A delta``, with ``A`` the partialling-out coefficients); the
   fixed-effect and CG tolerances are loose while the slopes still move a lot
   and tight at the end, and near the optimum the last Hessian is reused.

Convergence is declared when the relative deviance change is below ``tol`` and
the largest relative slope step is below ``sqrt(tol)``; Newton's quadratic
convergence then puts the slopes within ~``tol`` of the optimum. Anything that
fails to converge raises :class:`~ftalab.errors.ConvergenceError`.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np

from ftalab.errors import ConvergenceError, EstimationError
from ftalab.estimate.kernels import dot, gram_w, linpred, xtv

__all__ = ["PoissonFit", "fit_poisson", "solve_poisson_fe"]

logger = logging.getLogger(__name__)


@dataclass
class PoissonFit:
    """Raw output of :func:`fit_poisson` (arrays on the estimation sample)."""

    beta: np.ndarray
    alpha: np.ndarray  # all fixed effects, log scale, global positions
    mu: np.ndarray
    eta0: np.ndarray  # X b + offset (no fixed effects)
    X_tilde: np.ndarray  # regressors with FEs partialled out (weights mu)
    hessian: np.ndarray  # X~' W X~
    iterations: int
    fe_sweeps: int
    cg_iterations: int
    deviance: float
    converged: bool


def _loglik_core(sum_y: np.ndarray, alpha: np.ndarray, y_eta0: float, mu: np.ndarray) -> float:
    # sum y*eta - sum mu, with sum y*eta split into the slope part (y_eta0 = y'eta0) and the FE part
    return float(y_eta0 + dot(sum_y, alpha) - mu.sum())


def solve_poisson_fe(
    ops,
    sum_y: np.ndarray,
    y: np.ndarray,
    eta0: np.ndarray,
    alpha0: np.ndarray,
    *,
    tol: float,
    maxiter: int,
) -> tuple[np.ndarray, np.ndarray, int, float, bool]:
    """Fixed effects that maximise the Poisson likelihood for a fixed linear predictor ``eta0``.

    Returns ``(alpha, mu, sweeps, max_foc_violation, converged)``; the violation is
    the largest ``|log(sum y / sum mu)|`` over all fixed-effect levels.
    """
    alpha = alpha0.copy()
    mu = ops.mu(eta0, alpha)
    y_eta0 = dot(y, eta0)
    sweeps = 0
    dev = math.inf
    while sweeps < maxiter:
        a0 = alpha.copy()
        dev = ops.sweep(sum_y, mu, alpha)
        sweeps += 1
        if dev < tol:
            return alpha, mu, sweeps, dev, True
        a1 = alpha.copy()
        dev = ops.sweep(sum_y, mu, alpha)
        sweeps += 1
        if dev < tol:
            return alpha, mu, sweeps, dev, True
        r = a1 - a0
        v = alpha - 2.0 * a1 + a0
        nv = math.sqrt(dot(v, v))
        if nv == 0.0:
            continue
        s = min(-math.sqrt(dot(r, r)) / nv, -1.0)
        a_ext = a0 - 2.0 * s * r + s * s * v
        mu_ext = ops.mu(eta0, a_ext)
        # mu >= 0, so its total is finite exactly when every entry is (one pass, not two)
        total_ext = float(mu_ext.sum())
        if math.isfinite(total_ext):
            ll_ext = float(y_eta0 + dot(sum_y, a_ext) - total_ext)
            ll_cur = _loglik_core(sum_y, alpha, y_eta0, mu)
            if ll_ext >= ll_cur:
                alpha, mu = a_ext, mu_ext
                continue
        # rejected extrapolation: keep the plain sweeps, refresh mu to avoid drift
        mu = ops.mu(eta0, alpha)
    return alpha, mu, sweeps, dev, False


def _partial(ops, w: np.ndarray, X: np.ndarray, tol: float, start, maxiter: int = 10_000):
    if ops is None:
        return X.copy(), None, 0, True
    return ops.partial_out(w, X, tol, start, maxiter=maxiter)


def _deviance(y: np.ndarray, mu: np.ndarray, pos: np.ndarray | None = None) -> float:
    # logs only where y > 0 (``pos``, precomputed by the caller since y does not change):
    # the same terms as np.where(y > 0, y * log(y / mu), 0) at a fraction of the cost
    if pos is None:
        pos = np.flatnonzero(y > 0)
    yp = y[pos]
    t = np.zeros(len(y))
    with np.errstate(divide="ignore", invalid="ignore"):
        t[pos] = yp * np.log(yp / mu[pos])
    t -= y - mu
    return float(2.0 * np.sum(t))


def fit_poisson(
    y: np.ndarray,
    X: np.ndarray,
    ops=None,
    offset: np.ndarray | None = None,
    *,
    beta0: np.ndarray | None = None,
    tol: float = 1e-10,
    maxiter: int = 100,
    fe_tol: float = 1e-12,
    fe_maxiter: int = 100_000,
    cg_tol: float = 1e-8,
    newton_cg_tol: float = 1e-6,
    max_eta_step: float = 10.0,
) -> PoissonFit:
    """Maximum-likelihood Poisson regression with fixed effects.

    Parameters
    ----------
    y, X
        Outcome (n,) and regressors (n, k) of the estimation sample (no FE dummies).
    ops
        Fixed-effect operations (:class:`~ftalab.estimate.dense.GeneralFE` or
        :class:`~ftalab.estimate.dense.DenseGravityFE`); ``None`` for no fixed effects.
        With the dense layout, ``y``, ``X`` and ``offset`` are given per grid cell.
    offset
        Linear-predictor offset with coefficient fixed at one.
    tol
        Relative deviance-change tolerance of the Newton iterations.
    fe_tol
        Largest allowed violation of a fixed-effect first-order condition, on the log scale.
    max_eta_step
        Largest change of any observation's linear predictor in one Newton step.

    Raises
    ------
    ConvergenceError
        If the slopes, the fixed effects or the partialling-out do not converge.
    """
    n, k = X.shape
    has_fe = ops is not None
    n_levels = ops.n_levels if has_fe else 0
    off = np.zeros(n) if offset is None else offset
    pos = np.flatnonzero(y > 0)  # for the deviance
    sum_y = ops.sums(y) if has_fe else np.zeros(0)
    beta = np.zeros(k) if beta0 is None else beta0.astype(float).copy()
    alpha = np.zeros(n_levels)
    if has_fe:
        # start the first dimension at log(mean y) so mu has the right scale
        alpha[ops.first] = math.log(max(y.mean(), 1e-300))

    def evaluate(b: np.ndarray, a_start: np.ndarray, ftol: float):
        eta0 = linpred(X, b, off) if k else off.copy()
        if has_fe:
            a, mu, sw, viol, ok = solve_poisson_fe(
                ops, sum_y, y, eta0, a_start, tol=ftol, maxiter=fe_maxiter
            )
        else:
            a, mu, sw, viol, ok = a_start, np.exp(eta0), 0, 0.0, True
        ll = _loglik_core(sum_y, a, dot(y, eta0), mu) if has_fe else float(dot(y, eta0) - mu.sum())
        return eta0, a, mu, sw, viol, ok, ll

    inner_tol = max(fe_tol, 1e-4)  # the starting point needs no precision
    eta0, alpha, mu, sweeps, viol, ok, ll = evaluate(beta, alpha, inner_tol)
    total_sweeps = sweeps
    dev_old = _deviance(y, mu, pos)
    A = None
    H = None
    total_cg = 0
    converged = k == 0
    it = 0
    last_step = math.inf
    while not converged and it < maxiter:
        it += 1
        # an approximate Hessian is enough for the Newton direction; the fixed point
        # (X'(y - mu) = 0) does not depend on it
        # Near the optimum (last relative step < 1e-3) the Hessian barely changes: reuse it
        # (chord steps) instead of partialling out again.
        if last_step >= 1e-3 or H is None:
            # far from the optimum a rough Hessian is enough: tighten as the steps shrink
            ctol = min(1e-3, max(newton_cg_tol, 1e-2 * last_step)) if math.isfinite(last_step) else 1e-3
            # capped: on an ill-conditioned panel a rough Hessian must not cost thousands of passes
            Xt, A, cg_it, cg_ok = _partial(ops, mu, X, ctol, A, maxiter=300)
            logger.debug("newton %d: %d CG iterations", it, cg_it)
            total_cg += cg_it
            H = gram_w(Xt, mu)
        g = xtv(X, y - mu)
        try:
            delta = np.linalg.solve(H, g)
        except np.linalg.LinAlgError as exc:  # pragma: no cover - collinearity is removed earlier
            raise EstimationError("the regressors are collinear with the fixed effects") from exc
        inner_tol = max(fe_tol, min(1e-5, 1e-4 * float(np.max(np.abs(delta)))))
        # Trust region: a full step far from the optimum can jump onto a plateau (fitted
        # values ~0 for whole groups) where the likelihood still rises a little but the
        # problem becomes degenerate; limit the change of the linear predictor per step.
        move = float(np.max(np.abs(linpred(X, delta, np.zeros(n)))))
        step = min(1.0, max_eta_step / move) if move > 0 else 1.0
        gain = float(g @ delta)  # predicted first-order increase of the likelihood per unit step
        for _ in range(60):
            b_new = beta + step * delta
            # first-order prediction of the new fixed effects: when the slopes move by
            # d, the concentrated effects move by about -A d (A: partialling-out coefficients)
            a_start = alpha - step * (A @ delta) if A is not None and A.shape[0] == n_levels else alpha
            cand = evaluate(b_new, a_start, inner_tol)
            total_sweeps += cand[3]
            logger.debug("  line search step %g: %d FE sweeps to %.1e", step, cand[3], inner_tol)
            # sufficient increase (Armijo) while the predicted gain is meaningful, else no decrease
            need = 1e-4 * step * gain if step * gain > 1e-9 * abs(ll) else -1e-12 * abs(ll)
            if np.isfinite(cand[6]) and cand[6] >= ll + need:
                break
            if inner_tol > fe_tol and np.isfinite(cand[6]):
                # the comparison may only reflect loosely solved fixed effects: solve the
                # current point and the candidate exactly before shortening the step
                inner_tol = fe_tol
                eta0, alpha, mu, sw, viol, ok, ll = evaluate(beta, alpha, fe_tol)
                total_sweeps += sw
                continue
            step *= 0.5
        else:
            raise ConvergenceError(
                "the Poisson Newton step could not raise the likelihood (line search failed); "
                "check for separated observations or rescale the regressors"
            )
        eta0, alpha, mu, _, viol, ok, ll = cand
        beta = b_new
        dev = _deviance(y, mu, pos)
        rel_step = float(np.max(np.abs(step * delta) / np.maximum(1.0, np.abs(beta))))
        rel_dev = abs(dev - dev_old) / (0.1 + abs(dev))
        dev_old = dev
        logger.debug("newton %d: deviance %.12g, rel step %.3g, FE sweeps %d, beta %s", it, dev, rel_step, total_sweeps, beta)
        if rel_dev < tol and rel_step < math.sqrt(tol) and inner_tol <= fe_tol:
            converged = True
        last_step = rel_step
    if not converged:
        raise ConvergenceError(
            f"Poisson slopes did not converge in {maxiter} Newton iterations "
            f"(last relative step {last_step:.3g}); raise maxiter or check the model"
        )
    if has_fe:
        # tighten the fixed effects at the final slopes
        eta0, alpha, mu, sw, viol, ok, ll = evaluate(beta, alpha, fe_tol)
        total_sweeps += sw
        if not ok:
            raise ConvergenceError(
                f"fixed effects did not converge in {fe_maxiter} sweeps (largest first-order "
                f"condition violation {viol:.3g} > fe_tol {fe_tol:.3g}); raise fe_maxiter "
                "or loosen fe_tol (arguments of fepois)"
            )
    if k == 0:
        # fixed effects only: nothing to partial out, no slope Hessian
        Xt, cg_it, cg_ok = np.zeros((n, 0)), 0, True
    else:
        Xt, A, cg_it, cg_ok = _partial(ops, mu, X, cg_tol, A)
    total_cg += cg_it
    logger.debug("poisson: %d Newton iterations, %d FE sweeps, %d CG iterations", it, total_sweeps, total_cg)
    if not cg_ok:
        raise ConvergenceError(
            "partialling the fixed effects out of the regressors did not converge; "
            "the fixed-effect structure may be extremely ill-conditioned"
        )
    H = gram_w(Xt, mu)
    return PoissonFit(
        beta=beta,
        alpha=alpha,
        mu=mu,
        eta0=eta0,
        X_tilde=Xt,
        hessian=H,
        iterations=it,
        fe_sweeps=total_sweeps,
        cg_iterations=total_cg,
        deviance=_deviance(y, mu, pos),
        converged=True,
    )
