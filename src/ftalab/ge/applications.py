"""The two applications of Yotov et al. (2016), chapter 2, on ``advanced_guide`` data.

* ``"agtpa-ch2-twb"`` -- "trade without borders" (do-file
  ``Chapter2/Applications/1_TradeWithoutBorder/TradeWithoutBorder.do``): 2006
  cross-section, PPML of trade on exporter and importer fixed effects, ln DIST,
  CNTG and an international-border dummy; baseline = fitted flows; the
  counterfactual removes the border (``t_CFL / t_BLN = exp(-b_BRDR * INTL_BRDR)``);
  sigma = 7; DEU is the reference. Reported as the change from the baseline.
* ``"agtpa-ch2-nafta"`` -- "impacts of RTAs" (``2_RTAsEffects/RTAsEffects.do``):
  panel 1986-2006 every 4 years; PPML of trade on RTA with exporter-year,
  importer-year and symmetric pair fixed effects, all domestic pairs sharing one
  pair effect (normalised to ``t_ii = 1``); pairs without trade in any year get
  no pair effect and are filled with a PPML of ``exp(pair effect)`` on exporter
  and importer fixed effects, ln DIST, CNTG, LANG and CLNY (1994, international
  pairs); baseline = 1994 flows fitted with the full trade-cost matrix as offset;
  the counterfactual removes NAFTA. As in the book, results are the effect *of*
  NAFTA, i.e. relative to the no-NAFTA world: ``(BLN - CFL) / CFL * 100``, and the
  price column is ``(1 - p_hat) * 100``.

The structural regressions with covariates use :func:`ftalab.fepois`. The
regressions with only exporter and importer fixed effects and an offset
(the 1994 baseline fit here and the loop of ``method="book"``) go through
:func:`ftalab.ge.book.two_way_poisson`, a thin wrapper of ``fepois`` with fixed
effects only (``y ~ 1 | exporter + importer`` and an offset) that returns the
effects in the book's normalisation.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from ftalab.errors import ValidationError
from ftalab.ge.baseline import Baseline, pairs_to_matrix
from ftalab.ge.book import two_way_poisson
from ftalab.ge.counterfactual import Method, simulate
from ftalab.ge.results import GEResult

__all__ = ["replicate", "Replication", "BOOK_COLUMNS", "APPLICATIONS", "twb_inputs", "nafta_inputs"]

logger = logging.getLogger(__name__)

#: The book's reported columns, in its order (``*_FULL.xls``).
BOOK_COLUMNS = ["change_Xi_CDL", "change_Xi_FULL", "change_price_FULL", "change_IMR_FULL", "change_rGDP_FULL"]

APPLICATIONS = {
    "agtpa-ch2-twb": "Yotov et al. (2016) ch. 2, application 1: trade without borders (2006, sigma = 7)",
    "agtpa-ch2-nafta": "Yotov et al. (2016) ch. 2, application 2: effects of NAFTA (1994 baseline, sigma = 7)",
}

SIGMA = 7.0
REFERENCE = "DEU"
NAFTA = ("CAN", "MEX", "USA")


@dataclass(frozen=True)
class Inputs:
    """Estimated ingredients of one application (before any GE solve)."""

    baseline: Baseline
    log_cost_change: np.ndarray
    coef: pd.Series
    vcov: pd.DataFrame
    shock_pattern: np.ndarray  # d(log cost change) / d(coefficient `shock_coef`)
    shock_coef: str
    seconds: float


@dataclass(frozen=True)
class Replication:
    """Result of :func:`replicate`.

    Attributes
    ----------
    name : str
    method : str
    table : DataFrame
        Index ``country`` (ISO3), columns :data:`BOOK_COLUMNS` with the book's sign conventions.
    result : GEResult
        The underlying GE result (changes from the baseline, ftalab's conventions).
    inputs : Inputs
        Baseline, shock and estimates.
    timings : dict
        Seconds for estimation and solve.
    """

    name: str
    method: str
    table: pd.DataFrame
    result: GEResult
    inputs: Inputs
    timings: dict = field(default_factory=dict)


def _load(file: str) -> pd.DataFrame:
    from ftalab.data import fetch_file

    df = pd.read_stata(fetch_file("advanced_guide", file))
    df["exporter"] = df["exporter"].astype(str)
    df["importer"] = df["importer"].astype(str)
    df["year"] = df["year"].astype(int)
    return df


def twb_inputs() -> Inputs:
    """Estimate the "trade without borders" baseline and shock (see module docstring)."""
    from ftalab.estimate import fepois

    t0 = time.perf_counter()
    df = _load("Chapter2Application1.dta")
    df = df[df["year"] == 2006].reset_index(drop=True)
    df["ln_DIST"] = np.log(df["DIST"])
    df["INTL_BRDR"] = (df["exporter"] != df["importer"]).astype(float)
    fit = fepois("trade ~ ln_DIST + CNTG + INTL_BRDR | exporter + importer", df, vcov="hetero")
    base = Baseline.from_fitted(df, fit.fitted_values().to_numpy(), sigma=SIGMA, reference=REFERENCE)
    brdr = pairs_to_matrix(df, "INTL_BRDR", base.countries, what="border dummy")
    b = float(fit.coef()["INTL_BRDR"])
    return Inputs(base, -b * brdr, fit.coef(), fit.vcov(), -brdr, "INTL_BRDR", time.perf_counter() - t0)


def nafta_inputs() -> Inputs:
    """Estimate the NAFTA baseline (1994) and shock (see module docstring)."""
    from ftalab.estimate import fepois

    t0 = time.perf_counter()
    df = _load("Chapter2Application2.dta")
    df = df[df["year"].isin([1986, 1990, 1994, 1998, 2002, 2006])].reset_index(drop=True)
    df["ln_DIST"] = np.log(df["DIST"])
    dom = df["exporter"] == df["importer"]
    # one pair effect shared by all domestic pairs; symmetric pair ids otherwise
    df["pair"] = np.where(dom, "DOMESTIC", df["pair_id"].astype(int).astype(str))
    df["exp_year"] = df["exporter"] + "_" + df["year"].astype(str)
    df["imp_year"] = df["importer"] + "_" + df["year"].astype(str)
    stage1 = fepois("trade ~ RTA | exp_year + imp_year + pair", df, vcov={"CRV1": "pair"})
    b_rta = float(stage1.coef()["RTA"])
    mu = stage1.fixef()["pair"]
    gamma = mu - mu["DOMESTIC"]

    d94 = df[df["year"] == 1994].reset_index(drop=True)
    dom94 = (d94["exporter"] == d94["importer"]).to_numpy()
    tij_bar = np.exp(d94["pair"].map(gamma).to_numpy(dtype=float))
    tij_bar[dom94] = 1.0
    missing = np.isnan(tij_bar)
    logger.info("NAFTA: %d pairs without a pair effect filled by the second-stage PPML", int(missing.sum()))
    st2 = d94.assign(tij=tij_bar)
    sample = st2[~dom94 & ~missing]
    stage2 = fepois("tij ~ ln_DIST + CNTG + LANG + CLNY | exporter + importer", sample, vcov={"CRV1": "pair"})
    fe2 = stage2.fixef()
    cf = stage2.coef()
    fill = st2[missing]
    pred = np.exp(
        fill[list(cf.index)].to_numpy(dtype=float) @ cf.to_numpy()
        + fill["exporter"].map(fe2["exporter"]).to_numpy(dtype=float)
        + fill["importer"].map(fe2["importer"]).to_numpy(dtype=float)
    )
    if not np.all(np.isfinite(pred)):
        raise ValidationError("NAFTA second stage could not predict trade costs for all pairs without trade")
    tij_bar[missing] = pred
    st2["tij_bln"] = tij_bar * np.exp(b_rta * d94["RTA"].to_numpy(dtype=float))

    codes = pd.Index(sorted(set(d94["exporter"])), name="country")
    T = pairs_to_matrix(st2, "tij_bln", codes, what="trade costs")
    trade = pairs_to_matrix(d94, "trade", codes, what="1994 trade")
    ref = int(codes.get_loc(REFERENCE))
    _, _, fitted = two_way_poisson(trade, T, ref)
    base = Baseline.from_arrays(codes, fitted, sigma=SIGMA, reference=REFERENCE)
    rta = pairs_to_matrix(d94, "RTA", codes, what="RTA")
    in_nafta = np.isin(codes, NAFTA)
    nafta = np.outer(in_nafta, in_nafta) & ~np.eye(len(codes), dtype=bool)
    removed = np.where(nafta, rta, 0.0)  # RTA_NO_NAFTA = RTA minus the NAFTA pairs' RTA
    return Inputs(base, -b_rta * removed, stage1.coef(), stage1.vcov(), -removed, "RTA", time.perf_counter() - t0)


def book_table(result: GEResult, name: str) -> pd.DataFrame:
    """Map a GE result to the book's columns and sign conventions."""
    c = result.countries
    if name == "agtpa-ch2-twb":
        out = pd.DataFrame(
            {
                "change_Xi_CDL": c["cdl_exports_pct"],
                "change_Xi_FULL": c["exports_pct"],
                "change_price_FULL": c["price_pct"],
                "change_IMR_FULL": c["imr_pct"],
                "change_rGDP_FULL": c["real_gdp_pct"],
            }
        )
    else:
        def inv(col: str) -> pd.Series:
            # effect of NAFTA = baseline relative to the no-NAFTA counterfactual
            return (1.0 / (1.0 + c[col] / 100.0) - 1.0) * 100.0

        out = pd.DataFrame(
            {
                "change_Xi_CDL": inv("cdl_exports_pct"),
                "change_Xi_FULL": inv("exports_pct"),
                "change_price_FULL": -c["price_pct"],  # the do-file's (1 - p_hat) * 100
                "change_IMR_FULL": inv("imr_pct"),
                "change_rGDP_FULL": inv("real_gdp_pct"),
            }
        )
    out.index.name = "country"
    return out


def replicate(
    name: Literal["agtpa-ch2-twb", "agtpa-ch2-nafta"], method: Method = "exact"
) -> Replication:
    """Run one of the book's chapter 2 applications.

    Parameters
    ----------
    name : {"agtpa-ch2-twb", "agtpa-ch2-nafta"}
    method : {"exact", "book"}

    Returns
    -------
    Replication
        ``.table`` has the book's columns (:data:`BOOK_COLUMNS`) and sign conventions.
    """
    if name not in APPLICATIONS:
        raise ValidationError(f"unknown application {name!r}; choose one of {sorted(APPLICATIONS)}")
    inputs = twb_inputs() if name == "agtpa-ch2-twb" else nafta_inputs()
    t0 = time.perf_counter()
    res = simulate(inputs.baseline, cost_change=inputs.log_cost_change, method=method)
    solve = time.perf_counter() - t0
    return Replication(
        name, method, book_table(res, name), res, inputs,
        {"estimation_seconds": inputs.seconds, "solve_seconds": solve},
    )
