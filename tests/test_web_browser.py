"""The dashboard in a real headless browser, served by ``ftalab web serve`` (uvicorn) on a free local port."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from _browser import launch_chromium, watch_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of ``ftalab web serve`` running in a subprocess (stopped by its pid afterwards)."""
    port = _free_port()
    log = tmp_path_factory.mktemp("web-serve") / "server.log"
    runs = log.parent / "runs"
    with open(log, "w") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ftalab", "web", "serve", "--host", "127.0.0.1", "--port", str(port), "--runs-dir", str(runs)],
            stdout=fh, stderr=subprocess.STDOUT, env=os.environ.copy(),
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"ftalab web serve did not start:\n{Path(log).read_text()[-3000:]}")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_dashboard_runs_a_preset(server: str) -> None:
    from playwright import sync_api as playwright

    with playwright.sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            problems, outside = watch_page(page, local=(server + "/", "data:"))
            page.goto(server + "/")
            # Only selectors and locators below: the dashboard's CSP forbids the eval that wait_for_function polls with.
            page.wait_for_selector("#run:not([disabled])")  # enabled once presets and the first scenario are loaded
            options = page.eval_on_selector_all("#preset option", "os => os.map(o => o.value)")

            # A bad edit: the API's 422 message is shown, no run starts.
            page.click("summary")
            text = page.input_value("#toml")
            assert "sigma = 7.0" in text
            page.fill("#toml", text.replace("sigma = 7.0", "sigma = 0.5"))
            page.click("#run")
            page.wait_for_selector("#error:not([hidden])")
            error = page.inner_text("#error")
            run_panel_hidden = page.eval_on_selector("#run-panel", "e => e.hidden")
            # Chromium logs the 422 response itself; that one message is expected.
            assert [m for m in problems if "422" not in m] == []
            problems.clear()

            # Run the quickest preset (selecting it restores its unedited scenario).
            page.select_option("#preset", "sco-corridor")
            playwright.expect(page.locator("#toml")).to_have_value(re.compile('name = "sco-corridor"'))
            page.click("#run")
            page.wait_for_selector("body[data-run-status=done], body[data-run-status=failed]", state="attached", timeout=600_000)
            status = page.inner_text("#run-status")
            progress = page.inner_text("#progress")
            rows = page.eval_on_selector_all(
                "#headline-table tbody tr", "rs => rs.map(r => Array.from(r.cells, c => c.textContent))"
            )
            trade_rows = page.eval_on_selector("#trade-table", "t => t.tBodies[0].rows.length")
            report_href = page.get_attribute("#report-link", "href")
            csv_links = page.eval_on_selector_all("#links a[href$='.csv']", "as => as.map(a => a.getAttribute('href'))")
            error_hidden = page.eval_on_selector("#error", "e => e.hidden")
            report = page.request.get(server + report_href)
            report_ok, report_type = report.ok, report.headers["content-type"]
        finally:
            browser.close()

    assert options == ["sco-corridor", "sco-enlargement", "sco-facilitation", "sco-fta", "sco-fta-tariffs"]
    assert "posted TOML: model.sigma: sigma must be greater than 1 (got 0.5)" in error
    assert run_panel_hidden
    assert status == "sco-corridor — done", progress
    assert error_hidden
    assert "Monte Carlo: 100 draws" in progress
    assert len(rows) == 13  # 10 members and 3 aggregates
    assert rows[0][:2] == ["Belarus", "BLR"] and rows[-1][:2] == ["World (GDP-weighted)", "*WORLD"]
    assert all(r[3].startswith("[") for r in rows)  # every row has its Monte Carlo interval
    assert trade_rows == 4
    assert report_href.startswith("/api/runs/") and report_href.endswith("/report")
    assert report_ok and report_type.startswith("text/html")
    assert len(csv_links) == 6
    assert problems == []
    assert outside == []  # no CDN, nothing but the local server
