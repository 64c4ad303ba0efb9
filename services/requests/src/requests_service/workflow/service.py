"""The actions of the state machine (DOMAIN.md 9.2), except the notice (`notices.py`).

Each checks the state first (409), then the body's facts (422), and only then writes:
through `core.history.record_event`, the one writer of state, history, audit and
notification. The caller has locked the request and checked the actor's role.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from ppid_kit.access import Actor
from ppid_kit.problems import VALIDATION, FieldError, ProblemError, Text
from ppid_kit.storage import ObjectStore
from ppid_kit.unit_tree import UnitTree
from sqlalchemy.ext.asyncio import AsyncSession

from requests_service.calendar.clock import EXTENSION_WORKING_DAYS
from requests_service.calendar.service import load_calendar
from requests_service.core import repository
from requests_service.core.history import record_event
from requests_service.core.models import (
    GRANTED_OUTCOMES,
    ActorType,
    DeliveryMethod,
    InformationRequest,
    RequestFileKind,
)
from requests_service.core.views import end_of_day
from requests_service.files import service as files_service
from requests_service.texts import rupiah
from requests_service.workflow.models import PaymentMethod
from requests_service.workflow.rules import (
    ALREADY_EXTENDED,
    ALREADY_PAID,
    D10_ENDED,
    NOT_GRANTED,
    NOT_PAID,
    Action,
    check,
    event_name,
    invalid,
)
from requests_service.workflow.schemas import DeliveryBody, DisposeBody, PaymentBody

OFFICIAL = ActorType.OFFICIAL
# Delivered over the network: the information itself must be attached.
ELECTRONIC = frozenset({DeliveryMethod.EMAIL, DeliveryMethod.DOWNLOAD, DeliveryMethod.WHATSAPP})

_BAD_UNIT = Text(
    "Disposisi hanya ke unit aktif lain pada badan publik yang sama.",
    "A disposition goes to another active unit of the same public body.",
)
_RECEIPT_REQUIRED = Text(
    "Nomor kuitansi atau bukti transfer wajib diisi.",
    "The receipt or transfer reference number is required.",
)
_WAIVER_REASON = Text(
    "Sebutkan alasan pembebasan biaya (note).", "State why the fees are waived (note)."
)
_FILES_REQUIRED = Text(
    "Penyampaian elektronik memerlukan sedikitnya satu berkas informasi yang diserahkan.",
    "An electronic delivery needs at least one delivered file.",
)
_UNKNOWN_FILES = Text(
    "Berkas tidak ditemukan di antara berkas informasi yang diserahkan untuk permohonan ini.",
    "Not among the delivered-information files of this request.",
)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _invalid_fields(*errors: FieldError) -> ProblemError:
    return ProblemError(VALIDATION, errors[0].message, errors=list(errors))


async def _record(
    session: AsyncSession,
    request: InformationRequest,
    action: Action,
    actor: Actor,
    *,
    note: str | None = None,
    details: Mapping[str, object] | None = None,
) -> None:
    target = check(action, request.state).target
    await record_event(
        session,
        request,
        action=event_name(action, request.state),
        to_state=target,
        actor=actor,
        actor_type=OFFICIAL,
        note=note,
        details=dict(details or {}),
    )


async def verify(
    session: AsyncSession,
    request: InformationRequest,
    actor: Actor,
    note: str | None,
    store: ObjectStore | None,
) -> None:
    """Identity and completeness checked; the identity scans are no longer needed (17)."""
    check(Action.VERIFY, request.state)
    at = now()
    request.verified_at = at
    identity = await repository.identity(session, request.id)
    if identity is not None:
        identity.identity_verified_at = at
        session.add(identity)
    await _record(session, request, Action.VERIFY, actor, note=note)
    if store is not None:  # None until the files package wires its store
        await files_service.discard_identity_scans(session, store, request, actor)


async def simple(
    session: AsyncSession,
    request: InformationRequest,
    action: Action,
    actor: Actor,
    note: str | None,
) -> None:
    """mark-incomplete, reject-incomplete, assign: a state change with a note."""
    check(action, request.state)
    await _record(session, request, action, actor, note=note)


async def dispose(
    session: AsyncSession,
    request: InformationRequest,
    actor: Actor,
    body: DisposeBody,
    tree: UnitTree,
) -> None:
    """Internal disposition: another unit handles it; the legal clock runs on (2.2)."""
    check(Action.DISPOSE, request.state)
    target = body.unit_id
    if (
        target == request.unit_id
        or target not in tree
        or tree.root_of(target) != request.root_id
        or not tree.active(target)
    ):
        raise _invalid_fields(FieldError("unit_id", _BAD_UNIT))
    details = {"from_unit_id": str(request.unit_id), "to_unit_id": str(target)}
    request.unit_id = target
    await _record(session, request, Action.DISPOSE, actor, note=body.reason, details=details)


async def extend(
    session: AsyncSession, request: InformationRequest, actor: Actor, reason: str
) -> None:
    """UU Pasal 22(8): once, before D10 has ended, by 7 working days, with a written reason."""
    if request.extended_due is not None:
        raise invalid(Action.EXTEND, request.state, ALREADY_EXTENDED)
    check(Action.EXTEND, request.state)
    at = now()
    if at >= end_of_day(request.notice_due, request.time_zone):
        raise invalid(Action.EXTEND, request.state, D10_ENDED)
    calendar = await load_calendar(session, request.root_id, time_zone=request.time_zone)
    request.extended_due = calendar.add_working_days(request.notice_due, EXTENSION_WORKING_DAYS)
    request.extension_reason = reason
    request.extended_at = at
    details = {
        "extended_due": request.extended_due.isoformat(),
        "calendar_version": calendar.version,
    }
    await _record(session, request, Action.EXTEND, actor, note=reason, details=details)


async def record_payment(
    session: AsyncSession, request: InformationRequest, actor: Actor, body: PaymentBody
) -> None:
    """The fees are paid (or waived): `paid_at`; the request then awaits delivery."""
    check(Action.RECORD_PAYMENT, request.state)
    if request.paid_at is not None:
        raise invalid(Action.RECORD_PAYMENT, request.state, ALREADY_PAID)
    errors: list[FieldError] = []
    if body.method is PaymentMethod.WAIVED:
        if body.note is None:
            errors.append(FieldError("note", _WAIVER_REASON))
    else:
        if body.receipt_no is None:
            errors.append(FieldError("receipt_no", _RECEIPT_REQUIRED))
        if body.amount != request.fee_total:
            total = rupiah(request.fee_total)
            errors.append(
                FieldError(
                    "amount",
                    Text(
                        f"Jumlah harus sama dengan total biaya dalam pemberitahuan ({total}).",
                        f"The amount must equal the total stated in the notice ({total}).",
                    ),
                )
            )
    if errors:
        raise _invalid_fields(*errors)
    amount = 0 if body.method is PaymentMethod.WAIVED else body.amount
    request.paid_at = now()
    request.payment_method = body.method.value
    request.payment_receipt_no = body.receipt_no
    details = {"method": body.method.value, "amount": amount, "receipt_no": body.receipt_no}
    await _record(session, request, Action.RECORD_PAYMENT, actor, note=body.note, details=details)


async def deliver(
    session: AsyncSession, request: InformationRequest, actor: Actor, body: DeliveryBody
) -> None:
    """The information handed over, with its proof (DOMAIN.md 8.2, 13)."""
    check(Action.DELIVER, request.state)
    if request.notice_outcome not in GRANTED_OUTCOMES:
        raise invalid(Action.DELIVER, request.state, NOT_GRANTED)
    if request.fee_total > 0 and request.paid_at is None:
        raise invalid(Action.DELIVER, request.state, NOT_PAID)
    delivered = await repository.files(session, request.id, frozenset({RequestFileKind.DELIVERED}))
    known = {file.id for file in delivered}
    file_ids = list(dict.fromkeys(body.file_ids))
    if any(file_id not in known for file_id in file_ids):
        raise _invalid_fields(FieldError("file_ids", _UNKNOWN_FILES))
    if body.method in ELECTRONIC and not file_ids:
        raise _invalid_fields(FieldError("file_ids", _FILES_REQUIRED))
    request.delivered_at = now()
    request.delivered_via = body.method
    details = {"method": body.method.value, "file_ids": [str(i) for i in file_ids]}
    await _record(
        session, request, Action.DELIVER, actor, note=body.acknowledgement, details=details
    )


async def close(
    session: AsyncSession, request: InformationRequest, actor: Actor, note: str | None
) -> None:
    check(Action.CLOSE, request.state)
    request.closed_at = now()
    await _record(session, request, Action.CLOSE, actor, note=note)


async def withdraw(
    session: AsyncSession,
    request: InformationRequest,
    actor: Actor | None,
    actor_type: ActorType,
    reason: str | None,
) -> None:
    """Any non-terminal request, by its requester or an official recording a written one."""
    target = check(Action.WITHDRAW, request.state).target
    request.withdrawn_at = now()
    await record_event(
        session,
        request,
        action=Action.WITHDRAW.value,
        to_state=target,
        actor=actor,
        actor_type=actor_type,
        note=reason,
        details={"by": actor_type.value},
    )
