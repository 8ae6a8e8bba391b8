"""Country registry: ISO 3166-1 alpha-3 codes, names and UN M49 numeric codes.

The table ships with the package (``registry_data/countries.csv``, the one
country table of ftalab; :mod:`ftalab.data.concordance` reads it too): the ISO
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

from collections.abc import Iterable

import pandas as pd

from ftalab.data._package_data import country_frame
from ftalab.errors import ValidationError

__all__ = [
    "country_table",
    "country_name",
    "m49_code",
    "is_known_iso3",
    "check_iso3",
]


#: Columns returned by :func:`country_table` (the file also holds ``iso2``,
#: which :func:`ftalab.data.concordance.iso3_table` returns).
_COLUMNS = ["iso3", "m49", "name", "official_name", "status", "valid_until", "note"]


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
    df = country_frame().reset_index(drop=True)[_COLUMNS]
    if not include_historical:
        df = df[df["status"] != "historical"]
    return df.copy()


def is_known_iso3(code: str) -> bool:
    """Whether ``code`` is a code of the country table.

    Parameters
    ----------
    code : str
        An ISO 3166-1 alpha-3 code, upper case (``"chn"`` is not known).

    Returns
    -------
    bool
        True for current codes, ``XKX`` and withdrawn ISO 3166-3 codes
        (``YUG``, ``SUN``, ...); False for anything else, including non-text.

    See Also
    --------
    ftalab.data.concordance.is_known_iso3 : the narrower set the concordance
        maps to (current codes, ``XKX`` and the legacy codes it keeps as is).
    """
    return isinstance(code, str) and code in country_frame().index


def _lookup(code: str) -> pd.Series:
    if not is_known_iso3(code):
        raise ValidationError(
            f"unknown country code {code!r}: expected an ISO 3166-1 alpha-3 code such as "
            "'CHN' or 'KAZ' (see ftalab.data.countries.country_table())"
        )
    return country_frame().loc[code]


def country_name(code: str) -> str:
    """Short English name of a country.

    Parameters
    ----------
    code : str
        An ISO3 code known to :func:`is_known_iso3`.

    Returns
    -------
    str
        The ISO 3166 common name where there is one (``"Iran"``, ``"Taiwan"``).

    Raises
    ------
    ValidationError
        The code is not in the country table.
    """
    return str(_lookup(code)["name"])


def m49_code(code: str) -> str | None:
    """UN M49 (= ISO 3166-1 numeric) code of a country.

    Parameters
    ----------
    code : str
        An ISO3 code known to :func:`is_known_iso3`.

    Returns
    -------
    str or None
        Three digits, zero-padded (``"004"``), or None where the code has no
        numeric code (``XKX``, some withdrawn codes).

    Raises
    ------
    ValidationError
        The code is not in the country table.
    """
    value = str(_lookup(code)["m49"])
    return value.zfill(3) if value else None


def check_iso3(codes: Iterable[str], what: str = "country codes") -> list[str]:
    """Check that every code is a known ISO3 code; return them as a list.

    Parameters
    ----------
    codes : iterable of str
        The codes to check (consumed once).
    what : str, default "country codes"
        What the codes are, for the message (e.g. ``"exporters"``).

    Returns
    -------
    list of str
        The codes, in their order.

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
