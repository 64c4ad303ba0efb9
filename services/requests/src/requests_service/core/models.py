"""Information requests (permohonan informasi): the tables every package shares.

DOMAIN.md 8 (the procedure and the form of 8.3), 9 (the state machine and its
timers), 7 and 17 (the requester's identity, kept apart and encrypted where it
must be). State names follow DOMAIN.md 9.1.
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


class RequestState(StrEnum):
    """DOMAIN.md 9.1. `draft` has no legal effect and is never stored by the API."""

    RECEIVED = "received"
    INCOMPLETE = "incomplete"
    VERIFIED = "verified"
    IN_PROCESS = "in_process"
    FORWARDED_INTERNAL = "forwarded_internal"
    EXTENDED = "extended"
    NOTICE_SENT = "notice_sent"
    AWAITING_PAYMENT = "awaiting_payment"
    DELIVERED = "delivered"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    REJECTED_INCOMPLETE = "rejected_incomplete"


TERMINAL_STATES = frozenset(
    {RequestState.CLOSED, RequestState.WITHDRAWN, RequestState.REJECTED_INCOMPLETE}
)
# Before the written notice: the UU Pasal 22(7)/(8) clock is running.
NOTICE_PENDING_STATES = frozenset(
    {
        RequestState.RECEIVED,
        RequestState.INCOMPLETE,
        RequestState.VERIFIED,
        RequestState.IN_PROCESS,
        RequestState.FORWARDED_INTERNAL,
        RequestState.EXTENDED,
    }
)


class NoticeOutcome(StrEnum):
    """The outcome a written notice states (DOMAIN.md 9.1; UU Pasal 22(7))."""

    GRANTED_FULL = "granted_full"
    GRANTED_PARTIAL = "granted_partial"
    REFUSED = "refused"
    NOT_HELD_FORWARDED = "not_held_forwarded"
    NOT_HELD_UNKNOWN = "not_held_unknown"
    NOT_DOCUMENTED = "not_documented"


GRANTED_OUTCOMES = frozenset({NoticeOutcome.GRANTED_FULL, NoticeOutcome.GRANTED_PARTIAL})


class Channel(StrEnum):
    """How the request arrived (DOMAIN.md 8.2; UU Pasal 22(1), (3)): an enumeration plus text."""

    ONLINE = "online"
    WALK_IN = "walk_in"
    PHONE = "phone"
    LETTER = "letter"
    EMAIL = "email"
    FAX = "fax"
    OTHER = "other"  # SP4N-LAPOR!, WhatsApp, social media…: see `channel_note`


class RequesterCategory(StrEnum):
    """DOMAIN.md 7.1."""

    PERORANGAN = "perorangan"
    BADAN_HUKUM = "badan_hukum"
    KELOMPOK_ORANG = "kelompok_orang"


class AccessMethod(StrEnum):
    """Cara memperoleh informasi (DOMAIN.md 8.3, 13)."""

    VIEW = "view_read_listen_note"
    OBTAIN_COPY = "obtain_copy"


class CopyFormat(StrEnum):
    SOFTCOPY = "softcopy"
    HARDCOPY = "hardcopy"


class DeliveryMethod(StrEnum):
    """Cara mendapatkan salinan (DOMAIN.md 8.3, 13), with the local extensions."""

    PICKUP = "pickup"
    COURIER = "courier"
    POST = "post"
    FAX = "fax"
    EMAIL = "email"
    DOWNLOAD = "download"
    WHATSAPP = "whatsapp"


class InformationRequest(Timestamps, table=True):
    """One request, from receipt to its end, with the legal clock stored as computed.

    Deadlines are dates in the root's time zone; each ends at the end of that day
    (DOMAIN.md 14.2). `calendar_version` is the root's calendar version they were
    computed with: a calendar change never moves them silently (DOMAIN.md 14.3).
    """

    __tablename__ = "information_requests"
    __table_args__ = (
        sa.UniqueConstraint("registration_number", name="uq_information_requests_number"),
        sa.UniqueConstraint("root_id", "year", "seq", name="uq_information_requests_root_year_seq"),
        sa.CheckConstraint(values_in("state", RequestState), name="ck_information_requests_state"),
        sa.CheckConstraint(values_in("channel", Channel), name="ck_information_requests_channel"),
        sa.CheckConstraint(
            values_in("requester_category", RequesterCategory),
            name="ck_information_requests_category",
        ),
        sa.CheckConstraint(
            values_in("access_method", AccessMethod), name="ck_information_requests_access"
        ),
        sa.CheckConstraint(
            values_in("delivery_method", DeliveryMethod), name="ck_information_requests_delivery"
        ),
        sa.CheckConstraint(
            f"copy_format IS NULL OR {values_in('copy_format', CopyFormat)}",
            name="ck_information_requests_copy_format",
        ),
        sa.CheckConstraint(
            f"notice_outcome IS NULL OR {values_in('notice_outcome', NoticeOutcome)}",
            name="ck_information_requests_outcome",
        ),
        # UU Pasal 22(8): one extension, with its written reason.
        sa.CheckConstraint(
            "(extended_due IS NULL) = (extension_reason IS NULL)",
            name="ck_information_requests_extension",
        ),
        # The officials' list: keyset (received_at, id) within a unit, and by state.
        sa.Index("ix_information_requests_unit_received", "unit_id", "received_at", "id"),
        sa.Index("ix_information_requests_root_received", "root_id", "received_at", "id"),
        sa.Index("ix_information_requests_state", "state"),
        sa.Index("ix_information_requests_requester", "requester_account_id", "received_at"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    # Units live in auth's database: no foreign keys across services (ARCHITECTURE.md).
    root_id: uuid.UUID = Field(description="The badan publik.")
    target_unit_id: uuid.UUID = Field(description="The unit the requester addressed (or root).")
    unit_id: uuid.UUID = Field(description="The unit handling it now (changes on dispose).")
    year: int
    seq: int = Field(description="Gap-free per root and year (DOMAIN.md 8.6).")
    registration_number: str = Field(max_length=128)
    channel: Channel = Field(sa_type=enum_type(Channel))
    channel_note: str | None = Field(default=None, max_length=255)
    requester_account_id: uuid.UUID | None = Field(
        default=None, description="The requester's account (auth `sub`), when signed in."
    )
    entered_by: uuid.UUID | None = Field(
        default=None, description="The official who registered a walk-in/phone/letter request."
    )
    client_id: str | None = Field(
        default=None,
        max_length=64,
        description="The API client it came through (token `client_id`): its webhooks.",
    )
    requester_category: RequesterCategory = Field(sa_type=enum_type(RequesterCategory))
    information_requested: str = Field(sa_type=sa.Text)
    purpose: str = Field(sa_type=sa.Text)
    access_method: AccessMethod = Field(sa_type=enum_type(AccessMethod))
    copy_format: CopyFormat | None = Field(default=None, sa_type=enum_type(CopyFormat))
    delivery_method: DeliveryMethod = Field(sa_type=enum_type(DeliveryMethod))
    state: RequestState = Field(sa_type=enum_type(RequestState))
    notice_outcome: NoticeOutcome | None = Field(default=None, sa_type=enum_type(NoticeOutcome))
    # The legal clock (DOMAIN.md 9.3, 11, 14).
    received_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    receipt_date: date = Field(description="Day 0 of the count (DOMAIN.md 14.2).")
    notice_due: date = Field(description="D10: UU Pasal 22(7).")
    extended_due: date | None = Field(default=None, description="D17: UU Pasal 22(8).")
    extension_reason: str | None = Field(default=None, sa_type=sa.Text)
    promised_delivery_date: date | None = Field(default=None)
    calendar_version: int = Field(description="The root calendar version of the deadlines.")
    time_zone: str = Field(max_length=64, description="The root's zone: deadlines end there.")
    # Milestones.
    verified_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    extended_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    notice_sent_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    delivered_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    delivered_via: DeliveryMethod | None = Field(default=None, sa_type=enum_type(DeliveryMethod))
    closed_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    withdrawn_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    # Fees (DOMAIN.md 12), in rupiah; the lines are on the notice.
    fee_total: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    paid_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    payment_method: str | None = Field(default=None, max_length=64)
    payment_receipt_no: str | None = Field(default=None, max_length=128)
    # The tracking secret is shown once; only its SHA-256 is kept.
    tracking_secret_hash: str = Field(max_length=64)
    # Bumped by every change (`core.history.record_event`): the ETag and If-Match.
    version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class RequesterIdentity(CreatedAt, table=True):
    """Who asked (DOMAIN.md 8.3, 7.1): personal data, kept apart from the request.

    Never in a log, a metric, a public response, a public register or a statistic
    (DOMAIN.md 17). The NIK is AES-GCM ciphertext (key id beside it) with a keyed
    hash for lookup; it is never stored in clear.
    """

    __tablename__ = "requester_identities"

    request_id: uuid.UUID = Field(
        primary_key=True, foreign_key="information_requests.id", ondelete="CASCADE"
    )
    name: str = Field(max_length=255)
    nik_ciphertext: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    nik_key_id: str | None = Field(default=None, max_length=64)
    nik_hash: str | None = Field(default=None, max_length=64, index=True)
    legal_entity_decree_no: str | None = Field(default=None, max_length=128)
    address: str | None = Field(default=None, sa_type=sa.Text)
    phone: str | None = Field(default=None, max_length=32)
    email: str | None = Field(default=None, max_length=320)
    occupation: str | None = Field(default=None, max_length=128)
    agent_name: str | None = Field(default=None, max_length=255)
    # Set when the identity was checked (scans may then be deleted: DOMAIN.md 17).
    identity_verified_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class ActorType(StrEnum):
    REQUESTER = "requester"
    ANONYMOUS = "anonymous"
    OFFICIAL = "official"
    SYSTEM = "system"


class RequestEvent(CreatedAt, table=True):
    """The state history of a request: append-only (a trigger refuses UPDATE and DELETE).

    `note` is what the requester may read (e.g. the extension's reason); `details`
    holds non-personal facts (outcome, from/to unit…). Never personal data.
    """

    __tablename__ = "request_events"
    __table_args__ = (
        sa.UniqueConstraint("request_id", "version", name="uq_request_events_request_version"),
        sa.CheckConstraint(values_in("actor_type", ActorType), name="ck_request_events_actor"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    request_id: uuid.UUID = Field(foreign_key="information_requests.id", ondelete="CASCADE")
    version: int = Field(description="The request's version after this event.")
    action: str = Field(max_length=64)
    from_state: str | None = Field(default=None, max_length=32)
    to_state: str = Field(max_length=32)
    actor_type: ActorType = Field(sa_type=enum_type(ActorType))
    actor_role: str | None = Field(default=None, max_length=64)
    actor_id: uuid.UUID | None = Field(default=None)
    unit_id: uuid.UUID = Field(description="The handling unit at the time.")
    note: str | None = Field(default=None, sa_type=sa.Text)
    details: dict[str, Any] = Field(
        default_factory=dict,
        sa_type=JSONB,
        sa_column_kwargs={"server_default": sa.text("'{}'::jsonb")},
    )


class NumberCounter(CreatedAt, table=True):
    """Gap-free registration numbers per root, year and series (DOMAIN.md 8.6).

    The row is locked (`UPDATE … RETURNING`) until the submitting transaction ends,
    so a rolled-back submission gives its number back.
    """

    __tablename__ = "number_counters"

    root_id: uuid.UUID = Field(primary_key=True)
    year: int = Field(primary_key=True)
    series: str = Field(
        primary_key=True, max_length=8, description="`PI` requests, `KB` objections."
    )
    last: int = Field(default=0)


class RequestFileKind(StrEnum):
    """What a private file is (DOMAIN.md 8.3 attachments, 13 delivery, 17 scans)."""

    KTP_SCAN = "ktp_scan"
    DEED_SCAN = "deed_scan"
    POWER_OF_ATTORNEY = "power_of_attorney"
    SUPPORTING = "supporting"
    DELIVERED = "delivered"  # the information handed over (UU Pasal 22(7)(d))


# Identity evidence: only officials of the handling unit read it, every read audited.
IDENTITY_FILE_KINDS = frozenset(
    {RequestFileKind.KTP_SCAN, RequestFileKind.DEED_SCAN, RequestFileKind.POWER_OF_ATTORNEY}
)


class RequestFile(CreatedAt, table=True):
    """A file in the private bucket: the object is written first, the row after.

    `deleted_at` set and `storage_key` kept: the object was removed (after identity
    verification or at the end of retention) and the row stays as the record.
    """

    __tablename__ = "request_files"
    __table_args__ = (
        sa.CheckConstraint(values_in("kind", RequestFileKind), name="ck_request_files_kind"),
        sa.UniqueConstraint("storage_key", name="uq_request_files_storage_key"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    request_id: uuid.UUID = Field(
        foreign_key="information_requests.id", ondelete="CASCADE", index=True
    )
    kind: RequestFileKind = Field(sa_type=enum_type(RequestFileKind))
    filename: str = Field(max_length=255)
    content_type: str = Field(max_length=128)
    size: int = Field(sa_type=sa.BigInteger)
    sha256: str = Field(max_length=64)
    storage_key: str = Field(max_length=255)
    uploaded_by: uuid.UUID | None = Field(default=None)
    deleted_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class RequestPolicy(Timestamps, table=True):
    """Per-root rules of the request service; no row means the defaults below."""

    __tablename__ = "request_policies"

    root_id: uuid.UUID = Field(primary_key=True)
    # DOMAIN.md 8.6: {root}, {unit}, {series}, {year}, {seq} (zero-padded with {seq:05d}).
    number_format: str = Field(default="{root}/{unit}/{series}/{year}/{seq:05d}", max_length=128)
    # DOMAIN.md 9.3: the delivery deadline is the notice deadline unless the notice says more.
    delivery_sla_equals_notice: bool = Field(default=True)
    # DOMAIN.md 17: KTP scans are optional per root and kept only until verification.
    require_identity_scan: bool = Field(default=False)
    scan_retention_days: int = Field(default=30)
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
