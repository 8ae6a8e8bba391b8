"""Plotly figure specifications for the report (plain dicts, rendered by plotly.js in the page).

Each function returns a ``{"data": [...], "layout": {...}}`` mapping that is
JSON-serialisable; the HTML embeds it and calls ``Plotly.newPlot``. Nothing
here draws or fetches anything.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["bar_with_intervals", "grouped_bars", "choropleth"]

_MEMBER = "#1f5f8b"
_OTHER = "#9aa5ad"
_FONT = {"family": "Segoe UI, Helvetica, Arial, sans-serif", "size": 12}


def _clean(values: Sequence[float]) -> list[float | None]:
    # JSON has no NaN: missing values become null, which plotly.js skips.
    return [None if (v is None or (isinstance(v, float) and math.isnan(v))) else float(v) for v in values]


def bar_with_intervals(
    df: pd.DataFrame, *, title: str, yaxis: str, highlight: Sequence[str] = ()
) -> dict[str, Any]:
    """Bars of ``value`` by ``label`` with asymmetric error bars from ``lo``/``hi``.

    ``df`` has columns ``label, value, lo, hi`` (and optionally ``iso3``).
    """
    value = df["value"].to_numpy(dtype=float)
    lo = df["lo"].to_numpy(dtype=float)
    hi = df["hi"].to_numpy(dtype=float)
    has_ci = bool(np.isfinite(lo).any())
    codes = df["iso3"].tolist() if "iso3" in df else df["label"].tolist()
    trace: dict[str, Any] = {
        "type": "bar",
        "x": df["label"].tolist(),
        "y": _clean(value),
        "marker": {"color": [_MEMBER if c in highlight else _OTHER for c in codes]},
        "hovertemplate": "%{x}: %{y:.3f}%<extra></extra>",
        "name": yaxis,
    }
    if has_ci:
        trace["error_y"] = {
            "type": "data",
            "symmetric": False,
            "array": _clean(np.where(np.isfinite(hi), hi - value, np.nan)),
            "arrayminus": _clean(np.where(np.isfinite(lo), value - lo, np.nan)),
            "color": "#333",
            "thickness": 1.2,
        }
    return {
        "data": [trace],
        "layout": {
            "title": {"text": title},
            "yaxis": {"title": {"text": yaxis}, "zeroline": True},
            "margin": {"t": 50, "b": 80, "l": 60, "r": 20},
            "font": _FONT,
            "showlegend": False,
            "height": 380,
        },
    }


def grouped_bars(df: pd.DataFrame, *, title: str, yaxis: str, group_title: str) -> dict[str, Any]:
    """Grouped bars: one trace per ``group`` with ``label`` on the x axis and ``value`` as height."""
    traces = []
    for group, sub in df.groupby("group", sort=False):
        traces.append(
            {
                "type": "bar",
                "name": f"{group_title} {group}",
                "x": sub["label"].tolist(),
                "y": _clean(sub["value"].to_numpy(dtype=float)),
                "hovertemplate": "%{x}: %{y:.3f}%<extra>" + f"{group_title} {group}" + "</extra>",
            }
        )
    return {
        "data": traces,
        "layout": {
            "title": {"text": title},
            "barmode": "group",
            "yaxis": {"title": {"text": yaxis}},
            "margin": {"t": 50, "b": 80, "l": 60, "r": 20},
            "font": _FONT,
            "height": 380,
        },
    }


def choropleth(
    values: pd.Series, names: pd.Series, geojson: dict[str, Any], *, title: str, colorbar: str
) -> dict[str, Any]:
    """A world map of ``values`` (indexed by ISO3) on the given GeoJSON shapes.

    Countries without a shape are listed in the layout's annotation so none
    disappears silently. The base map's own layers are switched off: plotly.js
    would otherwise fetch its topojson from a CDN, and the report must work offline.
    """
    shape_ids = {f["id"] for f in geojson["features"]}
    present = values[values.index.isin(shape_ids)].dropna()
    missing = sorted(set(values.dropna().index) - shape_ids)
    vmax = float(np.nanmax(np.abs(present.to_numpy()))) if len(present) else 1.0
    vmax = vmax if vmax > 0 else 1.0
    # Only shapes with data: a smaller page, and no grey placeholders.
    used = {"type": "FeatureCollection", "features": [f for f in geojson["features"] if f["id"] in present.index]}
    trace = {
        "type": "choropleth",
        "geojson": used,
        "featureidkey": "id",
        "locations": present.index.tolist(),
        "z": _clean(present.to_numpy(dtype=float)),
        "text": [str(names.get(c, c)) for c in present.index],
        "hovertemplate": "%{text}: %{z:.3f}%<extra></extra>",
        "colorscale": "RdBu",
        "reversescale": False,
        "zmid": 0.0,
        "zmin": -vmax,
        "zmax": vmax,
        "marker": {"line": {"width": 0.3, "color": "#555"}},
        "colorbar": {"title": {"text": colorbar}},
    }
    layout: dict[str, Any] = {
        "title": {"text": title},
        "geo": {
            "projection": {"type": "natural earth"},
            "showframe": False,
            "showcoastlines": False,
            "showland": False,
            "showocean": False,
            "showlakes": False,
            "showrivers": False,
            "showcountries": False,
            "showsubunits": False,
            "lataxis": {"range": [-58, 85]},
        },
        "margin": {"t": 50, "b": 10, "l": 10, "r": 10},
        "font": _FONT,
        "height": 460,
    }
    if missing:
        layout["annotations"] = [
            {
                "text": "No shape (not drawn): " + ", ".join(missing),
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "font": {"size": 10},
            }
        ]
    return {"data": [trace], "layout": layout}
