"""A sector world for multi-sector studies: ICIO flows, cleaned tariffs, IO shares, carve-out.

:func:`build_sector_world` assembles, for one ICIO year:

* the flows of the ICIO world with chosen economies carved out of ``ROW``
  (default the four SCO members inside it: KGZ, TJK, UZB, IRN; rules in
  :mod:`ftalab.data.carve_out`), or the ICIO world as it is (``carve=()``,
  the "uncarved" sensitivity);
* tariffs: the cleaned ICIO rates (:mod:`ftalab.data.icio_tariffs`) and
  rates for the carved economies (:mod:`ftalab.data.carve_tariffs`);
* value-added and IO shares from WIOD 2011 (own table or WIOD RoW; the
  carved economies by a stated proxy) or the no-IO variant;
* the eight published elasticity sets of the ICIO files.

Arrays are in the shapes the multi-sector GE takes (``ftalab.ge``):
flows and tariffs [importer, exporter, sector], value-added shares
[country, sector], IO shares [country, input sector, using sector],
deficits [country]. Every derived cell has a source flag
(:attr:`SectorWorld.sources`), every proxy is listed
(:attr:`SectorWorld.proxies`), every tariff fix and carve-out adjustment
is in a table.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ftalab.data.carve_out import carve_flows
from ftalab.data.carve_tariffs import carved_tariffs, latest_mfn
from ftalab.data.icio_tariffs import clean_icio_tariffs
from ftalab.data.io_shares import IoShares, icio_io_shares, no_io_shares
from ftalab.data.readers.baci_totals import read_baci_gdp, read_baci_totals
from ftalab.data.readers.icio import IcioWorld, read_icio
from ftalab.data.readers.unctad import read_unctad_trade_matrix_2015
from ftalab.data.readers.wdi import read_wdi_tariffs_2025
from ftalab.errors import ValidationError

__all__ = ["DEFAULT_CARVE", "DEFAULT_PROXIES", "SectorWorld", "build_sector_world", "final_demand_check"]

logger = logging.getLogger(__name__)

#: SCO members inside the ICIO ROW.
DEFAULT_CARVE: tuple[str, ...] = ("KGZ", "TJK", "UZB", "IRN")

#: Proxy economy for each carved member's domestic-sales and services ratios to
#: GDP: KAZ, the Central Asian EAEU economy in the ICIO, for KGZ, TJK and UZB;
#: RUS for IRN, a large hydrocarbon exporter with a diversified industry under
#: sanctions in 2022 (ROW, the other candidate, gives IRN services imports of
#: 25 % of GDP, several times the recorded level).
DEFAULT_PROXIES: dict[str, str] = {"KGZ": "KAZ", "TJK": "KAZ", "UZB": "KAZ", "IRN": "RUS"}


@dataclass(frozen=True, eq=False)
class SectorWorld:
    """A sector world ready for the multi-sector GE.

    Attributes
    ----------
    year : int
        ICIO data year.
    countries : list of str
        Economies; ``"ROW"`` last.
    sectors : list of str
    is_goods : numpy.ndarray
        Boolean mask over sectors (False for the services aggregate).
    flows : numpy.ndarray
        Shape (N, N, S) = [importer, exporter, sector], millions of USD, before
        tariffs, domestic sales on the diagonal.
    tariffs : numpy.ndarray
        Shape (N, N, S), fractions.
    va_shares : numpy.ndarray
        Shape (N, S).
    io_shares : numpy.ndarray
        Shape (N, S, S) = [country, input sector, using sector], inputs per unit
        of gross output (``va_shares + io_shares.sum(axis=1) == 1``; all 0 in the no-IO variant).
    deficits : numpy.ndarray
        Shape (N,): imports minus exports (all sectors, before tariffs), millions of USD.
    elasticities : dict of str to numpy.ndarray
        Published sets (θ per sector), from the ICIO files.
    carved : list of str
        Economies carved out of ROW (empty for the uncarved world).
    sources : pandas.DataFrame
        ``importer, exporter, sector, quantity ("flow" | "tariff"), source``
        for every derived cell (carved rows and columns, ROW remainders).
    proxies : pandas.DataFrame
        ``economy, drives, proxy, note``: every proxy used.
    tariff_fixes : pandas.DataFrame
        The ICIO tariff cleaning (:func:`ftalab.data.icio_tariffs.clean_icio_tariffs`).
    carve_out : pandas.DataFrame
        Per carved economy: GDP and trade before and after adjustments (millions of USD).
    adjustments : pandas.DataFrame
        Entrepôt cuts and ROW fits.
    notes : dict
        Scale factors and parameters of the build.
    """

    year: int
    countries: list[str]
    sectors: list[str]
    is_goods: np.ndarray
    flows: np.ndarray
    tariffs: np.ndarray
    va_shares: np.ndarray
    io_shares: np.ndarray
    deficits: np.ndarray
    elasticities: dict[str, np.ndarray]
    carved: list[str]
    sources: pd.DataFrame
    proxies: pd.DataFrame
    tariff_fixes: pd.DataFrame
    carve_out: pd.DataFrame
    adjustments: pd.DataFrame
    notes: dict[str, object] = field(default_factory=dict)

    def __repr__(self) -> str:
        carved = ", ".join(self.carved) or "none"
        return (
            f"SectorWorld(year={self.year}, {len(self.countries)} economies x {len(self.sectors)} sectors, "
            f"carved: {carved})"
        )

    def gross_output(self) -> np.ndarray:
        """Gross output by [country, sector] (sales to all importers incl. home), millions of USD.

        Returns
        -------
        numpy.ndarray
            Shape (N, S).
        """
        return self.flows.sum(axis=0)

    def absorption(self) -> np.ndarray:
        """Purchases by [country, sector] from all sources, before tariffs, millions of USD.

        Returns
        -------
        numpy.ndarray
            Shape (N, S).
        """
        return self.flows.sum(axis=1)

    def ge_inputs(self, theta: str | np.ndarray = "CP") -> dict[str, object]:
        """Keyword arguments for the multi-sector GE baseline (``SectorBaseline.from_arrays``).

        Parameters
        ----------
        theta : str or numpy.ndarray, default "CP"
            A published set's name (a key of :attr:`elasticities`) or θ per sector.

        Returns
        -------
        dict
            ``countries, sectors, flows, tariffs, va_share, io_share, deficits,
            theta`` (copies), in the GE's names and shapes; ``io_share`` is
            None in the no-IO variant.

        Raises
        ------
        ValidationError
            Unknown set name, or θ of the wrong length.
        """
        if isinstance(theta, str):
            if theta not in self.elasticities:
                raise ValidationError(f"unknown elasticity set {theta!r}; sets: {', '.join(self.elasticities)}")
            values = self.elasticities[theta]
        else:
            values = np.asarray(theta, dtype=float)
        if values.shape != (len(self.sectors),):
            raise ValidationError(f"theta has {values.size} values for {len(self.sectors)} sectors")
        no_io = bool(np.all(self.io_shares == 0) and np.all(self.va_shares == 1))
        return {
            "countries": list(self.countries),
            "sectors": list(self.sectors),
            "flows": self.flows.copy(),
            "tariffs": self.tariffs.copy(),
            "va_share": self.va_shares.copy(),
            "io_share": None if no_io else self.io_shares.copy(),
            "deficits": self.deficits.copy(),
            "theta": values.copy(),
        }

    def tariff_revenue(self) -> np.ndarray:
        """Tariff revenue by importer in the baseline, millions of USD.

        Returns
        -------
        numpy.ndarray
            Shape (N,).
        """
        return (self.flows * self.tariffs).sum(axis=(1, 2))


def _deficits(flows: np.ndarray) -> np.ndarray:
    total = flows.sum(axis=2)
    return total.sum(axis=1) - total.sum(axis=0)


def final_demand_check(world: SectorWorld) -> pd.DataFrame:
    """Final-demand shares implied by the world's flows and IO shares, and where they are negative.

    In Caliendo & Parro (2015) a country's expenditure on sector ``j`` at
    tariff-inclusive prices is intermediate demand
    ``Σ_k io[n,j,k] Y[n,k]`` plus final demand ``α[n,j] I[n]``.
    With proxy IO shares the implied final demand can be negative; the GE's
    baseline adjustment (CP: negative final-demand shares set to zero and
    the rest renormalised) must then be applied and reported.

    Parameters
    ----------
    world : SectorWorld

    Returns
    -------
    pandas.DataFrame
        ``country, sector, expenditure, intermediate_demand, final_demand,
        alpha`` (millions of USD; ``alpha`` the raw share, may be < 0), one
        row per country and sector.
    """
    y = world.gross_output()  # n, k
    expenditure = (world.flows * (1 + world.tariffs)).sum(axis=1)  # n, j
    inter = np.einsum("njk,nk->nj", world.io_shares, y)
    final = expenditure - inter
    total = final.sum(axis=1, keepdims=True)
    alpha = final / np.where(total != 0, total, np.nan)
    n, s = final.shape
    return pd.DataFrame(
        {
            "country": np.repeat(world.countries, s),
            "sector": np.tile(world.sectors, n),
            "expenditure": expenditure.ravel(),
            "intermediate_demand": inter.ravel(),
            "final_demand": final.ravel(),
            "alpha": alpha.ravel(),
        }
    )


def _proxy_table(carve: list[str], proxies: Mapping[str, str], io: IoShares, with_io: bool) -> pd.DataFrame:
    rows = []
    for c in carve:
        rows.append((c, "domestic sales and services trade (ratios to GDP)", proxies[c], "ICIO year ratios x GDP 2023 (WDI via BACI)"))
        rows.append((c, "goods split across sectors", "UNCTAD 2015 SITC shares; ICIO cell within-section shares", "see sitc_icio.csv"))
    if with_io:
        for c, src in io.source.items():
            if "proxy" in src:
                rows.append((c, "value-added and IO shares", src, "WIOD 2011 mapped to ICIO sectors"))
    return pd.DataFrame(rows, columns=["economy", "drives", "proxy", "note"])


def build_sector_world(
    year: int = 2022,
    *,
    carve: Sequence[str] = DEFAULT_CARVE,
    proxies: Mapping[str, str] | None = None,
    io: bool = True,
    io_proxies: Mapping[str, str] | None = None,
    max_imports_to_gdp: float | None = 1.0,
    row_floor: float = 0.05,
    fill_unknown: bool = True,
    icio: IcioWorld | None = None,
) -> SectorWorld:
    """Build the sector world of ``year``, with ``carve`` out of ROW.

    Parameters
    ----------
    year : int, default 2022
        ICIO year (2011-2022; the 2022 file carries 2021 tariffs).
    carve : sequence of str, default KGZ, TJK, UZB, IRN
        Economies inside ``ROW`` to give their own rows; ``()`` for the uncarved world.
    proxies : mapping of str to str, optional
        Carved economy → ICIO economy (or ``"ROW"``) for domestic sales and
        services (default :data:`DEFAULT_PROXIES`, ``"ROW"`` for others).
    io : bool, default True
        WIOD value-added and IO shares; False for the no-IO variant.
    io_proxies : mapping of str to str, optional
        Economy → WIOD region for its IO shares (default: own table, else WIOD RoW).
    max_imports_to_gdp : float or None, default 1.0
        Entrepôt cut threshold (:func:`ftalab.data.carve_out.carve_flows`).
    row_floor : float, default 0.05
        Share of each original ROW cell ROW keeps at least.
    fill_unknown : bool, default True
        Fill goods pairs BACI does not record from UNCTAD 2015 (False: the
        sensitivity without the fill, those pairs 0 and flagged ``unknown_zero``).
    icio : IcioWorld, optional
        An already read ICIO world of ``year``.

    Returns
    -------
    SectorWorld

    Raises
    ------
    ValidationError
        Bad year, codes or proxies.
    """
    world = icio if icio is not None else read_icio(year)
    if world.year != year:
        raise ValidationError(f"the ICIO world given is for {world.year}, not {year}")
    carve = list(carve)
    px = {c: (proxies or DEFAULT_PROXIES).get(c, "ROW") for c in carve}
    already = [c for c in carve if c in world.countries]
    unknown = {c: p for c, p in px.items() if p not in world.countries}
    if already or unknown:
        raise ValidationError(
            f"cannot carve {already} (ICIO economies already; carve only economies inside ROW)"
            if already
            else f"no proxy economy (an ICIO economy or 'ROW') for {unknown}"
        )
    cleaned, fixes = clean_icio_tariffs(world)
    base_io = icio_io_shares(world.countries, world.sectors, world.gross_output(), proxies=io_proxies)
    notes: dict[str, object] = {"icio_year": year, "tariff_year": 2021 if year == 2022 else year}
    if carve:
        cf = carve_flows(
            world,
            carve,
            baci=read_baci_totals(),
            gdp_usd=read_baci_gdp(),
            unctad=read_unctad_trade_matrix_2015(None),
            va_shares=base_io.va_shares,
            proxies=px,
            max_imports_to_gdp=max_imports_to_gdp,
            row_floor=row_floor,
            fill_unknown=fill_unknown,
        )
        countries, flows_skn = cf.countries, cf.flows
        mfn = latest_mfn(read_wdi_tariffs_2025("MFN"), year)
        tariffs_skn, tsrc = carved_tariffs(
            countries, world.sectors, world.services_sector, world.countries, cleaned, carve, year, mfn
        )
        notes.update(
            baci_scale=cf.scale,
            max_imports_to_gdp=max_imports_to_gdp,
            row_floor=row_floor,
            fill_unknown=fill_unknown,
            gdp_year=2023,
        )
        goods = [s for s, g in zip(world.sectors, world.is_goods) if g]
        tariff_sources = tsrc.merge(pd.DataFrame({"sector": goods}), how="cross")
        tariff_sources["quantity"] = "tariff"
        flow_sources = cf.sources.drop(columns="value").assign(quantity="flow")
        sources = pd.concat([flow_sources, tariff_sources], ignore_index=True)[
            ["importer", "exporter", "sector", "quantity", "source"]
        ]
        carve_out, adjustments = cf.carve_out, cf.adjustments
    else:
        countries, flows_skn, tariffs_skn = list(world.countries), world.flows.copy(), cleaned
        sources = pd.DataFrame(columns=["importer", "exporter", "sector", "quantity", "source"])
        carve_out = pd.DataFrame()
        adjustments = pd.DataFrame(columns=["rule", "economy", "partner", "sector", "value"])
    gross = flows_skn.sum(axis=1).T
    shares = (
        icio_io_shares(countries, world.sectors, gross, proxies=io_proxies) if io else no_io_shares(countries, world.sectors)
    )
    flows = flows_skn.transpose(1, 2, 0).copy()
    tariffs = tariffs_skn.transpose(1, 2, 0).copy()
    return SectorWorld(
        year=year,
        countries=list(countries),
        sectors=list(world.sectors),
        is_goods=world.is_goods.copy(),
        flows=flows,
        tariffs=tariffs,
        va_shares=shares.va_shares,
        io_shares=shares.io_shares,
        deficits=_deficits(flows),
        elasticities={k: v.copy() for k, v in world.elasticities.items()},
        carved=carve,
        sources=sources,
        proxies=_proxy_table(carve, px, shares, io),
        tariff_fixes=fixes,
        carve_out=carve_out,
        adjustments=adjustments,
        notes=notes,
    )
