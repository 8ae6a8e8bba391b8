"""Dataset registry: checksums, mirror, cache, clear failures."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from ftalab.data import dataset_names, fetch, fetch_file, get_dataset
from ftalab.errors import ChecksumError, DatasetNotAvailableError

SHARED = [
    "advanced_guide",
    "unctad_trade_matrix_2015",
    "wits_trade_2009",
    "cepii_geodist",
    "wb_dta_rta",
    "wdi",
    "wdi_tariffs_2025",
    "unctad_mfn_tariffs_manuf",
    "doing_business_hist",
    "wb_lpi",
    "wto_tariffs",
    "gegravity_sample",
    "baci_2023_totals",
]


def test_every_shared_dataset_is_registered() -> None:
    assert set(SHARED) <= set(dataset_names())
    assert {"baci", "itpd_e", "cepii_gravity"} <= set(dataset_names())


@pytest.mark.parametrize("name", SHARED)
def test_registered_checksums_match_the_mirror(name: str, mirror: Path) -> None:
    ds = get_dataset(name)
    on_disk = {
        p.relative_to(mirror / name).as_posix() for p in (mirror / name).rglob("*") if p.is_file()
    }
    assert {f.path for f in ds.files} == on_disk
    for f in ds.files:
        digest = hashlib.sha256((mirror / name / f.path).read_bytes()).hexdigest()
        assert digest == f.sha256, f.path


@pytest.mark.parametrize("name", SHARED)
def test_fetch_from_mirror_verifies_every_file(name: str, tmp_path: Path, monkeypatch, mirror: Path) -> None:
    monkeypatch.setenv("FTALAB_DATA_DIR", str(tmp_path))
    files = fetch(name, mirror=mirror)
    assert len(files) == len(get_dataset(name).files)
    for rel, path in files.items():
        assert path == tmp_path / name / rel
        assert path.read_bytes() == (mirror / name / rel).read_bytes()


def _damaged_mirror(tmp_path: Path, mirror: Path, truncate: bool) -> Path:
    damaged = tmp_path / "mirror"
    src = mirror / "wb_lpi" / "lpi_2010_2016.csv"
    (damaged / "wb_lpi").mkdir(parents=True)
    data = src.read_bytes()
    data = data[: len(data) // 2] if truncate else data.replace(b"China", b"Chine", 1)
    (damaged / "wb_lpi" / "lpi_2010_2016.csv").write_bytes(data)
    return damaged


@pytest.mark.parametrize("truncate", [True, False], ids=["truncated", "altered"])
def test_damaged_mirror_file_is_rejected_and_not_cached(tmp_path: Path, monkeypatch, mirror: Path, truncate: bool) -> None:
    monkeypatch.setenv("FTALAB_DATA_DIR", str(tmp_path / "cache"))
    damaged = _damaged_mirror(tmp_path, mirror, truncate)
    with pytest.raises(ChecksumError, match=r"wb_lpi/lpi_2010_2016.csv.*does not match the registered SHA-256"):
        fetch_file("wb_lpi", "lpi_2010_2016.csv", mirror=damaged)
    assert not (tmp_path / "cache" / "wb_lpi" / "lpi_2010_2016.csv").exists()


def test_damaged_cache_file_is_replaced_from_mirror(tmp_path: Path, monkeypatch, mirror: Path) -> None:
    monkeypatch.setenv("FTALAB_DATA_DIR", str(tmp_path))
    cached = tmp_path / "wb_lpi" / "lpi_2010_2016.csv"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"garbage")
    path = fetch_file("wb_lpi", "lpi_2010_2016.csv", mirror=mirror)
    assert path.read_bytes() == (mirror / "wb_lpi" / "lpi_2010_2016.csv").read_bytes()


def test_file_without_url_says_where_to_get_and_put_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("FTALAB_DATA_DIR", str(tmp_path))
    empty = tmp_path / "empty-mirror"
    empty.mkdir()
    with pytest.raises(DatasetNotAvailableError, match=r"no direct download address.*How to get it.*put it at"):
        fetch_file("advanced_guide", "agtpa_applications.csv.gz", mirror=empty)


def test_unknown_dataset_lists_known_names() -> None:
    with pytest.raises(DatasetNotAvailableError, match="unknown dataset 'nope'.*advanced_guide"):
        get_dataset("nope")


def test_missing_mirror_folder_is_reported(tmp_path: Path) -> None:
    with pytest.raises(DatasetNotAvailableError, match="mirror folder .* does not exist"):
        fetch_file("wb_lpi", "lpi_2010_2016.csv", mirror=tmp_path / "nowhere")


def test_user_supplied_dataset_cannot_be_fetched() -> None:
    with pytest.raises(DatasetNotAvailableError, match="downloaded by the user.*CEPII BACI page"):
        fetch("baci")


def test_relative_mirror_path_works(tmp_path: Path, monkeypatch, mirror: Path) -> None:
    monkeypatch.setenv("FTALAB_DATA_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(mirror.parent)
    path = fetch_file("wb_lpi", "lpi_2010_2016.csv", mirror=Path("data"))
    assert path.read_bytes() == (mirror / "wb_lpi" / "lpi_2010_2016.csv").read_bytes()
