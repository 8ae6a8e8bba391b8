"""The web API in-process (fastapi.testclient): every endpoint, good and bad input, one real run."""

from __future__ import annotations

import io
import sys
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from fastapi.testclient import TestClient

from ftalab.data import dataset_names  # noqa: E402
from ftalab.errors import DatasetNotAvailableError  # noqa: E402
from ftalab.scenario import load_scenario, parse_scenario, preset_names, scenario_to_toml  # noqa: E402
from ftalab.web import create_app  # noqa: E402

STATIC = Path(__file__).resolve().parents[1] / "src" / "ftalab" / "web" / "static"


@pytest.fixture(scope="module")
def runs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("web-runs")


@pytest.fixture(scope="module")
def client(runs_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(runs_dir=runs_dir)) as c:
        yield c


def _wait(client: TestClient, url: str, timeout: float = 600) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        state = client.get(url).json()
        if state["status"] not in ("queued", "running") or time.monotonic() > deadline:
            return state
        time.sleep(0.2)


def _toml(**model: Any) -> str:
    extra = "".join(f"{k} = {v!r}\n" for k, v in model.items())
    return f'schema_version = 1\nname = "t"\n[countries]\nmembers = ["CHN", "KAZ"]\n[model]\n{extra}[[shocks]]\ntype = "fta_rta"\n'


def test_health(client: TestClient) -> None:
    import ftalab

    assert client.get("/api/health").json() == {"status": "ok", "version": ftalab.__version__}


def test_openapi_contract_lists_every_endpoint(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) == {
        "/api/health", "/api/datasets", "/api/presets", "/api/presets/{name}", "/api/runs",
        "/api/runs/{run_id}", "/api/runs/{run_id}/report", "/api/runs/{run_id}/tables/{name}.csv",
    }
    post = spec["paths"]["/api/runs"]["post"]["responses"]
    # one error shape everywhere: {"detail": str}, also for 422
    assert post["422"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/ErrorBody"
    assert set(spec["components"]["schemas"]["RunRequest"]["properties"]) == {"preset", "scenario", "toml", "report"}
    assert client.get("/docs").status_code == 404  # Swagger UI would load scripts from a CDN


def test_datasets_are_the_registry(client: TestClient) -> None:
    rows = client.get("/api/datasets").json()
    assert [r["name"] for r in rows] == dataset_names()
    assert all(r["title"] and isinstance(r["user_supplied"], bool) for r in rows)


def test_presets_list_names_and_titles(client: TestClient) -> None:
    rows = client.get("/api/presets").json()
    assert [r["name"] for r in rows] == preset_names()
    assert {r["name"]: r["title"] for r in rows}["sco-fta"] == load_scenario("sco-fta")[0].title


@pytest.mark.parametrize("name", ["sco-fta", "sco-enlargement"])
def test_preset_detail_is_the_scenario(client: TestClient, name: str) -> None:
    body = client.get(f"/api/presets/{name}").json()
    scenario = load_scenario(name)[0]
    assert parse_scenario(body["scenario"]) == scenario  # JSON form validates back to the same scenario
    assert parse_scenario(tomllib.loads(body["toml"])) == scenario
    assert body["toml"] == scenario_to_toml(scenario)


@pytest.mark.parametrize("name", ["nosuch", "sco-fta.toml", "..%2F..%2Fetc%2Fpasswd"])
def test_unknown_preset_is_404(client: TestClient, name: str) -> None:
    resp = client.get(f"/api/presets/{name}")
    assert resp.status_code == 404
    if "%2F" not in name:  # an encoded slash matches no route at all: a plain 404
        assert resp.json()["detail"] == f"no preset named {name!r}; presets: " + ", ".join(preset_names())


@pytest.mark.parametrize(
    ("body", "phrases"),
    [
        ({"toml": 'schema_version = 1\nname = "t"\n[model\nsigma = 7'}, ["posted TOML: not valid TOML", "line 3"]),
        ({"toml": _toml(drawz=1)}, ["posted TOML: model.drawz: unknown key"]),
        ({"toml": _toml(sigma=1.0)}, ["posted TOML: model.sigma: sigma must be greater than 1 (got 1.0)"]),
        ({"toml": _toml(sigma=0.5)}, ["model.sigma", "greater than 1"]),
        ({"scenario": {"schema_version": 1, "name": "t", "countries": {"members": ["CHN"]}, "shocks": [{"type": "nafta"}]}},
         ["posted scenario: shocks[0]: unknown shock type 'nafta'"]),
        ({"scenario": {"name": "t"}}, ["posted scenario: schema_version: required key is missing"]),
        ({"preset": "nosuch"}, ["preset 'nosuch' is unknown; presets: sco-corridor"]),
        ({"preset": "/etc/passwd"}, ["is unknown"]),  # a preset is a name, never a path on the server
        ({}, ["give exactly one of preset, scenario or toml (got none)"]),
        ({"preset": "sco-fta", "toml": "x = 1"}, ["exactly one", "got preset, toml"]),
        ({"presett": "sco-fta"}, ["body.presett: Extra inputs are not permitted"]),
        ({"toml": 5}, ["body.toml"]),
    ],
)
def test_bad_run_request_is_422_naming_the_problem(client: TestClient, body: dict[str, Any], phrases: list[str]) -> None:
    resp = client.post("/api/runs", json=body)
    assert resp.status_code == 422, resp.text
    detail = resp.json()["detail"]
    assert isinstance(detail, str)
    for phrase in phrases:
        assert phrase in detail
    assert "Traceback" not in resp.text


@pytest.mark.parametrize(
    ("content", "ctype", "phrase"),
    [
        (b"{not json", "application/json", "the request body is not valid JSON (Expecting property name"),
        (b"[1, 2]", "application/json", "the request body must be a JSON object with preset, scenario or toml"),
        (b"schema_version = 1", "text/plain", "the request body must be a JSON object"),
    ],
)
def test_body_that_is_not_a_json_object_is_422(client: TestClient, content: bytes, ctype: str, phrase: str) -> None:
    resp = client.post("/api/runs", content=content, headers={"content-type": ctype})
    assert resp.status_code == 422
    assert phrase in resp.json()["detail"]


@pytest.mark.parametrize("path", ["/api/runs/nosuch", "/api/runs/nosuch/report", "/api/runs/nosuch/tables/countries.csv"])
def test_unknown_run_is_404(client: TestClient, path: str) -> None:
    resp = client.get(path)
    assert resp.status_code == 404
    assert resp.json() == {"detail": "no run with id 'nosuch' (runs are kept while the server runs)"}


def test_run_that_fails_a_data_check_reports_the_message(client: TestClient) -> None:
    # Valid schema, but the numeraire (USA, the default reference) is a member: checked when the run starts.
    toml = 'schema_version = 1\nname = "usa-in"\n[countries]\nmembers = ["CHN", "USA"]\n[[shocks]]\ntype = "fta_rta"\n'
    created = client.post("/api/runs", json={"toml": toml, "report": False})
    assert created.status_code == 202
    assert created.json()["status"] == "queued"
    state = _wait(client, created.json()["url"])
    assert state["status"] == "failed"
    assert "model.reference: USA is a member" in state["error"]
    assert "Traceback" not in state["error"]
    assert state["headline"] is None and state["report_url"] is None and state["tables"] == {}
    assert state["source"] == "posted TOML"
    report = client.get(f"/api/runs/{state['id']}/report")
    assert report.status_code == 409 and "is failed: posted TOML: model.reference: USA is a member" in report.json()["detail"]


def test_dashboard_and_its_files_are_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for name in ("app.js", "style.css"):
        assert f"/static/{name}" in page.text
        assert client.get(f"/static/{name}").status_code == 200
    for f in STATIC.iterdir():  # no CDN: nothing in the dashboard points outside the server
        assert "http://" not in f.read_text() and "https://" not in f.read_text(), f.name


def test_serve_without_the_web_extra_exits_2(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from ftalab.cli.main import main

    monkeypatch.setitem(sys.modules, "fastapi", None)  # what `import fastapi` sees when the extra is not installed
    assert main(["web", "serve", "--port", "1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ftalab: error:") and "install ftalab[web]" in err


def test_public_names() -> None:
    import ftalab.web
    from ftalab.web import app, models, runs

    assert ftalab.web.__all__ == ["create_app"]
    assert ftalab.web.create_app is app.create_app
    for module in (app, models, runs):
        assert all(hasattr(module, name) for name in module.__all__), module.__name__


def test_mirror_and_data_dir_go_where_the_registry_reads_them(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from ftalab.data import data_dir, mirror_dir

    monkeypatch.setenv("FTALAB_DATA_MIRROR", "unchanged")  # monkeypatch restores both afterwards
    monkeypatch.setenv("FTALAB_DATA_DIR", "unchanged")
    with pytest.raises(DatasetNotAvailableError, match="mirror folder .* does not exist"):
        create_app(mirror=tmp_path / "mirror")
    (tmp_path / "mirror").mkdir()
    create_app(mirror=tmp_path / "mirror", data_dir=tmp_path / "cache", runs_dir=tmp_path / "runs")
    assert mirror_dir() == tmp_path / "mirror"
    assert data_dir() == tmp_path / "cache"


def test_an_internal_error_gives_no_traceback(tmp_path: Path) -> None:
    app = create_app(runs_dir=tmp_path)

    @app.get("/api/boom")  # a route with a bug, added to this test's app only
    def boom() -> None:
        raise RuntimeError("secret internals /home/user/ftalab/x.py line 1")

    resp = TestClient(app, raise_server_exceptions=False).get("/api/boom")
    assert resp.status_code == 500
    assert resp.json() == {"detail": "internal server error; the server log has the details"}


# --- one real run of a preset, end to end -------------------------------------------------------------


@pytest.fixture(scope="module")
def corridor(client: TestClient) -> dict[str, Any]:
    """State of a finished run of the sco-corridor preset.

    The quickest preset: 3-4 s with a warm data cache, 7 s cold (it estimates the RTA
    effect once), so it stays in the default run.
    """
    created = client.post("/api/runs", json={"preset": "sco-corridor"})
    assert created.status_code == 202, created.text
    return _wait(client, created.json()["url"])


def test_preset_run_end_to_end(client: TestClient, corridor: dict[str, Any], runs_dir: Path) -> None:
    assert corridor["status"] == "done", corridor["error"]
    assert corridor["source"] == "preset sco-corridor" and corridor["progress"][-1].endswith("s")
    members = ["BLR", "CHN", "IND", "IRN", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB"]
    head = pd.DataFrame(corridor["headline"]).set_index("iso3")
    assert list(head.index) == members + ["*MEMBERS", "*NONMEMBERS", "*WORLD"]
    # docs/scenarios.md, "Measured with the shared mirror": sco-corridor members 0.0026 [0.0024, 0.0027]
    # (real income, %, 90 % interval), printed to 2 significant digits: tolerance half a unit of the last digit.
    assert head.at["*MEMBERS", "value"] == pytest.approx(0.0026, abs=5e-5)
    assert head.at["*MEMBERS", "lo"] == pytest.approx(0.0024, abs=5e-5)
    assert head.at["*MEMBERS", "hi"] == pytest.approx(0.0027, abs=5e-5)
    assert (head["lo"] <= head["value"]).all() and (head["value"] <= head["hi"]).all()

    # The JSON headline is the run's own country_results table, served as CSV, to the bit.
    csv = client.get(corridor["tables"]["country_results"])
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    cr = pd.read_csv(io.StringIO(csv.text))
    welfare = cr[(cr["step"] == "scenario") & (cr["measure"] == "welfare")].set_index("iso3")
    assert (welfare.loc[head.index, "value"] == head["value"]).all()
    assert set(corridor["tables"]) == {"countries", "country_results", "pair_results", "sensitivity", "trade_effects", "agreements"}
    te = {r["measure"]: r["change_pct"] for r in corridor["trade_effects"]}
    assert te["trade_creation"] == pytest.approx(0.66, abs=0.005)  # docs/scenarios.md: +0.66 %, 2 decimals

    report = client.get(corridor["report_url"])
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
    assert report.content == (runs_dir / corridor["id"] / "report.html").read_bytes()
    assert (runs_dir / corridor["id"] / "manifest.json").is_file()  # the same outputs as `ftalab run`
    missing = client.get(f"/api/runs/{corridor['id']}/tables/nosuch.csv")
    assert missing.status_code == 404 and "tables: countries" in missing.json()["detail"]
