"""USITC ITPD-E (International Trade and Production Database for Estimation).

Official CSV columns: ``exporter_iso3, exporter_name, importer_iso3,
importer_name, year, industry_id, industry_descr, broad_sector, trade,
flag_mirror, flag_zero``; ``trade`` in **million USD**; domestic flows
(exporter == importer, from production data) are included, as structural
gravity needs them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pandas as pd

from ftalab.data.concordance import to_iso3
from ftalab.data.readers._common import read_csv, require_columns
from ftalab.data.tables import make_flows
from ftalab.data.validation import validate_flows
from ftalab.errors import ValidationError

__all__ = ["read_itpd_e"]

UNIT = "million USD"
_REQUIRED = ["exporter_iso3", "importer_iso3", "year", "industry_id", "broad_sector", "trade"]
_OPTIONAL = ["industry_descr", "flag_mirror", "flag_zero"]


def read_itpd_e(
    path: str | Path, *, level: Literal["industry", "broad_sector", "total"] = "industry"
) -> pd.DataFrame:
    """Read ITPD-E in its official layout.

    Parameters
    ----------
    path
        The ITPD-E CSV (e.g. ``ITPDE_R02.csv``) you downloaded from USITC.
    level
        ``"industry"`` (``sector`` = ``industry_id``, with ``broad_sector`` and
        the flags kept), ``"broad_sector"`` (summed within Agriculture, Mining
        & Energy, Manufacturing, Services) or ``"total"``.

    Returns
    -------
    pandas.DataFrame
        Flows ``exporter, importer, year, [sector], value`` in million USD,
        domestic flows included (``attrs["domestic_flows"] = True``).
    """
    what = f"ITPD-E ({Path(path).name})"
    raw = read_csv(
        path,
        what,
        dtype={"exporter_iso3": str, "importer_iso3": str, "industry_id": str, "broad_sector": str},
    )
    require_columns(raw, _REQUIRED, what, path)
    value = pd.to_numeric(raw["trade"], errors="coerce")
    bad = value.isna() & raw["trade"].notna()
    if bad.any():
        raise ValidationError(f"{what}: non-numeric trade values at rows {list(raw.index[bad][:5])}")
    df = raw.assign(
        trade=value,
        exporter=to_iso3(raw["exporter_iso3"], what=f"{what}, exporter_iso3").to_numpy(),
        importer=to_iso3(raw["importer_iso3"], what=f"{what}, importer_iso3").to_numpy(),
    )
    extra = [c for c in ("broad_sector", *_OPTIONAL) if c in df.columns]
    notes = ("USITC ITPD-E (Borchert, Larch, Shikher & Yotov 2021): million USD, domestic flows included.",)
    if level == "industry":
        flows = make_flows(
            df,
            unit=UNIT,
            value="trade",
            sector="industry_id",
            extra=extra,
            dataset="itpd_e",
            domestic=True,
            notes=notes,
        )
    elif level in ("broad_sector", "total"):
        keys = ["exporter", "importer", "year"] + (["broad_sector"] if level == "broad_sector" else [])
        dup = df.duplicated([*keys[:3], "industry_id"], keep=False)
        if dup.any():
            raise ValidationError(
                f"{what}: duplicate exporter/importer/year/industry rows: {df.loc[dup, [*keys[:3], 'industry_id']].head(5).to_numpy().tolist()}"
            )
        agg = df.groupby(keys, as_index=False)["trade"].sum(min_count=1)
        flows = make_flows(
            agg,
            unit=UNIT,
            value="trade",
            sector="broad_sector" if level == "broad_sector" else None,
            dataset="itpd_e",
            domestic=True,
            notes=notes,
        )
    else:
        raise ValidationError(
            f"read_itpd_e: level must be 'industry', 'broad_sector' or 'total', got {level!r}"
        )
    flows.attrs["level"] = level
    return validate_flows(flows, domestic=True, unit=UNIT, unbalanced="ignore", what=what)
