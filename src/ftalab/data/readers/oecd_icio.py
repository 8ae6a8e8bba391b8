"""OECD Inter-Country Input-Output tables in the official CSV layout.

One CSV file per year (2023 edition: ``ICIO2023_<years>.zip`` → ``2020.csv``):
the first column (``V1``, or unnamed) holds row labels ``<country>_<industry>``
followed by the rows ``TLS`` (taxes less subsidies on products), ``VA``
(value added) and ``OUT`` (output); the columns are ``<country>_<industry>``
(intermediate use), ``<country>_<final use>`` (``HFCE, NPISH, GGFC, GFCF,
INVNT, DPABR``) and ``OUT``. The 2021 edition names the rows ``TAXSUB``,
``VALU``, ``OUTPUT`` and the total column ``TOTAL``; both are accepted.

China and Mexico are split into processing and non-processing parts
(``CN1``/``CN2``, ``MX1``/``MX2``) in the industry rows and columns; they are
summed into ``CHN`` and ``MEX`` (the OECD's own advice for country-level use).

The table is a user-supplied download (OECD, free); there is no registry
entry. :func:`read_oecd_icio_csv` returns an :class:`OecdIcioTable` whose
:meth:`~OecdIcioTable.bilateral_flows` has the shape and units of
:class:`ftalab.data.readers.icio.IcioWorld` flows ([sector, importer,
exporter], domestic on the diagonal).
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ftalab.data.readers._common import read_csv
from ftalab.errors import DataError, DataWarning, ValidationError

__all__ = ["FINAL_USES", "OecdIcioTable", "read_oecd_icio_csv"]

logger = logging.getLogger(__name__)

#: Final-use categories of the OECD ICIO (2021 and 2023 editions).
FINAL_USES: tuple[str, ...] = ("HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR", "NONRES", "DIRP", "P33")

_SPLIT = {"CN1": "CHN", "CN2": "CHN", "MX1": "MEX", "MX2": "MEX"}
_TAX_ROWS = ("TLS", "TAXSUB")
_VA_ROWS = ("VA", "VALU")
_OUT_LABELS = ("OUT", "OUTPUT", "TOTAL")


@dataclass(frozen=True, eq=False)
class OecdIcioTable:
    """An OECD ICIO table aggregated to countries (CN1/CN2, MX1/MX2 merged).

    Attributes
    ----------
    countries : list of str
    sectors : list of str
        Industry codes as in the file (e.g. ``A01_02``).
    inter : numpy.ndarray
        Shape (N, S, N, S) = [supplying country, sector, using country, using sector].
    final : numpy.ndarray
        Shape (N, S, N) = [supplying country, sector, purchasing country], all final uses summed
        (inventory changes can be negative).
    taxes : numpy.ndarray
        Shape (N, S): taxes less subsidies on the products each industry buys.
    value_added : numpy.ndarray
        Shape (N, S).
    output : numpy.ndarray
        Shape (N, S), from the ``OUT`` column.
    """

    countries: list[str]
    sectors: list[str]
    inter: np.ndarray
    final: np.ndarray
    taxes: np.ndarray
    value_added: np.ndarray
    output: np.ndarray

    def __repr__(self) -> str:
        return f"OecdIcioTable({len(self.countries)} countries x {len(self.sectors)} industries)"

    def bilateral_flows(self) -> np.ndarray:
        """Flows by [sector, importer, exporter]: intermediate plus final purchases.

        Returns
        -------
        numpy.ndarray
            Shape (S, N, N), units of the file (millions of USD), domestic on the diagonal.
        """
        total = self.inter.sum(axis=3) + self.final  # exporter, sector, importer
        return total.transpose(1, 2, 0)

    def va_shares(self) -> np.ndarray:
        """Value added / output by [country, sector] (NaN where output is 0).

        Returns
        -------
        numpy.ndarray
            Shape (N, S).
        """
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.output > 0, self.value_added / self.output, np.nan)

    def io_shares(self) -> np.ndarray:
        """Inputs per unit of gross output by [country, input sector, using sector] (all sources).

        Returns
        -------
        numpy.ndarray
            Shape (N, S, S) (NaN where output is 0). With :meth:`va_shares` and
            the product taxes on inputs: ``va + io.sum(axis=1) + taxes / output == 1``.
        """
        inputs = self.inter.sum(axis=0).transpose(1, 0, 2)  # using country, input sector, using sector
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.output[:, None, :] > 0, inputs / self.output[:, None, :], np.nan)


def _split_label(label: str, what: str) -> tuple[str, str]:
    if "_" not in label:
        raise ValidationError(f"{what}: label {label!r} is not <country>_<code>; is this an OECD ICIO CSV?")
    country, code = label.split("_", 1)
    return _SPLIT.get(country, country), code


def read_oecd_icio_csv(path: str | Path) -> OecdIcioTable:
    """Read one year of the OECD ICIO tables from the official CSV file.

    Parameters
    ----------
    path : str or pathlib.Path
        The CSV (e.g. ``2020.csv`` of the 2023 edition; ``.gz``/``.zip`` also read).

    Returns
    -------
    OecdIcioTable
        Countries in first-appearance order (CN1/CN2 → CHN, MX1/MX2 → MEX).

    Raises
    ------
    DataError
        Missing or damaged file.
    ValidationError
        Not the ICIO layout: no ``VA``/``OUT`` rows or ``OUT`` column, labels
        not ``<country>_<code>``, or an industry block that is not the same
        for every country.
    """
    what = f"OECD ICIO CSV {Path(path).name}"
    raw = read_csv(path, what, index_col=0)
    raw.index = raw.index.astype(str).str.strip()
    raw.columns = raw.columns.astype(str).str.strip()
    out_col = next((c for c in _OUT_LABELS if c in raw.columns), None)
    va_row = next((r for r in _VA_ROWS if r in raw.index), None)
    tax_row = next((r for r in _TAX_ROWS if r in raw.index), None)
    if out_col is None or va_row is None:
        raise ValidationError(
            f"{what}: no output column ({'/'.join(_OUT_LABELS)}) or value-added row ({'/'.join(_VA_ROWS)}); "
            "expected the OECD ICIO CSV layout (rows <country>_<industry>, then TLS, VA, OUT)"
        )
    values = raw.apply(pd.to_numeric, errors="coerce")
    if values.isna().any().any():
        bad = values.isna().stack()
        first = bad[bad].index[0]
        raise ValidationError(f"{what}: non-numeric or empty cell at row {first[0]!r}, column {first[1]!r}")
    special = set(_TAX_ROWS + _VA_ROWS + _OUT_LABELS)
    ind_rows = [r for r in values.index if r not in special]
    ind_set = set(ind_rows)
    ind_cols = [c for c in values.columns if c in ind_set]
    fd_cols = [c for c in values.columns if c not in ind_set and c not in _OUT_LABELS]
    if ind_cols != ind_rows:
        raise ValidationError(f"{what}: the intermediate-use columns are not the industry rows in the same order")
    parsed = [_split_label(r, what) for r in ind_rows]
    countries = list(dict.fromkeys(c for c, _ in parsed))
    sectors = list(dict.fromkeys(s for _, s in parsed))
    n, s = len(countries), len(sectors)
    ci = np.array([countries.index(c) for c, _ in parsed])
    si = np.array([sectors.index(k) for _, k in parsed])
    for c in countries:
        if {k for cc, k in parsed if cc == c} != set(sectors):
            raise ValidationError(f"{what}: country {c} does not have the same industries as the others")
    z = values.loc[ind_rows, ind_cols].to_numpy(float)
    inter = np.zeros((n, s, n, s))
    np.add.at(inter, (ci[:, None], si[:, None], ci[None, :], si[None, :]), z)
    final = np.zeros((n, s, n))
    for col in fd_cols:
        c, use = _split_label(col, what)
        if use not in FINAL_USES:
            raise ValidationError(f"{what}: column {col!r} is neither an industry nor a final use {FINAL_USES}")
        if c not in countries:
            raise ValidationError(f"{what}: final-use column {col!r} names a country without industries")
        np.add.at(final, (ci, si, countries.index(c)), values.loc[ind_rows, col].to_numpy(float))

    def by_country(row: np.ndarray) -> np.ndarray:
        acc = np.zeros((n, s))
        np.add.at(acc, (ci, si), row)
        return acc

    taxes = by_country(values.loc[tax_row, ind_cols].to_numpy(float)) if tax_row else np.zeros((n, s))
    va = by_country(values.loc[va_row, ind_cols].to_numpy(float))
    output = by_country(values.loc[ind_rows, out_col].to_numpy(float))
    gap = np.abs(inter.sum(axis=(2, 3)) + final.sum(axis=2) - output).max()
    if gap > 1e-6 * max(np.abs(output).max(), 1.0) + 0.5:
        raise ValidationError(f"{what}: rows do not add up to {out_col} (largest gap {gap:.3g}); truncated file?")
    flows = inter.sum(axis=3) + final
    if (flows < 0).any():
        warnings.warn(
            f"{what}: {(flows < 0).sum()} bilateral sector flows are negative (inventory changes larger "
            "than purchases); they are kept as published",
            DataWarning,
            stacklevel=2,
        )
    return OecdIcioTable(countries, sectors, inter, final, taxes, va, output)
