"""The FastAPI app: JSON API under ``/api``, its OpenAPI contract at ``/openapi.json``, dashboard at ``/``.

Every error is a JSON body ``{"detail": "..."}`` naming the problem; tracebacks
go to the server log only.
"""

from __future__ import annotations

import logging
import os
import tempfile
import tomllib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from ftalab import __version__
from ftalab.errors import FtalabError, ScenarioError
from ftalab.scenario import Scenario, load_scenario, parse_scenario, preset_names, preset_path, scenario_to_toml
from ftalab.web.models import (
    DatasetInfo,
    ErrorBody,
    Health,
    PresetDetail,
    PresetInfo,
    RunCreated,
    RunInfo,
    RunRequest,
)
from ftalab.web.runs import RunManager, TooManyRuns

__all__ = ["create_app"]

logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
# The dashboard loads only its own files; the report (inline plotly) is served without this header.
_DASHBOARD_CSP = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"
_ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody}, 422: {"model": ErrorBody}}


def _preset(name: str) -> Scenario:
    """Load a shipped preset by name; only names in :func:`preset_names`, never a path."""
    if name not in preset_names():
        raise HTTPException(404, f"no preset named {name!r}; presets: {', '.join(preset_names())}")
    return load_scenario(preset_path(name))[0]


def _scenario_from(body: RunRequest) -> tuple[Scenario, str]:
    """Validate the request's scenario and name its source; a ScenarioError (HTTP 422) names the key and the reason."""
    given = [k for k in ("preset", "scenario", "toml") if getattr(body, k) is not None]
    if len(given) != 1:
        raise ScenarioError(f"give exactly one of preset, scenario or toml (got {', '.join(given) or 'none'})")
    if body.preset is not None:
        if body.preset not in preset_names():
            raise ScenarioError(f"preset {body.preset!r} is unknown; presets: {', '.join(preset_names())}")
        return _preset(body.preset), f"preset {body.preset}"
    if body.toml is not None:
        try:
            data = tomllib.loads(body.toml)
        except tomllib.TOMLDecodeError as exc:
            raise ScenarioError(f"posted TOML: not valid TOML: {exc}") from None
        return parse_scenario(data, source="posted TOML"), "posted TOML"
    return parse_scenario(body.scenario or {}, source="posted scenario"), "posted scenario"


def _run_info(run: dict[str, Any]) -> RunInfo:
    rid = run["id"]
    done = run["status"] == "done"
    return RunInfo(
        id=rid,
        status=run["status"],
        scenario=run["scenario"].name,
        title=run["scenario"].title,
        source=run["source"],
        created=run["created"],
        started=run["started"],
        finished=run["finished"],
        progress=run["progress"],
        error=run["error"],
        headline=run["headline"],
        trade_effects=run["trade_effects"],
        report_url=f"/api/runs/{rid}/report" if done and run["report_path"] else None,
        tables={name: f"/api/runs/{rid}/tables/{name}.csv" for name in run["tables"]},
    )


def _install_error_handlers(app: FastAPI) -> None:
    def describe(e: dict[str, Any]) -> str:
        if e.get("type") == "json_invalid":
            return f"the request body is not valid JSON ({e.get('ctx', {}).get('error', 'decode error')}, at character {e['loc'][-1]})"
        if tuple(e.get("loc", ())) == ("body",):
            return "the request body must be a JSON object with preset, scenario or toml"
        return ".".join(str(x) for x in e.get("loc", ())) + ": " + str(e.get("msg", "invalid"))

    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": "; ".join(describe(e) for e in exc.errors())}, status_code=422)

    async def user_error(request: Request, exc: FtalabError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        logger.exception("internal error on %s %s", request.method, request.url.path)
        return JSONResponse({"detail": "internal server error; the server log has the details"}, status_code=500)

    app.add_exception_handler(RequestValidationError, invalid_request)  # type: ignore[arg-type]
    app.add_exception_handler(FtalabError, user_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, internal_error)


def create_app(
    *,
    mirror: str | os.PathLike[str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    runs_dir: str | os.PathLike[str] | None = None,
    max_workers: int = 1,
) -> FastAPI:
    """Build the ftalab web app (JSON API and dashboard).

    Parameters
    ----------
    mirror, data_dir : path, optional
        Data mirror and cache. The registry reads them from ``FTALAB_DATA_MIRROR``
        and ``FTALAB_DATA_DIR``, so given values are set there (process-wide),
        as ``ftalab --mirror/--data-dir`` does. A mirror folder must exist.
    runs_dir : path, optional
        Folder for run outputs (``<runs_dir>/<run id>/``); default a new temporary folder.
    max_workers : int
        Runs executed at once (each is CPU-bound).

    Returns
    -------
    FastAPI
        Serve it with uvicorn (``ftalab web serve``) or test it with ``fastapi.testclient``.

    Examples
    --------
    >>> from fastapi.testclient import TestClient
    >>> from ftalab.web import create_app
    >>> TestClient(create_app()).get("/api/health").json()["status"]
    'ok'
    """
    if mirror is not None:
        from ftalab.data import mirror_dir

        mirror_dir(mirror)  # a missing folder fails now, with the registry's message, not at the first run
        os.environ["FTALAB_DATA_MIRROR"] = str(mirror)
    if data_dir is not None:
        os.environ["FTALAB_DATA_DIR"] = str(data_dir)
    folder = Path(runs_dir) if runs_dir is not None else Path(tempfile.mkdtemp(prefix="ftalab-web-runs-"))
    runs = RunManager(folder, max_workers=max_workers)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        logger.info("ftalab web: run outputs in %s", folder)
        yield
        runs.shutdown()

    app = FastAPI(
        title="ftalab",
        version=__version__,
        description="Free-trade-area feasibility studies: run scenarios (presets or your own) and read their results.",
        lifespan=lifespan,
        # Swagger UI and ReDoc load their scripts from a CDN: serve the contract only.
        docs_url=None,
        redoc_url=None,
    )
    app.state.runs = runs
    _install_error_handlers(app)

    @app.get("/api/health", response_model=Health, tags=["meta"])
    def health() -> Health:
        return Health(version=__version__)

    @app.get("/api/datasets", response_model=list[DatasetInfo], tags=["data"])
    def datasets() -> list[DatasetInfo]:
        from ftalab.data import dataset_names, get_dataset

        return [
            DatasetInfo(name=d.name, title=d.title, user_supplied=d.user_supplied)
            for d in (get_dataset(n) for n in dataset_names())
        ]

    @app.get("/api/presets", response_model=list[PresetInfo], tags=["scenarios"])
    def presets() -> list[PresetInfo]:
        return [PresetInfo(name=n, title=_preset(n).title) for n in preset_names()]

    @app.get("/api/presets/{name}", response_model=PresetDetail, responses=_ERRORS, tags=["scenarios"])
    def preset(name: str) -> PresetDetail:
        sc = _preset(name)
        return PresetDetail(name=name, title=sc.title, scenario=sc.model_dump(mode="json"), toml=scenario_to_toml(sc))

    @app.post("/api/runs", status_code=202, response_model=RunCreated, responses={422: {"model": ErrorBody}, 503: {"model": ErrorBody}}, tags=["runs"])
    def start_run(body: RunRequest) -> RunCreated:
        """Validate the scenario and queue its run; poll ``url`` for its state.

        Checks that need data (codes in the world, tariffs for every member) run
        when the run starts: such a run ends with status ``failed`` and an ``error``.
        """
        scenario, source = _scenario_from(body)
        try:
            run = runs.submit(scenario, source=source, report=body.report)
        except TooManyRuns as exc:
            raise HTTPException(503, str(exc)) from None
        return RunCreated(id=run.id, url=f"/api/runs/{run.id}")  # its worker may already be running it

    def _snapshot(run_id: str) -> dict[str, Any]:
        snap = runs.snapshot(run_id)
        if snap is None:
            raise HTTPException(404, f"no run with id {run_id!r} (runs are kept while the server runs)")
        return snap

    @app.get("/api/runs/{run_id}", response_model=RunInfo, responses=_ERRORS, tags=["runs"])
    def run_state(run_id: str) -> RunInfo:
        return _run_info(_snapshot(run_id))

    def _finished(run_id: str) -> dict[str, Any]:
        snap = _snapshot(run_id)
        if snap["status"] != "done":
            raise HTTPException(409, f"run {run_id} is {snap['status']}" + (f": {snap['error']}" if snap["error"] else ""))
        return snap

    @app.get("/api/runs/{run_id}/report", response_class=FileResponse, responses={**_ERRORS, 409: {"model": ErrorBody}}, tags=["runs"])
    def run_report(run_id: str) -> FileResponse:
        """The run's self-contained ``report.html`` (opens offline)."""
        snap = _finished(run_id)
        if snap["report_path"] is None:
            raise HTTPException(404, f"run {run_id} was started with report = false")
        return FileResponse(snap["report_path"], media_type="text/html; charset=utf-8")

    @app.get("/api/runs/{run_id}/tables/{name}.csv", response_class=FileResponse, responses={**_ERRORS, 409: {"model": ErrorBody}}, tags=["runs"])
    def run_table(run_id: str, name: str) -> FileResponse:
        """One result table as CSV (floats with 17 significant digits, as ``ftalab run`` writes them)."""
        snap = _finished(run_id)
        if name not in snap["tables"]:
            raise HTTPException(404, f"no table {name!r}; tables: {', '.join(snap['tables'])}")
        return FileResponse(snap["tables"][name], media_type="text/csv; charset=utf-8", filename=f"{snap['scenario'].name}-{name}.csv")

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"Content-Security-Policy": _DASHBOARD_CSP})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
