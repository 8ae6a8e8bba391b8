"""The state of one scenario run shared by the runner's stages (internal)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ftalab.scenario.estimation import Coefficient
from ftalab.scenario.results import Note
from ftalab.scenario.schema import Scenario
from ftalab.scenario.world import World

__all__ = ["RunContext"]


@dataclass
class RunContext:
    """What the shock builders need, fixed for one run."""

    scenario: Scenario
    source: str
    world: World
    members: list[str]
    new_members: list[str]
    existing: list[str]
    links_date: pd.DataFrame
    links_data: pd.DataFrame
    coefs: dict[str, Coefficient] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    tariff_pct: pd.Series | None = None
    hours: pd.DataFrame | None = None
    shock_lines: list[str] = field(default_factory=list)
    inputs: list[tuple[str, str]] = field(default_factory=list)
    update_cache: pd.DataFrame | None = None
