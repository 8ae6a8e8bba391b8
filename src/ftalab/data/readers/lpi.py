"""World Bank Logistics Performance Index 2010-2016 (international LPI).

The file uses a few legacy codes (ROM for Romania, ZAR for DR Congo); they
are mapped to ISO3. Scores are on a 1-5 scale.
"""

from __future__ import annotations

import pandas as pd

from ftalab.data.concordance import to_iso3
from ftalab.data.readers._common import read_csv, require_columns
from ftalab.data.registry import fetch_file
from ftalab.data.tables import make_country_year
from ftalab.data.validation import validate_country_year
from ftalab.errors import ValidationError

__all__ = ["LPI_COLUMNS", "read_wb_lpi"]

DATASET = "wb_lpi"
#: Output column -> column in the file.
LPI_COLUMNS = {
    "lpi": "Overall LPI Score",
    "lpi_rank": "Overall LPI Rank",
    "customs": "Customs",
    "infrastructure": "Infrastructure",
    "international_shipments": "International Shipments",
    "logistics_competence": "Logistics Quality & Competence",
    "tracking_tracing": "Tracking & Tracing",
    "timeliness": "Timeliness",
}


def read_wb_lpi() -> pd.DataFrame:
    """Read the LPI editions 2010, 2012, 2014 and 2016 as a country-year table.

    Returns
    -------
    pandas.DataFrame
        ``iso3, year, country, lpi, lpi_rank, customs, infrastructure,
        international_shipments, logistics_competence, tracking_tracing,
        timeliness`` (scores 1-5; rank 1 = best).
    """
    path = fetch_file(DATASET, "lpi_2010_2016.csv")
    what = "World Bank LPI (lpi_2010_2016.csv)"
    raw = read_csv(path, what, dtype={"Code": str})
    require_columns(raw, ["Country", "Code", "Year", *LPI_COLUMNS.values()], what, path)
    df = raw.rename(columns={v: k for k, v in LPI_COLUMNS.items()})
    df = df.rename(columns={"Country": "country", "Year": "year"})
    for c in LPI_COLUMNS:
        df[c] = pd.to_numeric(df[c], errors="coerce")
    scores = [c for c in LPI_COLUMNS if c != "lpi_rank"]
    out_of_range = (df[scores] < 1) | (df[scores] > 5)
    if out_of_range.any().any():
        rows = df.loc[out_of_range.any(axis=1), ["Code", "year"]].head(5).to_numpy().tolist()
        raise ValidationError(f"{what}: LPI scores outside the 1-5 scale in rows {rows}")
    df["iso3"] = to_iso3(df["Code"], what=f"{what}, Code").to_numpy()
    out = make_country_year(
        df.sort_values(["iso3", "year"]),
        columns=["country", *LPI_COLUMNS],
        dataset=DATASET,
        units={c: "score 1-5" for c in scores} | {"lpi_rank": "rank"},
        notes=(
            "World Bank LPI (Arvis et al., Connecting to Compete 2010-2016); legacy codes ROM->ROU, ZAR->COD.",
        ),
        attrs={"unit": "score 1-5"},
    )
    return validate_country_year(out, columns=list(LPI_COLUMNS), what=what)
