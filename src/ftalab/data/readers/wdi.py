"""World Bank WDI readers: GDP and weighted-mean tariff rates.

GDP in **current** US dollars is the default because it is the series
consistent with current-dollar trade flows; the constant-2010-dollar file is
available with ``series="constant2010"`` and labelled as such. The tariff
readers take the series code as authoritative: in the 47-country extract the
source's labels were swapped, so its corrected ``indicator`` column is used and
checked against the code.
"""

from __future__ import annotations

import logging
import warnings
from typing import Literal

import pandas as pd

from ftalab.data.concordance import known_iso3
from ftalab.data.readers._common import read_csv, read_excel, require_columns
from ftalab.data.registry import fetch_file
from ftalab.data.tables import make_country_year
from ftalab.data.validation import validate_country_year
from ftalab.errors import ValidationError

__all__ = ["TARIFF_SERIES", "read_wdi_gdp", "read_wdi_tariff_subset47", "read_wdi_tariffs_2025"]

logger = logging.getLogger(__name__)

#: WDI series codes of the weighted-mean tariff rates.
TARIFF_SERIES = {"applied": "TM.TAX.MRCH.WM.AR.ZS", "MFN": "TM.TAX.MRCH.WM.FN.ZS"}
_TARIFF_FILES = {
    "applied": "API_TM.TAX.MRCH.WM.AR.ZS_DS2_en_excel_v2_129989.xls",
    "MFN": "API_TM.TAX.MRCH.WM.FN.ZS_DS2_en_excel_v2_128528.xls",
}
_GDP = {
    "current": ("WDI_GDP_current_usd_2005_2020.csv", "NY.GDP.MKTP.CD", "gdp", "current USD"),
    "per_capita": (
        "WDI_GDP_current_usd_2005_2020.csv",
        "NY.GDP.PCAP.CD",
        "gdp_per_capita",
        "current USD per person",
    ),
    "constant2010": (
        "WDI_GDP_constant2010usd_2009_2018.csv",
        "NY.GDP.MKTP.KD",
        "gdp_constant2010",
        "constant 2010 USD",
    ),
}


def _countries_only(df: pd.DataFrame, code_col: str, what: str) -> tuple[pd.DataFrame, list[str]]:
    known = known_iso3()
    agg = ~df[code_col].isin(known)
    dropped = sorted(df.loc[agg, code_col].dropna().unique())
    if dropped:
        logger.info("%s: dropped %d aggregate codes %s", what, len(dropped), dropped)
    return df[~agg].copy(), dropped


def read_wdi_gdp(series: Literal["current", "per_capita", "constant2010"] = "current") -> pd.DataFrame:
    """Read WDI GDP as a country-year table.

    Parameters
    ----------
    series
        ``"current"`` (default; NY.GDP.MKTP.CD, 2005-2020), ``"per_capita"``
        (NY.GDP.PCAP.CD) or ``"constant2010"`` (NY.GDP.MKTP.KD, 2009-2018; not
        consistent with current-dollar trade).

    Returns
    -------
    pandas.DataFrame
        ``iso3, year, <gdp column>, country``; missing values ("..") are
        dropped; regional aggregates are dropped (listed in
        ``attrs["dropped_aggregates"]``). Unit in ``attrs["unit"]``.
    """
    if series not in _GDP:
        raise ValidationError(
            f"read_wdi_gdp: unknown series {series!r}; use 'current', 'per_capita' or 'constant2010'"
        )
    fname, code, col, unit = _GDP[series]
    path = fetch_file("wdi", fname)
    what = f"WDI GDP ({fname})"
    raw = read_csv(path, what, encoding="utf-8-sig", na_values="..", dtype={"Country Code": str})
    if series == "constant2010":
        require_columns(raw, ["Country Name", "Country Code", "Series Code", "Time", "Value"], what, path)
        raw = raw[raw["Country Code"].notna() & (raw["Series Code"] == code)]  # drop the DataBank footer
        long = raw.rename(
            columns={"Country Code": "iso3", "Country Name": "country", "Time": "year", "Value": col}
        )
    else:
        require_columns(raw, ["Country Name", "Country Code", "Series Code"], what, path)
        years = [c for c in raw.columns if c.endswith("]") and c[:4].isdigit()]
        if not years:
            raise ValidationError(f"{what}: no year columns like '2019 [YR2019]' found")
        raw = raw[raw["Series Code"] == code]
        if raw.empty:
            raise ValidationError(f"{what}: series {code} not in the file")
        long = raw.melt(
            id_vars=["Country Code", "Country Name"], value_vars=years, var_name="year", value_name=col
        )
        long["year"] = long["year"].str[:4]
        long = long.rename(columns={"Country Code": "iso3", "Country Name": "country"})
    long[col] = pd.to_numeric(long[col], errors="coerce")
    long = long[long[col].notna()]
    long, dropped = _countries_only(long, "iso3", what)
    notes = [f"World Bank WDI {code} ({unit})."]
    if series == "constant2010":
        notes.append(
            "Constant 2010 USD: not consistent with current-dollar trade; use series='current' for GE baselines."
        )
    out = make_country_year(
        long.sort_values(["iso3", "year"]),
        columns=[col, "country"],
        dataset="wdi",
        units={col: unit},
        notes=notes,
        attrs={"unit": unit, "series": code, "dropped_aggregates": dropped},
    )
    return validate_country_year(out, columns=[col], what=what)


def _read_api_xls(path: object, what: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*xlrd.*", category=Warning)
        data = read_excel(path, what, sheet_name="Data", header=3)
        meta = read_excel(path, what, sheet_name="Metadata - Countries")
    return data, meta


def read_wdi_tariffs_2025(
    indicator: Literal["MFN", "applied"] = "MFN", *, include_aggregates: bool = False
) -> pd.DataFrame:
    """Read WDI weighted-mean tariffs (vintage 2025-10-07) from the original ``.xls`` downloads.

    Parameters
    ----------
    indicator
        ``"MFN"`` (TM.TAX.MRCH.WM.FN.ZS) or ``"applied"`` (TM.TAX.MRCH.WM.AR.ZS).
    include_aggregates
        Keep regional aggregates (economies without a Region in the metadata sheet).

    Returns
    -------
    pandas.DataFrame
        ``iso3, year, tariff_pct, country`` (percent, weighted by the
        reporter's imports), non-missing values only.
    """
    if indicator not in TARIFF_SERIES:
        raise ValidationError(
            f"read_wdi_tariffs_2025: indicator must be 'MFN' or 'applied', got {indicator!r}"
        )
    fname = _TARIFF_FILES[indicator]
    what = f"WDI tariffs ({fname})"
    data, meta = _read_api_xls(fetch_file("wdi_tariffs_2025", fname), what)
    require_columns(data, ["Country Name", "Country Code", "Indicator Code"], what, fname)
    require_columns(meta, ["Country Code", "Region"], what, fname)
    codes = set(data["Indicator Code"].dropna())
    if codes != {TARIFF_SERIES[indicator]}:
        raise ValidationError(f"{what}: expected indicator {TARIFF_SERIES[indicator]}, found {sorted(codes)}")
    years = [c for c in data.columns if str(c).split(".")[0].isdigit()]
    long = data.melt(
        id_vars=["Country Code", "Country Name"], value_vars=years, var_name="year", value_name="tariff_pct"
    )
    long["year"] = long["year"].astype(str).str[:4]
    long["tariff_pct"] = pd.to_numeric(long["tariff_pct"], errors="coerce")
    long = long[long["tariff_pct"].notna()].rename(
        columns={"Country Code": "iso3", "Country Name": "country"}
    )
    aggregates = set(meta.loc[meta["Region"].isna(), "Country Code"])
    is_agg = long["iso3"].isin(aggregates)
    if not include_aggregates:
        long = long[~is_agg]
    out = make_country_year(
        long.sort_values(["iso3", "year"]),
        columns=["tariff_pct", "country"],
        dataset="wdi_tariffs_2025",
        units={"tariff_pct": "percent"},
        notes=(f"WDI {TARIFF_SERIES[indicator]}: {indicator} tariff, weighted mean, all products (%).",),
        attrs={"unit": "percent", "series": TARIFF_SERIES[indicator], "indicator": indicator},
    )
    return validate_country_year(
        out, columns=["tariff_pct"], extra_codes=aggregates if include_aggregates else (), what=what
    )


def read_wdi_tariff_subset47(indicator: Literal["MFN", "applied"] = "MFN") -> pd.DataFrame:
    """Read the 47-country WDI tariff extract using its corrected ``indicator`` column.

    The source's ``indicator_name`` labels were swapped; the file's
    ``indicator`` column, derived from the series code, is used and checked
    against ``series`` (AR.ZS = applied, FN.ZS = MFN).

    Parameters
    ----------
    indicator : {"MFN", "applied"}, default "MFN"
        Weighted-mean MFN or applied tariff.

    Returns
    -------
    pandas.DataFrame
        Country-year table ``iso3, year, tariff_pct`` (percent), rows without
        a value dropped.

    Raises
    ------
    ValidationError
        Unknown ``indicator``, missing columns, or an ``indicator`` column that
        disagrees with the series code.
    """
    if indicator not in TARIFF_SERIES:
        raise ValidationError(
            f"read_wdi_tariff_subset47: indicator must be 'MFN' or 'applied', got {indicator!r}"
        )
    fname = "WDI_tariff_rates_2005_2022_subset47.csv"
    what = f"WDI tariffs ({fname})"
    path = fetch_file("wdi", fname)
    raw = read_csv(path, what, dtype={"country_code": str})
    require_columns(raw, ["country_code", "year", "series", "value", "indicator"], what, path)
    expected = raw["series"].map({v: f"{k.upper()}_WEIGHTED" for k, v in TARIFF_SERIES.items()})
    wrong = expected != raw["indicator"]
    if wrong.any():
        raise ValidationError(
            f"{what}: the 'indicator' column disagrees with the series code in {int(wrong.sum())} rows "
            f"(e.g. {raw.loc[wrong, ['country_code', 'year', 'series', 'indicator']].head(3).to_numpy().tolist()}); the series code is authoritative"
        )
    sub = raw[raw["series"] == TARIFF_SERIES[indicator]].rename(
        columns={"country_code": "iso3", "value": "tariff_pct"}
    )
    sub = sub[pd.to_numeric(sub["tariff_pct"], errors="coerce").notna()]
    out = make_country_year(
        sub,
        columns=["tariff_pct"],
        dataset="wdi",
        units={"tariff_pct": "percent"},
        notes=("47-country WDI extract; labels corrected from series codes.",),
        attrs={"unit": "percent", "series": TARIFF_SERIES[indicator], "indicator": indicator},
    )
    return validate_country_year(out, columns=["tariff_pct"], what=what)
