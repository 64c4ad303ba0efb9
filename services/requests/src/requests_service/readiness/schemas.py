"""The shape of the readiness report (DOMAIN.md 16): per unit, the DIP's freshness, the
service figures, the checklist with evidence, the score and its Monev category; for the
root, a summary. Every report says it is an internal estimate, not the KI's assessment."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from ppid_kit.models import PublicModel
from pydantic import Field

from requests_service.readiness.figures import ObjectionFigures, OverdueFigures, RequestFigures
from requests_service.readiness.registry import CategoryCounts, Decree, StaleEntry
from requests_service.readiness.scoring import Category, ItemKey, Scope


class ChecklistItem(PublicModel):
    key: ItemKey
    title: str
    scope: Scope = Field(description="`root`: the badan publik's item, shared by its units.")
    weight: int = Field(description="Points out of 100 (see `weights`).")
    applicable: bool = Field(
        description="False when the data proves nothing either way (e.g. no request came "
        "due); the score then leaves the item out."
    )
    met: bool
    evidence: str = Field(description="The figure or date that proves it (or its absence).")
    link: str | None = Field(description="Where the evidence is read (an API path).")


class UnitDip(PublicModel):
    last_updated_at: dt.datetime | None
    published: CategoryCounts
    stale_berkala: list[StaleEntry]


class UnitReadiness(PublicModel):
    unit_id: uuid.UUID
    parent_id: uuid.UUID | None
    code: str
    name: str
    ppid: str | None = Field(description="The PPID the unit carries (`utama`, `pelaksana`…).")
    dip: UnitDip
    requests: RequestFigures
    open_overdue: OverdueFigures = Field(description="Open items past their deadline now.")
    objections: ObjectionFigures
    checklist: list[ChecklistItem]
    score: float = Field(ge=0, le=100)
    category: Category
    category_label: str


class Weight(PublicModel):
    key: ItemKey
    scope: Scope
    weight: int
    title: str


class BandInfo(PublicModel):
    category: Category
    label: str
    minimum: float
    maximum: float


class DipSummary(PublicModel):
    """From the registry, as of now: the decree of `year` and the staleness rule."""

    year: int = Field(description="The current year, whose DIP decree is looked for.")
    decree: Decree | None
    berkala_stale_days: int


class RootSummary(PublicModel):
    """The root at a glance: the figures are the sums of the units listed (active ones)."""

    score: float = Field(ge=0, le=100, description="The mean of the units' scores.")
    category: Category
    category_label: str
    units_assessed: int
    units_by_category: dict[str, int]
    requests: RequestFigures
    open_overdue: OverdueFigures
    objections: ObjectionFigures


class ReadinessReport(PublicModel):
    root_id: uuid.UUID
    year: int = Field(description="The year of the request and objection figures.")
    as_of: dt.date = Field(description="The day (root's zone) of 'now': DIP, overdue items.")
    estimate: Literal["internal"] = "internal"
    note: str = Field(description="This is an internal estimate, not the KI's assessment.")
    weights: list[Weight]
    categories: list[BandInfo]
    dip: DipSummary
    summary: RootSummary
    units: list[UnitReadiness] = Field(description="The root's active units, parents first.")
