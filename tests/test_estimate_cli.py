"""``ftalab estimate`` on files and registered datasets."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ftalab.cli.main import main


@pytest.fixture()
def csv_file(tmp_path: Path) -> Path:
    rng = np.random.default_rng(1)
    n = 300
    df = pd.DataFrame({"x": rng.normal(size=n), "g": rng.integers(0, 10, n), "h": rng.integers(0, 5, n)})
    df["y"] = rng.poisson(np.exp(1 + 0.5 * df["x"]))
    path = tmp_path / "d.csv"
    df.to_csv(path, index=False)
    df.to_parquet(tmp_path / "d.parquet")
    return path


def test_estimate_json_csv_and_parquet(csv_file: Path, capsys) -> None:
    assert main(["estimate", "--data", str(csv_file), "--formula", "y ~ x | g + h", "--vcov", "CRV1:g", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "fepois" and out["nobs"] == 300 and out["vcov"] == "CRV1: g"
    coef = out["coefficients"][0]
    assert coef["Coefficient"] == "x" and abs(coef["Estimate"] - 0.5) < 0.1
    assert main(["estimate", "--data", str(csv_file.with_suffix(".parquet")), "--formula", "y ~ x | g", "--ols", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["method"] == "feols"


def test_estimate_registered_dataset_text(capsys) -> None:
    # TradeWithoutBorder.log:346 reports ln_DIST -0.7912879; the dataset's reader
    # lower-cases the columns and names the flow "value"
    rc = main([
        "estimate", "--data", "advanced_guide", "--file", "1_TradeWithoutBorder",
        "--formula", "value ~ ln_dist + cntg + intl_brdr | exporter + importer", "--ssc", "stata",
    ])
    assert rc == 0
    text = capsys.readouterr().out
    assert "ln_dist" in text and "-0.7913" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--data", "no_such_thing", "--formula", "y ~ x"], "neither an existing file nor a registered dataset"),
        (["--formula", "y ~ zz | g"], "not in the data"),
        (["--formula", "y ~ x", "--vcov", "HC9"], "unknown vcov"),
    ],
)
def test_estimate_user_errors_exit_2(csv_file: Path, capsys, args, message) -> None:
    full = ["estimate", *(["--data", str(csv_file)] if "--data" not in args else []), *args]
    assert main(full) == 2
    assert message in capsys.readouterr().err


def test_help_examples_run_on_registry_data(capsys) -> None:
    # the examples printed by `ftalab estimate --help` must work on the registered data,
    # whose reader names the flow "value" and lower-cases the covariates
    import argparse
    import re

    from ftalab.cli import estimate as cli_estimate

    sub = argparse.ArgumentParser().add_subparsers()
    cli_estimate.register(sub, argparse.ArgumentParser(add_help=False))
    parser = sub.choices["estimate"]
    m = re.search(r"--data (\S+) --formula '([^']+)' --vcov (\S+)", parser.description)
    assert m is not None
    fml_help = next(a.help for a in parser._actions if a.dest == "formula")
    other = re.search(r"'([^']+~[^']+)'", fml_help)[1]
    for fml, vcov in ((m[2], m[3]), (other, "hetero")):
        assert main(["estimate", "--data", m[1], "--formula", fml, "--vcov", vcov, "--json"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["converged"] and "rta" in [r["Coefficient"] for r in out["coefficients"]]
