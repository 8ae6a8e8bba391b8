"""World Bank Doing Business historical data (DB2004-DB2019): Trading across Borders.

Read from the official workbook (sheet ``All Data``, header on the second
row). Two methodologies are returned separately and never mixed:

* ``method="hours"`` (DB16-19 methodology, DB2015-DB2019): time (hours) and
  cost (USD) of border and documentary compliance, for export and import;
* ``method="days"`` (DB06-15 methodology, DB2006-DB2015): documents (number),
  time (days) and cost (US$ per container, deflated) to export and import.

For 11 economies Doing Business measured two cities. Their ISO3 rows (e.g.
CHN = "China Shanghai", IND = "India Mumbai", PAK = "Pakistan Karachi", RUS =
"Russian Federation Moscow") are **the main business city only**; they carry
``single_city=True`` and the ``city``. ``economies="weighted"`` returns the
population-weighted national rows for those 11 instead (DB2014 onwards only).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Literal

import pandas as pd

from ftalab.data.concordance import to_iso3
from ftalab.data.readers._common import per_file_cache, read_excel, require_columns
from ftalab.data.registry import fetch_file
from ftalab.data.tables import make_country_year
from ftalab.data.validation import validate_country_year
from ftalab.errors import DataError, ValidationError

__all__ = ["DB_INDICATORS", "read_doing_business_hist"]

logger = logging.getLogger(__name__)

DATASET = "doing_business_hist"
FILE = "Historical-data---complete-data-with-scores.xlsx"

_NEW = "(DB16-19 methodology)"
_OLD = "(DB06-15 methodology)"
#: Output column -> workbook column, per methodology.
DB_INDICATORS: dict[str, dict[str, str]] = {
    "hours": {
        "time_export_border_hours": f"Time to export: Border compliance (hours) {_NEW}",
        "time_export_documentary_hours": f"Time to export: Documentary compliance (hours) {_NEW}",
        "time_import_border_hours": f"Time to import: Border compliance (hours) {_NEW}",
        "time_import_documentary_hours": f"Time to import: Documentary compliance (hours) {_NEW}",
        "cost_export_border_usd": f"Cost to export: Border compliance (USD) {_NEW}",
        "cost_export_documentary_usd": f"Cost to export: Documentary compliance (USD) {_NEW}",
        "cost_import_border_usd": f"Cost to import: Border compliance (USD) {_NEW}",
        "cost_import_documentary_usd": f"Cost to import: Documentary compliance (USD) {_NEW}",
    },
    "days": {
        "documents_export": f"Documents to export (number) {_OLD}",
        "documents_import": f"Documents to import (number) {_OLD}",
        "time_export_days": f"Time to export (days) {_OLD}",
        "time_import_days": f"Time to import (days) {_OLD}",
        "cost_export_usd_per_container": f"Cost to export (US$ per container deflated) {_OLD}",
        "cost_import_usd_per_container": f"Cost to import (US$ per container deflated) {_OLD}",
    },
}
_UNITS = {"hours": "hours / USD", "days": "days / number / USD per container (deflated)"}
# Codes of the population-weighted national rows of the 11 two-city economies.
_WEIGHTED = {
    "CHIN": "CHN",
    "INDI": "IND",
    "PAKI": "PAK",
    "RUSS": "RUS",
    "US": "USA",
    "JAP": "JPN",
    "BANG": "BGD",
    "BRAZ": "BRA",
    "INDO": "IDN",
    "MEXI": "MEX",
    "NIGE": "NGA",
}
_ID = ["Country code", "Economy", "DB Year"]


@per_file_cache(maxsize=2)
def _workbook(path: Path) -> pd.DataFrame:
    # Reading the workbook takes seconds, hence the cache.
    what = f"Doing Business ({path.name}, sheet 'All Data')"
    grid = read_excel(path, what, sheet_name="All Data", header=None)
    first = grid.iloc[:6, 0].astype(str).str.strip().tolist() if grid.shape[1] else []
    if "Country code" not in first:
        raise ValidationError(
            f"{what}: no 'Country code' header in the first rows; is this the Doing Business historical workbook?"
        )
    row = first.index("Country code")
    if row != 1:
        raise ValidationError(
            f"{what}: header found on the wrong row (row {row + 1}); the official workbook has it on the second row, "
            "below a row of topic titles. Use the workbook as published."
        )
    df = grid.iloc[2:].reset_index(drop=True)
    df.columns = [str(c).strip() if isinstance(c, str) else c for c in grid.iloc[1]]
    return df.infer_objects()


def read_doing_business_hist(
    method: Literal["hours", "days"] = "hours",
    *,
    economies: Literal["main_city", "weighted"] = "main_city",
    path: str | Path | None = None,
) -> pd.DataFrame:
    """Read Trading-across-Borders indicators for one methodology.

    Parameters
    ----------
    method
        ``"hours"`` (DB2015-2019 methodology) or ``"days"`` (DB2006-2015).
    economies
        ``"main_city"`` (default): one row per economy and DB year, the main
        business city for the 11 two-city economies (``single_city=True``);
        ``"weighted"``: the national population-weighted rows for those 11.
    path
        A workbook in the official layout (default: the registered file).

    Returns
    -------
    pandas.DataFrame
        ``iso3, year`` (the DB year; ``data_year`` = year - 1), ``economy``,
        ``city``, ``single_city``, ``no_practice`` and the indicator columns of
        :data:`DB_INDICATORS` for the method; rows with no value are dropped.
        ``"No Practice"`` entries become NaN with ``no_practice=True``.
    """
    if method not in DB_INDICATORS:
        raise ValidationError(f"read_doing_business_hist: method must be 'hours' or 'days', got {method!r}")
    if economies not in ("main_city", "weighted"):
        raise ValidationError(
            f"read_doing_business_hist: economies must be 'main_city' or 'weighted', got {economies!r}"
        )
    file = Path(path) if path is not None else fetch_file(DATASET, FILE)
    what = f"Doing Business ({file.name}, sheet 'All Data')"
    if not file.is_file():
        raise DataError(f"{what}: file {file} does not exist")
    raw = _workbook(file)
    cols = DB_INDICATORS[method]
    require_columns(raw, [*_ID, *cols.values()], what, file)
    df = raw[[*_ID, *cols.values()]].rename(columns={v: k for k, v in cols.items()}).copy()
    no_practice = pd.Series(False, index=df.index)
    for c in cols:
        txt = df[c].astype("string").str.strip()
        np_mask = txt.str.lower().eq("no practice").fillna(False)
        no_practice |= np_mask
        num = pd.to_numeric(df[c].where(~np_mask), errors="coerce")
        bad = num.isna() & df[c].notna() & ~np_mask
        if bad.any():
            raise ValidationError(
                f"{what}: non-numeric values in {cols[c]!r}: {sorted(df.loc[bad, c].astype(str).unique())[:5]}"
            )
        df[c] = num
    df["no_practice"] = no_practice
    df = df[df[list(cols)].notna().any(axis=1) | df["no_practice"]]

    code = df["Country code"].astype(str)
    country_names = {
        _WEIGHTED[k]: e for k, e in zip(raw["Country code"], raw["Economy"], strict=True) if k in _WEIGHTED
    }
    if economies == "weighted":
        two_city = code.map(_WEIGHTED).notna()
        plain = code.str.len().eq(3) & ~code.isin(_WEIGHTED.values())
        df = df[two_city | plain].copy()
        df["code"] = code[df.index].map(lambda c: _WEIGHTED.get(c, c))
        df["single_city"] = False
        df["city"] = None
    else:
        df = df[code.str.len().eq(3) & ~code.isin(_WEIGHTED)].copy()
        df["code"] = df["Country code"].astype(str)
        df["single_city"] = df["code"].isin(_WEIGHTED.values())
        df["city"] = [
            e[len(country_names[c]) :].strip() if s and c in country_names else None
            for c, e, s in zip(df["code"], df["Economy"], df["single_city"], strict=True)
        ]
    df["iso3"] = to_iso3(df["code"], what=f"{what}, Country code").to_numpy()
    df["year"] = pd.to_numeric(df["DB Year"], errors="coerce")
    if df["year"].isna().any():
        raise ValidationError(f"{what}: rows without a numeric 'DB Year'")
    df["data_year"] = df["year"].astype("int64") - 1
    df = df.rename(columns={"Economy": "economy"}).sort_values(["iso3", "year"])
    out = make_country_year(
        df,
        columns=["data_year", "economy", "city", "single_city", "no_practice", *cols],
        dataset=DATASET,
        units={
            c: ("hours" if "hours" in c else "USD" if "usd" in c else "days" if "days" in c else "number")
            for c in cols
        },
        notes=(
            f"Doing Business Trading across Borders, {method} methodology only ({'DB2015-2019' if method == 'hours' else 'DB2006-2015'}).",
            "CHN, IND, PAK, RUS (and BGD, BRA, IDN, JPN, MEX, NGA, USA) rows are the main business city when single_city is True.",
            "Doing Business was discontinued in 2021 after a data-irregularity review (DB2018/DB2020, China among the economies concerned).",
        ),
        attrs={"method": method, "economies": economies, "unit": _UNITS[method]},
    )
    return validate_country_year(out, columns=list(cols), what=what)
