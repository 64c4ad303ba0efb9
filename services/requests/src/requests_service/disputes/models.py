"""Disputes at the Komisi Informasi, tracked, not adjudicated (DOMAIN.md 10.8).

UU 14/2008 Pasal 37 (the KI with jurisdiction; 14 working days after the Atasan's written
response to file), Pasal 38 (the KI starts within 14 WD and finishes within 100 WD),
Pasal 47-50 (PTUN/PN, then cassation at the Mahkamah Agung within 14 days). A decision
that opens information leads to a DIP update (UU Pasal 11(2)).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from ppid_kit.models import CreatedAt, Timestamps, enum_type, values_in
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from requests_service.core.models import ActorType


class KiLevel(StrEnum):
    PUSAT = "pusat"
    PROVINSI = "provinsi"
    KABUPATEN_KOTA = "kabupaten_kota"


class DisputeStage(StrEnum):
    """Where the case stands: registered at the KI, its process, then the courts."""

    REGISTERED = "registered"
    MEDIATION = "mediation"
    ADJUDICATION = "adjudication"
    DECIDED = "decided"  # the KI's decision (putusan) or a mediation agreement
    COURT = "court"  # PTUN (state bodies) or PN (UU Pasal 47)
    CASSATION = "cassation"  # Mahkamah Agung (UU Pasal 50)
    CLOSED = "closed"  # final: decision in force, complied with or withdrawn


class DisputeOutcome(StrEnum):
    """DOMAIN.md 10.8 `outcome`, and 15.2 (opened, refused, settled by mediation)."""

    INFORMATION_OPENED = "information_opened"
    REFUSED = "refused"  # the body's refusal upheld
    FEE_DECIDED = "fee_decided"
    SETTLED_BY_MEDIATION = "settled_by_mediation"
    WITHDRAWN = "withdrawn"


class Dispute(Timestamps, table=True):
    """One dispute at the KI, opened by an objection escalated there (or left unanswered)."""

    __tablename__ = "disputes"
    __table_args__ = (
        sa.CheckConstraint(values_in("ki_level", KiLevel), name="ck_disputes_ki_level"),
        sa.CheckConstraint(values_in("stage", DisputeStage), name="ck_disputes_stage"),
        sa.CheckConstraint(
            f"outcome IS NULL OR {values_in('outcome', DisputeOutcome)}",
            name="ck_disputes_outcome",
        ),
        sa.UniqueConstraint("objection_id", name="uq_disputes_objection"),
        sa.Index("ix_disputes_root_filed", "root_id", "filed_on", "id"),
        sa.Index("ix_disputes_unit", "unit_id"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    objection_id: uuid.UUID = Field(foreign_key="objections.id", ondelete="RESTRICT")
    request_id: uuid.UUID | None = Field(default=None)
    root_id: uuid.UUID
    unit_id: uuid.UUID
    ki_level: KiLevel = Field(sa_type=enum_type(KiLevel))
    ki_registration_no: str | None = Field(default=None, max_length=128)
    filed_on: date
    # UU Pasal 37(2): response date + 14 WD (or response_due + 14 WD when none came).
    filing_due: date | None = Field(default=None)
    filed_late: bool = Field(default=False)
    # UU Pasal 38: the KI starts within 14 WD and finishes within 100 WD.
    ki_start_due: date | None = Field(default=None)
    ki_finish_due: date | None = Field(default=None)
    stage: DisputeStage = Field(sa_type=enum_type(DisputeStage))
    decision: str | None = Field(default=None, sa_type=sa.Text)
    decision_date: date | None = Field(default=None)
    outcome: DisputeOutcome | None = Field(default=None, sa_type=enum_type(DisputeOutcome))
    court_stage: str | None = Field(default=None, max_length=64)
    court_case_no: str | None = Field(default=None, max_length=128)
    compliance_due: date | None = Field(default=None)
    complied_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    # UU Pasal 11(2): a decision opening information → a DIP task in the registry.
    dip_entry_id: uuid.UUID | None = Field(default=None)
    time_zone: str = Field(max_length=64)
    calendar_version: int
    version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class DisputeEvent(CreatedAt, table=True):
    """Stages and hearings of a dispute: append-only (a trigger refuses UPDATE and DELETE)."""

    __tablename__ = "dispute_events"
    __table_args__ = (
        sa.UniqueConstraint("dispute_id", "version", name="uq_dispute_events_dispute_version"),
        sa.CheckConstraint(values_in("actor_type", ActorType), name="ck_dispute_events_actor"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    dispute_id: uuid.UUID = Field(foreign_key="disputes.id", ondelete="CASCADE")
    version: int
    action: str = Field(max_length=64)
    stage: str = Field(max_length=32)
    happened_on: date | None = Field(default=None, description="Hearing or decision date.")
    actor_type: ActorType = Field(sa_type=enum_type(ActorType))
    actor_role: str | None = Field(default=None, max_length=64)
    actor_id: uuid.UUID | None = Field(default=None)
    note: str | None = Field(default=None, sa_type=sa.Text)
    details: dict[str, Any] = Field(
        default_factory=dict,
        sa_type=JSONB,
        sa_column_kwargs={"server_default": sa.text("'{}'::jsonb")},
    )
