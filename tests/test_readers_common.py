"""Shared reader helpers: per-file parse cache, pandas errors turned into DataError."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ftalab.data.readers._common import per_file_cache, read_csv
from ftalab.errors import DataError


def test_per_file_cache_rereads_a_changed_file(tmp_path: Path) -> None:
    calls: list[Path] = []

    @per_file_cache(maxsize=2)
    def parse(path: Path) -> str:
        calls.append(path)
        return path.read_text()

    f = tmp_path / "a.csv"
    f.write_text("x\n1\n")
    assert parse(f) == "x\n1\n"
    assert parse(str(f)) == "x\n1\n"  # str or Path: the same key
    assert calls == [f.resolve()]
    f.write_text("x\n1\n2\n")  # new size (and mtime): parsed again
    assert parse(f) == "x\n1\n2\n"
    assert len(calls) == 2
    st = f.stat()
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # same size, newer mtime
    parse(f)
    assert len(calls) == 3
    parse.cache_clear()  # type: ignore[attr-defined]
    parse(f)
    assert len(calls) == 4


def test_read_csv_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"toy: file .*absent\.csv does not exist"):
        read_csv(tmp_path / "absent.csv", "toy")
    gz = tmp_path / "cut.csv.gz"
    gz.write_bytes(b"\x1f\x8b\x08\x00not really gzip")
    with pytest.raises(DataError, match=r"toy: cannot read .*cut\.csv\.gz .*damaged, truncated"):
        read_csv(gz, "toy")
    empty = tmp_path / "header_only.csv"
    empty.write_text("a,b\n")
    with pytest.raises(DataError, match="has a header but no data rows"):
        read_csv(empty, "toy")
