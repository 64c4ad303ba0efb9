"""Deadline reminders sent to officials: one row per (request, deadline, due date).

The row is inserted (`ON CONFLICT DO NOTHING`) in the transaction that queues the
email, so each reminder leaves once however many replicas run the worker. The
emails themselves live in the kit's `outbox_messages` (`ppid_kit.outbox`).
"""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from ppid_kit.models import CreatedAt, enum_type, values_in
from sqlmodel import Field


class ReminderKind(StrEnum):
    """Which deadline of the written notice is near."""

    NOTICE = "notice"  # D10, UU Pasal 22(7)
    EXTENDED_NOTICE = "extended_notice"  # D17, UU Pasal 22(8)


class DeadlineReminder(CreatedAt, table=True):
    __tablename__ = "deadline_reminders"
    __table_args__ = (
        sa.CheckConstraint(values_in("kind", ReminderKind), name="ck_deadline_reminders_kind"),
    )

    request_id: uuid.UUID = Field(
        primary_key=True, foreign_key="information_requests.id", ondelete="CASCADE"
    )
    kind: ReminderKind = Field(primary_key=True, sa_type=enum_type(ReminderKind))
    # A recalculated deadline is a new due date: it gets its own reminder.
    due_date: date = Field(primary_key=True)
    unit_id: uuid.UUID = Field(description="The handling unit when the reminder was sent.")
    addressed_unit_id: uuid.UUID = Field(
        description="The unit whose PPID office address received it (the unit, or its root)."
    )
