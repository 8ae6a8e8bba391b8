"""Sector trade elasticities estimated on the ICIO panel: the elasticity set ``ftalab-icio``.

Specification (per sector group, 2011-2021; the 2022 file repeats the 2021
tariffs, so it adds no tariff variation):

    X_ijt = exp(π_it + χ_jt + μ_ij + β log(1 + t_ijt) + γ RTA_ijt) · ε

PPML (:func:`ftalab.fepois`) with exporter-year, importer-year and pair fixed
effects, domestic flows included (tariff 0, no RTA), ``ROW`` excluded (its
tariffs are unknown), tariffs cleaned
(:func:`ftalab.data.icio_tariffs.clean_icio_tariffs`), ``RTA`` = 1 when the
registry's agreements link the ordered pair with a free trade agreement or
deeper in that year (:func:`ftalab.data.pair_links`), errors clustered by
pair. ICIO flows are valued before tariffs, so the tariff enters with
exponent ``-(θ + 1)``: **θ = -β - 1**, s.e.(θ) = s.e.(β).

Sectors that share one tariff in the files are pooled by summing their flows
(the three agriculture sectors A01-A03; the five mining sectors B05-B09); the
other 19 goods sectors are estimated one by one. Services carry no tariffs:
θ is not identified there.

An estimate enters the set when it lies within the stated bounds
``THETA_BOUNDS`` = [0.5, 30] **and** β is significantly negative at 5 %.
Otherwise (and for services) the set takes the median of the seven
published non-uniform sets shipped in the ICIO files (IS, CP, BSY, GYY,
Shap, FGO, LL), flagged ``published_median``. The estimates are shipped in
``sector_data/ftalab_icio_elasticities.csv`` (re-estimated and compared in a
slow test) so that a study does not re-estimate them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from io import StringIO

import numpy as np
import pandas as pd

from ftalab.data import pair_links
from ftalab.data.icio_tariffs import clean_icio_tariffs
from ftalab.data.readers.icio import IcioWorld, read_icio
from ftalab.errors import EstimationError, ScenarioError
from ftalab.estimate import fepois

__all__ = [
    "ESTIMATION_YEARS",
    "PUBLISHED_ESTIMATED_SETS",
    "SET_NAME",
    "THETA_BOUNDS",
    "ElasticitySet",
    "compare_elasticity_sets",
    "estimate_icio_elasticities",
    "icio_panel",
    "load_ftalab_icio",
    "sector_groups",
]

logger = logging.getLogger(__name__)

SET_NAME = "ftalab-icio"
ESTIMATION_YEARS: tuple[int, ...] = tuple(range(2011, 2022))
#: An estimate outside these bounds is not used (θ, the trade elasticity).
THETA_BOUNDS: tuple[float, float] = (0.5, 30.0)
#: Published sets that are estimates (U4, uniform 4, is an assumption).
PUBLISHED_ESTIMATED_SETS: tuple[str, ...] = ("IS", "CP", "BSY", "GYY", "Shap", "FGO", "LL")
_FORMULA = "trade ~ log_tariff + rta | exporter^year + importer^year + pair"
_SHIPPED = "sector_data/ftalab_icio_elasticities.csv"
_POOLED = {"A01-A03": ("A01", "A02", "A03"), "B05-B09": ("B05", "B06", "B07", "B08", "B09")}


@dataclass(frozen=True, eq=False)
class ElasticitySet:
    """The ``ftalab-icio`` elasticity set and the estimates behind it.

    Attributes
    ----------
    name : str
        ``"ftalab-icio"``.
    sectors : list of str
        The 28 ICIO sectors.
    theta : numpy.ndarray
        θ per sector, as used (estimate, or the published median where the estimate is not used).
    se : numpy.ndarray
        Standard error of θ per sector (NaN where θ is not an estimate).
    source : list of str
        Per sector: ``"estimated"`` or ``"published_median"`` (with the reason).
    estimates : pandas.DataFrame
        One row per sector group: ``group, sectors, beta, se, theta, theta_se,
        rta, rta_se, nobs, used, reason``.
    """

    name: str
    sectors: list[str]
    theta: np.ndarray
    se: np.ndarray
    source: list[str]
    estimates: pd.DataFrame

    def __repr__(self) -> str:
        used = sum(s == "estimated" for s in self.source)
        return f"ElasticitySet({self.name!r}, {len(self.sectors)} sectors, {used} estimated)"

    def table(self) -> pd.DataFrame:
        """θ per sector with its standard error and source.

        Returns
        -------
        pandas.DataFrame
            ``sector, theta, se, source``.
        """
        return pd.DataFrame({"sector": self.sectors, "theta": self.theta, "se": self.se, "source": self.source})


def sector_groups(world: IcioWorld) -> dict[str, tuple[str, ...]]:
    """Estimation groups: pooled agriculture, pooled mining, each other goods sector.

    Parameters
    ----------
    world : IcioWorld
        Any year of the ICIO world (for its sector list).

    Returns
    -------
    dict of str to tuple of str
        Group name → ICIO sectors (21 groups; services excluded).
    """
    pooled = {s for group in _POOLED.values() for s in group}
    groups = dict(_POOLED)
    for s in world.goods_sectors():
        if s not in pooled:
            groups[s] = (s,)
    return groups


def _rta_pairs(year: int, countries: Sequence[str]) -> set[tuple[str, str]]:
    links = pair_links(year, countries=list(countries))
    deep = links[links["fta_or_deeper"]]
    return set(zip(deep["exporter"], deep["importer"]))


def icio_panel(years: Iterable[int] = ESTIMATION_YEARS, groups: Sequence[str] | None = None) -> pd.DataFrame:
    """The estimation panel: flows by group, year and ordered pair, ROW excluded.

    Parameters
    ----------
    years : iterable of int, default 2011-2021
    groups : sequence of str, optional
        Group names from :func:`sector_groups` (default all 21).

    Returns
    -------
    pandas.DataFrame
        ``group, year, exporter, importer, trade (millions of USD, before
        tariffs), log_tariff (log(1 + t), cleaned), rta (0/1)``; domestic pairs included.
    """
    frames = []
    for year in years:
        world = read_icio(year)
        tariffs, _ = clean_icio_tariffs(world)
        all_groups = sector_groups(world)
        chosen = list(all_groups) if groups is None else list(groups)
        unknown = [g for g in chosen if g not in all_groups]
        if unknown:
            raise ScenarioError(f"unknown sector group(s) {unknown}; groups are {list(all_groups)}")
        keep = [i for i, c in enumerate(world.countries) if c != "ROW"]
        codes = np.asarray(world.countries, dtype=object)[keep]
        n = len(keep)
        imp, exp_ = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
        rta_pairs = _rta_pairs(year, codes)
        rta = np.array([(codes[e], codes[i]) in rta_pairs for i, e in zip(imp.ravel(), exp_.ravel())], dtype=float)
        for g in chosen:
            idx = [world.sector_index(s) for s in all_groups[g]]
            flows = world.flows[np.ix_(idx, keep, keep)].sum(axis=0)
            rate = tariffs[np.ix_(idx, keep, keep)]
            # pooled sectors share one tariff in the files; take the flow-weighted mean to be safe
            weight = world.flows[np.ix_(idx, keep, keep)]
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = np.where(weight.sum(axis=0) > 0, (rate * weight).sum(axis=0) / weight.sum(axis=0), rate.mean(axis=0))
            frames.append(
                pd.DataFrame(
                    {
                        "group": g,
                        "year": year,
                        "exporter": codes[exp_.ravel()],
                        "importer": codes[imp.ravel()],
                        "trade": flows.ravel(),
                        "log_tariff": np.log1p(mean.ravel()),
                        "rta": rta,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def _estimate_group(panel: pd.DataFrame, group: str) -> dict[str, object]:
    d = panel[panel["group"] == group].copy()
    d["pair"] = d["exporter"] + "_" + d["importer"]
    try:
        fit = fepois(_FORMULA, d, vcov={"CRV1": "pair"})
    except EstimationError as exc:
        return {"group": group, "beta": np.nan, "se": np.nan, "rta": np.nan, "rta_se": np.nan, "nobs": 0, "error": str(exc)}
    coef, se = fit.coef(), fit.se()
    return {
        "group": group,
        "beta": float(coef.get("log_tariff", np.nan)),
        "se": float(se.get("log_tariff", np.nan)),
        "rta": float(coef.get("rta", np.nan)),
        "rta_se": float(se.get("rta", np.nan)),
        "nobs": int(fit.nobs),
        "error": "",
    }


def _verdict(beta: float, se: float) -> tuple[bool, str]:
    theta = -beta - 1
    if not np.isfinite(beta) or not np.isfinite(se):
        return False, "not identified"
    if beta + 1.96 * se >= 0:
        return False, "tariff effect not significantly negative at 5 %"
    if not THETA_BOUNDS[0] <= theta <= THETA_BOUNDS[1]:
        return False, f"theta {theta:.2f} outside the stated bounds {THETA_BOUNDS}"
    return True, ""


def _published_median(world: IcioWorld) -> np.ndarray:
    return np.median(np.vstack([world.elasticities[s] for s in PUBLISHED_ESTIMATED_SETS]), axis=0)


def _assemble(world: IcioWorld, estimates: pd.DataFrame) -> ElasticitySet:
    groups = sector_groups(world)
    fallback = _published_median(world)
    theta = fallback.copy()
    se = np.full(len(world.sectors), np.nan)
    source = ["published_median (services: no tariffs, not identified)"] * len(world.sectors)
    for row in estimates.itertuples():
        for s in groups[row.group]:
            k = world.sector_index(s)
            if row.used:
                theta[k], se[k], source[k] = row.theta, row.theta_se, "estimated"
            else:
                source[k] = f"published_median ({row.reason})"
    return ElasticitySet(SET_NAME, list(world.sectors), theta, se, source, estimates)


def estimate_icio_elasticities(
    years: Iterable[int] = ESTIMATION_YEARS, groups: Sequence[str] | None = None
) -> ElasticitySet:
    """Estimate θ by sector group on the ICIO panel (see the module docstring).

    Parameters
    ----------
    years : iterable of int, default 2011-2021
    groups : sequence of str, optional
        Estimate only these groups (others take the published median).

    Returns
    -------
    ElasticitySet
        ``estimates`` has one row per estimated group.
    """
    years = list(years)
    panel = icio_panel(years, groups)
    rows = []
    for g in panel["group"].unique():
        r = _estimate_group(panel, g)
        used, reason = _verdict(r["beta"], r["se"])  # type: ignore[arg-type]
        r.update(theta=-r["beta"] - 1, theta_se=r["se"], used=used, reason=reason or r.pop("error"))
        r.pop("error", None)
        rows.append(r)
    world = read_icio(years[-1])
    groups_map = sector_groups(world)
    est = pd.DataFrame(rows)
    est.insert(1, "sectors", [" ".join(groups_map[g]) for g in est["group"]])
    est = est[["group", "sectors", "beta", "se", "theta", "theta_se", "rta", "rta_se", "nobs", "used", "reason"]]
    return _assemble(world, est)


def load_ftalab_icio() -> ElasticitySet:
    """The shipped ``ftalab-icio`` set (estimated once with :func:`estimate_icio_elasticities`).

    Returns
    -------
    ElasticitySet
        Same content as a fresh estimation on 2011-2021 (checked by a slow test).
    """
    text = resources.files("ftalab.scenario").joinpath(_SHIPPED).read_text("utf-8")
    body = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#"))
    est = pd.read_csv(StringIO(body), keep_default_na=False, na_values=[""])
    est["used"] = est["used"].astype(str).str.lower() == "true"
    est["reason"] = est["reason"].fillna("").astype(str)
    return _assemble(read_icio(ESTIMATION_YEARS[-1]), est)


def compare_elasticity_sets(own: ElasticitySet | None = None, world: IcioWorld | None = None) -> pd.DataFrame:
    """θ by sector for ``ftalab-icio`` side by side with the 8 published sets.

    Parameters
    ----------
    own : ElasticitySet, optional
        Default: :func:`load_ftalab_icio`.
    world : IcioWorld, optional
        Source of the published sets (default: the 2022 ICIO file).

    Returns
    -------
    pandas.DataFrame
        Indexed by sector: ``ftalab-icio``, ``ftalab-icio se``, then one column per published set.
    """
    own = own if own is not None else load_ftalab_icio()
    world = world if world is not None else read_icio(2022)
    out = pd.DataFrame({SET_NAME: own.theta, f"{SET_NAME} se": own.se}, index=pd.Index(own.sectors, name="sector"))
    for name, theta in world.elasticities.items():
        out[name] = theta
    return out
