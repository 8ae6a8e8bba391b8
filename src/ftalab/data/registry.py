"""Dataset registry: where each dataset lives, how to verify it, how to get it.

Files are resolved in this order, and every file is checked against its
registered SHA-256 before it is used:

1. the user cache (``$FTALAB_DATA_DIR``, default: the OS cache folder
   ``ftalab``), laid out as ``<cache>/<dataset>/<file>``;
2. a mirror folder (``mirror=`` argument, ``--mirror`` on the command line, or
   ``$FTALAB_DATA_MIRROR``) with the same layout, copied into the cache;
3. the publisher's URL, downloaded with a progress bar.

Downloading, hashing and the cache are pooch's job; this module only decides
where to look and turns failures into messages that say what to do.
"""

from __future__ import annotations

import importlib
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pooch

from ftalab.errors import ChecksumError, DatasetNotAvailableError

__all__ = [
    "DataFile",
    "Dataset",
    "data_dir",
    "mirror_dir",
    "get_dataset",
    "dataset_names",
    "fetch",
    "fetch_file",
    "file_sha256",
    "load",
]

logger = logging.getLogger(__name__)

DATA_DIR_ENV = "FTALAB_DATA_DIR"
MIRROR_ENV = "FTALAB_DATA_MIRROR"

# A relative setting means relative to where the process started, not to whatever
# directory the process (or a test, or a notebook) has changed into since.
_START_DIR = Path.cwd()


def _configured_path(env: str) -> Path | None:
    """The absolute path a folder setting (``$FTALAB_DATA_DIR``, ``$FTALAB_DATA_MIRROR``) names.

    A relative value is taken relative to the directory where the process started
    (the working directory when ftalab was first imported), and written back to the
    environment as an absolute path the first time it is read, so that a later
    ``chdir`` or a child process sees the same folder.

    Parameters
    ----------
    env : str
        Name of the environment variable.

    Returns
    -------
    pathlib.Path or None
        The absolute path, or None when the variable is unset or empty.
    """
    value = os.environ.get(env)
    if not value:
        return None
    path = Path(value).expanduser()
    if not path.is_absolute():
        path = Path(os.path.normpath(_START_DIR / path))
        os.environ[env] = str(path)
    return path


@dataclass(frozen=True)
class DataFile:
    """One file of a dataset.

    Parameters
    ----------
    path
        Path inside the dataset's folder, e.g. ``"orig/15DiGraph_All.dta"``.
    sha256
        Registered SHA-256 of the file's bytes.
    url
        Direct download address, or ``None`` when the publisher offers no direct
        link (a conversion, or a file behind a form): then ``source`` says how
        to obtain it.
    source
        Where the file comes from, for the "how to get it" message.
    """

    path: str
    sha256: str
    url: str | None = None
    source: str = ""


@dataclass(frozen=True)
class Dataset:
    """A registered dataset: metadata, files and the reader that loads it."""

    name: str
    title: str
    description: str
    citation: str
    licence: str
    homepage: str
    files: tuple[DataFile, ...] = ()
    reader: str | None = None  # "module:function", imported lazily
    user_supplied: bool = False  # no registered files: the user downloads it
    instructions: str = ""
    caveats: tuple[str, ...] = field(default_factory=tuple)

    def file(self, path: str) -> DataFile:
        """Return the registered file ``path`` of this dataset."""
        for f in self.files:
            if f.path == path:
                return f
        known = ", ".join(f.path for f in self.files) or "(none)"
        raise DatasetNotAvailableError(
            f"dataset {self.name!r} has no file {path!r}; its files are: {known}"
        )

    def to_dict(self) -> dict[str, Any]:
        """Metadata as plain JSON-ready data."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "citation": self.citation,
            "licence": self.licence,
            "homepage": self.homepage,
            "user_supplied": self.user_supplied,
            "instructions": self.instructions,
            "caveats": list(self.caveats),
            "files": [
                {"path": f.path, "sha256": f.sha256, "url": f.url, "source": f.source}
                for f in self.files
            ],
        }


def data_dir() -> Path:
    """The user cache folder.

    Returns
    -------
    pathlib.Path
        ``$FTALAB_DATA_DIR`` when set (a relative value is relative to the directory
        where the process started), else the operating system's cache folder for
        ftalab (it need not exist yet).
    """
    configured = _configured_path(DATA_DIR_ENV)
    return configured if configured is not None else Path(pooch.os_cache("ftalab"))


def mirror_dir(mirror: str | os.PathLike[str] | None = None) -> Path | None:
    """The mirror folder in force.

    Parameters
    ----------
    mirror : path-like, optional
        A mirror folder laid out as ``<mirror>/<dataset>/<file>``; default
        ``$FTALAB_DATA_MIRROR`` (a relative value is relative to the directory where
        the process started, see :func:`_configured_path`).

    Returns
    -------
    pathlib.Path or None
        The folder, or None when neither the argument nor the variable is set.

    Raises
    ------
    DatasetNotAvailableError
        The folder given does not exist.
    """
    path = Path(mirror).expanduser().resolve() if mirror else _configured_path(MIRROR_ENV)
    if path is None:
        return None
    if not path.is_dir():
        raise DatasetNotAvailableError(
            f"data mirror folder {str(path)!r} does not exist; point --mirror or "
            f"${MIRROR_ENV} at a folder laid out as <mirror>/<dataset>/<file>"
        )
    return path


def file_sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 hex digest of a file's bytes (for manifests and cache keys).

    Parameters
    ----------
    path : str or os.PathLike
        The file.

    Returns
    -------
    str
        The 64-character hexadecimal digest.
    """
    return str(pooch.file_hash(str(path), alg="sha256"))


def _catalog() -> dict[str, Dataset]:
    from ftalab.data.catalog import DATASETS

    return DATASETS


def dataset_names() -> list[str]:
    """Names of all registered datasets.

    Returns
    -------
    list of str
        Sorted names, as accepted by :func:`get_dataset`, :func:`fetch` and :func:`load`.
    """
    return sorted(_catalog())


def get_dataset(name: str) -> Dataset:
    """Return the registered dataset ``name``.

    Parameters
    ----------
    name : str
        A name from :func:`dataset_names`.

    Returns
    -------
    Dataset
        Its metadata, files (with checksums) and reader.

    Raises
    ------
    DatasetNotAvailableError
        If no dataset has that name; the message lists the known names.
    """
    datasets = _catalog()
    if name not in datasets:
        raise DatasetNotAvailableError(
            f"unknown dataset {name!r}; known datasets: {', '.join(sorted(datasets))} "
            "(see `ftalab data list`)"
        )
    return datasets[name]


def _copy_from(source: Path) -> Callable[[str, str, Any], None]:
    """A pooch downloader that copies a mirror file instead of downloading."""

    def copy(url: str, output_file: Any, pooch_obj: Any) -> None:
        if hasattr(output_file, "write"):
            with open(source, "rb") as fh:
                shutil.copyfileobj(fh, output_file)
        else:
            shutil.copyfile(source, output_file)

    return copy


def _where_to_put(ds: Dataset, f: DataFile) -> str:
    return (
        f"put it at {data_dir() / ds.name / f.path} or in a mirror folder as "
        f"<mirror>/{ds.name}/{f.path} (then pass --mirror or set ${MIRROR_ENV})"
    )


def fetch_file(
    name: str,
    path: str,
    *,
    mirror: str | os.PathLike[str] | None = None,
    progressbar: bool = False,
) -> Path:
    """Return a verified local copy of one file of dataset ``name``.

    Parameters
    ----------
    name
        Registered dataset name (see :func:`dataset_names`).
    path
        The file's path inside the dataset, as registered.
    mirror
        Mirror folder to try before the network (default ``$FTALAB_DATA_MIRROR``).
    progressbar
        Show a download progress bar.

    Returns
    -------
    pathlib.Path
        The file in the user cache, with its SHA-256 verified.

    Raises
    ------
    ChecksumError
        If the cached, mirrored or downloaded file does not match its checksum;
        a mismatching download or mirror copy is never kept in the cache.
    DatasetNotAvailableError
        If the file is nowhere to be found; the message says where to get it
        and where to put it.
    """
    ds = get_dataset(name)
    f = ds.file(path)
    target = data_dir() / ds.name / f.path
    known_hash = f"sha256:{f.sha256}"
    mirror_root = mirror_dir(mirror)  # a bad mirror setting is reported even when cached
    if target.is_file() and pooch.file_hash(str(target)) == f.sha256:
        return target

    mirror_file = mirror_root / ds.name / f.path if mirror_root else None
    from_mirror = mirror_file is not None and mirror_file.is_file()
    if from_mirror:
        downloader: Any = _copy_from(mirror_file)
        origin = f"mirror file {mirror_file}"
        url = mirror_file.as_uri()
    elif f.url:
        downloader = pooch.HTTPDownloader(progressbar=progressbar)
        origin = f"download from {f.url}"
        url = f.url
    else:
        looked = f" (not in mirror {mirror_root})" if mirror_root else ""
        how = f.source or ds.instructions or f"see {ds.homepage}"
        raise DatasetNotAvailableError(
            f"{ds.name}/{f.path} is not in the cache{looked} and has no direct "
            f"download address. How to get it: {how}. Then {_where_to_put(ds, f)}."
        )

    if target.is_file():
        logger.warning("cached %s fails its checksum; replacing it from %s", target, origin)
        target.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    logger.info("%s/%s: %s", ds.name, f.path, origin)
    # pooch announces every retrieval as a "download"; say it only for real downloads
    pooch_logger = pooch.get_logger()
    level = pooch_logger.level
    if from_mirror:
        pooch_logger.setLevel(logging.WARNING)
    try:
        fetched = pooch.retrieve(
            url=url,
            known_hash=known_hash,
            fname=target.name,
            path=target.parent,
            downloader=downloader,
            progressbar=progressbar,
        )
    except ValueError as exc:  # pooch's hash mismatch
        if "hash" not in str(exc).lower():
            raise
        raise ChecksumError(
            f"{ds.name}/{f.path}: the {origin} does not match the registered "
            f"SHA-256 {f.sha256} (damaged, truncated or a different version); it "
            "was not used. Replace it with the original file."
        ) from None
    except OSError as exc:  # network errors from requests are OSErrors too
        raise DatasetNotAvailableError(
            f"could not get {ds.name}/{f.path} ({origin}: {exc}). Without network, "
            f"{_where_to_put(ds, f)}."
        ) from None
    finally:
        pooch_logger.setLevel(level)
    return Path(fetched)


def fetch(
    name: str,
    *,
    mirror: str | os.PathLike[str] | None = None,
    progressbar: bool = False,
) -> dict[str, Path]:
    """Fetch every registered file of dataset ``name``.

    Parameters
    ----------
    name : str
        A name from :func:`dataset_names`.
    mirror : path-like, optional
        Mirror folder to try before the network (default ``$FTALAB_DATA_MIRROR``).
    progressbar : bool, default False
        Show a download progress bar.

    Returns
    -------
    dict of str to pathlib.Path
        ``{registered path: verified local file}``.

    Raises
    ------
    DatasetNotAvailableError
        The dataset is user-supplied, or a file is nowhere to be found.
    ChecksumError
        A file does not match its checksum.
    """
    ds = get_dataset(name)
    if ds.user_supplied:
        raise DatasetNotAvailableError(
            f"{ds.name} is downloaded by the user, not by ftalab: {ds.instructions}"
        )
    return {
        f.path: fetch_file(name, f.path, mirror=mirror, progressbar=progressbar)
        for f in ds.files
    }


def load(name: str, **kwargs: Any) -> Any:
    """Read dataset ``name`` with its registered reader.

    Parameters
    ----------
    name : str
        A name from :func:`dataset_names`.
    **kwargs
        Passed to the reader (see ``ftalab data info NAME``).

    Returns
    -------
    Any
        What the reader returns, usually a canonical table
        (:mod:`ftalab.data.tables`).

    Raises
    ------
    DatasetNotAvailableError
        Unknown dataset, or one without a reader.
    """
    ds = get_dataset(name)
    if ds.reader is None:
        raise DatasetNotAvailableError(f"dataset {name!r} has no reader yet")
    module_name, func_name = ds.reader.split(":")
    reader = getattr(importlib.import_module(module_name), func_name)
    return reader(**kwargs)
