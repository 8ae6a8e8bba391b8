"""The baseline world: trade flows with domestic sales, and the data flags that come with it.

Default (``unctad2015``): the UNCTADstat 2015 merchandise export matrix (about
220 economies), WDI GDP 2015 in current US dollars, domestic sales built by
:func:`ftalab.scenario.domestic.build_domestic`. Alternative (``wits2009``):
the 2009 WITS/Comtrade matrix rebuilt with a source flag per cell, for
robustness runs (2009 is the crisis trough; mirror-filled cells are flagged).

Cells nobody reported are *unknown*; they enter the GE as zero flows (which
stay zero in any counterfactual), and the report lists them. No economy is
dropped silently: every code of the trade matrix is kept, and those without
GDP get an imputed domestic flow, flagged.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ftalab.data.countries import country_name, is_known_iso3
from ftalab.errors import DataError, ScenarioError
from ftalab.scenario.domestic import build_domestic
from ftalab.scenario.results import Note
from ftalab.scenario.schema import BaselineSpec

__all__ = ["World", "build_world", "WORLD_LABELS", "DATA_YEAR"]

logger = logging.getLogger(__name__)

WORLD_LABELS = {
    "unctad2015": "UNCTADstat merchandise trade matrix 2015",
    "wits2009": "WITS/UN Comtrade 2009 (rebuilt from reporter records)",
}
DATA_YEAR = {"unctad2015": 2015, "wits2009": 2009}
UNIT = "thousand USD"


@dataclass(frozen=True)
class World:
    """A baseline world (immutable).

    Attributes
    ----------
    name : str
        ``unctad2015`` or ``wits2009``.
    year : int
        Data year.
    countries : DataFrame
        Index ISO3; ``name, gdp, gdp_source, exports, imports, domestic, domestic_raw,
        domestic_flag`` (trade and GDP in thousand USD).
    international : DataFrame
        Known international flows ``exporter, importer, value, source_flag``.
    unknown : DataFrame
        Unreported cells ``exporter, importer`` (zero in the GE).
    notes : tuple of Note
    inputs : tuple of (dataset, file)
        Registered files read, for the manifest's checksums.
    """

    name: str
    year: int
    countries: pd.DataFrame
    international: pd.DataFrame
    unknown: pd.DataFrame
    notes: tuple[Note, ...]
    inputs: tuple[tuple[str, str], ...]
    spec: BaselineSpec = field(repr=False, default_factory=BaselineSpec)

    @property
    def codes(self) -> list[str]:
        """ISO3 codes of every economy, sorted."""
        return list(self.countries.index)

    def flows(self, multiplier: float | None = None) -> pd.DataFrame:
        """All flows incl. domestic (``exporter, importer, value``), thousand USD.

        ``multiplier`` rebuilds domestic sales with another ``m`` (sensitivity).
        """
        c = self.countries
        if multiplier is not None and multiplier != self.spec.domestic_multiplier:
            base = c[["gdp", "exports", "imports"]]
            c = build_domestic(base, multiplier=multiplier, floor_share=self.spec.domestic_floor_share)
            c = _scale_sector(c, self.countries)
        dom = pd.DataFrame({"exporter": c.index, "importer": c.index, "value": c["domestic"].to_numpy()})
        intl = self.international[["exporter", "importer", "value"]]
        return pd.concat([intl, dom], ignore_index=True)


def _scale_sector(new: pd.DataFrame, ref: pd.DataFrame) -> pd.DataFrame:
    if "sector_share" in ref:
        new = new.assign(domestic=new["domestic"] * ref["sector_share"])
    return new


@functools.lru_cache(maxsize=4)
def _unctad(product: str) -> pd.DataFrame:
    from ftalab.data.readers.unctad import read_unctad_trade_matrix_2015

    return read_unctad_trade_matrix_2015(product)


@functools.lru_cache(maxsize=2)
def _wits() -> pd.DataFrame:
    from ftalab.data.readers.wits import read_wits_trade_2009

    return read_wits_trade_2009()


@functools.lru_cache(maxsize=2)
def _gdp(year: int) -> pd.Series:
    """WDI GDP in current USD for ``year`` (index ISO3), from the registered WDI extract."""
    from ftalab.data.readers.wdi import read_wdi_gdp

    df = read_wdi_gdp(series="current")
    value_cols = [c for c in df.columns if c not in ("iso3", "year", "name", "country_name", "series")
                  and pd.api.types.is_numeric_dtype(df[c])]
    if not value_cols:
        raise DataError(f"WDI GDP table has no numeric value column (columns {list(df.columns)})")
    col = "gdp" if "gdp" in value_cols else value_cols[0]
    sel = df[df["year"] == year].set_index("iso3")[col].astype(float)
    return sel[np.isfinite(sel) & (sel > 0)]


def _world_flows(spec: BaselineSpec) -> tuple[pd.DataFrame, pd.DataFrame, list[tuple[str, str]], pd.DataFrame | None]:
    """Known international flows, the list of all codes and unknown cells."""
    if spec.world == "unctad2015":
        flows = _unctad(spec.product).copy()
        flows = flows.assign(source_flag="exporter_report")
        files = [("unctad_trade_matrix_2015", f"orig/15DiGraph_{spec.product}.dta")]
        total = None
        if spec.product != "All":
            files.append(("unctad_trade_matrix_2015", "orig/15DiGraph_All.dta"))
            total = _unctad("All")
        return flows, pd.DataFrame(), files, total
    flows = _wits()
    files = [("wits_trade_2009", "WITS_trade2009.csv")]
    unknown = flows.loc[flows["source_flag"] == "unknown", ["exporter", "importer"]]
    known = flows[flows["source_flag"] != "unknown"]
    return known, unknown, files, None


def build_world(spec: BaselineSpec | None = None, *, members: tuple[str, ...] = ()) -> World:
    """Assemble the baseline world described by ``spec``.

    Parameters
    ----------
    spec : BaselineSpec, optional
        World, product, domestic-flow construction, GDP overrides (defaults: unctad2015).
    members : tuple of str
        The agreement's members, whose unknown cells and flags the notes name.

    Returns
    -------
    World
    """
    spec = spec or BaselineSpec()
    year = DATA_YEAR[spec.world]
    known, unknown, files, total = _world_flows(spec)
    known = known[known["exporter"] != known["importer"]]
    known = known[["exporter", "importer", "value", "source_flag"]].reset_index(drop=True)
    codes = sorted(set(known["exporter"]) | set(known["importer"]) | set(unknown.get("exporter", [])) | set(unknown.get("importer", [])))
    bad = [c for c in codes if not is_known_iso3(c)]
    if bad:
        raise DataError(f"{WORLD_LABELS[spec.world]}: codes {bad} are not ISO3; the concordance must map them")
    if spec.world == "unctad2015":
        # Every ordered pair of the world not in the table is unknown.
        n = len(codes)
        all_pairs = pd.MultiIndex.from_arrays([np.repeat(codes, n), np.tile(codes, n)])
        have = pd.MultiIndex.from_frame(known[["exporter", "importer"]])
        miss = all_pairs[~all_pairs.isin(have)]
        unknown = pd.DataFrame({"exporter": miss.get_level_values(0), "importer": miss.get_level_values(1)})
        unknown = unknown[unknown["exporter"] != unknown["importer"]].reset_index(drop=True)

    base = pd.DataFrame(index=pd.Index(codes, name="iso3"))
    base["name"] = [country_name(c) for c in codes]
    gdp = _gdp(year) / 1000.0  # USD -> thousand USD, the trade unit
    files.append(("wdi", "WDI_GDP_current_usd_2005_2020.csv"))
    base["gdp"] = gdp.reindex(codes)
    base["gdp_source"] = np.where(base["gdp"].notna(), f"WDI {year}", "none")
    notes: list[Note] = []
    for code, value in spec.gdp_overrides.items():
        if code not in base.index:
            raise ScenarioError(f"baseline.gdp_overrides: {code} is not an economy of the {spec.world} world")
        base.loc[code, "gdp"] = value / 1000.0
        base.loc[code, "gdp_source"] = "scenario override"
        notes.append(Note("override", f"GDP of {country_name(code)} ({code}) set by the scenario to {value:,.0f} USD.", (code,)))
    src = known if total is None else total[total["exporter"] != total["importer"]]
    base["exports"] = src.groupby("exporter")["value"].sum().reindex(codes).fillna(0.0)
    base["imports"] = src.groupby("importer")["value"].sum().reindex(codes).fillna(0.0)
    built = build_domestic(base, multiplier=spec.domestic_multiplier, floor_share=spec.domestic_floor_share)
    if total is not None:
        # A single SITC section: domestic sales scaled by the section's share of exports.
        sec_x = known.groupby("exporter")["value"].sum().reindex(codes).fillna(0.0)
        share = (sec_x / built["exports"].replace(0.0, np.nan)).fillna(0.0).clip(lower=0.01)
        built["sector_share"] = share
        built["domestic"] = built["domestic"] * share
        notes.append(Note("assumption", f"Sector run ({spec.product}): domestic sales are the total construction scaled by the section's share of each economy's exports.", ()))
    notes.extend(_world_notes(spec, built, known, unknown, members))
    return World(spec.world, year, built, known, unknown, tuple(notes), tuple(files), spec)


def _fmt_codes(codes: list[str], limit: int = 20) -> str:
    shown = ", ".join(codes[:limit])
    return shown + (f" and {len(codes) - limit} more" if len(codes) > limit else "")


def _world_notes(
    spec: BaselineSpec, c: pd.DataFrame, known: pd.DataFrame, unknown: pd.DataFrame, members: tuple[str, ...]
) -> list[Note]:
    notes = [
        Note(
            "data",
            f"Baseline world: {WORLD_LABELS[spec.world]}, {len(c)} economies, {len(known):,} reported "
            f"international flows worth {known['value'].sum() / 1e9:,.2f} trillion USD (goods only).",
        )
    ]
    mset = set(members)
    unk_m = unknown[unknown["exporter"].isin(mset) & unknown["importer"].isin(mset)]
    text = (
        f"{len(unknown):,} international cells were not reported (unknown, not zero); in the GE they "
        "are zero flows, which no shock can raise."
    )
    if len(unk_m):
        pairs = [f"{e}→{i}" for e, i in zip(unk_m["exporter"], unk_m["importer"], strict=True)]
        text += " Among the members: " + ", ".join(pairs) + "."
    notes.append(Note("data", text, tuple(sorted(set(unk_m["exporter"]) | set(unk_m["importer"])))))
    floor = c.index[c["domestic_flag"] == "floor"].tolist()
    if floor:
        detail = ", ".join(
            f"{k} ({c.loc[k, 'domestic_raw'] / max(c.loc[k, 'gdp'], 1e-12) * 100:+.0f}% of GDP)" for k in floor[:25]
        )
        notes.append(
            Note(
                "data",
                f"Domestic sales = {spec.domestic_multiplier:g} × GDP − goods exports fell below the floor of "
                f"{spec.domestic_floor_share * 100:g}% of GDP for {len(floor)} economies; floored: {detail}. "
                "Negative values are impossible and mean the construction is wrong for these economies "
                "(re-exports, ship registries, commodity exporters).",
                tuple(floor),
            )
        )
    imputed = c.index[c["domestic_flag"] == "imputed"].tolist()
    if imputed:
        ratio = c.attrs.get("imputation_ratio", float("nan"))
        big = c.loc[imputed].sort_values("exports", ascending=False)
        detail = ", ".join(f"{k} (exports {big.loc[k, 'exports'] / 1e6:,.1f} bn)" for k in big.index[:10])
        notes.append(
            Note(
                "data",
                f"{len(imputed)} economies have no WDI GDP for {DATA_YEAR[spec.world]}: {detail}"
                + (f" and {len(imputed) - 10} more" if len(imputed) > 10 else "")
                + f". They are kept (not dropped), with domestic sales imputed as {ratio:.2f} × their larger "
                "trade total (median ratio of economies with GDP); give baseline.gdp_overrides to replace this.",
                tuple(imputed),
            )
        )
    if spec.world == "wits2009":
        mirror = known[known["source_flag"] == "mirror_fill"]
        mm = mirror[mirror["exporter"].isin(mset) & mirror["importer"].isin(mset)]
        notes.append(
            Note(
                "data",
                f"2009 world: {len(mirror):,} cells filled from the reverse flow (mirror); among members: "
                + (", ".join(f"{e}→{i}" for e, i in zip(mm["exporter"], mm["importer"], strict=True)) or "none")
                + ". TJK, UZB and IRN did not report for 2009.",
            )
        )
        notes.append(
            Note("caveat", "2009 is the trough of the global trade collapse; trade shares differ from normal years.")
        )
    return notes
