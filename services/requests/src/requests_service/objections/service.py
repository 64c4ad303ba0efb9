"""Filing an objection and moving it through DOMAIN.md 10.7.

Filing (`file_objection`) runs every check first (the grounds against the request, UU
Pasal 35(1); a withdrawn request 409) and then writes in one transaction: the root's
calendar gives the receipt date (DOMAIN.md 14.2), D30 of the response (UU Pasal 36(2))
and the soft filing window (UU Pasal 36(1)), the number comes from the root's `KB`
counter (gap-free), the objector's identity goes to its own table, and
`record_objection_event` writes the `file` event, the audit, the webhook and the emails.
Each later step checks the state (409) and the body (422) before its one event.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from ppid_kit.access import Actor
from ppid_kit.problems import FieldError, Lang, Text
from ppid_kit.unit_tree import UnitTree
from sqlalchemy.ext.asyncio import AsyncSession

from requests_service.core import repository as requests_repository
from requests_service.core.access import hash_secret
from requests_service.core.models import (
    ActorType,
    Channel,
    InformationRequest,
    RequestState,
)
from requests_service.intake import service as intake
from requests_service.objections.access import Filer
from requests_service.objections.history import record_objection_event
from requests_service.objections.models import (
    CONSULTABLE_REASONS,
    Objection,
    ObjectionDecision,
    ObjectionReason,
    ObjectionState,
    ObjectorIdentity,
    RequesterReaction,
)
from requests_service.objections.rules import (
    FILING_WINDOW_PASSED,
    REQUIRED,
    check_against_request,
    check_filing_shape,
    check_state,
    discovery_date,
    fields_invalid,
    invalid,
)
from requests_service.objections.schemas import DecideBody, ObjectionFiling
from requests_service.settings import RequestsSettings
from requests_service.texts import tanggal

OBJECTION_SERIES = "KB"  # keberatan
RESPONSE_SERIES = "TK"  # tanggapan atas keberatan
FILING_WORKING_DAYS = 30  # UU Pasal 36(1)
RESPONSE_WORKING_DAYS = 30  # UU Pasal 36(2)
DISPUTE_WORKING_DAYS = 14  # UU Pasal 37(2)
_SECRET_DOMAIN = b"objection-tracking:"  # apart from the requests' secrets

_UNKNOWN_UNIT = Text("Unit tidak dikenal atau tidak aktif.", "Unknown or inactive unit.")
_NO_OBJECTOR = Text(
    "Identitas pengaju keberatan wajib diisi.", "The objector's identity is required."
)
_NOT_CONSULTABLE = Text(
    "Musyawarah hanya untuk alasan b sampai g (UU 14/2008 Pasal 35 ayat (2)).",
    "Consultation is only for reasons b to g (UU 14/2008 Pasal 35(2)).",
)
_CONSULTATION_ONLY = Text(
    "Penyelesaian secara musyawarah hanya dari keadaan musyawarah.",
    "Settlement by consultation only from the musyawarah state.",
)
_REACTION_TWICE = Text(
    "Tanggapan pemohon sudah tercatat.", "The requester's reaction is already recorded."
)


@dataclass(frozen=True)
class ObjectionWarning:
    """Something the filer should know; the objection is recorded all the same."""

    code: str
    message: Text

    def shown(self, lang: Lang) -> dict[str, str]:
        return {"code": self.code, "message": self.message.get(lang)}


@dataclass(frozen=True)
class FiledObjection:
    objection: Objection
    tracking_secret: str
    warnings: list[ObjectionWarning] = field(default_factory=list)


def tracking_secret(settings: RequestsSettings, objection_id: uuid.UUID) -> str:
    """The objection's secret: the requests' derivation (`intake.service.tracking_secret`)
    under its own domain, so it never equals a request's secret."""
    return intake.tracking_secret(settings, objection_id, _SECRET_DOMAIN)


def _unit_of(
    body: ObjectionFiling, request: InformationRequest | None, tree: UnitTree
) -> uuid.UUID:
    if request is not None:
        return request.unit_id
    unit_id = body.unit_id
    if unit_id is None or unit_id not in tree or not tree.is_active(unit_id):
        raise fields_invalid([FieldError("unit_id", _UNKNOWN_UNIT)])
    return unit_id


async def _objector(
    session: AsyncSession,
    objection_id: uuid.UUID,
    body: ObjectionFiling,
    request: InformationRequest | None,
) -> ObjectorIdentity:
    """The form's objector, else the request's requester (they file on their own request)."""
    if body.objector is not None:
        person = body.objector
        identity = ObjectorIdentity(
            objection_id=objection_id,
            name=person.name,
            address=person.address,
            occupation=person.occupation,
            phone=person.phone,
            email=person.email,
        )
    else:
        found = None if request is None else await requests_repository.identity(session, request.id)
        if found is None:
            raise fields_invalid([FieldError("objector", _NO_OBJECTOR)])
        identity = ObjectorIdentity(
            objection_id=objection_id,
            name=found.name,
            address=found.address,
            occupation=found.occupation,
            phone=found.phone,
            email=found.email,
        )
    if body.agent is not None:  # SLIP Pasal 40: the power of attorney is uploaded as a file
        identity.agent_name = body.agent.name
        identity.agent_address = body.agent.address
        identity.agent_occupation = body.agent.occupation
        identity.agent_phone = body.agent.phone
    return identity


def _late_warning(filing_due: dt.date) -> ObjectionWarning:
    day = filing_due.isoformat()
    return ObjectionWarning(
        FILING_WINDOW_PASSED,
        Text(
            "Keberatan diajukan setelah lewat 30 hari kerja sejak alasan keberatan diketahui "
            f"(batas {tanggal(filing_due)}; UU 14/2008 Pasal 36 ayat (1)). Keberatan tetap "
            "dicatat; Atasan PPID yang menilai.",
            "Filed more than 30 working days after the reason was found (deadline "
            f"{day}; UU 14/2008 Pasal 36(1)). It is recorded; the Atasan PPID judges it.",
        ),
    )


async def file_objection(
    session: AsyncSession,
    tree: UnitTree,
    body: ObjectionFiling,
    filer: Filer,
    settings: RequestsSettings,
    *,
    now: dt.datetime,
    request: InformationRequest | None = None,
) -> FiledObjection:
    """Register an objection as `filed` (the caller resolved `filer` and loaded `request`,
    locked, when `body.request_id` is set). Every check before the first write."""
    reasons = check_filing_shape(body, filer, now)
    if body.request_id is None:
        request = None  # reason (b) alone: the form names the unit
    else:
        if request is None or request.id != body.request_id:
            request = await requests_repository.get_request(
                session, body.request_id, for_update=True
            )
        check_against_request(reasons, request, now)
    unit_id = _unit_of(body, request, tree)
    objection_id = uuid.uuid4()
    identity = await _objector(session, objection_id, body, request)
    discovered = discovery_date(body.reason_discovered_on, reasons, request)
    root_id = tree.root_of(unit_id)
    calendar = await intake.root_calendar(session, tree, root_id)
    received_at = body.received_at if filer.is_official and body.received_at else now
    receipt_date = calendar.receipt_date(received_at)
    filing_due = calendar.add_working_days(discovered, FILING_WORKING_DAYS)
    year = calendar.local(received_at).year
    seq, number = await intake.registration_number(
        session, tree, root_id, unit_id, year, OBJECTION_SERIES
    )
    secret = tracking_secret(settings, objection_id)
    objection = Objection(
        id=objection_id,
        root_id=root_id,
        unit_id=unit_id,
        request_id=None if request is None else request.id,
        year=year,
        seq=seq,
        objection_number=number,
        channel=(body.channel or Channel.WALK_IN) if filer.is_official else Channel.ONLINE,
        requester_account_id=filer.account_id,
        entered_by=filer.actor.user_id if filer.is_official and filer.actor else None,
        client_id=filer.client_id,
        by_agent=body.agent is not None,
        reasons=reasons,
        purpose=body.purpose,
        case_position=body.case_position,
        reason_discovered_on=discovered,
        filing_due=filing_due,
        filed_late=receipt_date > filing_due,
        received_at=received_at,
        receipt_date=receipt_date,
        response_due=calendar.add_working_days(receipt_date, RESPONSE_WORKING_DAYS),
        calendar_version=calendar.version,
        time_zone=calendar.time_zone,
        state=ObjectionState.FILED,
        tracking_secret_hash=hash_secret(secret),
        version=0,
    )
    session.add(objection)
    await session.flush()
    session.add(identity)
    await session.flush()
    await record_objection_event(
        session,
        objection,
        action="file",
        to_state=ObjectionState.FILED,
        actor=filer.actor,
        actor_type=filer.actor_type,
        details={
            "objection_number": number,
            "channel": str(objection.channel),
            "reasons": reasons,
            "filed_late": objection.filed_late,
        },
    )
    await session.refresh(objection)
    warnings = [_late_warning(filing_due)] if objection.filed_late else []
    return FiledObjection(objection, secret, warnings)


async def forward(
    session: AsyncSession, objection: Objection, actor: Actor, note: str | None, now: dt.datetime
) -> None:
    """filed → with_atasan: the objection goes to the Atasan PPID (SLIP Pasal 39(2))."""
    check_state("forward", ObjectionState(objection.state))
    objection.forwarded_at = now
    await record_objection_event(
        session,
        objection,
        action="forward",
        to_state=ObjectionState.WITH_ATASAN,
        actor=actor,
        actor_type=ActorType.OFFICIAL,
        note=note,
    )


async def consultation(
    session: AsyncSession, objection: Objection, actor: Actor, note: str | None, now: dt.datetime
) -> None:
    """with_atasan → musyawarah, only when every ground is b-g (UU Pasal 35(2))."""
    check_state("consultation", ObjectionState(objection.state))
    if not {ObjectionReason(code) for code in objection.reasons} <= CONSULTABLE_REASONS:
        raise invalid(_NOT_CONSULTABLE)
    objection.consultation_at = now
    await record_objection_event(
        session,
        objection,
        action="consultation",
        to_state=ObjectionState.MUSYAWARAH,
        actor=actor,
        actor_type=ActorType.OFFICIAL,
        note=note,
    )


def _decision_errors(body: DecideBody, response_date: dt.date) -> list[FieldError]:
    errors: list[FieldError] = []
    if body.decision is ObjectionDecision.UPHELD_PPID and body.decision_reasons is None:
        # UU Pasal 36(3): upholding the PPID needs written reasons.
        errors.append(FieldError("decision_reasons", REQUIRED))
    if body.decision is ObjectionDecision.UPHELD_REQUESTER:
        if body.order_text is None:
            errors.append(FieldError("order_text", REQUIRED))
        if (body.order_due is None) == (body.order_working_days is None):
            text = Text(
                "Isi salah satu: order_due atau order_working_days.",
                "Give exactly one of order_due and order_working_days.",
            )
            errors.append(FieldError("order_due", text))
        elif body.order_due is not None and body.order_due < response_date:
            text = Text(
                "Tidak boleh sebelum tanggal tanggapan.", "Must not be before the response date."
            )
            errors.append(FieldError("order_due", text))
    elif body.order_text or body.order_due or body.order_working_days:
        text = Text(
            "Perintah hanya bila keberatan diterima.",
            "An order goes only with `upheld_requester`.",
        )
        errors.append(FieldError("order_text", text))
    return errors


_DECIDED_STATE = {
    ObjectionDecision.UPHELD_REQUESTER: ObjectionState.DECIDED_UPHELD_REQUESTER,
    ObjectionDecision.UPHELD_PPID: ObjectionState.DECIDED_UPHELD_PPID,
    ObjectionDecision.SETTLED_BY_CONSULTATION: ObjectionState.SETTLED,
}


async def decide(
    session: AsyncSession,
    tree: UnitTree,
    objection: Objection,
    actor: Actor,
    body: DecideBody,
    now: dt.datetime,
) -> None:
    """The Atasan's written response (DOMAIN.md 10.6): numbered (`TK`), dated today in the
    root's zone, with the KI deadline response_date + 14 WD (UU Pasal 37(2))."""
    state = ObjectionState(objection.state)
    check_state("decide", state)
    settling = body.decision is ObjectionDecision.SETTLED_BY_CONSULTATION
    if settling and state is not ObjectionState.MUSYAWARAH:
        raise invalid(_CONSULTATION_ONLY)
    calendar = await intake.root_calendar(session, tree, objection.root_id)
    response_date = calendar.local(now).date()
    errors = _decision_errors(body, response_date)
    if errors:
        raise fields_invalid(errors)
    _, number = await intake.registration_number(
        session, tree, objection.root_id, objection.unit_id, response_date.year, RESPONSE_SERIES
    )
    objection.decision = body.decision
    objection.decided_at = now
    objection.decided_by = actor.user_id
    objection.response_number = number
    objection.response_date = response_date
    objection.objection_summary = body.objection_summary
    objection.decision_reasons = body.decision_reasons
    objection.atasan_name = body.atasan_name
    objection.atasan_position = body.atasan_position
    if body.decision is ObjectionDecision.UPHELD_REQUESTER:
        objection.order_text = body.order_text
        objection.order_due = body.order_due or calendar.add_working_days(
            response_date, body.order_working_days or 0
        )
    if settling:
        objection.settled_at = now
    else:
        objection.dispute_due = calendar.add_working_days(response_date, DISPUTE_WORKING_DAYS)
    await record_objection_event(
        session,
        objection,
        action="decide",
        to_state=_DECIDED_STATE[body.decision],
        actor=actor,
        actor_type=ActorType.OFFICIAL,
        details={"decision": str(body.decision), "response_number": number},
    )


async def execute_order(
    session: AsyncSession, objection: Objection, actor: Actor, note: str, now: dt.datetime
) -> None:
    """decided_upheld_requester → order_executed: what the PPID did (DOMAIN.md 10.7)."""
    check_state("execute-order", ObjectionState(objection.state))
    details: dict[str, object] = {}
    if objection.request_id is not None:
        request = await session.get(InformationRequest, objection.request_id)
        delivered = request is not None and request.delivered_at is not None
        details["request_delivered"] = delivered
        details["request_state"] = None if request is None else str(RequestState(request.state))
    objection.order_executed_at = now
    objection.order_execution_note = note
    await record_objection_event(
        session,
        objection,
        action="execute-order",
        to_state=ObjectionState.ORDER_EXECUTED,
        actor=actor,
        actor_type=ActorType.OFFICIAL,
        note=note,
        details=details,
    )


async def react(
    session: AsyncSession,
    objection: Objection,
    actor: Actor | None,
    actor_type: ActorType,
    reaction: RequesterReaction,
    note: str | None,
    now: dt.datetime,
) -> None:
    """The requester's reaction (register column 11): satisfied → settled; not satisfied
    is recorded and the state kept (the dispute route escalates it)."""
    state = ObjectionState(objection.state)
    check_state("reaction", state)
    if objection.requester_reaction is RequesterReaction.NOT_SATISFIED and (
        reaction is RequesterReaction.NOT_SATISFIED
    ):
        raise invalid(_REACTION_TWICE)
    objection.requester_reaction = reaction
    target = state
    if reaction is RequesterReaction.SATISFIED:
        target = ObjectionState.SETTLED
        objection.settled_at = now
    await record_objection_event(
        session,
        objection,
        action="reaction",
        to_state=target,
        actor=actor,
        actor_type=actor_type,
        note=note,
        details={"reaction": str(reaction)},
    )


async def withdraw(
    session: AsyncSession,
    objection: Objection,
    actor: Actor | None,
    actor_type: ActorType,
    note: str | None,
    now: dt.datetime,
) -> None:
    """Any state that is not final → withdrawn."""
    check_state("withdraw", ObjectionState(objection.state))
    objection.withdrawn_at = now
    await record_objection_event(
        session,
        objection,
        action="withdraw",
        to_state=ObjectionState.WITHDRAWN,
        actor=actor,
        actor_type=actor_type,
        note=note,
    )
