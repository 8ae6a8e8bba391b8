"""CEPII BACI (HS6 bilateral trade) in its official release layout.

A release (e.g. ``BACI_HS17_V202401.zip``, unzipped) holds one file per year,
``BACI_HS17_Y2022_V202401.csv`` with columns ``t,i,j,k,v,q`` (year, exporter
and importer numeric codes, HS6 product, value in **thousand USD**, quantity in
metric tons, ``NA`` where unknown, often blank-padded), and
``country_codes_V202401.csv`` (``country_code, country_name, country_iso2,
country_iso3``; older releases: ``iso_3digit_alpha``). ``k`` is written without
leading zeros and is restored to a 6-digit string. Country codes become ISO3
through the release's own table, and where that gives a non-ISO code (BACI
writes ``S19`` for 490 "Other Asia, nes") through ftalab's numeric
concordance (490 → TWN).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from ftalab.data.concordance import known_iso3, numeric_to_iso3, to_iso3
from ftalab.data.readers._common import read_csv, require_columns
from ftalab.data.tables import make_flows
from ftalab.data.validation import validate_flows
from ftalab.errors import DataError, ValidationError

__all__ = ["read_baci", "read_baci_country_codes"]

logger = logging.getLogger(__name__)

UNIT = "thousand USD"
_BACI_FILE = re.compile(r"BACI_HS\d\d_Y(\d{4})_V\d+\w*\.csv$", re.IGNORECASE)


def read_baci_country_codes(path: str | Path) -> pd.DataFrame:
    """Read a BACI ``country_codes_V*.csv`` file: ``code`` (int) → ``iso3`` (ISO3) and ``name``.

    Codes whose ``iso3`` in the file is not an ISO3 code are mapped through
    :func:`ftalab.data.concordance.numeric_to_iso3`.

    Parameters
    ----------
    path : str or pathlib.Path
        The file (releases name the code and ISO3 columns differently; both
        layouts are read).

    Returns
    -------
    pandas.DataFrame
        ``code`` (int), ``iso3`` (ISO3, NaN where neither the file nor the
        numeric code gives one), ``iso3_in_file`` (as written) and ``name``.

    Raises
    ------
    DataError, ValidationError
        Unreadable file, missing columns, non-numeric or duplicate codes.
    """
    what = f"BACI country codes ({Path(path).name})"
    raw = read_csv(path, what, dtype=str, keep_default_na=False, encoding_errors="replace")
    iso_col = next((c for c in ("country_iso3", "iso_3digit_alpha") if c in raw.columns), None)
    name_col = next(
        (c for c in ("country_name", "country_name_full", "country_name_abbreviation") if c in raw.columns),
        None,
    )
    if iso_col is None or name_col is None:
        require_columns(raw, ["country_code", "country_name", "country_iso3"], what, path)
    require_columns(raw, ["country_code"], what, path)
    codes = pd.to_numeric(raw["country_code"], errors="coerce")
    if codes.isna().any():
        raise ValidationError(
            f"{what}: non-numeric country_code values {raw.loc[codes.isna(), 'country_code'].head().tolist()}"
        )
    file_iso = to_iso3(raw[iso_col].replace("", np.nan), errors="coerce")
    by_number = numeric_to_iso3(codes.astype(int), errors="coerce")
    iso3 = file_iso.where(file_iso.notna(), by_number)
    out = pd.DataFrame(
        {"code": codes.astype(int), "iso3": iso3, "iso3_in_file": raw[iso_col], "name": raw[name_col]}
    )
    if out["code"].duplicated().any():
        raise ValidationError(
            f"{what}: duplicate country codes {out.loc[out['code'].duplicated(), 'code'].tolist()}"
        )
    return out


def _find(path: Path) -> tuple[list[Path], Path | None]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if _BACI_FILE.search(p.name))
        codes = sorted(path.glob("country_codes_*.csv"))
        if not files:
            raise DataError(f"BACI: no BACI_HS??_Y????_V*.csv files in {path}; unzip the release there")
        return files, codes[-1] if codes else None
    if not path.is_file():
        raise DataError(f"BACI: {path} does not exist; download a release from the CEPII BACI page")
    codes = sorted(path.parent.glob("country_codes_*.csv"))
    return [path], codes[-1] if codes else None


def read_baci(
    path: str | Path,
    *,
    country_codes: str | Path | None = None,
    years: Iterable[int] | None = None,
    level: Literal["hs6", "total"] = "hs6",
) -> pd.DataFrame:
    """Read BACI flows in the official ``t,i,j,k,v,q`` layout.

    Parameters
    ----------
    path
        The unzipped release folder, or one ``BACI_HS??_Y????_V*.csv`` file.
    country_codes
        The release's ``country_codes_V*.csv`` (default: found next to the data).
    years
        Read only these years (by file name when ``path`` is a folder).
    level
        ``"hs6"``: one row per product (``sector`` = 6-digit HS code, with
        ``quantity`` in metric tons); ``"total"``: summed over products.

    Returns
    -------
    pandas.DataFrame
        Flows ``exporter, importer, year, [sector], value`` (thousand USD) with ISO3 codes.

    Raises
    ------
    DataError, ValidationError
        Missing files or columns, non-numeric or negative values, codes absent
        from the country table, duplicate ``t,i,j,k`` rows.
    """
    files, found_codes = _find(Path(path))
    codes_file = Path(country_codes) if country_codes is not None else found_codes
    if codes_file is None:
        raise DataError(
            f"BACI: no country_codes_V*.csv next to {path}; pass country_codes=... (it ships with every release)"
        )
    table = read_baci_country_codes(codes_file)
    wanted = set(years) if years is not None else None
    parts = []
    for f in files:
        m = _BACI_FILE.search(f.name)
        if wanted is not None and m and int(m.group(1)) not in wanted:
            continue
        what = f"BACI ({f.name})"
        # Let the C parser read numbers; 'NA' (often blank-padded) and empty fields become NaN.
        raw = read_csv(f, what, dtype={"k": str, "q": str}, skipinitialspace=True, na_values=["NA"])
        raw.columns = [str(c).strip() for c in raw.columns]
        require_columns(raw, ["t", "i", "j", "k", "v", "q"], what, f)
        num = {}
        for c in ("t", "i", "j", "v", "q"):
            col = raw[c]
            num[c] = col if pd.api.types.is_numeric_dtype(col) else pd.to_numeric(col, errors="coerce")
            bad = num[c].isna() & col.notna()
            if bad.any():
                raise ValidationError(
                    f"{what}: non-numeric {c!r} values at rows {list(raw.index[bad][:5])}: "
                    f"{col[bad].astype(str).head(3).tolist()}"
                )
            if c != "q" and num[c].isna().any():
                raise ValidationError(
                    f"{what}: missing {c!r} at rows {list(raw.index[num[c].isna()][:5])} (truncated file?)"
                )
        k = raw["k"].fillna("").str.strip()
        bad_k = ~k.str.fullmatch(r"\d{5,6}")
        if bad_k.any():
            raise ValidationError(
                f"{what}: product codes k must be 5- or 6-digit HS codes; bad: {k[bad_k].head(3).tolist()}"
            )
        parts.append(
            pd.DataFrame(
                {
                    "t": num["t"],
                    "i": num["i"].astype(int),
                    "j": num["j"].astype(int),
                    "k": k.str.zfill(6),
                    "v": num["v"],
                    "q": num["q"],
                }
            )
        )
    if not parts:
        raise DataError(f"BACI: no file in {path} for years {sorted(wanted or [])}")
    df = pd.concat(parts, ignore_index=True)
    if (df["v"] < 0).any():
        raise ValidationError(f"BACI: negative values v at rows {list(df.index[df['v'] < 0][:5])}")
    mapping = dict(zip(table["code"], table["iso3"], strict=True))
    for side in ("i", "j"):
        unknown = sorted(set(df[side]) - set(mapping))
        if unknown:
            raise ValidationError(
                f"BACI: {side} codes {unknown[:10]} are not in {codes_file.name}; use the country_codes file of the same release"
            )
    unmapped = sorted(
        c
        for c in set(df["i"]) | set(df["j"])
        if not isinstance(mapping[c], str) or mapping[c] not in known_iso3()
    )
    if unmapped:
        names = table.set_index("code").loc[unmapped, "name"].tolist()
        raise ValidationError(
            f"BACI: codes {unmapped} ({names}) have no ISO3 equivalent in ftalab's concordance"
        )
    df["exporter"] = df["i"].map(mapping)
    df["importer"] = df["j"].map(mapping)
    dup = df.duplicated(["t", "i", "j", "k"], keep=False)
    if dup.any():
        raise ValidationError(
            f"BACI: duplicate t,i,j,k rows: {df.loc[dup, ['t', 'i', 'j', 'k']].drop_duplicates().head(5).to_numpy().tolist()}"
        )
    used = set(df["i"]) | set(df["j"])
    if level == "total":
        df = df.groupby(["exporter", "importer", "t"], as_index=False)["v"].sum()
        flows = make_flows(df, unit=UNIT, year="t", value="v", dataset="baci")
    elif level == "hs6":
        flows = make_flows(
            df.rename(columns={"q": "quantity"}),
            unit=UNIT,
            year="t",
            value="v",
            sector="k",
            extra=["quantity"],
            dataset="baci",
        )
    else:
        raise ValidationError(f"read_baci: level must be 'hs6' or 'total', got {level!r}")
    flows.attrs["notes"] = [
        "CEPII BACI (Gaulier & Zignago 2010): reconciled mirror flows, FOB, thousand USD; quantity in metric tons."
    ]
    flows.attrs["units"] = {"quantity": "metric tons"}
    remapped = table[(table["iso3_in_file"] != table["iso3"]) & table["code"].isin(used)]
    flows.attrs["code_changes"] = dict(zip(remapped["iso3_in_file"], remapped["iso3"], strict=True))
    return validate_flows(flows, unit=UNIT, unbalanced="ignore", what="BACI")
