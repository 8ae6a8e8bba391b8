"""Domestic sales for structural gravity when no gross-output data exist (pure functions).

Structural gravity needs each country's sales to itself, ``X_ii``. The default
worlds have international goods trade only, so ``X_ii`` is built as

    X_ii = m * GDP_i - X_i        (X_i: total goods exports)

which is biased: GDP is value added and includes services. It can come out
negative (Belize in 2015) or near zero (Liberia, Congo) where recorded goods
exports are large relative to GDP (re-exports, ship registries, oil). Hence a
**floor** at ``floor_share * m * GDP_i``, flagged, and the multiplier ``m`` run
as a sensitivity. Economies without GDP (Taiwan and others WDI does not cover)
get ``X_ii`` imputed from their trade with the median ratio of domestic sales
to trade among the economies that have GDP, flagged, unless the scenario gives
their GDP.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["DomesticFlag", "build_domestic"]

#: Flags of the ``domestic_flag`` column.
DomesticFlag = ("ok", "floor", "imputed")


def build_domestic(
    countries: pd.DataFrame, *, multiplier: float = 1.0, floor_share: float = 0.10
) -> pd.DataFrame:
    """Domestic sales per country, with a flag saying how each was obtained.

    Parameters
    ----------
    countries : DataFrame
        Index ISO3; columns ``gdp`` (same unit as trade; NaN where unknown),
        ``exports`` and ``imports`` (totals of the known international flows).
    multiplier : float
        ``m`` in ``X_ii = m * GDP - exports``.
    floor_share : float
        Floor as a share of ``m * GDP``.

    Returns
    -------
    DataFrame
        A copy of ``countries`` with ``domestic`` (> 0), ``domestic_raw`` (before the
        floor; NaN where imputed) and ``domestic_flag`` (ok / floor / imputed).
    """
    out = countries.copy()
    gdp = out["gdp"].to_numpy(dtype=float)
    exports = out["exports"].to_numpy(dtype=float)
    imports = out["imports"].to_numpy(dtype=float)
    raw = multiplier * gdp - exports
    floor = floor_share * multiplier * gdp
    has_gdp = np.isfinite(gdp) & (gdp > 0)
    dom = np.where(has_gdp, np.maximum(raw, floor), np.nan)
    flag = np.where(has_gdp, np.where(raw < floor, "floor", "ok"), "imputed")
    # Imputation: the median domestic/trade ratio of unflagged economies, applied to
    # the larger of exports and imports (some economies only appear as importers).
    trade = np.maximum(exports, imports)
    ok = has_gdp & (flag == "ok") & (trade > 0)
    ratio = float(np.median(dom[ok] / trade[ok])) if ok.any() else 1.0
    dom = np.where(has_gdp, dom, ratio * trade)
    out["domestic_raw"] = np.where(has_gdp, raw, np.nan)
    out["domestic"] = dom
    out["domestic_flag"] = flag
    out.attrs["imputation_ratio"] = ratio
    return out
