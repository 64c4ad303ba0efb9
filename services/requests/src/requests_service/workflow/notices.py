"""Issuing the written notice (UU Pasal 22(7); DOMAIN.md 8.4) and the refusal decree (8.5).

Everything is checked before anything is written: the state (409), the content the
outcome demands (422), the fee lines against the schedule in force (422), and for a
refusal the consequence test in the registry (422 unknown / another root's / another
ground; 503 when the registry cannot be reached). Then, in one transaction: the notice,
the decree with its gap-free number, the request's fields and the events. A refusal
or a "not held/not documented" notice ends the request (a system `close` event);
granted information with fees awaits payment (a system `await-payment` event).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ppid_kit.access import Actor
from ppid_kit.problems import VALIDATION, FieldError, ProblemError, Text
from ppid_kit.unit_tree import UnitTree
from sqlalchemy.ext.asyncio import AsyncSession

from requests_service.calendar.clock import WorkCalendar
from requests_service.calendar.service import load_calendar
from requests_service.core.history import record_event
from requests_service.core.models import (
    GRANTED_OUTCOMES,
    ActorType,
    InformationRequest,
    NoticeOutcome,
    RequestPolicy,
    RequestState,
)
from requests_service.core.views import effective_notice_due
from requests_service.workflow import fees
from requests_service.workflow.consequence import DikEntry, RegistryClient, require_test
from requests_service.workflow.models import Holder, RefusalDecree, RequestNotice
from requests_service.workflow.numbers import decree_number
from requests_service.workflow.rules import AWAIT_PAYMENT, OBJECTION_WORKING_DAYS, Action, check
from requests_service.workflow.schemas import FeeLine, NoticeBody
from requests_service.workflow.texts import (
    DEFAULT_PAYMENT,
    GROUND_TEXT,
    OUTCOME_TEXT,
    ROLE_TEXT,
    place_of,
)

_REQUIRED = Text("Wajib diisi untuk hasil pemberitahuan ini.", "Required for this outcome.")
_REDACTION = Text(
    "Jelaskan bagian yang dihitamkan dan alasannya (UU 14/2008 Pasal 22 ayat 7 huruf e).",
    "Explain the blacked-out parts and why (UU 14/2008 Article 22(7)(e)).",
)
_HOLDER = Text(
    "Sebutkan badan publik yang menguasai informasi (UU 14/2008 Pasal 22 ayat 7 huruf b).",
    "Name the public body that holds the information (UU 14/2008 Article 22(7)(b)).",
)
_GROUND = Text(
    "Penolakan wajib menyebut dasar pengecualian Pasal 17 UU 14/2008 (huruf a-j).",
    "A refusal must cite an exemption ground of UU 14/2008 Article 17 (letter a-j).",
)
_TEST = Text(
    "Penolakan wajib didasarkan pada uji konsekuensi (UU 14/2008 Pasal 2 ayat 4 dan Pasal 19).",
    "A refusal must rest on a consequence test (UU 14/2008 Article 2(4) and Article 19).",
)
_NO_FEES = Text(
    "Biaya hanya dikenakan bila informasi diberikan.", "Fees apply only when information is given."
)
_FORMS = Text(
    "Sebutkan bentuk informasi yang tersedia (softcopy/hardcopy).",
    "State the forms available (softcopy/hardcopy).",
)
_WITHIN = Text(
    "Kebijakan badan publik ini mewajibkan waktu penyediaan dinyatakan dalam hari kerja.",
    "This public body's policy requires the time to provide, in working days.",
)


@dataclass(frozen=True)
class Context:
    """What issuing needs beyond the database: the unit tree and the registry."""

    tree: UnitTree
    registry: RegistryClient
    authorization: str | None


def _content_errors(body: NoticeBody) -> list[FieldError]:
    """What the outcome demands of the notice (UU Pasal 22(7); DOMAIN.md 8.4/8.5)."""
    errors: list[FieldError] = []
    granted = body.outcome in GRANTED_OUTCOMES
    if granted and not body.available_forms:
        errors.append(FieldError("available_forms", _FORMS))
    if granted and body.holder is Holder.OTHER_BODY and body.holder_body is None:
        errors.append(FieldError("holder_body", _HOLDER))
    if body.outcome is NoticeOutcome.GRANTED_PARTIAL and body.redaction_note is None:
        errors.append(FieldError("redaction_note", _REDACTION))
    if body.outcome is NoticeOutcome.NOT_HELD_FORWARDED and body.holder_body is None:
        errors.append(FieldError("holder_body", _HOLDER))
    if body.outcome is NoticeOutcome.REFUSED:
        if body.ground is None:
            errors.append(FieldError("ground", _GROUND))
        if body.consequence_test_id is None:
            errors.append(FieldError("consequence_test_id", _TEST))
    if not granted and body.fee_lines:
        errors.append(FieldError("fee_lines", _NO_FEES))
    return errors


def _delivery_time(
    request: InformationRequest,
    body: NoticeBody,
    policy: RequestPolicy | None,
    calendar: WorkCalendar,
    today: dt.date,
) -> tuple[int | None, dt.date | None]:
    """(working days to provide, promised delivery date) of granted information (9.3)."""
    if body.outcome not in GRANTED_OUTCOMES:
        return body.provide_within_working_days, None
    if body.provide_within_working_days is not None:
        days = body.provide_within_working_days
        return days, calendar.add_working_days(today, days)
    if policy is not None and not policy.delivery_sla_equals_notice:
        raise ProblemError(
            VALIDATION, _WITHIN, errors=[FieldError("provide_within_working_days", _WITHIN)]
        )
    # The delivery SLA is the notice deadline; a late notice promises no earlier than today.
    promised = max(effective_notice_due(request), today)
    return calendar.working_days_between(today, promised), promised


def _names(tree: UnitTree, request: InformationRequest, actor: Actor) -> tuple[str, str]:
    """(issuer, signatory) as printed: the body's PPID and the signing PPID's office."""
    root = tree.nodes.get(request.root_id)
    unit = tree.nodes.get(request.unit_id)
    root_name = root.name if root is not None and root.name else "Badan Publik"
    office = ROLE_TEXT.get(actor.role, "PPID")
    where = root_name if actor.role == "ppid_utama" or unit is None or not unit.name else unit.name
    return f"PPID {root_name}", f"{office} {where}"


async def issue_notice(
    session: AsyncSession,
    request: InformationRequest,
    actor: Actor,
    body: NoticeBody,
    context: Context,
) -> None:
    check(Action.ISSUE_NOTICE, request.state)
    at = dt.datetime.now(dt.UTC)
    today = at.astimezone(ZoneInfo(request.time_zone)).date()
    errors = _content_errors(body)
    lines: list[FeeLine] = []
    if body.outcome in GRANTED_OUTCOMES:
        lines, line_errors = await fees.price_lines(session, request.root_id, body.fee_lines, today)
        errors += line_errors
    if errors:
        raise ProblemError(VALIDATION, errors[0].message, errors=errors)
    policy = await session.get(RequestPolicy, request.root_id)
    calendar = await load_calendar(session, request.root_id, time_zone=request.time_zone)
    within, promised = _delivery_time(request, body, policy, calendar, today)
    entry = None
    if body.outcome is NoticeOutcome.REFUSED:
        assert body.ground is not None
        assert body.consequence_test_id is not None
        entry = await require_test(
            context.registry,
            body.consequence_test_id,
            root_id=request.root_id,
            ground=body.ground.value,
            authorization=context.authorization,
        )
    # Every check passed: write.
    notice = _notice(request, actor, body, context.tree, lines, within, promised, at)
    session.add(notice)
    await session.flush()
    decree = None
    if entry is not None:
        decree = await _decree(session, request, body, entry, policy, calendar, context.tree, today)
    request.notice_sent_at = at
    request.notice_outcome = body.outcome
    request.fee_total = notice.fee_total
    request.promised_delivery_date = promised
    await _record(session, request, actor, notice, decree, at)


def _notice(
    request: InformationRequest,
    actor: Actor,
    body: NoticeBody,
    tree: UnitTree,
    lines: list[FeeLine],
    within: int | None,
    promised: dt.date | None,
    at: dt.datetime,
) -> RequestNotice:
    granted = body.outcome in GRANTED_OUTCOMES
    issuer, signatory = _names(tree, request, actor)
    if body.signatory_name:
        signatory += f"\n\n\n{body.signatory_name}"
    total = sum(line.amount for line in lines)
    keeps_holder = body.outcome is NoticeOutcome.NOT_HELD_FORWARDED or (
        granted and body.holder is Holder.OTHER_BODY
    )
    return RequestNotice(
        request_id=request.id,
        outcome=body.outcome,
        holder=body.holder if granted else None,
        holder_body=body.holder_body if keeps_holder else None,
        material=(body.material or request.information_requested) if granted else None,
        available_forms=[form.value for form in body.available_forms] if granted else [],
        delivery_method=(body.delivery_method or request.delivery_method) if granted else None,
        fee_lines=[line.model_dump(mode="json") for line in lines],
        fee_total=total,
        payment_instructions=(body.payment_instructions or DEFAULT_PAYMENT) if total else None,
        provide_within_working_days=within,
        promised_delivery_date=promised,
        redaction_note=body.redaction_note,
        explanation=body.explanation,
        issuer=issuer,
        place=body.place or place_of(issuer.removeprefix("PPID ")),
        signatory=signatory,
        unit_id=request.unit_id,
        issued_at=at,
        issued_by=actor.user_id,
        issued_by_role=actor.role,
    )


async def _decree(
    session: AsyncSession,
    request: InformationRequest,
    body: NoticeBody,
    entry: DikEntry,
    policy: RequestPolicy | None,
    calendar: WorkCalendar,
    tree: UnitTree,
    today: dt.date,
) -> RefusalDecree:
    """SK Penolakan: its number from the gap-free `SK` series of the root and year."""
    assert body.ground is not None
    seq, number = await decree_number(session, request, policy, tree, today.year)
    decree = RefusalDecree(
        request_id=request.id,
        root_id=request.root_id,
        year=today.year,
        seq=seq,
        decree_number=number,
        decree_date=today,
        ground=body.ground,
        ground_number=body.ground_number or entry.legal_basis_number,
        ground_text=GROUND_TEXT[body.ground],
        other_law=body.other_law or entry.other_laws,
        consequence_test_id=entry.id,
        dik_number=entry.number,
        dik_decree_number=entry.decree_number,
        consequences=body.consequences or entry.public_summary,
        objection_due=calendar.add_working_days(today, OBJECTION_WORKING_DAYS),
    )
    session.add(decree)
    await session.flush()
    return decree


async def _record(
    session: AsyncSession,
    request: InformationRequest,
    actor: Actor,
    notice: RequestNotice,
    decree: RefusalDecree | None,
    at: dt.datetime,
) -> None:
    """The notice's event, then the system's: closed, or awaiting payment."""
    outcome = notice.outcome
    note = OUTCOME_TEXT[outcome] + "."
    details: dict[str, object] = {"outcome": outcome.value, "fee_total": notice.fee_total}
    if notice.promised_delivery_date is not None:
        details["promised_delivery_date"] = notice.promised_delivery_date.isoformat()
    if decree is not None:
        note += f" Keputusan PPID Nomor {decree.decree_number}."
        details |= {
            "decree_number": decree.decree_number,
            "ground": decree.ground.value,
            "consequence_test_id": str(decree.consequence_test_id),
        }
    await record_event(
        session,
        request,
        action=Action.ISSUE_NOTICE.value,
        to_state=RequestState.NOTICE_SENT,
        actor=actor,
        actor_type=ActorType.OFFICIAL,
        note=note,
        details=details,
    )
    if outcome not in GRANTED_OUTCOMES:
        request.closed_at = at
        follow: tuple[str, RequestState, dict[str, object]] = (
            Action.CLOSE.value,
            RequestState.CLOSED,
            {"outcome": outcome.value},
        )
    elif notice.fee_total > 0:
        follow = (AWAIT_PAYMENT, RequestState.AWAITING_PAYMENT, {"fee_total": notice.fee_total})
    else:
        return
    action, state, system_details = follow
    await record_event(
        session,
        request,
        action=action,
        to_state=state,
        actor=None,
        actor_type=ActorType.SYSTEM,
        details=system_details,
    )
