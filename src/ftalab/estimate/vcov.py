"""Variance-covariance matrices: iid, heteroskedasticity-robust, one- and two-way CRV1.

Small-sample conventions (``ssc``):

``"stata"``
    What Stata (``ppmlhdfe``, ``ppml_panel_sg``, ``reghdfe``) and R's fixest with
    ``ssc(adj = FALSE, cluster.adj = TRUE)`` report, and what the book's
    replication uses: clustered errors are multiplied by ``G / (G - 1)`` only;
    robust errors by ``N / (N - 1)``; iid errors of a Poisson model are not
    adjusted, those of a linear model use ``e'e / (N - k - k_fe)``.
``"pyfixest"``
    pyfixest's (and fixest's) default ``ssc(k_adj=True, k_fixef="nonnested",
    G_adj=True, G_df="min")``: additionally multiplies by ``(N - 1) / (N - df_k)``
    (iid, clustered) or ``N / (N - df_k)`` (robust), where ``df_k`` counts the
    slopes plus the fixed-effect levels minus one per extra fixed effect, and
    fixed effects nested in a cluster variable count as one parameter only.

With two-way clustering ``V = V_a + V_b - V_ab`` (Cameron, Gelbach & Miller 2011)
and every term uses ``G = min(G_a, G_b)`` in both conventions.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from ftalab.errors import EstimationError, EstimationWarning

__all__ = ["SSC", "VcovSpec", "parse_vcov", "compute_vcov", "nested_in"]

SSC = Literal["stata", "pyfixest"]


@dataclass(frozen=True)
class VcovSpec:
    """A parsed ``vcov`` option: ``kind`` is iid, hetero or CRV1; ``clusters`` the column names."""

    kind: str
    clusters: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"CRV1: {'+'.join(self.clusters)}" if self.kind == "CRV1" else self.kind


def parse_vcov(vcov: object) -> VcovSpec:
    """Read ``"iid"``, ``"hetero"``, ``{"CRV1": "pair"}``, ``{"CRV1": "a+b"}`` or ``"CRV1:pair"``."""
    if isinstance(vcov, str):
        v = vcov.strip()
        if v.lower() in ("iid", "hetero", "hc1", "robust"):
            return VcovSpec("iid" if v.lower() == "iid" else "hetero")
        if ":" in v:
            kind, _, cl = v.partition(":")
            vcov = {kind.strip(): cl.strip()}
    if isinstance(vcov, dict) and len(vcov) == 1:
        (kind, cl), = vcov.items()
        if str(kind).upper() == "CRV1" and isinstance(cl, str) and cl.strip():
            cols = tuple(c.strip() for c in cl.split("+"))
            if len(cols) > 2 or not all(cols):
                raise EstimationError(f"CRV1 takes one or two cluster columns ('a' or 'a+b'); got {cl!r}")
            return VcovSpec("CRV1", cols)
    raise EstimationError(
        f"unknown vcov {vcov!r}; use 'iid', 'hetero', {{'CRV1': 'pair'}} or {{'CRV1': 'a+b'}}"
    )


def nested_in(fe_codes: np.ndarray, cluster: np.ndarray) -> bool:
    """True if every level of a fixed effect lies inside one cluster."""
    df = pd.DataFrame({"f": fe_codes, "c": cluster})
    return bool((df.groupby("f")["c"].nunique() <= 1).all())


def _meat(scores: np.ndarray, cluster: np.ndarray) -> np.ndarray:
    _, inv = np.unique(cluster, return_inverse=True)
    g = np.zeros((inv.max() + 1, scores.shape[1]))
    np.add.at(g, inv, scores)
    return g.T @ g


def compute_vcov(
    spec: VcovSpec,
    *,
    bread: np.ndarray,
    scores: np.ndarray,
    poisson: bool,
    ssc: SSC,
    n_obs: int,
    k: int,
    fe_local_codes: list[np.ndarray],
    clusters: list[np.ndarray],
    resid_ss: float | None = None,
) -> tuple[np.ndarray, int, dict[str, object]]:
    """Return ``(vcov, df_t, info)`` for a fitted model.

    ``bread`` is the inverse Hessian ``(X~'WX~)^-1``; ``scores`` the per-observation
    score contributions ``X~_i * residual_i``; ``df_t`` the degrees of freedom of
    the t distribution used for p-values and intervals.
    """
    if ssc not in ("stata", "pyfixest"):
        raise EstimationError(f"ssc must be 'stata' or 'pyfixest', not {ssc!r}")
    N = n_obs
    sizes = [int((np.bincount(c) > 0).sum()) for c in fe_local_codes]
    n_fe = sum(s > 1 for s in sizes) if poisson else len(sizes)
    k_fe = sum(sizes)
    k_fe_adj = k_fe - (n_fe - 1) if n_fe > 1 else k_fe
    info: dict[str, object] = {"ssc": ssc}
    if spec.kind in ("iid", "hetero"):
        df_k = k + k_fe_adj
        if spec.kind == "iid":
            if poisson:
                V = bread.copy()
                adj = (N - 1) / (N - df_k) if ssc == "pyfixest" else 1.0
            else:
                V = bread * (resid_ss or 0.0) / (N - 1)
                adj = (N - 1) / (N - df_k)
        else:
            V = bread @ (scores.T @ scores) @ bread
            adj = N / (N - df_k) if ssc == "pyfixest" else N / (N - 1)
        info.update(df_k=df_k, adjustment=adj)
        return V * adj, N - df_k, info
    # CRV1
    cl = list(clusters)
    if len(cl) == 2:
        a = pd.factorize(cl[0])[0].astype(np.int64)
        b = pd.factorize(cl[1])[0].astype(np.int64)
        cl.append(a * (b.max() + 1) + b)
    Gs = [len(np.unique(c)) for c in cl]
    G = min(Gs)
    if G < 2:
        raise EstimationError("clustered errors need at least two clusters")
    nested = [any(nested_in(f, c) for c in cl) for f in fe_local_codes]
    k_nested = sum(s for s, n in zip(sizes, nested) if n)
    n_nested = sum(nested)
    df_k = k + k_fe_adj - k_nested + n_nested if n_nested else k + k_fe_adj
    adj = G / (G - 1)
    if ssc == "pyfixest":
        adj *= (N - 1) / (N - df_k)
    V = np.zeros_like(bread)
    for sign, c in zip((1.0, 1.0, -1.0), cl):
        V += sign * (bread @ _meat(scores, c) @ bread)
    info.update(df_k=df_k, adjustment=adj, n_clusters=Gs[: len(clusters)])
    if len(clusters) == 2 and (np.diag(V) < 0).any():
        # V_a + V_b - V_ab need not be positive (Cameron, Gelbach & Miller 2011);
        # fixest and pyfixest then report NaN standard errors too: say so
        warnings.warn(
            f"two-way clustered variance is negative for some coefficients (clusters: {Gs[:2]}); "
            "their standard errors are NaN. Cluster on one dimension or use more clusters.",
            EstimationWarning,
            stacklevel=4,
        )
    return V * adj, G - 1, info
