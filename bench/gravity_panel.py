"""Seeded synthetic structural-gravity panels for the benchmarks (not part of the package).

Two generators, both ``X_ijt = exp(pi_it + chi_jt + mu_ij + b_rta * rta_ijt + b_wto * wto_ijt) * eps``
with known coefficients :data:`TRUE_COEF`:

``make_panel(..., kind="realistic")`` (default since 2026-11-29, second benchmark run)
    Country sizes log-normal with sd 1.7 in logs (log GDP across ~190 economies
    has sd ~2 in WDI), growing at random rates; distance from random coordinates
    on a 100 x 100 plane (internal distance rising with size), contiguity below
    distance 12; domestic flows large (home bias ``exp(4.5)``, median domestic
    share of absorption ~70%); RTAs that switch on over time (~15% of pairs), WTO
    accession years. Zeros come from an extensive margin: the probability of a
    zero rises as both economies get smaller and farther apart (a persistent pair
    component plus a yearly shock), calibrated to ``zero_share`` (35%) of the
    international flows; positive flows are scaled by ``1/(1-p)`` so that
    ``E[X] = exp(eta)`` still holds and PPML is consistent for the coefficients.
    About ``absent_share`` (0.5%) of the international rows are absent (pair not
    reported that year), mostly small distant pairs: the panel is unbalanced
    (N=150 x T=20 gives ~448,000 rows, like the issue's 447,720).
``make_panel(..., kind="simple")`` (the first benchmark run, cited in bench/README.md)
    Balanced; the smallest 15% of flows censored to zero (which biases the
    coefficients a little) and 3% of pairs that never trade.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["make_panel", "TRUE_COEF"]

TRUE_COEF = {"rta": 0.5, "wto": 0.3}


def _frame(trade, rta, wto, keep=None) -> pd.DataFrame:
    t, n, _ = trade.shape
    T, E, I = np.meshgrid(np.arange(t), np.arange(n), np.arange(n), indexing="ij")
    df = pd.DataFrame(
        {
            "year": T.ravel().astype(np.int32),
            "exporter": E.ravel().astype(np.int32),
            "importer": I.ravel().astype(np.int32),
            "trade": trade.ravel(),
            "rta": rta.ravel(),
            "wto": wto.ravel(),
            "exp_year": (E * t + T).ravel().astype(np.int32),
            "imp_year": (I * t + T).ravel().astype(np.int32),
            "pair": (E * n + I).ravel().astype(np.int32),
        }
    )
    if keep is None:
        return df
    return df[keep.ravel()].reset_index(drop=True)


def _policy(rng, n: int, t: int) -> tuple[np.ndarray, np.ndarray]:
    # RTAs: symmetric, switch on at a random year for ~15% of pairs; WTO accession years
    off = ~np.eye(n, dtype=bool)
    start = rng.integers(0, 2 * t, (n, n))
    start = np.minimum(start, start.T)
    has = rng.uniform(size=(n, n)) < 0.15
    has = (has | has.T) & off
    wto_join = rng.integers(-t, t, n)
    yr = np.arange(t)[:, None, None]
    rta = ((yr >= start[None]) & has[None]).astype(float)
    wto = ((yr >= wto_join[None, :, None]) & (yr >= wto_join[None, None, :]) & off[None]).astype(float)
    return rta, wto


def make_panel(
    n: int,
    t: int,
    seed: int = 0,
    *,
    sector_shift: float = 0.0,
    kind: str = "realistic",
    zero_share: float = 0.35,
    absent_share: float = 0.005,
) -> pd.DataFrame:
    """An ``n x n x t`` gravity panel (domestic flows included) with integer FE keys.

    Columns: year, exporter, importer, trade, rta, wto, exp_year, imp_year, pair.
    ``kind`` is ``"realistic"`` (default) or ``"simple"`` (see the module docstring);
    ``zero_share`` and ``absent_share`` apply to the realistic kind only.
    """
    if kind == "simple":
        return _make_simple(n, t, seed, sector_shift=sector_shift)
    if kind != "realistic":
        raise ValueError(f"kind must be 'realistic' or 'simple', not {kind!r}")
    rng = np.random.default_rng(seed)
    off = ~np.eye(n, dtype=bool)
    size = rng.normal(0.0, 1.7, n)
    lsize = size[None, :] + rng.normal(0.03, 0.03, (t, n)).cumsum(axis=0) + rng.normal(0, 0.05, (t, n))
    xy = rng.uniform(0, 100, (n, 2))
    dist = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1))
    dist = np.where(off, np.maximum(dist, 1.0), (1.5 * np.exp(size / 4))[:, None])
    contig = ((dist < 12) & off).astype(float)
    home = 4.5 + rng.normal(0, 0.5, n)
    mu_pair = -1.0 * np.log(dist) + 0.5 * contig + rng.normal(0, 0.7, (n, n)) + np.diag(home)
    rta, wto = _policy(rng, n, t)
    eta = (
        lsize[:, :, None] + lsize[:, None, :] + mu_pair[None]
        + TRUE_COEF["rta"] * rta + TRUE_COEF["wto"] * wto + sector_shift
    )
    # extensive margin: P(zero) rises as both economies get smaller and farther apart
    latent = (
        lsize[:, :, None] + lsize[:, None, :] - 1.5 * np.log(dist)[None]
        + rng.normal(0, 1.0, (n, n))[None] + rng.normal(0, 0.7, eta.shape)
    )
    thr = np.quantile(latent[:, off], zero_share)
    p = np.where(off[None], 1.0 / (1.0 + np.exp(1.5 * (latent - thr))), 0.0)
    p = np.minimum(p, 0.98)
    pos = rng.uniform(size=eta.shape) >= p
    # mean-one noise on the positive flows, divided by 1-p: E[trade] = exp(eta)
    trade = np.where(pos, np.exp(eta + rng.normal(-0.125, 0.5, eta.shape)) / (1.0 - p), 0.0)
    # absent rows (pair not reported that year), mostly small distant pairs
    w = np.where(off[None], np.exp(-(latent - thr)), 0.0)
    p_abs = np.minimum(absent_share * w.size * w / w.sum(), 1.0)
    keep = rng.uniform(size=eta.shape) >= p_abs
    return _frame(trade, rta, wto, keep)


def _make_simple(n: int, t: int, seed: int = 0, *, sector_shift: float = 0.0) -> pd.DataFrame:
    """The first benchmark's balanced panel (kept so its README numbers can be reproduced)."""
    rng = np.random.default_rng(seed)
    # log GDP: the cross-country standard deviation of log GDP is about 2 (WDI, ~190 economies)
    size = rng.normal(0, 2.0, n)
    growth = rng.normal(0.02, 0.02, (t, n)).cumsum(axis=0)
    xy = rng.uniform(0, 10, (n, 2))
    dist = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1)) + 0.3
    np.fill_diagonal(dist, 0.2)
    contig = ((dist < 1.2) & ~np.eye(n, dtype=bool)).astype(float)
    pair_noise = rng.normal(0, 0.5, (n, n))
    mu_pair = -1.0 * np.log(dist) + 0.4 * contig + pair_noise + 3.0 * np.eye(n)
    rta, wto = _policy(rng, n, t)
    eta = (
        size[None, :, None] + growth[:, :, None]  # exporter-year
        + size[None, None, :] + growth[:, None, :]  # importer-year
        + mu_pair[None] + TRUE_COEF["rta"] * rta + TRUE_COEF["wto"] * wto + sector_shift
    )
    trade = np.exp(eta + rng.normal(0, 0.6, eta.shape))
    # censor small flows; some small-country pairs never trade
    trade[trade < np.quantile(trade, 0.15)] = 0.0
    never = (rng.uniform(size=(n, n)) < 0.03) & ~np.eye(n, dtype=bool)
    trade[:, never] = 0.0
    return _frame(trade, rta, wto)
