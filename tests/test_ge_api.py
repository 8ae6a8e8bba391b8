"""The declared public surface of ftalab.ge."""

from __future__ import annotations

import ftalab.ge as ge


def test_public_names_are_exactly_these() -> None:
    assert sorted(ge.__all__) == sorted(
        [
            "Baseline", "Imbalance", "Method", "simulate", "GEResult", "COUNTRY_COLUMNS", "PAIR_COLUMNS",
            "monte_carlo", "MonteCarloResult", "draw_coefficients", "replicate", "BOOK_COLUMNS",
        ]
    )
    for name in ge.__all__:
        assert getattr(ge, name) is not None


def test_book_columns_and_replicate_are_lazy_but_reachable() -> None:
    assert ge.BOOK_COLUMNS == [
        "change_Xi_CDL", "change_Xi_FULL", "change_price_FULL", "change_IMR_FULL", "change_rGDP_FULL"
    ]
    assert callable(ge.replicate)


def test_result_columns_documented() -> None:
    from ftalab.ge.results import COUNTRY_COLUMNS

    assert {"exports_pct", "imports_pct", "price_pct", "imr_pct", "omr_pct", "output_pct", "expenditure_pct",
            "tariff_revenue_change", "real_gdp_pct", "welfare_pct", "cdl_exports_pct"} <= set(COUNTRY_COLUMNS)
