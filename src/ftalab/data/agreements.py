"""Trade agreements with their *types*, and pair-level agreement tables.

The DTA toolkit file (:func:`ftalab.data.readers.dta.read_wb_dta_rta`) flags
every agreement with ``rta = 1``, whether it is a partial-scope agreement
(APTA, GSTP, ECO: preferences on a few lines, MFN tariffs otherwise) or a
customs union. This module gives each agreement a type and combines the DTA
rows with ftalab's registry of agreements with exact dates.

Types (WTO RTA database vocabulary), from shallow to deep::

    PSA < EIA < PSA & EIA < FTA < FTA & EIA < CU < CU & EIA

How each DTA agreement is typed (:func:`agreement_types`):

1. the explicit table ``registry_data/agreement_types.csv`` (every
   SCO-relevant agreement and the customs unions and partial-scope
   agreements whose names do not say so), with its basis and notes;
2. otherwise the name rule :func:`rule_type`: "Customs Union" in the name ->
   CU; a well-known partial-scope agreement (LAIA, PTN, SPARTECA, GSTP, APTA,
   ECO, SAPTA) or "Partial Scope"/"Preferential Trade Arrangement" in the name
   -> PSA; an EC/EU enlargement -> CU & EIA; anything else -> FTA.

Pair tables are built from *spells* (an agreement applying to an ordered pair
from a start date to an end date). DTA spells run from 1 January of the first
year (or the exact entry date where the table knows it) to 31 December of the
last year; spells still running in the DTA's last year (2023) are taken to
continue. Registry agreements (``registry_data/agreements.toml``: the EAEU, the
2010 customs union, the CIS FTA, EAEU-Iran interim agreement and FTA) replace
the DTA rows of the same agreement and use the group membership timelines of
:mod:`ftalab.data.groups`.

Examples
--------
>>> links = pair_links("2025-06-01", countries=["CHN", "IND", "RUS", "KAZ"])  # doctest: +SKIP
>>> links.query("exporter == 'CHN' and importer == 'IND'").psa_only.item()  # doctest: +SKIP
True
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ftalab.data._package_data import package_csv, package_text
from ftalab.data.countries import check_iso3, is_known_iso3
from ftalab.data.groups import Membership, as_date, get_group
from ftalab.errors import ValidationError

__all__ = [
    "AGREEMENT_TYPES",
    "type_rank",
    "rule_type",
    "agreement_types",
    "registry_agreements",
    "agreement_spells",
    "pair_agreements",
    "pair_links",
    "agreements_entered_between",
]

#: Agreement types, from shallow to deep.
AGREEMENT_TYPES: tuple[str, ...] = ("PSA", "EIA", "PSA & EIA", "FTA", "FTA & EIA", "CU", "CU & EIA")
_FTA_OR_DEEPER = frozenset(t for t in AGREEMENT_TYPES if t != "PSA")

_KNOWN_PSA = re.compile(
    r"\((LAIA|PTN|SPARTECA|GSTP|APTA|ECO|SAPTA)\)|Partial Scope|Preferential Trade Arrangement",
    re.IGNORECASE,
)
_REGISTRY_KEYS = {
    "id", "name", "type", "entry_force", "end", "group", "side_a", "side_b",
    "dta_ids", "source", "note", "suspended",
}
_SPELL_COLUMNS = [
    "exporter", "importer", "agreement_id", "id_agree", "agreement", "type",
    "start", "end", "date_precision", "source",
]


def type_rank(agreement_type: str) -> int:
    """Depth of an agreement type.

    Parameters
    ----------
    agreement_type : str
        One of :data:`AGREEMENT_TYPES`.

    Returns
    -------
    int
        0 for ``PSA`` up to 6 for ``CU & EIA`` (the order of :data:`AGREEMENT_TYPES`).

    Raises
    ------
    ValidationError
        Unknown type.
    """
    try:
        return AGREEMENT_TYPES.index(agreement_type)
    except ValueError:
        raise ValidationError(
            f"unknown agreement type {agreement_type!r}; use one of {', '.join(AGREEMENT_TYPES)}"
        ) from None


def rule_type(name: str) -> str:
    """Type of an agreement from its name alone (the fallback rule; see the module docstring).

    Parameters
    ----------
    name : str
        The agreement's name as in the DTA file.

    Returns
    -------
    str
        ``"CU"``, ``"PSA"``, ``"CU & EIA"`` (EC/EU enlargements) or ``"FTA"``.
    """
    if "customs union" in name.lower():
        return "CU"
    if _KNOWN_PSA.search(name):
        return "PSA"
    if re.match(r"^\s*(EC|EU)\s*\(\d+\)\s*Enlargement", name):
        return "CU & EIA"
    return "FTA"


# --------------------------------------------------------------------------- tables
@functools.cache
def _explicit_types() -> pd.DataFrame:
    df = package_csv("registry_data/agreement_types.csv", dtype={"entry_date": str})
    bad = sorted(set(df["type"]) - set(AGREEMENT_TYPES))
    if bad:  # a packaging error, not a user error
        raise ValidationError(f"agreement_types.csv holds unknown type(s) {bad}")
    df["entry_date"] = pd.to_datetime(df["entry_date"].replace("", None), format="%Y-%m-%d")
    return df.set_index("id_agree")


def agreement_types(dta: pd.DataFrame | None = None) -> pd.DataFrame:
    """Type of every agreement in the DTA file.

    Parameters
    ----------
    dta : pandas.DataFrame, optional
        A table from :func:`~ftalab.data.readers.dta.read_wb_dta_rta`;
        default: the registered file.

    Returns
    -------
    pandas.DataFrame
        ``id_agree, agreement, entry_force, type, basis, entry_date, note``
        where ``basis`` is ``"WTO RTA-IS"`` or ``"ftalab"`` (explicit table)
        or ``"name rule"`` (:func:`rule_type`).
    """
    dta = _dta_table(dta)
    ag = dta.groupby("id_agree", as_index=False).agg(
        agreement=("agreement", "first"), entry_force=("entry_force", "first")
    )
    explicit = _explicit_types()
    known = ag["id_agree"].isin(explicit.index)
    ag["type"] = np.where(
        known, ag["id_agree"].map(explicit["type"]), ag["agreement"].map(rule_type)
    )
    ag["basis"] = np.where(known, ag["id_agree"].map(explicit["basis"]), "name rule")
    ag["entry_date"] = ag["id_agree"].map(explicit["entry_date"])
    ag["note"] = ag["id_agree"].map(explicit["note"]).fillna("")
    return ag


def _dta_table(dta: pd.DataFrame | None) -> pd.DataFrame:
    if dta is not None:
        return dta
    from ftalab.data.readers.dta import read_wb_dta_rta

    return read_wb_dta_rta()


# --------------------------------------------------------------------------- registry
@functools.cache
def _registry() -> tuple[dict[str, Any], ...]:
    data = tomllib.loads(package_text("registry_data/agreements.toml"))
    entries = data.get("agreements", [])
    out = []
    for i, raw in enumerate(entries):
        where = f"ftalab registry agreements.toml, agreement #{i + 1} ({raw.get('id', '?')})"
        unknown = sorted(set(raw) - _REGISTRY_KEYS)
        if unknown:
            raise ValidationError(f"{where}: unknown key(s) {unknown}")
        for key in ("id", "name", "type", "entry_force", "source"):
            if key not in raw:
                raise ValidationError(f"{where}: missing key {key!r}")
        type_rank(raw["type"])
        if ("group" in raw) == ("side_a" in raw or "side_b" in raw):
            raise ValidationError(f"{where}: give either group or side_a and side_b")
        if raw.get("group") is not None:
            get_group(raw["group"])
        out.append(raw)
    return tuple(out)


def registry_agreements() -> pd.DataFrame:
    """Agreements held in ftalab's registry (exact dates; they replace ``dta_ids``).

    Returns
    -------
    pandas.DataFrame
        ``agreement_id, agreement, type, entry_force, end, parties, dta_ids,
        source, note``.
    """
    rows = []
    for r in _registry():
        parties = r.get("group") or f"{' + '.join(r['side_a'])} x {' + '.join(r['side_b'])}"
        rows.append(
            {
                "agreement_id": r["id"],
                "agreement": r["name"],
                "type": r["type"],
                "entry_force": pd.Timestamp(r["entry_force"]),
                "end": pd.Timestamp(r["end"]) if "end" in r else pd.NaT,
                "parties": parties,
                "dta_ids": list(r.get("dta_ids", [])),
                "source": r["source"],
                "note": r.get("note", ""),
            }
        )
    return pd.DataFrame(rows)


def _side(items: Sequence[str]) -> list[Membership]:
    out: list[Membership] = []
    for item in items:
        if item.startswith("group:"):
            out.extend(m for m in get_group(item[6:]).memberships if m.role == "member")
        else:
            if not is_known_iso3(item):
                raise ValidationError(f"registry agreement side lists unknown code {item!r}")
            out.append(Membership(item, dt.date.min))
    return out


def _registry_spells() -> pd.DataFrame:
    rows = []
    for r in _registry():
        entry, end = r["entry_force"], r.get("end")
        if r.get("group"):
            ms = [m for m in get_group(r["group"]).memberships if m.role == "member"]
            pairs = [(a, b) for a in ms for b in ms if a.iso3 != b.iso3]
        else:
            sa, sb = _side(r["side_a"]), _side(r["side_b"])
            pairs = [(a, b) for a in sa for b in sb] + [(b, a) for a in sa for b in sb]
        suspended = {frozenset(s["pair"]): s["from"] for s in r.get("suspended", [])}
        for a, b in pairs:
            start = max(entry, a.start, b.start)
            ends = [e for e in (end, a.end, b.end) if e is not None]
            if frozenset((a.iso3, b.iso3)) in suspended:
                ends.append(suspended[frozenset((a.iso3, b.iso3))] - dt.timedelta(days=1))
            stop = min(ends) if ends else None
            if stop is not None and stop < start:
                continue
            rows.append(
                (a.iso3, b.iso3, r["id"], _first(r.get("dta_ids")), r["name"], r["type"],
                 pd.Timestamp(start), pd.Timestamp(stop) if stop else pd.NaT, "day", "registry")
            )
    return pd.DataFrame(rows, columns=_SPELL_COLUMNS)


def _first(ids: list[int] | None) -> Any:
    return ids[0] if ids else pd.NA


# --------------------------------------------------------------------------- spells
def _dta_spells(dta: pd.DataFrame) -> pd.DataFrame:
    replaced = {i for r in _registry() for i in r.get("dta_ids", [])}
    d = dta.loc[~dta["id_agree"].isin(replaced), ["id_agree", "exporter", "importer", "year"]]
    # One spell per agreement and pair, from its first to its last year: where
    # agreements overlap, the DTA file keeps one of them per pair-year (IRN-PAK
    # alternates between GSTP and ECO year by year), so gaps inside a run are
    # artefacts of that de-duplication, not suspensions.
    spells = d.groupby(["id_agree", "exporter", "importer"], as_index=False, sort=True).agg(
        y0=("year", "min"), y1=("year", "max")
    )
    types = agreement_types(dta).set_index("id_agree")
    last_year = int(dta["year"].max())
    entry_date = spells["id_agree"].map(types["entry_date"])
    exact = entry_date.notna() & (entry_date.dt.year == spells["y0"])
    start = pd.to_datetime(spells["y0"].astype(str) + "-01-01")
    start = start.where(~exact, entry_date)
    end = pd.to_datetime(spells["y1"].astype(str) + "-12-31").where(spells["y1"] < last_year)
    out = pd.DataFrame(
        {
            "exporter": spells["exporter"],
            "importer": spells["importer"],
            "agreement_id": "DTA:" + spells["id_agree"].astype(str),
            "id_agree": spells["id_agree"],
            "agreement": spells["id_agree"].map(types["agreement"]),
            "type": spells["id_agree"].map(types["type"]),
            "start": start,
            "end": end,
            "date_precision": np.where(exact, "day", "year"),
            "source": "dta",
        }
    )
    return out[_SPELL_COLUMNS]


@functools.lru_cache(maxsize=1)
def _default_spells() -> pd.DataFrame:
    return _combine(_dta_table(None))


def _combine(dta: pd.DataFrame) -> pd.DataFrame:
    spells = pd.concat([_dta_spells(dta), _registry_spells()], ignore_index=True)
    spells["id_agree"] = spells["id_agree"].astype("Int64")
    return spells.sort_values(["exporter", "importer", "start", "agreement_id"], kind="stable").reset_index(drop=True)


def agreement_spells(dta: pd.DataFrame | None = None) -> pd.DataFrame:
    """All agreement spells: one row per agreement, ordered pair and period.

    Parameters
    ----------
    dta : pandas.DataFrame, optional
        A DTA table (default: the registered file).

    Returns
    -------
    pandas.DataFrame
        ``exporter, importer, agreement_id, id_agree, agreement, type, start,
        end, date_precision, source``. ``end`` is the last day in force, NaT
        while open (DTA spells that reach the file's last year are taken to
        continue). ``source`` is ``dta`` or ``registry``.
    """
    spells = _default_spells() if dta is None else _combine(dta)
    return spells.copy()


def _window(when: Any) -> tuple[pd.Timestamp, pd.Timestamp]:
    # A year means "in force at some time in that year", the DTA convention.
    if isinstance(when, (int, np.integer)) and not isinstance(when, bool):
        year = int(when)
        if not 1900 <= year <= 2200:
            raise ValidationError(f"year {year} is out of range")
        return pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    day = pd.Timestamp(as_date(when))
    return day, day


def _countries(countries: Iterable[str] | None) -> set[str] | None:
    if countries is None:
        return None
    if isinstance(countries, str):
        raise ValidationError("countries must be a list of ISO3 codes, not a single string")
    return set(check_iso3(list(countries)))


def _active(spells: pd.DataFrame, when: Any, countries: Iterable[str] | None) -> pd.DataFrame:
    lo, hi = _window(when)
    keep = (spells["start"] <= hi) & (spells["end"].isna() | (spells["end"] >= lo))
    wanted = _countries(countries)
    if wanted is not None:
        keep &= spells["exporter"].isin(wanted) & spells["importer"].isin(wanted)
    return spells.loc[keep]


def pair_agreements(
    when: Any, countries: Iterable[str] | None = None, dta: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Agreements in force per ordered pair at a date or in a year.

    Parameters
    ----------
    when : date, ISO string or int
        A day (``"2025-06-01"``) or a year (``2019``: in force at any time in
        the year, the DTA convention).
    countries : list of str, optional
        Keep pairs whose exporter and importer are both in this list.
    dta : pandas.DataFrame, optional
        A DTA table (default: the registered file).

    Returns
    -------
    pandas.DataFrame
        ``exporter, importer, agreement, agreement_id, id_agree, type,
        entry_force, end, source``; ``entry_force`` is the day from which the
        agreement applies to the pair (1 January of the first year where the
        day is unknown).
    """
    spells = _default_spells() if dta is None else _combine(dta)
    act = _active(spells, when, countries)
    out = act.rename(columns={"start": "entry_force"})[
        ["exporter", "importer", "agreement", "agreement_id", "id_agree", "type", "entry_force", "end", "source"]
    ]
    return out.drop_duplicates(["exporter", "importer", "agreement_id"]).reset_index(drop=True)


def _links(active: pd.DataFrame) -> pd.DataFrame:
    if active.empty:
        return pd.DataFrame(
            {c: pd.Series(dtype=t) for c, t in [("exporter", str), ("importer", str), ("deepest_type", str),
             ("fta_or_deeper", bool), ("psa_only", bool), ("n_agreements", "int64"), ("agreements", str)]}
        )
    act = active.assign(rank=active["type"].map(type_rank))
    grouped = act.sort_values("rank", ascending=False, kind="stable").groupby(["exporter", "importer"], sort=True)
    out = grouped.agg(
        deepest_type=("type", "first"),
        n_agreements=("agreement_id", "nunique"),
        agreements=("agreement", lambda s: "; ".join(sorted(set(s)))),
    ).reset_index()
    out["fta_or_deeper"] = out["deepest_type"].isin(_FTA_OR_DEEPER)
    out["psa_only"] = ~out["fta_or_deeper"]
    return out[["exporter", "importer", "deepest_type", "fta_or_deeper", "psa_only", "n_agreements", "agreements"]]


def pair_links(
    when: Any,
    countries: Iterable[str] | None = None,
    dta: pd.DataFrame | None = None,
    include_unlinked: bool = False,
) -> pd.DataFrame:
    """Deepest agreement per ordered pair at a date or in a year.

    Parameters
    ----------
    when : date, ISO string or int
        A day or a year (in force at any time in the year).
    countries : list of str, optional
        Keep pairs inside this list.
    dta : pandas.DataFrame, optional
        A DTA table (default: the registered file).
    include_unlinked : bool, default False
        With ``countries``: also return the pairs without any agreement
        (``deepest_type`` None, both flags False, ``n_agreements`` 0), so that
        every ordered pair of the list appears once.

    Returns
    -------
    pandas.DataFrame
        ``exporter, importer, deepest_type, fta_or_deeper, psa_only,
        n_agreements, agreements``. ``fta_or_deeper`` is True when any
        agreement is an FTA, a customs union or an economic integration
        agreement; ``psa_only`` when the pair is linked only by partial-scope
        agreements (it still faces MFN tariffs on most goods, so an FTA
        scenario should shock it). Without ``include_unlinked``, pairs not
        listed have no agreement.
    """
    spells = _default_spells() if dta is None else _combine(dta)
    links = _links(_active(spells, when, countries))
    if not include_unlinked:
        return links
    if countries is None:
        raise ValidationError("include_unlinked=True needs a list of countries")
    codes = sorted(_countries(countries) or ())
    grid = pd.DataFrame([(a, b) for a in codes for b in codes if a != b], columns=["exporter", "importer"])
    out = grid.merge(links, on=["exporter", "importer"], how="left")
    out["deepest_type"] = out["deepest_type"].astype(object).where(out["deepest_type"].notna(), None)
    out["fta_or_deeper"] = out["fta_or_deeper"].fillna(False).astype(bool)
    out["psa_only"] = out["psa_only"].fillna(False).astype(bool)
    out["n_agreements"] = out["n_agreements"].fillna(0).astype("int64")
    out["agreements"] = out["agreements"].fillna("")
    return out


def agreements_entered_between(
    start: Any,
    end: Any,
    countries: Iterable[str] | None = None,
    dta: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Agreement spells that started applying to a pair in ``(start, end]``.

    Used to update a baseline from the data year to the scenario date (e.g.
    2015 -> 2025: EAEU enlargement to the Kyrgyz Republic, EAEU-Iran interim
    agreement 2019 and FTA 2025).

    Parameters
    ----------
    start, end : date, ISO string or int
        The window; a year means 31 December of that year.
    countries : list of str, optional
        Keep pairs inside this list.

    Returns
    -------
    pandas.DataFrame
        ``exporter, importer, agreement, agreement_id, type, entry_force,
        date_precision, source, type_before, deepens``; ``type_before`` is the
        pair's deepest type on ``start`` (None if unlinked) and ``deepens`` is
        True when the new agreement is deeper than every agreement the pair
        already had on ``start``.
    """
    lo, hi = pd.Timestamp(as_date(start, "start")), pd.Timestamp(as_date(end, "end"))
    if hi < lo:
        raise ValidationError(f"end {hi.date()} is before start {lo.date()}")
    spells = _default_spells() if dta is None else _combine(dta)
    wanted = _countries(countries)
    sel = (spells["start"] > lo) & (spells["start"] <= hi)
    if wanted is not None:
        sel &= spells["exporter"].isin(wanted) & spells["importer"].isin(wanted)
    new = spells.loc[sel].rename(columns={"start": "entry_force"})
    before = _links(_active(spells, lo.date(), countries)).set_index(["exporter", "importer"])["deepest_type"]
    keys = pd.MultiIndex.from_frame(new[["exporter", "importer"]])
    prev = before.reindex(keys).to_numpy(dtype=object)
    prev = np.array([t if isinstance(t, str) else None for t in prev], dtype=object)
    new = new.assign(type_before=prev)
    prev_rank = np.array([type_rank(t) if isinstance(t, str) else -1 for t in prev], dtype=int)
    new["deepens"] = new["type"].map(type_rank).to_numpy() > prev_rank
    cols = ["exporter", "importer", "agreement", "agreement_id", "type", "entry_force",
            "date_precision", "source", "type_before", "deepens"]
    return new[cols].sort_values(["entry_force", "agreement_id", "exporter", "importer"]).reset_index(drop=True)
