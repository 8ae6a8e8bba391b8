"""Scenario presets shipped with ftalab (TOML files; see ``ftalab.scenario.preset_names``)."""
