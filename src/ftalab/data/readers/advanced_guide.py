"""Yotov et al. (2016) *An Advanced Guide to Trade Policy Analysis* datasets.

Aggregate manufacturing trade among 69 countries (1986-2006) **including
domestic flows**, in current million USD, with gravity covariates. The Stata
files of the book's applications (``Chapter1Application1.dta``,
``1_TradeWithoutBorder.dta``, ...) and the R package's
``agtpa_applications`` table are available. Column names are lower-cased
(``DIST`` -> ``dist``, ``RTA`` -> ``rta``), ``trade`` becomes the canonical
``value``, ``ROM`` becomes ``ROU``; ``ZZZ`` is kept: it is Germany (DEU),
renamed by the book so that it sorts last and serves as the reference country
in the Chapter 2 GE applications.
"""

from __future__ import annotations

import pandas as pd

from ftalab.data.concordance import to_iso3
from ftalab.data.readers._common import read_csv, read_stata, require_columns
from ftalab.data.registry import fetch_file, get_dataset
from ftalab.data.tables import make_flows
from ftalab.data.validation import validate_flows
from ftalab.errors import ValidationError

__all__ = ["advanced_guide_files", "read_advanced_guide"]

DATASET = "advanced_guide"
UNIT = "million USD"


def advanced_guide_files() -> list[str]:
    """Names accepted by :func:`read_advanced_guide`.

    Returns
    -------
    list of str
        The registered files' stems, sorted.
    """
    return sorted(f.path.split(".")[0] for f in get_dataset(DATASET).files)


def read_advanced_guide(file: str = "agtpa_applications", *, harmonize: bool = True) -> pd.DataFrame:
    """Read one Advanced Guide dataset as canonical flows with covariates.

    Parameters
    ----------
    file
        ``"agtpa_applications"`` (default) or a ``.dta`` stem such as
        ``"Chapter1Application1"`` or ``"1_TradeWithoutBorder"`` (see
        :func:`advanced_guide_files`).
    harmonize
        Map legacy codes (``ROM`` -> ``ROU``). ``ZZZ`` (Germany as the
        reference country) is kept either way.

    Returns
    -------
    pandas.DataFrame
        ``exporter, importer, year, value`` (million USD, domestic flows
        included) followed by the file's other columns in lower case.
    """
    stem = file.removesuffix(".dta").removesuffix(".csv.gz")
    names = advanced_guide_files()
    if stem not in names:
        raise ValidationError(f"read_advanced_guide: unknown file {file!r}; choose one of {names}")
    what = f"Advanced Guide ({stem})"
    if stem == "agtpa_applications":
        path = fetch_file(DATASET, "agtpa_applications.csv.gz")
        raw = read_csv(path, what, dtype={"exporter": str, "importer": str})
    else:
        path = fetch_file(DATASET, f"{stem}.dta")
        raw = read_stata(path, what)
    df = raw.rename(columns=str.lower)
    require_columns(df, ["exporter", "importer", "year", "trade"], what, path)
    if harmonize:
        for c in ("exporter", "importer"):
            df[c] = to_iso3(df[c], keep=["ZZZ"], what=f"{what}, {c}").to_numpy()
    if "pair_id" in df.columns:
        df["pair_id"] = pd.to_numeric(df["pair_id"]).astype("Int64")
    extra = [c for c in df.columns if c not in ("exporter", "importer", "year", "trade")]
    flows = make_flows(
        df,
        unit=UNIT,
        value="trade",
        extra=extra,
        dataset=DATASET,
        domestic=True,
        notes=(
            "Yotov et al. (2016) Advanced Guide data: manufacturing, current million USD, domestic flows included.",
            "ZZZ, where present, is Germany renamed by the book as the reference country.",
        ),
        attrs={"file": stem},
    )
    return validate_flows(flows, domestic=True, unit=UNIT, extra_codes=["ZZZ", "ROM"], what=what)
