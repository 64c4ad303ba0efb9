"""The outbox: messages written in the transaction that causes them, sent later by a worker.

ARCHITECTURE.md data flow 3: a crash between commit and send loses nothing. Once a
message is sent (or given up), its recipient and bodies are blanked: personal data
is kept no longer than needed (DOMAIN.md 17, PDP).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ppid_kit.models import CreatedAt, enum_type, values_in


class MessageKind(StrEnum):
    EMAIL = "email"


class MessageStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(CreatedAt, table=True):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        sa.CheckConstraint(values_in("kind", MessageKind), name="ck_outbox_messages_kind"),
        sa.CheckConstraint(values_in("status", MessageStatus), name="ck_outbox_messages_status"),
        # Only a pending message may hold personal data; a sent or failed one is blanked.
        sa.CheckConstraint(
            "(status = 'pending') = (recipient IS NOT NULL AND body_text IS NOT NULL)",
            name="ck_outbox_messages_blanked",
        ),
        # The worker's poll: due pending messages, oldest due first.
        sa.Index(
            "ix_outbox_messages_due",
            "next_attempt_at",
            postgresql_where=sa.text("status = 'pending'"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    kind: MessageKind = Field(default=MessageKind.EMAIL, sa_type=enum_type(MessageKind))
    recipient: str | None = Field(default=None, max_length=320)
    subject: str = Field(max_length=255)
    body_text: str | None = Field(default=None, sa_type=sa.Text)
    body_html: str | None = Field(default=None, sa_type=sa.Text)
    status: MessageStatus = Field(
        default=MessageStatus.PENDING,
        sa_type=enum_type(MessageStatus),
        sa_column_kwargs={"server_default": MessageStatus.PENDING.value},
    )
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    next_attempt_at: datetime | None = Field(
        default=None,
        nullable=False,
        sa_type=sa.DateTime(timezone=True),
        sa_column_kwargs={"server_default": sa.func.now()},
    )
    last_error: str | None = Field(default=None, max_length=255)
    sent_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


# For a service's `schema.TABLES`: the outbox lives in the database of each service that sends.
OUTBOX_TABLE: sa.Table = SQLModel.metadata.tables["outbox_messages"]
