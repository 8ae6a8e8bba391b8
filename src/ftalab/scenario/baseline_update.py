"""Bring the baseline from the data year to the scenario date (step 1 of every run).

Agreements that entered into force between the start of the data year and
the scenario date, and that made a pair FTA-or-deeper for the first time
(it had no agreement or only partial-scope ones before), are simulated into
the baseline with full-endowment GE, so that the scenario is not credited
with integration that has already happened (e.g. for the 2015 world: the
EAEU-Iran FTA of May 2025; for the 2009 world also the 2010 customs union,
the 2012 CIS FTA and the EAEU). A pair that only deepens (FTA -> customs
union, e.g. Kyrgyzstan joining the EAEU in August 2015 while already in the
CIS FTA) gets no effect: the estimated RTA effect is one dummy for any
FTA-or-deeper agreement.

The update uses the same channel as the scenario: the RTA effect (point
estimate), or tariffs (the pair's MFN tariffs go to zero).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from ftalab.ge import Baseline, GEResult, simulate

__all__ = ["UpdateStep", "update_pairs", "apply_update"]

logger = logging.getLogger(__name__)

@dataclass(frozen=True)
class UpdateStep:
    """The baseline-update step.

    Attributes
    ----------
    pairs : DataFrame
        ``exporter, importer, agreement, type, entry, type_before`` of the pairs shocked.
    result : GEResult or None
        The GE solution of the update (None when no pair entered).
    baseline : Baseline
        The updated baseline (the original one when nothing entered).
    """

    pairs: pd.DataFrame
    result: GEResult | None
    baseline: Baseline


def update_pairs(
    data_year: int,
    date: object,
    countries: list[str],
    *,
    entered: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Pairs that became FTA-or-deeper between 1 January of ``data_year`` and ``date``.

    Parameters
    ----------
    data_year : int
    date : date-like
    countries : list of str
        The world's economies (pairs outside are ignored).
    entered : DataFrame, optional
        Output of :func:`ftalab.data.agreements.agreements_entered_between` (default: computed).

    Returns
    -------
    DataFrame
        ``exporter, importer, agreement, type, entry, type_before``, one row per pair
        (the first agreement that made it FTA-or-deeper).
    """
    if entered is None:
        from ftalab.data.agreements import agreements_entered_between

        entered = agreements_entered_between(f"{data_year}-01-01", date, countries=countries)
    if entered.empty:
        return pd.DataFrame(columns=["exporter", "importer", "agreement", "type", "entry", "type_before"])
    shallow = entered["type_before"].isna() | (entered["type_before"] == "PSA")
    sel = entered[shallow & (entered["type"] != "PSA")]
    sel = sel.sort_values(["entry_force", "agreement"]).drop_duplicates(["exporter", "importer"], keep="first")
    out = pd.DataFrame(
        {
            "exporter": sel["exporter"].to_numpy(),
            "importer": sel["importer"].to_numpy(),
            "agreement": sel["agreement"].to_numpy(),
            "type": sel["type"].to_numpy(),
            "entry": pd.to_datetime(sel["entry_force"]).dt.strftime("%Y-%m-%d").to_numpy(),
            "type_before": sel["type_before"].fillna("none").to_numpy(),
        }
    )
    return out.reset_index(drop=True)


def apply_update(
    baseline: Baseline,
    pairs: pd.DataFrame,
    *,
    channel: Literal["rta", "tariff"],
    rta: float | None = None,
    tariffs_after: np.ndarray | None = None,
) -> UpdateStep:
    """Simulate the update into ``baseline`` (full-endowment GE) and return the new baseline.

    Parameters
    ----------
    baseline : Baseline
        The data-year baseline (tariffs of the data year, for the tariff channel).
    pairs : DataFrame
        From :func:`update_pairs` (pairs outside the baseline are ignored).
    channel : {"rta", "tariff"}
    rta : float, optional
        The RTA effect (log points), for the RTA channel.
    tariffs_after : ndarray, optional
        N x N tariffs at the scenario date (fractions), for the tariff channel.
    """
    codes = baseline.countries
    inside = pairs[pairs["exporter"].isin(codes) & pairs["importer"].isin(codes)]
    if channel == "tariff" and tariffs_after is None:
        raise ValueError("the tariff channel needs tariffs_after")
    if inside.empty:
        base = baseline if tariffs_after is None else baseline.with_(tariffs=tariffs_after)
        return UpdateStep(inside.reset_index(drop=True), None, base)
    if channel == "rta":
        if rta is None:
            raise ValueError("the RTA channel needs rta")
        shock = inside[["exporter", "importer"]].assign(log_change=float(rta))
        res = simulate(baseline, cost_change=shock)
        new_tar = baseline.tariffs
    else:
        res = simulate(baseline, new_tariffs=tariffs_after)
        new_tar = tariffs_after
    n = baseline.n
    flows = res.pairs["trade_full"].to_numpy(dtype=float).reshape(n, n)
    updated = Baseline.from_arrays(
        codes, flows, sigma=baseline.sigma, reference=baseline.reference, tariffs=new_tar,
        imbalance=baseline.imbalance,
    )
    logger.info("baseline update: %d pairs, channel %s", len(inside), channel)
    return UpdateStep(inside.reset_index(drop=True), res, updated)
