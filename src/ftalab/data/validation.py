"""Validation of canonical tables before use.

Each check names the offending rows or codes and says how to fix them.
Validators return a *new* frame with canonical dtypes; the caller's frame is
never modified. Hard problems raise :class:`~ftalab.errors.ValidationError`;
things that may be intended (unbalanced panels, extra columns, no recorded
unit) give a :class:`~ftalab.errors.DataWarning`.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from ftalab.data.concordance import known_iso3, legacy_code_table
from ftalab.data.tables import EXPORTER, IMPORTER, ISO3, SECTOR, SOURCE_FLAG, VALUE, YEAR
from ftalab.errors import DataWarning, ValidationError

__all__ = ["validate_country_year", "validate_flows", "validate_pair_covariates"]

Action = Literal["raise", "warn", "ignore"]


def _rows(df: pd.DataFrame, mask: pd.Series | np.ndarray, cols: Sequence[str], n: int = 5) -> str:
    sub = df.loc[np.asarray(mask), [c for c in cols if c in df.columns]].head(n)
    recs = [", ".join(f"{c}={v!r}" for c, v in r.items()) for r in sub.to_dict("records")]
    total = int(np.asarray(mask).sum())
    more = f" and {total - n} more" if total > n else ""
    return "; ".join(f"row {i}: {r}" for i, r in zip(sub.index, recs, strict=True)) + more


def _act(action: Action, msg: str) -> None:
    if action == "raise":
        raise ValidationError(msg)
    if action == "warn":
        warnings.warn(msg, DataWarning, stacklevel=3)


def _check_frame(df: Any, what: str, required: Sequence[str]) -> None:
    if not isinstance(df, pd.DataFrame):
        raise ValidationError(f"{what}: expected a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in required if c not in df.columns]
    if missing:
        lower = {c.lower(): c for c in df.columns if isinstance(c, str)}
        hints = [f"{lower[m]!r}->{m!r}" for m in missing if m in lower]
        hint = f" Rename: {', '.join(hints)}." if hints else ""
        raise ValidationError(
            f"{what}: missing column(s) {missing}; the table has {list(df.columns)}.{hint} "
            "Build canonical tables with ftalab.data.tables (make_flows, make_pair_covariates, make_country_year)."
        )
    if len(df) == 0:
        raise ValidationError(f"{what}: the table is empty")


def _copy(df: pd.DataFrame) -> pd.DataFrame:
    # Validators work on a copy with its own attrs: the caller's frame is never touched.
    out = df.copy()
    out.attrs = dict(df.attrs)
    return out


def _codes(df: pd.DataFrame, cols: Sequence[str], what: str, extra_codes: Iterable[str]) -> pd.DataFrame:
    known = known_iso3() | frozenset(extra_codes)
    legacy = dict(zip(legacy_code_table()["code"], legacy_code_table()["iso3"], strict=True))
    for c in cols:
        s = df[c]
        if s.isna().any():
            raise ValidationError(f"{what}: column {c!r} has missing codes at {_rows(df, s.isna(), cols)}")
        if not (pd.api.types.is_string_dtype(s) or s.dtype == object):
            raise ValidationError(
                f"{what}: column {c!r} must hold ISO3 text codes, found dtype {s.dtype}; numeric codes can be mapped with ftalab.data.concordance.numeric_to_iso3"
            )
        # a string-dtype column holds only text; an object column may mix in numbers
        if s.dtype == object and pd.api.types.infer_dtype(s, skipna=True) != "string":
            nonstr = s.map(lambda x: not isinstance(x, str))
            raise ValidationError(f"{what}: column {c!r} has non-text codes at {_rows(df, nonstr, cols)}")
        df[c] = s.astype("str")  # no missing values here (checked above)
        unknown = sorted(set(df[c].unique()) - known)
        if unknown:
            fixes = [f"{u}->{legacy[u]}" for u in unknown if u in legacy]
            fix = (
                f" Known legacy codes: {', '.join(fixes)}; map them with ftalab.data.concordance.harmonize_codes."
                if fixes
                else ""
            )
            counts = df[c][df[c].isin(unknown)].value_counts()
            raise ValidationError(
                f"{what}: unknown country code(s) in column {c!r}: "
                f"{', '.join(f'{k} ({v} rows)' for k, v in counts.head(15).items())}.{fix} "
                "Use ISO3 codes, or pass extra_codes=[...] for codes you mean to keep (e.g. aggregates)."
            )
    return df


def _year_col(df: pd.DataFrame, what: str, cols: Sequence[str]) -> None:
    s = df[YEAR]
    num = pd.to_numeric(s, errors="coerce")
    bad = num.isna() | (num != np.round(num))
    if bad.any():
        raise ValidationError(
            f"{what}: column 'year' must hold whole numbers; bad values at {_rows(df, bad, cols)}"
        )
    df[YEAR] = num.astype("int64")


def _numeric(
    df: pd.DataFrame, col: str, what: str, keys: Sequence[str], *, allow_missing: bool, allow_negative: bool
) -> None:
    s = df[col]
    if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
        num = pd.to_numeric(s, errors="coerce")
        bad = num.isna() & s.notna()
        if bad.any():
            raise ValidationError(
                f"{what}: column {col!r} must be numeric; non-numeric values at {_rows(df, bad, [*keys, col])}. "
                "Convert it (e.g. pd.to_numeric) after fixing those entries."
            )
        s = num
    s = s.astype("float64")
    inf = np.isinf(s)
    if inf.any():
        raise ValidationError(
            f"{what}: column {col!r} has infinite values at {_rows(df, inf, [*keys, col])}; fix or drop them"
        )
    if not allow_missing and s.isna().any():
        raise ValidationError(
            f"{what}: column {col!r} has missing (NaN) values at {_rows(df, s.isna(), [*keys, col])}. "
            "Drop those rows or fill them deliberately; pass allow_missing=True if unknown cells are intended."
        )
    if not allow_negative and (s < 0).any():
        raise ValidationError(
            f"{what}: column {col!r} has negative values at {_rows(df, s < 0, [*keys, col])}; these values cannot be negative (fix or drop those rows)"
        )
    df[col] = s


def _duplicates(df: pd.DataFrame, keys: Sequence[str], what: str) -> None:
    dup = df.duplicated(list(keys), keep=False)
    if dup.any():
        raise ValidationError(
            f"{what}: {int(dup.sum())} rows share a key {list(keys)}: {_rows(df, dup, keys)}. "
            "Aggregate them (groupby(...).sum()) or drop the duplicates."
        )


def _unit(df: pd.DataFrame, what: str, unit: str | None, unit_column: str) -> None:
    if unit_column in df.columns:
        units = sorted(df[unit_column].dropna().astype(str).unique())
        if len(units) > 1:
            raise ValidationError(
                f"{what}: mixed units in column {unit_column!r}: {units}; convert to one unit first"
            )
        if units:
            df.attrs["unit"] = units[0]
    have = df.attrs.get("unit")
    if unit is not None and have is not None and have != unit:
        raise ValidationError(f"{what}: values are in {have!r} but {unit!r} was expected; convert them first")
    if have is None:
        if unit is None:
            warnings.warn(
                f"{what}: the unit of the values is not recorded; set df.attrs['unit'] (e.g. 'thousand USD') or pass unit=...",
                DataWarning,
                stacklevel=3,
            )
        df.attrs["unit"] = unit


def _value_columns(
    df: pd.DataFrame,
    cols: Sequence[str],
    what: str,
    keys: Sequence[str],
    *,
    allow_missing: bool,
    allow_negative: bool,
    noun: str,
) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValidationError(f"{what}: missing {noun}(s) {missing}")
    for c in cols:
        _numeric(df, c, what, keys, allow_missing=allow_missing, allow_negative=allow_negative)
    _duplicates(df, keys, what)


def _balance(df: pd.DataFrame, group: Sequence[str], what: str, action: Action) -> None:
    if YEAR not in df.columns or df[YEAR].nunique() < 2 or action == "ignore":
        return
    years = df.groupby(list(group), sort=False)[YEAR].nunique()
    n = df[YEAR].nunique()
    short = years[years < n]
    if len(short):
        ex = ", ".join(f"{k} ({v} of {n} years)" for k, v in short.head(5).items())
        _act(
            action,
            f"{what}: unbalanced panel: {len(short)} of {len(years)} {'/'.join(group)} groups lack some years, e.g. {ex}. Fill the gaps with explicit values or restrict the years.",
        )


def validate_flows(
    df: pd.DataFrame,
    *,
    domestic: bool = False,
    allow_missing: bool = False,
    unit: str | None = None,
    extra_codes: Iterable[str] = (),
    extra_columns: Action = "ignore",
    unbalanced: Action = "warn",
    what: str = "flows",
) -> pd.DataFrame:
    """Check a bilateral-flows table and return a validated copy.

    Parameters
    ----------
    df
        Table with ``exporter, importer, year, value`` and optionally ``sector``,
        ``source_flag``; not modified.
    domestic
        Whether exporter == importer rows are expected (structural gravity
        with domestic flows). If not, such rows are an error.
    allow_missing
        Accept NaN values (unknown cells, e.g. unreported pairs).
    unit
        Expected unit; must match ``df.attrs["unit"]`` (or a ``unit`` column).
    extra_codes
        Codes to accept besides ISO3 (e.g. ``["ZZZ"]`` for a renamed reference country).
    extra_columns
        What to do about columns beyond the canonical ones.
    unbalanced
        What to do about pairs missing some years.
    what
        Name used in messages.

    Returns
    -------
    pandas.DataFrame
        A copy with canonical dtypes (text codes, int64 year, float64 value).

    Raises
    ------
    ValidationError
        Naming the rows or codes at fault and how to fix them.
    """
    _check_frame(df, what, [EXPORTER, IMPORTER, YEAR, VALUE])
    out = _copy(df)
    keys = [EXPORTER, IMPORTER, YEAR] + ([SECTOR] if SECTOR in out.columns else [])
    canonical = {*keys, VALUE, SOURCE_FLAG, "unit"}
    extra = [c for c in out.columns if c not in canonical]
    if extra and extra_columns != "ignore":
        _act(
            extra_columns,
            f"{what}: extra column(s) {extra} beyond {sorted(canonical)}; drop them or pass extra_columns='ignore'",
        )
    _codes(out, [EXPORTER, IMPORTER], what, extra_codes)
    _year_col(out, what, keys)
    _numeric(out, VALUE, what, keys, allow_missing=allow_missing, allow_negative=False)
    _duplicates(out, keys, what)
    self_rows = out[EXPORTER] == out[IMPORTER]
    if not domestic and self_rows.any():
        raise ValidationError(
            f"{what}: {int(self_rows.sum())} exporter==importer rows but domestic flows are not expected: "
            f"{_rows(out, self_rows, [*keys, VALUE])}. Drop them, or pass domestic=True if they are domestic (intra-national) flows."
        )
    _unit(out, what, unit, "unit")
    _balance(out, [EXPORTER, IMPORTER] + ([SECTOR] if SECTOR in out.columns else []), what, unbalanced)
    out.attrs.setdefault("kind", "flows")
    return out


def validate_pair_covariates(
    df: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
    allow_missing: bool = True,
    extra_codes: Iterable[str] = (),
    extra_keys: Sequence[str] = (),
    what: str = "pair covariates",
) -> pd.DataFrame:
    """Check a pair-covariates table (codes, numeric covariates, unique keys); return a copy.

    Parameters
    ----------
    df
        Table with ``exporter, importer``, optionally ``year``; not modified.
    columns
        Covariates to check as numeric (default: every non-key column).
    allow_missing
        Accept NaN values.
    extra_codes
        Codes to accept besides ISO3 (e.g. aggregates).
    extra_keys
        Further key columns that, with the codes and ``year``, identify a row.
    what
        Name used in messages.

    Returns
    -------
    pandas.DataFrame
        A copy with canonical dtypes (text codes, int64 year, float64 values).

    Raises
    ------
    ValidationError
        Naming the rows or codes at fault and how to fix them.
    """
    _check_frame(df, what, [EXPORTER, IMPORTER, *extra_keys])
    out = _copy(df)
    keys = [EXPORTER, IMPORTER] + ([YEAR] if YEAR in out.columns else []) + list(extra_keys)
    _codes(out, [EXPORTER, IMPORTER], what, extra_codes)
    if YEAR in out.columns:
        _year_col(out, what, keys)
    cols = list(columns) if columns is not None else [c for c in out.columns if c not in keys]
    _value_columns(
        out, cols, what, keys, allow_missing=allow_missing, allow_negative=True, noun="covariate column"
    )
    out.attrs.setdefault("kind", "pair_covariates")
    return out


def validate_country_year(
    df: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
    allow_missing: bool = True,
    allow_negative: bool = False,
    extra_codes: Iterable[str] = (),
    extra_keys: Sequence[str] = (),
    what: str = "country-year table",
) -> pd.DataFrame:
    """Check a country-year table (codes, numeric attributes, unique keys); return a copy.

    Parameters
    ----------
    df
        Table with ``iso3``, optionally ``year``; not modified.
    columns
        Attributes to check as numeric (default: every numeric non-key column).
    allow_negative
        Accept negative values.
    allow_missing
        Accept NaN values.
    extra_codes
        Codes to accept besides ISO3 (e.g. aggregates).
    extra_keys
        Further key columns (e.g. ``product``) that, with the codes and ``year``, identify a row.
    what
        Name used in messages.

    Returns
    -------
    pandas.DataFrame
        A copy with canonical dtypes (text codes, int64 year, float64 values).

    Raises
    ------
    ValidationError
        Naming the rows or codes at fault and how to fix them.
    """
    _check_frame(df, what, [ISO3])
    out = _copy(df)
    keys = [ISO3] + ([YEAR] if YEAR in out.columns else []) + list(extra_keys)
    _check_frame(df, what, keys)
    _codes(out, [ISO3], what, extra_codes)
    if YEAR in out.columns:
        _year_col(out, what, keys)
    cols = (
        list(columns)
        if columns is not None
        else [c for c in out.columns if c not in keys and pd.api.types.is_numeric_dtype(out[c])]
    )
    _value_columns(
        out, cols, what, keys, allow_missing=allow_missing, allow_negative=allow_negative, noun="column"
    )
    out.attrs.setdefault("kind", "country_year")
    return out
