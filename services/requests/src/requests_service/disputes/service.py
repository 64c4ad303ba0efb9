"""Disputes at the Komisi Informasi: filing, stages, decisions, compliance (DOMAIN.md 10.8).

Tracked, not adjudicated: we record what happened at the KI and in the courts, and keep
the legal clock of UU 14/2008 Pasal 37 (14 WD to file), 38 (the KI starts within 14 WD
and finishes within 100 WD) and 50 (cassation within 14 days of a court's decision).
Every change bumps the dispute's version, appends a `DisputeEvent` (the history), writes
the audit record and queues the `dispute.updated` webhook, in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from ppid_kit.access import Actor
from ppid_kit.audit import write_audit
from ppid_kit.etag import etag_for
from ppid_kit.problems import NOT_FOUND, VALIDATION, FieldError, ProblemError, Text, register_kind
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from requests_service.calendar.clock import WorkCalendar
from requests_service.calendar.service import load_calendar
from requests_service.core.access import audit_actor_type
from requests_service.core.models import ActorType
from requests_service.disputes.models import Dispute, DisputeEvent, DisputeStage
from requests_service.disputes.schemas import (
    ComplianceBody,
    DecisionBody,
    DisputeEventView,
    DisputeFiling,
    DisputeView,
    StageBody,
)
from requests_service.objections.history import record_objection_event
from requests_service.objections.models import (
    RESPONSE_PENDING_STATES,
    Objection,
    ObjectionState,
    RequesterReaction,
)
from requests_service.webhooks.emit import emit_event
from requests_service.webhooks.models import WebhookEventType

DISPUTE_CONFLICT = register_kind(
    "dispute-invalid-transition",
    409,
    "Tindakan sengketa tidak dapat dilakukan",
    "Dispute action not possible",
    detail_id="Tindakan ini tidak dapat dilakukan pada keadaan sengketa saat ini.",
    detail_en="This action is not possible in the dispute's current state.",
)
NO_DISPUTE = Text(
    "Belum ada sengketa yang dicatat untuk keberatan ini.",
    "No dispute has been recorded for this objection.",
)
ALREADY_FILED = Text(
    "Sengketa atas keberatan ini sudah dicatat (satu sengketa untuk satu keberatan).",
    "A dispute was already recorded for this objection (one dispute per objection).",
)
NOT_YET = Text(
    "Sengketa dapat diajukan ke Komisi Informasi setelah tanggapan tertulis Atasan PPID, atau "
    "bila tanggapan tidak diberikan dalam 30 hari kerja (UU 14/2008 Pasal 36 ayat 2 dan Pasal "
    "37 ayat 1).",
    "A dispute may go to the Information Commission after the Atasan PPID's written response, "
    "or when no response came within 30 working days (UU 14/2008 Article 36(2) and 37(1)).",
)
ENDED = Text(
    "Keberatan ini sudah selesai atau dicabut; tidak ada sengketa yang dapat dicatat.",
    "This objection is settled or withdrawn; no dispute can be recorded.",
)
LATE = Text(
    "Sengketa diajukan melewati batas 14 hari kerja sejak tanggapan tertulis Atasan PPID (UU "
    "14/2008 Pasal 37 ayat 2); tetap dicatat, kewenangan menilai ada pada Komisi Informasi.",
    "The dispute was filed after the 14 working days from the Atasan PPID's written response "
    "(UU 14/2008 Article 37(2)); it is recorded, the Information Commission judges it.",
)
FUTURE = Text("Tanggal tidak boleh di masa depan.", "The date cannot be in the future.")
BEFORE_FILING = Text(
    "Tanggal tidak boleh sebelum sengketa diajukan.", "The date cannot precede the filing."
)
BEFORE_OBJECTION = Text(
    "Tanggal tidak boleh sebelum keberatan diterima.", "The date cannot precede the objection."
)
CLOSED = Text("Sengketa sudah ditutup.", "The dispute is closed.")
ALREADY_DECIDED = Text(
    "Putusan Komisi Informasi sudah dicatat; catat tahap pengadilan untuk putusan berikutnya.",
    "The Information Commission's decision is recorded; record a court stage for the next one.",
)
NO_DECISION = Text(
    "Belum ada putusan yang dapat dilaksanakan.", "There is no decision to comply with yet."
)
ALREADY_COMPLIED = Text(
    "Pelaksanaan putusan sudah dicatat.", "Compliance with the decision is already recorded."
)
COURT_NEEDS_DECISION = Text(
    "Gugatan ke pengadilan hanya atas putusan Komisi Informasi (UU 14/2008 Pasal 47).",
    "A court case follows only a decision of the Information Commission (UU 14/2008 Art. 47).",
)
CASSATION_NEEDS_COURT = Text(
    "Kasasi hanya atas putusan pengadilan (UU 14/2008 Pasal 50).",
    "Cassation follows only a court's decision (UU 14/2008 Article 50).",
)
KI_STAGE_AFTER_DECISION = Text(
    "Mediasi dan ajudikasi berlangsung sebelum putusan Komisi Informasi.",
    "Mediation and adjudication come before the Information Commission's decision.",
)
COURT_STAGE_NEEDED = Text(
    "Sebutkan pengadilan (ptun, pn, atau ma).", "Name the court (ptun, pn or ma)."
)

# UU Pasal 37(2): 14 WD after the written response; Pasal 38: 14 WD to start, 100 WD to end.
FILING_WORKING_DAYS = 14
KI_START_WORKING_DAYS = 14
KI_FINISH_WORKING_DAYS = 100
# UU Pasal 50: cassation within 14 days (calendar days, as the article is written).
CASSATION_DAYS = 14

_DECIDED_STATES = frozenset(
    {
        ObjectionState.DECIDED_UPHELD_REQUESTER,
        ObjectionState.DECIDED_UPHELD_PPID,
        ObjectionState.ORDER_EXECUTED,
    }
)
_KI_PROCESS = frozenset({DisputeStage.MEDIATION, DisputeStage.ADJUDICATION})
_BEFORE_KI_DECISION = frozenset({DisputeStage.REGISTERED, *_KI_PROCESS})
_COURTS = frozenset({DisputeStage.COURT, DisputeStage.CASSATION})


def conflict(detail: Text) -> ProblemError:
    return ProblemError(DISPUTE_CONFLICT, detail)


def invalid(field: str, message: Text) -> ProblemError:
    return ProblemError(VALIDATION, message, errors=[FieldError(field, message)])


def dispute_etag(dispute: Dispute) -> str:
    """The If-Match of stage updates: the dispute's id and version."""
    return etag_for(f"dispute:{dispute.id}:{dispute.version}")


async def find_dispute(
    session: AsyncSession, objection_id: uuid.UUID, *, for_update: bool = False
) -> Dispute | None:
    stmt = sa.select(Dispute).where(col(Dispute.objection_id) == objection_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def get_dispute(
    session: AsyncSession, objection_id: uuid.UUID, *, for_update: bool = False
) -> Dispute:
    found = await find_dispute(session, objection_id, for_update=for_update)
    if found is None:
        raise ProblemError(NOT_FOUND, NO_DISPUTE)
    return found


def filing_due(objection: Objection, calendar: WorkCalendar) -> dt.date:
    """UU Pasal 37(2): 14 WD from the written response; with none, 14 WD after the D30 the
    Atasan let pass (UU Pasal 36(2): the requester may then go to the KI)."""
    if objection.dispute_due is not None:
        return objection.dispute_due
    answered = objection.response_date or objection.response_due
    return calendar.add_working_days(answered, FILING_WORKING_DAYS)


def check_filable(objection: Objection, calendar: WorkCalendar, now: dt.datetime) -> None:
    """Decided (either way) or order executed; or no decision by the end of D30; else 409."""
    if objection.state in _DECIDED_STATES:
        return
    if objection.state in RESPONSE_PENDING_STATES:
        if calendar.is_past(objection.response_due, now):
            return
        raise conflict(NOT_YET)
    if objection.state is ObjectionState.ESCALATED_TO_KI:
        raise conflict(ALREADY_FILED)
    raise conflict(ENDED)


def _check_past(field: str, day: dt.date, today: dt.date, earliest: dt.date, early: Text) -> None:
    if day > today:
        raise invalid(field, FUTURE)
    if day < earliest:
        raise invalid(field, early)


async def file_dispute(
    session: AsyncSession,
    objection: Objection,
    body: DisputeFiling,
    *,
    actor: Actor | None,
    actor_type: ActorType,
    now: dt.datetime,
) -> tuple[Dispute, list[Text]]:
    """Record the application at the KI and move the objection to `escalated_to_ki`."""
    if await find_dispute(session, objection.id) is not None:
        raise conflict(ALREADY_FILED)
    calendar = await load_calendar(session, objection.root_id, time_zone=objection.time_zone)
    check_filable(objection, calendar, now)
    today = calendar.local(now).date()
    filed_on = body.filed_on or today
    _check_past("filed_on", filed_on, today, objection.receipt_date, BEFORE_OBJECTION)
    due = filing_due(objection, calendar)
    late = filed_on > due  # soft (UU 37(2)): recorded and shown, never blocking
    dispute = Dispute(
        objection_id=objection.id,
        request_id=objection.request_id,
        root_id=objection.root_id,
        unit_id=objection.unit_id,
        ki_level=body.ki_level,
        ki_registration_no=body.ki_registration_no,
        filed_on=filed_on,
        filing_due=due,
        filed_late=late,
        ki_start_due=calendar.add_working_days(filed_on, KI_START_WORKING_DAYS),
        # UU Pasal 38(2) counts the 100 WD from the start of the KI's process; until a
        # stage records that start, it is approximated from the filing (then recomputed).
        ki_finish_due=calendar.add_working_days(filed_on, KI_FINISH_WORKING_DAYS),
        stage=DisputeStage.REGISTERED,
        time_zone=objection.time_zone,
        calendar_version=calendar.version,
        version=0,
    )
    session.add(dispute)
    await session.flush()
    details = {"ki_level": body.ki_level.value, "filed_late": late}
    await record(
        session, dispute, objection, action="file", stage=DisputeStage.REGISTERED,
        happened_on=filed_on, actor=actor, actor_type=actor_type, note=body.note, details=details,
    )  # fmt: skip
    objection.escalated_at = now
    if objection.decision is not None and objection.requester_reaction is None:
        # Register column 11 (DOMAIN.md 10.4): going to the KI says "not satisfied".
        objection.requester_reaction = RequesterReaction.NOT_SATISFIED
    await record_objection_event(
        session,
        objection,
        action="escalate",
        to_state=ObjectionState.ESCALATED_TO_KI,
        actor=actor,
        actor_type=actor_type,
        details={"dispute_id": str(dispute.id), "filed_late": late},
    )
    return dispute, [LATE] if late else []


async def record(
    session: AsyncSession,
    dispute: Dispute,
    objection: Objection,
    *,
    action: str,
    stage: DisputeStage,
    happened_on: dt.date | None,
    actor: Actor | None,
    actor_type: ActorType,
    note: str | None = None,
    details: dict[str, Any] | None = None,
) -> DisputeEvent:
    """The one writer of a dispute's history: version, event, audit, webhook."""
    dispute.stage = stage
    dispute.version = (dispute.version or 0) + 1
    event = DisputeEvent(
        dispute_id=dispute.id,
        version=dispute.version,
        action=action,
        stage=stage.value,
        happened_on=happened_on,
        actor_type=actor_type,
        actor_role=None if actor is None else actor.role,
        actor_id=None if actor is None else actor.user_id,
        note=note,
        details=dict(details or {}),
    )
    session.add(dispute)
    session.add(event)
    await session.flush()
    await write_audit(
        session,
        action=f"dispute.{action}",
        object_type="dispute",
        object_id=dispute.id,
        actor_id=None if actor is None else actor.user_id,
        actor_type=audit_actor_type(actor_type, actor),
        unit_id=dispute.unit_id,
        details={"objection_id": str(objection.id), "stage": stage.value, **(details or {})},
    )
    await emit_event(
        session,
        event_type=WebhookEventType.DISPUTE_UPDATED,
        root_id=dispute.root_id,
        client_id=objection.client_id,
        data={
            "dispute_id": str(dispute.id),
            "objection_id": str(objection.id),
            "objection_number": objection.objection_number,
            "unit_id": str(dispute.unit_id),
            "action": action,
            "stage": stage.value,
            "outcome": None if dispute.outcome is None else dispute.outcome.value,
            "version": dispute.version,
        },
    )
    return event


def _stage_target(dispute: Dispute, body: StageBody, court_decided: bool) -> DisputeStage:
    """Where a stage update leads, or 409/422 why it cannot."""
    current = dispute.stage
    if current is DisputeStage.CLOSED:
        raise conflict(CLOSED)
    target = DisputeStage(body.stage.value)
    if target in _KI_PROCESS and current not in _BEFORE_KI_DECISION:
        raise conflict(KI_STAGE_AFTER_DECISION)
    if target is DisputeStage.COURT:
        if current not in (DisputeStage.DECIDED, DisputeStage.COURT):
            raise conflict(COURT_NEEDS_DECISION)
        if body.court_stage is None and dispute.court_stage is None:
            raise invalid("court_stage", COURT_STAGE_NEEDED)
    if target is DisputeStage.CASSATION and not (
        current is DisputeStage.CASSATION or (current is DisputeStage.COURT and court_decided)
    ):
        raise conflict(CASSATION_NEEDS_COURT)
    return target


async def court_decision_date(session: AsyncSession, dispute: Dispute) -> dt.date | None:
    """The date of the last decision a court (not the KI) gave in this dispute."""
    stmt = (
        sa.select(col(DisputeEvent.happened_on))
        .where(
            col(DisputeEvent.dispute_id) == dispute.id,
            col(DisputeEvent.action) == "decide",
            col(DisputeEvent.stage) == DisputeStage.COURT.value,
        )
        .order_by(col(DisputeEvent.version).desc())
        .limit(1)
    )
    day: dt.date | None = (await session.execute(stmt)).scalar_one_or_none()
    return day


async def record_stage(
    session: AsyncSession,
    dispute: Dispute,
    objection: Objection,
    body: StageBody,
    *,
    actor: Actor,
    now: dt.datetime,
) -> None:
    court_decided = await court_decision_date(session, dispute) is not None
    target = _stage_target(dispute, body, court_decided)
    today = _today(dispute, now)
    _check_past("happened_on", body.happened_on, today, dispute.filed_on, BEFORE_FILING)
    if target in _KI_PROCESS and dispute.stage is DisputeStage.REGISTERED:
        # UU Pasal 38(2): the 100 WD run from the start of the KI's process, now known.
        calendar = await load_calendar(session, dispute.root_id, time_zone=dispute.time_zone)
        dispute.ki_finish_due = calendar.add_working_days(body.happened_on, KI_FINISH_WORKING_DAYS)
    if body.ki_registration_no is not None:
        dispute.ki_registration_no = body.ki_registration_no
    if body.court_stage is not None:
        dispute.court_stage = body.court_stage.value
    if body.court_case_no is not None:
        dispute.court_case_no = body.court_case_no
    details: dict[str, Any] = {}
    if target in _COURTS:
        details = {"court_stage": dispute.court_stage, "court_case_no": dispute.court_case_no}
    await record(
        session, dispute, objection, action=f"stage.{target.value}", stage=target,
        happened_on=body.happened_on, actor=actor, actor_type=ActorType.OFFICIAL,
        note=body.note, details=details,
    )  # fmt: skip


def _today(dispute: Dispute, now: dt.datetime) -> dt.date:
    return _local_day(now, dispute.time_zone)


def check_decision(dispute: Dispute, body: DecisionBody, now: dt.datetime) -> DisputeStage:
    """The stage after the decision: `decided` for the KI's, the same for a court's."""
    if dispute.stage is DisputeStage.CLOSED:
        raise conflict(CLOSED)
    if dispute.stage is DisputeStage.DECIDED:
        raise conflict(ALREADY_DECIDED)
    _check_past("decision_date", body.decision_date, _today(dispute, now), dispute.filed_on,
                BEFORE_FILING)  # fmt: skip
    if body.compliance_due is not None and body.compliance_due < body.decision_date:
        raise invalid(
            "compliance_due",
            Text(
                "Batas pelaksanaan tidak boleh sebelum tanggal putusan.",
                "The compliance date cannot precede the decision.",
            ),
        )
    return DisputeStage.DECIDED if dispute.stage in _BEFORE_KI_DECISION else dispute.stage


async def record_decision(
    session: AsyncSession,
    dispute: Dispute,
    objection: Objection,
    body: DecisionBody,
    *,
    stage: DisputeStage,
    actor: Actor,
    dip_entry_id: uuid.UUID | None,
) -> None:
    dispute.decision = body.decision
    dispute.decision_date = body.decision_date
    dispute.outcome = body.outcome
    dispute.compliance_due = body.compliance_due
    dispute.complied_at = None  # a new decision in force awaits its own compliance
    if dip_entry_id is not None:
        dispute.dip_entry_id = dip_entry_id
    details: dict[str, Any] = {"outcome": body.outcome.value}
    if dip_entry_id is not None:
        details["dip_entry_id"] = str(dip_entry_id)
    await record(
        session, dispute, objection, action="decide", stage=stage,
        happened_on=body.decision_date, actor=actor, actor_type=ActorType.OFFICIAL,
        details=details,
    )  # fmt: skip


async def record_compliance(
    session: AsyncSession,
    dispute: Dispute,
    objection: Objection,
    body: ComplianceBody,
    *,
    actor: Actor,
    now: dt.datetime,
) -> None:
    if dispute.decision_date is None:
        raise conflict(NO_DECISION)
    if dispute.complied_at is not None:
        raise conflict(ALREADY_COMPLIED)
    complied = body.complied_at or now
    if complied.tzinfo is None:
        raise invalid(
            "complied_at",
            Text("Sertakan zona waktu.", "Give the time zone offset."),
        )
    if complied > now + dt.timedelta(minutes=5):
        raise invalid("complied_at", FUTURE)
    dispute.complied_at = complied
    await record(
        session, dispute, objection, action="comply", stage=dispute.stage,
        happened_on=_local_day(complied, dispute.time_zone), actor=actor,
        actor_type=ActorType.OFFICIAL, note=body.note,
    )  # fmt: skip


def _local_day(moment: dt.datetime, zone: str) -> dt.date:
    return moment.astimezone(ZoneInfo(zone)).date()


async def dispute_view(
    session: AsyncSession, dispute: Dispute, objection: Objection, warnings: list[str] | None = None
) -> DisputeView:
    stmt = (
        sa.select(DisputeEvent)
        .where(col(DisputeEvent.dispute_id) == dispute.id)
        .order_by(col(DisputeEvent.version))
    )
    events = list((await session.execute(stmt)).scalars())
    court_day = next(
        (
            e.happened_on
            for e in reversed(events)
            if e.action == "decide" and e.stage == DisputeStage.COURT.value
        ),
        None,
    )
    cassation_due = None if court_day is None else court_day + dt.timedelta(days=CASSATION_DAYS)
    return DisputeView(
        id=dispute.id,
        objection_id=objection.id,
        objection_number=objection.objection_number,
        request_id=dispute.request_id,
        unit_id=dispute.unit_id,
        ki_level=dispute.ki_level,
        ki_registration_no=dispute.ki_registration_no,
        filed_on=dispute.filed_on,
        filing_due=dispute.filing_due,
        filed_late=dispute.filed_late,
        ki_start_due=dispute.ki_start_due,
        ki_finish_due=dispute.ki_finish_due,
        stage=dispute.stage,
        decision=dispute.decision,
        decision_date=dispute.decision_date,
        outcome=dispute.outcome,
        court_stage=dispute.court_stage,
        court_case_no=dispute.court_case_no,
        cassation_due=cassation_due,
        compliance_due=dispute.compliance_due,
        complied_at=dispute.complied_at,
        dip_entry_id=dispute.dip_entry_id,
        version=dispute.version,
        events=[_event_view(event) for event in events],
        warnings=warnings or [],
    )


def _event_view(event: DisputeEvent) -> DisputeEventView:
    return DisputeEventView(
        version=event.version,
        action=event.action,
        stage=event.stage,
        happened_on=event.happened_on,
        actor_role=event.actor_role,
        note=event.note,
        court_stage=event.details.get("court_stage"),
        court_case_no=event.details.get("court_case_no"),
        created_at=event.created_at,
    )
