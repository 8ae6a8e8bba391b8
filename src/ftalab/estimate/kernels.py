"""Numba kernels on fixed-effect codes: group sums, FE sweeps, weighted partialling-out.

All fixed-effect dimensions of a model share one coefficient vector of length
``n_levels`` (the sum of the dimensions' level counts); ``codes[i, k]`` is the
*global* position of observation ``i``'s level in dimension ``k`` (its local
code plus the dimension's offset). The kernels are pure functions on arrays and
single-threaded on purpose: on the 2-core target machine, numba's parallel mode
and multithreaded BLAS made these loops slower (see ``bench/README.md``).
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = [
    "group_sums",
    "mu_from_alpha",
    "poisson_fe_sweep",
    "partial_out",
    "dot",
    "linpred",
    "xtv",
    "gram_w",
]


@njit(cache=True)
def group_sums(codes: np.ndarray, v: np.ndarray, n_levels: int) -> np.ndarray:
    """Sum ``v`` over every level of every dimension (one vector of length n_levels)."""
    n, k = codes.shape
    out = np.zeros(n_levels)
    for i in range(n):
        vi = v[i]
        for d in range(k):
            out[codes[i, d]] += vi
    return out


@njit(cache=True)
def mu_from_alpha(codes: np.ndarray, eta0: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Poisson means ``exp(eta0 + sum of fixed effects)``."""
    n, k = codes.shape
    out = np.empty(n)
    for i in range(n):
        s = eta0[i]
        for d in range(k):
            s += alpha[codes[i, d]]
        out[i] = np.exp(s)
    return out


@njit(cache=True)
def poisson_fe_sweep(
    codes: np.ndarray,
    offsets: np.ndarray,
    sum_y: np.ndarray,
    mu: np.ndarray,
    alpha: np.ndarray,
) -> float:
    """One Gauss-Seidel sweep of exact Poisson first-order conditions, in place.

    For each dimension in turn, every level's effect is set so that its fitted
    total equals its observed total (``sum y = sum mu`` within the level), which
    is the closed-form maximiser of the likelihood in that dimension given the
    others. Returns the largest ``|log(sum y / sum mu)|`` met during the sweep,
    i.e. the largest violation of a first-order condition before its update.
    """
    n, k = codes.shape
    worst = 0.0
    for d in range(k):
        lo = offsets[d]
        hi = offsets[d + 1]
        s = np.zeros(hi - lo)
        for i in range(n):
            s[codes[i, d] - lo] += mu[i]
        f = np.empty(hi - lo)
        for g in range(hi - lo):
            r = sum_y[lo + g] / s[g]
            f[g] = r
            lr = np.log(r)
            alpha[lo + g] += lr
            if abs(lr) > worst:
                worst = abs(lr)
        for i in range(n):
            mu[i] *= f[codes[i, d] - lo]
    return worst


@njit(cache=True)
def _dtw(codes: np.ndarray, w: np.ndarray, v: np.ndarray, n_levels: int) -> np.ndarray:
    # D' W v for a matrix v (n, p)
    n, k = codes.shape
    p = v.shape[1]
    out = np.zeros((n_levels, p))
    for i in range(n):
        wi = w[i]
        for d in range(k):
            g = codes[i, d]
            for j in range(p):
                out[g, j] += wi * v[i, j]
    return out


@njit(cache=True)
def _d_times(codes: np.ndarray, a: np.ndarray) -> np.ndarray:
    # D a for a coefficient matrix a (n_levels, p)
    n, k = codes.shape
    p = a.shape[1]
    out = np.zeros((n, p))
    for i in range(n):
        for d in range(k):
            g = codes[i, d]
            for j in range(p):
                out[i, j] += a[g, j]
    return out


@njit(cache=True)
def _dtwd(codes: np.ndarray, w: np.ndarray, a: np.ndarray) -> np.ndarray:
    # D' W D a without storing the (n, p) intermediate
    n, k = codes.shape
    p = a.shape[1]
    out = np.zeros(a.shape)
    tmp = np.empty(p)
    for i in range(n):
        for j in range(p):
            tmp[j] = 0.0
        for d in range(k):
            g = codes[i, d]
            for j in range(p):
                tmp[j] += a[g, j]
        wi = w[i]
        for d in range(k):
            g = codes[i, d]
            for j in range(p):
                out[g, j] += wi * tmp[j]
    return out


@njit(cache=True)
def _pcg(codes, w, b, gross, a0, tol, maxiter):
    # Jacobi-preconditioned conjugate gradients, one system per column of b,
    # run together so each pass over the data serves all columns.
    n_levels, p = b.shape
    diag = np.zeros(n_levels)
    n, k = codes.shape
    for i in range(n):
        for d in range(k):
            diag[codes[i, d]] += w[i]
    inv = np.zeros(n_levels)
    for g in range(n_levels):
        if diag[g] > 0:
            inv[g] = 1.0 / diag[g]
    a = a0.copy()
    r = b - _dtwd(codes, w, a)
    z = np.empty_like(r)
    for g in range(n_levels):
        for j in range(p):
            z[g, j] = inv[g] * r[g, j]
    pdir = z.copy()
    rz = np.zeros(p)
    bnorm = np.zeros(p)
    for j in range(p):
        for g in range(n_levels):
            rz[j] += r[g, j] * z[g, j]
            # tolerance relative to the gross scale D'|Wx|, not to D'Wx: when x is almost
            # absorbed by the fixed effects, D'Wx is tiny and rounding makes the system
            # slightly inconsistent, so a net-relative target can be unreachable
            bnorm[j] += gross[g, j] * gross[g, j] * inv[g]
    it = 0
    done = False
    while it < maxiter:
        done = True
        for j in range(p):
            if rz[j] > tol * tol * max(bnorm[j], 1e-300):
                done = False
        if done:
            break
        q = _dtwd(codes, w, pdir)
        for j in range(p):
            pq = 0.0
            for g in range(n_levels):
                pq += pdir[g, j] * q[g, j]
            step = rz[j] / pq if pq > 0 else 0.0
            for g in range(n_levels):
                a[g, j] += step * pdir[g, j]
                r[g, j] -= step * q[g, j]
        for j in range(p):
            new_rz = 0.0
            for g in range(n_levels):
                z[g, j] = inv[g] * r[g, j]
                new_rz += r[g, j] * z[g, j]
            beta = new_rz / rz[j] if rz[j] > 0 else 0.0
            rz[j] = new_rz
            for g in range(n_levels):
                pdir[g, j] = z[g, j] + beta * pdir[g, j]
        it += 1
    return a, it, done


def partial_out(
    codes: np.ndarray,
    n_levels: int,
    w: np.ndarray,
    x: np.ndarray,
    *,
    tol: float = 1e-11,
    maxiter: int = 10_000,
    start: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, int, bool]:
    """Residuals of a weighted least-squares projection of ``x`` on the fixed effects.

    Solves ``(D'WD) a = D'W x`` by preconditioned conjugate gradients (exact up to
    ``tol``, relative to the preconditioned norm of ``D'|W x|``) instead of
    alternating projections, which converge slowly on three-way panels.

    Returns ``(x - D a, a, iterations, converged)``.
    """
    x2 = np.ascontiguousarray(x.reshape(x.shape[0], -1), dtype=np.float64)
    if codes.shape[1] == 0:
        return x2.copy(), np.zeros((0, x2.shape[1])), 0, True
    b = _dtw(codes, w, x2, n_levels)
    gross = _dtw(codes, w, np.abs(x2), n_levels)
    a0 = np.zeros_like(b) if start is None or start.shape != b.shape else start
    a, it, ok = _pcg(codes, w, b, gross, a0, tol, maxiter)
    return x2 - _d_times(codes, a), a, int(it), bool(ok)


# --- small dense helpers ---------------------------------------------------------
# numpy routes these through BLAS, whose threads made them ~80x slower (16 ms vs
# 0.2 ms for a 450k dot product) on the shared 2-core machine; plain loops win.
@njit(cache=True)
def dot(a: np.ndarray, b: np.ndarray) -> float:
    """``a @ b`` for 1-d arrays, single-threaded."""
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * b[i]
    return s


@njit(cache=True)
def linpred(X: np.ndarray, b: np.ndarray, off: np.ndarray) -> np.ndarray:
    """``X @ b + off``, single-threaded."""
    n, k = X.shape
    out = off.copy()
    for i in range(n):
        s = 0.0
        for j in range(k):
            s += X[i, j] * b[j]
        out[i] += s
    return out


@njit(cache=True)
def xtv(X: np.ndarray, v: np.ndarray) -> np.ndarray:
    """``X.T @ v``, single-threaded."""
    n, k = X.shape
    out = np.zeros(k)
    for i in range(n):
        vi = v[i]
        for j in range(k):
            out[j] += X[i, j] * vi
    return out


@njit(cache=True)
def gram_w(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``X.T @ diag(w) @ X``, single-threaded."""
    n, k = X.shape
    out = np.zeros((k, k))
    for i in range(n):
        wi = w[i]
        for a in range(k):
            xa = X[i, a] * wi
            for b in range(a, k):
                out[a, b] += xa * X[i, b]
    for a in range(k):
        for b in range(a):
            out[a, b] = out[b, a]
    return out
