"""Objections (keberatan) to the Atasan PPID: the tables every package shares.

DOMAIN.md 10 (grounds 10.1, filing 10.2, form 10.3, register 10.4, deadlines 10.5,
response 10.6, lifecycle 10.7). UU 14/2008 Pasal 35 (grounds a-g; b-g may be settled by
consultation), Pasal 36 (30 working days to file, 30 to answer, reasons when the PPID is
upheld), Pasal 37 (14 working days to go to the Komisi Informasi).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from ppid_kit.models import CreatedAt, Timestamps, enum_type, values_in
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field

from requests_service.core.models import ActorType, Channel


class ObjectionReason(StrEnum):
    """UU Pasal 35(1) a-g (DOMAIN.md 10.1)."""

    A = "a"  # refusal on a Pasal 17 exemption
    B = "b"  # periodic information (Pasal 9) not provided — needs no request
    C = "c"  # request not responded to
    D = "d"  # answered other than as requested
    E = "e"  # request not fulfilled
    F = "f"  # unreasonable fees
    G = "g"  # delivered later than the UU allows


# UU Pasal 35(2): grounds b-g may be settled by consultation (musyawarah).
CONSULTABLE_REASONS = frozenset(ObjectionReason) - {ObjectionReason.A}


class ObjectionState(StrEnum):
    """DOMAIN.md 10.7."""

    FILED = "filed"
    WITH_ATASAN = "with_atasan"
    MUSYAWARAH = "musyawarah"
    DECIDED_UPHELD_REQUESTER = "decided_upheld_requester"
    DECIDED_UPHELD_PPID = "decided_upheld_ppid"
    ORDER_EXECUTED = "order_executed"
    SETTLED = "settled"
    ESCALATED_TO_KI = "escalated_to_ki"
    WITHDRAWN = "withdrawn"


OBJECTION_TERMINAL_STATES = frozenset(
    {ObjectionState.SETTLED, ObjectionState.ESCALATED_TO_KI, ObjectionState.WITHDRAWN}
)
# Before the Atasan's written response: the UU Pasal 36(2) clock is running.
RESPONSE_PENDING_STATES = frozenset(
    {ObjectionState.FILED, ObjectionState.WITH_ATASAN, ObjectionState.MUSYAWARAH}
)


class ObjectionDecision(StrEnum):
    """The Atasan's decision (DOMAIN.md 10.6): accepted (for the requester) or refused."""

    UPHELD_REQUESTER = "upheld_requester"
    UPHELD_PPID = "upheld_ppid"
    SETTLED_BY_CONSULTATION = "settled_by_consultation"


class RequesterReaction(StrEnum):
    """Register column 11 (DOMAIN.md 10.4): satisfied, or not → dispute."""

    SATISFIED = "satisfied"
    NOT_SATISFIED = "not_satisfied"


class Objection(Timestamps, table=True):
    """One objection, from filing to its end, with the legal clock stored as computed.

    `request_id` is null only for reason (b) (DOMAIN.md 10.1). Dates are in the root's
    time zone; `calendar_version` is the root calendar they were computed with.
    """

    __tablename__ = "objections"
    __table_args__ = (
        sa.UniqueConstraint("objection_number", name="uq_objections_number"),
        sa.UniqueConstraint("root_id", "year", "seq", name="uq_objections_root_year_seq"),
        sa.UniqueConstraint("response_number", name="uq_objections_response_number"),
        sa.CheckConstraint(values_in("state", ObjectionState), name="ck_objections_state"),
        sa.CheckConstraint(values_in("channel", Channel), name="ck_objections_channel"),
        sa.CheckConstraint(
            "cardinality(reasons) > 0 AND reasons <@ ARRAY['a','b','c','d','e','f','g']::varchar[]",
            name="ck_objections_reasons",
        ),
        # DOMAIN.md 10.1: only reason (b) may stand without a request.
        sa.CheckConstraint(
            "request_id IS NOT NULL OR reasons = ARRAY['b']::varchar[]",
            name="ck_objections_request",
        ),
        sa.CheckConstraint(
            f"decision IS NULL OR {values_in('decision', ObjectionDecision)}",
            name="ck_objections_decision",
        ),
        # UU Pasal 36(3): upholding the PPID needs written reasons; an order has a due date.
        sa.CheckConstraint(
            "decision IS DISTINCT FROM 'upheld_ppid' OR decision_reasons IS NOT NULL",
            name="ck_objections_upheld_ppid_reasons",
        ),
        sa.CheckConstraint(
            "decision IS DISTINCT FROM 'upheld_requester' "
            "OR (order_text IS NOT NULL AND order_due IS NOT NULL)",
            name="ck_objections_order",
        ),
        sa.CheckConstraint(
            f"requester_reaction IS NULL OR {values_in('requester_reaction', RequesterReaction)}",
            name="ck_objections_reaction",
        ),
        sa.Index("ix_objections_unit_received", "unit_id", "received_at", "id"),
        sa.Index("ix_objections_root_received", "root_id", "received_at", "id"),
        sa.Index("ix_objections_request", "request_id"),
        sa.Index("ix_objections_state", "state"),
        sa.Index("ix_objections_requester", "requester_account_id", "received_at"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    root_id: uuid.UUID
    unit_id: uuid.UUID = Field(description="The unit whose PPID decided (the request's unit).")
    request_id: uuid.UUID | None = Field(
        default=None, foreign_key="information_requests.id", ondelete="RESTRICT"
    )
    year: int
    seq: int = Field(description="Gap-free per root and year, series `KB` (DOMAIN.md 8.6).")
    objection_number: str = Field(max_length=128)
    channel: Channel = Field(sa_type=enum_type(Channel))
    requester_account_id: uuid.UUID | None = Field(default=None)
    entered_by: uuid.UUID | None = Field(default=None, description="Official at the counter.")
    client_id: str | None = Field(default=None, max_length=64, description="API client.")
    by_agent: bool = Field(default=False, description="Filed by an agent (SLIP Pasal 40).")
    reasons: list[str] = Field(sa_type=ARRAY(sa.String(1)))
    purpose: str = Field(sa_type=sa.Text)
    case_position: str = Field(sa_type=sa.Text, description="Kasus posisi (DOMAIN.md 10.3).")
    # The filing window (UU Pasal 36(1)): checked, recorded, never blocking.
    reason_discovered_on: date
    filing_due: date = Field(description="reason_discovered_on + 30 WD.")
    filed_late: bool = Field(default=False)
    # The response clock (UU Pasal 36(2)).
    received_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    receipt_date: date
    response_due: date = Field(description="D30: UU Pasal 36(2).")
    calendar_version: int
    time_zone: str = Field(max_length=64)
    state: ObjectionState = Field(sa_type=enum_type(ObjectionState))
    forwarded_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    consultation_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    # The Atasan's written response (DOMAIN.md 10.6).
    decision: ObjectionDecision | None = Field(default=None, sa_type=enum_type(ObjectionDecision))
    decided_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    decided_by: uuid.UUID | None = Field(default=None)
    response_number: str | None = Field(default=None, max_length=128)
    response_date: date | None = Field(default=None)
    objection_summary: str | None = Field(default=None, sa_type=sa.Text)
    decision_reasons: str | None = Field(default=None, sa_type=sa.Text)
    order_text: str | None = Field(default=None, sa_type=sa.Text)
    order_due: date | None = Field(default=None)
    atasan_name: str | None = Field(default=None, max_length=255)
    atasan_position: str | None = Field(default=None, max_length=255)
    # UU Pasal 37(2): the requester may go to the KI within 14 WD of the response.
    dispute_due: date | None = Field(default=None)
    order_executed_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    order_execution_note: str | None = Field(default=None, sa_type=sa.Text)
    requester_reaction: RequesterReaction | None = Field(
        default=None, sa_type=enum_type(RequesterReaction)
    )
    settled_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    escalated_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    withdrawn_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    tracking_secret_hash: str = Field(max_length=64)
    version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class ObjectorIdentity(CreatedAt, table=True):
    """Who objects, and their agent (DOMAIN.md 10.3): personal data, kept apart.

    Never in a log, a metric, a public response or a statistic (DOMAIN.md 17).
    """

    __tablename__ = "objector_identities"

    objection_id: uuid.UUID = Field(
        primary_key=True, foreign_key="objections.id", ondelete="CASCADE"
    )
    name: str = Field(max_length=255)
    address: str | None = Field(default=None, sa_type=sa.Text)
    occupation: str | None = Field(default=None, max_length=128)
    phone: str | None = Field(default=None, max_length=32)
    email: str | None = Field(default=None, max_length=320)
    agent_name: str | None = Field(default=None, max_length=255)
    agent_address: str | None = Field(default=None, sa_type=sa.Text)
    agent_occupation: str | None = Field(default=None, max_length=128)
    agent_phone: str | None = Field(default=None, max_length=32)


class ObjectionEvent(CreatedAt, table=True):
    """The state history of an objection: append-only (a trigger refuses UPDATE and DELETE)."""

    __tablename__ = "objection_events"
    __table_args__ = (
        sa.UniqueConstraint(
            "objection_id", "version", name="uq_objection_events_objection_version"
        ),
        sa.CheckConstraint(values_in("actor_type", ActorType), name="ck_objection_events_actor"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    objection_id: uuid.UUID = Field(foreign_key="objections.id", ondelete="CASCADE")
    version: int
    action: str = Field(max_length=64)
    from_state: str | None = Field(default=None, max_length=32)
    to_state: str = Field(max_length=32)
    actor_type: ActorType = Field(sa_type=enum_type(ActorType))
    actor_role: str | None = Field(default=None, max_length=64)
    actor_id: uuid.UUID | None = Field(default=None)
    note: str | None = Field(default=None, sa_type=sa.Text)
    details: dict[str, Any] = Field(
        default_factory=dict,
        sa_type=JSONB,
        sa_column_kwargs={"server_default": sa.text("'{}'::jsonb")},
    )


class ObjectionFileKind(StrEnum):
    POWER_OF_ATTORNEY = "power_of_attorney"  # an agent's special power (SLIP Pasal 40)
    SUPPORTING = "supporting"


class ObjectionFile(CreatedAt, table=True):
    """A file of an objection in the private bucket (object first, row after)."""

    __tablename__ = "objection_files"
    __table_args__ = (
        sa.CheckConstraint(values_in("kind", ObjectionFileKind), name="ck_objection_files_kind"),
        sa.UniqueConstraint("storage_key", name="uq_objection_files_storage_key"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    objection_id: uuid.UUID = Field(foreign_key="objections.id", ondelete="CASCADE", index=True)
    kind: ObjectionFileKind = Field(sa_type=enum_type(ObjectionFileKind))
    filename: str = Field(max_length=255)
    content_type: str = Field(max_length=128)
    size: int = Field(sa_type=sa.BigInteger)
    sha256: str = Field(max_length=64)
    storage_key: str = Field(max_length=255)
    uploaded_by: uuid.UUID | None = Field(default=None)
    deleted_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
