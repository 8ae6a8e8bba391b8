"""A self-contained HTML report of a scenario run.

Everything the page needs is inside the file: plotly.js from the installed
``plotly`` package, the map shapes from an installed Natural Earth package
(:mod:`ftalab.report.shapes`), the CSS and the page script from this
package's ``templates`` folder. The page opens offline and fetches nothing.
"""

from __future__ import annotations

import html as _html
import json
import logging
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ftalab import __version__
from ftalab.errors import FtalabError
from ftalab.report import charts
from ftalab.scenario.results import StudyResult

__all__ = ["render_report", "write_report", "AGGREGATE_LABELS"]

logger = logging.getLogger(__name__)

# Pseudo-codes of the aggregates in the country_results table.
AGGREGATE_LABELS = {
    "*MEMBERS": "Members (GDP-weighted)",
    "*NONMEMBERS": "Rest of world (GDP-weighted)",
    "*WORLD": "World (GDP-weighted)",
}

_MEASURES = (
    ("welfare", "Real income (welfare), %"),
    ("real_gdp", "Real GDP, %"),
    ("exports", "Exports, %"),
    ("imports", "Imports, %"),
    ("revenue", "Tariff revenue, %"),
)


def _template_text(name: str) -> str:
    return resources.files("ftalab.report").joinpath("templates", name).read_text("utf-8")


def _plotly_js() -> str:
    try:
        from plotly.offline import get_plotlyjs
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise FtalabError("the report needs plotly; install the report extra: pip install 'ftalab[report]'") from exc
    return get_plotlyjs()


def _fmt(v: float, digits: int = 3) -> str:
    if v is None or not np.isfinite(v):
        return "–"
    return f"{v:+.{digits}f}"


def _cell(value: float, lo: float, hi: float) -> dict[str, str]:
    text = _fmt(value)
    if np.isfinite(lo) and np.isfinite(hi):
        text += f" [{lo:+.3f}, {hi:+.3f}]"
    cls = "" if not np.isfinite(value) else ("neg" if value < 0 else "pos" if value > 0 else "")
    return {"text": text, "cls": cls}


def _names(result: StudyResult) -> pd.Series:
    c = result.tables["countries"]
    return pd.Series(c["name"].to_numpy(), index=c["iso3"].to_numpy())


def _headline(result: StudyResult) -> dict[str, Any]:
    cr = result.tables["country_results"]
    scen = cr[cr["step"] == "scenario"]
    measures = [(m, label) for m, label in _MEASURES if (scen["measure"] == m).any()]
    if "revenue" in dict(measures) and not np.any(np.abs(scen.loc[scen["measure"] == "revenue", "value"]) > 0):
        measures = [m for m in measures if m[0] != "revenue"]
    names = _names(result)
    order = list(result.members) + [c for c in result.new_members if c not in result.members]
    order += [k for k in AGGREGATE_LABELS if (scen["iso3"] == k).any()]
    rows = []
    for code in order:
        cells = []
        for m, _ in measures:
            sel = scen[(scen["iso3"] == code) & (scen["measure"] == m)]
            if sel.empty:
                cells.append({"text": "–", "cls": ""})
            else:
                r = sel.iloc[0]
                cells.append(_cell(float(r["value"]), float(r["lo"]), float(r["hi"])))
        label = AGGREGATE_LABELS.get(code) or f"{names.get(code, code)} ({code})"
        rows.append({"label": label, "cells": cells, "cls": "agg" if code.startswith("*") else ""})
    return {"columns": [label for _, label in measures], "rows": rows}


def _table_html(df: pd.DataFrame, table_id: str) -> str:
    """A small numeric table as HTML (values formatted to 3 decimals)."""
    left = ' class="l"'
    head = "".join(
        f"<th{left if i == 0 else ''}>{_html.escape(str(c))}</th>" for i, c in enumerate(df.columns)
    )
    body = []
    for _, row in df.iterrows():
        tds = []
        for i, v in enumerate(row):
            if i == 0:
                tds.append(f'<td class="l">{_html.escape(str(v))}</td>')
            else:
                tds.append(f"<td>{_fmt(float(v))}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    return f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _sensitivity(result: StudyResult, kind: str, label: str) -> tuple[pd.DataFrame, str]:
    sens = result.tables["sensitivity"]
    sel = sens[(sens["kind"] == kind) & (sens["measure"] == "welfare")]
    if sel.empty:
        return sel, ""
    names = _names(result)
    codes = [c for c in list(result.members) + list(result.new_members) + list(AGGREGATE_LABELS) if (sel["iso3"] == c).any()]
    wide = sel.pivot_table(index="iso3", columns="variant", values="value", aggfunc="first").reindex(codes)
    wide = wide[sorted(wide.columns, key=float)]
    wide.columns = [f"{label} = {v}" for v in wide.columns]
    wide.insert(0, "Economy (real income, %)", [AGGREGATE_LABELS.get(c) or f"{names.get(c, c)} ({c})" for c in wide.index])
    return sel, _table_html(wide.reset_index(drop=True), f"sensitivity-{kind}")


def _world_table(result: StudyResult) -> str:
    """Main world vs the robustness world (point estimates of real income)."""
    sens = result.tables["sensitivity"]
    alt = sens[(sens["kind"] == "world") & (sens["measure"] == "welfare")]
    if alt.empty:
        return ""
    cr = result.tables["country_results"]
    main = cr[(cr["step"] == "scenario") & (cr["measure"] == "welfare")].set_index("iso3")["value"]
    names = _names(result)
    codes = [c for c in list(result.members) + list(result.new_members) + list(AGGREGATE_LABELS) if c in main.index]
    other = alt.set_index("iso3")["value"]
    label = str(alt["variant"].iloc[0])
    df = pd.DataFrame(
        {
            "Economy (real income, %)": [AGGREGATE_LABELS.get(c) or f"{names.get(c, c)} ({c})" for c in codes],
            f"{result.parameters.get('world', 'main')} (main)": main.reindex(codes).to_numpy(dtype=float),
            label: other.reindex(codes).to_numpy(dtype=float),
        }
    )
    return _table_html(df, "sensitivity-world")


def _trade_rows(result: StudyResult) -> list[dict[str, str]]:
    te = result.tables["trade_effects"]
    te = te[te["step"] == "scenario"]
    labels = {
        "trade_creation": "Trade creation: members' exports to members",
        "trade_diversion": "Trade diversion: non-members' exports to members",
        "members_exports_to_nonmembers": "Members' exports to non-members",
        "world_trade": "World trade (international)",
    }
    rows = []
    for key, label in labels.items():
        sel = te[te["measure"] == key]
        if sel.empty:
            continue
        r = sel.iloc[0]
        rows.append(
            {
                "label": label,
                "baseline": f"{r['baseline'] / 1e6:,.1f}",
                "change": _fmt(float(r["change"]) / 1e6, 2),
                "pct": _fmt(float(r["change_pct"])),
                "pct_cond": _fmt(float(r.get("change_pct_cond", np.nan))),
            }
        )
    return rows


def _steps_rows(result: StudyResult) -> list[dict[str, str]]:
    cr = result.tables["country_results"]
    names = _names(result)
    rows = []
    codes = list(result.members) + [c for c in result.new_members if c not in result.members] + list(AGGREGATE_LABELS)
    for code in codes:
        def val(step: str) -> str:
            sel = cr[(cr["step"] == step) & (cr["iso3"] == code) & (cr["measure"] == "welfare")]
            return "–" if sel.empty else _fmt(float(sel.iloc[0]["value"]))
        if not ((cr["iso3"] == code).any()):
            continue
        rows.append(
            {
                "label": AGGREGATE_LABELS.get(code) or f"{names.get(code, code)} ({code})",
                "step1": val("baseline_update"),
                "step2": val("scenario"),
                "cls": "agg" if code.startswith("*") else "",
            }
        )
    return rows


def _agreement_rows(result: StudyResult) -> list[dict[str, Any]]:
    ag = result.tables["agreements"]
    ag = ag[ag["step"] == "baseline_update"]
    if ag.empty:
        return []
    grouped = ag.groupby(["agreement", "type", "entry"], sort=True).size().reset_index(name="pairs")
    return grouped.sort_values(["entry", "agreement"], kind="stable").to_dict("records")


def _figures(result: StudyResult, geojson: dict[str, Any]) -> dict[str, Any]:
    names = _names(result)
    cr = result.tables["country_results"]
    scen = cr[cr["step"] == "scenario"]
    focus = list(result.members) + [c for c in result.new_members if c not in result.members]
    figs: dict[str, Any] = {}
    for measure, fig_id, title in (
        ("welfare", "chart-real-gdp", "Real income (welfare) change, members and rest of world"),
        ("exports", "chart-exports", "Change in total exports"),
    ):
        sel = scen[scen["measure"] == measure].set_index("iso3")
        codes = [c for c in focus + list(AGGREGATE_LABELS) if c in sel.index]
        df = pd.DataFrame(
            {
                "iso3": codes,
                "label": [AGGREGATE_LABELS.get(c, c).replace(" (GDP-weighted)", "") for c in codes],
                "value": sel.loc[codes, "value"].to_numpy(dtype=float),
                "lo": sel.loc[codes, "lo"].to_numpy(dtype=float),
                "hi": sel.loc[codes, "hi"].to_numpy(dtype=float),
            }
        )
        figs[fig_id] = charts.bar_with_intervals(df, title=title, yaxis="% change", highlight=focus)
    sens = result.tables["sensitivity"]
    sig = sens[(sens["kind"] == "sigma") & (sens["measure"] == "welfare") & sens["iso3"].isin(focus + list(AGGREGATE_LABELS))]
    if not sig.empty:
        df = sig.rename(columns={"variant": "group"}).assign(
            label=lambda d: [AGGREGATE_LABELS.get(c, c).replace(" (GDP-weighted)", "") for c in d["iso3"]]
        )
        df = df.assign(_s=df["group"].astype(float)).sort_values("_s", kind="stable").drop(columns="_s")
        figs["chart-sigma"] = charts.grouped_bars(df, title="Real income change by σ", yaxis="% change", group_title="σ =")
    real = scen[(scen["measure"] == "welfare") & ~scen["iso3"].str.startswith("*")].set_index("iso3")["value"]
    figs["map-real-gdp"] = charts.choropleth(
        real.astype(float), names, geojson, title="Real income (welfare) change, %", colorbar="%"
    )
    return figs


def render_report(result: StudyResult, *, geojson: dict[str, Any] | None = None) -> str:
    """Render the report of ``result`` as one self-contained HTML string.

    Parameters
    ----------
    result : StudyResult
        The run's tables and notes.
    geojson : dict, optional
        Country shapes (ISO3 ``id`` per feature); default :func:`ftalab.report.shapes.country_shapes`.
    """
    try:
        import jinja2
    except ImportError as exc:  # pragma: no cover
        raise FtalabError("the report needs jinja2; install the report extra: pip install 'ftalab[report]'") from exc
    from markupsafe import Markup

    from ftalab.report.shapes import SHAPES_CITATION, SHAPES_SOURCE, country_shapes

    if geojson is None:
        geojson = country_shapes()
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(_template_text("report.html.j2"))
    names = _names(result)
    p = result.parameters
    figures = _figures(result, geojson)
    # "</" inside a script element would end it early.
    figures_json = json.dumps(figures, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
    _, sigma_table = _sensitivity(result, "sigma", "σ")
    _, domestic_table = _sensitivity(result, "domestic", "m")
    _, ave_table = _sensitivity(result, "ave_per_day", "% per day")
    world_table = _world_table(result)
    data_notes = [n for n in result.notes if n.kind in ("data", "override")]
    assumption_notes = [n for n in result.notes if n.kind in ("assumption", "caveat")]
    timings = result.manifest.get("timings", {})
    param_rows = [(k, v) for k, v in p.get("display", {}).items()]
    page = template.render(
        version=__version__,
        title=result.title or result.scenario_name,
        scenario_name=result.scenario_name,
        description=result.description,
        params=p,
        members=result.members,
        new_members=result.new_members,
        member_names=", ".join(f"{names.get(c, c)} ({c})" for c in result.members),
        new_member_names=", ".join(f"{names.get(c, c)} ({c})" for c in result.new_members),
        shock_lines=p.get("shock_lines", []),
        headline=_headline(result),
        agreements_rows=_agreement_rows(result),
        steps_rows=_steps_rows(result),
        trade_rows=_trade_rows(result),
        sigma_table=Markup(sigma_table),
        domestic_table=Markup(domestic_table),
        ave_table=Markup(ave_table),
        world_table=Markup(world_table),
        data_notes=data_notes,
        assumption_notes=assumption_notes,
        param_rows=param_rows,
        citations=list(result.citations) + [SHAPES_CITATION],
        shapes_source=SHAPES_SOURCE,
        manifest_created=result.manifest.get("created", ""),
        timing=", ".join(f"{k} {v:.2f} s" for k, v in timings.items()),
        css=Markup(_template_text("report.css")),
        plotly_js=Markup(_plotly_js()),
        figures_json=Markup(figures_json),
        page_js=Markup(_template_text("report.js")),
    )
    return page


def write_report(result: StudyResult, out: Path, **kw: Any) -> Path:
    """Render the report and write it to ``out/report.html``; return the path."""
    path = Path(out) / "report.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(result, **kw), encoding="utf-8")
    logger.info("wrote %s (%.1f MB)", path, path.stat().st_size / 1e6)
    return path
