"""The scenario file schema (version 1), as pydantic models.

A scenario file is TOML; :func:`ftalab.scenario.loader.load_scenario` parses
it and validates it against :class:`Scenario`. Every model forbids unknown
keys, so a misspelt option is an error, not silently ignored. Values that
cannot be right (a negative cut, sigma <= 1, a cut above 100 %) are rejected
here; checks that need data (does this country code exist? is there a tariff
for every member?) happen when the scenario is resolved against the world.

Layout of a file::

    schema_version = 1
    name = "sco-fta"
    title = "SCO free trade area"
    date = 2025-01-01              # the scenario date (agreements in force then)

    [countries]
    members = ["group:SCO"]        # ISO3 codes and/or "group:NAME"

    [baseline]                     # the world the shock is applied to
    world = "unctad2015"           # or "wits2009"

    [model]
    sigma = 7.0
    draws = 200
    seed = 20260101
    reference = "USA"

    [estimation]                   # where the RTA effect comes from
    source = "advanced_guide"      # or "given" (then rta, rta_se, citation)

    [[shocks]]
    type = "fta_rta"
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "SCHEMA_VERSION",
    "CountryRef",
    "Countries",
    "BaselineSpec",
    "ModelSpec",
    "EstimationSpec",
    "FtaRtaShock",
    "FtaTariffShock",
    "FacilitationShock",
    "CorridorPair",
    "CorridorShock",
    "EnlargementShock",
    "Shock",
    "Scenario",
]

SCHEMA_VERSION = 1

_CODE = re.compile(r"^[A-Z]{3}$")
_GROUP = re.compile(r"^group:[A-Za-z0-9_\-]+$")

# A country reference: an ISO3 code ("CHN") or a registry group ("group:SCO").
CountryRef = Annotated[str, Field(description="ISO3 code or 'group:NAME'")]


class _Strict(BaseModel):
    # extra="forbid": unknown keys are errors; frozen: a loaded scenario is a value.
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_refs(values: list[str]) -> list[str]:
    if len(set(values)) != len(values):
        dup = sorted({v for v in values if values.count(v) > 1})
        raise ValueError(f"listed more than once: {', '.join(dup)}")
    for v in values:
        if not (_CODE.match(v) or _GROUP.match(v)):
            raise ValueError(
                f"{v!r} is neither an ISO3 code (three capital letters, e.g. 'KAZ') "
                "nor a group reference ('group:SCO')"
            )
    return values


def _refs_validator(cls: type, v: list[str]) -> list[str]:
    return _check_refs(v)


def _opt_refs_validator(cls: type, v: list[str] | None) -> list[str] | None:
    return v if v is None else _check_refs(v)


class Countries(_Strict):
    """Who is in the agreement."""

    members: list[CountryRef] = Field(min_length=1)
    # Date at which group membership is resolved; default: the scenario date.
    as_of: _dt.date | None = None
    exclude: list[CountryRef] = Field(default_factory=list)

    _refs = field_validator("members", "exclude")(_refs_validator)


class BaselineSpec(_Strict):
    """The baseline world and how domestic flows are built."""

    world: Literal["unctad2015", "wits2009"] = "unctad2015"
    # UNCTAD SITC section ('All' or 'SITC0_Food' ... 'SITC9_Commodities').
    product: Literal[
        "All", "SITC0_Food", "SITC1_BevTobacco", "SITC2_Crude", "SITC3_MineralFuels",
        "SITC4_AnimalVegOils", "SITC5_Chemicals", "SITC6_Manuf", "SITC7_Machinery",
        "SITC8_Misc", "SITC9_Commodities",
    ] = "All"
    # Domestic sales = multiplier * GDP - total exports, floored at floor_share * GDP.
    domestic_multiplier: float = Field(1.0, gt=0, le=5)
    domestic_floor_share: float = Field(0.10, gt=0, lt=1)
    # Alternative multipliers run as a sensitivity of the domestic-flow construction.
    domestic_sensitivity: list[Annotated[float, Field(gt=0, le=5)]] = Field(
        default_factory=lambda: [0.75, 1.5]
    )
    # Simulate agreements that entered into force between the data year and the
    # scenario date into the baseline first.
    update_to_date: bool = True
    # Rerun the scenario (point estimate) on another world as a robustness check.
    robustness_world: Literal["none", "unctad2015", "wits2009"] = "none"
    # GDP in current USD for economies WDI lacks (e.g. {TWN = 5.25e11}); the
    # report names each override.
    gdp_overrides: dict[str, Annotated[float, Field(gt=0)]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _robust(self) -> BaselineSpec:
        if self.robustness_world == self.world:
            raise ValueError(f"robustness_world must differ from world ({self.world}); use 'none' to skip it")
        if self.robustness_world != "none" and self.product != "All":
            raise ValueError("robustness_world needs product = 'All' (the 2009 world has no SITC sections)")
        return self

    @field_validator("gdp_overrides")
    @classmethod
    def _codes(cls, v: dict[str, float]) -> dict[str, float]:
        for k in v:
            if not _CODE.match(k):
                raise ValueError(f"gdp_overrides key {k!r} must be an ISO3 code")
        return v


def _check_sigma(v: float) -> float:
    if not v > 1:
        raise ValueError(f"sigma must be greater than 1 (got {v}); the book uses 7")
    if v > 50:
        raise ValueError(f"sigma {v} is implausibly large; typical values are 3-12")
    return v


class ModelSpec(_Strict):
    """GE model settings."""

    sigma: float = Field(7.0, description="elasticity of substitution (> 1)")
    sigma_sensitivity: list[float] = Field(default_factory=lambda: [4.0, 7.0, 10.0])
    draws: int = Field(200, ge=0, le=100_000, description="Monte Carlo draws (0: none)")
    seed: int = Field(20260101, ge=0, lt=2**32)
    interval: float = Field(0.90, gt=0, lt=1, description="central interval coverage")
    # Normalisation: a large non-member (default USA).
    reference: str = "USA"

    @field_validator("sigma")
    @classmethod
    def _sigma(cls, v: float) -> float:
        return _check_sigma(v)

    @field_validator("sigma_sensitivity")
    @classmethod
    def _sigmas(cls, v: list[float]) -> list[float]:
        for s in v:
            _check_sigma(s)
        return v

    @field_validator("reference")
    @classmethod
    def _ref(cls, v: str) -> str:
        if not _CODE.match(v):
            raise ValueError(f"reference must be an ISO3 code, got {v!r}")
        return v


class EstimationSpec(_Strict):
    """Where the partial effect of an agreement (and the distance elasticity) come from."""

    # advanced_guide: 3-way PPML with pair FE on Yotov et al. (2016) data.
    source: Literal["advanced_guide", "given"] = "advanced_guide"
    specification: Literal["pair_fe"] = "pair_fe"
    vcov: Literal["CRV1:pair", "hetero"] = "CRV1:pair"
    # For source = "given": the coefficient, its standard error and a citation.
    rta: float | None = None
    rta_se: float | None = Field(None, ge=0)
    # True if the RTA coefficient comes from a regression that also has
    # ln(1 + tariff); only then may the RTA and tariff channels be combined.
    controls_for_tariffs: bool = False
    citation: str | None = None

    @model_validator(mode="after")
    def _given(self) -> EstimationSpec:
        if self.source == "given":
            missing = [k for k in ("rta", "rta_se", "citation") if getattr(self, k) is None]
            if missing:
                raise ValueError(
                    "source = 'given' needs " + ", ".join(missing) + " (the coefficient, "
                    "its standard error and where it comes from)"
                )
        elif self.rta is not None or self.rta_se is not None:
            raise ValueError(
                "rta/rta_se are only used with source = 'given'; remove them or set source"
            )
        return self


class FtaRtaShock(_Strict):
    """FTA through the estimated partial effect of an RTA (the default channel)."""

    type: Literal["fta_rta"]
    # Default: the scenario's members. PSA-only pairs are shocked; FTA/CU/EIA pairs are not.
    members: list[CountryRef] | None = None

    _refs = field_validator("members")(_opt_refs_validator)


class FtaTariffShock(_Strict):
    """FTA through tariff elimination among members (MFN weighted means to zero)."""

    type: Literal["fta_tariff"]
    members: list[CountryRef] | None = None
    # Per-importer MFN rate (%) overriding the data; the report names each one.
    tariff_overrides: dict[str, Annotated[float, Field(ge=0, le=1000)]] = Field(
        default_factory=dict
    )
    # Share of the tariff cut (1.0 = to zero).
    cut_share: float = Field(1.0, gt=0, le=1)

    @field_validator("tariff_overrides")
    @classmethod
    def _codes(cls, v: dict[str, float]) -> dict[str, float]:
        for k in v:
            if not _CODE.match(k):
                raise ValueError(f"tariff_overrides key {k!r} must be an ISO3 code")
        return v

    _refs = field_validator("members")(_opt_refs_validator)


class FacilitationShock(_Strict):
    """Trade facilitation: fewer hours at the border -> lower trade costs on all pairs."""

    type: Literal["facilitation"]
    reformers: list[CountryRef] | None = None
    # "cut": every reformer cuts its hours by cut_percent; "best_member": every
    # reformer converges to the best performer among the members.
    target: Literal["cut", "best_member"] = "best_member"
    cut_percent: float | None = Field(None, description="percent cut in hours (0-100]")
    # Ad-valorem equivalent of one day, in percent (Hummels & Schaur 2013: 0.6-2.1).
    ave_per_day: float = Field(1.35, gt=0, le=10)
    ave_band: tuple[float, float] = (0.6, 2.1)
    db_year: int = Field(2019, ge=2015, le=2019, description="Doing Business edition (hours)")

    @model_validator(mode="after")
    def _target(self) -> FacilitationShock:
        if self.target == "cut":
            if self.cut_percent is None:
                raise ValueError("target = 'cut' needs cut_percent (a percentage in (0, 100])")
        if self.cut_percent is not None and not 0 < self.cut_percent <= 100:
            raise ValueError(
                f"cut_percent must be in (0, 100], got {self.cut_percent}"
            )
        lo, hi = self.ave_band
        if not 0 < lo <= hi:
            raise ValueError(f"ave_band must be (low, high) with 0 < low <= high, got {self.ave_band}")
        return self

    _refs = field_validator("reformers")(_opt_refs_validator)


class CorridorPair(_Strict):
    """One corridor link, applied in both directions unless one_way."""

    exporter: str
    importer: str
    one_way: bool = False

    @field_validator("exporter", "importer")
    @classmethod
    def _code(cls, v: str) -> str:
        if not _CODE.match(v):
            raise ValueError(f"{v!r} is not an ISO3 code")
        return v

    @model_validator(mode="after")
    def _distinct(self) -> CorridorPair:
        if self.exporter == self.importer:
            raise ValueError(f"a corridor links two countries; got {self.exporter} twice")
        return self


class CorridorShock(_Strict):
    """A transport corridor: named pairs get a trade-cost cut."""

    type: Literal["corridor"]
    pairs: list[CorridorPair] = Field(min_length=1)
    # Either a percent cut in ad-valorem trade costs, or a percent cut in
    # effective distance turned into trade costs through the distance elasticity.
    cost_cut_percent: float | None = None
    distance_cut_percent: float | None = None

    @model_validator(mode="after")
    def _one(self) -> CorridorShock:
        given = [k for k in ("cost_cut_percent", "distance_cut_percent") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of cost_cut_percent or distance_cut_percent"
                + (f" (got {', '.join(given)})" if given else "")
            )
        v = getattr(self, given[0])
        if not 0 < v < 100:
            raise ValueError(f"{given[0]} must be in (0, 100), got {v}")
        return self


class EnlargementShock(_Strict):
    """New members join an FTA among the existing members (RTA-effect channel).

    The FTA among the existing members is simulated into the baseline first,
    so the result is the effect of the enlargement alone.
    """

    type: Literal["enlargement"]
    new_members: list[CountryRef] = Field(min_length=1)

    _refs = field_validator("new_members")(_refs_validator)


Shock = Annotated[
    FtaRtaShock | FtaTariffShock | FacilitationShock | CorridorShock | EnlargementShock,
    Field(discriminator="type"),
]


class Scenario(_Strict):
    """A validated scenario (schema version 1)."""

    schema_version: int
    name: str = Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9_.\-]+$")
    title: str = ""
    description: str = ""
    date: _dt.date = _dt.date(2025, 6, 30)
    countries: Countries
    baseline: BaselineSpec = Field(default_factory=BaselineSpec)
    model: ModelSpec = Field(default_factory=ModelSpec)
    estimation: EstimationSpec = Field(default_factory=EstimationSpec)
    shocks: list[Shock] = Field(default_factory=list)

    @field_validator("schema_version")
    @classmethod
    def _version(cls, v: int) -> int:
        if v != SCHEMA_VERSION:
            raise ValueError(
                f"schema_version {v} is not supported; this ftalab reads version "
                f"{SCHEMA_VERSION}"
            )
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        kinds = [s.type for s in self.shocks]
        if "fta_rta" in kinds and "fta_tariff" in kinds and not self.estimation.controls_for_tariffs:
            raise ValueError(
                "fta_rta and fta_tariff together count the tariff cut twice unless the RTA "
                "coefficient comes from a regression that also includes ln(1 + tariff); "
                "drop one shock or set estimation.controls_for_tariffs = true with such a "
                "coefficient"
            )
        if self.baseline.world == "unctad2015" and not 2015 <= self.date.year <= 2100:
            raise ValueError(f"date {self.date} precedes the 2015 data year of the unctad2015 world")
        if self.baseline.world == "wits2009" and not 2009 <= self.date.year <= 2100:
            raise ValueError(f"date {self.date} precedes the 2009 data year of the wits2009 world")
        return self
