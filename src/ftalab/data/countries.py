"""Country registry: ISO 3166-1 alpha-3 codes, names and UN M49 numeric codes.

The table ships with the package (``registry_data/countries.csv``): the ISO
3166-1 list (current codes), Kosovo as ``XKX`` (the World Bank's code, used in
the DTA and WDI files) and the withdrawn codes of ISO 3166-3 (``YUG``, ``SUN``,
``CSK``, ``ZAR``, ...) so that historical data validate. Mapping *between*
codes (``ROM`` -> ``ROU``, ``ZAR`` -> ``COD``) is the job of
:mod:`ftalab.data.concordance`, not of this module.

Examples
--------
>>> from ftalab.data.countries import country_name, m49_code
>>> country_name("KGZ")
'Kyrgyzstan'
>>> m49_code("IND")
'356'
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterable
from importlib import resources

import pandas as pd

from ftalab.errors import ValidationError

__all__ = [
    "country_table",
    "country_name",
    "m49_code",
    "is_known_iso3",
    "check_iso3",
]


@functools.cache
def _table() -> pd.DataFrame:
    text = resources.files("ftalab.data").joinpath("registry_data/countries.csv").read_text("utf-8")
    df = pd.read_csv(io.StringIO(text), comment="#", dtype=str, keep_default_na=False)
    return df.set_index("iso3", drop=False)


def country_table(include_historical: bool = True) -> pd.DataFrame:
    """Return the country table (a copy).

    Parameters
    ----------
    include_historical : bool, default True
        Keep the withdrawn ISO 3166-3 codes (``status == "historical"``).

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3, m49, name, official_name, status, valid_until, note``;
        ``status`` is ``current``, ``user-assigned`` (XKX) or ``historical``.
    """
    df = _table().reset_index(drop=True)
    if not include_historical:
        df = df[df["status"] != "historical"]
    return df.copy()


def is_known_iso3(code: str) -> bool:
    """True when ``code`` is a known ISO3 code (current, XKX or historical)."""
    return isinstance(code, str) and code in _table().index


def _lookup(code: str) -> pd.Series:
    if not is_known_iso3(code):
        raise ValidationError(
            f"unknown country code {code!r}: expected an ISO 3166-1 alpha-3 code such as "
            "'CHN' or 'KAZ' (see ftalab.data.countries.country_table())"
        )
    return _table().loc[code]


def country_name(code: str) -> str:
    """Short English name of an ISO3 code (raises ValidationError if unknown)."""
    return str(_lookup(code)["name"])


def m49_code(code: str) -> str | None:
    """UN M49 numeric code as a 3-digit string, or None where there is none (XKX)."""
    value = str(_lookup(code)["m49"])
    return value.zfill(3) if value else None


def check_iso3(codes: Iterable[str], what: str = "country codes") -> list[str]:
    """Check that every code is a known ISO3 code; return them as a list.

    Raises
    ------
    ValidationError
        Naming every unknown code, so the user can fix all of them at once.
    """
    codes = list(codes)
    unknown = sorted({str(c) for c in codes if not is_known_iso3(c)})
    if unknown:
        raise ValidationError(
            f"unknown {what}: {', '.join(repr(c) for c in unknown)}; use ISO 3166-1 alpha-3 "
            "codes (old codes such as ROM or ZAR go through ftalab.data.concordance first)"
        )
    return codes
