"""Read scenario files (TOML) and shipped presets into validated :class:`Scenario` objects.

Errors name the file, the key and the reason, e.g.::

    sco.toml: model.sigma: sigma must be greater than 1 (got 0.5); the book uses 7
"""

from __future__ import annotations

import hashlib
import json
import logging
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError as _PydanticValidationError

from ftalab.errors import ScenarioError
from ftalab.scenario.schema import Scenario

__all__ = ["load_scenario", "parse_scenario", "preset_names", "preset_path", "scenario_to_toml"]

logger = logging.getLogger(__name__)

_PRESET_PACKAGE = "ftalab.scenario.presets"


def preset_names() -> list[str]:
    """Names of the presets shipped with ftalab (``sco-fta``, ...)."""
    folder = resources.files(_PRESET_PACKAGE)
    return sorted(p.name[: -len(".toml")] for p in folder.iterdir() if p.name.endswith(".toml"))


def preset_path(name: str) -> Path:
    """The installed file of preset ``name``."""
    if name not in preset_names():
        raise ScenarioError(
            f"{name!r} is neither a scenario file nor a preset; presets: "
            + ", ".join(preset_names())
        )
    return Path(str(resources.files(_PRESET_PACKAGE) / f"{name}.toml"))


def _loc(loc: tuple[Any, ...], data: dict[str, Any]) -> str:
    """Turn a pydantic error location into a dotted key, naming shocks by index and type."""
    parts: list[str] = []
    node: Any = data
    for i, item in enumerate(loc):
        if isinstance(item, int):
            label = f"[{item}]"
            parts.append(label)
            node = node[item] if isinstance(node, list) and item < len(node) else None
            continue
        # Discriminated unions add the tag ("fta_rta") as a location step: skip it.
        if i > 0 and isinstance(loc[i - 1], int) and isinstance(node, dict) and node.get("type") == item:
            continue
        parts.append(("." if parts else "") + str(item))
        node = node.get(item) if isinstance(node, dict) else None
    return "".join(parts) or "(top level)"


def _message(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return "unknown key (check the spelling; see the presets for the keys this version reads)"
    if kind == "missing":
        return "required key is missing"
    if kind == "union_tag_invalid":
        return (
            f"unknown shock type {err.get('input', {}).get('type')!r}; use one of fta_rta, "
            "fta_tariff, facilitation, corridor, enlargement"
        )
    if kind == "union_tag_not_found":
        return "each [[shocks]] entry needs a type (fta_rta, fta_tariff, facilitation, corridor, enlargement)"
    msg = str(err.get("msg", "invalid value"))
    return msg.removeprefix("Value error, ")


def parse_scenario(data: dict[str, Any], source: str = "<scenario>") -> Scenario:
    """Validate a parsed scenario mapping; errors name ``source``, the key and the reason."""
    if not isinstance(data, dict):
        raise ScenarioError(f"{source}: a scenario is a TOML table, got {type(data).__name__}")
    if "schema_version" not in data:
        raise ScenarioError(
            f"{source}: schema_version: required key is missing; put schema_version = 1 at the top"
        )
    try:
        return Scenario.model_validate(data)
    except _PydanticValidationError as exc:
        lines = [f"{source}: {_loc(tuple(e['loc']), data)}: {_message(e)}" for e in exc.errors()]
        raise ScenarioError("; ".join(lines)) from None


def load_scenario(spec: str | Path) -> tuple[Scenario, Path]:
    """Load a scenario from a TOML file path or a preset name.

    Parameters
    ----------
    spec
        Path to a ``.toml`` file, or the name of a shipped preset (``sco-fta``).

    Returns
    -------
    (Scenario, Path)
        The validated scenario and the file it came from.

    Raises
    ------
    ScenarioError
        If the file does not exist, is not valid TOML, or fails validation.
    """
    path = Path(spec)
    if not path.is_file():
        if path.suffix == ".toml" or "/" in str(spec):
            raise ScenarioError(f"scenario file {spec} not found")
        path = preset_path(str(spec))
    try:
        raw = path.read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{path}: not UTF-8 text ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML: {exc}") from None
    scenario = parse_scenario(data, source=str(path))
    logger.info("loaded scenario %s from %s (sha256 %s)", scenario.name, path,
                hashlib.sha256(raw).hexdigest()[:12])
    return scenario, path


def _toml_value(v: Any) -> str:
    import datetime as dt

    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, str):
        # A JSON string is a valid TOML basic string, except that TOML also wants DEL escaped.
        return json.dumps(v, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k} = {_toml_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def scenario_to_toml(scenario: Scenario) -> str:
    """Write a scenario back to TOML (every option explicit); round-trips through :func:`parse_scenario`."""
    data = scenario.model_dump(mode="python", exclude_none=True)
    lines: list[str] = []
    tables = {k: v for k, v in data.items() if isinstance(v, dict)}
    shocks = data.pop("shocks", [])
    for k, v in data.items():
        if not isinstance(v, dict) and k != "shocks":
            lines.append(f"{k} = {_toml_value(v)}")
    for name, table in tables.items():
        lines.append(f"\n[{name}]")
        lines.extend(f"{k} = {_toml_value(v)}" for k, v in table.items())
    for shock in shocks:
        lines.append("\n[[shocks]]")
        lines.extend(f"{k} = {_toml_value(v)}" for k, v in shock.items())
    return "\n".join(lines) + "\n"
