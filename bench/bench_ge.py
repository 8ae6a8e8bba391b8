"""Benchmark: one-sector GE solves, ftalab against USITC's gegravity 0.3 in one run.

Run from the project root::

    FTALAB_DATA_MIRROR=../shared/data python bench/bench_ge.py [--quick] [--skip-gegravity-world]

Sections
--------
1. In-process solve, data already loaded: "trade without borders" (69 countries,
   Yotov et al. 2016 ch. 2) -- ftalab exact, ftalab book, gegravity (its
   ``build_baseline + define_experiment + simulate``).
2. The same counterfactual on the ~200-economy UNCTAD 2015 world (quick world:
   exports + GDP-based domestic flows), ftalab vs gegravity.
3. Whole command, new process each: ``ftalab replicate agtpa-ch2-twb`` (exact and
   book, estimation included) vs a script running gegravity on the same case.
4. Monte Carlo: 1,000 draws on the UNCTAD world (ftalab), sequential and with a
   2-process pool.

gegravity gets the same inputs (trade costs ``exp(b'z)``, the same Y and E); its
"full GE" is the first-order step described in tests/test_ge_gegravity.py, so
only its conditional results are expected to match ftalab's.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SCO = ["CHN", "RUS", "IND", "PAK", "KAZ", "KGZ", "TJK", "UZB", "IRN", "BLR"]


def best_of(fn, repeat: int = 3) -> tuple[float, object]:
    best, out = np.inf, None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


# --------------------------------------------------------------------- gegravity
def run_gegravity(df: pd.DataFrame, cost_vars: list[str], coefs: dict, exp: pd.DataFrame, sigma: float,
                  ref: str, omr_rescale: float = 1.0):
    import gegravity as ge

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        base = ge.BaselineData(df, imp_var_name="importer", exp_var_name="exporter", year_var_name="year",
                               trade_var_name="trade", expend_var_name="E", output_var_name="Y")
        cc = pd.DataFrame([{"var": k, "coeff": v, "ste": 0.1} for k, v in coefs.items()])
        cost = ge.CostCoeffs(estimates=cc, identifier_col="var", coeff_col="coeff", stderr_col="ste")
        m = ge.OneSectorGE(base, year=str(df["year"].iloc[0]), expend_var_name="E", output_var_name="Y",
                           reference_importer=ref, sigma=sigma, cost_coeff_values=cost,
                           cost_variables=cost_vars, quiet=True)
        m.build_baseline(omr_rescale=omr_rescale)
        m.define_experiment(exp)
        m.simulate()
    return m


def twb_frames():
    from ftalab.data import fetch_file

    df = pd.read_stata(fetch_file("advanced_guide", "Chapter2Application1.dta"))
    df = df[df["year"] == 2006].reset_index(drop=True)
    df["exporter"] = df["exporter"].astype(str)
    df["importer"] = df["importer"].astype(str)
    df["ln_DIST"] = np.log(df["DIST"])
    df["INTL_BRDR"] = (df["exporter"] != df["importer"]).astype(float)
    df["Y"] = df.groupby("exporter")["trade"].transform("sum")
    df["E"] = df.groupby("importer")["trade"].transform("sum")
    df["year"] = "2006"
    exp = df.copy()
    exp["INTL_BRDR"] = 0.0
    return df, exp


def quick_unctad_world():
    from ftalab.data.readers.unctad import unctad_2015_matrix
    from ftalab.data.readers.wdi import read_wdi_gdp

    M = unctad_2015_matrix()
    gdp = read_wdi_gdp("current")
    gdp = gdp[gdp["year"] == 2015].set_index("iso3")["gdp"].dropna() / 1000.0
    codes = pd.Index(sorted(set(M.index) & set(M.columns) & set(gdp.index)))
    X = np.nan_to_num(M.loc[codes, codes].to_numpy(dtype=float))
    np.fill_diagonal(X, 0.0)
    g = gdp.loc[codes].to_numpy()
    np.fill_diagonal(X, np.maximum(g - X.sum(axis=1), 0.25 * g))
    return codes, X


class FtaShock:
    """Picklable Monte Carlo shock: an SCO-wide agreement worth ``b['rta']``."""

    def __init__(self, codes: pd.Index) -> None:
        m = np.isin(codes, SCO)
        self.pattern = np.where(np.outer(m, m) & ~np.eye(len(codes), dtype=bool), 1.0, 0.0)

    def __call__(self, b: pd.Series) -> dict:
        return {"cost_change": b["rta"] * self.pattern}


# ------------------------------------------------------------------- sections
def section_twb(skip_gegravity: bool) -> None:
    from ftalab.ge import simulate
    from ftalab.ge.applications import twb_inputs

    print("\n## 1. Trade without borders, 69 countries, in-process solve (data and estimates loaded)")
    inp = twb_inputs()
    t_exact, ex = best_of(lambda: simulate(inp.baseline, cost_change=inp.log_cost_change))
    t_book, _ = best_of(lambda: simulate(inp.baseline, cost_change=inp.log_cost_change, method="book"))
    print(f"ftalab exact: {t_exact * 1e3:8.2f} ms  (Newton iterations {ex.iterations}, residual {ex.max_residual:.1e})")
    print(f"ftalab book : {t_book * 1e3:8.2f} ms")
    if skip_gegravity:
        return
    df, exp = twb_frames()
    coefs = {k: float(inp.coef[k]) for k in ("ln_DIST", "CNTG", "INTL_BRDR")}
    for rescale in (1.0, 10.0, 100.0, 1000.0):
        t = time.perf_counter()
        try:
            m = run_gegravity(df, list(coefs), coefs, exp, 7.0, "DEU", omr_rescale=rescale)
        except Exception as exc:  # gegravity raises plain exceptions
            print(f"gegravity omr_rescale={rescale:g}: failed after {time.perf_counter() - t:.2f} s: "
                  f"{type(exc).__name__}: {str(exc)[:120]}")
            continue
        tg = time.perf_counter() - t
        ok = all(d.get("success", False) for d in (m.solver_diagnostics[k] for k in m.solver_diagnostics))
        cr = m.country_results
        c = ex.countries.loc[cr.index]
        cdl = (m.country_mr_terms["conditional imr"] / m.country_mr_terms["baseline imr"] - 1) * 100
        d_cdl = float((cdl - c["cdl_imr_pct"]).abs().max())
        bad = cr.index[(cr["factory gate price change (percent)"] <= -100) | ~np.isfinite(cr["GDP change (percent)"])]
        print(f"gegravity omr_rescale={rescale:g}: {tg * 1e3:8.0f} ms, solvers success={ok}, "
              f"ratio ftalab/gegravity = {t_exact / tg:.5f}; max |conditional IMR diff| = {d_cdl:.2e} pp; "
              f"impossible prices for {list(bad)}; "
              f"NPL/NER/MWI real GDP: {cr.loc[['NPL', 'NER', 'MWI'], 'GDP change (percent)'].round(2).tolist()}")


def section_world(skip_gegravity: bool) -> None:
    from ftalab.ge import Baseline, simulate

    print("\n## 2. ~200-economy UNCTAD 2015 world (quick world), in-process solve")
    codes, X = quick_unctad_world()
    base = Baseline.from_arrays(codes, X, sigma=7.0, reference="USA")
    shock = FtaShock(codes)(pd.Series({"rta": 0.5}))["cost_change"]
    border = np.where(np.eye(len(codes)) == 1, 0.0, 2.47445)
    for name, s in (("SCO FTA (b = 0.5)", shock), ("remove all borders", border)):
        t, r = best_of(lambda s=s: simulate(base, cost_change=s))
        print(f"ftalab exact, {len(codes)} economies, {name}: {t * 1e3:8.2f} ms (iterations {r.iterations})")
    if skip_gegravity:
        return
    n = len(codes)
    df = pd.DataFrame({"exporter": np.repeat(codes, n), "importer": np.tile(codes, n), "trade": X.ravel()})
    df["Y"] = df.groupby("exporter")["trade"].transform("sum")
    df["E"] = df.groupby("importer")["trade"].transform("sum")
    df["year"] = "2015"
    df["sco"] = shock.ravel()
    # costs chosen so that exp(b'z) reproduces the flows' structure: ln(X / (Y E)) as one variable
    df["lnx"] = np.log(np.maximum(df["trade"], 1e-12) / (df["Y"] * df["E"]))
    exp = df.copy()
    exp["sco"] = 0.0
    exp.loc[df["sco"] == 1.0, "sco"] = 1.0
    base_df = df.assign(sco=0.0)
    t_ft, r_ft = best_of(lambda: simulate(base, cost_change=shock))
    for rescale in (1.0, 10.0, 100.0, 1000.0):
        t = time.perf_counter()
        try:
            m = run_gegravity(base_df, ["lnx", "sco"], {"lnx": 1.0, "sco": 0.5}, exp, 7.0, "USA",
                              omr_rescale=rescale)
        except Exception as exc:  # gegravity raises plain exceptions
            print(f"gegravity, {n} economies, omr_rescale={rescale:g}: failed after "
                  f"{time.perf_counter() - t:.1f} s: {type(exc).__name__}: {str(exc)[:100]}")
            continue
        tg = time.perf_counter() - t
        mr = m.country_mr_terms
        cdl = (mr["conditional imr"] / mr["baseline imr"] - 1) * 100
        d_cdl = float((cdl - r_ft.countries.loc[mr.index, "cdl_imr_pct"]).abs().max())
        ok = all(d.get("success", False) for d in m.solver_diagnostics.values())
        print(f"gegravity, {n} economies, omr_rescale={rescale:g}: {tg:8.2f} s, solvers success={ok}; "
              f"ratio ftalab/gegravity = {t_ft / tg:.6f}; max |conditional IMR diff| = {d_cdl:.2e} pp")
        break


def section_commands(skip_gegravity: bool) -> None:
    print("\n## 3. Whole command, fresh process each (includes imports, data, estimation)")
    env = dict(os.environ)
    for method in ("exact", "book"):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "ftalab", "replicate", "agtpa-ch2-twb", "--method", method, "--json"],
                       check=True, capture_output=True, env=env, cwd=ROOT)
        print(f"ftalab replicate agtpa-ch2-twb --method {method}: {time.perf_counter() - t:6.2f} s")
    if skip_gegravity:
        return
    script = textwrap.dedent(
        f"""
        import sys; sys.path.insert(0, {str(ROOT / 'bench')!r})
        from bench_ge import run_gegravity, twb_frames
        df, exp = twb_frames()
        coefs = {{"ln_DIST": -0.7912879, "CNTG": 0.6736456, "INTL_BRDR": -2.47445}}
        run_gegravity(df, list(coefs), coefs, exp, 7.0, "DEU", omr_rescale=1000.0)
        """
    )
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(script)
    t = time.perf_counter()
    r = subprocess.run([sys.executable, f.name], capture_output=True, env=env, cwd=ROOT)
    print(f"gegravity script, same case (estimates given, omr_rescale=1000, the only one that solves): "
          f"{time.perf_counter() - t:6.2f} s (exit {r.returncode})")


def section_montecarlo(draws: int) -> None:
    from ftalab.ge import Baseline, monte_carlo

    print(f"\n## 4. Monte Carlo, {draws} draws, UNCTAD 2015 world (SCO FTA, b ~ N(0.5, 0.1^2))")
    codes, X = quick_unctad_world()
    base = Baseline.from_arrays(codes, X, sigma=7.0, reference="USA")
    coef = pd.Series({"rta": 0.5})
    vcov = pd.DataFrame([[0.01]], index=["rta"], columns=["rta"])
    t = time.perf_counter()
    mc = monte_carlo(base, draws=draws, seed=1, coef=coef, vcov=vcov, build_shock=FtaShock(codes))
    t_seq = time.perf_counter() - t
    print(f"sequential: {t_seq:6.2f} s ({len(mc.failed)} failed draws)")
    with ProcessPoolExecutor(2) as pool:
        t = time.perf_counter()
        mc2 = monte_carlo(base, draws=draws, seed=1, coef=coef, vcov=vcov, build_shock=FtaShock(codes),
                          executor=pool, chunk_size=max(1, draws // 8))
        t_par = time.perf_counter() - t
    same = np.allclose(mc.values, mc2.values, rtol=1e-9, atol=1e-10, equal_nan=True)
    print(f"2 processes: {t_par:6.2f} s; identical to sequential: {same}")
    s = mc.summary().xs("real_gdp_pct", level="outcome").loc[["CHN", "RUS", "IND", "KAZ", "USA"]]
    print(s[["point", "lower", "upper"]].round(4).to_string())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="100 Monte Carlo draws instead of 1,000")
    ap.add_argument("--skip-gegravity", action="store_true", help="ftalab only")
    ap.add_argument("--skip-gegravity-world", action="store_true", help="no gegravity on the ~200 world")
    args = ap.parse_args()
    section_twb(args.skip_gegravity)
    section_world(args.skip_gegravity or args.skip_gegravity_world)
    section_commands(args.skip_gegravity)
    section_montecarlo(100 if args.quick else 1000)


if __name__ == "__main__":
    main()
