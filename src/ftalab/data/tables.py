"""Canonical tables returned by every reader.

Three shapes, always with ISO3 country codes:

* **bilateral flows**: ``exporter, importer, year, [sector], value, [source_flag]``;
  the unit of ``value`` is in ``attrs["unit"]`` (e.g. ``"thousand USD"``);
* **pair covariates**: ``exporter, importer, [year], <covariates...>``;
* **country-year attributes**: ``iso3, year, <attributes...>``.

Every table carries ``attrs["kind"]`` (``"flows"``, ``"pair_covariates"`` or
``"country_year"``), ``attrs["dataset"]`` and ``attrs["notes"]`` (caveats the
user should see). Constructors return new frames and never modify their input.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ftalab.errors import ValidationError

__all__ = [
    "EXPORTER",
    "IMPORTER",
    "ISO3",
    "SECTOR",
    "SOURCE_FLAG",
    "VALUE",
    "YEAR",
    "flows_to_matrix",
    "make_country_year",
    "make_flows",
    "make_pair_covariates",
]

EXPORTER = "exporter"
IMPORTER = "importer"
YEAR = "year"
SECTOR = "sector"
VALUE = "value"
SOURCE_FLAG = "source_flag"
ISO3 = "iso3"


def _require(df: pd.DataFrame, cols: Mapping[str, str | None], what: str) -> None:
    missing = [src for src in cols.values() if src is not None and src not in df.columns]
    if missing:
        raise ValidationError(f"{what}: column(s) {missing} not found; the table has {list(df.columns)}")


def _attrs(
    kind: str, dataset: str | None, notes: Sequence[str], extra: Mapping[str, Any] | None
) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": kind, "dataset": dataset, "notes": list(notes)}
    out.update(extra or {})
    return out


def _text(s: pd.Series) -> pd.Series:
    """Codes as text with missing values kept missing (pandas < 3 would write 'nan')."""
    return s.astype("str").mask(s.isna())


def _assemble(df: pd.DataFrame, data: dict[str, Any], extra: Sequence[str]) -> pd.DataFrame:
    # Build the frame in one go (column-by-column inserts fragment wide tables).
    for c in extra:
        if c in data:
            raise ValidationError(f"column {c!r} would be duplicated; it is already a canonical column")
        data[c] = df[c].copy()
    return pd.DataFrame(data, index=df.index).reset_index(drop=True)


def _year(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s, errors="raise").astype("int64")


def make_flows(
    df: pd.DataFrame,
    *,
    unit: str,
    exporter: str = EXPORTER,
    importer: str = IMPORTER,
    year: str | int = YEAR,
    value: str = VALUE,
    sector: str | None = None,
    source_flag: str | None = None,
    extra: Sequence[str] = (),
    dataset: str | None = None,
    domestic: bool = False,
    notes: Sequence[str] = (),
    attrs: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Build a canonical bilateral-flows table from columns of ``df``.

    Parameters
    ----------
    df
        Source table (not modified).
    unit
        Unit of ``value``, e.g. ``"thousand USD"``; stored in ``attrs["unit"]``.
    exporter, importer, value, sector, source_flag
        Source column names.
    year
        Source column name, or an integer for single-year data.
    extra
        Further columns to carry along (covariates), after the canonical ones.
    dataset
        Registered dataset name, stored in ``attrs["dataset"]``.
    domestic
        Whether domestic (exporter == importer) flows belong in this table.
    notes
        Caveats for the user (``attrs["notes"]``).
    attrs
        Further metadata to store in ``attrs``.

    Returns
    -------
    pandas.DataFrame
        Columns ``exporter, importer, year, [sector], value, [source_flag], *extra``.
    """
    cols = {EXPORTER: exporter, IMPORTER: importer, VALUE: value, SECTOR: sector, SOURCE_FLAG: source_flag}
    if isinstance(year, str):
        cols[YEAR] = year
    _require(df, cols, "make_flows")
    _require(df, {c: c for c in extra}, "make_flows (extra)")
    data: dict[str, Any] = {
        EXPORTER: _text(df[exporter]),
        IMPORTER: _text(df[importer]),
        YEAR: _year(df[year]) if isinstance(year, str) else pd.Series(np.int64(year), index=df.index),
    }
    if sector is not None:
        data[SECTOR] = _text(df[sector])
    data[VALUE] = pd.to_numeric(df[value], errors="raise").astype("float64")
    if source_flag is not None:
        data[SOURCE_FLAG] = _text(df[source_flag])
    out = _assemble(df, data, extra)
    out.attrs = _attrs("flows", dataset, notes, {"unit": unit, "domestic_flows": domestic, **(attrs or {})})
    return out


def make_pair_covariates(
    df: pd.DataFrame,
    *,
    columns: Sequence[str],
    exporter: str = EXPORTER,
    importer: str = IMPORTER,
    year: str | None = None,
    dataset: str | None = None,
    units: Mapping[str, str] | None = None,
    notes: Sequence[str] = (),
    attrs: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Build a canonical pair-covariates table from columns of ``df``.

    Parameters
    ----------
    df
        Source table (not modified).
    columns
        Covariate columns to carry along, after the key columns.
    exporter, importer
        Source column names of the pair's codes.
    year
        Source column name of the year, or None for time-invariant covariates.
    dataset
        Registered dataset name, stored in ``attrs["dataset"]``.
    units
        Unit of each column (``{"distw": "km"}``), stored in ``attrs["units"]``.
    notes
        Caveats for the user (``attrs["notes"]``).
    attrs
        Further metadata to store in ``attrs``.

    Returns
    -------
    pandas.DataFrame
        Columns ``exporter, importer, [year], *columns``; ``attrs["kind"]`` is
        ``"pair_covariates"``.

    Raises
    ------
    ValidationError
        A named column is missing, a covariate would duplicate a key column,
        or the year is not numeric.
    """
    codes = {EXPORTER: exporter, IMPORTER: importer}
    return _keyed("pair_covariates", df, codes, year, columns, dataset, units, notes, attrs)


def make_country_year(
    df: pd.DataFrame,
    *,
    columns: Sequence[str],
    iso3: str = ISO3,
    year: str | None = YEAR,
    dataset: str | None = None,
    units: Mapping[str, str] | None = None,
    notes: Sequence[str] = (),
    attrs: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Build a canonical country-year table from columns of ``df``.

    Parameters
    ----------
    df
        Source table (not modified).
    columns
        Attribute columns to carry along, after the key columns.
    iso3
        Source column name of the country codes.
    year
        Source column name of the year, or None for time-invariant attributes.
    dataset
        Registered dataset name, stored in ``attrs["dataset"]``.
    units
        Unit of each column (``{"distw": "km"}``), stored in ``attrs["units"]``.
    notes
        Caveats for the user (``attrs["notes"]``).
    attrs
        Further metadata to store in ``attrs``.

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3, [year], *columns``; ``attrs["kind"]`` is ``"country_year"``.

    Raises
    ------
    ValidationError
        A named column is missing, an attribute would duplicate a key column,
        or the year is not numeric.
    """
    return _keyed("country_year", df, {ISO3: iso3}, year, columns, dataset, units, notes, attrs)


def _keyed(
    kind: str,
    df: pd.DataFrame,
    codes: Mapping[str, str],
    year: str | None,
    columns: Sequence[str],
    dataset: str | None,
    units: Mapping[str, str] | None,
    notes: Sequence[str],
    attrs: Mapping[str, Any] | None,
) -> pd.DataFrame:
    # Pair covariates and country-year tables differ only in their code columns.
    what = f"make_{kind}"
    _require(df, {**codes, YEAR: year}, what)
    _require(df, {c: c for c in columns}, what)
    data: dict[str, Any] = {canon: _text(df[src]) for canon, src in codes.items()}
    if year is not None:
        data[YEAR] = _year(df[year])
    out = _assemble(df, data, columns)
    out.attrs = _attrs(kind, dataset, notes, {"units": dict(units or {}), **(attrs or {})})
    return out


def flows_to_matrix(
    flows: pd.DataFrame,
    *,
    countries: Sequence[str] | None = None,
    year: int | None = None,
    sector: str | None = None,
    diagonal: float | None = None,
) -> pd.DataFrame:
    """Square exporter × importer matrix; pairs absent from ``flows`` are NaN (unknown).

    A pair that no source reported is *unknown*, not zero: it stays NaN here,
    and the caller decides how to fill it (and says so).

    Parameters
    ----------
    flows
        Canonical flows table (one year and one sector after filtering).
    countries
        Row/column order; default: every code seen as exporter or importer, sorted.
    year, sector
        Select one year / one sector when the table has several.
    diagonal
        Value for exporter == importer cells when not in the data (default NaN).

    Returns
    -------
    pandas.DataFrame
        Rows = exporters, columns = importers; ``attrs`` copied from ``flows``.
    """
    for c in (EXPORTER, IMPORTER, VALUE):
        if c not in flows.columns:
            raise ValidationError(f"flows_to_matrix: column {c!r} missing; build the table with make_flows")
    sub = flows
    if year is not None:
        sub = sub[sub[YEAR] == year]
    if sector is not None:
        if SECTOR not in sub.columns:
            raise ValidationError("flows_to_matrix: sector given but the table has no 'sector' column")
        sub = sub[sub[SECTOR] == sector]
    for c in (YEAR, SECTOR):
        if c in sub.columns and sub[c].nunique() > 1:
            raise ValidationError(
                f"flows_to_matrix: the table has several values of {c!r} "
                f"({sorted(sub[c].unique())[:5]}...); pick one with {c}=..."
            )
    if sub.duplicated([EXPORTER, IMPORTER]).any():
        dup = sub[sub.duplicated([EXPORTER, IMPORTER], keep=False)][[EXPORTER, IMPORTER]].drop_duplicates()
        raise ValidationError(f"flows_to_matrix: duplicate pairs {list(map(tuple, dup.to_numpy()[:5]))}")
    codes = list(countries) if countries is not None else sorted(set(sub[EXPORTER]) | set(sub[IMPORTER]))
    mat = sub.pivot(index=EXPORTER, columns=IMPORTER, values=VALUE).reindex(index=codes, columns=codes)
    mat = mat.astype("float64")
    if diagonal is not None:
        arr = mat.to_numpy(copy=True)
        d = np.diag(arr).copy()
        np.fill_diagonal(arr, np.where(np.isnan(d), diagonal, d))
        mat = pd.DataFrame(arr, index=mat.index, columns=mat.columns)
    mat.index.name, mat.columns.name = EXPORTER, IMPORTER
    mat.attrs = dict(flows.attrs)
    return mat
