"""The baseline of a one-sector structural-gravity GE model.

A :class:`Baseline` holds the observed (or fitted) world in dense arrays:
bilateral flows at producer prices (tariff-exclusive, as trade statistics and
``ftalab.fepois`` fitted values are), including domestic flows, baseline
ad-valorem tariffs, sigma, the reference country and the imbalance closure.
Everything the solvers need is derived here once, so that a Monte Carlo run
re-uses it for every draw.

Conventions
-----------
* ``flows[i, j]`` = value of sales of exporter ``i`` to importer ``j`` at
  producer (factory-gate, tariff-exclusive) prices; the diagonal holds domestic
  sales. Output ``Y_i = sum_j flows[i, j]``.
* Consumers pay ``(1 + t_ij)`` times the producer value, so expenditure is
  ``E_j = sum_i flows[i, j] * (1 + t_ij)`` and tariff revenue is
  ``R_j = sum_i t_ij * flows[i, j]``; revenue is rebated to importer ``j``'s
  consumers: ``E_j = phi_j * Y_j + R_j`` (multiplicative imbalances) or
  ``E_j = Y_j + D_j + R_j`` (additive imbalances).
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from ftalab.errors import DataWarning, ValidationError

__all__ = ["Baseline", "Imbalance"]

logger = logging.getLogger(__name__)

Imbalance = Literal["multiplicative", "additive"]


def _require_columns(df: pd.DataFrame, cols: tuple[str, ...], what: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise ValidationError(f"{what} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValidationError(
            f"{what} lacks column(s) {missing}; expected columns {list(cols)} "
            f"(got {list(df.columns)})"
        )


def pairs_to_matrix(
    df: pd.DataFrame,
    value: str,
    countries: pd.Index,
    *,
    what: str,
    exporter: str = "exporter",
    importer: str = "importer",
    fill: float = 0.0,
    allow_unknown: bool = False,
) -> np.ndarray:
    """Turn a long ``exporter, importer, value`` table into a dense N x N array.

    Duplicated pairs and non-finite values are errors; pairs not listed get
    ``fill``. Codes not in ``countries`` are an error unless ``allow_unknown``.
    """
    _require_columns(df, (exporter, importer, value), what)
    exp_codes = df[exporter].astype(str).to_numpy()
    imp_codes = df[importer].astype(str).to_numpy()
    vals = pd.to_numeric(df[value], errors="coerce").to_numpy(dtype=float)
    if not np.all(np.isfinite(vals)):
        bad = df.loc[~np.isfinite(vals), [exporter, importer]].head(3).to_numpy().tolist()
        raise ValidationError(f"{what}: column {value!r} has missing or non-numeric values, e.g. pairs {bad}")
    ii = countries.get_indexer(exp_codes)
    jj = countries.get_indexer(imp_codes)
    unknown = (ii < 0) | (jj < 0)
    if unknown.any():
        if not allow_unknown:
            codes = sorted(set(exp_codes[ii < 0]) | set(imp_codes[jj < 0]))[:5]
            raise ValidationError(
                f"{what}: country codes {codes} are not in the baseline; "
                "use the same codes as the baseline flows"
            )
        keep = ~unknown
        ii, jj, vals = ii[keep], jj[keep], vals[keep]
    flat = ii * len(countries) + jj
    if len(np.unique(flat)) != len(flat):
        raise ValidationError(f"{what}: some exporter-importer pairs appear more than once; aggregate them first")
    out = np.full((len(countries), len(countries)), fill, dtype=float)
    out[ii, jj] = vals
    return out


@dataclass(frozen=True, eq=False)
class Baseline:
    """Baseline world of the one-sector GE model (immutable).

    Build it with :meth:`from_flows` (observed flows) or
    :meth:`from_fitted` (fitted flows of a gravity regression, as the book does).

    Attributes
    ----------
    countries : pandas.Index
        ISO3 codes, in the order of the arrays.
    flows : numpy.ndarray
        N x N producer-price flows (exporter rows, importer columns), domestic on the diagonal.
    tariffs : numpy.ndarray
        N x N ad-valorem tariffs as fractions (0.05 = 5%), zero on the diagonal.
    sigma : float
        Elasticity of substitution (> 1); the trade elasticity is ``1 - sigma``.
    reference : str
        Country whose inward multilateral resistance is the numeraire (P_ref = 1 before and after).
    imbalance : {"multiplicative", "additive"}
        Closure for trade imbalances (see :mod:`ftalab.ge.kernel`).
    """

    countries: pd.Index
    flows: np.ndarray
    tariffs: np.ndarray
    sigma: float
    reference: str
    imbalance: Imbalance = "multiplicative"

    # ------------------------------------------------------------------ build
    @classmethod
    def from_flows(
        cls,
        flows: pd.DataFrame,
        *,
        sigma: float,
        reference: str,
        tariffs: pd.DataFrame | None = None,
        imbalance: Imbalance = "multiplicative",
        exporter: str = "exporter",
        importer: str = "importer",
        value: str = "value",
        tariff: str = "tariff",
    ) -> Baseline:
        """Build a baseline from bilateral flows including domestic flows.

        Parameters
        ----------
        flows : DataFrame
            Columns ``exporter, importer, value`` (names configurable): one row per
            pair, producer-price (tariff-exclusive) values, domestic flows
            (``exporter == importer``) included for every country. Missing pairs are zero.
        sigma : float
            Elasticity of substitution, > 1.
        reference : str
            Reference country (its inward multilateral resistance is fixed at 1).
        tariffs : DataFrame, optional
            Columns ``exporter, importer, tariff``: baseline ad-valorem tariffs as
            fractions (not percent). Missing pairs have no tariff.
        imbalance : {"multiplicative", "additive"}
            How trade imbalances are held in counterfactuals.

        Returns
        -------
        Baseline

        Raises
        ------
        ftalab.errors.ValidationError
            Missing columns, negative or non-finite flows, a country without
            domestic flow or without output/expenditure, an unknown reference,
            sigma <= 1, tariffs <= -1 or in percent.
        """
        _require_columns(flows, (exporter, importer, value), "flows")
        codes = pd.Index(
            sorted(set(flows[exporter].astype(str)) | set(flows[importer].astype(str))), name="country"
        )
        mat = pairs_to_matrix(flows, value, codes, what="flows", exporter=exporter, importer=importer)
        tar = np.zeros_like(mat)
        if tariffs is not None:
            tar = pairs_to_matrix(
                tariffs, tariff, codes, what="tariffs", exporter=exporter, importer=importer
            )
        return cls.from_arrays(codes, mat, sigma=sigma, reference=reference, tariffs=tar, imbalance=imbalance)

    @classmethod
    def from_arrays(
        cls,
        countries: pd.Index | list[str],
        flows: np.ndarray,
        *,
        sigma: float,
        reference: str,
        tariffs: np.ndarray | None = None,
        imbalance: Imbalance = "multiplicative",
    ) -> Baseline:
        """Build a baseline from an N x N array (exporter rows) and country codes.

        Same checks as :meth:`from_flows`; the arrays are copied.
        """
        countries = pd.Index([str(c) for c in countries], name="country")
        if countries.has_duplicates:
            raise ValidationError("country codes must be unique")
        flows = np.array(flows, dtype=float, copy=True)
        n = len(countries)
        if flows.shape != (n, n):
            raise ValidationError(f"flows must be {n} x {n} for {n} countries, got shape {flows.shape}")
        bad = ~np.isfinite(flows) | (flows < 0)
        if bad.any():
            i, j = np.argwhere(bad)[0]
            raise ValidationError(
                f"flows must be finite and non-negative; {bad.sum()} cells are not, e.g. "
                f"{countries[i]}->{countries[j]} = {flows[i, j]!r}"
            )
        diag = np.diag(flows)
        if (diag <= 0).any():
            bad = list(countries[diag <= 0][:5])
            raise ValidationError(
                f"countries {bad} have no positive domestic flow; structural gravity needs "
                "domestic flows (e.g. output minus exports) for every country"
            )
        tariffs = np.zeros_like(flows) if tariffs is None else np.array(tariffs, dtype=float, copy=True)
        _check_tariffs(tariffs, (n, n))
        if not (np.isfinite(sigma) and sigma > 1):
            raise ValidationError(f"sigma must be a number > 1 (the elasticity of substitution), got {sigma!r}")
        if reference not in countries:
            raise ValidationError(f"reference country {reference!r} is not among the baseline's countries")
        if imbalance not in ("multiplicative", "additive"):
            raise ValidationError(f"imbalance must be 'multiplicative' or 'additive', got {imbalance!r}")
        np.fill_diagonal(tariffs, 0.0)
        flows.setflags(write=False)
        tariffs.setflags(write=False)
        return cls(countries, flows, tariffs, float(sigma), str(reference), imbalance)

    @classmethod
    def from_fitted(
        cls,
        data: pd.DataFrame,
        fitted: np.ndarray | pd.Series,
        *,
        sigma: float,
        reference: str,
        exporter: str = "exporter",
        importer: str = "importer",
        tariffs: pd.DataFrame | None = None,
        imbalance: Imbalance = "multiplicative",
    ) -> Baseline:
        """Build a baseline from the fitted flows of a gravity regression.

        The book (Yotov et al. 2016, ch. 2) starts its GE analysis from PPML
        fitted values: with exporter and importer fixed effects they reproduce
        observed output and expenditure exactly, and they fill zero flows.

        Parameters
        ----------
        data : DataFrame
            The estimation sample (one row per pair, one cross-section).
        fitted : array or Series
            Fitted values aligned with ``data``'s rows (e.g. ``fit.fitted_values()``).
        """
        fitted = np.asarray(fitted, dtype=float)
        if len(fitted) != len(data):
            raise ValidationError(f"fitted has {len(fitted)} values for {len(data)} rows of data")
        df = pd.DataFrame(
            {"exporter": data[exporter].astype(str).to_numpy(), "importer": data[importer].astype(str).to_numpy(), "value": fitted}
        )
        return cls.from_flows(df, sigma=sigma, reference=reference, tariffs=tariffs, imbalance=imbalance)

    @classmethod
    def from_fepois(
        cls,
        fit: object,
        data: pd.DataFrame,
        *,
        sigma: float,
        reference: str,
        exporter: str = "exporter",
        importer: str = "importer",
        tariffs: pd.DataFrame | None = None,
        imbalance: Imbalance = "multiplicative",
    ) -> Baseline:
        """Build a baseline from an :func:`ftalab.fepois` fit of a cross-section.

        Uses ``fit.fitted_values()`` (aligned with ``data``'s rows) as flows, as the
        book does; ``data`` must hold one row per pair, domestic pairs included.
        """
        fitted = getattr(fit, "fitted_values", None)
        if fitted is None:
            raise ValidationError("fit must be an ftalab.fepois result (it has no fitted_values())")
        values = np.asarray(fitted(), dtype=float)
        if np.isnan(values).any():
            raise ValidationError(
                f"{int(np.isnan(values).sum())} rows have no fitted value (dropped by the estimator); "
                "a GE baseline needs every pair -- drop those pairs from data or fill them first"
            )
        return cls.from_fitted(data, values, sigma=sigma, reference=reference, exporter=exporter,
                               importer=importer, tariffs=tariffs, imbalance=imbalance)

    # -------------------------------------------------------------- derived
    @property
    def n(self) -> int:
        """Number of countries."""
        return len(self.countries)

    @property
    def ref_index(self) -> int:
        """Position of the reference country."""
        return int(self.countries.get_loc(self.reference))

    @property
    def output(self) -> np.ndarray:
        """Output (value of production at factory-gate prices) ``Y_i``."""
        return self.flows.sum(axis=1)

    @property
    def consumer_flows(self) -> np.ndarray:
        """Flows at consumer prices ``flows * (1 + tariffs)``."""
        return self.flows * (1.0 + self.tariffs)

    @property
    def expenditure(self) -> np.ndarray:
        """Expenditure at consumer prices, tariffs included: ``E_j``."""
        return self.consumer_flows.sum(axis=0)

    @property
    def revenue(self) -> np.ndarray:
        """Tariff revenue collected by each importer ``R_j``."""
        return (self.flows * self.tariffs).sum(axis=0)

    @property
    def deficit(self) -> np.ndarray:
        """Trade deficit ``D_j = E_j - R_j - Y_j`` (income from abroad)."""
        return self.expenditure - self.revenue - self.output

    @property
    def phi(self) -> np.ndarray:
        """Ratio of expenditure excluding tariff revenue to output ``phi_j``."""
        return (self.expenditure - self.revenue) / self.output

    def with_(self, **changes: object) -> Baseline:
        """Return a copy with some of ``sigma``, ``reference``, ``imbalance`` or ``tariffs`` changed."""
        kw = {
            "sigma": self.sigma,
            "reference": self.reference,
            "tariffs": self.tariffs,
            "imbalance": self.imbalance,
        }
        unknown = set(changes) - set(kw)
        if unknown:
            raise ValidationError(f"cannot change {sorted(unknown)}; allowed: {sorted(kw)}")
        kw.update(changes)
        return Baseline.from_arrays(self.countries, self.flows, **kw)  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return (
            f"Baseline(n={self.n}, sigma={self.sigma}, reference={self.reference!r}, "
            f"imbalance={self.imbalance!r}, tariffs={'yes' if self.tariffs.any() else 'no'})"
        )


def _check_tariffs(tariffs: np.ndarray, shape: tuple[int, int]) -> None:
    if tariffs.shape != shape:
        raise ValidationError(f"tariffs must have shape {shape}, got {tariffs.shape}")
    if not np.all(np.isfinite(tariffs)):
        raise ValidationError("tariffs must be finite")
    if (tariffs <= -1).any():
        raise ValidationError("tariffs must be > -1 (fractions: 0.05 means 5%)")
    if (tariffs > 10).any():
        raise ValidationError(
            "tariffs above 1000% found; give tariffs as fractions (0.05 for 5%), not percent"
        )
    if (tariffs > 1).any():
        warnings.warn(
            f"tariffs above 100% found (largest {tariffs.max():.4g}); tariffs are fractions "
            "(0.05 for 5%): if these are percent, divide them by 100",
            DataWarning,
            stacklevel=3,
        )
