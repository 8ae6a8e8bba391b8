"""The sco-fta report in a real headless browser: charts and map render, offline, without console errors."""

from __future__ import annotations

import pytest

from _browser import launch_chromium, watch_page
from _scenario_runs import sco_fta_run

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_report_renders_offline_without_errors() -> None:
    from playwright import sync_api as playwright

    report = sco_fta_run() / "report.html"
    with playwright.sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            problems, outside = watch_page(page, local=("file:", "data:", "blob:"))
            page.goto(report.as_uri())
            page.wait_for_function("document.body.dataset.chartsReady === 'true'", timeout=60_000)
            bars = page.eval_on_selector("#chart-real-gdp", "e => e.querySelectorAll('g.point path').length")
            ebars = page.eval_on_selector("#chart-real-gdp", "e => e.querySelectorAll('g.errorbar').length")
            map_paths = page.eval_on_selector("#map-real-gdp", "e => e.querySelectorAll('path.choroplethlocation').length")
            sigma_bars = page.eval_on_selector("#chart-sigma", "e => e.querySelectorAll('g.point').length")
            rendered = page.eval_on_selector_all("[data-rendered='true']", "els => els.map(e => e.id)")
            headline_rows = page.eval_on_selector("#headline-table", "t => t.tBodies[0].rows.length")
            text = page.inner_text("body")
        finally:
            browser.close()
    assert problems == []
    assert outside == []  # nothing fetched: plotly.js and the shapes are embedded
    assert bars == 13 and ebars >= 10  # 10 members + 3 aggregates, with interval bars
    assert map_paths > 150  # one filled shape per economy with a shape
    assert sigma_bars == 39
    assert set(rendered) >= {"chart-real-gdp", "chart-exports", "chart-sigma", "map-real-gdp"}
    assert headline_rows == 13
    for phrase in ["Trade creation", "Trade diversion", "Sources and citations", "Assumptions and caveats", "Step 1"]:
        assert phrase in text
