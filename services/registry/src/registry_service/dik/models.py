"""Exempted information (DIK) and its consequence test (uji konsekuensi).

DOMAIN.md 6.3: a DIK entry reuses the DIP fields and adds the test, the exemption
period and a public summary. UU 14/2008 Pasal 17 letters a-j are the grounds; Pasal 20:
grounds a-f are never permanent (an exemption period or condition is required),
g and h may be.
"""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from ppid_kit.models import Timestamps, enum_type, values_in
from sqlmodel import Field

from registry_service.models import DipEntryBase


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


class TestTrigger(StrEnum):
    """When the test ran (SLIP Pasal 49(1); DOMAIN.md 6.1)."""

    PROACTIVE = "proactive"
    ON_REQUEST = "on_request"
    KI_ORDER = "ki_order"


class Conclusion(StrEnum):
    EXEMPT = "exempt"
    OPEN = "open"
    PARTIALLY_OPEN = "partially_open"  # opened with parts blacked out (UU Pasal 22(7)(e))


class DikStatus(StrEnum):
    ACTIVE = "active"  # exempted now
    OPENED = "opened"  # opened by objection, dispute or expiry (UU Pasal 11(2))
    WITHDRAWN = "withdrawn"  # recorded in error


class DikEntry(DipEntryBase, Timestamps, table=True):
    """A consequence test and, when it concludes exempt, the DIK entry it makes."""

    __tablename__ = "dik_entries"
    __table_args__ = (
        sa.UniqueConstraint("root_id", "number", name="uq_dik_entries_root_id_number"),
        sa.Index("ix_dik_entries_unit_id", "unit_id"),
        sa.CheckConstraint(
            values_in("category", ("berkala", "serta_merta", "setiap_saat")),
            name="ck_dik_entries_category",
        ),
        sa.CheckConstraint(
            values_in("legal_basis_letter", ExemptionGround),
            name="ck_dik_entries_legal_basis_letter",
        ),
        sa.CheckConstraint(values_in("trigger", TestTrigger), name="ck_dik_entries_trigger"),
        sa.CheckConstraint(values_in("conclusion", Conclusion), name="ck_dik_entries_conclusion"),
        sa.CheckConstraint(values_in("status", DikStatus), name="ck_dik_entries_status"),
        # UU 14/2008 Pasal 20: grounds a-f are not permanent.
        sa.CheckConstraint(
            "conclusion = 'open' OR legal_basis_letter IN ('g', 'h') "
            "OR exemption_until IS NOT NULL OR exemption_condition IS NOT NULL",
            name="ck_dik_entries_exemption_period",
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    status: DikStatus = Field(default=DikStatus.ACTIVE, sa_type=enum_type(DikStatus))
    public_summary: str = Field(sa_type=sa.Text, description="What the public DIK list shows.")
    # The consequence test (DOMAIN.md 6.3).
    trigger: TestTrigger = Field(default=TestTrigger.PROACTIVE, sa_type=enum_type(TestTrigger))
    trigger_reference: str | None = Field(default=None, max_length=255)
    document_reference: str | None = Field(default=None, max_length=500)
    withheld_information: str = Field(sa_type=sa.Text)
    legal_basis_letter: ExemptionGround = Field(sa_type=enum_type(ExemptionGround))
    legal_basis_number: str | None = Field(default=None, max_length=16)
    other_laws: str | None = Field(default=None, sa_type=sa.Text)
    harm_analysis: str = Field(sa_type=sa.Text)
    public_interest_analysis: str = Field(sa_type=sa.Text)
    balancing: str = Field(sa_type=sa.Text)
    conclusion: Conclusion = Field(sa_type=enum_type(Conclusion))
    exemption_until: date | None = None
    exemption_condition: str | None = Field(default=None, sa_type=sa.Text)
    decree_number: str | None = Field(default=None, max_length=255)
    decree_date: date | None = None
    decree_place: str | None = Field(default=None, max_length=255)
    signed_by_role: str | None = Field(default=None, max_length=64)
    signed_by_name: str | None = Field(default=None, max_length=255)
    participants: list[str] = Field(default_factory=list, sa_type=sa.ARRAY(sa.String(255)))
    # The DIP entry the test was run on (DOMAIN.md 5.2: an exempted item leaves the DIP).
    dip_entry_id: uuid.UUID | None = Field(default=None, foreign_key="dip_entries.id", index=True)
    # Why the status last changed (opened: the objection/dispute decision or the expiry).
    status_reason: str | None = Field(default=None, sa_type=sa.Text)
    created_by: uuid.UUID | None = None
