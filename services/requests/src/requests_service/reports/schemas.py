"""The shape of the annual service report (Laporan Layanan Informasi Publik).

SLIP Pasal 56 (DOMAIN.md 15.1): six sections in order: (1) the information-service
policy, (2) how the service runs, (3) details of the service, (4) disputes, (5)
obstacles, (6) recommendations and follow-up. Sections 3 and 4 are computed from the
registers; 1, 2, 5 and 6 are the PPID's prose (`annual_report_narratives`), with the facts
the backend knows added to 1 and 2.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from ppid_kit.models import LocalTime
from pydantic import BaseModel, Field

from requests_service.statistics.schemas import (
    SUPPRESSION_THRESHOLD,
    DisputeFigures,
    Figures,
    ObjectionFigures,
    Period,
)


class ReportView(StrEnum):
    PUBLIC = "public"  # anyone: small cells suppressed (DOMAIN.md 17)
    OFFICIAL = "official"  # reader officials whose grant covers the scope: in full


class UnitRef(BaseModel):
    unit_id: uuid.UUID
    code: str
    name: str


class UnitTexts(UnitRef):
    """A unit's own narrative parts in a consolidated report (PPID Pelaksana → Utama)."""

    texts: dict[str, str | None]


class UnitDesignation(UnitRef):
    designation: str = Field(
        description="`ppid_utama` at the root (the consolidating PPID), `ppid_pelaksana` below."
    )


class FeeLine(BaseModel):
    """One line of the cost standard (standar biaya; DOMAIN.md 12)."""

    code: str
    description: str
    unit_price: int = Field(description="Rupiah per unit.")
    unit: str
    effective_from: dt.date
    decree_no: str


class RequestRules(BaseModel):
    """The legal clock the service runs on (DOMAIN.md 11) and the root's request policy."""

    notice_working_days: int = Field(description="UU Pasal 22(7).")
    extension_working_days: int = Field(description="UU Pasal 22(8), once.")
    objection_filing_working_days: int = Field(description="UU Pasal 36(1).")
    objection_response_working_days: int = Field(description="UU Pasal 36(2).")
    dispute_filing_working_days: int = Field(description="UU Pasal 37(2).")
    delivery_sla_equals_notice: bool
    identity_scan_required: bool


class PolicyFacts(BaseModel):
    body_name: str
    body_code: str
    units: list[UnitDesignation] = Field(description="The PPID and the units the report covers.")
    cost_standard: list[FeeLine] = Field(description="The root's active fee schedule.")
    cost_standard_decrees: list[str]
    rules: RequestRules


class OperationFacts(BaseModel):
    time_zone: str
    service_start: LocalTime
    service_end: LocalTime
    weekend_days: list[int] = Field(description="ISO weekdays closed (6 Saturday, 7 Sunday).")
    cuti_bersama_closed: bool
    working_days_in_year: int = Field(description="On the root's calendar (DOMAIN.md 14).")
    closed_weekdays_in_year: int = Field(description="Holidays and closures on weekdays.")


class NarrativeSection(BaseModel):
    number: int
    title: str
    texts: dict[str, str | None] = Field(description="The scope's own text, by part.")
    units: list[UnitTexts] = Field(
        default_factory=list, description="Units below the scope that wrote theirs."
    )


class PolicySection(NarrativeSection):
    facts: PolicyFacts


class OperationSection(NarrativeSection):
    facts: OperationFacts


class UnitRequestFigures(UnitRef):
    figures: Figures


class ServiceSection(BaseModel):
    number: int
    title: str
    total: Figures
    units: list[UnitRequestFigures]


class DisputeScope(BaseModel):
    objections: ObjectionFigures
    disputes: DisputeFigures


class UnitDisputeFigures(UnitRef, DisputeScope):
    pass


class DisputeSection(BaseModel):
    number: int
    title: str
    total: DisputeScope
    units: list[UnitDisputeFigures]


class AnnualReport(BaseModel):
    """The report of a root (consolidated: each unit and the total) or of one unit."""

    root_id: uuid.UUID
    unit_id: uuid.UUID | None = Field(description="Null for the root's consolidated report.")
    scope: UnitRef = Field(description="The root or unit the report is of.")
    year: int
    period: Period
    due_date: dt.date = Field(description="31 March of the next year (SLIP Pasal 56).")
    as_of: dt.date = Field(description="The local date pending and overdue are judged on.")
    view: ReportView
    suppression: bool
    threshold: int = SUPPRESSION_THRESHOLD
    policy: PolicySection
    operation: OperationSection
    service: ServiceSection
    disputes: DisputeSection
    obstacles: NarrativeSection
    recommendations: NarrativeSection


class NarrativeBody(BaseModel):
    """The PPID's parts of one report (SLIP Pasal 56 sections 1, 2, 5, 6); each replaces
    the stored text (null clears it)."""

    policy: str | None = Field(None, max_length=20000)
    operation: str | None = Field(None, max_length=20000)
    obstacles_internal: str | None = Field(None, max_length=20000)
    obstacles_external: str | None = Field(None, max_length=20000)
    recommendations: str | None = Field(None, max_length=20000)
    follow_up_plan: str | None = Field(None, max_length=20000)


class Narrative(NarrativeBody):
    unit_id: uuid.UUID
    year: int
    version: int = Field(description="0 before the first write.")
    updated_at: dt.datetime | None
