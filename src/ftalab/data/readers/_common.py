"""Shared file-reading helpers for the readers: pandas errors become ftalab errors."""

from __future__ import annotations

import gzip
import logging
import zipfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from ftalab.errors import DataError, ValidationError

__all__ = ["guarded", "read_csv", "read_excel", "read_stata", "require_columns"]

T = TypeVar("T")
logger = logging.getLogger(__name__)

_READ_ERRORS = (
    pd.errors.ParserError,
    pd.errors.EmptyDataError,
    UnicodeDecodeError,
    EOFError,
    gzip.BadGzipFile,
    zlib.error,
    zipfile.BadZipFile,
    ValueError,
    KeyError,
    OSError,
)


def guarded(path: str | Path, what: str, func: Callable[[], T]) -> T:
    """Run a pandas read and turn its exceptions into a :class:`DataError` naming the file."""
    try:
        return func()
    except FileNotFoundError:
        raise DataError(f"{what}: file {path} does not exist") from None
    except DataError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure is a damaged or foreign file
        if not isinstance(exc, _READ_ERRORS):
            logger.debug("unexpected reader error", exc_info=True)
        raise DataError(
            f"{what}: cannot read {path} ({type(exc).__name__}: {exc}). The file is damaged, "
            "truncated or not in the expected layout; download it again from the official source."
        ) from None


def read_csv(path: str | Path, what: str, **kw: Any) -> pd.DataFrame:
    """:func:`pandas.read_csv` with clear errors; an empty table is an error."""
    df = guarded(path, what, lambda: pd.read_csv(path, **kw))
    if len(df) == 0:
        raise DataError(f"{what}: {path} has a header but no data rows (truncated file?)")
    return df


def read_excel(path: str | Path, what: str, **kw: Any) -> pd.DataFrame:
    """:func:`pandas.read_excel` with clear errors."""
    return guarded(path, what, lambda: pd.read_excel(path, **kw))


def read_stata(path: str | Path, what: str, **kw: Any) -> pd.DataFrame:
    """:func:`pandas.read_stata` with clear errors."""
    return guarded(path, what, lambda: pd.read_stata(path, **kw))


def require_columns(df: pd.DataFrame, columns: Sequence[str], what: str, path: str | Path) -> None:
    """Raise a :class:`ValidationError` naming missing columns and those present."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValidationError(
            f"{what}: {path} lacks column(s) {missing}; found {list(df.columns)[:20]}. "
            "Is this the official layout? Check the file's source and version."
        )
