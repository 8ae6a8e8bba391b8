"""Country groupings with membership timelines (SCO, EAEU, CIS FTA, ...).

The built-in groups live in ``registry_data/groups.toml``, one entry per
country and status with its start date, optional end date (the last day,
inclusive), role (``member``, ``observer``, ``dialogue_partner``,
``partner``), cited source and notes; ``uncertain = true`` marks dates or
statuses that could not be pinned down. Users describe their own groups in a
TOML file of the same layout and read it with :func:`load_groups`::

    schema_version = 1
    [groups.CA5]
    name = "Central Asia five"
    [[groups.CA5.members]]
    iso3 = "KAZ"
    start = 1991-12-26
    source = "independence"

Examples
--------
>>> from ftalab.data.groups import members
>>> members("SCO", "2017-06-09")
['CHN', 'IND', 'KAZ', 'KGZ', 'PAK', 'RUS', 'TJK', 'UZB']
>>> len(members("SCO", "2024-07-04"))
10
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from ftalab.data._package_data import package_text
from ftalab.data.countries import country_name, is_known_iso3
from ftalab.errors import DataError, ValidationError

__all__ = [
    "Role",
    "ROLES",
    "Membership",
    "Group",
    "as_date",
    "load_groups",
    "registry_groups",
    "group_codes",
    "get_group",
    "members",
    "groups_of",
    "membership_timeline",
]

Role = Literal["member", "observer", "dialogue_partner", "partner"]
ROLES: tuple[str, ...] = ("member", "observer", "dialogue_partner", "partner")

_GROUP_KEYS = {"name", "description", "note", "sources", "members"}
_ENTRY_KEYS = {"iso3", "start", "end", "role", "source", "note", "uncertain"}
_TOP_KEYS = {"schema_version", "groups"}
_SCHEMA_VERSION = 1

DateLike = dt.date | dt.datetime | pd.Timestamp | str | int


def as_date(when: DateLike, what: str = "date") -> dt.date:
    """Turn a date-like value into a :class:`datetime.date`.

    Parameters
    ----------
    when : date, datetime, pandas.Timestamp, str or int
        A date, an ISO string ``"YYYY-MM-DD"`` or an integer year (1800-2200),
        which means 31 December of that year (the status at the end of the year).
    what : str, default "date"
        What the value is, for messages.

    Returns
    -------
    datetime.date

    Raises
    ------
    ValidationError
        NaT, a bool, a malformed string, a year out of range or another type.
    """
    if isinstance(when, bool):
        raise ValidationError(f"{what} must be a date such as '2017-06-09', got {when!r}")
    if isinstance(when, pd.Timestamp):
        if pd.isna(when):
            raise ValidationError(f"{what} is missing (NaT)")
        return when.date()
    if isinstance(when, dt.datetime):
        return when.date()
    if isinstance(when, dt.date):
        return when
    if isinstance(when, int):
        if not 1800 <= when <= 2200:
            raise ValidationError(f"{what} year {when} is out of range")
        return dt.date(when, 12, 31)
    if isinstance(when, str):
        try:
            return dt.date.fromisoformat(when.strip())
        except ValueError:
            raise ValidationError(
                f"{what} {when!r} is not a valid date; write it as YYYY-MM-DD, e.g. '2017-06-09'"
            ) from None
    raise ValidationError(f"{what} must be a date, an ISO string or a year, got {type(when).__name__}")


@dataclass(frozen=True)
class Membership:
    """One country's status in a group over one period (``end`` inclusive; None = open)."""

    iso3: str
    start: dt.date
    end: dt.date | None = None
    role: str = "member"
    source: str = ""
    note: str = ""
    uncertain: bool = False

    def active(self, day: dt.date) -> bool:
        """True when the status holds on ``day``."""
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Group:
    """A named country grouping with its membership timeline."""

    code: str
    name: str
    memberships: tuple[Membership, ...]
    description: str = ""
    note: str = ""
    origin: str = ""

    def members(self, when: DateLike, role: str = "member") -> list[str]:
        """Sorted ISO3 codes holding ``role`` on ``when``."""
        _check_role(role)
        day = as_date(when)
        return sorted({m.iso3 for m in self.memberships if m.role == role and m.active(day)})


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ValidationError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")


# --------------------------------------------------------------------------- parsing
def _where(origin: str, group: str | None = None, index: int | None = None, iso3: Any = None) -> str:
    parts = [origin]
    if group is not None:
        parts.append(f"group {group!r}")
    if index is not None:
        parts.append(f"member entry #{index + 1}" + (f" ({iso3})" if isinstance(iso3, str) else ""))
    return ", ".join(parts)


def _parse_date(value: Any, where: str, key: str) -> dt.date:
    # A file entry is a TOML date or an ISO string; unlike as_date, a bare year is not accepted.
    if isinstance(value, (dt.date, str)):
        try:
            return as_date(value)
        except ValidationError:
            pass
    raise ValidationError(f"{where}: {key} = {value!r} is not a valid date; write YYYY-MM-DD")


def _parse_entry(raw: Any, sources: Mapping[str, str], where: str, strict_source: bool) -> Membership:
    if not isinstance(raw, dict):
        raise ValidationError(f"{where}: each member entry must be a table with iso3 and start")
    unknown = sorted(set(raw) - _ENTRY_KEYS)
    if unknown:
        raise ValidationError(f"{where}: unknown key(s) {unknown}; allowed: {sorted(_ENTRY_KEYS)}")
    for key in ("iso3", "start"):
        if key not in raw:
            raise ValidationError(f"{where}: missing required key {key!r}")
    iso3 = raw["iso3"]
    if not isinstance(iso3, str) or not is_known_iso3(iso3):
        hint = " (codes are upper case)" if isinstance(iso3, str) and is_known_iso3(iso3.upper()) else ""
        raise ValidationError(
            f"{where}: unknown country code {iso3!r}{hint}; use an ISO 3166-1 alpha-3 code"
        )
    start = _parse_date(raw["start"], where, "start")
    end = _parse_date(raw["end"], where, "end") if "end" in raw else None
    if end is not None and end < start:
        raise ValidationError(f"{where}: end {end} is before start {start}")
    role = raw.get("role", "member")
    if role not in ROLES:
        raise ValidationError(f"{where}: unknown role {role!r}; use one of {', '.join(ROLES)}")
    uncertain = raw.get("uncertain", False)
    if not isinstance(uncertain, bool):
        raise ValidationError(f"{where}: uncertain must be true or false, got {uncertain!r}")
    source = raw.get("source", "")
    if not isinstance(source, str):
        raise ValidationError(f"{where}: source must be text")
    if strict_source and not source:
        raise ValidationError(f"{where}: every registry entry needs a source")
    note = raw.get("note", "")
    if not isinstance(note, str):
        raise ValidationError(f"{where}: note must be text")
    return Membership(iso3, start, end, role, sources.get(source, source), note, uncertain)


def _parse_group(code: str, raw: Any, origin: str, strict_source: bool) -> Group:
    where = _where(origin, code)
    if not isinstance(raw, dict):
        raise ValidationError(f"{where}: must be a table ([groups.{code}])")
    unknown = sorted(set(raw) - _GROUP_KEYS)
    if unknown:
        raise ValidationError(f"{where}: unknown key(s) {unknown}; allowed: {sorted(_GROUP_KEYS)}")
    sources = raw.get("sources", {})
    if not isinstance(sources, dict) or not all(isinstance(v, str) for v in sources.values()):
        raise ValidationError(f"{where}: [groups.{code}.sources] must map keys to text")
    entries = raw.get("members")
    if not isinstance(entries, list) or not entries:
        raise ValidationError(f"{where}: no members; add [[groups.{code}.members]] entries")
    parsed = [
        _parse_entry(e, sources, _where(origin, code, i, e.get("iso3") if isinstance(e, dict) else None), strict_source)
        for i, e in enumerate(entries)
    ]
    # The same country may hold the same role twice only in separate periods.
    for i, a in enumerate(parsed):
        for j in range(i):
            b = parsed[j]
            if a.iso3 == b.iso3 and a.role == b.role and _overlap(a, b):
                raise ValidationError(
                    f"{_where(origin, code, i, a.iso3)}: duplicate member: {a.iso3} is already listed "
                    f"as {a.role} from {b.start} (entry #{j + 1}); remove one entry or make the periods disjoint"
                )
    name = raw.get("name", code)
    if not isinstance(name, str):
        raise ValidationError(f"{where}: name must be text")
    return Group(
        code=code,
        name=name,
        memberships=tuple(parsed),
        description=str(raw.get("description", "")),
        note=str(raw.get("note", "")),
        origin=origin,
    )


def _overlap(a: Membership, b: Membership) -> bool:
    far = dt.date.max
    return a.start <= (b.end or far) and b.start <= (a.end or far)


def _parse_document(data: dict[str, Any], origin: str, strict_source: bool) -> dict[str, Group]:
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise ValidationError(f"{origin}: unknown top-level key(s) {unknown}; expected [groups.NAME] tables")
    version = data.get("schema_version", _SCHEMA_VERSION)
    if version != _SCHEMA_VERSION:
        raise ValidationError(f"{origin}: schema_version {version!r} is not supported (use {_SCHEMA_VERSION})")
    groups = data.get("groups")
    if not isinstance(groups, dict) or not groups:
        raise ValidationError(f"{origin}: no groups found; define at least one [groups.NAME] table")
    return {code: _parse_group(code, raw, origin, strict_source) for code, raw in groups.items()}


def load_groups(path: str | os.PathLike[str]) -> dict[str, Group]:
    """Read user-defined groups from a TOML file (layout in the module docstring).

    Parameters
    ----------
    path : path-like
        The TOML file.

    Returns
    -------
    dict[str, Group]
        Groups by code; pass it as ``groups=`` to :func:`members`,
        :func:`groups_of` or :func:`membership_timeline`.

    Raises
    ------
    DataError
        The file does not exist.
    ValidationError
        Bad TOML, unknown keys, unknown country codes, bad dates, end before
        start, unknown roles or duplicate members; the message names the file,
        the group and the entry.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"group file {path} not found")
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"{path}: not valid TOML ({exc}); dates are written YYYY-MM-DD") from None
    except UnicodeDecodeError:
        raise ValidationError(f"{path}: not a UTF-8 text file") from None
    return _parse_document(data, str(path), strict_source=False)


@functools.cache
def _builtin() -> dict[str, Group]:
    text = package_text("registry_data/groups.toml")
    return _parse_document(tomllib.loads(text), "ftalab registry groups.toml", strict_source=True)


def registry_groups() -> dict[str, Group]:
    """The built-in groups (SCO, EAEU, EAEU_CU, EURASEC, CIS_FTA).

    Returns
    -------
    dict of str to Group
        Groups by code (a new dict; the groups themselves are immutable).
    """
    return dict(_builtin())


def group_codes(groups: Mapping[str, Group] | None = None) -> list[str]:
    """Codes of the built-in groups (or of ``groups``).

    Parameters
    ----------
    groups : mapping of str to Group, optional
        Groups from :func:`load_groups`; default: the registry.

    Returns
    -------
    list of str
        Sorted codes.
    """
    return sorted(groups if groups is not None else _builtin())


def get_group(group: str | Group, groups: Mapping[str, Group] | None = None) -> Group:
    """Look a group up by code.

    Parameters
    ----------
    group : str or Group
        A group code, or a :class:`Group` (returned as is).
    groups : mapping of str to Group, optional
        Where to look (from :func:`load_groups`); default: the registry.

    Returns
    -------
    Group

    Raises
    ------
    ValidationError
        Unknown code; the message lists the known ones.
    """
    if isinstance(group, Group):
        return group
    table = groups if groups is not None else _builtin()
    if group not in table:
        raise ValidationError(f"unknown group {group!r}; known groups: {', '.join(sorted(table))}")
    return table[group]


def members(
    group: str | Group,
    when: DateLike,
    role: str = "member",
    groups: Mapping[str, Group] | None = None,
) -> list[str]:
    """ISO3 codes holding ``role`` in ``group`` on ``when``.

    Parameters
    ----------
    group : str or Group
        A group code (``"SCO"``) or a :class:`Group`.
    when : date, ISO string or int
        The day; a year means 31 December of that year (see :func:`as_date`).
    role : str, default "member"
        One of :data:`ROLES`.
    groups : mapping of str to Group, optional
        Groups from :func:`load_groups`; default: the registry.

    Returns
    -------
    list of str
        Sorted ISO3 codes.

    Raises
    ------
    ValidationError
        Unknown group or role, or a bad date.
    """
    return get_group(group, groups).members(when, role)


def groups_of(
    iso3: str,
    when: DateLike,
    role: str = "member",
    groups: Mapping[str, Group] | None = None,
) -> list[str]:
    """Codes of the groups in which ``iso3`` holds ``role`` on ``when``.

    Parameters
    ----------
    iso3 : str
        A country code known to :func:`ftalab.data.countries.is_known_iso3`.
    when : date, ISO string or int
        The day; a year means 31 December of that year (see :func:`as_date`).
    role : str, default "member"
        One of :data:`ROLES`.
    groups : mapping of str to Group, optional
        Groups from :func:`load_groups`; default: the registry.

    Returns
    -------
    list of str
        Sorted group codes (empty when none).

    Raises
    ------
    ValidationError
        Unknown country code or role, or a bad date.
    """
    if not is_known_iso3(iso3):
        raise ValidationError(f"unknown country code {iso3!r}; use an ISO 3166-1 alpha-3 code")
    _check_role(role)
    day = as_date(when)
    table = groups if groups is not None else _builtin()
    return sorted(
        code
        for code, g in table.items()
        if any(m.iso3 == iso3 and m.role == role and m.active(day) for m in g.memberships)
    )


def membership_timeline(group: str | Group, groups: Mapping[str, Group] | None = None) -> pd.DataFrame:
    """The full timeline of ``group``: one row per country and status.

    Parameters
    ----------
    group : str or Group
        A group code (``"SCO"``) or a :class:`Group`.
    groups : mapping of str to Group, optional
        Groups from :func:`load_groups`; default: the registry.

    Returns
    -------
    pandas.DataFrame
        ``group, iso3, name, role, start, end, uncertain, source, note``;
        ``start``/``end`` are ``datetime64`` (``end`` NaT while open), sorted
        by role, start and code.
    """
    g = get_group(group, groups)
    rows = [
        {
            "group": g.code,
            "iso3": m.iso3,
            "name": country_name(m.iso3),
            "role": m.role,
            "start": pd.Timestamp(m.start),
            "end": pd.Timestamp(m.end) if m.end else pd.NaT,
            "uncertain": m.uncertain,
            "source": m.source,
            "note": m.note,
        }
        for m in g.memberships
    ]
    df = pd.DataFrame(rows)
    df["role"] = pd.Categorical(df["role"], categories=list(ROLES), ordered=True)
    df = df.sort_values(["role", "start", "iso3"], kind="stable").reset_index(drop=True)
    df["role"] = df["role"].astype(str)
    return df
