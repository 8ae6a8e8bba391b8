"""ftalab's own exceptions and warnings.

Every problem a user can fix (bad input, missing data, impossible scenario
values, non-convergence) is raised as a subclass of :class:`FtalabError` with a
message that says what is wrong and what to do. The command line turns these
into exit status 2 and a one-line message on stderr, never a traceback.
"""

from __future__ import annotations

__all__ = [
    "FtalabError",
    "DataError",
    "ChecksumError",
    "DatasetNotAvailableError",
    "ValidationError",
    "FormulaError",
    "EstimationError",
    "ConvergenceError",
    "ScenarioError",
    "FtalabWarning",
    "DataWarning",
    "EstimationWarning",
]


class FtalabError(Exception):
    """Base class for problems the user can fix; the CLI exits with status 2."""


class DataError(FtalabError):
    """A data file or table cannot be used as it is."""


class ChecksumError(DataError):
    """A downloaded or mirrored file does not match its registered SHA-256."""


class DatasetNotAvailableError(DataError):
    """A dataset cannot be found in the cache or mirror and cannot be downloaded."""


class ValidationError(DataError):
    """A table fails validation (columns, types, values, keys or codes)."""


class FormulaError(FtalabError):
    """A model formula cannot be parsed or refers to unknown columns."""


class EstimationError(FtalabError):
    """An estimation problem that has no meaningful answer (nothing identified, ...)."""


class ConvergenceError(FtalabError):
    """An iterative solver stopped before meeting its tolerance."""


class ScenarioError(FtalabError):
    """A scenario file or scenario value is invalid."""


class FtalabWarning(UserWarning):
    """Base class for ftalab warnings."""


class DataWarning(FtalabWarning):
    """Data were used but something about them deserves the user's attention."""


class EstimationWarning(FtalabWarning):
    """An estimation ran but dropped observations or met a numerical issue."""
