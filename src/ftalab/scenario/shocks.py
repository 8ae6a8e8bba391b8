"""Scenario shocks as pair-level changes (pure functions on DataFrames; no I/O).

Every shock becomes a table ``exporter, importer, log_change`` in the GE's
unit: the log change of ``t_ij^(1 - sigma)``, i.e. the *partial effect* on
trade of the change in trade costs (what :func:`ftalab.ge.simulate` takes as
``cost_change``), plus, for the tariff channel, baseline and new tariffs.

Channels
--------
* RTA effect (``fta_rta``): ``log_change = b_rta`` on every ordered member pair
  not already linked by an FTA, customs union or economic integration agreement
  at the scenario date. Pairs linked only by partial-scope agreements (APTA,
  GSTP, ECO) *are* shocked: they still face MFN tariffs.
* Tariffs (``fta_tariff``): importer ``j``'s MFN rate applies to every partner
  not in an FTA/CU with ``j``; member pairs go to zero (or a share of the cut).
* Facilitation: hours saved at the border, ``h``, become a trade-cost cut of
  ``ave_per_day * h / 24`` in ``log t`` (Hummels & Schaur 2013: a day is worth
  0.6-2.1 % ad valorem), on *all* the reformer's international pairs: the
  exporter's export hours and the importer's import hours both count.
  ``log_change = (sigma - 1) * ave_per_day * days_saved``.
* Corridor: ``log_change = (1 - sigma) * log(1 - cut)`` for a cost cut, or
  ``b_dist * log(1 - cut)`` for a cut in effective distance (``b_dist < 0``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ftalab.errors import ScenarioError

__all__ = [
    "DEEP_TYPES",
    "member_pairs",
    "fta_pairs",
    "rta_cost_change",
    "baseline_tariffs",
    "fta_tariffs",
    "facilitation_hours_saved",
    "facilitation_cost_change",
    "corridor_cost_change",
    "enlargement_pairs",
]

#: Agreement types that already remove tariffs between the partners.
DEEP_TYPES = frozenset({"FTA", "CU", "EIA"})


def member_pairs(members: Iterable[str]) -> pd.DataFrame:
    """All ordered pairs of distinct members (``exporter, importer``)."""
    m = sorted(set(members))
    rows = [(i, j) for i in m for j in m if i != j]
    return pd.DataFrame(rows, columns=["exporter", "importer"])


def _deep_set(links: pd.DataFrame) -> set[tuple[str, str]]:
    """Ordered pairs linked by an FTA-or-deeper agreement (links are made symmetric)."""
    deep = links[links["type"].isin(DEEP_TYPES)]
    pairs = set(zip(deep["exporter"], deep["importer"], strict=True))
    return pairs | {(j, i) for i, j in pairs}


def _link_labels(links: pd.DataFrame) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], set[str]] = {}
    for e, i, t in zip(links["exporter"], links["importer"], links["type"], strict=True):
        out.setdefault((e, i), set()).add(t)
        out.setdefault((i, e), set()).add(t)
    return {k: "+".join(sorted(v)) for k, v in out.items()}


def fta_pairs(pairs: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Mark which candidate pairs an FTA shock applies to.

    Parameters
    ----------
    pairs : DataFrame
        Candidate ordered pairs ``exporter, importer``.
    links : DataFrame
        Agreement links in force at the scenario date: ``exporter, importer, type``
        with type in PSA / FTA / CU / EIA (either direction counts).

    Returns
    -------
    DataFrame
        ``exporter, importer, existing, shocked``: ``existing`` names the types already
        linking the pair ("" if none); ``shocked`` is False for FTA/CU/EIA pairs.
    """
    deep = _deep_set(links)
    labels = _link_labels(links)
    out = pairs[["exporter", "importer"]].copy()
    keys = list(zip(out["exporter"], out["importer"], strict=True))
    out["existing"] = [labels.get(k, "") for k in keys]
    out["shocked"] = [k not in deep for k in keys]
    return out.reset_index(drop=True)


def enlargement_pairs(existing: Sequence[str], new: Sequence[str]) -> pd.DataFrame:
    """Ordered pairs that gain an agreement when ``new`` join ``existing``: new-old both ways and new-new."""
    existing_set, new_set = set(existing), set(new)
    overlap = existing_set & new_set
    if overlap:
        raise ScenarioError(f"new members {sorted(overlap)} are already members")
    allm = sorted(existing_set | new_set)
    rows = [(i, j) for i in allm for j in allm if i != j and (i in new_set or j in new_set)]
    return pd.DataFrame(rows, columns=["exporter", "importer"])


def rta_cost_change(shocked: pd.DataFrame, rta: float) -> pd.DataFrame:
    """``exporter, importer, log_change = rta`` for the shocked pairs."""
    sel = shocked[shocked["shocked"]] if "shocked" in shocked else shocked
    return pd.DataFrame(
        {"exporter": sel["exporter"].to_numpy(), "importer": sel["importer"].to_numpy(), "log_change": float(rta)}
    )


def baseline_tariffs(
    countries: Sequence[str], mfn_pct: pd.Series, links: pd.DataFrame
) -> pd.DataFrame:
    """Baseline bilateral tariffs (fractions): importer's MFN rate, zero inside FTAs/CUs.

    Parameters
    ----------
    countries : sequence of str
        Every country of the world.
    mfn_pct : Series
        MFN weighted-mean rate in percent by importer (ISO3 index); importers
        absent get no tariff (the caller reports them).
    links : DataFrame
        Agreement links (``exporter, importer, type``) in force at the date.
    """
    deep = _deep_set(links)
    codes = list(countries)
    rate = mfn_pct.reindex(codes).to_numpy(dtype=float) / 100.0
    n = len(codes)
    ex = np.repeat(codes, n)
    im = np.tile(codes, n)
    t = np.tile(np.nan_to_num(rate, nan=0.0), n)
    keep = ex != im
    df = pd.DataFrame({"exporter": ex[keep], "importer": im[keep], "tariff": t[keep]})
    if deep:
        idx = pd.MultiIndex.from_frame(df[["exporter", "importer"]])
        mask = idx.isin(list(deep))
        df.loc[mask, "tariff"] = 0.0
    return df


def fta_tariffs(base: pd.DataFrame, shocked: pd.DataFrame, cut_share: float = 1.0) -> pd.DataFrame:
    """New tariffs for the shocked pairs: ``(1 - cut_share)`` times the baseline rate."""
    sel = shocked[shocked["shocked"]][["exporter", "importer"]]
    merged = sel.merge(base, on=["exporter", "importer"], how="left", validate="one_to_one")
    if merged["tariff"].isna().any():
        bad = merged.loc[merged["tariff"].isna(), ["exporter", "importer"]].head(3).to_numpy().tolist()
        raise ScenarioError(f"no baseline tariff for shocked pairs {bad}")
    merged["tariff"] = merged["tariff"] * (1.0 - cut_share)
    return merged.reset_index(drop=True)


def facilitation_hours_saved(
    hours: pd.DataFrame,
    reformers: Sequence[str],
    *,
    target: str,
    cut_percent: float | None = None,
    benchmark_pool: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Hours saved per reformer on the export and the import side.

    Parameters
    ----------
    hours : DataFrame
        Index ISO3; columns ``export_hours``, ``import_hours`` (border + documentary
        compliance).
    reformers : sequence of str
    target : {"cut", "best_member"}
        "cut": each reformer cuts its hours by ``cut_percent``; "best_member": each
        reformer converges to the lowest hours in ``benchmark_pool`` (side by side).
    cut_percent : float, optional
    benchmark_pool : sequence of str, optional
        Countries whose best performance is the benchmark (default: the reformers).

    Returns
    -------
    DataFrame
        Index ISO3 (reformers); columns ``export_hours, import_hours, target_export,
        target_import, export_saved, import_saved`` (hours, >= 0).
    """
    missing = [c for c in reformers if c not in hours.index]
    if missing:
        raise ScenarioError(f"no Doing Business border/documentary hours for reformers {missing}")
    h = hours.loc[list(reformers), ["export_hours", "import_hours"]].astype(float)
    if target == "cut":
        if cut_percent is None or not 0 < cut_percent <= 100:
            raise ScenarioError(f"cut_percent must be in (0, 100], got {cut_percent}")
        tx = h["export_hours"] * (1 - cut_percent / 100)
        tm = h["import_hours"] * (1 - cut_percent / 100)
    elif target == "best_member":
        pool = list(benchmark_pool) if benchmark_pool is not None else list(reformers)
        pool = [c for c in pool if c in hours.index]
        best_x = float(hours.loc[pool, "export_hours"].min())
        best_m = float(hours.loc[pool, "import_hours"].min())
        tx = np.minimum(h["export_hours"], best_x)
        tm = np.minimum(h["import_hours"], best_m)
    else:
        raise ScenarioError(f"unknown facilitation target {target!r}; use 'cut' or 'best_member'")
    out = h.assign(target_export=tx, target_import=tm)
    out["export_saved"] = out["export_hours"] - out["target_export"]
    out["import_saved"] = out["import_hours"] - out["target_import"]
    return out


def facilitation_cost_change(
    countries: Sequence[str], saved: pd.DataFrame, *, ave_per_day_pct: float, sigma: float
) -> pd.DataFrame:
    """Partial effects of facilitation on all international pairs of the reformers.

    ``log_change_ij = (sigma - 1) * ave * (export_saved_i + import_saved_j) / 24``
    with ``ave = ave_per_day_pct / 100``; pairs with nothing saved are omitted.
    """
    codes = list(countries)
    xs = saved["export_saved"].reindex(codes).fillna(0.0).to_numpy(dtype=float)
    ms = saved["import_saved"].reindex(codes).fillna(0.0).to_numpy(dtype=float)
    days = (xs[:, None] + ms[None, :]) / 24.0
    np.fill_diagonal(days, 0.0)
    ii, jj = np.nonzero(days > 0)
    arr = np.asarray(codes)
    return pd.DataFrame(
        {
            "exporter": arr[ii],
            "importer": arr[jj],
            "days_saved": days[ii, jj],
            "log_change": (sigma - 1.0) * (ave_per_day_pct / 100.0) * days[ii, jj],
        }
    )


def corridor_cost_change(
    pairs: Sequence[tuple[str, str, bool]],
    *,
    cost_cut_percent: float | None = None,
    distance_cut_percent: float | None = None,
    sigma: float,
    dist_elasticity: float | None = None,
) -> pd.DataFrame:
    """Partial effects for corridor pairs ``(exporter, importer, one_way)``."""
    if (cost_cut_percent is None) == (distance_cut_percent is None):
        raise ScenarioError("give exactly one of cost_cut_percent or distance_cut_percent")
    if cost_cut_percent is not None:
        effect = (1.0 - sigma) * np.log(1.0 - cost_cut_percent / 100.0)
    else:
        if dist_elasticity is None or not np.isfinite(dist_elasticity):
            raise ScenarioError("a distance cut needs an estimated distance elasticity")
        effect = dist_elasticity * np.log(1.0 - float(distance_cut_percent) / 100.0)  # type: ignore[arg-type]
    rows = []
    for e, i, one_way in pairs:
        rows.append((e, i))
        if not one_way:
            rows.append((i, e))
    df = pd.DataFrame(rows, columns=["exporter", "importer"]).drop_duplicates()
    df["log_change"] = float(effect)
    return df.reset_index(drop=True)
