"""Data layer: dataset registry, official-format readers, canonical tables,
country and agreement registry, validation.

The names below are the task-level entry points; helpers and constants stay
in their modules (``ftalab.data.concordance``, ``ftalab.data.groups``, ...),
and each reader lives in ``ftalab.data.readers.<source>`` (or is called by
:func:`load`).
"""

from __future__ import annotations

from ftalab.data.agreements import (
    agreement_types,
    agreements_entered_between,
    pair_agreements,
    pair_links,
)
from ftalab.data.concordance import (
    MergeReport,
    checked_merge,
    harmonize_codes,
    numeric_to_iso3,
    to_iso3,
    unctad_name_to_iso3,
)
from ftalab.data.countries import check_iso3, country_name, country_table, is_known_iso3, m49_code
from ftalab.data.groups import group_codes, groups_of, load_groups, members, membership_timeline
from ftalab.data.registry import (
    DataFile,
    Dataset,
    data_dir,
    dataset_names,
    fetch,
    fetch_file,
    file_sha256,
    get_dataset,
    load,
    mirror_dir,
)
from ftalab.data.sector_world import SectorWorld, build_sector_world
from ftalab.data.tables import flows_to_matrix, make_country_year, make_flows, make_pair_covariates
from ftalab.data.validation import validate_country_year, validate_flows, validate_pair_covariates

__all__ = [
    # registry: datasets, checksums, cache, mirror
    "DataFile",
    "Dataset",
    "data_dir",
    "dataset_names",
    "fetch",
    "fetch_file",
    "file_sha256",
    "get_dataset",
    "load",
    "mirror_dir",
    # country registry
    "check_iso3",
    "country_name",
    "country_table",
    "is_known_iso3",
    "m49_code",
    # groups with membership timelines
    "group_codes",
    "groups_of",
    "load_groups",
    "members",
    "membership_timeline",
    # agreements
    "agreement_types",
    "agreements_entered_between",
    "pair_agreements",
    "pair_links",
    # code concordance and checked joins
    "MergeReport",
    "checked_merge",
    "harmonize_codes",
    "numeric_to_iso3",
    "to_iso3",
    "unctad_name_to_iso3",
    # canonical tables
    "flows_to_matrix",
    "make_country_year",
    "make_flows",
    "make_pair_covariates",
    # sector worlds (ICIO, carved members, IO shares)
    "SectorWorld",
    "build_sector_world",
    # validation
    "validate_country_year",
    "validate_flows",
    "validate_pair_covariates",
]
