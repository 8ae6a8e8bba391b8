"""Scenario files: presets load and round-trip; malformed files fail with exit 2 and a clear message."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from ftalab.cli.main import main
from ftalab.errors import ScenarioError
from ftalab.scenario import SCHEMA_VERSION, load_scenario, parse_scenario, preset_names, scenario_to_toml

PRESETS = ["sco-corridor", "sco-enlargement", "sco-facilitation", "sco-fta", "sco-fta-tariffs"]

BASE = """\
schema_version = 1
name = "t"
[countries]
members = ["CHN", "KAZ"]
[model]
draws = 0
[estimation]
source = "given"
rta = 0.5
rta_se = 0.1
citation = "test"
"""


def test_presets_shipped_and_valid() -> None:
    assert preset_names() == PRESETS
    for name in PRESETS:
        scenario, path = load_scenario(name)
        assert path.is_file() and path.suffix == ".toml"
        assert scenario.schema_version == SCHEMA_VERSION
        assert scenario.shocks, name


@pytest.mark.parametrize("name", PRESETS)
def test_round_trip(name: str) -> None:
    scenario, _ = load_scenario(name)
    again = parse_scenario(tomllib.loads(scenario_to_toml(scenario)), source="round trip")
    assert again == scenario


def test_defaults_of_main_preset() -> None:
    s, _ = load_scenario("sco-fta")
    assert s.model.sigma == 7.0 and s.model.reference == "USA"
    assert s.countries.members == ["group:SCO"]
    assert s.baseline.world == "unctad2015" and s.baseline.update_to_date
    assert [x.type for x in s.shocks] == ["fta_rta"]


def _write(tmp_path: Path, text: str, name: str = "bad.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# (file text, fragments the message must contain)
MALFORMED = {
    "unknown top-level key": (BASE + "colour = 'red'\n", ["colour", "unknown key"]),
    "unknown nested key": (BASE.replace("draws = 0", "draws = 0\nsigmaa = 5"), ["model.sigmaa", "unknown key"]),
    "wrong schema version": (BASE.replace("schema_version = 1", "schema_version = 2"), ["schema_version", "not supported"]),
    "missing schema version": (BASE.replace("schema_version = 1\n", ""), ["schema_version", "missing"]),
    "sigma <= 1": (BASE.replace("draws = 0", "draws = 0\nsigma = 1.0"), ["model.sigma", "greater than 1"]),
    "sigma below 1 in sensitivity": (BASE.replace("draws = 0", "draws = 0\nsigma_sensitivity = [0.5, 7]"), ["sigma_sensitivity", "greater than 1"]),
    "negative cut": (
        BASE + '[[shocks]]\ntype = "facilitation"\ntarget = "cut"\ncut_percent = -10\n',
        ["shocks[0]", "cut_percent", "(0, 100]"],
    ),
    "cut above 100%": (
        BASE + '[[shocks]]\ntype = "facilitation"\ntarget = "cut"\ncut_percent = 150\n',
        ["shocks[0]", "cut_percent"],
    ),
    "corridor cut of 100%": (
        BASE + '[[shocks]]\ntype = "corridor"\ncost_cut_percent = 100\npairs = [{exporter = "CHN", importer = "KAZ"}]\n',
        ["shocks[0]", "cost_cut_percent"],
    ),
    "cut target without cut": (BASE + '[[shocks]]\ntype = "facilitation"\ntarget = "cut"\n', ["needs cut_percent"]),
    "unknown shock type": (BASE + '[[shocks]]\ntype = "customs_union"\n', ["shocks[0]", "unknown shock type"]),
    "bad country code format": (BASE.replace('["CHN", "KAZ"]', '["China", "KAZ"]'), ["countries.members", "'China'"]),
    "duplicate member": (BASE.replace('["CHN", "KAZ"]', '["CHN", "CHN"]'), ["countries.members", "more than once"]),
    "channels double counted": (
        BASE + '[[shocks]]\ntype = "fta_rta"\n[[shocks]]\ntype = "fta_tariff"\n',
        ["tariff cut twice", "controls_for_tariffs"],
    ),
    "given estimate without SE": (BASE.replace("rta_se = 0.1\n", ""), ["estimation", "rta_se"]),
    "negative tariff override": (
        BASE + '[[shocks]]\ntype = "fta_tariff"\ntariff_overrides = {IND = -3}\n',
        ["tariff_overrides"],
    ),
    "robustness world equal to world": (
        BASE + '[baseline]\nworld = "wits2009"\nrobustness_world = "wits2009"\n',
        ["baseline", "robustness_world must differ"],
    ),
    "not TOML": ("schema_version = = 1\n", ["not valid TOML"]),
    "wrong type": (BASE.replace("draws = 0", "draws = 'many'"), ["model.draws"]),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_file_exit_2(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text, fragments = MALFORMED[case]
    path = _write(tmp_path, text)
    code = main(["run", str(path), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    assert str(path) in err, err  # the file is named
    for frag in fragments:
        assert frag in err, (case, err)
    assert not (tmp_path / "out" / "report.html").exists()


@pytest.mark.parametrize(
    ("members", "fragments"),
    [
        ('["CHN", "XYZ"]', ["countries.members", "unknown country code 'XYZ'"]),
        ('["group:NOPE"]', ["countries.members", "unknown group 'NOPE'"]),
    ],
)
def test_unknown_country_or_group_exit_2(members: str, fragments: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, BASE.replace('["CHN", "KAZ"]', members) + '[[shocks]]\ntype = "fta_rta"\n')
    code = main(["run", str(path), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    for frag in fragments:
        assert frag in err, err


def test_missing_tariff_where_required_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Taiwan has no MFN tariff in WDI: a tariff FTA with it needs an override.
    text = BASE.replace('["CHN", "KAZ"]', '["CHN", "TWN"]') + '[[shocks]]\ntype = "fta_tariff"\n'
    text = text.replace("update_to_date", "x")
    path = _write(tmp_path, text + "[baseline]\nupdate_to_date = false\n")
    code = main(["run", str(path), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "no MFN tariff" in err and "TWN" in err and "tariff_overrides" in err


def test_reference_must_not_be_member(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, BASE.replace("draws = 0", 'draws = 0\nreference = "CHN"') + '[[shocks]]\ntype = "fta_rta"\n')
    code = main(["run", str(path), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and "model.reference" in err and "member" in err


def test_unknown_preset_and_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "sco-nothing", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "sco-nothing" in err and "sco-fta" in err
    assert main(["run", str(tmp_path / "absent.toml"), "--out", str(tmp_path)]) == 2
    assert "not found" in capsys.readouterr().err


def test_parse_errors_are_scenario_errors() -> None:
    with pytest.raises(ScenarioError, match=r"x.toml: model.sigma: sigma must be greater than 1"):
        parse_scenario(tomllib.loads(BASE.replace("draws = 0", "draws = 0\nsigma = 0.9")), source="x.toml")
