"""Read the tables that ship inside the package (``registry_data/``, ``concordance_data/``).

One place for the package-resource plumbing, and the one loader of the
country table (``registry_data/countries.csv``), which both
:mod:`ftalab.data.countries` and :mod:`ftalab.data.concordance` read.
"""

from __future__ import annotations

import functools
import io
from importlib import resources
from typing import Any

import pandas as pd

__all__ = ["country_frame", "package_csv", "package_text"]

COUNTRIES_CSV = "registry_data/countries.csv"


def package_text(relative: str) -> str:
    """Text of a file under ``ftalab/data/``.

    Parameters
    ----------
    relative : str
        Path below ``ftalab/data/``, e.g. ``"registry_data/groups.toml"``.

    Returns
    -------
    str
        The file's text (UTF-8).
    """
    return resources.files("ftalab.data").joinpath(relative).read_text("utf-8")


def package_csv(relative: str, **kw: Any) -> pd.DataFrame:
    """A CSV file under ``ftalab/data/`` as a DataFrame.

    Lines starting with ``#`` are provenance comments and are skipped. Empty
    cells stay ``""`` rather than NaN, and ``"NA"`` (Namibia's alpha-2 code)
    stays text (``keep_default_na=False``).

    Parameters
    ----------
    relative : str
        Path below ``ftalab/data/``, e.g. ``"concordance_data/legacy_codes.csv"``.
    **kw
        Passed to :func:`pandas.read_csv` (e.g. ``dtype=str``).

    Returns
    -------
    pandas.DataFrame
    """
    lines = package_text(relative).splitlines(keepends=True)
    body = "".join(line for line in lines if not line.startswith("#"))
    return pd.read_csv(io.StringIO(body), keep_default_na=False, **kw)


@functools.cache
def country_frame() -> pd.DataFrame:
    """The whole country table ``registry_data/countries.csv`` (cached: do not modify).

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3, iso2, m49, name, official_name, status, valid_until,
        note``, all text, indexed by ``iso3``.
    """
    return package_csv(COUNTRIES_CSV, dtype=str).set_index("iso3", drop=False)
