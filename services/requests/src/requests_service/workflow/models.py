"""Tables of the workflow: the fee schedule, the written notice and the refusal decree.

DOMAIN.md 12 (the cost standard set by the head's decree, announced like periodic
information), 8.4 (what a written notice states: UU Pasal 22(7)) and 8.5 (the decree
refusing a request on a Pasal 17 ground, with its consequence test). A notice and a
decree keep what they said when issued (prices, names, place): a later change of the
schedule or of the unit tree never rewrites a legal document.
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

from requests_service.core.models import DeliveryMethod, NoticeOutcome


class Holder(StrEnum):
    """Who holds the information a notice grants (DOMAIN.md 8.4 A.1)."""

    SELF = "self"  # "kami"
    OTHER_BODY = "other_body"  # "badan publik lain, yaitu …"


class ExemptionGround(StrEnum):
    """UU 14/2008 Pasal 17 letters (DOMAIN.md 4.1)."""

    A = "a"
    B = "b"
    C = "c"
    D = "d"
    E = "e"
    F = "f"
    G = "g"
    H = "h"
    I = "i"  # noqa: E741 - the letter of the law
    J = "j"


class PaymentMethod(StrEnum):
    """DOMAIN.md 12: at the counter (itemised receipt), to the official account, or waived."""

    CASH_AT_COUNTER = "cash_at_counter"
    BANK_TRANSFER = "bank_transfer_official_account"
    WAIVED = "waived"


class FeeSchedule(Timestamps, table=True):
    """A root's cost standard (standar biaya); its items are `fee_items`. No row: no fees."""

    __tablename__ = "fee_schedules"

    root_id: uuid.UUID = Field(primary_key=True)
    # Bumped by every replacement: the ETag and If-Match of the schedule.
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    updated_by: uuid.UUID | None = None


class FeeItem(CreatedAt, table=True):
    """One priced item; a code may have several rows with different `effective_from`
    (a decree raising a price from a date): the latest in force applies."""

    __tablename__ = "fee_items"
    __table_args__ = (
        sa.UniqueConstraint(
            "root_id", "code", "effective_from", name="uq_fee_items_root_code_from"
        ),
        sa.CheckConstraint("unit_price >= 0", name="ck_fee_items_unit_price"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    root_id: uuid.UUID = Field(foreign_key="fee_schedules.root_id", ondelete="CASCADE", index=True)
    position: int = Field(description="Order in the announced list.")
    code: str = Field(max_length=32)
    description: str = Field(max_length=500)
    unit_price: int = Field(description="Rupiah per unit.")
    unit: str = Field(max_length=64, description="e.g. `lembar`, `keping`, `paket`.")
    effective_from: date
    decree_no: str = Field(max_length=255, description="The head's decree setting the price.")
    active: bool = Field(default=True)


class RequestNotice(CreatedAt, table=True):
    """The written notice (pemberitahuan tertulis) of a request: UU Pasal 22(7)."""

    __tablename__ = "request_notices"
    __table_args__ = (
        sa.CheckConstraint(values_in("outcome", NoticeOutcome), name="ck_request_notices_outcome"),
        sa.CheckConstraint(
            f"holder IS NULL OR {values_in('holder', Holder)}", name="ck_request_notices_holder"
        ),
        sa.CheckConstraint(
            f"delivery_method IS NULL OR {values_in('delivery_method', DeliveryMethod)}",
            name="ck_request_notices_delivery",
        ),
        # UU Pasal 22(7)(e): blacked-out parts are explained.
        sa.CheckConstraint(
            "outcome <> 'granted_partial' OR redaction_note IS NOT NULL",
            name="ck_request_notices_redaction",
        ),
        # UU Pasal 22(7)(b): the body that holds it.
        sa.CheckConstraint(
            "outcome <> 'not_held_forwarded' OR holder_body IS NOT NULL",
            name="ck_request_notices_forwarded",
        ),
        sa.CheckConstraint("fee_total >= 0", name="ck_request_notices_fee_total"),
    )

    request_id: uuid.UUID = Field(
        primary_key=True, foreign_key="information_requests.id", ondelete="CASCADE"
    )
    outcome: NoticeOutcome = Field(sa_type=enum_type(NoticeOutcome))
    holder: Holder | None = Field(default=None, sa_type=enum_type(Holder))
    holder_body: str | None = Field(default=None, max_length=255)
    material: str | None = Field(default=None, sa_type=sa.Text)
    available_forms: list[str] = Field(default_factory=list, sa_type=sa.ARRAY(sa.String(16)))
    delivery_method: DeliveryMethod | None = Field(default=None, sa_type=enum_type(DeliveryMethod))
    # Snapshots of the schedule's items: code, description, unit, unit_price, quantity, amount.
    fee_lines: list[dict[str, Any]] = Field(
        default_factory=list,
        sa_type=JSONB,
        sa_column_kwargs={"server_default": sa.text("'[]'::jsonb")},
    )
    fee_total: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    payment_instructions: str | None = Field(default=None, sa_type=sa.Text)
    provide_within_working_days: int | None = None
    promised_delivery_date: date | None = None
    redaction_note: str | None = Field(default=None, sa_type=sa.Text)
    explanation: str | None = Field(default=None, sa_type=sa.Text)
    # As printed: the body, the place and the signing official (DOMAIN.md 8.4).
    issuer: str = Field(max_length=255)
    place: str = Field(max_length=255)
    signatory: str = Field(max_length=500)
    unit_id: uuid.UUID = Field(description="The unit that issued it.")
    issued_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    issued_by: uuid.UUID | None = None
    issued_by_role: str = Field(max_length=64)


class RefusalDecree(CreatedAt, table=True):
    """The decree refusing a request on a Pasal 17 ground (SK Penolakan, DOMAIN.md 8.5)."""

    __tablename__ = "refusal_decrees"
    __table_args__ = (
        sa.UniqueConstraint("decree_number", name="uq_refusal_decrees_number"),
        sa.UniqueConstraint("root_id", "year", "seq", name="uq_refusal_decrees_root_year_seq"),
        sa.CheckConstraint(values_in("ground", ExemptionGround), name="ck_refusal_decrees_ground"),
    )

    request_id: uuid.UUID = Field(
        primary_key=True, foreign_key="request_notices.request_id", ondelete="CASCADE"
    )
    root_id: uuid.UUID
    year: int
    seq: int = Field(description="Gap-free per root and year (`number_counters` series SK).")
    decree_number: str = Field(max_length=128)
    decree_date: date
    ground: ExemptionGround = Field(sa_type=enum_type(ExemptionGround))
    ground_number: str | None = Field(default=None, max_length=16)
    ground_text: str = Field(sa_type=sa.Text)
    other_law: str | None = Field(default=None, sa_type=sa.Text)
    # The consequence test (DIK entry in the registry) the refusal rests on (UU Pasal 2(4), 19).
    consequence_test_id: uuid.UUID
    dik_number: str | None = Field(default=None, max_length=64)
    dik_decree_number: str | None = Field(default=None, max_length=255)
    consequences: str = Field(sa_type=sa.Text)
    # UU Pasal 35(1)(a), 36(1): 30 working days to object to the Atasan PPID.
    objection_due: date
