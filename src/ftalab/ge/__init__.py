"""One-sector structural-gravity general equilibrium (Yotov et al. 2016, ch. 2).

Public API
----------
``Baseline.from_flows(flows, *, sigma, reference, tariffs=None, imbalance="multiplicative")``
    Baseline from bilateral flows (``exporter, importer, value``; producer prices,
    domestic flows included) and optional tariffs (``exporter, importer, tariff``,
    fractions). ``Baseline.from_fitted(data, fitted, ...)`` builds it from a gravity
    regression's fitted flows, as the book does; ``Baseline.from_arrays`` from arrays.
``simulate(baseline, *, cost_change=None, new_tariffs=None, method="exact") -> GEResult``
    ``cost_change``: ``exporter, importer, log_change`` = log change of
    ``t_ij^(1-sigma)`` (the partial effect ``b * dz``, as ``ge_gravity`` takes it);
    ``new_tariffs``: ``exporter, importer, tariff`` replacing baseline tariffs.
    ``GEResult.countries`` (index ISO3; columns in :data:`COUNTRY_COLUMNS`, both
    conditional ``cdl_*`` and full-endowment), ``.pairs``, ``.converged``,
    ``.iterations``, ``.max_residual``, ``.diagnostics``.
``monte_carlo(baseline, *, draws, seed, coef, vcov, build_shock, sigma_draws=None, executor=None)``
    -> :class:`MonteCarloResult` with ``.summary(level=0.95)`` (point, lower, upper per
    country and outcome, labelled "conditional on sigma" unless sigma is drawn).
``replicate(name, method="exact")``
    The two applications of the book's chapter 2 (``"agtpa-ch2-twb"``,
    ``"agtpa-ch2-nafta"``) as a per-country table with the book's column names.

Model and closures: see :mod:`ftalab.ge.kernel` (equations, imbalance closures,
normalisation) and :mod:`ftalab.ge.results` (which outputs depend on the
reference country). The book's own iterative procedure is in :mod:`ftalab.ge.book`;
the chapter 2 applications in :mod:`ftalab.ge.applications`.

Differences from the names first suggested for this API: none in the public
names; the applications module is ``applications.py`` (not ``replicate.py``) so
that ``ftalab.ge.replicate`` stays the function; ``GEResult.iterations`` is a dict ``{"conditional": k, "full": m}``
because two systems are solved, and pair-level output is at producer prices.
"""

from __future__ import annotations

from ftalab.ge.applications import BOOK_COLUMNS, replicate
from ftalab.ge.baseline import Baseline, Imbalance
from ftalab.ge.counterfactual import Method, simulate
from ftalab.ge.montecarlo import MonteCarloResult, draw_coefficients, monte_carlo
from ftalab.ge.results import COUNTRY_COLUMNS, PAIR_COLUMNS, GEResult

__all__ = [
    "Baseline",
    "Imbalance",
    "Method",
    "simulate",
    "GEResult",
    "COUNTRY_COLUMNS",
    "PAIR_COLUMNS",
    "monte_carlo",
    "MonteCarloResult",
    "draw_coefficients",
    "replicate",
    "BOOK_COLUMNS",
]

