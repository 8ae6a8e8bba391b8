"""Scenario runs started over HTTP: a small thread pool, run state in memory, outputs on disk.

Each run calls the public scenario and report APIs
(:func:`ftalab.scenario.run_scenario`, :func:`ftalab.report.write_outputs`)
and writes into ``runs_dir/<id>/`` exactly what ``ftalab run`` writes.
"""

from __future__ import annotations

import logging
import math
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ftalab.errors import FtalabError
from ftalab.scenario import Scenario

__all__ = ["Run", "RunManager", "RunStatus", "TooManyRuns"]

logger = logging.getLogger(__name__)

RunStatus = Literal["queued", "running", "done", "failed"]

# What the client sees when something other than a user error stops a run; details go to the log.
_INTERNAL = "internal error while running the scenario; the server log has the details"


class TooManyRuns(Exception):
    """More runs are waiting than the server accepts."""


@dataclass
class Run:
    """State of one run; mutated by its worker thread under :attr:`RunManager.lock`."""

    id: str
    scenario: Scenario
    source: str
    out: Path
    report: bool
    status: RunStatus = "queued"
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    progress: list[str] = field(default_factory=list)
    error: str | None = None
    headline: list[dict[str, Any]] | None = None
    trade_effects: list[dict[str, Any]] | None = None
    tables: dict[str, Path] = field(default_factory=dict)
    report_path: Path | None = None


def _num(v: Any) -> float | None:
    v = float(v)
    return v if math.isfinite(v) else None


def _headline(result: Any) -> list[dict[str, Any]]:
    """Real-income change (%, with interval) of the members, joining countries and aggregates."""
    h = result.headline(measure="welfare")
    names = result.tables["countries"].set_index("iso3")["name"]
    labels = {"*MEMBERS": "Members (GDP-weighted)", "*NONMEMBERS": "Non-members (GDP-weighted)", "*WORLD": "World (GDP-weighted)"}
    focus = [c for c in (*result.members, *result.new_members, *labels) if c in h.index]
    return [
        {
            "iso3": c,
            "name": labels.get(c) or str(names.get(c, c)),
            "joining": c in result.new_members,
            "value": _num(h.at[c, "value"]),
            "lo": _num(h.at[c, "lo"]),
            "hi": _num(h.at[c, "hi"]),
        }
        for c in focus
    ]


def _trade_effects(result: Any) -> list[dict[str, Any]]:
    te = result.tables["trade_effects"]
    te = te[te["step"] == "scenario"]
    return [
        {"measure": str(r.measure), "baseline": _num(r.baseline), "new": _num(r.new), "change_pct": _num(r.change_pct)}
        for r in te.itertuples(index=False)
    ]


class RunManager:
    """Start runs on a thread pool and keep their state.

    Parameters
    ----------
    runs_dir : Path
        Each run writes into ``runs_dir/<id>``.
    max_workers : int
        Runs executed at once (a run is CPU-bound; 1 suits a small machine).
    max_pending : int
        Runs queued or running at once; more are refused with :class:`TooManyRuns`.
    """

    def __init__(self, runs_dir: Path, *, max_workers: int = 1, max_pending: int = 8) -> None:
        self.runs_dir = Path(runs_dir)
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        self.max_pending = max_pending
        self.lock = threading.Lock()
        self._runs: dict[str, Run] = {}
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="ftalab-run")

    def submit(self, scenario: Scenario, *, source: str, report: bool = True) -> Run:
        """Queue a run of ``scenario``; return its state (status ``queued``)."""
        with self.lock:
            pending = sum(r.status in ("queued", "running") for r in self._runs.values())
            if pending >= self.max_pending:
                raise TooManyRuns(f"{pending} runs are queued or running; wait for one to finish")
            run_id = secrets.token_hex(8)
            run = Run(id=run_id, scenario=scenario, source=source, out=self.runs_dir / run_id, report=report)
            self._runs[run_id] = run
        self._pool.submit(self._execute, run)
        logger.info("run %s queued: scenario %s from %s", run_id, scenario.name, source)
        return run

    def snapshot(self, run_id: str) -> dict[str, Any] | None:
        """A consistent copy of a run's state (the worker may be writing meanwhile)."""
        with self.lock:
            run = self._runs.get(run_id)
            if run is None:
                return None
            return {**run.__dict__, "progress": list(run.progress)}

    def shutdown(self) -> None:
        """Stop accepting work; queued runs are cancelled, a running one finishes in its thread."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _execute(self, run: Run) -> None:
        from ftalab.report import write_outputs
        from ftalab.scenario import run_scenario

        start = time.perf_counter()

        def progress(msg: str) -> None:
            with self.lock:
                run.progress.append(f"[{time.perf_counter() - start:6.1f}s] {msg}")

        with self.lock:
            run.status, run.started = "running", time.time()
        try:
            result = run_scenario(run.scenario, source=run.source, progress=progress)
            progress("writing tables, manifest" + (" and report" if run.report else ""))
            written = write_outputs(result, run.scenario, run.out, source=run.source, report=run.report)
            headline, effects = _headline(result), _trade_effects(result)
        except FtalabError as exc:  # a problem the user can fix: show the message
            logger.info("run %s failed: %s", run.id, exc)
            with self.lock:
                run.status, run.error, run.finished = "failed", str(exc), time.time()
            return
        except Exception:  # a bug: log the traceback, never send it to the client
            logger.exception("run %s failed with an internal error", run.id)
            with self.lock:
                run.status, run.error, run.finished = "failed", _INTERNAL, time.time()
            return
        progress(f"done in {time.perf_counter() - start:.1f} s")
        with self.lock:
            run.headline, run.trade_effects = headline, effects
            run.tables = {name: Path(paths[0]) for name, paths in written["tables"].items()}
            run.report_path = Path(written["report"]) if written.get("report") else None
            run.status, run.finished = "done", time.time()
