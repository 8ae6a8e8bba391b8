"""Shared file-reading helpers for the readers: pandas errors become ftalab errors."""

from __future__ import annotations

import functools
import gzip
import logging
import zipfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from ftalab.errors import DataError, ValidationError

__all__ = ["READ_ERRORS", "guarded", "optional_import", "per_file_cache", "read_csv", "read_excel", "read_stata", "require_columns"]

T = TypeVar("T")
logger = logging.getLogger(__name__)

#: What pandas, zipfile and gzip raise on a damaged, truncated or foreign file.
READ_ERRORS: tuple[type[Exception], ...] = (
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
    """Run a pandas read and turn its exceptions into a :class:`DataError` naming the file.

    Parameters
    ----------
    path : str or pathlib.Path
        The file being read, for messages.
    what : str
        What is being read (dataset and file), for messages.
    func : callable
        The read, without arguments.

    Returns
    -------
    T
        What ``func`` returns.

    Raises
    ------
    DataError
        The file is missing, or ``func`` failed (a :class:`DataError` from
        ``func`` passes through unchanged).
    """
    try:
        return func()
    except FileNotFoundError:
        raise DataError(f"{what}: file {path} does not exist") from None
    except DataError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure is a damaged or foreign file
        if not isinstance(exc, READ_ERRORS):
            logger.debug("unexpected reader error", exc_info=True)
        raise DataError(
            f"{what}: cannot read {path} ({type(exc).__name__}: {exc}). The file is damaged, "
            "truncated or not in the expected layout; download it again from the official source."
        ) from None


def read_csv(path: str | Path, what: str, **kw: Any) -> pd.DataFrame:
    """:func:`pandas.read_csv` with clear errors; an empty table is an error.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    what : str
        What is being read (dataset and file), for messages.
    **kw
        Passed to :func:`pandas.read_csv`.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    DataError
        The file is missing, damaged, truncated or in a foreign layout, or has a header but no rows.
    """
    df = guarded(path, what, lambda: pd.read_csv(path, **kw))
    if len(df) == 0:
        raise DataError(f"{what}: {path} has a header but no data rows (truncated file?)")
    return df


def read_excel(path: str | Path, what: str, **kw: Any) -> pd.DataFrame:
    """:func:`pandas.read_excel` with clear errors.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    what : str
        What is being read (dataset and file), for messages.
    **kw
        Passed to :func:`pandas.read_excel`.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    DataError
        The file is missing, damaged, truncated or in a foreign layout.
    """
    return guarded(path, what, lambda: pd.read_excel(path, **kw))


def read_stata(path: str | Path, what: str, **kw: Any) -> pd.DataFrame:
    """:func:`pandas.read_stata` with clear errors.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    what : str
        What is being read (dataset and file), for messages.
    **kw
        Passed to :func:`pandas.read_stata`.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    DataError
        The file is missing, damaged, truncated or in a foreign layout.
    """
    return guarded(path, what, lambda: pd.read_stata(path, **kw))


def per_file_cache(maxsize: int) -> Callable[[Callable[[Path], T]], Callable[[str | Path], T]]:
    """Cache a slow parse of one file, keyed by its resolved path, size and modification time.

    A file changed on disk is parsed again. The cached object is shared between
    calls, so callers copy what they hand out (or only read from it).

    Parameters
    ----------
    maxsize : int
        How many files to keep parsed.

    Returns
    -------
    callable
        A decorator for ``func(path: Path) -> T``; the decorated function takes
        a path (``str`` or ``Path``) and passes ``func`` the resolved ``Path``.
    """

    def decorate(func: Callable[[Path], T]) -> Callable[[str | Path], T]:
        @functools.lru_cache(maxsize=maxsize)
        def keyed(path: Path, size: int, mtime_ns: int) -> T:
            return func(path)

        @functools.wraps(func)
        def wrapper(path: str | Path) -> T:
            resolved = Path(path).resolve()
            stat = resolved.stat()
            return keyed(resolved, stat.st_size, stat.st_mtime_ns)

        wrapper.cache_clear = keyed.cache_clear  # type: ignore[attr-defined]
        return wrapper

    return decorate


def require_columns(
    df: pd.DataFrame, columns: Sequence[str], what: str, path: str | Path, *, layout: str | None = None
) -> None:
    """Raise a :class:`ValidationError` naming missing columns and those present.

    Parameters
    ----------
    df : pandas.DataFrame
        The table read.
    columns : sequence of str
        Columns the layout needs.
    what : str
        What was read, for messages.
    path : str or pathlib.Path
        The file, for messages.
    layout : str, optional
        The expected layout, named in the message (e.g. ``"the DTA toolkit
        layout (id_agree, ...)"``); default: a generic hint.

    Raises
    ------
    ValidationError
        Some of ``columns`` are not in ``df``.
    """
    missing = [c for c in columns if c not in df.columns]
    if missing:
        hint = f"Expected {layout}." if layout else "Is this the official layout? Check the file's source and version."
        raise ValidationError(f"{what}: {path} lacks column(s) {missing}; found {list(df.columns)[:20]}. {hint}")


def optional_import(module: str, what: str, extra: str = "sectors") -> Any:
    """Import an optional dependency, or say which extra installs it.

    Parameters
    ----------
    module : str
        Module name, e.g. ``"h5py"``.
    what : str
        What needs it, for the message.
    extra : str, default "sectors"
        The ftalab extra that installs it.

    Returns
    -------
    module
        The imported module.

    Raises
    ------
    DataError
        The module is not installed; the message names ``pip install "ftalab[extra]"``.
    """
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise DataError(
            f"{what} needs the optional package {module!r}; install it with "
            f'pip install "ftalab[{extra}]" (or pip install {module})'
        ) from None
