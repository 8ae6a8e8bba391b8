"""Gravity estimation: PPML and least squares with high-dimensional fixed effects.

>>> from ftalab.estimate import fepois
>>> fit = fepois("trade ~ rta | exp_year + imp_year + pair", df, vcov={"CRV1": "pair"})  # doctest: +SKIP
"""

from ftalab.estimate.api import feols, fepois
from ftalab.estimate.etable import etable
from ftalab.estimate.formula import Formula, parse_formula
from ftalab.estimate.results import EstimationResult, OLSResult, PoissonResult

__all__ = [
    "fepois",
    "feols",
    "etable",
    "EstimationResult",
    "PoissonResult",
    "OLSResult",
    "Formula",
    "parse_formula",
]
