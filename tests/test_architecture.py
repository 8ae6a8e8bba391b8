"""Layers import one way: data -> estimate -> ge/pe -> scenario -> report -> cli/web.

A module may import from its own layer and from layers to its left, never
from a layer to its right (STYLE.md, practice 1).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import ftalab

PACKAGE = Path(ftalab.__file__).parent
LAYERS = {
    "errors": 0,
    "data": 1,
    "estimate": 2,
    "ge": 3,
    "pe": 3,
    "scenario": 4,
    "report": 5,
    "cli": 6,
    "web": 6,
}


def _layer_of(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "ftalab" or len(parts) < 2:
        return None
    return LAYERS.get(parts[1])


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if p.parent != PACKAGE or p.name == "errors.py")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_imports_only_lower_layers(path: Path) -> None:
    own = LAYERS[path.relative_to(PACKAGE).parts[0].removesuffix(".py")]
    upward = [m for m in _imports(path) if (layer := _layer_of(m)) is not None and layer > own]
    assert not upward, f"{path.name} imports higher layers: {upward}"
