"""Run the Python examples of the user documentation so that the docs cannot rot.

Every fenced block that opens with exactly ```` ```python ```` in ``docs/*.md``
and in ``README.md`` is an example. The blocks of one page run in order, in one
namespace (a later block may use names defined by an earlier one), in a
temporary working directory. Blocks fenced as ``text``/``bash`` (signatures,
output listings, shell commands) are not run. The examples hold their own
``assert`` statements on the numbers the pages quote (measured with the
shared data mirror), so a change in behaviour fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

# Pages that must hold at least one runnable example (guards against a fence typo
# that would silently turn every example into plain text).
PAGES_WITH_EXAMPLES = ("index.md", "data.md", "estimation.md", "ge.md", "scenarios.md", "README.md")

_FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)


def python_blocks(path: Path) -> list[tuple[int, str]]:
    """``(first line number, code)`` of every ```` ```python ```` block of a Markdown file."""
    text = path.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start(1)) + 1, m.group(1)) for m in _FENCE.finditer(text)]


def _pages() -> list[Path]:
    return sorted(DOCS.glob("*.md")) + [ROOT / "README.md"]


def test_every_page_is_present_and_has_examples() -> None:
    names = {p.name for p in _pages()}
    assert {"index.md", "data.md", "estimation.md", "ge.md", "scenarios.md", "cli.md"} <= names
    for name in PAGES_WITH_EXAMPLES:
        path = ROOT / name if name == "README.md" else DOCS / name
        assert python_blocks(path), f"{name} has no ```python example"


def test_block_extraction(tmp_path: Path) -> None:
    # the extractor itself: only python fences, correct line numbers, code kept verbatim
    md = "intro\n```python\nx = 1\n```\n```bash\nls\n```\n```python\ny = x + 1\n```\n"
    probe = tmp_path / "probe.md"
    probe.write_text(md, encoding="utf-8")
    assert python_blocks(probe) == [(3, "x = 1\n"), (9, "y = x + 1\n")]


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.name)
def test_page_examples_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = python_blocks(page)
    if not blocks:
        pytest.skip(f"{page.name} has no Python examples")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    for line, code in blocks:
        try:
            exec(compile(code, f"{page.name}:{line}", "exec"), namespace)  # noqa: S102 - our own docs
        except Exception as exc:  # pragma: no cover - the message is the point
            raise AssertionError(f"example at {page.relative_to(ROOT)}:{line} failed: {exc!r}") from exc
