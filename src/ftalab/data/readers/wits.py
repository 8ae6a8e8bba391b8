"""WITS / UN Comtrade total merchandise trade 2009: the matrix rebuilt from raw reports.

Every flow i→j can be known from two reports: the importer j's imports from i
(valued CIF, at j's border) and the exporter i's exports to j (valued FOB).
The raw file ``WITS_trade2009.csv`` has both where both countries reported.
This reader rebuilds the matrix cell by cell and records where each number
came from in ``source_flag``:

``importer_cif``
    the importer's report was used;
``exporter_fob``
    the exporter's report was used;
``mirror_fill``
    neither reported this direction; the reverse flow j→i was used as a last
    resort (assumes symmetric trade; off with ``reverse_fill=False``);
``unknown``
    nobody reported it: ``value`` is NaN, **not zero**.

A reverse fill takes the value chosen for j→i under the same rule. The
collector's matrix (``WITS_Trade2009_harmonized_flows.csv``) used a different
report for 411 of these cells (e.g. ALB→AZE: Azerbaijan's export report of
AZE→ALB, 2.7 m USD, where ftalab takes Albania's import report, 14.1 m USD);
all directly reported cells agree with it under ``rule="importer"``.

Choice rule (``rule``)
----------------------
``"reconciled"`` (default)
    Use the importer's report (customs record imports more carefully than
    exports, the usual Comtrade convention), **unless** both countries
    reported and the two reports differ by more than ``max_ratio`` (default
    2): then use the larger one. CIF should exceed FOB by only a few percent,
    so a gap of that size signals under-recording on one side, typically
    informal, shuttle or under-invoiced imports at the importer's border (the
    Central Asian case: China's exports to Kyrgyzstan 5.19 bn USD by China's
    report vs 0.59 bn by Kyrgyzstan's; to Kazakhstan 7.67 vs 3.46 bn), or
    exports recorded by destination while the importer records by origin
    (re-exports), where the importer's larger figure is the better one.
``"importer"``
    importer first, then exporter (the collector's own rule).
``"exporter"``
    exporter first, then importer.
``"max"``
    the larger of the two reports.

Whatever the rule, ``prefer_exporter_for=[...]`` names importers known to
under-report; their imports are taken from the exporter's report where there
is one. ``attrs["importer_report_overridden"]`` counts the cells where an
importer's report existed but another was used (2,072 with the default rule).

Values are in thousand USD. ``cif_fob_factor`` (CIF/FOB ratio, e.g. 1.06)
divides cells based on an importer's CIF report, to put them on an FOB basis.
The aggregates ``WLD``, ``EUN`` and ``UNS`` are dropped, codes are harmonised
to ISO3 (OAS→TWN, ROM→ROU, SER→SRB, MNT→MNE, ZAR→COD, TMP→TLS), and the
diagonal (re-imports) is excluded from the long table and zero in
:func:`wits_2009_matrix`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from ftalab.data.concordance import to_iso3
from ftalab.data.readers._common import per_file_cache, read_csv, require_columns
from ftalab.data.registry import fetch_file
from ftalab.data.tables import flows_to_matrix, make_flows
from ftalab.data.validation import validate_flows
from ftalab.errors import DataError, ValidationError

__all__ = ["WITS_AGGREGATES", "read_wits_trade_2009", "reconcile_mirror_flows", "wits_2009_matrix"]

logger = logging.getLogger(__name__)

DATASET = "wits_trade_2009"
UNIT = "thousand USD"
WITS_AGGREGATES = ("WLD", "EUN", "UNS")
Rule = Literal["reconciled", "importer", "exporter", "max"]
_VALUE = "TradeValue in 1000 USD"
_COLUMNS = ["ReporterISO3", "PartnerISO3", "Year", "TradeFlowName", _VALUE]


def reconcile_mirror_flows(
    reports: pd.DataFrame,
    *,
    rule: Rule = "reconciled",
    max_ratio: float = 2.0,
    reverse_fill: bool = True,
    cif_fob_factor: float | None = None,
    countries: list[str] | None = None,
    prefer_exporter_for: Iterable[str] = (),
) -> pd.DataFrame:
    """Choose one value per directed pair from importer and exporter reports.

    Parameters
    ----------
    reports
        Columns ``exporter, importer, imp_report, exp_report`` (thousand USD,
        NaN where that side did not report), one row per directed pair.
    rule, max_ratio, reverse_fill, cif_fob_factor
        See the module docstring.
    countries
        All countries of the square; pairs absent from ``reports`` become unknown.
    prefer_exporter_for
        Importers known to under-report: for their imports the exporter's
        report is used whenever there is one, whatever the rule.

    Returns
    -------
    pandas.DataFrame
        ``exporter, importer, value, source_flag, imp_report, exp_report`` for
        every ordered pair of distinct countries.
    """
    if rule not in ("reconciled", "importer", "exporter", "max"):
        raise ValidationError(f"unknown rule {rule!r}; use 'reconciled', 'importer', 'exporter' or 'max'")
    if not (np.isfinite(max_ratio) and max_ratio >= 1):
        raise ValidationError(f"max_ratio must be a number >= 1, got {max_ratio!r}")
    if cif_fob_factor is not None and not (1.0 <= cif_fob_factor <= 2.0):
        raise ValidationError(
            f"cif_fob_factor is the CIF/FOB ratio and must lie between 1 and 2 (typically 1.03-1.10), got {cif_fob_factor!r}"
        )
    codes = (
        sorted(countries)
        if countries is not None
        else sorted(set(reports["exporter"]) | set(reports["importer"]))
    )
    grid = pd.MultiIndex.from_product([codes, codes], names=["exporter", "importer"]).to_frame(index=False)
    grid = grid[grid["exporter"] != grid["importer"]]
    cells = grid.merge(reports, on=["exporter", "importer"], how="left")
    imp = cells["imp_report"].to_numpy(dtype="float64")
    exp = cells["exp_report"].to_numpy(dtype="float64")
    has_i, has_e = ~np.isnan(imp), ~np.isnan(exp)
    both = has_i & has_e
    if rule == "importer":
        use_imp = has_i
    elif rule == "exporter":
        use_imp = has_i & ~has_e
    elif rule == "max":
        use_imp = has_i & (~has_e | (imp >= exp))
    else:
        lo, hi = np.fmin(imp, exp), np.fmax(imp, exp)
        with np.errstate(divide="ignore", invalid="ignore"):
            far = both & ((lo <= 0) & (hi > 0) | (hi > max_ratio * lo))
        use_imp = has_i & ~(far & (exp > imp))
    weak = cells["importer"].isin(list(prefer_exporter_for)).to_numpy()
    use_imp = use_imp & ~(weak & has_e)
    use_exp = has_e & ~use_imp
    value = np.where(use_imp, imp, np.where(use_exp, exp, np.nan))
    basis = np.where(use_imp, "cif", np.where(use_exp, "fob", ""))
    flag = np.where(use_imp, "importer_cif", np.where(use_exp, "exporter_fob", "unknown")).astype(object)
    cells["value"], cells["basis"], cells["source_flag"] = value, basis, flag
    if reverse_fill:
        rev = cells[["exporter", "importer", "value", "basis"]].rename(
            columns={
                "exporter": "importer",
                "importer": "exporter",
                "value": "rev_value",
                "basis": "rev_basis",
            }
        )
        cells = cells.merge(rev, on=["exporter", "importer"], how="left")
        fill = cells["value"].isna() & cells["rev_value"].notna()
        cells.loc[fill, "value"] = cells.loc[fill, "rev_value"]
        cells.loc[fill, "basis"] = cells.loc[fill, "rev_basis"]
        cells.loc[fill, "source_flag"] = "mirror_fill"
        cells = cells.drop(columns=["rev_value", "rev_basis"])
    if cif_fob_factor is not None:
        cif = (cells["basis"] == "cif").to_numpy()
        cells.loc[cif, "value"] = cells.loc[cif, "value"] / cif_fob_factor
    return cells[["exporter", "importer", "value", "source_flag", "imp_report", "exp_report"]].reset_index(
        drop=True
    )


def _reports(path: Path) -> tuple[pd.DataFrame, list[str], int]:
    reports, countries, self_rows = _reports_cached(path)
    return reports.copy(), list(countries), self_rows


@per_file_cache(maxsize=2)
def _reports_cached(path: Path) -> tuple[pd.DataFrame, tuple[str, ...], int]:
    # Parsing and checking the raw file is the slow part, hence the cache.
    what = f"WITS 2009 ({path.name})"
    raw = read_csv(path, what, sep=";", dtype={"ReporterISO3": str, "PartnerISO3": str, "TradeFlowName": str})
    require_columns(raw, _COLUMNS, what, path)
    val = pd.to_numeric(raw[_VALUE], errors="coerce")
    if val.isna().any():
        raise ValidationError(
            f"{what}: {int(val.isna().sum())} rows without a numeric '{_VALUE}', e.g. rows {list(raw.index[val.isna()][:5])}"
        )
    if (val < 0).any():
        bad = raw.loc[val < 0, ["ReporterISO3", "PartnerISO3", "TradeFlowName"]].head(5).to_numpy().tolist()
        raise ValidationError(f"{what}: negative trade values in {bad}")
    flows = set(raw["TradeFlowName"].dropna())
    if not flows <= {"Import", "Export"}:
        raise ValidationError(
            f"{what}: unexpected TradeFlowName values {sorted(flows - {'Import', 'Export'})}; expected Import/Export"
        )
    years = sorted(raw["Year"].dropna().unique().tolist())
    if years != [2009]:
        raise ValidationError(f"{what}: expected year 2009 only, found {years}")
    df = raw.assign(v=val)
    df = df[~df["ReporterISO3"].isin(WITS_AGGREGATES) & ~df["PartnerISO3"].isin(WITS_AGGREGATES)].copy()
    df["rep"] = to_iso3(df["ReporterISO3"], what=f"{what}, ReporterISO3").to_numpy()
    df["par"] = to_iso3(df["PartnerISO3"], what=f"{what}, PartnerISO3").to_numpy()
    dup = df.duplicated(["rep", "par", "TradeFlowName"], keep=False)
    if dup.any():
        raise ValidationError(
            f"{what}: duplicate reports (after harmonising codes) for {df.loc[dup, ['rep', 'par', 'TradeFlowName']].drop_duplicates().head(5).to_numpy().tolist()}"
        )
    countries = sorted(set(df["rep"]) | set(df["par"]))
    self_rows = int((df["rep"] == df["par"]).sum())
    df = df[df["rep"] != df["par"]]
    imp = df[df["TradeFlowName"] == "Import"].rename(
        columns={"par": "exporter", "rep": "importer", "v": "imp_report"}
    )
    exp = df[df["TradeFlowName"] == "Export"].rename(
        columns={"rep": "exporter", "par": "importer", "v": "exp_report"}
    )
    reports = imp[["exporter", "importer", "imp_report"]].merge(
        exp[["exporter", "importer", "exp_report"]], on=["exporter", "importer"], how="outer"
    )
    return reports, tuple(countries), self_rows


def read_wits_trade_2009(
    rule: Rule = "reconciled",
    cif_fob_factor: float | None = None,
    *,
    max_ratio: float = 2.0,
    reverse_fill: bool = True,
    include_unknown: bool = True,
    path: str | Path | None = None,
    prefer_exporter_for: Iterable[str] = (),
) -> pd.DataFrame:
    """Rebuild the 2009 world goods-trade matrix from the raw WITS reports.

    Parameters
    ----------
    rule
        How to choose between the importer's and the exporter's report
        (see the module docstring); default ``"reconciled"``.
    cif_fob_factor
        CIF/FOB ratio to convert importer-reported cells to FOB (None: no conversion).
    max_ratio
        For ``rule="reconciled"``: the gap beyond which the larger report is used.
    reverse_fill
        Fill cells that neither side reported from the reverse flow (flag ``mirror_fill``).
    include_unknown
        Keep the unreported cells as rows with NaN value (flag ``unknown``).
    path
        A raw WITS download in the same layout (default: the registered file).
    prefer_exporter_for
        ISO3 codes of importers whose reports are not trusted (known
        under-reporters): the exporter's report is used for their imports.

    Returns
    -------
    pandas.DataFrame
        Flows ``exporter, importer, year, value, source_flag, imp_report,
        exp_report`` in thousand USD for all ordered pairs of the 197
        economies (no diagonal).
    """
    file = Path(path) if path is not None else fetch_file(DATASET, "WITS_trade2009.csv")
    if not file.is_file():
        raise DataError(f"WITS 2009: file {file} does not exist")
    reports, countries, self_rows = _reports(file)
    cells = reconcile_mirror_flows(
        reports,
        rule=rule,
        max_ratio=max_ratio,
        reverse_fill=reverse_fill,
        prefer_exporter_for=prefer_exporter_for,
        cif_fob_factor=cif_fob_factor,
        countries=countries,
    )
    if not include_unknown:
        cells = cells[cells["source_flag"] != "unknown"]
    cells = cells.assign(year=2009)
    counts = cells["source_flag"].value_counts().to_dict()
    # cells where the importer reported but another report was preferred (the rule at work)
    overridden = int(((cells["source_flag"] == "exporter_fob") & cells["imp_report"].notna()).sum())
    logger.info("WITS 2009 rebuilt with rule=%s: %s", rule, counts)
    flows = make_flows(
        cells,
        unit=UNIT,
        year="year",
        source_flag="source_flag",
        extra=["imp_report", "exp_report"],
        dataset=DATASET,
        notes=(
            "UN Comtrade / WITS 2009, goods; importer (CIF) and exporter (FOB) reports mixed, see source_flag.",
            "source_flag 'unknown' cells are NaN: nobody reported them; they are not zeros.",
            f"{self_rows} self-reported re-import rows (diagonal) were excluded.",
        ),
        attrs={
            "rule": rule,
            "max_ratio": max_ratio,
            "reverse_fill": reverse_fill,
            "cif_fob_factor": cif_fob_factor,
            "valuation": "FOB" if cif_fob_factor else "mixed CIF/FOB",
            "source_flag_counts": counts,
            "importer_report_overridden": overridden,
            "prefer_exporter_for": sorted(prefer_exporter_for),
        },
    )
    return validate_flows(flows, unit=UNIT, allow_missing=True, what="WITS 2009 rebuilt matrix")


def wits_2009_matrix(flows: pd.DataFrame | None = None, **kwargs: object) -> pd.DataFrame:
    """The 2009 world trade matrix, exporters × importers, in thousand USD.

    Parameters
    ----------
    flows : pandas.DataFrame, optional
        A table from :func:`read_wits_trade_2009`; default: built with ``kwargs``.
    **kwargs
        Passed to :func:`read_wits_trade_2009` when ``flows`` is None.

    Returns
    -------
    pandas.DataFrame
        197×197; diagonal 0, cells nobody reported NaN.
    """
    if flows is None:
        flows = read_wits_trade_2009(**kwargs)  # type: ignore[arg-type]
    return flows_to_matrix(flows[["exporter", "importer", "year", "value"]], diagonal=0.0)
