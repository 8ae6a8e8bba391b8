"""Reader for the World Bank Deep Trade Agreements toolkit RTA file (``wb_dta_rta``).

The published file is ``bilateral_rta_Toolkit_202401.zip``: a zip holding one
Stata ``.dta`` with one row per (agreement, exporter, importer, year) while the
agreement is in force (Fontagné, Rocha, Ruta & Santoni 2023). Its columns are
``id_agree, entry_force, agreement, iso_o, iso_d, year, rta_v2, drop_overlap``;
``rta_v2`` is 1 on every row, whatever the agreement's depth, so agreement
*types* come from :mod:`ftalab.data.agreements`, not from this file.

Caveats (see PROVENANCE.md): the EAEU is missing after 2018 (the agreement
registry fills it in), and ``drop_overlap == 1`` marks rows where a pair is
covered by several agreements; collapse with :func:`collapse_rta`.
"""

from __future__ import annotations

import logging
import os
import zipfile
from pathlib import Path

import pandas as pd

from ftalab.data.readers._common import READ_ERRORS, per_file_cache, require_columns
from ftalab.errors import DataError, ValidationError

__all__ = ["read_wb_dta_rta", "collapse_rta", "DTA_COLUMNS"]

logger = logging.getLogger(__name__)

_FILE = "bilateral_rta_Toolkit_202401.zip"
_REQUIRED = ("id_agree", "entry_force", "agreement", "iso_o", "iso_d", "year", "drop_overlap")
#: Columns of the canonical table returned by :func:`read_wb_dta_rta`.
DTA_COLUMNS = ("exporter", "importer", "year", "agreement", "id_agree", "entry_force", "drop_overlap")


def read_wb_dta_rta(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Read the DTA toolkit's bilateral RTA file into a canonical table.

    Parameters
    ----------
    path : path-like, optional
        The official zip (a Stata ``.dta`` inside), a bare ``.dta`` or the
        mirror's CSV conversion (``.csv``/``.csv.gz``). Default: the
        registered file ``bilateral_rta_Toolkit_202401.zip`` through
        :func:`ftalab.data.fetch_file` (mirror, cache or download, checksum
        verified).

    Returns
    -------
    pandas.DataFrame
        Columns ``exporter, importer, year, agreement, id_agree, entry_force,
        drop_overlap`` (``iso_o`` -> ``exporter``, ``iso_d`` -> ``importer``);
        one row per agreement, ordered pair and year in force. Agreement names
        are stripped of surrounding blanks. For the 2024-01 file: 251,112 rows,
        381 agreements, years 1958-2023.

    Raises
    ------
    DataError
        The file is missing, truncated, not a zip or holds no ``.dta``.
    ValidationError
        Columns are missing, key cells are empty, codes are not 3-letter codes,
        or (agreement, exporter, importer, year) rows are duplicated.

    Examples
    --------
    >>> rta = read_wb_dta_rta()                        # doctest: +SKIP
    >>> collapse_rta(rta).query("year == 2015").shape  # doctest: +SKIP
    """
    if path is None:
        from ftalab.data.registry import fetch_file

        path = fetch_file("wb_dta_rta", _FILE)
    path = Path(path)
    if not path.is_file():
        raise DataError(f"DTA file {path} not found; fetch it with `ftalab data fetch wb_dta_rta`")
    return _read_cached(path).copy()


@per_file_cache(maxsize=4)
def _read_cached(path: Path) -> pd.DataFrame:
    return _canonical(_read_raw(path), path)


def _read_raw(path: Path) -> pd.DataFrame:
    name = path.name.lower()
    try:
        if name.endswith(".zip"):
            return _read_zip(path)
        if name.endswith(".dta"):
            return pd.read_stata(path, convert_categoricals=False)
        if name.endswith((".csv", ".csv.gz")):
            return pd.read_csv(path, dtype={"iso_o": str, "iso_d": str, "agreement": str})
    except DataError:
        raise
    except READ_ERRORS as exc:
        raise DataError(
            f"cannot read DTA file {path}: {exc}. The file may be truncated or damaged; "
            "fetch it again with `ftalab data fetch wb_dta_rta`"
        ) from exc
    raise DataError(f"DTA file {path} must be a .zip (official), .dta or .csv(.gz) file")


def _read_zip(path: Path) -> pd.DataFrame:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise DataError(
            f"{path} is not a readable zip archive (truncated or damaged?); "
            "fetch it again with `ftalab data fetch wb_dta_rta`"
        ) from exc
    with archive:
        members = [m for m in archive.namelist() if m.lower().endswith(".dta")]
        if not members:
            raise DataError(
                f"zip {path} holds no Stata .dta file (contents: {archive.namelist()}); "
                "expected the DTA toolkit's bilateral_rta_Toolkit_*.dta"
            )
        if len(members) > 1:
            raise DataError(f"zip {path} holds several .dta files {members}; expected exactly one")
        with archive.open(members[0]) as handle:
            # read_stata needs a seekable buffer; zip members are seekable in Python >= 3.7.
            return pd.read_stata(handle, convert_categoricals=False)


def _canonical(raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    layout = "the DTA toolkit layout (id_agree, entry_force, agreement, iso_o, iso_d, year, rta_v2, drop_overlap)"
    require_columns(raw, _REQUIRED, "DTA file", path, layout=layout)
    df = raw.loc[:, list(_REQUIRED)]
    # Stata stores missing strings as "", so blank strings count as empty too.
    empty = [
        c for c in _REQUIRED
        if df[c].isna().any() or (df[c].dtype == object or pd.api.types.is_string_dtype(df[c]))
        and (df[c].astype(str).str.strip() == "").any()
    ]
    if empty:
        raise ValidationError(f"DTA file {path} has empty cells in column(s) {empty}")
    for col in ("id_agree", "entry_force", "year", "drop_overlap"):
        values = pd.to_numeric(df[col], errors="coerce")
        if values.isna().any() or (values != values.round()).any():
            bad = df.loc[values.isna() | (values != values.round()), col].iloc[0]
            bad = bad.item() if hasattr(bad, "item") else bad
            raise ValidationError(f"DTA file {path}: column {col!r} must hold integers, found {bad!r}")
    out = pd.DataFrame(
        {
            "exporter": df["iso_o"].astype(str).str.strip().str.upper(),
            "importer": df["iso_d"].astype(str).str.strip().str.upper(),
            "year": df["year"].astype("int64"),
            "agreement": df["agreement"].astype(str).str.strip(),
            "id_agree": df["id_agree"].astype("int64"),
            "entry_force": df["entry_force"].astype("int64"),
            "drop_overlap": df["drop_overlap"].astype("int64"),
        }
    )
    for col in ("exporter", "importer"):
        bad = out.loc[~out[col].str.fullmatch(r"[A-Z]{3}"), col]
        if len(bad):
            raise ValidationError(
                f"DTA file {path}: column {'iso_o' if col == 'exporter' else 'iso_d'} holds "
                f"non-ISO3 code(s) {sorted(set(bad))[:5]}; expected 3-letter codes"
            )
    if not out["year"].between(1900, 2100).all():
        bad = out.loc[~out["year"].between(1900, 2100), "year"].iloc[0]
        raise ValidationError(f"DTA file {path}: implausible year {bad}")
    if not out["drop_overlap"].isin([0, 1]).all():
        raise ValidationError(f"DTA file {path}: drop_overlap must be 0 or 1")
    key = ["id_agree", "exporter", "importer", "year"]
    dup = out.duplicated(key)
    if dup.any():
        first = [v.item() if hasattr(v, "item") else v for v in out.loc[dup, key].iloc[0]]
        raise ValidationError(
            f"DTA file {path}: {int(dup.sum())} duplicated (id_agree, exporter, importer, year) "
            f"row(s), e.g. {first}"
        )
    logger.info("read %d DTA rows (%d agreements) from %s", len(out), out["id_agree"].nunique(), path)
    return out.reset_index(drop=True)


def collapse_rta(dta: pd.DataFrame) -> pd.DataFrame:
    """Collapse agreement rows to a pair-year ``rta`` dummy (max over agreements).

    Parameters
    ----------
    dta : pandas.DataFrame
        A table from :func:`read_wb_dta_rta` (needs ``exporter, importer, year``).
        Not modified.

    Returns
    -------
    pandas.DataFrame
        ``exporter, importer, year, rta`` with ``rta == 1`` for every pair-year
        covered by at least one agreement (overlaps flagged by
        ``drop_overlap`` count once). Pair-years not listed have no agreement.
        Note that ``rta`` does not distinguish partial-scope agreements from
        FTAs; see :func:`ftalab.data.agreements.pair_links`.
    """
    missing = [c for c in ("exporter", "importer", "year") if c not in dta.columns]
    if missing:
        raise ValidationError(f"collapse_rta needs columns {missing}; pass a table from read_wb_dta_rta()")
    out = dta.loc[:, ["exporter", "importer", "year"]].drop_duplicates()
    out = out.assign(rta=1).sort_values(["exporter", "importer", "year"], kind="stable")
    return out.reset_index(drop=True)
