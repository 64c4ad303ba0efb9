"""Bodies and views of the disputes routes (DOMAIN.md 10.8).

A dispute holds no personal data: its view is the same for the requester and officials.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from requests_service.disputes.models import DisputeOutcome, DisputeStage, KiLevel


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DisputeFiling(_Body):
    """`POST /v1/objections/{id}/dispute`: the application lodged at the Komisi Informasi."""

    ki_level: KiLevel = Field(description="KI Pusat, Provinsi or Kabupaten/Kota (UU Pasal 37(1)).")
    ki_registration_no: str | None = Field(default=None, min_length=1, max_length=128)
    filed_on: dt.date | None = Field(
        default=None, description="The day it was lodged at the KI; today (root's zone) if absent."
    )
    note: str | None = Field(default=None, max_length=2000)


class StageName(StrEnum):
    """The stages an official records (`registered` and `decided` are set by filing/decision)."""

    MEDIATION = "mediation"
    ADJUDICATION = "adjudication"
    COURT = "court"
    CASSATION = "cassation"
    CLOSED = "closed"


class CourtStage(StrEnum):
    PTUN = "ptun"  # state bodies (UU Pasal 47(1))
    PN = "pn"  # other bodies (UU Pasal 47(2))
    MA = "ma"  # cassation (UU Pasal 50)


class StageBody(_Body):
    """`POST …/dispute/stages`: a hearing or a move to the next forum."""

    stage: StageName
    happened_on: dt.date
    note: str | None = Field(default=None, max_length=4000)
    ki_registration_no: str | None = Field(default=None, min_length=1, max_length=128)
    court_stage: CourtStage | None = Field(default=None, description="For court and cassation.")
    court_case_no: str | None = Field(default=None, min_length=1, max_length=128)


class DecisionBody(_Body):
    """`POST …/dispute/decision`: the KI's decision (or mediation agreement), or a court's."""

    decision: str = Field(min_length=1, max_length=20000, description="What was decided.")
    decision_date: dt.date
    outcome: DisputeOutcome
    compliance_due: dt.date | None = Field(
        default=None, description="By when the body must comply with the decision."
    )


class ComplianceBody(_Body):
    """`POST …/dispute/compliance`: the body complied with the decision in force."""

    complied_at: dt.datetime | None = Field(default=None, description="Now if absent.")
    note: str | None = Field(default=None, max_length=4000)


class DisputeEventView(BaseModel):
    version: int
    action: str
    stage: str
    happened_on: dt.date | None
    actor_role: str | None
    note: str | None
    court_stage: str | None = None
    court_case_no: str | None = None
    created_at: dt.datetime


class DisputeView(BaseModel):
    """A dispute with its legal clock (UU Pasal 37, 38, 50) and its history."""

    id: uuid.UUID
    objection_id: uuid.UUID
    objection_number: str
    request_id: uuid.UUID | None
    unit_id: uuid.UUID
    ki_level: KiLevel
    ki_registration_no: str | None
    filed_on: dt.date
    filing_due: dt.date | None
    filed_late: bool
    ki_start_due: dt.date | None
    ki_finish_due: dt.date | None
    stage: DisputeStage
    decision: str | None
    decision_date: dt.date | None
    outcome: DisputeOutcome | None
    court_stage: str | None
    court_case_no: str | None
    cassation_due: dt.date | None = Field(
        description="14 calendar days after a court's decision (UU Pasal 50)."
    )
    compliance_due: dt.date | None
    complied_at: dt.datetime | None
    dip_entry_id: uuid.UUID | None
    version: int
    events: list[DisputeEventView]
    warnings: list[str] = Field(default_factory=list)


class DisputeListItem(BaseModel):
    id: uuid.UUID
    objection_id: uuid.UUID
    unit_id: uuid.UUID
    ki_level: KiLevel
    ki_registration_no: str | None
    filed_on: dt.date
    filed_late: bool
    stage: DisputeStage
    outcome: DisputeOutcome | None
    ki_finish_due: dt.date | None
    compliance_due: dt.date | None
    version: int


class DisputePage(BaseModel):
    items: list[DisputeListItem]
    next_cursor: str | None
