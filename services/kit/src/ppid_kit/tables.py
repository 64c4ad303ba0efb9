"""The kit's own tables, present in every service's database."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import BigInteger, Column, DateTime, Identity, Index, Integer, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlmodel import Field, SQLModel


class IdempotencyRecord(SQLModel, table=True):
    """A claimed `Idempotency-Key` and, once the request completed, its response."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (Index("ix_idempotency_keys_expires_at", "expires_at"),)

    scope: str = Field(sa_column=Column(Text, primary_key=True))
    key: str = Field(sa_column=Column(Text, primary_key=True))
    fingerprint: str = Field(sa_column=Column(Text, nullable=False))
    status_code: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    response_body: Any = Field(default=None, sa_column=Column(JSONB, nullable=True))
    response_headers: dict[str, str] | None = Field(
        default=None, sa_column=Column(JSONB, nullable=True)
    )
    created_at: datetime = Field(
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now())
    )
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class AuditEntry(SQLModel, table=True):
    """One append-only audit record: who did what to which object, when, in which unit."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_object", "object_type", "object_id"),
        Index("ix_audit_log_unit_time", "unit_id", "occurred_at"),
        Index("ix_audit_log_occurred_at", "occurred_at"),
    )

    id: int | None = Field(
        default=None, sa_column=Column(BigInteger, Identity(always=True), primary_key=True)
    )
    occurred_at: datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    actor_id: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    actor_type: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    unit_id: UUID | None = Field(default=None, sa_column=Column(PG_UUID(as_uuid=True)))
    action: str = Field(sa_column=Column(Text, nullable=False))
    object_type: str = Field(sa_column=Column(Text, nullable=False))
    object_id: str = Field(sa_column=Column(Text, nullable=False))
    request_id: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    details: dict[str, Any] = Field(
        default_factory=dict,
        sa_column=Column(JSONB, nullable=False, server_default="{}"),
    )


IDEMPOTENCY_TABLE = SQLModel.metadata.tables["idempotency_keys"]
AUDIT_TABLE = SQLModel.metadata.tables["audit_log"]
KIT_TABLES = (IDEMPOTENCY_TABLE, AUDIT_TABLE)
