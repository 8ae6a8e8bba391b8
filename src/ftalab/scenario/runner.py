"""Run a scenario end to end: estimation -> baseline update -> GE with intervals -> tables.

:func:`run_scenario` returns a :class:`~ftalab.scenario.results.StudyResult`;
:func:`ftalab.report.outputs.write_outputs` writes its tables, the manifest and the report;
:func:`ftalab.report.outputs.run_from_manifest` reruns a recorded run from its manifest.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from ftalab.errors import ScenarioError
from ftalab.ge import Baseline, monte_carlo, simulate
from ftalab.scenario import shocks as S
from ftalab.scenario.baseline_update import UpdateStep, apply_update, update_pairs
from ftalab.scenario.estimation import RTA_DATA_FILE, distance_elasticity, rta_effect
from ftalab.scenario.resolve import check_in_world, resolve_refs
from ftalab.scenario.results import Note, StudyResult
from ftalab.scenario.schema import (
    CorridorShock,
    EnlargementShock,
    FacilitationShock,
    FtaRtaShock,
    FtaTariffShock,
    Scenario,
)
from ftalab.scenario.tables import aggregate_weights, country_rows, pair_rows, trade_effects
from ftalab.scenario.context import RunContext
from ftalab.scenario.narrative import citations, parameters, standard_notes
from ftalab.scenario.world import WORLD_LABELS, build_world

__all__ = ["run_scenario", "Progress"]

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]

def _noop(msg: str) -> None:
    logger.info(msg)


def _links(when: object, codes: list[str]) -> pd.DataFrame:
    from ftalab.data.agreements import pair_links

    links = pair_links(when, countries=codes)
    return links.rename(columns={"deepest_type": "type"}).assign(
        type=lambda d: np.where(d["fta_or_deeper"], "FTA", "PSA")
    )


def _matrix(df: pd.DataFrame, codes: pd.Index, col: str, fill: float = 0.0, add: bool = True) -> np.ndarray:
    out = np.full((len(codes), len(codes)), fill)
    if df is None or df.empty:
        return out
    ii = codes.get_indexer(df["exporter"])
    jj = codes.get_indexer(df["importer"])
    ok = (ii >= 0) & (jj >= 0)
    vals = df[col].to_numpy(dtype=float)[ok]
    if add:
        np.add.at(out, (ii[ok], jj[ok]), vals)
    else:
        out[ii[ok], jj[ok]] = vals
    return out


class ShockBuilder:
    """Builds the GE inputs of the scenario step from a coefficient vector (picklable)."""

    def __init__(self, fixed: np.ndarray, per_coef: dict[str, np.ndarray], new_tariffs: np.ndarray | None) -> None:
        self.fixed = fixed
        self.per_coef = per_coef
        self.new_tariffs = new_tariffs

    def __call__(self, b: pd.Series) -> dict:
        logc = self.fixed.copy()
        for name, unit in self.per_coef.items():
            logc = logc + float(b[name]) * unit
        out: dict = {"cost_change": logc}
        if self.new_tariffs is not None:
            out["new_tariffs"] = self.new_tariffs
        return out


def _resolve(scenario: Scenario, source: str) -> tuple[list[str], list[str], list[str]]:
    when = scenario.countries.as_of or scenario.date
    members = resolve_refs(scenario.countries.members, when, key="countries.members", source=source)
    exclude = resolve_refs(scenario.countries.exclude, when, key="countries.exclude", source=source)
    members = [m for m in members if m not in exclude]
    new: list[str] = []
    for k, shock in enumerate(scenario.shocks):
        if isinstance(shock, EnlargementShock):
            new += resolve_refs(shock.new_members, scenario.date, key=f"shocks[{k}].new_members", source=source)
    overlap = sorted(set(new) & set(members))
    if overlap:
        raise ScenarioError(f"{source}: shocks.new_members: {', '.join(overlap)} are already members on {when}")
    if len(members) + len(new) < 2:
        raise ScenarioError(f"{source}: countries.members: an agreement needs at least two countries")
    return members, sorted(set(new)), members


def _shock_members(ctx: RunContext, refs: list[str] | None, key: str) -> list[str]:
    if refs is None:
        return sorted(set(ctx.members) | set(ctx.new_members))
    return resolve_refs(refs, ctx.scenario.date, key=key, source=ctx.source)


def _fta_shocked(ctx: RunContext, members: list[str]) -> pd.DataFrame:
    marked = S.fta_pairs(S.member_pairs(members), ctx.links_date)
    psa = marked[marked["shocked"] & (marked["existing"] != "")]
    deep = marked[~marked["shocked"]]
    if len(psa):
        ctx.notes.append(
            Note(
                "assumption",
                "Pairs linked only by partial-scope agreements are shocked (they still face MFN tariffs): "
                + ", ".join(sorted({"–".join(sorted((e, i))) for e, i in zip(psa["exporter"], psa["importer"], strict=True)}))
                + ".",
            )
        )
    if len(deep):
        ctx.notes.append(
            Note(
                "assumption",
                f"Pairs already in an FTA, customs union or economic integration agreement on {ctx.scenario.date} are not "
                "shocked: "
                + ", ".join(sorted({"–".join(sorted((e, i))) for e, i in zip(deep["exporter"], deep["importer"], strict=True)}))
                + ".",
            )
        )
    return marked


def _prepare(ctx: RunContext, progress: Progress) -> None:
    """Estimate what the shocks need and load their data."""
    sc = ctx.scenario
    kinds = {s.type for s in sc.shocks}
    need_rta = bool(kinds & {"fta_rta", "enlargement"}) or (sc.baseline.update_to_date and "fta_tariff" not in kinds)
    if need_rta:
        progress("estimating the RTA effect (3-way PPML with pair FE on the Advanced Guide panel)")
        ctx.coefs["rta"] = rta_effect(sc.estimation)
        if sc.estimation.source == "advanced_guide":
            ctx.inputs.append(("advanced_guide", RTA_DATA_FILE))
    if any(isinstance(s, CorridorShock) and s.distance_cut_percent is not None for s in sc.shocks):
        progress("estimating the distance elasticity on the baseline world")
        ctx.coefs["log_distw"] = distance_elasticity(ctx.world.international)
        ctx.inputs.append(("cepii_geodist", "dist_cepii.csv"))
    if "fta_tariff" in kinds:
        from ftalab.scenario.tariffs import mfn_by_importer

        overrides: dict[str, float] = {}
        required: list[str] = []
        for k, s in enumerate(sc.shocks):
            if isinstance(s, FtaTariffShock):
                overrides.update(s.tariff_overrides)
                required += _shock_members(ctx, s.members, f"shocks[{k}].members")
        check_in_world(list(overrides), ctx.world.codes, key="tariff_overrides", world=sc.baseline.world, source=ctx.source)
        try:
            rate, _detail, notes = mfn_by_importer(ctx.world.codes, ctx.world.year, required=sorted(set(required)), overrides=overrides)
        except ScenarioError as exc:
            raise ScenarioError(f"{ctx.source}: shocks.fta_tariff: {exc}") from None
        ctx.tariff_pct = rate
        ctx.notes.extend(notes)
        ctx.inputs.append(("wdi_tariffs_2025", "API_TM.TAX.MRCH.WM.FN.ZS_DS2_en_excel_v2_128528.xls"))
    if "facilitation" in kinds:
        from ftalab.data.readers.doing_business import read_doing_business_hist

        progress("reading Doing Business border and documentary hours")
        db = read_doing_business_hist("hours")
        ctx.inputs.append(("doing_business_hist", "Historical-data---complete-data-with-scores.xlsx"))
        ctx.hours = db  # filtered per shock (DB year)


def _tariff_arrays(ctx: RunContext, codes: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    """Baseline tariffs in the data year and at the scenario date (fractions)."""
    assert ctx.tariff_pct is not None
    data = S.baseline_tariffs(list(codes), ctx.tariff_pct, ctx.links_data)
    date = S.baseline_tariffs(list(codes), ctx.tariff_pct, ctx.links_date)
    return _matrix(data, codes, "tariff", add=False), _matrix(date, codes, "tariff", add=False)


def _build_step(
    ctx: RunContext, codes: pd.Index, sigma: float, base_tariffs: np.ndarray, ave_override: float | None = None,
    *, record: bool = True,
) -> tuple[ShockBuilder, pd.DataFrame]:
    """The scenario step's shock as a :class:`ShockBuilder` plus the shocked-pair table."""
    sc = ctx.scenario
    n = len(codes)
    fixed = np.zeros((n, n))
    per_coef: dict[str, np.ndarray] = {}
    new_tar: np.ndarray | None = None
    pairs: list[pd.DataFrame] = []
    lines: list[str] = []
    for k, shock in enumerate(sc.shocks):
        if isinstance(shock, (FtaRtaShock, EnlargementShock)):
            if isinstance(shock, FtaRtaShock):
                mem = _shock_members(ctx, shock.members, f"shocks[{k}].members")
                marked = S.fta_pairs(S.member_pairs(mem), ctx.links_date)
            else:
                cand = S.enlargement_pairs(ctx.existing, ctx.new_members)
                marked = S.fta_pairs(cand, ctx.links_date)
            sel = marked[marked["shocked"]]
            per_coef["rta"] = per_coef.get("rta", np.zeros((n, n))) + _matrix(sel.assign(one=1.0), codes, "one", add=False)
            pairs.append(sel.assign(channel=shock.type))
            c = ctx.coefs["rta"]
            lines.append(
                f"{shock.type}: {len(sel)} ordered member pairs get the RTA effect {c.value:.4f} (SE {c.se:.4f}): the "
                f"partial effect on trade, a log change of t^(1-σ) (×{np.exp(c.value):.2f}); {len(marked) - len(sel)} pairs "
                "already in an FTA/CU/EIA are not shocked."
                + (" No member pair is left to shock, so this shock changes nothing." if len(sel) == 0 else "")
            )
        elif isinstance(shock, FtaTariffShock):
            mem = _shock_members(ctx, shock.members, f"shocks[{k}].members")
            marked = S.fta_pairs(S.member_pairs(mem), ctx.links_date)
            base_df = pd.DataFrame(
                {"exporter": np.repeat(codes, n), "importer": np.tile(codes, n), "tariff": base_tariffs.ravel()}
            )
            new = S.fta_tariffs(base_df, marked, shock.cut_share)
            cur = base_tariffs.copy() if new_tar is None else new_tar
            ii, jj = codes.get_indexer(new["exporter"]), codes.get_indexer(new["importer"])
            cur[ii, jj] = new["tariff"].to_numpy()
            new_tar = cur
            pairs.append(marked[marked["shocked"]].assign(channel=shock.type))
            lines.append(
                f"fta_tariff: importers' MFN tariffs on {int(marked['shocked'].sum())} member pairs cut by "
                f"{shock.cut_share * 100:g}% (to zero by default), tariff revenue rebated to consumers; pairs "
                "already in an FTA/CU already face zero tariffs."
            )
        elif isinstance(shock, FacilitationShock):
            assert ctx.hours is not None
            reform = _shock_members(ctx, shock.reformers, f"shocks[{k}].reformers")
            db = ctx.hours[ctx.hours["year"] == shock.db_year].set_index("iso3")
            hrs = pd.DataFrame(
                {
                    "export_hours": db["time_export_border_hours"] + db["time_export_documentary_hours"],
                    "import_hours": db["time_import_border_hours"] + db["time_import_documentary_hours"],
                }
            ).dropna()
            try:
                saved = S.facilitation_hours_saved(
                    hrs, reform, target=shock.target, cut_percent=shock.cut_percent,
                    benchmark_pool=sorted(set(ctx.members) | set(ctx.new_members)),
                )
            except ScenarioError as exc:
                raise ScenarioError(f"{ctx.source}: shocks[{k}]: {exc}") from None
            ave = shock.ave_per_day if ave_override is None else ave_override
            cc = S.facilitation_cost_change(list(codes), saved, ave_per_day_pct=ave, sigma=sigma)
            fixed += _matrix(cc, codes, "log_change")
            pairs.append(cc.assign(shocked=True, existing="", channel=shock.type)[["exporter", "importer", "existing", "shocked", "channel"]])
            single = [c for c in reform if c in db.index and bool(db.loc[c, "single_city"])]
            lines.append(
                f"facilitation ({shock.target}, Doing Business {shock.db_year}): border + documentary hours cut for "
                f"{len(reform)} reformers; {ave:g}% ad valorem per day saved; applied to {len(cc)} international "
                "pairs (all partners, not only members)."
            )
            if record:
                if single:
                    ctx.notes.append(Note("data", "Doing Business values for " + ", ".join(single) + " are for one city (Shanghai, Mumbai, Karachi, Moscow), not national averages.", tuple(single)))
        elif isinstance(shock, CorridorShock):
            plist = [(p.exporter, p.importer, p.one_way) for p in shock.pairs]
            check_in_world([c for p in plist for c in p[:2]], list(codes), key=f"shocks[{k}].pairs", world=sc.baseline.world, source=ctx.source)
            if shock.distance_cut_percent is not None:
                unit = S.corridor_cost_change(plist, distance_cut_percent=shock.distance_cut_percent, sigma=sigma, dist_elasticity=1.0)
                per_coef["log_distw"] = per_coef.get("log_distw", np.zeros((n, n))) + _matrix(unit, codes, "log_change")
                d = ctx.coefs["log_distw"]
                lines.append(
                    f"corridor: {len(unit)} directed pairs get a {shock.distance_cut_percent:g}% cut in effective distance, "
                    f"through the estimated distance elasticity {d.value:.3f} (SE {d.se:.3f})."
                )
                cc = unit
            else:
                cc = S.corridor_cost_change(plist, cost_cut_percent=shock.cost_cut_percent, sigma=sigma)
                fixed += _matrix(cc, codes, "log_change")
                lines.append(f"corridor: {len(cc)} directed pairs get a {shock.cost_cut_percent:g}% cut in trade costs.")
            pairs.append(cc.assign(shocked=True, existing="", channel=shock.type)[["exporter", "importer", "existing", "shocked", "channel"]])
    if record:
        ctx.shock_lines = lines
    allp = pd.concat(pairs, ignore_index=True) if pairs else pd.DataFrame(columns=["exporter", "importer", "existing", "shocked", "channel"])
    return ShockBuilder(fixed, per_coef, new_tar), allp


def _update_list(ctx: RunContext) -> pd.DataFrame:
    if ctx.update_cache is None:
        ctx.update_cache = _compute_update_list(ctx)
    return ctx.update_cache


def _compute_update_list(ctx: RunContext) -> pd.DataFrame:
    sc = ctx.scenario
    frames = []
    if sc.baseline.update_to_date:
        frames.append(update_pairs(ctx.world.year, sc.date, ctx.world.codes))
    if ctx.new_members:
        # Enlargement: the FTA among the existing members is part of the baseline.
        marked = S.fta_pairs(S.member_pairs(ctx.existing), ctx.links_date)
        sel = marked[marked["shocked"]]
        frames.append(
            pd.DataFrame(
                {
                    "exporter": sel["exporter"], "importer": sel["importer"],
                    "agreement": "FTA among the existing members (scenario assumption)", "type": "FTA",
                    "entry": str(sc.date), "type_before": sel["existing"].replace("", "none"),
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=["exporter", "importer", "agreement", "type", "entry", "type_before"])
    out = pd.concat(frames, ignore_index=True).drop_duplicates(["exporter", "importer"], keep="first")
    return out.reset_index(drop=True)


def _steps(
    ctx: RunContext, flows: pd.DataFrame, sigma: float, *, ave_override: float | None = None, record: bool = True
) -> tuple[UpdateStep, Baseline, ShockBuilder, pd.DataFrame, np.ndarray]:
    """Baseline (data year) -> updated baseline -> scenario shock builder, for one sigma / flows."""
    sc = ctx.scenario
    codes = pd.Index(sorted(set(flows["exporter"]) | set(flows["importer"])), name="country")
    tariff_channel = ctx.tariff_pct is not None
    tar_data = tar_date = None
    if tariff_channel:
        tar_data, tar_date = _tariff_arrays(ctx, codes)
    base0 = Baseline.from_arrays(
        codes, _matrix(flows, codes, "value"), sigma=sigma, reference=sc.model.reference, tariffs=tar_data
    )
    upd_pairs = _update_list(ctx)
    step = apply_update(
        base0, upd_pairs, channel="tariff" if tariff_channel else "rta",
        rta=ctx.coefs["rta"].value if "rta" in ctx.coefs else None,
        tariffs_after=tar_date,
    )
    base1 = step.baseline
    builder, pairs = _build_step(ctx, codes, sigma, base1.tariffs, ave_override, record=record)
    return step, base1, builder, pairs, base1.tariffs


def _single_thread_blas():
    """Single-threaded BLAS for the GE solves: on a small shared machine, threaded
    LAPACK on 200 x 200 systems was measured 7-50x slower than one thread."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - optional
        import contextlib

        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def run_scenario(scenario: Scenario, *, source: str = "scenario", progress: Progress | None = None) -> StudyResult:
    """Run ``scenario`` end to end (see :func:`_run`); BLAS is limited to one thread meanwhile."""
    with _single_thread_blas():
        return _run(scenario, source=source, progress=progress)


def _run(scenario: Scenario, *, source: str = "scenario", progress: Progress | None = None) -> StudyResult:
    """Run ``scenario`` end to end and return its tables, notes and parameters.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario (see :func:`ftalab.scenario.load_scenario`).
    source : str
        Where it came from (file or preset), used in error messages.
    progress : callable, optional
        Called with a short message at each stage (the CLI prints them on stderr).

    Returns
    -------
    StudyResult
        The manifest's ``timings`` are filled; input checksums are added by
        :func:`ftalab.report.outputs.write_outputs`.
    """
    progress = progress or _noop
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    sc = scenario
    members, new_members, existing = _resolve(sc, source)
    progress(f"members on {sc.countries.as_of or sc.date}: {', '.join(members)}" + (f"; joining: {', '.join(new_members)}" if new_members else ""))
    progress(f"assembling the {WORLD_LABELS[sc.baseline.world]} world")
    world = build_world(sc.baseline, members=tuple(members + new_members))
    everyone = members + new_members
    check_in_world(everyone, world.codes, key="countries.members", world=sc.baseline.world, source=source)
    check_in_world([sc.model.reference], world.codes, key="model.reference", world=sc.baseline.world, source=source)
    if sc.model.reference in everyone:
        raise ScenarioError(
            f"{source}: model.reference: {sc.model.reference} is a member; choose a large non-member (default USA) "
            "so the numeraire is outside the agreement"
        )
    links_date = _links(sc.date, world.codes)
    links_data = _links(f"{world.year}-12-31", world.codes)
    ctx = RunContext(sc, source, world, members, new_members, existing, links_date, links_data)
    ctx.inputs.extend(world.inputs)
    ctx.inputs.append(("wb_dta_rta", "bilateral_rta_Toolkit_202401.zip"))
    timings["data"] = time.perf_counter() - t0

    t1 = time.perf_counter()
    _prepare(ctx, progress)
    timings["estimation"] = time.perf_counter() - t1

    t2 = time.perf_counter()
    sigma = sc.model.sigma
    progress("baseline update: simulating agreements that entered into force since the data year")
    step, base1, builder, shocked, tar1 = _steps(ctx, world.flows(), sigma)
    fta_marked = None
    if any(isinstance(s, (FtaRtaShock, FtaTariffShock)) for s in sc.shocks):
        fta_marked = _fta_shocked(ctx, sorted(set(members) | set(new_members)))
    progress(f"scenario: {'; '.join(l.split(':')[0] for l in ctx.shock_lines) or 'no shock'}")
    # Every coefficient the shock uses is drawn (a zero SE draws it at its value);
    # no draws when none is uncertain.
    coef_names = list(builder.per_coef)
    draws = sc.model.draws if any(ctx.coefs[c].se > 0 for c in coef_names) else 0
    mc_values = None
    if draws > 0:
        progress(f"Monte Carlo: {draws} draws of {', '.join(coef_names)} (seed {sc.model.seed})")
        coef = pd.Series({c: ctx.coefs[c].value for c in coef_names})
        vcov = pd.DataFrame(np.diag([ctx.coefs[c].se ** 2 for c in coef_names]), index=coef_names, columns=coef_names)
        mc = monte_carlo(base1, draws=draws, seed=sc.model.seed, coef=coef, vcov=vcov, build_shock=builder)
        point = mc.point
        mc_values = mc.values
        if mc.failed:
            ctx.notes.append(Note("caveat", f"{len(mc.failed)} of {draws} Monte Carlo draws did not converge and are left out of the intervals."))
    else:
        point_kw = builder(pd.Series({c: ctx.coefs[c].value for c in builder.per_coef}))
        point = simulate(base1, **point_kw)
    timings["ge"] = time.perf_counter() - t2

    # ---------------------------------------------------------------- tables
    gdp = world.countries["gdp"].fillna(world.countries["domestic"] + world.countries["exports"])
    codes = list(base1.countries)
    groups = {
        "*MEMBERS": everyone,
        "*NONMEMBERS": [c for c in codes if c not in set(everyone)],
        "*WORLD": codes,
    }
    weights = aggregate_weights(codes, gdp, groups)
    cr = [country_rows("scenario", point, weights, draws=mc_values, level=sc.model.interval)]
    te = [trade_effects("scenario", point, everyone)]
    pr = [pair_rows("scenario", point, builder(pd.Series({c: ctx.coefs[c].value for c in builder.per_coef}))["cost_change"], builder.new_tariffs, tar1)]
    if step.result is not None:
        cr.insert(0, country_rows("baseline_update", step.result, weights))
        te.insert(0, trade_effects("baseline_update", step.result, everyone))

    # ----------------------------------------------------------- sensitivity
    t3 = time.perf_counter()
    sens = []
    point_b = pd.Series({c: ctx.coefs[c].value for c in builder.per_coef})

    def _sens_run(kind: str, variant: object, flows: pd.DataFrame, s: float, ave: float | None = None) -> None:
        _, b1, bld, _, _ = _steps(ctx, flows, s, ave_override=ave, record=False)
        res = simulate(b1, **bld(point_b))
        rows = country_rows("scenario", res, weights)
        rows = rows[rows["measure"].isin(["welfare", "real_gdp", "exports"])]
        sens.append(rows.assign(kind=kind, variant=variant)[["kind", "variant", "iso3", "measure", "value"]])

    flows_main = world.flows()
    for s in sc.model.sigma_sensitivity:
        progress(f"sensitivity: sigma = {s:g}")
        _sens_run("sigma", f"{s:g}", flows_main, s)
    for m in dict.fromkeys([sc.baseline.domestic_multiplier, *sc.baseline.domestic_sensitivity]):
        progress(f"sensitivity: domestic sales = {m:g} × GDP − exports")
        _sens_run("domestic", f"{m:g}", world.flows(m), sigma)
    for k, shock in enumerate(sc.shocks):
        if isinstance(shock, FacilitationShock):
            for ave in sorted({shock.ave_band[0], shock.ave_per_day, shock.ave_band[1]}):
                progress(f"sensitivity: {ave:g}% ad valorem per day")
                _sens_run("ave_per_day", f"{ave:g}", flows_main, sigma, ave)
    if sc.baseline.robustness_world != "none":
        progress(f"robustness: the same scenario on the {WORLD_LABELS[sc.baseline.robustness_world]} world")
        rows, alt_inputs = _robustness_rows(sc, source)
        sens.append(rows)
        ctx.inputs.extend((i["dataset"], i["file"]) for i in alt_inputs)
    timings["sensitivity"] = time.perf_counter() - t3

    # --------------------------------------------------------------- assemble
    countries = world.countries.reset_index().assign(
        member=lambda d: d["iso3"].isin(members), joining=lambda d: d["iso3"].isin(new_members)
    )
    if ctx.tariff_pct is not None:
        countries["mfn_tariff_pct"] = ctx.tariff_pct.reindex(countries["iso3"]).to_numpy()
    agreements = step.pairs.assign(step="baseline_update")
    if fta_marked is not None:
        scen_ag = fta_marked.rename(columns={"existing": "agreement"}).assign(
            step="scenario", type=np.where(fta_marked["shocked"], "shocked", "already FTA/CU/EIA: not shocked"),
            entry=str(sc.date), type_before="",
        )[["exporter", "importer", "agreement", "type", "entry", "type_before", "step"]]
        agreements = pd.concat([agreements, scen_ag], ignore_index=True)
    agreements = agreements[["step", "exporter", "importer", "agreement", "type", "entry", "type_before"]]
    tables = {
        "countries": countries,
        "country_results": pd.concat(cr, ignore_index=True),
        "pair_results": pd.concat(pr, ignore_index=True),
        "sensitivity": pd.concat(sens, ignore_index=True) if sens else pd.DataFrame(columns=["kind", "variant", "iso3", "measure", "value"]),
        "trade_effects": pd.concat(te, ignore_index=True),
        "agreements": agreements.reset_index(drop=True),
    }
    notes = list(world.notes) + ctx.notes + standard_notes(ctx, len(step.pairs), draws)
    params = parameters(ctx, len(step.pairs), draws)
    cites = citations(ctx)
    timings["total"] = time.perf_counter() - t0
    manifest = {
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "inputs": [{"dataset": d, "file": f} for d, f in dict.fromkeys(ctx.inputs)],
        "timings": {k: round(v, 3) for k, v in timings.items()},
        "coefficients": {k: {"value": c.value, "se": c.se, "nobs": c.nobs, "source": c.source, "formula": c.formula, "vcov": c.vcov} for k, c in ctx.coefs.items()},
        "ge": {"converged": bool(point.converged), "max_residual": float(point.max_residual), "iterations": point.iterations},
    }
    return StudyResult(
        scenario_name=sc.name,
        title=sc.title or sc.name,
        description=" ".join(sc.description.split()),
        members=tuple(members),
        new_members=tuple(new_members),
        tables=tables,
        notes=tuple(notes),
        parameters=params,
        citations=tuple(cites),
        manifest=manifest,
    )


def _robustness_rows(sc: Scenario, source: str) -> tuple[pd.DataFrame, list[dict]]:
    """Welfare, real GDP and exports on the alternative world (point estimate, no sensitivity runs)."""
    alt = sc.model_copy(
        update={
            "baseline": sc.baseline.model_copy(
                update={"world": sc.baseline.robustness_world, "robustness_world": "none", "domestic_sensitivity": [],
                        "gdp_overrides": {}}
            ),
            "model": sc.model.model_copy(update={"draws": 0, "sigma_sensitivity": []}),
        }
    )
    res = _run(alt, source=f"{source} (robustness world)")
    cr = res.tables["country_results"]
    rows = cr[(cr["step"] == "scenario") & cr["measure"].isin(["welfare", "real_gdp", "exports"])]
    rows = rows.assign(kind="world", variant=sc.baseline.robustness_world)[["kind", "variant", "iso3", "measure", "value"]]
    return rows, res.manifest["inputs"]
