"""Validation of canonical tables: each problem gives a specific message; inputs are never modified."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ftalab.data.concordance import legacy_code_table, to_iso3
from ftalab.data.tables import flows_to_matrix, make_country_year, make_flows, make_pair_covariates
from ftalab.data.validation import validate_country_year, validate_flows, validate_pair_covariates
from ftalab.errors import DataWarning, ValidationError


def flows(**changes: object) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "exporter": ["CHN", "CHN", "KAZ", "KAZ"],
            "importer": ["KAZ", "RUS", "CHN", "RUS"],
            "year": [2019, 2019, 2019, 2019],
            "value": [12.5, 40.0, 7.0, 3.0],
        }
    )
    for k, v in changes.items():
        df[k] = v
    df.attrs["unit"] = "thousand USD"
    return df


def test_valid_table_passes_and_returns_a_copy() -> None:
    df = flows(year=[2019.0] * 4)
    out = validate_flows(df)
    assert out is not df and out["year"].dtype == "int64" and df["year"].dtype == "float64"
    assert out.attrs["unit"] == "thousand USD" and out.attrs["kind"] == "flows"


def test_not_a_dataframe() -> None:
    with pytest.raises(ValidationError, match="expected a pandas DataFrame, got dict"):
        validate_flows({"exporter": ["CHN"]})  # type: ignore[arg-type]


def test_missing_column_with_rename_hint() -> None:
    df = flows().rename(columns={"value": "Value"})
    with pytest.raises(ValidationError, match=r"missing column\(s\) \['value'\].*Rename: 'Value'->'value'"):
        validate_flows(df)


def test_empty_table() -> None:
    with pytest.raises(ValidationError, match="the table is empty"):
        validate_flows(flows().iloc[:0])


def test_non_numeric_value_names_row() -> None:
    df = flows(value=["12.5", "40", "n/a", "3"])
    with pytest.raises(
        ValidationError, match=r"column 'value' must be numeric; non-numeric values at row 2: .*value='n/a'"
    ):
        validate_flows(df)
    assert df["value"].tolist() == ["12.5", "40", "n/a", "3"]


def test_nan_value_names_row_and_option() -> None:
    df = flows(value=[12.5, np.nan, 7.0, 3.0])
    with pytest.raises(
        ValidationError, match=r"missing \(NaN\) values at row 1: exporter='CHN', importer='RUS'"
    ):
        validate_flows(df)
    assert validate_flows(df, allow_missing=True)["value"].isna().sum() == 1


def test_negative_value() -> None:
    with pytest.raises(
        ValidationError, match=r"negative values at row 3: exporter='KAZ', importer='RUS'.*value=-3.0"
    ):
        validate_flows(flows(value=[12.5, 40.0, 7.0, -3.0]))


def test_infinite_value() -> None:
    with pytest.raises(ValidationError, match=r"infinite values at row 0"):
        validate_flows(flows(value=[np.inf, 40.0, 7.0, 3.0]))


def test_duplicate_keys() -> None:
    df = flows(importer=["KAZ", "KAZ", "CHN", "RUS"])
    with pytest.raises(
        ValidationError, match=r"2 rows share a key \['exporter', 'importer', 'year'\]: row 0.*row 1.*groupby"
    ):
        validate_flows(df)


def test_unknown_code_suggests_legacy_mapping() -> None:
    df = flows(exporter=["ROM", "CHN", "KAZ", "XXA"])
    with pytest.raises(
        ValidationError,
        match=r"unknown country code\(s\) in column 'exporter': ROM \(1 rows\), XXA \(1 rows\)\. Known legacy codes: ROM->ROU",
    ):
        validate_flows(df)
    assert len(validate_flows(flows(exporter=["ZZZ", "CHN", "KAZ", "KAZ"]), extra_codes=["ZZZ"])) == 4


def test_numeric_codes_rejected_with_hint() -> None:
    df = flows(exporter=[156, 156, 398, 398])
    with pytest.raises(ValidationError, match="must hold ISO3 text codes.*numeric_to_iso3"):
        validate_flows(df)


def test_mixed_text_and_number_codes() -> None:
    df = flows(exporter=pd.Series(["CHN", 156, "KAZ", "KAZ"], dtype=object))
    with pytest.raises(ValidationError, match=r"column 'exporter' has non-text codes at row 1: exporter=156"):
        validate_flows(df)


def test_self_flows_unexpected() -> None:
    df = flows(importer=["CHN", "RUS", "CHN", "RUS"])
    with pytest.raises(
        ValidationError,
        match=r"1 exporter==importer rows.*row 0: exporter='CHN', importer='CHN'.*domestic=True",
    ):
        validate_flows(df)
    assert len(validate_flows(df, domestic=True)) == 4


def test_bad_year() -> None:
    with pytest.raises(ValidationError, match=r"'year' must hold whole numbers; bad values at row 1"):
        validate_flows(flows(year=[2019, 2019.5, 2019, 2019]))


def test_unbalanced_panel_warns() -> None:
    df = pd.concat([flows(), flows(year=[2020] * 4).iloc[:3]], ignore_index=True)
    df.attrs["unit"] = "thousand USD"
    with pytest.warns(
        DataWarning,
        match=r"unbalanced panel: 1 of 4 exporter/importer groups lack some years, e.g. \('KAZ', 'RUS'\) \(1 of 2 years\)",
    ):
        validate_flows(df)
    with pytest.raises(ValidationError, match="unbalanced panel"):
        validate_flows(df, unbalanced="raise")


def test_mixed_units_column() -> None:
    df = flows(unit=["thousand USD", "thousand USD", "million USD", "thousand USD"])
    with pytest.raises(
        ValidationError, match=r"mixed units in column 'unit': \['million USD', 'thousand USD'\]"
    ):
        validate_flows(df)


def test_unit_mismatch_and_missing_unit() -> None:
    with pytest.raises(ValidationError, match="values are in 'thousand USD' but 'million USD' was expected"):
        validate_flows(flows(), unit="million USD")
    df = flows()
    df.attrs = {}
    with pytest.warns(DataWarning, match="unit of the values is not recorded"):
        validate_flows(df)


def test_extra_columns_warning_when_asked() -> None:
    with pytest.warns(DataWarning, match=r"extra column\(s\) \['dist'\]"):
        validate_flows(flows(dist=[1.0, 2.0, 3.0, 4.0]), extra_columns="warn")


def test_pair_covariates_and_country_year() -> None:
    pc = pd.DataFrame({"exporter": ["KAZ", "KAZ"], "importer": ["KGZ", "KGZ"], "distw": [884.7, 884.7]})
    with pytest.raises(ValidationError, match="rows share a key"):
        validate_pair_covariates(pc)
    cy = pd.DataFrame({"iso3": ["CHN", "USA"], "year": [2019, 2019], "gdp": [1.4e13, "x"]})
    with pytest.raises(ValidationError, match="column 'gdp' must be numeric"):
        validate_country_year(cy, columns=["gdp"])
    with pytest.raises(ValidationError, match=r"missing column\(s\) \['product'\]"):
        validate_country_year(cy.assign(gdp=1.0), extra_keys=["product"])


def test_constructors_and_matrix() -> None:
    src = pd.DataFrame({"iso_o": ["CHN", "KAZ"], "iso_d": ["KAZ", "CHN"], "t": [2015, 2015], "v": [5.0, 2.0]})
    f = make_flows(
        src, unit="thousand USD", exporter="iso_o", importer="iso_d", year="t", value="v", dataset="x"
    )
    assert list(f.columns) == ["exporter", "importer", "year", "value"] and f.attrs["unit"] == "thousand USD"
    m = flows_to_matrix(f, countries=["CHN", "KAZ", "RUS"])
    assert m.loc["CHN", "KAZ"] == 5.0 and np.isnan(m.loc["RUS", "CHN"]) and np.isnan(m.loc["CHN", "CHN"])
    assert flows_to_matrix(f, diagonal=0.0).loc["KAZ", "KAZ"] == 0.0
    with pytest.raises(ValidationError, match=r"column\(s\) \['value'\] not found"):
        make_flows(src, unit="thousand USD", exporter="iso_o", importer="iso_d", year="t")
    pc = make_pair_covariates(src, exporter="iso_o", importer="iso_d", columns=["v"])
    cy = make_country_year(src, iso3="iso_o", year="t", columns=["v"])
    assert pc.attrs["kind"] == "pair_covariates" and cy.attrs["kind"] == "country_year"
    with pytest.raises(ValidationError, match="several values of 'year'"):
        flows_to_matrix(pd.concat([f, f.assign(year=2016)], ignore_index=True))


# --- properties -----------------------------------------------------------------------------

_CODES = ["CHN", "RUS", "IND", "PAK", "KAZ", "KGZ", "TJK", "UZB", "IRN", "BLR"]


@settings(max_examples=40, deadline=None)
@given(
    pairs=st.lists(
        st.tuples(st.sampled_from(_CODES), st.sampled_from(_CODES)), min_size=1, max_size=30, unique=True
    ),
    values=st.lists(st.floats(min_value=0, max_value=1e12, allow_nan=False), min_size=30, max_size=30),
)
def test_validate_flows_never_mutates_and_preserves_values(pairs, values) -> None:
    pairs = [p for p in pairs if p[0] != p[1]] or [("CHN", "RUS")]
    df = pd.DataFrame(
        {
            "exporter": [p[0] for p in pairs],
            "importer": [p[1] for p in pairs],
            "year": 2019,
            "value": values[: len(pairs)],
        }
    )
    df.attrs["unit"] = "thousand USD"
    before = df.copy(deep=True)
    out = validate_flows(df)
    pd.testing.assert_frame_equal(df, before)
    np.testing.assert_array_equal(out["value"].to_numpy(), before["value"].to_numpy())


def test_concordance_is_idempotent() -> None:
    codes = legacy_code_table()["code"]
    once = to_iso3(codes)
    assert to_iso3(once).tolist() == once.tolist()
