"""USITC ``gegravity`` example data: 30 countries, 2006, domestic flows included.

Comma-separated despite the ``.dlm`` suffix. gegravity's ``examples/README.md``
says trade, output and expenditure were derived from the Advanced Guide's
``1_TradeWithoutBorder.dta``; the values are that file's, rounded to integers
(checked in the tests), so the unit is **million USD**. ``DEU`` appears under
its own code here (the Advanced Guide file calls it ``ZZZ``).
"""

from __future__ import annotations

import pandas as pd

from ftalab.data.readers._common import read_csv, require_columns
from ftalab.data.registry import fetch_file
from ftalab.data.tables import make_flows
from ftalab.data.validation import validate_flows

__all__ = ["read_gegravity_sample"]

DATASET = "gegravity_sample"
UNIT = "million USD"
_COLUMNS = [
    "exporter",
    "importer",
    "year",
    "trade",
    "Y",
    "E",
    "pta",
    "contiguity",
    "common_language",
    "lndist",
    "international",
]


def read_gegravity_sample() -> pd.DataFrame:
    """Read the gegravity example data as canonical flows.

    Returns
    -------
    pandas.DataFrame
        ``exporter, importer, year, value`` (the file's ``trade``) and the
        covariates ``Y, E, pta, contiguity, common_language, lndist,
        international`` with their original names (as gegravity expects them).
    """
    path = fetch_file(DATASET, "sample_data_set.dlm")
    what = "gegravity sample (sample_data_set.dlm)"
    raw = read_csv(path, what, dtype={"exporter": str, "importer": str})
    require_columns(raw, _COLUMNS, what, path)
    flows = make_flows(
        raw,
        unit=UNIT,
        value="trade",
        extra=_COLUMNS[4:],
        dataset=DATASET,
        domestic=True,
        notes=(
            "USITC gegravity example data (Herman), 2006, 30 countries, domestic flows included.",
            "Values are the Advanced Guide's 1_TradeWithoutBorder.dta rounded to integers (million USD).",
        ),
    )
    return validate_flows(flows, domestic=True, unit=UNIT, what=what)
