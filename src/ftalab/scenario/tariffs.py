"""MFN tariffs by importer for the tariff channel (WDI weighted means, never bound rates).

Source: ``wdi_tariffs_2025``, series TM.TAX.MRCH.WM.FN.ZS (MFN, weighted mean,
all products). MFN, not "applied" (which already includes preferences), and
never WTO *bound* rates, which are ceilings several times the applied rates
(India's bound average 48.5 %, Pakistan's 60.8 %).

Year rule: the data year if present, else the nearest year with a value (ties:
the earlier year), skipping *spikes* — a value more than 1.5 times the median
of the economy's other years within five years (the 2019 values of BLR 10.95
and KGZ 17.50, and of many others, are such spikes in the source). Scenario
overrides replace the data and are named in the report.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ftalab.data.countries import country_name
from ftalab.errors import ScenarioError
from ftalab.scenario.results import Note

__all__ = ["mfn_by_importer", "spike_years", "SPIKE_RATIO"]

logger = logging.getLogger(__name__)

SPIKE_RATIO = 1.5


@functools.lru_cache(maxsize=1)
def _mfn_table() -> pd.DataFrame:
    from ftalab.data.readers.wdi import read_wdi_tariffs_2025

    return read_wdi_tariffs_2025(indicator="MFN")


def spike_years(series: pd.Series, ratio: float = SPIKE_RATIO, window: int = 5) -> list[int]:
    """Years whose value exceeds ``ratio`` times the median of the other years within ``window``."""
    out = []
    for year, value in series.items():
        near = series[(abs(series.index - year) <= window) & (series.index != year)]
        if len(near) >= 2 and value > ratio * float(near.median()):
            out.append(int(year))
    return out


def mfn_by_importer(
    codes: Sequence[str],
    year: int,
    *,
    required: Sequence[str] = (),
    overrides: Mapping[str, float] | None = None,
    table: pd.DataFrame | None = None,
) -> tuple[pd.Series, pd.DataFrame, list[Note]]:
    """MFN weighted-mean tariff (percent) per importer for the data year.

    Parameters
    ----------
    codes : sequence of str
        Every economy of the world.
    year : int
        The data year.
    required : sequence of str
        Economies that must have a rate (the members in a tariff scenario): a
        missing one is an error that asks for an override.
    overrides : mapping, optional
        Rates (percent) given by the scenario.
    table : DataFrame, optional
        ``iso3, year, tariff_pct`` (default: the registered WDI file).

    Returns
    -------
    (Series, DataFrame, list of Note)
        Rate in percent by ISO3; a detail table ``iso3, tariff_pct, year_used, source,
        skipped_spikes``; notes for the report.
    """
    overrides = dict(overrides or {})
    tab = _mfn_table() if table is None else table
    rows = []
    flagged: list[str] = []
    for code in codes:
        if code in overrides:
            rows.append((code, float(overrides[code]), np.nan, "scenario override", ""))
            continue
        s = tab.loc[tab["iso3"] == code].set_index("year")["tariff_pct"].astype(float).dropna().sort_index()
        if s.empty:
            rows.append((code, np.nan, np.nan, "none", ""))
            continue
        spikes = spike_years(s)
        usable = s.drop(index=spikes) if len(spikes) < len(s) else s
        dist = np.abs(usable.index.to_numpy() - year)
        # nearest year; ties -> the earlier year (index is sorted)
        pick = int(usable.index[int(np.argmin(dist))])
        skipped = [y for y in spikes if abs(y - year) <= abs(pick - year)]
        if skipped:
            flagged.append(f"{code} {','.join(map(str, skipped))}")
        rows.append((code, float(usable.loc[pick]), pick, "WDI MFN weighted mean", ",".join(map(str, spikes))))
    detail = pd.DataFrame(rows, columns=["iso3", "tariff_pct", "year_used", "source", "skipped_spikes"])
    missing_req = [c for c in required if detail.set_index("iso3").loc[c, "source"] == "none"]
    if missing_req:
        raise ScenarioError(
            "no MFN tariff in the WDI data for "
            + ", ".join(f"{country_name(c)} ({c})" for c in missing_req)
            + "; give one in the fta_tariff shock's tariff_overrides (percent, with a source in the scenario description)"
        )
    rate = detail.set_index("iso3")["tariff_pct"]
    notes: list[Note] = []
    have = detail[detail["source"] == "WDI MFN weighted mean"]
    off_year = have[have["year_used"] != year]
    notes.append(
        Note(
            "data",
            f"Tariffs: WDI MFN weighted means (TM.TAX.MRCH.WM.FN.ZS), never WTO bound rates; {len(have)} "
            f"importers have a value, {len(off_year)} of them from the nearest year other than {year}"
            + (
                " (" + ", ".join(f"{r.iso3} {int(r.year_used)}" for r in off_year.itertuples() if r.iso3 in required) + " among the members)"
                if any(c in required for c in off_year["iso3"]) else ""
            )
            + ".",
        )
    )
    if len(required):
        req = detail.set_index("iso3").loc[list(required)]
        notes.append(
            Note(
                "data",
                "MFN weighted-mean tariffs of the members (percent, year): "
                + ", ".join(
                    f"{c} {r.tariff_pct:.2f}" + (" (scenario override)" if r.source == "scenario override" else f" ({int(r.year_used)})")
                    for c, r in req.iterrows()
                )
                + ". Pairs inside an FTA or customs union face zero tariffs in the baseline; partial-scope partners pay these MFN rates.",
                tuple(required),
            )
        )
    spikes_all = detail[detail["skipped_spikes"] != ""]
    member_spikes = spikes_all[spikes_all["iso3"].isin(list(required))]
    if len(spikes_all):
        notes.append(
            Note(
                "data",
                f"Tariff spikes (a year above {SPIKE_RATIO}× the median of nearby years) were never used: "
                f"{len(spikes_all)} importers, e.g. "
                + ", ".join(f"{r.iso3} {r.skipped_spikes}" for r in (member_spikes if len(member_spikes) else spikes_all).head(12).itertuples())
                + " (the 2019 jumps of BLR and KGZ noted in the data provenance are among them).",
                tuple(member_spikes["iso3"]),
            )
        )
    for code, value in overrides.items():
        notes.append(Note("override", f"MFN tariff of {country_name(code)} ({code}) set by the scenario to {value:g}% (data not used).", (code,)))
    none = detail.loc[detail["source"] == "none", "iso3"].tolist()
    if none:
        notes.append(
            Note(
                "data",
                f"{len(none)} importers have no MFN tariff in the data ({', '.join(none[:15])}"
                + (" …" if len(none) > 15 else "")
                + "); their baseline tariffs are zero.",
                tuple(none),
            )
        )
    return rate, detail, notes
