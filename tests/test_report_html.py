"""The HTML report, its charts and map shapes (fast; a small hand-made result)."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from ftalab.report import charts
from ftalab.report.html import render_report
from ftalab.report.shapes import country_shapes
from ftalab.scenario.results import Note, StudyResult

MEMBERS = ("KAZ", "KGZ")


def _result() -> StudyResult:
    codes = ["KAZ", "KGZ", "USA", "TWN", "ZZZ"]
    rows = []
    for step in ("baseline_update", "scenario"):
        for code, v in zip(codes + ["*MEMBERS", "*NONMEMBERS", "*WORLD"], [0.6, 1.7, -0.01, -0.02, 0.0, 0.7, -0.01, 0.03], strict=True):
            for m in ("welfare", "real_gdp", "exports", "imports", "revenue"):
                lo, hi = (v - 0.1, v + 0.1) if step == "scenario" else (np.nan, np.nan)
                rows.append((step, code, m, v if m != "revenue" else np.nan, lo, hi))
    cr = pd.DataFrame(rows, columns=["step", "iso3", "measure", "value", "lo", "hi"])
    sens = pd.DataFrame(
        [(k, var, c, "welfare", 0.1 * i) for k, vs in (("sigma", ["4", "7", "10"]), ("domestic", ["0.75", "1", "1.5"]))
         for i, var in enumerate(vs) for c in ["KAZ", "KGZ", "*MEMBERS"]],
        columns=["kind", "variant", "iso3", "measure", "value"],
    )
    te = pd.DataFrame(
        [("scenario", "trade_creation", 1e7, 1.2e7, 2e6, 20.0, 19.0), ("scenario", "trade_diversion", 5e8, 4.9e8, -1e7, -2.0, -2.1)],
        columns=["step", "measure", "baseline", "new", "change", "change_pct", "change_pct_cond"],
    )
    ag = pd.DataFrame([("baseline_update", "KAZ", "KGZ", "Test agreement <b>", "FTA", "2019-01-01", "none")],
                      columns=["step", "exporter", "importer", "agreement", "type", "entry", "type_before"])
    countries = pd.DataFrame({"iso3": codes, "name": ["Kazakhstan", "Kyrgyzstan", "United States", "Taiwan", "Nowhere"]})
    return StudyResult(
        scenario_name="unit",
        title="Unit test <scenario>",
        description="A description with <script>alert(1)</script> in it.",
        members=MEMBERS,
        new_members=(),
        tables={"countries": countries, "country_results": cr, "pair_results": pd.DataFrame(), "sensitivity": sens,
                "trade_effects": te, "agreements": ag},
        notes=(Note("data", "A data flag."), Note("override", "An override."), Note("caveat", "A caveat.")),
        parameters={"date": "2025-06-30", "data_year": 2015, "world_label": "test world", "sigma": 7.0, "draws": 10,
                    "seed": 1, "interval_pct": "90", "floor_pct": "10", "shock_lines": ["fta_rta: 2 pairs"],
                    "display": {"σ": "7"}},
        citations=("A citation.",),
        manifest={"created": "2026-01-01T00:00:00Z", "timings": {"total": 1.0}},
    )


@pytest.fixture(scope="module")
def page() -> str:
    return render_report(_result())


def test_self_contained(page: str) -> None:
    # no external script or stylesheet, no CDN
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=", page)
    assert "cdn.plot.ly" not in page.replace("https://cdn.plot.ly/un/", "")  # plotly.js's default URL is overridden
    assert "PlotlyGeoAssets" in page  # the empty base topology that keeps plotly.js offline
    assert len(page) > 3_000_000  # plotly.min.js is inside


def test_escaping(page: str) -> None:
    assert "<script>alert(1)</script>" not in page
    assert "Unit test &lt;scenario&gt;" in page
    assert "Test agreement &lt;b&gt;" in page


def test_figures_json(page: str) -> None:
    m = re.search(r'<script type="application/json" id="ftalab-figures">(.*?)</script>', page, re.S)
    assert m
    figs = json.loads(m.group(1))
    assert set(figs) == {"chart-real-gdp", "chart-exports", "chart-sigma", "map-real-gdp"}
    bar = figs["chart-real-gdp"]["data"][0]
    assert bar["x"][:2] == ["KAZ", "KGZ"] and "error_y" in bar
    assert bar["error_y"]["array"][0] == pytest.approx(0.1)
    choro = figs["map-real-gdp"]["data"][0]
    assert set(choro["locations"]) == {"KAZ", "KGZ", "USA", "TWN"}
    assert "ZZZ" in figs["map-real-gdp"]["layout"]["annotations"][0]["text"]  # not lost silently
    sigma = figs["chart-sigma"]["data"]
    assert [t["name"] for t in sigma] == ["σ = 4", "σ = 7", "σ = 10"]


def test_sections_and_definitions(page: str) -> None:
    for section in ["headline", "map-section", "steps", "trade-effects", "sensitivity", "data-notes", "assumptions", "citations"]:
        assert f'id="{section}"' in page
    assert "<b>Trade creation</b>: the change in members' exports to each other" in page
    assert "<b>Trade diversion</b>: the change in non-members' exports to the members" in page
    assert "A data flag." in page and "An override." in page and "A caveat." in page and "A citation." in page
    assert "Natural Earth" in page


def test_choropleth_scale_symmetric() -> None:
    shapes = {"type": "FeatureCollection", "features": [{"type": "Feature", "id": "AAA", "geometry": None}, {"type": "Feature", "id": "BBB", "geometry": None}]}
    fig = charts.choropleth(pd.Series({"AAA": -0.5, "BBB": 2.0, "CCC": 1.0}), pd.Series(dtype=str), shapes, title="t", colorbar="%")
    tr = fig["data"][0]
    assert tr["zmin"] == -2.0 and tr["zmax"] == 2.0 and tr["zmid"] == 0.0
    assert "CCC" in fig["layout"]["annotations"][0]["text"]
    assert not fig["layout"]["geo"]["showland"] and not fig["layout"]["geo"]["showcountries"]


def test_country_shapes_from_installed_package() -> None:
    shapes = country_shapes()
    ids = [f["id"] for f in shapes["features"]]
    assert len(ids) == len(set(ids)) > 200
    for code in ["TWN", "KAZ", "FRA", "NOR", "XKX", "SSD", "CHN", "IND"]:
        assert code in ids, code
    # exterior rings clockwise (d3-geo convention): signed area (shoelace) negative
    kaz = next(f for f in shapes["features"] if f["id"] == "KAZ")["geometry"]
    ring = np.array(kaz["coordinates"][0] if kaz["type"] == "Polygon" else kaz["coordinates"][0][0])
    area = 0.5 * np.sum(ring[:-1, 0] * ring[1:, 1] - ring[1:, 0] * ring[:-1, 1])
    assert area < 0
