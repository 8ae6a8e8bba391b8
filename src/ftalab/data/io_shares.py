"""Value-added and input-output shares for an ICIO sector world, from WIOD 2011.

The ICIO files carry flows only; the multi-sector model (Caliendo & Parro
2015) also needs, per country, the value-added share of each sector's gross
output and the input-output shares. They are taken from the WIOD 2011 table
(:mod:`ftalab.data.readers.wiod`): the country's own table where WIOD has it
(40 economies, of the SCO only CHN, IND and RUS), WIOD's ``RoW`` otherwise
(or another named proxy), mapped to ICIO sectors by the concordance
``concordance_data/wiod_icio.csv``.

Conventions (those of the multi-sector GE, :class:`ftalab.ge` ``SectorBaseline``):

* ``va_shares[n, j]`` = value added / gross output of sector ``j`` in ``n``;
* ``io_shares[n, k, j]`` = purchases of input ``k`` (from all sources) /
  gross output of sector ``j`` in ``n``, so that
  ``va_shares[n, j] + io_shares[n, :, j].sum() == 1``. (CP's data files
  normalise the inputs to sum to 1 instead: divide by ``1 - va_shares``.)

Mapping rule: WIOD industries linked to the same ICIO sector are summed
(``c4 + c5`` → ``C13T15``, ``c17`` … ``c35`` → services); an ICIO sector
linked to a WIOD industry shared with others (``c1`` → ``A01, A02, A03``)
takes that industry's input structure and value-added share, and the inputs
*supplied* by that WIOD industry are split among its ICIO sectors by the
using country's ICIO gross-output shares (world shares where the country
produces none of them).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ftalab.data._package_data import package_csv
from ftalab.data.readers.wiod import WIOD_INDUSTRIES, WiodTable, read_wiod_2011
from ftalab.errors import DataError, ValidationError

__all__ = ["IoShares", "icio_io_shares", "no_io_shares", "wiod_icio_concordance", "wiod_region_shares"]

CONCORDANCE = "concordance_data/wiod_icio.csv"


@dataclass(frozen=True, eq=False)
class IoShares:
    """Value-added and IO shares by country and sector, with their source.

    Attributes
    ----------
    countries : list of str
    sectors : list of str
    va_shares : numpy.ndarray
        Shape (N, S): value added / gross output.
    io_shares : numpy.ndarray
        Shape (N, S, S) = [country, input sector, using sector], inputs per
        unit of gross output: ``va_shares + io_shares.sum(axis=1) == 1`` (all
        zero in the no-IO variant).
    source : dict of str to str
        Country → where its shares come from (``"WIOD 2011 CHN"``,
        ``"WIOD 2011 RoW (proxy)"``, ``"no IO (value-added share 1)"``).
    """

    countries: list[str]
    sectors: list[str]
    va_shares: np.ndarray
    io_shares: np.ndarray
    source: dict[str, str]

    def __repr__(self) -> str:
        proxied = sum("proxy" in s for s in self.source.values())
        return f"IoShares({len(self.countries)} countries x {len(self.sectors)} sectors, {proxied} by proxy)"

    def source_table(self) -> pd.DataFrame:
        """Source of each country's shares.

        Returns
        -------
        pandas.DataFrame
            ``country, source, proxy`` (``proxy`` True where the shares are
            not the country's own).
        """
        return pd.DataFrame(
            {
                "country": self.countries,
                "source": [self.source[c] for c in self.countries],
                "proxy": ["proxy" in self.source[c] for c in self.countries],
            }
        )


@functools.cache
def _concordance() -> pd.DataFrame:
    return package_csv(CONCORDANCE, dtype=str)


def wiod_icio_concordance() -> pd.DataFrame:
    """The WIOD 35-industry → ICIO 28-sector concordance.

    Returns
    -------
    pandas.DataFrame
        ``wiod, nace, icio``: one row per link (see the file's header notes).
    """
    return _concordance().copy()


def _groups(sectors: Sequence[str]) -> tuple[list[list[int]], np.ndarray]:
    """WIOD industry groups (indices) and, per ICIO sector, its group number."""
    groups, of_sector = _groups_cached(tuple(sectors))
    return [list(g) for g in groups], of_sector.copy()


@functools.lru_cache(maxsize=8)
def _groups_cached(sectors: tuple[str, ...]) -> tuple[tuple[tuple[int, ...], ...], np.ndarray]:
    conc = _concordance()
    unknown = sorted(set(sectors) - set(conc["icio"]))
    if unknown:
        raise ValidationError(f"no WIOD concordance for ICIO sector(s) {unknown}; known: {sorted(set(conc['icio']))}")
    wiod_codes = list(WIOD_INDUSTRIES)
    # an ICIO sector's WIOD set; sectors with the same set form one group
    sets = {s: tuple(sorted(wiod_codes.index(w) for w in conc.loc[conc["icio"] == s, "wiod"])) for s in sectors}
    groups: list[tuple[int, ...]] = []
    for s in sectors:
        if sets[s] not in groups:
            groups.append(sets[s])
    flat = [i for g in groups for i in g]
    if len(flat) != len(set(flat)):
        raise DataError(f"{CONCORDANCE}: a WIOD industry is linked to ICIO sectors with different WIOD sets")
    missing = sorted(set(range(len(wiod_codes))) - set(flat))
    if missing:
        raise DataError(f"{CONCORDANCE}: WIOD industries {[wiod_codes[i] for i in missing]} are not linked")
    return tuple(groups), np.array([groups.index(sets[s]) for s in sectors])


def wiod_region_shares(table: WiodTable, region: str, sectors: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Group-level value-added and IO shares of one WIOD region.

    Parameters
    ----------
    table : WiodTable
        The WIOD table.
    region : str
        One of ``table.countries`` (ISO3 or ``"ROW"``).
    sectors : sequence of str
        ICIO sector codes (for the grouping).

    Returns
    -------
    va : numpy.ndarray
        Shape (G,): value-added share of each WIOD group (NaN where the group has no output).
    io : numpy.ndarray
        Shape (G, G) = [input group, using group]: shares of intermediate purchases (columns sum to 1;
        NaN where the group buys no inputs).
    group_of_sector : numpy.ndarray
        Shape (S,): group number of each ICIO sector.

    Raises
    ------
    ValidationError
        ``region`` is not in the table.
    """
    if region not in table.countries:
        raise ValidationError(f"{region!r} is not a WIOD region; WIOD has {', '.join(table.countries)}")
    va, io, of_sector = _all_region_shares(table, tuple(sectors))
    n = table.countries.index(region)
    return va[n].copy(), io[n].copy(), of_sector.copy()


def _all_region_shares(table: WiodTable, sectors: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Group-level shares of every WIOD region at once (see :func:`wiod_region_shares`)."""
    key = (id(table), sectors)
    if _REGION_CACHE.get("key") == key:
        return _REGION_CACHE["value"]  # type: ignore[return-value]
    groups, of_sector = _groups(sectors)
    agg = np.zeros((len(groups), len(table.industries)))
    for g, members in enumerate(groups):
        agg[g, members] = 1.0
    out_g = table.output_by_country() @ agg.T  # region x group
    inp_g = np.einsum("gi,nij,hj->ngh", agg, table.inputs_by_country(), agg)  # region x input g x using g
    with np.errstate(invalid="ignore", divide="ignore"):
        va = np.where(out_g > 0, 1.0 - inp_g.sum(axis=1) / out_g, np.nan)
        io = inp_g / inp_g.sum(axis=1, keepdims=True)
    io = np.where((inp_g.sum(axis=1) > 0)[:, None, :], io, np.nan)
    _REGION_CACHE.update(key=key, value=(va, io, of_sector), table=table)  # keep `table` alive for its id
    return va, io, of_sector


_REGION_CACHE: dict[str, object] = {}


def icio_io_shares(
    countries: Sequence[str],
    sectors: Sequence[str],
    gross_output: np.ndarray,
    *,
    wiod: WiodTable | None = None,
    proxies: Mapping[str, str] | None = None,
) -> IoShares:
    """Value-added and IO shares for an ICIO world from WIOD 2011.

    Parameters
    ----------
    countries : sequence of str
        The world's economies (ISO3, ``"ROW"``).
    sectors : sequence of str
        ICIO sector codes.
    gross_output : numpy.ndarray
        Shape (N, S): the world's gross output by country and sector, used to
        split a WIOD industry's sales among the ICIO sectors it maps to.
    wiod : WiodTable, optional
        Default: :func:`ftalab.data.readers.wiod.read_wiod_2011`.
    proxies : mapping of str to str, optional
        Country → WIOD region to use instead of its own table (e.g.
        ``{"UZB": "RUS"}``). Countries not in WIOD and not listed take
        WIOD's ``ROW``; the world's ``ROW`` takes WIOD's ``ROW`` too.

    Returns
    -------
    IoShares
        With ``source`` naming each country's table.

    Raises
    ------
    ValidationError
        Shapes do not match, or a proxy is not a WIOD region.
    """
    countries, sectors = list(countries), list(sectors)
    go = np.asarray(gross_output, dtype=float)
    if go.shape != (len(countries), len(sectors)):
        raise ValidationError(f"gross_output has shape {go.shape}, expected ({len(countries)}, {len(sectors)})")
    table = wiod if wiod is not None else read_wiod_2011()
    proxies = dict(proxies or {})
    bad = {c: p for c, p in proxies.items() if p not in table.countries}
    if bad:
        raise ValidationError(f"proxies {bad} are not WIOD regions; WIOD has {', '.join(table.countries)}")
    cache: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def region_shares(region: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if region not in cache:
            cache[region] = wiod_region_shares(table, region, sectors)
        return cache[region]

    world_go = go.sum(axis=0)
    n_s = len(sectors)
    va = np.empty((len(countries), n_s))
    io = np.empty((len(countries), n_s, n_s))
    source: dict[str, str] = {}
    for n, c in enumerate(countries):
        if c in proxies:
            region, label = proxies[c], f"WIOD 2011 {proxies[c]} (proxy)"
        elif c in table.countries and c != "ROW":
            region, label = c, f"WIOD 2011 {c}"
        else:
            region = "ROW"
            label = "WIOD 2011 RoW" if c == "ROW" else "WIOD 2011 RoW (proxy)"
        va_g, io_g, of_sector = region_shares(region)
        if np.isnan(va_g).any() or np.isnan(io_g).any():  # a group without output: RoW's structure
            va_r, io_r, _ = region_shares("ROW")
            va_g = np.where(np.isnan(va_g), va_r, va_g)
            io_g = np.where(np.isnan(io_g), io_r, io_g)
            label += "; empty industries from RoW"
        # split each input group among its ICIO sectors by this country's output shares
        weights = go[n].copy()
        for g in np.unique(of_sector):
            in_g = of_sector == g
            total = weights[in_g].sum()
            weights[in_g] = weights[in_g] / total if total > 0 else world_go[in_g] / max(world_go[in_g].sum(), 1e-300)
        va[n] = va_g[of_sector]
        io[n] = io_g[np.ix_(of_sector, of_sector)] * weights[:, None] * (1.0 - va[n])[None, :]
        source[c] = label
    return IoShares(countries, sectors, va, io, source)


def no_io_shares(countries: Sequence[str], sectors: Sequence[str]) -> IoShares:
    """The no-IO variant: value-added share 1, no intermediate inputs.

    Parameters
    ----------
    countries : sequence of str
    sectors : sequence of str

    Returns
    -------
    IoShares
        ``va_shares`` all 1, ``io_shares`` all 0.
    """
    countries, sectors = list(countries), list(sectors)
    return IoShares(
        countries,
        sectors,
        np.ones((len(countries), len(sectors))),
        np.zeros((len(countries), len(sectors), len(sectors))),
        {c: "no IO (value-added share 1)" for c in countries},
    )
