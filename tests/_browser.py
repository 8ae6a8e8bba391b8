"""Debian's chromium driven by Playwright (a browser download is impossible here), shared by the browser tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch_chromium(playwright: Any) -> Any:
    """Launch /usr/bin/chromium headless; fail (not skip) when it is missing."""
    if not CHROMIUM.exists():
        pytest.fail("Debian chromium is missing at /usr/bin/chromium (apt-get install -y chromium)")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)


def watch_page(page: Any, local: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Record console errors/warnings, page errors and failed requests, and requests outside ``local`` URL prefixes."""
    problems: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(local) else None)
    return problems, outside
