"""WTO final bound duties (simple average, all products) by member.

Reporter codes are ``"C"`` + UN M49 (``C156`` China, ``C699`` India in WTO's
Comtrade-style numbering); they are mapped to ISO3. Bound rates are ceilings:
never use them as applied rates.
"""

from __future__ import annotations

import pandas as pd

from ftalab.data.concordance import numeric_to_iso3
from ftalab.data.readers._common import read_csv, require_columns
from ftalab.data.registry import fetch_file
from ftalab.data.tables import make_country_year
from ftalab.data.validation import validate_country_year
from ftalab.errors import ValidationError

__all__ = ["read_wto_bound_tariffs"]

DATASET = "wto_tariffs"


def read_wto_bound_tariffs() -> pd.DataFrame:
    """Read WTO bound tariffs as a country table (no year).

    Returns
    -------
    pandas.DataFrame
        ``iso3, reporter_name, bound_simple_avg_pct, binding_coverage_pct,
        duty_free_share`` (percent, percent, fraction). The EU appears as
        ``EUN`` when present.
    """
    path = fetch_file(DATASET, "wto_bound_duty_all_products.csv")
    what = "WTO bound tariffs (wto_bound_duty_all_products.csv)"
    raw = read_csv(path, what, dtype={"reporter_code": str})
    cols = [
        "reporter_name",
        "reporter_code",
        "product_code",
        "simple_average",
        "binding_coverage",
        "duty_free_share",
    ]
    require_columns(raw, cols, what, path)
    products = set(raw["product_code"].astype(str))
    if products != {"TOTAL"}:
        raise ValidationError(f"{what}: expected product_code TOTAL only, found {sorted(products)[:5]}")
    df = raw.copy()
    eu = df["reporter_code"].str.strip().isin(["C918", "U918", "E918", "C097"])
    df["iso3"] = "EUN"
    df.loc[~eu, "iso3"] = numeric_to_iso3(
        df.loc[~eu, "reporter_code"], what=f"{what}, reporter_code"
    ).to_numpy()
    df = df.rename(
        columns={"simple_average": "bound_simple_avg_pct", "binding_coverage": "binding_coverage_pct"}
    )
    values = ["bound_simple_avg_pct", "binding_coverage_pct", "duty_free_share"]
    out = make_country_year(
        df.sort_values("iso3"),
        columns=["reporter_name", *values],
        year=None,
        dataset=DATASET,
        units={
            "bound_simple_avg_pct": "percent",
            "binding_coverage_pct": "percent",
            "duty_free_share": "fraction",
        },
        notes=("WTO final bound duties: ceilings, not applied rates.",),
        attrs={"unit": "percent"},
    )
    return validate_country_year(out, columns=values, extra_codes=["EUN"], what=what)
