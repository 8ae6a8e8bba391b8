"""Cleaning the ICIO tariffs before use, with every fix reported.

The bilateral applied tariffs in the ICIO files (Teti's Global Tariff
Database mapped to 28 ICIO sectors by tariffwar) have known defects. The
rules below are applied in this order; each changed cell is one row of the
fix table (``rule, importer, exporter, sector, before, after``):

1. ``services_zero`` — services carry non-zero "tariffs" in the files
   (IND on DEU services: 16.3 % in 2022). Tariffs are levied on goods; the
   services aggregate is set to 0.
2. ``domestic_zero`` — a country's tariff on its own sales is 0 (the files
   already have zeros; a non-zero cell would be fixed here).
3. ``customs_union_zero`` — goods traded inside a customs union pay no
   tariff: the EAEU (the 2010 Customs Union of BLR, KAZ, RUS; from 2015 the
   EAEU with ARM and KGZ) and the EU (members on 31 December of the year).
   The files read 0.4–2 % between RUS, BLR and KAZ.
4. ``eaeu_common_tariff`` — the EAEU members apply one common external
   tariff, with one scheme of preferences. In the files RUS's rates on 21
   preference-receiving developing economies (CHN, IND, PAK, BRA, ZAF, …) are
   0–1.3 %, the same as its CIS-FTA rates, while BLR and KAZ apply 5–18 % on
   the same partner and sector. Rule: for a goods sector and a partner
   outside the union, a member's rate that is below a third of the median of
   the members' rates **and** more than 1 percentage point below it is
   replaced by that median (with three members, the middle rate). A rate the
   whole union grants (an EAEU FTA, e.g. VNM from 2016) moves the median too
   and is left alone; KAZ's own lower rates under its WTO accession schedule
   (e.g. food, C10T12, 12.7 % against RUS's 28.3 % in 2021) stay inside the
   band and are kept. On 2011-2022 the rule changes 546-586 RUS cells per year
   (21-29 partners) and 5 KAZ cells on UKR in 2011-2015.

``ROW``'s tariffs are 0 in both directions: there is no tariff for the
aggregate. They are *unknown*, not free trade; they are kept at 0 and the
table carries two ``row_unknown_kept`` rows (one per direction) saying so.
A sector world that carves members out of ROW (:mod:`ftalab.data.sector_world`)
gives them their own rates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ftalab.data.groups import members
from ftalab.data.readers.icio import IcioWorld

__all__ = ["EU_MEMBERSHIP", "FIX_COLUMNS", "clean_icio_tariffs", "customs_unions", "fix_summary"]

#: Columns of the fix table.
FIX_COLUMNS = ["rule", "importer", "exporter", "sector", "before", "after"]

#: EU membership spells of economies that can appear in a sector world (Treaties
#: of Accession; the UK's withdrawal agreement, in force 1 February 2020).
EU_MEMBERSHIP: dict[str, tuple[str, str | None]] = {
    **{c: ("1958-01-01", None) for c in ("BEL", "DEU", "FRA", "ITA", "LUX", "NLD")},
    **{c: ("1973-01-01", None) for c in ("DNK", "IRL")},
    "GBR": ("1973-01-01", "2020-01-31"),
    "GRC": ("1981-01-01", None),
    **{c: ("1986-01-01", None) for c in ("ESP", "PRT")},
    **{c: ("1995-01-01", None) for c in ("AUT", "FIN", "SWE")},
    **{c: ("2004-05-01", None) for c in ("CYP", "CZE", "EST", "HUN", "LTU", "LVA", "MLT", "POL", "SVK", "SVN")},
    **{c: ("2007-01-01", None) for c in ("BGR", "ROU")},
    "HRV": ("2013-07-01", None),
}

_RELATIVE = 1 / 3  # a member's rate below a third of the union's median is out of line ...
_ABSOLUTE = 0.01  # ... when it is also more than 1 percentage point below it


def customs_unions(year: int) -> dict[str, list[str]]:
    """Members of the customs unions on 31 December of ``year``.

    Parameters
    ----------
    year : int
        The data year.

    Returns
    -------
    dict of str to list of str
        ``{"EAEU": [...], "EU": [...]}``; the EAEU is the 2010 Customs Union
        (BLR, KAZ, RUS) before 2015 (from the country registry's groups).
    """
    end = dt.date(int(year), 12, 31)
    eaeu = members("EAEU", end) if year >= 2015 else members("EAEU_CU", end)
    eu = sorted(
        c
        for c, (start, stop) in EU_MEMBERSHIP.items()
        if dt.date.fromisoformat(start) <= end and (stop is None or dt.date.fromisoformat(stop) >= end)
    )
    return {"EAEU": eaeu, "EU": eu}


def _record(
    rows: list[pd.DataFrame], rule: str, world: IcioWorld, tariffs: np.ndarray, mask: np.ndarray, after: np.ndarray
) -> None:
    """Append the changed cells of ``mask`` (s, importer, exporter) and apply ``after``."""
    changed = mask & (tariffs != after)
    s, i, j = np.nonzero(changed)
    if s.size:
        rows.append(
            pd.DataFrame(
                {
                    "rule": rule,
                    "importer": np.asarray(world.countries, dtype=object)[i],
                    "exporter": np.asarray(world.countries, dtype=object)[j],
                    "sector": np.asarray(world.sectors, dtype=object)[s],
                    "before": tariffs[s, i, j],
                    "after": after[s, i, j],
                }
            )
        )
    tariffs[changed] = after[changed]


def _index(world: IcioWorld, codes: Iterable[str]) -> list[int]:
    return [world.countries.index(c) for c in codes if c in world.countries]


def clean_icio_tariffs(world: IcioWorld) -> tuple[np.ndarray, pd.DataFrame]:
    """Clean an ICIO world's tariffs and report every fix.

    Parameters
    ----------
    world : IcioWorld
        From :func:`ftalab.data.readers.icio.read_icio`; not modified.

    Returns
    -------
    tariffs : numpy.ndarray
        Cleaned tariffs, same shape as ``world.tariffs`` ([sector, importer,
        exporter], fractions).
    fixes : pandas.DataFrame
        One row per changed cell: ``rule, importer, exporter, sector, before,
        after`` (rules in the module docstring), plus the two
        ``row_unknown_kept`` rows documenting ROW's zeros.

    Examples
    --------
    >>> from ftalab.data.readers.icio import read_icio
    >>> tariffs, fixes = clean_icio_tariffs(read_icio(2022))
    >>> sorted(fixes["rule"].unique())
    ['customs_union_zero', 'eaeu_common_tariff', 'row_unknown_kept', 'services_zero']
    """
    t = world.tariffs.copy()
    shape = t.shape
    rows: list[pd.DataFrame] = []
    zeros = np.zeros(shape)

    # 1. services are not tariffed
    mask = np.zeros(shape, dtype=bool)
    mask[world.services_sector] = True
    _record(rows, "services_zero", world, t, mask, zeros)

    # 2. no tariff on domestic sales
    mask = np.zeros(shape, dtype=bool)
    n = len(world.countries)
    mask[:, np.arange(n), np.arange(n)] = True
    _record(rows, "domestic_zero", world, t, mask, zeros)

    # 3. inside customs unions
    unions = customs_unions(world.year)
    mask = np.zeros(shape, dtype=bool)
    for codes in unions.values():
        idx = _index(world, codes)
        mask[np.ix_(np.arange(shape[0]), idx, idx)] = True
    _record(rows, "customs_union_zero", world, t, mask, zeros)

    # 4. one common external tariff in the EAEU
    eaeu = _index(world, unions["EAEU"])
    if len(eaeu) >= 3:
        goods = np.flatnonzero(world.is_goods)
        outside = np.array([j for j in range(n) if j not in eaeu and world.countries[j] != "ROW"])
        block = t[np.ix_(goods, eaeu, outside)]  # goods x members x partners
        median = np.median(block, axis=1, keepdims=True)
        out_of_line = (block < _RELATIVE * median) & (median - block > _ABSOLUTE)
        after = t.copy()
        after[np.ix_(goods, eaeu, outside)] = np.where(out_of_line, np.broadcast_to(median, block.shape), block)
        mask = np.zeros(shape, dtype=bool)
        mask[np.ix_(goods, eaeu, outside)] = out_of_line
        _record(rows, "eaeu_common_tariff", world, t, mask, after)

    if "ROW" in world.countries:
        rows.append(
            pd.DataFrame(
                {
                    "rule": "row_unknown_kept",
                    "importer": ["ROW", "(all)"],
                    "exporter": ["(all)", "ROW"],
                    "sector": "(all goods)",
                    "before": 0.0,
                    "after": 0.0,
                }
            )
        )
    fixes = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=FIX_COLUMNS)
    return t, fixes[FIX_COLUMNS]


def fix_summary(fixes: pd.DataFrame) -> pd.DataFrame:
    """Count and size of the fixes per rule.

    Parameters
    ----------
    fixes : pandas.DataFrame
        The table from :func:`clean_icio_tariffs`.

    Returns
    -------
    pandas.DataFrame
        Indexed by rule: ``cells``, ``before_min``, ``before_max``,
        ``after_min``, ``after_max`` (fractions).
    """
    return fixes.groupby("rule").agg(
        cells=("before", "size"),
        before_min=("before", "min"),
        before_max=("before", "max"),
        after_min=("after", "min"),
        after_max=("after", "max"),
    )
