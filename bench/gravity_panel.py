"""Seeded synthetic structural-gravity panels for the benchmarks (not part of the package).

``X_ijt = exp(pi_it + chi_jt + mu_ij + b_rta * rta_ijt + b_wto * wto_ijt) * eps`` with
log-normal country sizes (a realistic, heavy-tailed size distribution), domestic
flows (``i == j``, large, through a home-bias pair effect), pair effects from
distance and contiguity, RTAs that switch on over time, multiplicative
log-normal noise and zeros: small flows are censored to zero, and a share of pairs
between small countries never trade (separated by the pair effect).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["make_panel", "TRUE_COEF"]

TRUE_COEF = {"rta": 0.5, "wto": 0.3}


def make_panel(n: int, t: int, seed: int = 0, *, sector_shift: float = 0.0) -> pd.DataFrame:
    """A balanced n x n x t panel (domestic flows included) with integer FE keys."""
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
    # RTAs: symmetric, switch on at a random year for ~15% of pairs
    start = rng.integers(0, 2 * t, (n, n))
    start = np.minimum(start, start.T)
    has = rng.uniform(size=(n, n)) < 0.15
    has = (has | has.T) & ~np.eye(n, dtype=bool)
    wto_join = rng.integers(-t, t, n)
    yr = np.arange(t)[:, None, None]
    rta = ((yr >= start[None]) & has[None]).astype(float)
    wto = ((yr >= wto_join[None, :, None]) & (yr >= wto_join[None, None, :]) & ~np.eye(n, dtype=bool)[None]).astype(float)
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
    T, E, I = np.meshgrid(np.arange(t), np.arange(n), np.arange(n), indexing="ij")
    return pd.DataFrame(
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
