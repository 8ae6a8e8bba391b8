"""Request and response bodies of the JSON API (they make up its OpenAPI contract)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ErrorBody",
    "Health",
    "DatasetInfo",
    "PresetInfo",
    "PresetDetail",
    "RunRequest",
    "RunCreated",
    "HeadlineRow",
    "TradeEffect",
    "RunInfo",
]


class ErrorBody(BaseModel):
    """Every error response: one message that names the problem (never a traceback)."""

    detail: str


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    version: str


class DatasetInfo(BaseModel):
    name: str
    title: str
    user_supplied: bool = Field(description="downloaded by the user, not by ftalab")


class PresetInfo(BaseModel):
    name: str
    title: str


class PresetDetail(PresetInfo):
    scenario: dict[str, Any] = Field(description="the scenario with every option explicit (schema version 1)")
    toml: str = Field(description="the same scenario as TOML")


class RunRequest(BaseModel):
    """Exactly one of ``preset``, ``scenario`` (a JSON object) or ``toml`` (scenario file text)."""

    model_config = ConfigDict(extra="forbid")

    preset: str | None = Field(None, max_length=80, examples=["sco-corridor"])
    scenario: dict[str, Any] | None = Field(None, description="a scenario as JSON (the TOML file's tables)")
    toml: str | None = Field(None, max_length=200_000, description="the text of a scenario .toml file")
    report: bool = Field(True, description="also write the HTML report")


class RunCreated(BaseModel):
    id: str
    status: Literal["queued"] = "queued"
    url: str = Field(description="where to poll the run's state")


class HeadlineRow(BaseModel):
    iso3: str = Field(description="ISO3 code, or *MEMBERS, *NONMEMBERS, *WORLD")
    name: str
    joining: bool
    value: float | None = Field(description="real income (welfare) change, %")
    lo: float | None = Field(description="lower end of the Monte Carlo interval (null without draws)")
    hi: float | None


class TradeEffect(BaseModel):
    measure: str
    baseline: float | None
    new: float | None
    change_pct: float | None


class RunInfo(BaseModel):
    id: str
    status: Literal["queued", "running", "done", "failed"]
    scenario: str
    title: str
    source: str
    created: float = Field(description="Unix time")
    started: float | None
    finished: float | None
    progress: list[str]
    error: str | None = Field(description="why the run failed")
    headline: list[HeadlineRow] | None = Field(description="scenario step, measure welfare (real income, %)")
    trade_effects: list[TradeEffect] | None
    report_url: str | None
    tables: dict[str, str] = Field(description="table name -> CSV URL")
