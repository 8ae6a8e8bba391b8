"""World Input-Output Table 2011 (WIOD 2013 release), as an R data file.

``wiot_2011.RData`` holds an R list ``wiot_2011`` (class ``iot``) with
``year``, ``countries`` (40 economies + ``RoW``), ``industries`` (``c1`` …
``c35``, the 35 NACE rev. 1.1 industries of the 2013 release), ``inter``
(1435 × 1435 intermediate use, rows = supplying country × industry, columns
= using country × industry, country-major), ``final`` (1435 × 205: 5 final
uses × 41 regions) and ``output`` (1435 gross output), millions of USD.
It is read with the :mod:`rdata` package (no R needed).

Value added is the residual ``output − intermediate inputs`` per column: at
basic prices it includes net taxes on intermediate products and
international transport margins, which the table's extra rows would carry
(the R list keeps only the 1435 × 1435 block). The row sums of ``inter`` and
``final`` equal ``output`` to within 108 (of up to 3.4 million): rounding.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ftalab.data.readers._common import optional_import, per_file_cache
from ftalab.data.registry import fetch_file
from ftalab.errors import DataError, ValidationError

__all__ = ["WIOD_INDUSTRIES", "WiodTable", "read_wiod_2011", "read_wiod_file"]

logger = logging.getLogger(__name__)

DATASET = "wiod_2013"

#: WIOD 2013 release industries: code -> (NACE rev. 1.1 code, description)
#: (Timmer et al. 2015, Table 2; same order as the table's rows).
WIOD_INDUSTRIES: dict[str, tuple[str, str]] = {
    "c1": ("AtB", "Agriculture, hunting, forestry and fishing"),
    "c2": ("C", "Mining and quarrying"),
    "c3": ("15t16", "Food, beverages and tobacco"),
    "c4": ("17t18", "Textiles and textile products"),
    "c5": ("19", "Leather, leather products and footwear"),
    "c6": ("20", "Wood and products of wood and cork"),
    "c7": ("21t22", "Pulp, paper, printing and publishing"),
    "c8": ("23", "Coke, refined petroleum and nuclear fuel"),
    "c9": ("24", "Chemicals and chemical products"),
    "c10": ("25", "Rubber and plastics"),
    "c11": ("26", "Other non-metallic minerals"),
    "c12": ("27t28", "Basic metals and fabricated metal"),
    "c13": ("29", "Machinery, n.e.c."),
    "c14": ("30t33", "Electrical and optical equipment"),
    "c15": ("34t35", "Transport equipment"),
    "c16": ("36t37", "Manufacturing, n.e.c.; recycling"),
    "c17": ("E", "Electricity, gas and water supply"),
    "c18": ("F", "Construction"),
    "c19": ("50", "Sale, maintenance and repair of motor vehicles; retail sale of fuel"),
    "c20": ("51", "Wholesale trade and commission trade"),
    "c21": ("52", "Retail trade; repair of household goods"),
    "c22": ("H", "Hotels and restaurants"),
    "c23": ("60", "Inland transport"),
    "c24": ("61", "Water transport"),
    "c25": ("62", "Air transport"),
    "c26": ("63", "Supporting transport activities; travel agencies"),
    "c27": ("64", "Post and telecommunications"),
    "c28": ("J", "Financial intermediation"),
    "c29": ("70", "Real estate activities"),
    "c30": ("71t74", "Renting of machinery and equipment; other business activities"),
    "c31": ("L", "Public administration and defence; social security"),
    "c32": ("M", "Education"),
    "c33": ("N", "Health and social work"),
    "c34": ("O", "Other community, social and personal services"),
    "c35": ("P", "Private households with employed persons"),
}

# WIOD's own codes that are not ISO3
_CODES = {"ROM": "ROU", "RoW": "ROW"}
_FINAL_USES = 5


@dataclass(frozen=True, eq=False)
class WiodTable:
    """One year of the WIOD world input-output table.

    Attributes
    ----------
    year : int
    countries : list of str
        ISO3 codes (WIOD's ``ROM`` read as ``ROU``), ``"ROW"`` last.
    industries : list of str
        ``c1`` … ``c35`` (see :data:`WIOD_INDUSTRIES`).
    inter : numpy.ndarray
        Intermediate use, shape (N·I, N·I), rows supplying (country,
        industry), columns using (country, industry), country-major.
    final : numpy.ndarray
        Final use, shape (N·I, N·5).
    output : numpy.ndarray
        Gross output, shape (N·I,).
    """

    year: int
    countries: list[str]
    industries: list[str]
    inter: np.ndarray
    final: np.ndarray
    output: np.ndarray

    def __repr__(self) -> str:
        return f"WiodTable(year={self.year}, {len(self.countries)} regions x {len(self.industries)} industries)"

    @property
    def shape(self) -> tuple[int, int]:
        """(number of regions, number of industries)."""
        return len(self.countries), len(self.industries)

    def output_by_country(self) -> np.ndarray:
        """Gross output by [country, industry].

        Returns
        -------
        numpy.ndarray
            Shape (N, I), millions of USD.
        """
        n, i = self.shape
        return self.output.reshape(n, i)

    def inputs_by_country(self) -> np.ndarray:
        """Intermediate inputs by [using country, input industry, using industry], all sources summed.

        Returns
        -------
        numpy.ndarray
            Shape (N, I, I), millions of USD: purchases of industry ``k``'s
            goods (from any country) by industry ``j`` of country ``n``.
        """
        n, i = self.shape
        z = self.inter.reshape(n, i, n, i)  # source country, input, using country, using industry
        return z.sum(axis=0).transpose(1, 0, 2)

    def value_added(self) -> np.ndarray:
        """Value added (output minus intermediate inputs) by [country, industry].

        Returns
        -------
        numpy.ndarray
            Shape (N, I), millions of USD; includes net product taxes and
            international margins on inputs (see the module docstring).
        """
        return self.output_by_country() - self.inputs_by_country().sum(axis=1)


def _as_array(obj: Any, what: str) -> np.ndarray:
    values = getattr(obj, "values", obj)
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise DataError(f"{what}: not a numeric array") from None


@per_file_cache(maxsize=2)
def _parse(path: Path) -> WiodTable:
    what = f"WIOD file {path.name}"
    rdata = optional_import("rdata", what)
    try:
        with warnings.catch_warnings():
            # rdata has no constructor for R class "iot" and says so; the list below is what we want
            warnings.simplefilter("ignore", UserWarning)
            parsed = rdata.read_rda(path)
    except FileNotFoundError:
        raise DataError(f"{what}: file {path} does not exist") from None
    except Exception as exc:  # noqa: BLE001 - any parser failure is a damaged or foreign file
        raise DataError(
            f"{what}: cannot read {path} ({type(exc).__name__}: {exc}); it is damaged or not an R "
            "data file. Get it again (ftalab data fetch wiod_2013)."
        ) from None
    tables = [v for v in parsed.values() if isinstance(v, dict) and "inter" in v]
    if len(tables) != 1:
        raise DataError(f"{what}: expected one R list with 'inter', 'final', 'output'; found {list(parsed)}")
    raw = tables[0]
    missing = [k for k in ("year", "countries", "industries", "inter", "final", "output") if k not in raw]
    if missing:
        raise DataError(f"{what}: the R list lacks {missing}")
    countries = [_CODES.get(str(c), str(c)) for c in np.asarray(raw["countries"]).ravel()]
    industries = [str(c) for c in np.asarray(raw["industries"]).ravel()]
    inter = _as_array(raw["inter"], what)
    final = _as_array(raw["final"], what)
    output = _as_array(raw["output"], what).ravel()
    n, i = len(countries), len(industries)
    if inter.shape != (n * i, n * i) or final.shape != (n * i, n * _FINAL_USES) or output.shape != (n * i,):
        raise DataError(
            f"{what}: inter {inter.shape}, final {final.shape}, output {output.shape} do not fit "
            f"{n} regions x {i} industries"
        )
    if not (np.isfinite(inter).all() and np.isfinite(output).all() and (inter >= 0).all()):
        raise DataError(f"{what}: intermediate use or output has negative or non-finite values")
    if industries != list(WIOD_INDUSTRIES):
        raise DataError(f"{what}: industries {industries[:5]}... are not the 35 of the WIOD 2013 release")
    gap = np.abs(inter.sum(axis=1) + final.sum(axis=1) - output).max()
    if gap > 1e-3 * max(output.max(), 1.0):
        raise DataError(f"{what}: rows do not add up to output (largest gap {gap:.0f}); the file is inconsistent")
    return WiodTable(
        year=int(np.asarray(raw["year"]).ravel()[0]),
        countries=countries,
        industries=industries,
        inter=inter,
        final=final,
        output=output,
    )


def read_wiod_file(path: str | Path) -> WiodTable:
    """Read a WIOD 2013-release ``wiot_<year>.RData`` file from a path.

    Parameters
    ----------
    path : str or pathlib.Path
        The R data file (list with ``year, countries, industries, inter, final, output``).

    Returns
    -------
    WiodTable
        A copy the caller may modify.

    Raises
    ------
    DataError
        Missing, damaged or foreign file, or arrays that do not fit together.
    """
    t = _parse(path)
    return WiodTable(t.year, list(t.countries), list(t.industries), t.inter.copy(), t.final.copy(), t.output.copy())


def read_wiod_2011() -> WiodTable:
    """Read the registered WIOD world input-output table for 2011.

    Returns
    -------
    WiodTable
        41 regions (40 economies + ``ROW``) × 35 industries, millions of USD.

    Raises
    ------
    DataError
        The file is damaged or not in the expected layout.
    """
    table = read_wiod_file(fetch_file(DATASET, "wiot_2011.RData"))
    if table.year != 2011:
        raise ValidationError(f"{DATASET}/wiot_2011.RData says year {table.year}, not 2011")
    return table
