"""Carving economies out of the ICIO ``ROW``: flows by sector, with a source per cell.

The ICIO world folds KGZ, TJK, UZB and IRN into ``ROW``. This module gives
them their own rows and columns, as GTAP does for regions without an IO
table of their own, and takes every value it gives them *out of* the ``ROW``
cell that holds it today, so world totals by sector are conserved:

1. **Goods, bilateral totals** — CEPII BACI 2023 (exporter → importer, USD),
   brought to the ICIO year's level by one factor: ICIO goods trade among the
   ICIO economies present in both sources divided by BACI's on the same pairs
   (``scale``). Pairs with no BACI record (neither side reported them: e.g.
   RUS↔IRN, RUS↔TJK) are filled from the UNCTAD 2015 matrix × the BACI/UNCTAD
   ratio of world trade on pairs both report (flag ``unctad2015``); pairs in
   neither source are 0 (flag ``no_source``: unknown, shown, and removable
   as a sensitivity by rerunning the uncarved world). The remaining ROW
   partner is the sum over the BACI economies that are neither ICIO
   economies nor carved (known pairs only).
2. **Goods, sectors** — each pair's total is split into SITC sections with
   the pair's UNCTAD 2015 shares (flag ``sitc_pair``; else the exporter's
   shares to the world, ``sitc_exporter``; else the world's,
   ``sitc_world``), then into ICIO sectors through
   ``concordance_data/sitc_icio.csv``; a section linked to several ICIO
   sectors is split with the within-section shares of the ICIO cell that
   holds the flow today (``IRN → CHN`` inside ``ROW → CHN``).
3. **Entrepôt trade** — goods imports of a carved economy above
   ``max_imports_to_gdp`` × its GDP are read as transit (re-exports, e.g.
   CHN → KGZ 18.2 bn USD in BACI against a Kyrgyz GDP of 14 bn): the excess is
   cut from its largest suppliers, in order, and stays in ``ROW`` (flag
   ``entrepot_cut``; the size is reported).
4. **Domestic sales and services** — from GDP with the ratios of a stated
   proxy economy ``p``: domestic sales of sector ``s`` = ``X[s,p,p] / VA_p`` ×
   GDP; services exports (imports) = ``p``'s services exports (imports) /
   ``VA_p`` × GDP, spread over partners by the carved economy's goods trade
   shares (flags ``gdp_proxy:<p>``). ``VA_p`` uses WIOD value-added shares.
5. **Fit inside ROW** — the carved values taken from one ``ROW`` cell may
   use at most ``1 - row_floor`` of it; where they would need more, they are
   scaled down to fit (flag ``fit_row``), so ``ROW`` stays ≥ ``row_floor`` ×
   its original cell and never negative.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ftalab.data._package_data import package_csv
from ftalab.data.readers.icio import IcioWorld
from ftalab.data.readers.unctad import UNCTAD_SECTIONS
from ftalab.errors import DataError, ValidationError

__all__ = ["CarvedFlows", "carve_flows", "sitc_icio_concordance"]

logger = logging.getLogger(__name__)

CONCORDANCE = "concordance_data/sitc_icio.csv"


@dataclass(frozen=True, eq=False)
class CarvedFlows:
    """Flows of a world with economies carved out of ``ROW``.

    Attributes
    ----------
    countries : list of str
        ICIO economies (without ROW), then the carved ones, then ``"ROW"``.
    sectors : list of str
    flows : numpy.ndarray
        Shape (S, N, N) = [sector, importer, exporter], millions of USD.
    sources : pandas.DataFrame
        One row per derived cell: ``importer, exporter, sector, value, source``.
    carve_out : pandas.DataFrame
        Per carved economy: GDP, goods exports and imports before and after
        the entrepôt cut, services exports and imports, domestic sales (millions of USD).
    adjustments : pandas.DataFrame
        ``rule, economy, partner, sector, value`` for every entrepôt cut and ROW fit.
    scale : float
        The BACI 2023 → ICIO-year factor.
    """

    countries: list[str]
    sectors: list[str]
    flows: np.ndarray
    sources: pd.DataFrame
    carve_out: pd.DataFrame
    adjustments: pd.DataFrame
    scale: float


@functools.cache
def _sitc() -> pd.DataFrame:
    return package_csv(CONCORDANCE, dtype=str)


def sitc_icio_concordance() -> pd.DataFrame:
    """The SITC section → ICIO goods sector concordance.

    Returns
    -------
    pandas.DataFrame
        ``sitc, section, icio`` (one row per link; see the file's header notes).
    """
    return _sitc().copy()


def _bilateral_usd(baci: pd.DataFrame) -> pd.DataFrame:
    mat = baci.pivot(index="exporter", columns="importer", values="value_usd")
    codes = sorted(set(mat.index) | set(mat.columns))
    return mat.reindex(index=codes, columns=codes)


def _scale_factor(world: IcioWorld, baci_mat: pd.DataFrame) -> float:
    """ICIO goods trade among common economies / BACI's on the same (known) pairs."""
    common = [c for c in world.countries if c != "ROW" and c in baci_mat.index]
    idx = [world.countries.index(c) for c in common]
    b = baci_mat.loc[common, common].to_numpy()  # exporter x importer
    icio = world.flows[np.ix_(np.flatnonzero(world.is_goods), idx, idx)].sum(axis=0).T  # exporter x importer
    known = np.isfinite(b) & ~np.eye(len(common), dtype=bool)
    return float(icio[known].sum() / (b[known].sum() / 1e6))


def _unctad_tables(unctad: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pair totals (exporter x importer, thousand USD) and pair x section values."""
    by_section = unctad.pivot_table(index=["exporter", "importer"], columns="sector", values="value", aggfunc="sum")
    by_section = by_section.reindex(columns=list(UNCTAD_SECTIONS)).fillna(0.0)
    totals = by_section.sum(axis=1).unstack()
    return totals, by_section


def carve_flows(
    world: IcioWorld,
    carve: Sequence[str],
    *,
    baci: pd.DataFrame,
    gdp_usd: pd.Series,
    unctad: pd.DataFrame,
    va_shares: np.ndarray,
    proxies: Mapping[str, str],
    max_imports_to_gdp: float | None = 1.0,
    row_floor: float = 0.05,
    fill_unknown: bool = True,
) -> CarvedFlows:
    """Carve ``carve`` out of the world's ``ROW`` (see the module docstring for the rules).

    Parameters
    ----------
    world : IcioWorld
        The ICIO world (flows [sector, importer, exporter], millions of USD).
    carve : sequence of str
        ISO3 codes inside ``ROW`` to give their own rows (e.g. ``["KGZ", "TJK", "UZB", "IRN"]``).
    baci : pandas.DataFrame
        ``exporter, importer, value_usd`` (BACI 2023 totals; NaN = unknown).
    gdp_usd : pandas.Series
        GDP in current USD by ISO3 (BACI's WDI column).
    unctad : pandas.DataFrame
        UNCTAD 2015 matrix by SITC section: ``exporter, importer, sector, value`` (thousand USD).
    va_shares : numpy.ndarray
        Shape (N_world, S): value-added shares of the ICIO world's economies (for the proxies' GDP).
    proxies : mapping of str to str
        Carved economy → ICIO economy (or ``"ROW"``) whose domestic-sales and
        services ratios to value added it takes.
    max_imports_to_gdp : float or None, default 1.0
        Entrepôt cut threshold; None keeps all recorded imports.
    row_floor : float, default 0.05
        Share of each original ROW cell that ROW keeps at least.
    fill_unknown : bool, default True
        Fill pairs BACI does not record from UNCTAD 2015; False keeps them at 0
        (flag ``unknown_zero``): the sensitivity without the fill.

    Returns
    -------
    CarvedFlows

    Raises
    ------
    ValidationError
        A code to carve is an ICIO economy already, lacks GDP, or a proxy is unknown.
    """
    carve = list(carve)
    if "ROW" not in world.countries:
        raise ValidationError("the world has no 'ROW' to carve from")
    already = [c for c in carve if c in world.countries]
    if already:
        raise ValidationError(f"{already} are ICIO economies already; carve only economies inside ROW")
    no_gdp = [c for c in carve if c not in gdp_usd.index or not np.isfinite(gdp_usd.get(c, np.nan))]
    if no_gdp:
        raise ValidationError(f"no GDP for {no_gdp}; the carve-out scales domestic sales and services by GDP")
    missing_proxy = [c for c in carve if proxies.get(c) not in world.countries]
    if missing_proxy:
        raise ValidationError(
            f"no proxy economy (an ICIO economy or 'ROW') for {missing_proxy}; got {dict(proxies)}"
        )
    if not 0 <= row_floor < 1:
        raise ValidationError(f"row_floor must be in [0, 1), got {row_floor}")

    base = [c for c in world.countries if c != "ROW"]
    countries = base + carve + ["ROW"]
    n = len(countries)
    s_all = len(world.sectors)
    goods = np.flatnonzero(world.is_goods)
    serv = world.services_sector
    row_old = world.countries.index("ROW")
    pos = {c: i for i, c in enumerate(countries)}
    old_pos = {c: world.countries.index(c) for c in base}

    def old_of(code: str) -> int:  # the ICIO index holding `code` today
        return old_pos.get(code, row_old)

    bm = _bilateral_usd(baci)
    scale = _scale_factor(world, bm)
    utot, usec = _unctad_tables(unctad)
    # BACI / UNCTAD on pairs both report (same currency, 2023 vs 2015)
    both = utot.stack().rename("u").to_frame().join(bm.stack().rename("b"), how="inner").dropna()
    u_to_b = float(both["b"].sum() / (both["u"].sum() * 1e3))
    rest = [c for c in bm.index if c not in base and c not in carve]  # BACI economies inside the remaining ROW

    conc = _sitc()
    sections = list(UNCTAD_SECTIONS)
    links = [np.array([world.sectors.index(s) for s in conc.loc[conc["section"] == sec, "icio"]]) for sec in sections]
    offdiag = world.flows.sum(axis=(1, 2)) - np.einsum("kii->k", world.flows)

    pair_sections = dict(zip(usec.index, usec.to_numpy()))
    exporter_sections = usec.groupby(level=0).sum()
    world_sections = usec.to_numpy().sum(axis=0)

    def section_shares(e: str, i: str) -> tuple[np.ndarray, str]:
        ex = [e] if e != "ROW" else rest
        im = [i] if i != "ROW" else rest
        vals = np.zeros(len(sections))
        for a in ex:
            for b in im:
                if a != b and (a, b) in pair_sections:
                    vals = vals + pair_sections[(a, b)]
        if vals.sum() > 0:
            return vals / vals.sum(), "sitc_pair"
        vals = exporter_sections.reindex(ex).fillna(0.0).to_numpy().sum(axis=0)
        if vals.sum() > 0:
            return vals / vals.sum(), "sitc_exporter"
        return world_sections / world_sections.sum(), "sitc_world"

    def to_sectors(shares: np.ndarray, e: str, i: str) -> np.ndarray:
        cell = world.flows[:, old_of(i), old_of(e)]
        out = np.zeros(s_all)
        for k, idx in enumerate(links):
            w = cell[idx]
            if w.sum() <= 0:
                w = offdiag[idx]
            out[idx] += shares[k] * w / w.sum()
        return out

    def pair_total(e: str, i: str) -> tuple[float, str]:
        """Goods value e -> i in millions of USD at the ICIO year's level, and its source."""
        if e == "ROW" or i == "ROW":
            ex = [e] if e != "ROW" else rest
            im = [i] if i != "ROW" else rest
            block = bm.reindex(index=ex, columns=im).to_numpy()
            return float(np.nansum(block)) / 1e6 * scale, "baci2023_rest"
        v = bm.at[e, i] if (e in bm.index and i in bm.columns) else np.nan
        if np.isfinite(v):
            return float(v) / 1e6 * scale, "baci2023"
        if not fill_unknown:
            return 0.0, "unknown_zero"
        u = utot.at[e, i] if (e in utot.index and i in utot.columns) else np.nan
        if np.isfinite(u) and u > 0:
            return float(u) * 1e3 * u_to_b / 1e6 * scale, "unctad2015"
        return 0.0, "no_source"

    flows = np.zeros((s_all, n, n))
    # ICIO economies keep their cells
    bi = [pos[c] for c in base]
    bo = [old_pos[c] for c in base]
    flows[np.ix_(range(s_all), bi, bi)] = world.flows[np.ix_(range(s_all), bo, bo)]
    src: dict[tuple[int, int], str] = {}  # (importer, exporter) -> source of goods
    partners = base + carve + ["ROW"]
    for c in carve:
        for p in partners:
            if p == c:
                continue
            for e, i in ((c, p), (p, c)):
                if (pos[i], pos[e]) in src:
                    continue
                total, origin = pair_total(e, i)
                shares, how = section_shares(e, i)
                flows[:, pos[i], pos[e]] = total * to_sectors(shares, e, i)
                src[(pos[i], pos[e])] = f"{origin}|{how}"

    gdp = {c: float(gdp_usd[c]) / 1e6 for c in carve}
    adjustments: list[dict[str, object]] = []
    summary = {c: {"gdp": gdp[c]} for c in carve}
    for c in carve:
        ci = pos[c]
        summary[c]["goods_exports_recorded"] = flows[goods, :, ci].sum()
        summary[c]["goods_imports_recorded"] = flows[goods, ci, :].sum()
    # 3. entrepôt cut
    if max_imports_to_gdp is not None:
        for c in carve:
            ci = pos[c]
            excess = flows[goods, ci, :].sum() - max_imports_to_gdp * gdp[c]
            if excess <= 0:
                continue
            by_supplier = flows[goods, ci, :].sum(axis=0)
            for e in np.argsort(-by_supplier):
                if excess <= 0 or by_supplier[e] <= 0:
                    break
                cut = min(excess, by_supplier[e])
                flows[goods, ci, e] *= 1 - cut / by_supplier[e]
                excess -= cut
                src[(ci, e)] += "|entrepot_cut"
                adjustments.append({"rule": "entrepot_cut", "economy": c, "partner": countries[e], "sector": "(goods)", "value": cut})
    # 4. domestic sales and services from GDP with a proxy's ratios
    va_old = (va_shares * world.gross_output()).sum(axis=1)
    for c in carve:
        ci, p = pos[c], world.countries.index(proxies[c])
        ratio = gdp[c] / va_old[p]
        flows[:, ci, ci] = world.flows[:, p, p] * ratio
        trade = flows[goods, :, ci].sum(axis=0) + flows[goods, ci, :].sum(axis=0)
        trade[ci] = 0.0
        weights = trade / trade.sum()
        s_exp = (world.flows[serv, :, p].sum() - world.flows[serv, p, p]) * ratio
        s_imp = (world.flows[serv, p, :].sum() - world.flows[serv, p, p]) * ratio
        for j in range(n):
            if j == ci or weights[j] == 0:
                continue
            for (imp, exp_), value in (((j, ci), s_exp * weights[j]), ((ci, j), s_imp * weights[j])):
                if countries[j] in carve and flows[serv, imp, exp_] > 0:  # defined from both ends: average
                    flows[serv, imp, exp_] = 0.5 * (flows[serv, imp, exp_] + value)
                else:
                    flows[serv, imp, exp_] = value
        src[(ci, ci)] = f"gdp_proxy:{proxies[c]}"
        summary[c]["proxy"] = proxies[c]

    # 5. fit inside the ROW cells, then ROW keeps the remainder
    ro = pos["ROW"]
    carved_idx = [pos[c] for c in carve]
    rowish = carved_idx + [ro]
    adjust_cells = []
    for b in base:  # ROW -> b and b -> ROW cells
        bj = pos[b]
        for (imp_old, exp_old), cells in (
            ((old_pos[b], row_old), [(bj, k) for k in carved_idx]),
            ((row_old, old_pos[b]), [(k, bj) for k in carved_idx]),
        ):
            adjust_cells.append(((imp_old, exp_old), cells))
    adjust_cells.append(((row_old, row_old), [(a, b_) for a in rowish for b_ in rowish if (a, b_) != (ro, ro)]))
    for (imp_old, exp_old), cells in adjust_cells:
        orig = world.flows[:, imp_old, exp_old]
        rows_i = np.array([a for a, _ in cells])
        cols_e = np.array([b_ for _, b_ in cells])
        taken = flows[:, rows_i, cols_e].sum(axis=1)
        limit = (1 - row_floor) * orig
        over = taken > limit + 1e-12
        if over.any():
            factor = np.where(over, limit / np.where(taken > 0, taken, 1.0), 1.0)
            flows[:, rows_i, cols_e] *= factor[:, None]
            for k in np.flatnonzero(over):
                adjustments.append(
                    {
                        "rule": "fit_row",
                        "economy": world.countries[imp_old] + "<-" + world.countries[exp_old],
                        "partner": "",
                        "sector": world.sectors[k],
                        "value": float(taken[k] - limit[k]),
                    }
                )
                for a, b_ in cells:
                    if flows[k, a, b_] > 0:
                        src[(a, b_)] = src.get((a, b_), "") + f"|fit_row:{world.sectors[k]}"
            taken = flows[:, rows_i, cols_e].sum(axis=1)
        remainder = orig - taken
        if imp_old == row_old and exp_old == row_old:
            flows[:, ro, ro] = remainder
        elif exp_old == row_old:
            flows[:, pos[world.countries[imp_old]], ro] = remainder
        else:
            flows[:, ro, pos[world.countries[exp_old]]] = remainder
    if (flows < -1e-9).any():
        raise DataError("carve-out left a negative flow; this is a bug, please report it")
    flows = np.maximum(flows, 0.0)

    for c in carve:
        ci = pos[c]
        summary[c].update(
            goods_exports=flows[goods, :, ci].sum() - flows[goods, ci, ci].sum(),
            goods_imports=flows[goods, ci, :].sum() - flows[goods, ci, ci].sum(),
            services_exports=flows[serv, :, ci].sum() - flows[serv, ci, ci],
            services_imports=flows[serv, ci, :].sum() - flows[serv, ci, ci],
            domestic_sales=np.einsum("k->", flows[:, ci, ci]),
            gross_output=flows[:, :, ci].sum(),
        )
    carve_out = pd.DataFrame(summary).T.rename_axis("economy").reset_index()
    return CarvedFlows(
        countries=countries,
        sectors=list(world.sectors),
        flows=flows,
        sources=_source_table(countries, world.sectors, flows, src, carve, serv),
        carve_out=carve_out,
        adjustments=pd.DataFrame(adjustments, columns=["rule", "economy", "partner", "sector", "value"]),
        scale=scale,
    )


def _source_table(
    countries: list[str],
    sectors: list[str],
    flows: np.ndarray,
    src: dict[tuple[int, int], str],
    carve: list[str],
    serv: int,
) -> pd.DataFrame:
    rows = []
    ro = countries.index("ROW")
    carved_idx = {countries.index(c) for c in carve}
    for (i, e), label in src.items():
        for k, sector in enumerate(sectors):
            if i == e:
                source = label
            elif k == serv:
                proxy = next(
                    (src[(c, c)] for c in (e, i) if c in carved_idx and (c, c) in src), "gdp_proxy"
                )
                source = f"{proxy}|goods_trade_partner_shares"
            else:
                source = label
            rows.append((countries[i], countries[e], sector, flows[k, i, e], source))
    row_cells = {(ro, ro)} | {
        cell for j in range(len(countries)) if j != ro and j not in carved_idx for cell in ((j, ro), (ro, j))
    }
    for i, e in sorted(row_cells):
        for k, sector in enumerate(sectors):
            rows.append((countries[i], countries[e], sector, flows[k, i, e], "row_remainder"))
    return pd.DataFrame(rows, columns=["importer", "exporter", "sector", "value", "source"])
