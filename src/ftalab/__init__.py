"""ftalab: free-trade-area feasibility studies with structural gravity.

Data flow one way: ``data -> estimate -> ge/pe -> scenario -> report``.
The top-level names below are loaded lazily so that ``import ftalab`` stays
cheap and optional extras are only imported when used.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY = {
    "fepois": "ftalab.estimate",
    "feols": "ftalab.estimate",
    "etable": "ftalab.estimate",
    "load": "ftalab.data",
    "fetch": "ftalab.data",
}

__all__ = ["__version__", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'ftalab' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
