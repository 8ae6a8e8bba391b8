"""The coefficients a scenario needs, estimated with :func:`ftalab.fepois` (or given).

* **RTA effect**: the book's "PAIR FE" specification (Yotov et al. 2016, ch. 1,
  application 3): PPML of trade on ``rta`` with exporter-year, importer-year and
  pair fixed effects, domestic flows included, 1986-2006 every four years,
  errors clustered by pair. Reference: rta 0.5572 (0.1022), N = 28,482
  (``../shared/reference/advanced_guide_ch1.md``). A single cross-section
  cannot identify it, which is why the SCO world is not used here.
* **Distance elasticity** (corridor shocks): PPML of international flows of the
  baseline world on ``log(distw)`` and contiguity with exporter and importer
  fixed effects, heteroskedasticity-robust errors (one observation per pair, so
  the same as clustering by pair); CEPII GeoDist distances.

Estimates are cached in ftalab's data cache keyed by the inputs' checksums,
the specification and ftalab's version; a cached value is exactly the number
that was computed (floats round-trip through JSON).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ftalab import __version__
from ftalab.data import file_sha256
from ftalab.errors import ScenarioError
from ftalab.scenario.schema import EstimationSpec

__all__ = ["Coefficient", "rta_effect", "distance_elasticity", "RTA_CITATION", "RTA_DATA_FILE"]

logger = logging.getLogger(__name__)

RTA_CITATION = (
    "Yotov, Y.V., Piermartini, R., Monteiro, J.-A. and Larch, M. (2016). An Advanced Guide to Trade "
    "Policy Analysis: The Structural Gravity Model. WTO and UNCTAD. Chapter 1, application 3 (PAIR FE)."
)
# The book's chapter 2 RTA application file: the same panel as the R package's
# agtpa_applications (identical estimates) but with a direct download address.
RTA_DATA_FILE = "Chapter2Application2.dta"


@dataclass(frozen=True)
class Coefficient:
    """An estimated (or given) coefficient with its standard error and provenance."""

    name: str
    value: float
    se: float
    nobs: int | None
    source: str
    formula: str | None = None
    vcov: str | None = None
    cached: bool = False



def _cache_path(key: str) -> Path:
    from ftalab.data import data_dir

    folder = Path(data_dir()) / "estimates"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{key}.json"


def _cached(key: str, compute) -> tuple[dict, bool]:
    path = _cache_path(key)
    if path.is_file():
        try:
            return json.loads(path.read_text("utf-8")), True
        except (OSError, json.JSONDecodeError):
            logger.warning("ignoring unreadable estimate cache %s", path)
    value = compute()
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(value), encoding="utf-8")
    tmp.replace(path)
    return value, False


def _key(*parts: str) -> str:
    return hashlib.sha256("|".join(("v1", __version__, *parts)).encode()).hexdigest()[:24]


def rta_effect(spec: EstimationSpec, *, use_cache: bool = True) -> Coefficient:
    """The partial effect of an RTA on trade (log points) with its standard error.

    Parameters
    ----------
    spec : EstimationSpec
        ``source="advanced_guide"`` estimates the PAIR FE specification;
        ``source="given"`` returns ``spec.rta`` / ``spec.rta_se``.
    use_cache : bool
        Reuse an earlier estimate of the same inputs and specification.
    """
    if spec.source == "given":
        assert spec.rta is not None and spec.rta_se is not None
        return Coefficient("rta", float(spec.rta), float(spec.rta_se), None, spec.citation or "given")
    from ftalab.data import fetch_file

    path = Path(fetch_file("advanced_guide", RTA_DATA_FILE))
    vcov = {"CRV1": "pair_id"} if spec.vcov == "CRV1:pair" else "hetero"
    fml = "value ~ rta | exporter^year + importer^year + pair_id"

    def compute() -> dict:
        from ftalab.data.readers.advanced_guide import read_advanced_guide
        from ftalab.estimate import fepois

        data = read_advanced_guide(file=RTA_DATA_FILE.removesuffix(".dta"))
        years = pd.to_numeric(data["year"])
        sample = data.loc[years.isin([1986, 1990, 1994, 1998, 2002, 2006])]
        # Stata/R convention (G/(G-1) only): the book's clustered SE 0.1022.
        fit = fepois(fml, sample, vcov=vcov, ssc="stata")
        return {
            "value": float(fit.coef()["rta"]),
            "se": float(fit.se()["rta"]),
            "nobs": int(fit.nobs),
        }

    key = _key("rta", file_sha256(path), fml, json.dumps(vcov, sort_keys=True), "stata")
    if use_cache:
        est, cached = _cached(key, compute)
    else:
        est, cached = compute(), False
    return Coefficient(
        "rta", est["value"], est["se"], est["nobs"], RTA_CITATION, fml,
        "clustered by pair (G/(G-1))" if spec.vcov == "CRV1:pair" else "heteroskedasticity-robust", cached,
    )


def distance_elasticity(flows: pd.DataFrame, *, use_cache: bool = True) -> Coefficient:
    """Distance elasticity of trade on the baseline world (PPML, exporter and importer FE).

    Parameters
    ----------
    flows : DataFrame
        Known international flows ``exporter, importer, value``.
    """
    from ftalab.data import fetch_file
    from ftalab.data.concordance import checked_merge
    from ftalab.data.readers.cepii import read_cepii_geodist

    geo = read_cepii_geodist()[["exporter", "importer", "distw", "contig"]]
    merged, report = checked_merge(
        flows[["exporter", "importer", "value"]], geo, on=["exporter", "importer"], how="left",
        what="world flows x CEPII distances", value="value", errors="ignore", return_report=True,
    )
    sample = merged.dropna(subset=["distw", "contig"])
    sample = sample[sample["distw"] > 0]
    lost = len(merged) - len(sample)
    fml = "value ~ log(distw) + contig | exporter + importer"
    digest = hashlib.sha256(
        pd.util.hash_pandas_object(sample[["exporter", "importer", "value", "distw", "contig"]], index=False).to_numpy().tobytes()
    ).hexdigest()

    def compute() -> dict:
        from ftalab.estimate import fepois

        s = sample.assign(pair=sample["exporter"] + "_" + sample["importer"])
        fit = fepois(fml, s, vcov="hetero")
        name = [c for c in fit.coef().index if "dist" in c][0]
        return {"value": float(fit.coef()[name]), "se": float(fit.se()[name]), "nobs": int(fit.nobs)}

    path = Path(fetch_file("cepii_geodist", "dist_cepii.csv"))
    key = _key("dist", digest, file_sha256(path), fml)
    est, cached = _cached(key, compute) if use_cache else (compute(), False)
    if not np.isfinite(est["value"]) or est["value"] >= 0:
        raise ScenarioError(f"the estimated distance elasticity {est['value']:.3f} is not negative; a distance cut cannot be used")
    source = (
        f"PPML on the baseline world's international flows with exporter and importer FE "
        f"({est['nobs']:,} pairs; {lost:,} pairs without a CEPII distance left out); CEPII GeoDist distw"
    )
    return Coefficient("log_distw", est["value"], est["se"], est["nobs"], source, fml, "heteroskedasticity-robust", cached)
