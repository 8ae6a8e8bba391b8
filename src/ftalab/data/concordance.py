"""Country-code concordance: one place that turns every source's codes into ISO3.

Sources disagree on country codes. WITS writes ``OAS`` for Taiwan and ``SER``,
``MNT``, ``ROM``, ``ZAR``, ``TMP``; CEPII GeoDist writes ``TWN`` but also ``YUG``,
``PAL``, ``ROM``, ``ZAR``; the Deep Trade Agreements file uses ``ROU``,
``SRB``, ``MNE``, ``COD``, ``XKX``; BACI and UN Comtrade use numeric codes of
their own (``490`` "Other Asia, nes" is Taiwan, ``842`` is the USA, ``251``
France, ``757`` Switzerland, ``699`` India); UNCTADstat uses names. The tables
behind this module live in ``concordance_data/`` (see its README), except the
country list itself:

* the country table ``registry_data/countries.csv`` (shared with
  :mod:`ftalab.data.countries`): ISO 3166-1 plus ``XKX`` (Kosovo);
* ``legacy_codes.csv``: retired and source-specific alpha codes → ISO3, with notes;
* ``numeric_codes.csv``: Comtrade/BACI numeric codes that differ from ISO/M49;
* ``unctad_names.csv``: UNCTADstat economy names → ISO3, reviewed by hand
  (micro-states noted).

Joins between sources go through :func:`checked_merge`, which reports every key
that could not be matched instead of dropping it silently.
"""

from __future__ import annotations

import functools
import logging
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from ftalab.data._package_data import country_frame, package_csv
from ftalab.errors import DataWarning, ValidationError

__all__ = [
    "AGGREGATE_CODES",
    "MergeReport",
    "checked_merge",
    "harmonize_codes",
    "iso3_table",
    "is_known_iso3",
    "known_iso3",
    "legacy_code_table",
    "numeric_to_iso3",
    "to_iso3",
    "unctad_name_to_iso3",
]

logger = logging.getLogger(__name__)

Errors = Literal["raise", "keep", "coerce"]

#: Codes of regional or world aggregates that are not countries.
AGGREGATE_CODES: frozenset[str] = frozenset(
    {"WLD", "EUN", "EUU", "UNS", "EMU", "ARB", "OED", "HIC", "LIC", "LMC", "UMC", "MIC", "LMY"}
)


def _read(name: str) -> pd.DataFrame:
    return package_csv(f"concordance_data/{name}", dtype=str)


@functools.cache
def iso3_table() -> pd.DataFrame:
    """ISO 3166-1 countries plus Kosovo ``XKX`` (cached: do not modify).

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3, iso2, m49, name`` (text): the current and
        user-assigned rows of the country table
        (:func:`ftalab.data.countries.country_table`); withdrawn codes such
        as ``YUG`` are not in it (they are mapped by :func:`legacy_code_table`).
    """
    df = country_frame()
    return df.loc[df["status"] != "historical", ["iso3", "iso2", "m49", "name"]].reset_index(drop=True)


@functools.cache
def legacy_code_table() -> pd.DataFrame:
    """Retired or source-specific alpha codes and the ISO3 code each maps to (cached: do not modify).

    Returns
    -------
    pandas.DataFrame
        Columns ``code, iso3, used_by, note`` (``concordance_data/legacy_codes.csv``);
        rows with ``code == iso3`` are codes kept as they are.
    """
    return _read("legacy_codes.csv")


@functools.cache
def _numeric_table() -> pd.DataFrame:
    return _read("numeric_codes.csv")


@functools.cache
def _unctad_table() -> pd.DataFrame:
    return _read("unctad_names.csv")


@functools.cache
def known_iso3() -> frozenset[str]:
    """Every code the concordance accepts as a country.

    Returns
    -------
    frozenset of str
        The codes of :func:`iso3_table` plus the legacy codes kept as they are
        (``ANT``, ``CHI``).
    """
    kept = legacy_code_table().query("code == iso3")["code"]
    return frozenset(iso3_table()["iso3"]) | frozenset(kept)


def is_known_iso3(code: str) -> bool:
    """Whether ``code`` is in :func:`known_iso3`.

    Parameters
    ----------
    code : str
        An upper-case alpha-3 code.

    Returns
    -------
    bool
        True for a current ISO3 code, ``XKX`` or a legacy code the
        concordance keeps as is; False for withdrawn codes it maps (``YUG``).

    See Also
    --------
    ftalab.data.countries.is_known_iso3 : the country table's wider test,
        which also accepts withdrawn ISO 3166-3 codes.
    """
    return code in known_iso3()


@functools.cache
def _alpha_map() -> dict[str, str]:
    m = {c: c for c in known_iso3()}
    m.update(dict(zip(legacy_code_table()["code"], legacy_code_table()["iso3"], strict=True)))
    return m


def _show(items: Iterable[Any], n: int = 12) -> str:
    items = list(items)
    text = ", ".join(str(x) for x in items[:n])
    return text + (f", ... ({len(items) - n} more)" if len(items) > n else "")


def _apply(raw: pd.Series, mapping: dict[str, str], errors: Errors, what: str, hint: str) -> pd.Series:
    out = raw.map(mapping)
    bad = raw[out.isna() & raw.notna()]
    if len(bad):
        counts = bad.value_counts()
        listing = _show(f"{k!r} ({v} rows)" for k, v in counts.items())
        if errors == "raise":
            raise ValidationError(
                f"{what}: {len(counts)} unknown code(s) not in ftalab's concordance: {listing}. {hint}"
            )
        if errors == "keep":
            out = out.where(out.notna(), raw)
    return out


def to_iso3(
    codes: Sequence[str] | pd.Series,
    *,
    errors: Errors = "raise",
    what: str = "country codes",
    keep: Iterable[str] = (),
) -> pd.Series:
    """Map alpha codes (ISO3 or legacy, e.g. ``ROM``, ``ZAR``, ``OAS``) to ISO3.

    Parameters
    ----------
    codes
        Alpha-3 codes; surrounding blanks and lower case are tolerated.
    errors
        ``"raise"`` (default): unknown codes raise :class:`ValidationError`
        naming them; ``"keep"``: leave them as they are; ``"coerce"``: NaN.
    what
        Name of the column or source, used in messages.
    keep
        Extra codes to accept unchanged (e.g. aggregates such as ``"WLD"``).

    Returns
    -------
    pandas.Series
        A new series (the input is not modified), index preserved.
    """
    s = pd.Series(codes, copy=True)
    index = s.index
    raw = s.astype("string").str.strip().str.upper().astype(object)
    raw.index = index
    mapping = dict(_alpha_map())
    mapping.update({k: k for k in keep})
    hint = (
        "Fix the codes in your data, map them first, or pass errors='keep' / keep=[...] "
        "to accept them (see ftalab.data.concordance.legacy_code_table())."
    )
    return _apply(raw, mapping, errors, what, hint).rename(s.name)


def numeric_to_iso3(
    codes: Sequence[Any] | pd.Series, *, errors: Errors = "raise", what: str = "numeric codes"
) -> pd.Series:
    """Map numeric country codes (UN M49, BACI, UN Comtrade) to ISO3.

    Comtrade/BACI codes that differ from M49 are mapped first (``490`` "Other
    Asia, nes" → TWN, ``842`` → USA, ``251`` → FRA, ``757`` → CHE, ``699`` →
    IND, ``579`` → NOR, ``381`` → ITA, ...), then M49.

    Parameters
    ----------
    codes
        Numbers or numeric text (``"004"``, ``4``, ``4.0``); WTO's ``C`` prefix
        (``"C156"``) is dropped.
    errors
        ``"raise"`` (default): non-numeric values or unknown codes raise
        :class:`ValidationError` naming them; ``"keep"``: return unknown codes
        as text (``"999"``) and non-numeric values as NaN; ``"coerce"``: NaN.
    what
        Name of the column or source, used in messages.

    Returns
    -------
    pandas.Series
        ISO3 codes; a new series with the input's index and name.
    """
    s = pd.Series(codes, copy=True)
    txt = s.astype("string").str.strip().str.lstrip("C")  # WTO writes 'C' + M49
    num = pd.to_numeric(txt, errors="coerce")
    num = num.where(num == num.round())  # 156.5 is not a country code
    if num.isna().any() and s.notna().any():
        bad = s[num.isna() & s.notna()]
        if len(bad) and errors == "raise":
            raise ValidationError(
                f"{what}: {len(bad)} value(s) are not numeric country codes: {_show(bad.unique())}."
            )
    key = num.astype("Int64").astype("string").astype(object)
    key.index = s.index
    mapping = {str(int(c)): i for c, i in zip(iso3_table()["m49"], iso3_table()["iso3"], strict=True) if c}
    mapping.update(dict(zip(_numeric_table()["code"], _numeric_table()["iso3"], strict=True)))
    hint = "Check the file's country_codes table; pass errors='keep' to keep unknown codes."
    return _apply(key, mapping, errors, what, hint).rename(s.name)


def _norm_name(s: pd.Series) -> pd.Series:
    return (
        s.astype("string")
        .str.normalize("NFKD")
        .str.encode("ascii", "ignore")
        .str.decode("ascii")
        .str.lower()
        .str.replace(r"[^a-z0-9]", "", regex=True)
    )


def unctad_name_to_iso3(
    names: Sequence[str] | pd.Series, *, errors: Errors = "raise", what: str = "UNCTAD names"
) -> pd.Series:
    """Map UNCTADstat economy names (e.g. ``ChinaTaiwanProvince``, ``TFYR of Macedonia``) to ISO3.

    Matching ignores case, spaces, punctuation and accents, so the compact
    names of the 2015 matrix files and the spelled-out market names of the
    tariff export both work. The table was reviewed by hand; micro-states and
    merged territories carry a note in ``concordance_data/unctad_names.csv``.

    Parameters
    ----------
    names
        UNCTADstat economy names.
    errors
        ``"raise"`` (default): unknown names raise :class:`ValidationError`
        naming them; ``"keep"``: leave them as they are; ``"coerce"``: NaN.
    what
        Name of the column or source, used in messages.

    Returns
    -------
    pandas.Series
        ISO3 codes; a new series with the input's index and name.
    """
    s = pd.Series(names, copy=True)
    t = _unctad_table()
    mapping = dict(zip(_norm_name(t["name"]), t["iso3"], strict=True))
    key = _norm_name(s).astype(object)
    key.index = s.index
    out = key.map(mapping)
    bad = s[out.isna() & s.notna()]
    if len(bad) and errors == "raise":
        raise ValidationError(
            f"{what}: {bad.nunique()} name(s) not in ftalab's UNCTAD name table: "
            f"{_show(bad.unique())}. Add them to a name→ISO3 mapping of your own and map "
            "them first, or pass errors='coerce'."
        )
    if errors == "keep":
        out = out.where(out.notna(), s)
    return out.rename(s.name)


def harmonize_codes(
    df: pd.DataFrame,
    columns: Sequence[str],
    *,
    errors: Errors = "raise",
    keep: Iterable[str] = (),
    what: str | None = None,
) -> pd.DataFrame:
    """Return a copy of ``df`` with the code ``columns`` mapped to ISO3.

    The changes made (``{"ROM": "ROU", ...}``) are recorded in
    ``attrs["code_changes"]`` and logged. The input frame is not modified.

    Parameters
    ----------
    df
        The table.
    columns
        The code columns (e.g. ``["exporter", "importer"]``).
    errors, keep
        As in :func:`to_iso3`.
    what
        Name used in messages (default: the column's name).

    Returns
    -------
    pandas.DataFrame
        A copy with the columns mapped; ``attrs["code_changes"]`` maps each
        changed code to its ISO3 code (added to any changes already recorded).

    Raises
    ------
    ValidationError
        A column is missing, or (with ``errors="raise"``) a code is unknown.
    """
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValidationError(
            f"harmonize_codes: column(s) {missing} not in the table (columns: {list(df.columns)})"
        )
    out = df.copy()
    changes: dict[str, str] = dict(df.attrs.get("code_changes", {}))
    for col in columns:
        new = to_iso3(df[col], errors=errors, keep=keep, what=what or f"column {col!r}")
        diff = df[col].astype(object).where(df[col].notna()) != new
        for old, nw in (
            pd.DataFrame({"o": df[col][diff], "n": new[diff]}).drop_duplicates().itertuples(index=False)
        ):
            if isinstance(old, str) and isinstance(nw, str):
                changes[old] = nw
        out[col] = new.astype("str").mask(new.isna())
    if changes:
        logger.info("harmonised country codes: %s", changes)
    out.attrs["code_changes"] = changes
    return out


def _key_list(keys: pd.DataFrame) -> list[Any]:
    rows = [tuple(r) for r in keys.itertuples(index=False)]
    return [r[0] if len(r) == 1 else r for r in rows]


@dataclass(frozen=True, eq=False)
class MergeReport:
    """What a :func:`checked_merge` could not match.

    ``unmatched_left`` / ``unmatched_right`` hold the unmatched keys with the
    number of rows (and the summed ``value`` of the left rows, when given);
    ``missing_codes`` lists, per key column of the left table, codes that do
    not occur in the right table at all (the usual cause: a code the other
    source spells differently, or a country it does not cover).
    """

    what: str
    how: str
    n_left: int
    n_right: int
    n_result: int
    unmatched_left: pd.DataFrame
    unmatched_right: pd.DataFrame
    missing_codes: dict[str, list[str]] = field(default_factory=dict)
    lost_value: float | None = None
    unit: str | None = None

    @property
    def ok(self) -> bool:
        """True when every key of the left table found a match."""
        return len(self.unmatched_left) == 0

    def message(self) -> str:
        """The report as one readable paragraph."""
        fate = "dropped" if self.how in ("inner", "right") else "kept with missing values"
        parts = [f"checked_merge ({self.what}, how={self.how!r}):"]
        if len(self.unmatched_left):
            rows = int(self.unmatched_left["rows"].sum())
            keys = _key_list(
                self.unmatched_left.drop(columns=[c for c in ("rows", "value") if c in self.unmatched_left])
            )
            parts.append(
                f"{len(keys)} key(s) of the left table ({rows} rows) have no match in the right table and are "
                f"{fate}: {_show(keys, 8)}."
            )
            for col, codes in self.missing_codes.items():
                if codes:
                    parts.append(
                        f"Codes in left column {col!r} absent from the right table: {_show(codes, 20)}."
                    )
            if self.lost_value is not None:
                unit = f" {self.unit}" if self.unit else ""
                amount = (
                    f"{self.lost_value:,.0f}" if abs(self.lost_value) >= 1000 else f"{self.lost_value:.6g}"
                )
                parts.append(f"Value in the unmatched left rows: {amount}{unit}.")
        if len(self.unmatched_right) and self.how in ("right", "outer"):
            keys = _key_list(self.unmatched_right.drop(columns=["rows"]))
            parts.append(
                f"{len(keys)} key(s) of the right table have no match in the left table: {_show(keys, 8)}."
            )
        parts.append(
            "Harmonise codes first (ftalab.data.concordance.harmonize_codes), add the missing "
            "rows, or choose how='left' to keep them."
            if fate == "dropped"
            else "Fill the missing values or drop those rows explicitly."
        )
        return " ".join(parts)

    def __str__(self) -> str:
        return self.message()


def _keys(df: pd.DataFrame, cols: list[str], value: str | None) -> pd.DataFrame:
    g = df.groupby(cols, dropna=False, sort=True)
    out = g.size().rename("rows").reset_index()
    if value is not None:
        out["value"] = g[value].sum(min_count=1).to_numpy()
    return out


def checked_merge(
    left: pd.DataFrame,
    right: pd.DataFrame,
    *,
    on: str | Sequence[str] | None = None,
    left_on: str | Sequence[str] | None = None,
    right_on: str | Sequence[str] | None = None,
    how: Literal["inner", "left", "right", "outer"] = "inner",
    what: str = "merge",
    value: str | None = None,
    errors: Literal["warn", "raise", "ignore"] = "warn",
    return_report: bool = False,
    **kwargs: Any,
) -> pd.DataFrame | tuple[pd.DataFrame, MergeReport]:
    """Merge two tables and report every key that could not be matched.

    An inner join silently loses rows whose keys the other table spells
    differently (``OAS`` vs ``TWN``) or does not cover. This merge never does
    that quietly: unmatched left keys (and right keys for ``how='right'`` or
    ``'outer'``) are reported in a :class:`~ftalab.errors.DataWarning`, or a
    :class:`~ftalab.errors.ValidationError` with ``errors='raise'``, naming the
    keys, the codes that the right table lacks entirely, and the ``value``
    lost.

    Parameters
    ----------
    left, right
        The tables; neither is modified.
    on, left_on, right_on
        Key columns, as in :func:`pandas.merge`.
    how
        Join type, as in :func:`pandas.merge`.
    what
        A short description used in the report (e.g. ``"flows x GDP"``).
    value
        A numeric column of ``left`` whose unmatched total is reported.
    errors
        ``"warn"`` (default), ``"raise"`` or ``"ignore"`` (report only).
    return_report
        Also return the :class:`MergeReport`.
    **kwargs
        Passed to :func:`pandas.merge` (e.g. ``suffixes``, ``validate``).

    Returns
    -------
    pandas.DataFrame or (DataFrame, MergeReport)
        The merged table; its ``attrs["merge_report"]`` holds the report.
    """
    if on is not None:
        lk = rk = [on] if isinstance(on, str) else list(on)
    elif left_on is not None and right_on is not None:
        lk = [left_on] if isinstance(left_on, str) else list(left_on)
        rk = [right_on] if isinstance(right_on, str) else list(right_on)
    else:
        raise ValidationError("checked_merge: give on=... or both left_on=... and right_on=...")
    for side, df, cols in (("left", left, lk), ("right", right, rk)):
        miss = [c for c in cols if c not in df.columns]
        if miss:
            raise ValidationError(
                f"checked_merge ({what}): key column(s) {miss} not in the {side} table (columns: {list(df.columns)})"
            )
    if len(lk) != len(rk):
        raise ValidationError(f"checked_merge ({what}): left_on {lk} and right_on {rk} differ in length")
    if value is not None and value not in left.columns:
        raise ValidationError(f"checked_merge ({what}): value column {value!r} not in the left table")

    lkeys = _keys(left, lk, value)
    rkeys = _keys(right, rk, None).rename(columns=dict(zip(rk, lk, strict=True)))
    ind = lkeys.merge(rkeys[lk], on=lk, how="left", indicator=True)
    unmatched_left = lkeys[(ind["_merge"] == "left_only").to_numpy()].reset_index(drop=True)
    ind_r = rkeys.merge(lkeys[lk], on=lk, how="left", indicator=True)
    unmatched_right = (
        rkeys[(ind_r["_merge"] == "left_only").to_numpy()]
        .rename(columns=dict(zip(lk, rk, strict=True)))
        .reset_index(drop=True)
    )
    missing_codes: dict[str, list[str]] = {}
    right_values = set().union(*(set(right[c].dropna().astype(str)) for c in rk))
    for c in lk:
        if unmatched_left[c].dtype == object or pd.api.types.is_string_dtype(unmatched_left[c]):
            codes = sorted(set(unmatched_left[c].dropna().astype(str)) - right_values)
            missing_codes[c] = codes
    lost = float(np.nansum(unmatched_left["value"])) if value is not None else None

    merged = pd.merge(left, right, left_on=lk, right_on=rk, how=how, **kwargs)
    report = MergeReport(
        what=what,
        how=how,
        n_left=len(left),
        n_right=len(right),
        n_result=len(merged),
        unmatched_left=unmatched_left,
        unmatched_right=unmatched_right,
        missing_codes=missing_codes,
        lost_value=lost,
        unit=left.attrs.get("unit"),
    )
    merged.attrs = {k: v for k, v in left.attrs.items() if k != "merge_report"}
    merged.attrs["merge_report"] = report
    problem = len(unmatched_left) > 0 or (how in ("right", "outer") and len(unmatched_right) > 0)
    if problem and errors == "raise":
        raise ValidationError(report.message())
    if problem and errors == "warn":
        warnings.warn(report.message(), DataWarning, stacklevel=2)
    return (merged, report) if return_report else merged
