"""Turn GE solutions into the run's result tables (pure functions on DataFrames/arrays)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ftalab.ge import COUNTRY_COLUMNS, GEResult

__all__ = [
    "MEASURES",
    "country_rows",
    "aggregate_weights",
    "trade_effects",
    "pair_rows",
]

#: Reported measure -> GE country column.
MEASURES = {
    "welfare": "welfare_pct",
    "real_gdp": "real_gdp_pct",
    "exports": "exports_pct",
    "imports": "imports_pct",
    "output": "output_pct",
    "price": "price_pct",
    "cdl_exports": "cdl_exports_pct",
    "cdl_imports": "cdl_imports_pct",
    "revenue": None,  # percent change of tariff revenue, from levels
}
_COL_INDEX = {c: k for k, c in enumerate(COUNTRY_COLUMNS)}


def _measure_matrix(values: np.ndarray) -> dict[str, np.ndarray]:
    """Measures from an array (..., N, K) in COUNTRY_COLUMNS order."""
    out = {}
    for m, col in MEASURES.items():
        if col is not None:
            out[m] = values[..., _COL_INDEX[col]]
    base = values[..., _COL_INDEX["tariff_revenue_base"]]
    change = values[..., _COL_INDEX["tariff_revenue_change"]]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["revenue"] = np.where(base > 0, 100.0 * change / np.where(base > 0, base, 1.0), np.nan)
    return out


def aggregate_weights(codes: Sequence[str], gdp: pd.Series, groups: dict[str, Sequence[str]]) -> dict[str, np.ndarray]:
    """Normalised GDP weights over ``codes`` for each named group."""
    g = gdp.reindex(list(codes)).to_numpy(dtype=float)
    out = {}
    for name, members in groups.items():
        mask = np.isin(np.asarray(codes), list(members))
        w = np.where(mask, g, 0.0)
        s = w.sum()
        out[name] = w / s if s > 0 else w
    return out


def country_rows(
    step: str,
    result: GEResult,
    weights: dict[str, np.ndarray],
    *,
    draws: np.ndarray | None = None,
    level: float = 0.9,
) -> pd.DataFrame:
    """Long table ``step, iso3, measure, value, lo, hi`` incl. weighted aggregates.

    ``draws`` is the Monte Carlo array (draws, N, K); intervals are percentiles at ``level``.
    Aggregates (``*MEMBERS`` ...) are weighted means of country changes (revenue:
    change of the summed levels), per draw for their intervals.
    """
    codes = list(result.countries.index)
    point_vals = result.countries[list(COUNTRY_COLUMNS)].to_numpy(dtype=float)
    point = _measure_matrix(point_vals)
    agg_point = _aggregates(point_vals, weights)
    lo_q, hi_q = (1 - level) / 2 * 100, (1 + level) / 2 * 100
    have_draws = draws is not None and len(draws) > 1
    if have_draws:
        ok = np.all(np.isfinite(draws[:, :, _COL_INDEX["welfare_pct"]]), axis=1)
        d = draws[ok]
        dm = _measure_matrix(d)
        agg_draws = _aggregates(d, weights)
    frames = []
    for m in MEASURES:
        v = point[m]
        lo = hi = np.full(len(codes), np.nan)
        if have_draws:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns (no tariff revenue)
                lo = np.nanpercentile(dm[m], lo_q, axis=0) if np.isfinite(dm[m]).any() else lo
                hi = np.nanpercentile(dm[m], hi_q, axis=0) if np.isfinite(dm[m]).any() else hi
        frames.append(pd.DataFrame({"step": step, "iso3": codes, "measure": m, "value": v, "lo": lo, "hi": hi}))
        for name in weights:
            av = float(agg_point[name][m])
            alo = ahi = np.nan
            if have_draws and np.isfinite(agg_draws[name][m]).any():
                alo = float(np.nanpercentile(agg_draws[name][m], lo_q))
                ahi = float(np.nanpercentile(agg_draws[name][m], hi_q))
            frames.append(pd.DataFrame({"step": [step], "iso3": [name], "measure": [m], "value": [av], "lo": [alo], "hi": [ahi]}))
    return pd.concat(frames, ignore_index=True)


def _aggregates(values: np.ndarray, weights: dict[str, np.ndarray]) -> dict[str, dict[str, np.ndarray]]:
    """Weighted means over countries of each measure, for (N, K) or (D, N, K) arrays."""
    meas = _measure_matrix(values)
    out: dict[str, dict[str, np.ndarray]] = {}
    base = values[..., _COL_INDEX["tariff_revenue_base"]]
    change = values[..., _COL_INDEX["tariff_revenue_change"]]
    for name, w in weights.items():
        res = {}
        for m, arr in meas.items():
            if m == "revenue":
                mask = w > 0
                b = (base * mask).sum(axis=-1)
                c = (change * mask).sum(axis=-1)
                with np.errstate(divide="ignore", invalid="ignore"):
                    res[m] = np.where(b > 0, 100.0 * c / np.where(b > 0, b, 1.0), np.nan)
            else:
                res[m] = (np.nan_to_num(arr) * w).sum(axis=-1)
        out[name] = res
    return out


def trade_effects(step: str, result: GEResult, members: Sequence[str]) -> pd.DataFrame:
    """Trade creation and diversion of one step.

    * ``trade_creation``: members' exports to other members (intra-bloc trade);
    * ``trade_diversion``: non-members' exports to members;
    * ``members_exports_to_nonmembers`` and ``world_trade`` (all international flows).

    Values at producer prices in the flows' unit; ``change_pct_cond`` is conditional GE.
    """
    p = result.pairs
    intl = p["exporter"] != p["importer"]
    mset = set(members)
    em = p["exporter"].isin(mset)
    im = p["importer"].isin(mset)
    masks = {
        "trade_creation": intl & em & im,
        "trade_diversion": intl & ~em & im,
        "members_exports_to_nonmembers": intl & em & ~im,
        "world_trade": intl,
    }
    rows = []
    for name, mask in masks.items():
        b = float(p.loc[mask, "trade_base"].sum())
        n = float(p.loc[mask, "trade_full"].sum())
        c = float(p.loc[mask, "trade_cdl"].sum())
        rows.append(
            {
                "step": step,
                "measure": name,
                "baseline": b,
                "new": n,
                "change": n - b,
                "change_pct": 100.0 * (n / b - 1.0) if b > 0 else np.nan,
                "change_pct_cond": 100.0 * (c / b - 1.0) if b > 0 else np.nan,
            }
        )
    return pd.DataFrame(rows)


def pair_rows(step: str, result: GEResult, cost: np.ndarray, new_tariffs: np.ndarray | None, base_tariffs: np.ndarray) -> pd.DataFrame:
    """Per-pair table of one step: international pairs with trade or a shock."""
    p = result.pairs
    logc = cost.ravel()
    tar_new = (base_tariffs if new_tariffs is None else new_tariffs).ravel()
    tar_base = base_tariffs.ravel()
    shocked = (logc != 0) | (tar_new != tar_base)
    keep = (p["exporter"] != p["importer"]).to_numpy() & ((p["trade_base"].to_numpy() > 0) | shocked)
    out = pd.DataFrame(
        {
            "step": step,
            "exporter": p["exporter"].to_numpy()[keep],
            "importer": p["importer"].to_numpy()[keep],
            "baseline": p["trade_base"].to_numpy()[keep],
            "shocked": shocked[keep],
            "cost_log_change": logc[keep],
            "tariff_base": tar_base[keep],
            "tariff_new": tar_new[keep],
            "change_cond": p["trade_cdl_pct"].to_numpy()[keep],
            "change_full": p["trade_pct"].to_numpy()[keep],
        }
    )
    return out.reset_index(drop=True)
