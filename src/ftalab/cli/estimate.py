"""``ftalab estimate --data NAME_OR_PATH --formula FML [--vcov ...] [--json]``."""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path
from typing import Any

import pandas as pd

from ftalab.cli.output import print_json
from ftalab.errors import DataError

__all__ = ["register", "read_table"]


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``estimate`` command."""
    p = subparsers.add_parser(
        "estimate",
        help="estimate a gravity model (PPML or OLS with fixed effects)",
        parents=[common],
        description=(
            "Estimate a fixest-style formula on a CSV, Parquet or Stata file (its own column "
            "names) or a registered dataset. Registered datasets are read by their reader, "
            "which uses canonical column names: the flow is 'value' and covariates are "
            "lower-case, e.g. "
            "ftalab estimate --data advanced_guide "
            "--formula 'value ~ rta | exporter^year + importer^year + pair_id' --vcov CRV1:pair_id"
        ),
    )
    p.add_argument("--data", required=True, metavar="NAME_OR_PATH", help="file path or registered dataset name")
    p.add_argument("--file", metavar="FILE", help="file inside a registered dataset (e.g. Chapter1Application1.dta)")
    p.add_argument("--formula", required=True, metavar="FML", help=(
        "e.g. 'value ~ log(dist) + cntg + rta | exporter^year + importer^year' for a registered "
        "dataset (flow 'value', lower-case covariates); a file keeps its own column names"
    ))
    p.add_argument("--vcov", default="hetero", help="hetero (default), iid, CRV1:col or CRV1:a+b")
    p.add_argument("--ssc", default="pyfixest", choices=["pyfixest", "stata"], help="small-sample correction")
    p.add_argument("--ols", action="store_true", help="least squares (feols) instead of PPML")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=_run)


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV (optionally gzipped), Parquet or Stata file."""
    name = path.name.lower()
    try:
        if name.endswith((".csv", ".csv.gz", ".txt")):
            return pd.read_csv(path)
        if name.endswith((".parquet", ".pq")):
            return pd.read_parquet(path)
        if name.endswith(".dta"):
            return pd.read_stata(path)
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot read {path}: {exc}") from exc
    raise DataError(f"unknown file type {path.name!r}: use .csv, .csv.gz, .parquet or .dta")


def _load(data: str, file: str | None) -> pd.DataFrame:
    path = Path(data)
    if path.exists():
        return read_table(path)
    from ftalab.data import dataset_names, fetch_file, load

    if data not in dataset_names():
        raise DataError(f"--data {data!r} is neither an existing file nor a registered dataset; see 'ftalab data list'")
    if data == "advanced_guide":
        try:
            mod = importlib.import_module("ftalab.data.readers.advanced_guide")
            kwargs = {"file": file} if file else {}
            return mod.read_advanced_guide(**kwargs)
        except ModuleNotFoundError:
            return read_table(fetch_file(data, file or "agtpa_applications.csv.gz"))
    if file:
        return read_table(fetch_file(data, file))
    out = load(data)
    if not isinstance(out, pd.DataFrame):
        raise DataError(f"dataset {data!r} does not load as one table; pass --file")
    return out


def _run(args: argparse.Namespace) -> int:
    from ftalab.estimate import feols, fepois

    df = _load(args.data, args.file)
    fit = (feols if args.ols else fepois)(args.formula, df, vcov=args.vcov, ssc=args.ssc)
    if args.json:
        tidy = fit.tidy().reset_index()
        print_json(
            {
                "method": fit.method,
                "formula": fit.formula,
                "nobs": fit.nobs,
                "n_input": fit.n_input,
                "vcov": fit.vcov_type,
                "ssc": fit.ssc,
                "iterations": fit.iterations,
                "converged": fit.converged,
                "dropped": fit.dropped_counts(),
                "coefficients": tidy,
                "stats": fit.stats,
            }
        )
    else:
        print(fit.summary())
    return 0
