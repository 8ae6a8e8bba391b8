"""Reports of scenario runs: a self-contained HTML page with tables, charts and a map.

Needs the ``report`` extra (plotly, jinja2 and the Natural Earth shapes package).
"""

from __future__ import annotations

__all__ = ["render_report", "write_report", "country_shapes", "write_outputs", "run_from_manifest"]


def __getattr__(name: str):  # lazy: plotly and jinja2 load only when a report is made
    if name in ("render_report", "write_report"):
        from ftalab.report import html

        return getattr(html, name)
    if name in ("write_outputs", "run_from_manifest"):
        from ftalab.report import outputs

        return getattr(outputs, name)
    if name == "country_shapes":
        from ftalab.report.shapes import country_shapes

        return country_shapes
    raise AttributeError(f"module 'ftalab.report' has no attribute {name!r}")
