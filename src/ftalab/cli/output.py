"""Small helpers shared by the command modules: JSON and table output."""

from __future__ import annotations

import json
import math
import sys
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["print_json", "print_table", "to_jsonable"]


def to_jsonable(obj: Any) -> Any:
    """Convert numpy/pandas values to JSON-ready Python values (NaN -> null)."""
    if isinstance(obj, pd.DataFrame):
        return [to_jsonable(r) for r in obj.to_dict(orient="records")]
    if isinstance(obj, pd.Series):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [to_jsonable(v) for v in obj.tolist()]
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if obj is pd.NA or obj is pd.NaT:
        return None
    return obj


def print_json(obj: Any) -> None:
    """Print ``obj`` as JSON on stdout."""
    json.dump(to_jsonable(obj), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def print_table(df: pd.DataFrame, floatfmt: str = "{:.4f}") -> None:
    """Print a DataFrame as a plain aligned table on stdout."""
    with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200):
        print(df.to_string(float_format=lambda v: floatfmt.format(v)))
