"""ICIO sector world (tariffwar .mat files) and the cleaning of its tariffs."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from ftalab.data import fetch, get_dataset
from ftalab.data.icio_tariffs import FIX_COLUMNS, clean_icio_tariffs, customs_unions, fix_summary
from ftalab.data.readers.icio import ELASTICITY_SETS, ICIO_YEARS, read_icio, read_icio_file
from ftalab.errors import DataError, ValidationError


@pytest.fixture(scope="module")
def w22():
    return read_icio(2022)


@pytest.mark.parametrize("name", ["icio_extended", "wiod_2013"])
def test_registered_checksums_match_the_mirror(name: str, mirror: Path) -> None:
    ds = get_dataset(name)
    on_disk = {p.relative_to(mirror / name).as_posix() for p in (mirror / name).rglob("*") if p.is_file()}
    assert {f.path for f in ds.files} == on_disk
    for f in ds.files:
        assert hashlib.sha256((mirror / name / f.path).read_bytes()).hexdigest() == f.sha256, f.path
        assert f.url and "/" in f.url


def test_fetch_icio_from_mirror(tmp_path: Path, monkeypatch, mirror: Path) -> None:
    monkeypatch.setenv("FTALAB_DATA_DIR", str(tmp_path))
    files = fetch("icio_extended", mirror=mirror)
    assert sorted(files) == [f"ICIO{y}.mat" for y in ICIO_YEARS]


def test_layout_and_published_spot_checks(w22) -> None:
    assert w22.year == 2022
    assert len(w22.countries) == 81 and w22.countries[-1] == "ROW"
    assert len(w22.sectors) == 28 and w22.sectors[0] == "A01" and w22.sectors[-1] == "Services (aggregate)"
    assert w22.flows.shape == w22.tariffs.shape == (28, 81, 81)
    assert w22.goods_sectors() == w22.sectors[:27]
    assert w22.is_goods.sum() == 27 and not w22.is_goods[w22.services_sector]
    usa, chn = w22.country_index("USA"), w22.country_index("CHN")
    # PROVENANCE §13: USA imports from CHN, 2022, summed over sectors = 532,152 million USD
    assert w22.flows[:, usa, chn].sum() == pytest.approx(532_152.2041, abs=0.01)
    assert w22.flows[:, chn, usa].sum() == pytest.approx(222_482.0887, abs=0.01)
    # domestic sales are 86 % of the 2022 total (PROVENANCE §13)
    assert np.einsum("kii->", w22.flows) / w22.flows.sum() == pytest.approx(0.864, abs=0.001)
    # gross output = sales to all importers incl. home
    assert w22.gross_output().shape == (81, 28)
    assert w22.gross_output().sum() == pytest.approx(w22.flows.sum())


def test_elasticity_sets_are_the_eight_published(w22) -> None:
    assert set(w22.elasticities) == set(ELASTICITY_SETS)
    cp = w22.elasticities["CP"]
    # the CP set as shipped: theta 1.12 for autos (C29), 64.85 for petroleum (C19)
    assert cp[w22.sector_index("C29")] == pytest.approx(1.115, abs=1e-9)
    assert cp[w22.sector_index("C19")] == pytest.approx(64.85, abs=0.01)
    assert np.all(w22.elasticities["U4"] == 4.0)
    assert "caliendo" in w22.elasticity_sources["CP"].lower()


def test_repr_is_short(w22) -> None:
    assert repr(w22) == "IcioWorld(year=2022, 81 economies x 28 sectors, source='icio_extended/ICIO2022.mat')"


def test_reader_returns_independent_copies(w22) -> None:
    w22.flows[0, 0, 0] = -1.0
    again = read_icio(2022)
    assert again.flows[0, 0, 0] >= 0


def test_bad_year_and_bad_code_are_clear(w22) -> None:
    with pytest.raises(ValidationError, match="2011-2022"):
        read_icio(2010)
    with pytest.raises(ValidationError, match="inside 'ROW'"):
        w22.country_index("KGZ")
    with pytest.raises(ValidationError, match="not an ICIO sector"):
        w22.sector_index("C99")


def test_damaged_or_foreign_file_is_a_data_error(tmp_path: Path, mirror: Path) -> None:
    bad = tmp_path / "ICIO2022.mat"
    bad.write_bytes((mirror / "icio_extended" / "ICIO2022.mat").read_bytes()[:5000])
    with pytest.raises(DataError, match="damaged or not a MATLAB v7.3"):
        read_icio_file(bad)
    txt = tmp_path / "x.mat"
    txt.write_text("not hdf5")
    with pytest.raises(DataError, match="ICIO file x.mat"):
        read_icio_file(txt)


def test_hdf5_without_the_arrays_is_reported(tmp_path: Path) -> None:
    import h5py

    path = tmp_path / "empty.mat"
    with h5py.File(path, "w") as h5:
        h5.create_group("data").create_dataset("year", data=[[2022.0]])
    with pytest.raises(DataError, match="lacks"):
        read_icio_file(path)


# --- cleaning -----------------------------------------------------------------


def test_cleaning_fixes_the_documented_defects(w22) -> None:
    t, fixes = clean_icio_tariffs(w22)
    assert list(fixes.columns) == FIX_COLUMNS
    assert t.shape == w22.tariffs.shape
    ind, deu = w22.country_index("IND"), w22.country_index("DEU")
    sv = w22.services_sector
    # services "tariff" IND on DEU: 16.3 % in the file, 0 after
    assert w22.tariffs[sv, ind, deu] == pytest.approx(0.1627, abs=1e-4)
    row = fixes[(fixes.rule == "services_zero") & (fixes.importer == "IND") & (fixes.exporter == "DEU")]
    assert len(row) == 1 and row["before"].iloc[0] == pytest.approx(0.1627, abs=1e-4)
    assert np.all(t[sv] == 0)
    # intra-EAEU 0 after; before they were positive
    rus, blr, kaz = (w22.country_index(c) for c in ("RUS", "BLR", "KAZ"))
    for a in (rus, blr, kaz):
        for b in (rus, blr, kaz):
            assert np.all(t[:, a, b] == 0)
    assert w22.tariffs[:27, rus, blr].mean() == pytest.approx(0.0069, abs=0.001)
    # RUS on CHN/IND/PAK brought to the union's rate (the middle of RUS, BLR, KAZ)
    chn, pak = w22.country_index("CHN"), w22.country_index("PAK")
    a01 = w22.sector_index("A01")
    for p in (chn, ind, pak):
        assert w22.tariffs[a01, rus, p] < 0.015  # 0.7-1.2 % in the file
        assert t[a01, rus, p] == pytest.approx(np.median(w22.tariffs[a01, [rus, blr, kaz], p]))
        assert 0.04 < t[a01, rus, p] < 0.08
    # BLR's and KAZ's rates on CHN are untouched; KAZ's own lower food rate is kept
    assert np.array_equal(t[:27, blr, chn], w22.tariffs[:27, blr, chn])
    c10 = w22.sector_index("C10T12")
    deu_ = w22.country_index("DEU")
    assert t[c10, kaz, deu_] == w22.tariffs[c10, kaz, deu_]
    # every changed cell is in the table, and nothing else changed
    changed = np.argwhere(t != w22.tariffs)
    listed = fixes[fixes.rule != "row_unknown_kept"]
    assert len(changed) == len(listed)
    # the diagonal is zero; ROW stays zero and is documented
    n = len(w22.countries)
    assert np.all(t[:, np.arange(n), np.arange(n)] == 0)
    assert (fixes.rule == "row_unknown_kept").sum() == 2
    summary = fix_summary(fixes)
    assert summary.loc["eaeu_common_tariff", "cells"] == 586
    assert set(summary.index) == {"services_zero", "customs_union_zero", "eaeu_common_tariff", "row_unknown_kept"}


def test_cleaning_does_not_modify_the_world(w22) -> None:
    before = w22.tariffs.copy()
    clean_icio_tariffs(w22)
    assert np.array_equal(before, w22.tariffs)


def test_customs_unions_follow_membership_dates() -> None:
    assert customs_unions(2011)["EAEU"] == ["BLR", "KAZ", "RUS"]
    assert customs_unions(2016)["EAEU"] == ["ARM", "BLR", "KAZ", "KGZ", "RUS"]
    assert "HRV" not in customs_unions(2012)["EU"] and "HRV" in customs_unions(2013)["EU"]
    assert "GBR" in customs_unions(2019)["EU"] and "GBR" not in customs_unions(2020)["EU"]


def test_croatia_keeps_its_2011_tariffs_on_the_eu() -> None:
    w = read_icio(2011)
    t, _ = clean_icio_tariffs(w)
    hrv, aut = w.country_index("HRV"), w.country_index("AUT")
    assert w.tariffs[:27, hrv, aut].max() > 0.1
    assert np.array_equal(t[:27, hrv, aut], w.tariffs[:27, hrv, aut])
