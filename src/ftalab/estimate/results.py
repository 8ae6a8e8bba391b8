"""Immutable estimation results: coefficients, inference, fixed effects, fitted values."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["EstimationResult", "PoissonResult", "OLSResult"]


@dataclass(frozen=True, eq=False)
class EstimationResult:
    """Result of :func:`~ftalab.estimate.fepois` or :func:`~ftalab.estimate.feols`.

    All accessors return copies; the object itself cannot be modified.

    Attributes
    ----------
    formula : str
    nobs : int
        Observations in the estimation sample.
    n_input : int
        Rows of the input data.
    iterations : int
        Newton (Poisson) iterations; 1 for least squares.
    converged : bool
        Always True for a returned result (non-convergence raises).
    vcov_type, ssc : str
        Inference option and small-sample convention used.
    df_t : int
        Degrees of freedom of the t distribution used for p-values and intervals.
    """

    formula: str
    method: str
    _names: tuple[str, ...]
    _beta: np.ndarray
    _vcov: np.ndarray
    vcov_type: str
    ssc: str
    df_t: int
    nobs: int
    n_input: int
    iterations: int
    converged: bool
    _index: pd.Index
    _positions: np.ndarray
    _fitted: np.ndarray
    _fe_names: tuple[str, ...]
    _fe_levels: tuple[pd.Index, ...]
    _fe_values: tuple[np.ndarray, ...]
    _dropped: dict[str, np.ndarray]
    stats: dict[str, float] = field(default_factory=dict)
    info: dict[str, object] = field(default_factory=dict)

    # --- coefficients and inference -------------------------------------------------
    def coef(self) -> pd.Series:
        """Coefficients, indexed by regressor name."""
        return pd.Series(self._beta.copy(), index=pd.Index(self._names, name="Coefficient"), name="Estimate")

    def vcov(self) -> pd.DataFrame:
        """Variance-covariance matrix of the coefficients."""
        return pd.DataFrame(self._vcov.copy(), index=list(self._names), columns=list(self._names))

    def se(self) -> pd.Series:
        """Standard errors."""
        with np.errstate(invalid="ignore"):  # a negative two-way variance was warned about at fit time
            s = np.sqrt(np.diag(self._vcov))
        return pd.Series(s, index=pd.Index(self._names, name="Coefficient"), name="Std. Error")

    def tstat(self) -> pd.Series:
        """t statistics."""
        return (self.coef() / self.se()).rename("t value")

    def pvalue(self) -> pd.Series:
        """Two-sided p-values from a t distribution with ``df_t`` degrees of freedom."""
        t = self.tstat().to_numpy()
        return pd.Series(2 * stats.t.sf(np.abs(t), self.df_t), index=self.coef().index, name="Pr(>|t|)")

    def confint(self, level: float = 0.95) -> pd.DataFrame:
        """Confidence intervals (t distribution)."""
        q = stats.t.ppf(0.5 + level / 2, self.df_t)
        b, s = self.coef(), self.se()
        lo, hi = f"{100 * (1 - level) / 2:g}%", f"{100 * (0.5 + level / 2):g}%"
        return pd.DataFrame({lo: b - q * s, hi: b + q * s})

    def tidy(self, level: float = 0.95) -> pd.DataFrame:
        """Coefficient table with pyfixest's columns.

        Columns: ``Estimate``, ``Std. Error``, ``t value``, ``Pr(>|t|)``, ``2.5%``, ``97.5%``.
        """
        out = pd.concat([self.coef(), self.se(), self.tstat(), self.pvalue(), self.confint(level)], axis=1)
        return out

    def lincom(self, weights: dict[str, float]) -> tuple[float, float]:
        """Estimate and standard error of a linear combination, e.g. the sum of RTA lags."""
        w = np.array([weights.get(n, 0.0) for n in self._names])
        unknown = set(weights) - set(self._names)
        if unknown:
            from ftalab.errors import EstimationError

            raise EstimationError(f"lincom: unknown coefficients {sorted(unknown)}; have {list(self._names)}")
        return float(w @ self._beta), float(np.sqrt(w @ self._vcov @ w))

    # --- sample and fixed effects ---------------------------------------------------
    def sample_mask(self) -> pd.Series:
        """Boolean Series over the input rows: True where the row was used."""
        m = np.zeros(self.n_input, dtype=bool)
        m[self._positions] = True
        return pd.Series(m, index=self._index, name="in_sample")

    def dropped(self) -> pd.DataFrame:
        """One row per dropped input row: its position, label and the reason."""
        rows = [
            (int(p), self._index[p], reason) for reason, pos in self._dropped.items() for p in pos
        ]
        df = pd.DataFrame(rows, columns=["position", "label", "reason"])
        return df.sort_values("position").reset_index(drop=True)

    def dropped_counts(self) -> dict[str, int]:
        """Number of dropped rows by reason."""
        return {k: int(len(v)) for k, v in self._dropped.items() if len(v)}

    def fitted_values(self) -> pd.Series:
        """Fitted values aligned to the input rows (NaN for rows not used)."""
        out = np.full(self.n_input, np.nan)
        out[self._positions] = self._fitted
        return pd.Series(out, index=self._index, name="fitted")

    def fixef(self) -> dict[str, pd.Series]:
        """Estimated fixed effects by dimension and level.

        For ``fepois``: ``fitted = exp(X b + sum of fixed effects + offset)`` for
        every used row; for ``feols``: ``fitted = X b + sum of fixed effects``.
        Fixed effects are identified only up to normalisation; the one used:

        * exporter-year, importer-year and pair effects (the structural-gravity
          layout, recognised from the codes whatever the columns are called, with
          either ``dense=`` path): for every exporter ``i``, importer ``j`` and
          year ``t``, ``sum_t A(i,t) = sum_j C(i,j)``, ``sum_t B(j,t) = sum_i C(i,j)``
          and ``sum_i A(i,t) = sum_j B(j,t)`` (``A`` exporter-year, ``B``
          importer-year, ``C`` pair effects; sums over the levels present). These
          conditions remove the model's invariances (a constant moved between an
          exporter's year effects and its pair effects, likewise for importers,
          or between the exporter-year and importer-year effects of a year), so
          the dense and the general path return the same values up to the
          solver's tolerance. If the sample is not connected (a country-year
          trading only with itself, say), further invariances remain and are
          left as the solver found them.
        * any other set of fixed effects: every dimension after the first has
          its first level set to zero and the first dimension absorbs the
          shifts (unique for one or two connected dimensions).

        The sum per row, hence every fitted value, does not depend on the normalisation.
        """
        return {
            n: pd.Series(v.copy(), index=lev.copy(), name=n)
            for n, lev, v in zip(self._fe_names, self._fe_levels, self._fe_values)
        }

    @property
    def fixef_names(self) -> list[str]:
        return list(self._fe_names)

    # --- display --------------------------------------------------------------------
    def _header(self) -> list[tuple[str, str]]:
        items = [
            ("Estimation", self.method),
            ("Formula", self.formula),
            ("Observations", f"{self.nobs:,}"),
            ("Inference", f"{self.vcov_type} (ssc={self.ssc})"),
        ]
        if self._fe_names:
            items.append(("Fixed effects", ", ".join(self._fe_names)))
        if self.dropped_counts():
            items.append(("Dropped", "; ".join(f"{v:,} {k}" for k, v in self.dropped_counts().items())))
        items.append(("Iterations", str(self.iterations)))
        return items

    def summary(self, digits: int = 4) -> str:
        """Plain-text summary: header, coefficient table, fit statistics."""
        head = "\n".join(f"{k}: {v}" for k, v in self._header())
        table = (
            self.tidy().round(digits).to_string()
            if self._names
            else "(fixed effects only: no coefficients; see fixef() and fitted_values())"
        )
        st = "  ".join(f"{k}: {v:.6g}" for k, v in self.stats.items())
        return f"{head}\n\n{table}\n---\n{st}"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.method} '{self.formula}' nobs={self.nobs}>\n" + self.summary()

    def _repr_html_(self) -> str:
        head = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td style='text-align:left'>{html.escape(v)}</td></tr>"
            for k, v in self._header()
        )
        tab = self.tidy().to_html(float_format=lambda x: f"{x:.4f}", border=0)
        return f"<div class='ftalab-result'><table>{head}</table>{tab}</div>"


class PoissonResult(EstimationResult):
    """Result of a Poisson (PPML) fit."""


class OLSResult(EstimationResult):
    """Result of a least-squares fit."""
