"""Data layer: dataset registry, official-format readers, canonical tables,
country and agreement registry, validation."""

from __future__ import annotations

from ftalab.data.agreements import (
    agreement_types,
    agreements_entered_between,
    pair_agreements,
    pair_links,
)
from ftalab.data.groups import groups_of, load_groups, members, membership_timeline
from ftalab.data.concordance import (
    checked_merge,
    harmonize_codes,
    numeric_to_iso3,
    to_iso3,
    unctad_name_to_iso3,
)
from ftalab.data.tables import flows_to_matrix, make_country_year, make_flows, make_pair_covariates
from ftalab.data.validation import validate_country_year, validate_flows, validate_pair_covariates
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
    "agreement_types",
    "agreements_entered_between",
    "pair_agreements",
    "pair_links",
    "groups_of",
    "load_groups",
    "members",
    "membership_timeline",
    "checked_merge",
    "harmonize_codes",
    "numeric_to_iso3",
    "to_iso3",
    "unctad_name_to_iso3",
    "flows_to_matrix",
    "make_country_year",
    "make_flows",
    "make_pair_covariates",
    "validate_country_year",
    "validate_flows",
    "validate_pair_covariates",
]
