"""What a run says about itself: notes (assumptions, caveats), parameters, citations."""

from __future__ import annotations

from ftalab.data.countries import country_name
from ftalab.scenario.context import RunContext
from ftalab.scenario.results import Note
from ftalab.scenario.schema import FacilitationShock
from ftalab.scenario.world import WORLD_LABELS

__all__ = ["deepening_note", "standard_notes", "parameters", "citations"]

_HS_CITATION = (
    "Hummels, D.L. and Schaur, G. (2013). Time as a Trade Barrier. American Economic Review 103(7): 2935-2959."
)
_DATA_CITATIONS = {
    "unctad2015": "UNCTAD (2017). UNCTADstat, Merchandise trade matrix, exports, annual, 2015.",
    "wits2009": "UN Comtrade / World Bank WITS (2010), total merchandise trade 2009.",
}


def deepening_note(ctx: RunContext) -> list[Note]:
    """Agreements among members that entered in the window but only deepened existing FTAs."""
    if not ctx.scenario.baseline.update_to_date:
        return []
    from ftalab.data.agreements import agreements_entered_between

    everyone = sorted(set(ctx.members) | set(ctx.new_members))
    e = agreements_entered_between(f"{ctx.world.year}-01-01", ctx.scenario.date, countries=everyone)
    deep_before = e["type_before"].notna() & (e["type_before"] != "PSA")
    only = e[deep_before & (e["type"] != "PSA")]
    if only.empty:
        return []
    names = sorted({f"{a} ({str(d)[:10]})" for a, d in zip(only["agreement"], only["entry_force"], strict=True)})
    return [
        Note(
            "assumption",
            "Entered into force among the members after the data year but between pairs already in an FTA, so no "
            "extra effect is simulated (the RTA effect is one dummy for any FTA-or-deeper agreement): " + "; ".join(names) + ".",
        )
    ]


def standard_notes(ctx: RunContext, n_update_pairs: int, draws: int) -> list[Note]:
    sc = ctx.scenario
    n_upd = n_update_pairs
    notes = deepening_note(ctx) + [
        Note(
            "assumption",
            f"Baseline update: {n_upd} ordered pairs became FTA-or-deeper between {ctx.world.year} and {sc.date} and were "
            "simulated into the baseline first (full-endowment GE, point estimate); pairs that only deepened "
            "(e.g. FTA to customs union: Kyrgyzstan joining the EAEU in 2015 while in the CIS FTA) get no extra effect.",
        ),
        Note(
            "assumption",
            "One-sector structural gravity, goods only (Yotov et al. 2016, ch. 2; Anderson and van Wincoop 2003): "
            "full-endowment GE with trade imbalances held as ratios (rescaled to keep the world balanced); real income "
            f"= real expenditure incl. tariff revenue; σ = {sc.model.sigma:g}; prices normalised on {sc.model.reference}.",
        ),
        Note(
            "assumption",
            "Trade creation = change in members' exports to other members; trade diversion = change in non-members' "
            "exports to members (producer prices, baseline-year dollars).",
        ),
    ]
    if draws:
        notes.append(
            Note(
                "assumption",
                f"Intervals: {sc.model.interval * 100:g}% percentile intervals over {draws} Monte Carlo draws of the "
                f"estimated coefficients (seed {sc.model.seed}); conditional on σ and on the baseline update (point estimate).",
            )
        )
    notes += [
        Note("caveat", "Services, investment, non-tariff measures beyond the estimated average RTA effect, and dynamic effects are not modelled."),
        Note("caveat", "Domestic sales are constructed from GDP (value added, services included), not observed; see the sensitivity to their construction."),
    ]
    if "rta" in ctx.coefs and sc.estimation.source == "advanced_guide":
        notes.append(Note("caveat", "The RTA effect is an average over 1986-2006 agreements among the 69 countries of Yotov et al. (2016); of the SCO members only China, India and Iran are in that sample."))
    if any(isinstance(s, FacilitationShock) for s in sc.shocks):
        notes.append(Note("caveat", "Convergence to the best performer's border hours is an upper bound: the fastest times in the data (e.g. Belarus, inside the EAEU customs union) reflect trade with customs-union partners."))
    return notes


def parameters(ctx: RunContext, n_update_pairs: int, draws: int) -> dict:
    sc = ctx.scenario
    display = {
        "Scenario date": str(sc.date),
        "Baseline world": f"{WORLD_LABELS[sc.baseline.world]} ({sc.baseline.product})",
        "Domestic sales": f"{sc.baseline.domestic_multiplier:g} × GDP − exports, floor {sc.baseline.domestic_floor_share * 100:g}% of GDP",
        "σ (elasticity of substitution)": f"{sc.model.sigma:g}; sensitivity {', '.join(f'{s:g}' for s in sc.model.sigma_sensitivity)}",
        "Reference (numeraire)": f"{country_name(sc.model.reference)} ({sc.model.reference})",
        "Monte Carlo": f"{draws} draws, seed {sc.model.seed}, {sc.model.interval * 100:g}% intervals",
    }
    for k, c in ctx.coefs.items():
        display[f"Coefficient {k}"] = f"{c.value:.4f} (SE {c.se:.4f}), N = {c.nobs if c.nobs else '–'}; {c.formula or ''}; {c.vcov or ''}; {c.source}"
    return {
        "date": str(sc.date),
        "data_year": ctx.world.year,
        "world": sc.baseline.world,
        "world_label": WORLD_LABELS[sc.baseline.world],
        "sigma": sc.model.sigma,
        "draws": draws,
        "seed": sc.model.seed,
        "interval_pct": f"{sc.model.interval * 100:g}",
        "floor_pct": f"{sc.baseline.domestic_floor_share * 100:g}",
        "reference": sc.model.reference,
        "shock_lines": ctx.shock_lines,
        "update_pairs": n_update_pairs,
        "display": display,
    }


def citations(ctx: RunContext) -> list[str]:
    out = [_DATA_CITATIONS[ctx.scenario.baseline.world],
           "World Bank (2021). World Development Indicators: GDP (current US$), NY.GDP.MKTP.CD.",
           "Fontagné, L., Rocha, N., Ruta, M. and Santoni, G. (2023). The Economic Impact of Deepening Trade Agreements. World Bank Economic Review (DTA toolkit data).",
           "Anderson, J.E. and van Wincoop, E. (2003). Gravity with Gravitas. American Economic Review 93(1): 170-192.",
           "Santos Silva, J.M.C. and Tenreyro, S. (2006). The Log of Gravity. Review of Economics and Statistics 88(4): 641-658."]
    for c in ctx.coefs.values():
        out.append(c.source if c.name == "rta" else "Mayer, T. and Zignago, S. (2011). Notes on CEPII's distances measures: the GeoDist database. CEPII WP 2011-25.")
    if ctx.tariff_pct is not None:
        out.append("World Bank (2025). WDI: Tariff rate, most favored nation, weighted mean, all products (%), TM.TAX.MRCH.WM.FN.ZS.")
    if ctx.hours is not None:
        out.append("World Bank (2019). Doing Business 2019, historical data: Trading across Borders.")
        out.append(_HS_CITATION)
    return out
