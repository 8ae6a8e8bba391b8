"""Data layer: dataset registry, official-format readers, canonical tables,
country and agreement registry, validation."""

from __future__ import annotations

from ftalab.data.registry import (
    DataFile,
    Dataset,
    data_dir,
    dataset_names,
    fetch,
    fetch_file,
    get_dataset,
    load,
    mirror_dir,
)

__all__ = [
    "DataFile",
    "Dataset",
    "data_dir",
    "dataset_names",
    "fetch",
    "fetch_file",
    "get_dataset",
    "load",
    "mirror_dir",
]
