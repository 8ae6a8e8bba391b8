"""Resolve a scenario's country references (codes, ``group:NAME``) against the registry and the world."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from ftalab.data.countries import is_known_iso3
from ftalab.errors import FtalabError, ScenarioError

__all__ = ["resolve_refs", "check_in_world"]


def resolve_refs(refs: Iterable[str], when: dt.date, *, key: str, source: str = "scenario") -> list[str]:
    """Expand ISO3 codes and ``group:NAME`` references into sorted ISO3 codes.

    Raises
    ------
    ScenarioError
        Naming ``source`` and ``key`` for an unknown code or group.
    """
    from ftalab.data.groups import members

    out: set[str] = set()
    for ref in refs:
        if ref.startswith("group:"):
            name = ref.split(":", 1)[1]
            try:
                codes = members(name, when)
            except FtalabError as exc:
                raise ScenarioError(f"{source}: {key}: {exc}") from None
            if not codes:
                raise ScenarioError(f"{source}: {key}: group {name!r} has no members on {when}")
            out.update(codes)
        else:
            if not is_known_iso3(ref):
                raise ScenarioError(
                    f"{source}: {key}: unknown country code {ref!r}; use ISO 3166-1 alpha-3 codes such as 'KAZ'"
                )
            out.add(ref)
    return sorted(out)


def check_in_world(codes: Sequence[str], world_codes: Sequence[str], *, key: str, world: str, source: str = "scenario") -> None:
    """Every code must be an economy of the baseline world."""
    have = set(world_codes)
    missing = [c for c in codes if c not in have]
    if missing:
        raise ScenarioError(
            f"{source}: {key}: {', '.join(missing)} not in the {world} world (it has {len(have)} economies)"
        )
