"""WITS 2009: matrix rebuilt from the raw reports with a source flag per cell.

Reference values: the raw file WITS_trade2009.csv (rows CHN/KGZ/KAZ quoted in
the foundation issue: CHN->KGZ 5.19 bn by China's report vs 0.59 bn by
Kyrgyzstan's; CHN->KAZ 7.67 vs 3.46 bn) and the collector's harmonised matrix
(PROVENANCE.md s.3), which used importer-first. Values in thousand USD; cells
are compared exactly (same numbers, no arithmetic), tolerance 1e-6 relative.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ftalab.data.concordance import to_iso3
from ftalab.data.readers.wits import read_wits_trade_2009, reconcile_mirror_flows, wits_2009_matrix
from ftalab.errors import DataError, DataWarning, ValidationError


@pytest.fixture(scope="module")
def wits() -> pd.DataFrame:
    return read_wits_trade_2009()


def cell(df: pd.DataFrame, e: str, i: str) -> pd.Series:
    return df.set_index(["exporter", "importer"]).loc[(e, i)]


def test_reconciled_rule_on_central_asian_cells(wits: pd.DataFrame) -> None:
    kgz = cell(wits, "CHN", "KGZ")
    assert kgz["source_flag"] == "exporter_fob" and kgz["value"] == pytest.approx(5_192_627.638)
    assert kgz["imp_report"] == pytest.approx(586_759.378)  # Kyrgyzstan's own report, 0.59 bn
    kaz = cell(wits, "CHN", "KAZ")
    assert kaz["source_flag"] == "exporter_fob" and kaz["value"] == pytest.approx(7_667_568.672)
    assert kaz["imp_report"] == pytest.approx(3_459_325.772)
    # Reports within a factor 2: the importer's report (CIF) is used (KAZ->CHN: 5.85 vs 5.55 bn).
    kc = cell(wits, "KAZ", "CHN")
    assert kc["source_flag"] == "importer_cif" and kc["value"] == pytest.approx(5_845_910.373)


def test_importer_first_rule_differs(wits: pd.DataFrame) -> None:
    imp = read_wits_trade_2009(rule="importer")
    assert cell(imp, "CHN", "KGZ")["value"] == pytest.approx(586_759.378)
    assert cell(imp, "CHN", "KAZ")["value"] == pytest.approx(3_459_325.772)
    assert cell(read_wits_trade_2009(rule="exporter"), "KAZ", "CHN")["value"] == pytest.approx(5_553_552.742)


def test_unknown_cells_are_nan_not_zero(wits: pd.DataFrame) -> None:
    for e, i in [("UZB", "TJK"), ("TJK", "UZB"), ("IRN", "TJK"), ("IRN", "UZB")]:
        c = cell(wits, e, i)
        assert c["source_flag"] == "unknown" and np.isnan(c["value"])
    assert wits["value"].isna().sum() == (wits["source_flag"] == "unknown").sum() > 0


def test_codes_aggregates_and_diagonal(wits: pd.DataFrame) -> None:
    codes = set(wits["exporter"]) | set(wits["importer"])
    assert len(codes) == 197 and not {"WLD", "EUN", "UNS", "OAS", "ROM", "SER", "MNT", "ZAR", "TMP"} & codes
    assert {"TWN", "ROU", "SRB", "MNE", "COD", "TLS"} <= codes
    assert len(wits) == 197 * 196 and (wits["exporter"] != wits["importer"]).all()
    assert cell(wits, "TWN", "CHN")["value"] == pytest.approx(42_175_731.879)  # Taiwan's exports to China
    m = wits_2009_matrix(wits)
    assert m.shape == (197, 197) and (np.diag(m.to_numpy()) == 0).all()
    assert wits.attrs["unit"] == "thousand USD" and set(wits["source_flag"]) == {
        "importer_cif",
        "exporter_fob",
        "mirror_fill",
        "unknown",
    }


def test_matches_collector_matrix_where_reported(mirror) -> None:
    """With importer-first, reported cells equal the collector's matrix; its zeros are our unknowns."""
    ours = read_wits_trade_2009(rule="importer")
    ref = pd.read_csv(mirror / "wits_trade_2009" / "WITS_Trade2009_harmonized_flows.csv", sep=";")
    ref = ref.assign(i=to_iso3(ref["i"]), j=to_iso3(ref["j"]))
    m = ours.merge(ref, left_on=["exporter", "importer"], right_on=["i", "j"], validate="1:1")
    assert len(m) == 197 * 196
    direct = m[m["source_flag"].isin(["importer_cif", "exporter_fob"])]
    np.testing.assert_allclose(direct["value"], direct["Fij"], rtol=1e-9)
    assert (m.loc[m["source_flag"] == "unknown", "Fij"] == 0).all()
    fill = m[m["source_flag"] == "mirror_fill"]
    assert (~np.isclose(fill["value"], fill["Fij"], rtol=1e-9)).sum() == 411  # documented in the module


def test_cif_fob_factor_and_no_reverse_fill(wits: pd.DataFrame) -> None:
    fob = read_wits_trade_2009(cif_fob_factor=1.1, reverse_fill=False, include_unknown=False)
    c = cell(fob, "KAZ", "CHN")
    assert c["value"] == pytest.approx(5_845_910.373 / 1.1)
    assert cell(fob, "CHN", "KGZ")["value"] == pytest.approx(5_192_627.638)  # FOB report unchanged
    assert "mirror_fill" not in set(fob["source_flag"]) and fob["value"].notna().all()


def test_bad_arguments() -> None:
    with pytest.raises(
        ValidationError, match="cif_fob_factor is the CIF/FOB ratio and must lie between 1 and 2"
    ):
        read_wits_trade_2009(cif_fob_factor=0.9)
    with pytest.raises(ValidationError, match="unknown rule 'mirror'"):
        read_wits_trade_2009(rule="mirror")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="max_ratio must be a number >= 1"):
        reconcile_mirror_flows(
            pd.DataFrame(columns=["exporter", "importer", "imp_report", "exp_report"]), max_ratio=0.5
        )


def _raw_lines(mirror, n: int) -> list[str]:
    with open(mirror / "wits_trade_2009" / "WITS_trade2009.csv", encoding="utf-8") as fh:
        return [next(fh) for _ in range(n)]


def test_truncated_raw_file(tmp_path, mirror) -> None:
    lines = _raw_lines(mirror, 50)
    (tmp_path / "w.csv").write_text("".join(lines[:-1]) + lines[-1][:25], encoding="utf-8")
    with pytest.raises(ValidationError, match=r"rows without a numeric 'TradeValue in 1000 USD'"):
        read_wits_trade_2009(path=tmp_path / "w.csv")


def test_negative_and_duplicate_reports(tmp_path, mirror) -> None:
    lines = _raw_lines(mirror, 20)
    neg = lines[:3] + [lines[3].rsplit(";", 1)[0] + ";-5\n"]
    (tmp_path / "n.csv").write_text("".join(neg), encoding="utf-8")
    with pytest.raises(ValidationError, match=r"negative trade values in \[\['ABW'"):
        read_wits_trade_2009(path=tmp_path / "n.csv")
    (tmp_path / "d.csv").write_text("".join(lines[:5] + lines[2:3]), encoding="utf-8")
    with pytest.raises(ValidationError, match="duplicate reports"):
        read_wits_trade_2009(path=tmp_path / "d.csv")


def test_wrong_layout_and_empty(tmp_path) -> None:
    (tmp_path / "c.csv").write_text("Reporter,Partner,Value\nCHN,USA,1\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"lacks column\(s\) \['ReporterISO3'"):
        read_wits_trade_2009(path=tmp_path / "c.csv")
    (tmp_path / "e.csv").write_text("", encoding="utf-8")
    with pytest.raises(DataError, match="cannot read"):
        read_wits_trade_2009(path=tmp_path / "e.csv")


def test_known_under_reporter_option(wits: pd.DataFrame) -> None:
    """prefer_exporter_for: the exporter's report replaces a distrusted importer's, even importer-first."""
    b = read_wits_trade_2009(rule="importer", prefer_exporter_for=["KGZ"])
    assert cell(b, "CHN", "KGZ")["value"] == pytest.approx(5_192_627.638)
    assert cell(b, "CHN", "KAZ")["value"] == pytest.approx(3_459_325.772)  # KAZ not listed: importer-first
    assert b.attrs["importer_report_overridden"] == 73  # all KGZ imports with an exporter report
    assert (
        wits.attrs["importer_report_overridden"] == 2072
    )  # cells where the factor-2 rule chose the exporter


def test_inner_join_with_gdp_reports_taiwan(wits: pd.DataFrame) -> None:
    """WDI has no Taiwan: joining exports to China with exporter GDP would drop 42 bn USD silently."""
    from ftalab.data.concordance import checked_merge
    from ftalab.data.readers.wdi import read_wdi_gdp

    gdp = read_wdi_gdp()
    gdp = gdp[gdp["year"] == 2009][["iso3", "gdp"]]
    to_china = wits[(wits["importer"] == "CHN") & wits["value"].notna()]
    with pytest.warns(DataWarning, match=r"absent from the right table: .*TWN") as rec:
        out, rep = checked_merge(
            to_china,
            gdp,
            left_on="exporter",
            right_on="iso3",
            how="inner",
            what="exports to China x GDP",
            value="value",
            return_report=True,
        )
    assert "TWN" in rep.missing_codes["exporter"]
    lost_twn = rep.unmatched_left.set_index("exporter").loc["TWN", "value"]
    assert lost_twn == pytest.approx(42_175_731.879)  # thousand USD, Taiwan's own export report
    assert "thousand USD" in str(rec[0].message) and len(out) == len(to_china) - len(rep.unmatched_left)
