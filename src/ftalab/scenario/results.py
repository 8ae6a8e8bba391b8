"""The result of a scenario run: tables, notes and the manifest (immutable).

Produced by :func:`ftalab.scenario.runner.run_scenario`, read by the report
and written to the output folder by :func:`write_tables`.

Conventions: every change is in percent (``100 * (new / old - 1)``); ``lo`` and
``hi`` are the Monte Carlo percentile interval (NaN when no draws were run).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd

__all__ = ["Note", "StudyResult", "write_tables", "TABLE_NAMES"]

NoteKind = Literal["data", "assumption", "caveat", "override"]


@dataclass(frozen=True)
class Note:
    """A statement the report must show: a data flag, an assumption, a caveat or an override."""

    kind: NoteKind
    text: str
    countries: tuple[str, ...] = ()


# Tables written to the output folder, in this order.
TABLE_NAMES = (
    "countries",        # iso3, name, member, gdp, exports, imports, domestic, flags
    "country_results",  # step, iso3, measure, value, lo, hi
    "pair_results",     # step, exporter, importer, baseline, shocked, cost_log_change, change_cond, change_full
    "sensitivity",      # kind, variant, iso3, measure, value
    "trade_effects",    # step, measure, baseline, new, change, change_pct
    "agreements",       # step, exporter, importer, agreement, type, entry
)


@dataclass(frozen=True)
class StudyResult:
    """Everything one run produced.

    Attributes
    ----------
    scenario_name, title, description : str
        From the scenario file.
    members : tuple of str
        Members of the agreement at the scenario date (ISO3).
    new_members : tuple of str
        Joining countries (enlargement scenarios), else empty.
    tables : dict of str -> DataFrame
        The tables in :data:`TABLE_NAMES`.
    notes : tuple of Note
        Data flags, assumptions, caveats and overrides, in report order.
    parameters : dict
        Parameters used (sigma, coefficients with SEs and sources, draws, seed, ...).
    citations : tuple of str
        Works and data the run used.
    manifest : dict
        Input checksums, package versions, parameters, seed, timings.
    """

    scenario_name: str
    title: str
    description: str
    members: tuple[str, ...]
    new_members: tuple[str, ...]
    tables: dict[str, pd.DataFrame]
    notes: tuple[Note, ...]
    parameters: dict[str, Any]
    citations: tuple[str, ...]
    manifest: dict[str, Any] = field(default_factory=dict)

    def table(self, name: str) -> pd.DataFrame:
        """A copy of table ``name``."""
        return self.tables[name].copy()

    def headline(self, step: str = "scenario", measure: str = "real_gdp") -> pd.DataFrame:
        """Per-country ``measure`` of ``step`` (value, lo, hi), indexed by ISO3."""
        cr = self.tables["country_results"]
        sel = cr[(cr["step"] == step) & (cr["measure"] == measure)]
        return sel.set_index("iso3")[["value", "lo", "hi"]].copy()


def write_tables(result: StudyResult, out: Path) -> dict[str, list[Path]]:
    """Write every table as CSV and Parquet into ``out/tables``; return the paths by table."""
    folder = Path(out) / "tables"
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, list[Path]] = {}
    for name in TABLE_NAMES:
        df = result.tables[name]
        csv = folder / f"{name}.csv"
        pq = folder / f"{name}.parquet"
        # float_format repr keeps every bit, so a rerun can be compared exactly.
        df.to_csv(csv, index=False, float_format="%.17g")
        df.to_parquet(pq, index=False)
        written[name] = [csv, pq]
    return written
