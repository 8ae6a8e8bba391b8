"""Scenario files (TOML, schema version 1), presets, shocks and the end-to-end runner.

>>> from ftalab.scenario import load_scenario, preset_names
>>> "sco-fta" in preset_names()
True
"""

from __future__ import annotations

from ftalab.scenario.loader import load_scenario, parse_scenario, preset_names, preset_path, scenario_to_toml
from ftalab.scenario.results import Note, StudyResult
from ftalab.scenario.schema import SCHEMA_VERSION, Scenario

__all__ = [
    "SCHEMA_VERSION",
    "Scenario",
    "Note",
    "StudyResult",
    "load_scenario",
    "parse_scenario",
    "preset_names",
    "preset_path",
    "scenario_to_toml",
    "run_scenario",
]


def __getattr__(name: str):  # the runner pulls in data, estimation and GE: load it on use
    if name == "run_scenario":
        from ftalab.scenario.runner import run_scenario

        return run_scenario
    raise AttributeError(f"module 'ftalab.scenario' has no attribute {name!r}")
