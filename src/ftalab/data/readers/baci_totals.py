"""CEPII BACI 2023 bilateral goods-trade totals (194 economies) and their GDP.

Registered dataset ``baci_2023_totals``: total goods trade summed over all HS6
products from CEPII BACI (HS22 nomenclature, release V202501) for 2023, as a
194 x 194 matrix ``trade_cepii.csv`` (columns ``export_ij1..194``, no labels;
row i = exporter, column j = importer, both in the order of
``country_labels.csv``), in **thousands** of current USD; ``gdp.csv`` holds
GDP in current USD (World Bank WDI, NY.GDP.MKTP.CD) in the same order.

BACI reconciles exporter and importer reports into one value per pair, so a
pair is missing only when *neither* side reported it (e.g. RUS<->BLR,
RUS<->IRN): such cells are **unknown, not zero**, and stay NaN here. Totals
of non-reporters are truncated accordingly (BLR's exports read 7.0 bn USD).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ftalab.data.readers._common import read_csv, require_columns
from ftalab.data.registry import fetch_file
from ftalab.errors import DataError, ValidationError

__all__ = ["BACI_TOTALS_YEAR", "GDP_YEAR", "read_baci_gdp", "read_baci_totals"]

DATASET = "baci_2023_totals"
#: Year of the trade flows.
BACI_TOTALS_YEAR = 2023
#: Year of the GDP column (checked: USA 27.84 tn, CHN 17.79 tn, KGZ 13.99 bn USD = WDI 2023).
GDP_YEAR = 2023


def _locate(name: str, path: str | Path | None) -> Path:
    return Path(path) / name if path is not None else fetch_file(DATASET, name)


def _labels(path: str | Path | None) -> list[str]:
    where = _locate("country_labels.csv", path)
    what = "BACI 2023 totals (country_labels.csv)"
    lab = read_csv(where, what, dtype={"iso3": str})
    require_columns(lab, ["iso3", "iso_code"], what, where, layout="columns iso3, iso_code, CountryName")
    codes = lab["iso3"].astype(str).str.strip().str.upper()
    if codes.duplicated().any():
        raise ValidationError(f"{what}: duplicate ISO3 codes {sorted(codes[codes.duplicated()].unique())}")
    if not codes.str.fullmatch(r"[A-Z]{3}").all():
        raise ValidationError(f"{what}: {where} has codes that are not ISO3: {sorted(codes[~codes.str.fullmatch(r'[A-Z]{3}')])[:5]}")
    return codes.tolist()


def read_baci_totals(*, path: str | Path | None = None) -> pd.DataFrame:
    """Read BACI 2023 bilateral goods-trade totals as a long table.

    Parameters
    ----------
    path
        A folder holding ``trade_cepii.csv`` and ``country_labels.csv`` in the
        registered layout (default: the registered files, from the cache or mirror).

    Returns
    -------
    pandas.DataFrame
        Columns ``exporter, importer, value_usd``: every ordered pair i != j of
        the 194 economies (37,442 rows), ISO3 codes, **current USD** (the file's
        thousands multiplied by 1000). ``value_usd`` is NaN where the file has
        no record (neither side reported the pair): unknown, not zero.
        ``attrs`` carry ``dataset``, ``year`` (2023) and ``unit``.

    Raises
    ------
    DataError
        A file is missing, damaged or truncated.
    ValidationError
        The matrix does not match the labels, or a value is negative or not numeric.
    """
    codes = _labels(path)
    where = _locate("trade_cepii.csv", path)
    what = "BACI 2023 totals (trade_cepii.csv)"
    raw = read_csv(where, what)
    n = len(codes)
    if raw.shape != (n, n):
        raise DataError(
            f"{what}: {where} is {raw.shape[0]} x {raw.shape[1]}, but country_labels.csv lists "
            f"{n} economies; the files must come from the same release"
        )
    expected = [f"export_ij{k}" for k in range(1, n + 1)]
    if list(raw.columns) != expected:
        raise ValidationError(f"{what}: {where} columns are not export_ij1..export_ij{n}")
    values = raw.apply(pd.to_numeric, errors="coerce").to_numpy(dtype="float64")
    bad = np.isnan(values) & raw.notna().to_numpy()
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise ValidationError(f"{what}: non-numeric value {raw.iat[i, j]!r} at {codes[i]}->{codes[j]}")
    if (values < 0).any():
        i, j = np.argwhere(values < 0)[0]
        raise ValidationError(f"{what}: negative trade value at {codes[i]}->{codes[j]}")
    off = ~np.eye(n, dtype=bool)
    ex, im = np.nonzero(off)
    out = pd.DataFrame(
        {
            "exporter": np.asarray(codes, dtype=object)[ex],
            "importer": np.asarray(codes, dtype=object)[im],
            "value_usd": values[ex, im] * 1000.0,
        }
    )
    out.attrs.update(
        {
            "dataset": DATASET,
            "year": BACI_TOTALS_YEAR,
            "unit": "USD",
            "source": "CEPII BACI HS22 V202501, total over HS6 products",
        }
    )
    return out


def read_baci_gdp(*, path: str | Path | None = None) -> pd.Series:
    """GDP of the 194 BACI 2023 economies, current USD, year 2023.

    The file's ``gdp`` column is World Bank WDI GDP (NY.GDP.MKTP.CD); its year is
    **2023** (``GDP_YEAR``; USA 27.84 tn, CHN 17.79 tn, KGZ 13.99 bn USD match WDI
    2023, not 2022).

    Parameters
    ----------
    path
        A folder holding ``gdp.csv`` and ``country_labels.csv`` (default: registered files).

    Returns
    -------
    pandas.Series
        Name ``gdp_usd``, indexed by ISO3 (index name ``iso3``), current USD.

    Raises
    ------
    DataError, ValidationError
        A file is missing or damaged, its length differs from the labels, or a
        GDP is missing or not positive.
    """
    codes = _labels(path)
    where = _locate("gdp.csv", path)
    what = "BACI 2023 totals (gdp.csv)"
    raw = read_csv(where, what)
    require_columns(raw, ["gdp"], what, where, layout="one column gdp")
    if len(raw) != len(codes):
        raise DataError(f"{what}: {where} has {len(raw)} rows, country_labels.csv {len(codes)}")
    gdp = pd.to_numeric(raw["gdp"], errors="coerce")
    if gdp.isna().any() or (gdp <= 0).any():
        bad = [codes[k] for k in np.flatnonzero(gdp.isna().to_numpy() | (gdp <= 0).to_numpy())]
        raise ValidationError(f"{what}: GDP missing or not positive for {bad[:10]}")
    out = pd.Series(gdp.to_numpy(dtype="float64"), index=pd.Index(codes, name="iso3"), name="gdp_usd")
    out.attrs.update({"dataset": DATASET, "year": GDP_YEAR, "unit": "USD", "source": "World Bank WDI NY.GDP.MKTP.CD"})
    return out
