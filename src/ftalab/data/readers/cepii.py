"""CEPII readers: GeoDist (dist_cepii, geo_cepii) and the Gravity database.

GeoDist files are ``;``-separated with ``"."`` for missing values; the country
file is latin-1 and has one row per main city for 13 countries (the capital,
``cap == 1``, is kept). Legacy codes (ROM, ZAR, TMP, PAL, YUG) become ISO3
through :mod:`ftalab.data.concordance`; ANT (Netherlands Antilles) is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ftalab.data.concordance import to_iso3
from ftalab.data.readers._common import guarded, read_csv, require_columns
from ftalab.data.registry import fetch_file
from ftalab.data.tables import make_country_year, make_pair_covariates
from ftalab.data.validation import validate_country_year, validate_pair_covariates
from ftalab.errors import DataError, ValidationError

__all__ = ["GEODIST_COLUMNS", "read_cepii_geo", "read_cepii_geodist", "read_cepii_gravity"]

DATASET = "cepii_geodist"
GEODIST_COLUMNS = (
    "contig",
    "comlang_off",
    "comlang_ethno",
    "colony",
    "comcol",
    "curcol",
    "col45",
    "smctry",
    "dist",
    "distcap",
    "distw",
    "distwces",
)
_NOTES = (
    "CEPII GeoDist (Mayer & Zignago 2011), 2011 vintage; legacy codes mapped: ROM->ROU, ZAR->COD, TMP->TLS, PAL->PSE, YUG->SRB.",
    "Own pairs (exporter == importer) carry internal distances.",
)


def read_cepii_geodist(*, internal: bool = True) -> pd.DataFrame:
    """Read GeoDist bilateral covariates (``dist_cepii.csv``) as pair covariates.

    Parameters
    ----------
    internal
        Keep own pairs (i, i) with internal distances (needed for structural
        gravity with domestic flows).

    Returns
    -------
    pandas.DataFrame
        ``exporter, importer`` (ISO3) and :data:`GEODIST_COLUMNS`; distances in
        km, dummies 0/1; NaN where the file has ``"."``.
    """
    path = fetch_file(DATASET, "dist_cepii.csv")
    what = "CEPII GeoDist (dist_cepii.csv)"
    raw = read_csv(path, what, sep=";", na_values=".", dtype={"iso_o": str, "iso_d": str})
    require_columns(raw, ["iso_o", "iso_d", *GEODIST_COLUMNS], what, path)
    df = raw.assign(
        exporter=to_iso3(raw["iso_o"], what=f"{what}, iso_o").to_numpy(),
        importer=to_iso3(raw["iso_d"], what=f"{what}, iso_d").to_numpy(),
    )
    if not internal:
        df = df[df["exporter"] != df["importer"]]
    units = {c: "km" for c in ("dist", "distcap", "distw", "distwces")}
    out = make_pair_covariates(df, columns=list(GEODIST_COLUMNS), dataset=DATASET, units=units, notes=_NOTES)
    return validate_pair_covariates(out, columns=list(GEODIST_COLUMNS), what=what)


def read_cepii_geo() -> pd.DataFrame:
    """Read the GeoDist country file (``geo_cepii.csv``), one row per country (its capital).

    Returns
    -------
    pandas.DataFrame
        ``iso3`` and the file's other columns (``country``, ``landlocked``,
        ``area``, ``dis_int``, ``continent``, ``city_en``, ``lat``, ``lon``,
        languages, colonisers). For the 13 countries listed with two cities
        the capital row (``cap == 1``) is kept.
    """
    path = fetch_file(DATASET, "geo_cepii.csv")
    what = "CEPII GeoDist (geo_cepii.csv)"
    raw = read_csv(path, what, sep=";", na_values=".", encoding="latin-1", dtype={"iso3": str, "iso2": str})
    require_columns(raw, ["iso3", "country", "landlocked", "cap", "lat", "lon"], what, path)
    dup = raw["iso3"].duplicated(keep=False)
    keep = ~dup | (raw["cap"] == 1)
    df = raw[keep].copy()
    still = df["iso3"].duplicated(keep=False)
    if still.any():
        raise ValidationError(
            f"{what}: several capital rows (cap == 1) for {sorted(df.loc[still, 'iso3'].unique())}"
        )
    lost = sorted(set(raw["iso3"]) - set(df["iso3"]))
    if lost:
        raise ValidationError(f"{what}: no capital row (cap == 1) for the duplicated codes {lost}")
    df["iso3_in_file"] = df["iso3"]
    df["iso3"] = to_iso3(df["iso3"], what=f"{what}, iso3").to_numpy()
    cols = [c for c in df.columns if c != "iso3"]
    out = make_country_year(
        df,
        columns=cols,
        year=None,
        dataset=DATASET,
        units={"area": "km2", "dis_int": "km"},
        notes=(_NOTES[0], "Capital row kept where the file lists two cities."),
    )
    return validate_country_year(out, columns=["landlocked", "area", "dis_int"], what=what)


_GRAVITY_KEYS = ("year", "iso3_o", "iso3_d")


def read_cepii_gravity(
    path: str | Path, *, columns: Sequence[str] | None = None, existing_only: bool = True
) -> pd.DataFrame:
    """Read the CEPII Gravity database (official CSV layout, e.g. ``Gravity_V202211.csv``).

    Parameters
    ----------
    path
        The CSV you downloaded from CEPII (see ``ftalab data info cepii_gravity``).
    columns
        Covariates to keep (default: every numeric column except identifiers),
        e.g. ``["distw_harmonic", "contig", "comlang_off", "fta_wto"]``.
    existing_only
        Drop rows where ``country_exists_o`` or ``country_exists_d`` is 0
        (Gravity lists all pairs for all years, also for countries that did not exist).

    Returns
    -------
    pandas.DataFrame
        Pair covariates ``exporter, importer, year, *columns`` with ISO3 codes.
    """
    what = f"CEPII Gravity ({Path(path).name})"
    if not Path(path).is_file():
        raise DataError(
            f"{what}: file {path} not found; download it from the CEPII Gravity page (ftalab data info cepii_gravity)"
        )
    header = guarded(path, what, lambda: pd.read_csv(path, nrows=0))
    require_columns(header, list(_GRAVITY_KEYS), what, path)
    wanted = list(columns) if columns is not None else None
    if wanted is not None:
        require_columns(header, wanted, what, path)
    raw = read_csv(path, what, dtype={"iso3_o": str, "iso3_d": str, "country_id_o": str, "country_id_d": str})
    if existing_only and {"country_exists_o", "country_exists_d"} <= set(raw.columns):
        raw = raw[(raw["country_exists_o"] == 1) & (raw["country_exists_d"] == 1)]
    ident = {
        "year",
        "iso3_o",
        "iso3_d",
        "country_id_o",
        "country_id_d",
        "iso3num_o",
        "iso3num_d",
        "country_exists_o",
        "country_exists_d",
    }
    if wanted is None:
        wanted = [c for c in raw.columns if c not in ident and pd.api.types.is_numeric_dtype(raw[c])]
    df = raw.assign(
        exporter=to_iso3(raw["iso3_o"], what=f"{what}, iso3_o").to_numpy(),
        importer=to_iso3(raw["iso3_d"], what=f"{what}, iso3_d").to_numpy(),
    )
    out = make_pair_covariates(
        df,
        columns=wanted,
        year="year",
        dataset="cepii_gravity",
        units={c: "km" for c in wanted if c.startswith("dist")},
        notes=("CEPII Gravity (Conte, Cotterlaz & Mayer 2022).",),
    )
    return validate_pair_covariates(out, columns=wanted, what=what)
