"""Result objects of one-sector GE counterfactuals.

Which outputs depend on the reference country (the numeraire)?

* **Depend on it** (nominal): factory-gate prices (``price_pct``), inward and outward
  multilateral resistances (``imr_pct``, ``omr_pct``), nominal output, expenditure,
  tariff revenue and nominal trade values (``exports_pct``, ``imports_pct``, pair
  ``trade_pct``).
* Conditional GE holds nominal output and expenditure fixed, so all its
  resistances and ``cdl_welfare_pct`` are relative to the reference country too
  (only conditional *trade* changes are invariant).
* **Do not depend on it** (real or relative): ``real_gdp_pct``, ``welfare_pct``,
  trade shares (``share_new`` / ``share_base``) and any ratio of two nominal values,
  e.g. a price relative to another country's price.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["GEResult", "COUNTRY_COLUMNS", "PAIR_COLUMNS"]

#: Columns of :attr:`GEResult.countries` with their meaning (all in percent unless stated).
COUNTRY_COLUMNS: dict[str, str] = {
    "exports_pct": "full GE: change in international exports (producer prices)",
    "imports_pct": "full GE: change in international imports (producer prices)",
    "price_pct": "full GE: change in the factory-gate price",
    "imr_pct": "full GE: change in the inward multilateral resistance P",
    "omr_pct": "full GE: change in the outward multilateral resistance Pi",
    "output_pct": "full GE: change in nominal output Y",
    "expenditure_pct": "full GE: change in nominal expenditure E (tariffs included)",
    "tariff_revenue_base": "baseline tariff revenue (level, flows' units)",
    "tariff_revenue_new": "full GE: new tariff revenue (level)",
    "tariff_revenue_change": "full GE: change in tariff revenue (level, new - base)",
    "real_gdp_pct": "full GE: change in real GDP Y/P",
    "welfare_pct": "full GE: change in real expenditure E/P (includes tariff revenue)",
    "domestic_share_pct": "full GE: change in the domestic expenditure share",
    "cdl_exports_pct": "conditional GE: change in international exports",
    "cdl_imports_pct": "conditional GE: change in international imports",
    "cdl_imr_pct": "conditional GE: change in the inward multilateral resistance",
    "cdl_omr_pct": "conditional GE: change in the outward multilateral resistance",
    "cdl_tariff_revenue_change": "conditional GE: change in tariff revenue (level)",
    "cdl_welfare_pct": "conditional GE: change in real expenditure E/P",
}

PAIR_COLUMNS: dict[str, str] = {
    "trade_base": "baseline flow at producer prices",
    "trade_cdl": "conditional GE flow",
    "trade_full": "full GE flow",
    "trade_cdl_pct": "conditional GE change in the flow (percent)",
    "trade_pct": "full GE change in the flow (percent)",
    "share_base": "baseline share of the pair in the importer's expenditure",
    "share_new": "full GE share of the pair in the importer's expenditure",
}


@dataclass(frozen=True)
class GEResult:
    """Outcome of :func:`ftalab.ge.simulate` (immutable).

    Attributes
    ----------
    countries : DataFrame
        One row per country (index ``country``, ISO3), columns in :data:`COUNTRY_COLUMNS`.
    pairs : DataFrame
        One row per pair (columns ``exporter, importer`` and :data:`PAIR_COLUMNS`).
    converged : bool
        Both the conditional and full solutions met the tolerance.
    iterations : dict
        Iterations used, ``{"conditional": k, "full": m}``.
    max_residual : float
        Largest residual of all equilibrium conditions (both solutions).
    method : str
        ``"exact"`` or ``"book"``.
    sigma : float
    reference : str
    diagnostics : dict
        Method-specific details (for ``"book"``: per-iteration summaries of the
        stopping rule and the market-clearing gap at the stopping point).
    """

    countries: pd.DataFrame
    pairs: pd.DataFrame
    converged: bool
    iterations: dict
    max_residual: float
    method: str
    sigma: float
    reference: str
    diagnostics: dict = field(default_factory=dict)

    def summary(self) -> pd.DataFrame:
        """Summary statistics (count, mean, sd, min, max) of every country column."""
        return self.countries.describe().T[["count", "mean", "std", "min", "max"]]

    def _repr_html_(self) -> str:
        head = (
            f"<p>GE result ({self.method}), sigma={self.sigma}, reference={self.reference}, "
            f"converged={self.converged}, max residual={self.max_residual:.2e}</p>"
        )
        return head + self.countries.to_html(float_format=lambda v: f"{v:.4f}")

    def __repr__(self) -> str:
        return (
            f"GEResult(method={self.method!r}, n={len(self.countries)}, converged={self.converged}, "
            f"iterations={self.iterations}, max_residual={self.max_residual:.2e})"
        )


def pct(new: np.ndarray, old: np.ndarray) -> np.ndarray:
    """Percent change ``(new / old - 1) * 100`` (NaN where ``old`` is 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return (np.asarray(new) / np.asarray(old) - 1.0) * 100.0
