"""The change log behind `GET /v1/dip/changes`: gap-free sequence numbers in commit order.

Each writer that changes the public DIP takes the next number from the single
`dip_feed_counter` row (`UPDATE … RETURNING`) as the last statement of its transaction.
The row lock is held until commit and PostgreSQL makes a commit visible before it
releases the transaction's locks, so number n+1 is only ever handed out after the
transaction holding n committed: readers following `seq > cursor` see a gap-free
prefix and never miss or repeat a change.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from ppid_kit.models import enum_type, values_in
from pydantic import JsonValue
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel


class ChangeKind(StrEnum):
    UPSERT = "upsert"  # the entry as the public DIP now shows it
    TOMBSTONE = "tombstone"  # the entry left the public DIP


class DipChange(SQLModel, table=True):
    __tablename__ = "dip_changes"
    __table_args__ = (
        sa.CheckConstraint(values_in("kind", ChangeKind), name="ck_dip_changes_kind"),
        sa.CheckConstraint("(kind = 'upsert') = (entry IS NOT NULL)", name="ck_dip_changes_entry"),
        # `GET /v1/dip/changes?root=`: one root's changes in sequence order.
        sa.Index("ix_dip_changes_root_id_seq", "root_id", "seq"),
    )

    seq: int = Field(sa_type=sa.BigInteger, primary_key=True)
    entry_id: uuid.UUID = Field(index=True)
    root_id: uuid.UUID
    kind: ChangeKind = Field(sa_type=enum_type(ChangeKind))
    # `none_as_null`: a tombstone's None is SQL NULL (the check constraint wants that),
    # not the JSON value `null` SQLAlchemy would store otherwise.
    entry: dict[str, JsonValue] | None = Field(default=None, sa_type=JSONB(none_as_null=True))
    # None until flushed: the database sets it.
    committed_at: datetime | None = Field(
        default=None,
        nullable=False,
        sa_type=sa.DateTime(timezone=True),
        sa_column_kwargs={"server_default": sa.func.now()},
    )


class FeedCounter(SQLModel, table=True):
    """One row: the last sequence number handed out."""

    __tablename__ = "dip_feed_counter"
    __table_args__ = (sa.CheckConstraint("id = 1", name="ck_dip_feed_counter_single"),)

    id: int = Field(default=1, primary_key=True)
    last_seq: int = Field(default=0, sa_type=sa.BigInteger)
