"""UNCTADstat readers: 2015 merchandise trade matrix and TRAINS MFN averages.

The 2015 matrix is read from the original Stata files ``orig/15DiGraph_*.dta``
(columns ``source``, ``target``, ``edgewidth``; source/target are UNCTAD
economy names), so it works wherever those files can be downloaded; names are
mapped to ISO3 by :func:`ftalab.data.concordance.unctad_name_to_iso3`.
Pairs absent from the files were not reported: they are *unknown*, not zero.
Only reported pairs are returned; :func:`unctad_2015_matrix` builds the N×N
matrix with NaN for the unknown cells.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ftalab.data.concordance import unctad_name_to_iso3
from ftalab.data.readers._common import read_csv, read_stata, require_columns
from ftalab.data.registry import fetch_file
from ftalab.data.tables import flows_to_matrix, make_country_year, make_flows
from ftalab.data.validation import validate_country_year, validate_flows
from ftalab.errors import DataError, ValidationError

__all__ = [
    "UNCTAD_SECTIONS",
    "read_unctad_mfn_tariffs_manuf",
    "read_unctad_trade_matrix_2015",
    "unctad_2015_matrix",
]

logger = logging.getLogger(__name__)

DATASET = "unctad_trade_matrix_2015"
UNIT = "thousand USD"

#: SITC 1-digit sections in the 2015 matrix (they sum to ``"All"``).
UNCTAD_SECTIONS: tuple[str, ...] = (
    "SITC0_Food",
    "SITC1_BevTobacco",
    "SITC2_Crude",
    "SITC3_MineralFuels",
    "SITC4_AnimalVegOils",
    "SITC5_Chemicals",
    "SITC6_Manuf",
    "SITC7_Machinery",
    "SITC8_Misc",
    "SITC9_Commodities",
)

NOTES = (
    "UNCTADstat merchandise trade matrix, exports, 2015; goods only; exporter-reported values.",
    "Pairs not in the table were not reported: unknown, not zero (see unctad_2015_matrix).",
)


def _section(product: str) -> str:
    if product == "All":
        return "All"
    for s in UNCTAD_SECTIONS:
        if product in (s, s.split("_")[0]):
            return s
    raise ValidationError(
        f"read_unctad_trade_matrix_2015: unknown product {product!r}; use 'All', None (all "
        f"sections) or one of {', '.join(UNCTAD_SECTIONS)} (or its short form, e.g. 'SITC7')"
    )


def _read_section(path: object, section: str) -> pd.DataFrame:
    what = f"UNCTAD 2015 matrix ({section})"
    raw = read_stata(path, what)
    require_columns(raw, ["source", "target", "edgewidth"], what, path)
    if len(raw) == 0:
        raise DataError(f"{what}: {path} has no rows (truncated file?)")
    value = pd.to_numeric(raw["edgewidth"], errors="coerce")
    if value.isna().any():
        bad = raw.loc[value.isna(), ["source", "target"]].head(5).to_numpy().tolist()
        raise ValidationError(
            f"{what}: {int(value.isna().sum())} rows have no numeric trade value, e.g. {bad}"
        )
    df = pd.DataFrame(
        {
            "exporter": unctad_name_to_iso3(
                raw["source"], what=f"{what}, source (exporter) names"
            ).to_numpy(),
            "importer": unctad_name_to_iso3(
                raw["target"], what=f"{what}, target (importer) names"
            ).to_numpy(),
            "sector": section,
            "value": value.to_numpy(dtype="float64"),
        }
    )
    return df


def read_unctad_trade_matrix_2015(
    product: str | None = "All", *, path: str | Path | None = None
) -> pd.DataFrame:
    """Read UNCTAD's 2015 merchandise export matrix as canonical flows.

    Parameters
    ----------
    product
        ``"All"`` (default, all products), one SITC section (``"SITC3_MineralFuels"``
        or ``"SITC3"``), or ``None`` for all ten sections stacked (they sum to ``All``).
    path
        A folder holding ``15DiGraph_<section>.dta`` files in the same layout
        (default: the registered files).

    Returns
    -------
    pandas.DataFrame
        Flows ``exporter, importer, year (2015), [sector], value`` in thousand
        USD, reported pairs only (27,473 for ``All``). A ``sector`` column is
        present unless ``product="All"``.

    Raises
    ------
    DataError, ValidationError
        On a damaged file, an unknown UNCTAD name, negative or duplicate values.
    """
    sections = list(UNCTAD_SECTIONS) if product is None else [_section(product)]

    def locate(sec: str) -> Path:
        return (
            Path(path) / f"15DiGraph_{sec}.dta"
            if path is not None
            else fetch_file(DATASET, f"orig/15DiGraph_{sec}.dta")
        )

    parts = [_read_section(locate(s), s) for s in sections]
    df = pd.concat(parts, ignore_index=True)
    df["year"] = 2015
    with_sector = product != "All"
    flows = make_flows(
        df,
        unit=UNIT,
        sector="sector" if with_sector else None,
        dataset=DATASET,
        notes=NOTES,
        attrs={
            "product": "All" if not with_sector else (product or "all sections"),
            "valuation": "exporter-reported",
        },
    )
    return validate_flows(flows, unit=UNIT, what=f"UNCTAD 2015 matrix ({product or 'all sections'})")


def unctad_2015_matrix(
    product: str = "All", *, countries: Sequence[str] | None = None, flows: pd.DataFrame | None = None
) -> pd.DataFrame:
    """N×N export matrix for 2015 with NaN where no value was reported.

    Parameters
    ----------
    product
        ``"All"`` or one SITC section.
    countries
        Row/column order (default: every economy in the file, sorted).
    flows
        An already read table from :func:`read_unctad_trade_matrix_2015` (saves a re-read).

    Returns
    -------
    pandas.DataFrame
        Exporters × importers, thousand USD; the diagonal is NaN (no domestic flows).
    """
    if flows is None:
        flows = read_unctad_trade_matrix_2015(product)
    elif "sector" in flows.columns:
        flows = flows[flows["sector"] == _section(product)]
    return flows_to_matrix(flows.drop(columns=["sector"], errors="ignore"), countries=countries)


_MFN_DATASET = "unctad_mfn_tariffs_manuf"
_MFN_GROUPS = (
    "Manufactured goods, ores and metals",
    "Ores and metals",
    "Manufactured goods",
    "Chemical products",
    "Machinery and transport equipment",
    "Other manufactured goods",
)
# Former economies that overlap their successors in the file; kept only on request.
_HISTORICAL = ("Indonesia (...2002)", "Sudan (...2011)", "Czechoslovakia", "Serbia and Montenegro")


def read_unctad_mfn_tariffs_manuf(
    product: str | None = None, *, include_aggregates: bool = False
) -> pd.DataFrame:
    """Read UNCTAD TRAINS MFN simple-average tariffs by product group (original export).

    Parameters
    ----------
    product
        One of the six product groups (e.g. ``"Manufactured goods, ores and metals"``),
        or ``None`` for all.
    include_aggregates
        Keep the ``EU28 (European Union)`` line (code ``EUN``).

    Returns
    -------
    pandas.DataFrame
        Country-year table ``iso3, year, product, market, mfn_simple_avg_pct``
        (percent), non-missing values only. Former economies (Indonesia before
        2002, Sudan before 2011, Czechoslovakia, Serbia and Montenegro) are left
        out because they overlap their successors.
    """
    if product is not None and product not in _MFN_GROUPS:
        raise ValidationError(
            f"read_unctad_mfn_tariffs_manuf: unknown product {product!r}; use one of {list(_MFN_GROUPS)} or None"
        )
    path = fetch_file(_MFN_DATASET, "us_tariff_06356461732761.csv")
    what = "UNCTAD MFN tariffs (us_tariff_06356461732761.csv)"
    raw = read_csv(path, what, encoding="latin-1", skiprows=4, dtype=str)
    raw = raw.rename(columns={raw.columns[0]: "market", raw.columns[1]: "product"})
    raw = raw[raw["market"].notna() & (raw["market"] != "MARKET")]
    years = [c for c in raw.columns if str(c).isdigit()]
    if not years or "YEAR" in raw.columns[:1]:
        raise ValidationError(f"{what}: no year columns found (expected 1988 ... 2017 after 4 header lines)")
    unknown_groups = sorted(set(raw["product"]) - set(_MFN_GROUPS))
    if unknown_groups:
        raise ValidationError(f"{what}: unexpected product group(s) {unknown_groups}")
    long = raw.melt(id_vars=["market", "product"], value_vars=years, var_name="year", value_name="raw")
    long["mfn_simple_avg_pct"] = pd.to_numeric(long["raw"].str.strip(), errors="coerce")
    odd = (
        long["raw"].notna()
        & long["mfn_simple_avg_pct"].isna()
        & ~long["raw"].str.strip().isin(["..", "_", ""])
    )
    if odd.any():
        raise ValidationError(
            f"{what}: non-numeric tariff values {sorted(long.loc[odd, 'raw'].unique())[:5]}"
        )
    long = long[long["mfn_simple_avg_pct"].notna() & ~long["market"].isin(_HISTORICAL)]
    agg = long["market"].str.startswith("EU28")
    if not include_aggregates:
        long = long[~agg]
        agg = agg[~agg]
    long = long.copy()
    long["iso3"] = np.where(agg, "EUN", None)
    long.loc[~agg, "iso3"] = unctad_name_to_iso3(
        long.loc[~agg, "market"], what=f"{what}, market names"
    ).to_numpy()
    if product is not None:
        long = long[long["product"] == product]
    long = long.sort_values(["iso3", "product", "year"])
    out = make_country_year(
        long,
        columns=["product", "market", "mfn_simple_avg_pct"],
        dataset=_MFN_DATASET,
        units={"mfn_simple_avg_pct": "percent"},
        notes=(
            "MFN simple averages (not applied or preferential rates); manufactures and ores/metals only.",
        ),
    )
    out.attrs["unit"] = "percent"
    checked = validate_country_year(
        out, columns=["mfn_simple_avg_pct"], extra_codes=["EUN"], extra_keys=["product"], what=what
    )
    return checked
