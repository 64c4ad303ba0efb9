"""Computing the objection and dispute statistics (DOMAIN.md 15.2 "Objections", "Disputes").

Objections and disputes are few next to requests, so their rows are read once and counted
in Python; working days use the root's calendar (loaded once). Suppression is the request
statistics' own `Hider` (DOMAIN.md 17): one rule for every public figure.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from requests_service.calendar.service import load_calendar
from requests_service.disputes.models import Dispute, DisputeOutcome, DisputeStage, KiLevel
from requests_service.objections.models import (
    Objection,
    ObjectionDecision,
    ObjectionReason,
    ObjectionState,
)
from requests_service.statistics.schemas import (
    DisputeFigures,
    ObjectionFigures,
    ObjectionScope,
    ResponseTime,
    UnitObjectionFigures,
)
from requests_service.statistics.service import (
    Hider,
    Summable,
    combine,
    in_period,
    time_fields,
)

REASONS = [r.value for r in ObjectionReason]
# DOMAIN.md 15.2: accepted / refused / settled by consultation, plus the undecided.
OBJECTION_OUTCOMES = ["accepted", "refused", "settled_by_consultation", "withdrawn", "pending"]
_DECIDED = {
    ObjectionDecision.UPHELD_REQUESTER.value: "accepted",
    ObjectionDecision.UPHELD_PPID.value: "refused",
    ObjectionDecision.SETTLED_BY_CONSULTATION.value: "settled_by_consultation",
}
DISPUTE_OUTCOMES = [o.value for o in DisputeOutcome] + ["pending"]
_COURT_STAGES = {DisputeStage.COURT.value, DisputeStage.CASSATION.value}


@dataclass
class ObjectionTally(Summable):
    """The raw objection figures of one scope before suppression."""

    received: int = 0
    by_reason: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    response_days: list[int] = field(default_factory=list)
    overdue: int = 0
    filed_late: int = 0
    order_executed: int = 0
    escalated_to_ki: int = 0


@dataclass
class DisputeTally(Summable):
    """The raw dispute figures of one scope before suppression."""

    received: int = 0
    by_ki_level: Counter[str] = field(default_factory=Counter)
    by_stage: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    filed_late: int = 0
    court_cases: int = 0
    compliance_required: int = 0
    complied: int = 0
    complied_late: int = 0
    not_complied_overdue: int = 0


@dataclass
class Tallies(Summable):
    """Both tallies of one scope (a unit, or the total)."""

    objections: ObjectionTally = field(default_factory=ObjectionTally)
    disputes: DisputeTally = field(default_factory=DisputeTally)


def objection_outcome(decision: str | None, state: str) -> str:
    """The outcome an objection counts under: its decision, else withdrawn or pending."""
    if decision is not None:
        return _DECIDED[decision]
    return "withdrawn" if state == ObjectionState.WITHDRAWN.value else "pending"


async def tally(
    session: AsyncSession,
    root_id: uuid.UUID,
    units: set[uuid.UUID],
    start: dt.date,
    end: dt.date,
    *,
    today: dt.date,
    time_zone: str | None = None,
) -> dict[uuid.UUID, Tallies]:
    """Per deciding unit: the objections received (receipt date) and the disputes filed
    (`filed_on`) from `start` to `end`; "overdue" is judged on `today` (a local date)."""
    tallies: dict[uuid.UUID, Tallies] = defaultdict(Tallies)
    o = Objection
    objections = (
        await session.execute(
            sa.select(
                col(o.unit_id),
                col(o.reasons),
                col(o.decision),
                col(o.state),
                col(o.receipt_date),
                col(o.response_date),
                col(o.response_due),
                col(o.filed_late),
                col(o.order_executed_at),
            ).where(in_period(o, "receipt_date", root_id, units, start, end))
        )
    ).all()
    answered = [row for row in objections if row[5] is not None]
    calendar = await load_calendar(session, root_id, time_zone=time_zone) if answered else None
    for unit, reasons, decision, state, receipt, response, due, late, executed in objections:
        t = tallies[unit].objections
        t.received += 1
        t.by_reason.update(set(reasons))
        t.outcomes[objection_outcome(decision, state)] += 1
        if response is not None and calendar is not None:
            # UU Pasal 36(2): 30 working days from the receipt of the written objection.
            t.response_days.append(calendar.working_days_between(receipt, response))
        withdrawn = decision is None and state == ObjectionState.WITHDRAWN.value
        t.overdue += (response or today) > due and not withdrawn
        t.filed_late += bool(late)
        t.order_executed += executed is not None
        t.escalated_to_ki += state == ObjectionState.ESCALATED_TO_KI.value
    await _tally_disputes(session, root_id, units, start, end, today, tallies)
    return dict(tallies)


async def _tally_disputes(
    session: AsyncSession,
    root_id: uuid.UUID,
    units: set[uuid.UUID],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    tallies: dict[uuid.UUID, Tallies],
) -> None:
    d = Dispute
    rows = (
        await session.execute(
            sa.select(
                col(d.unit_id),
                col(d.ki_level),
                col(d.stage),
                col(d.outcome),
                col(d.filed_late),
                col(d.court_stage),
                col(d.court_case_no),
                col(d.compliance_due),
                col(d.complied_at),
                col(d.time_zone),
            ).where(in_period(d, "filed_on", root_id, units, start, end))
        )
    ).all()
    for unit, level, stage, outcome, late, court, case_no, due, complied, zone in rows:
        t = tallies[unit].disputes
        t.received += 1
        t.by_ki_level[str(level)] += 1
        t.by_stage[str(stage)] += 1
        t.outcomes[str(outcome) if outcome is not None else "pending"] += 1
        t.filed_late += bool(late)
        # UU Pasal 47-50: a suit at the PTUN/PN, then cassation.
        t.court_cases += stage in _COURT_STAGES or court is not None or case_no is not None
        if due is None:
            continue
        t.compliance_required += 1
        if complied is not None:
            t.complied += 1
            t.complied_late += _local_day(complied, zone) > due
        else:
            t.not_complied_overdue += today > due


def _local_day(moment: dt.datetime, zone: str) -> dt.date:
    return moment.astimezone(ZoneInfo(zone)).date()


def objection_figures(t: ObjectionTally, *, suppress: bool) -> ObjectionFigures:
    """The objection figures; in the public view small cells are `null` (DOMAIN.md 17)."""
    h = Hider(suppress)
    time = ResponseTime(**time_fields(h, "response_time", t.response_days))
    return ObjectionFigures(
        received=h.count("received", t.received),
        by_reason={r: h.count(f"by_reason.{r}", t.by_reason[r]) for r in REASONS},
        outcomes={k: h.count(f"outcomes.{k}", t.outcomes[k]) for k in OBJECTION_OUTCOMES},
        response_time=time,
        overdue=h.count("overdue", t.overdue),
        filed_late=h.count("filed_late", t.filed_late),
        order_executed=h.count("order_executed", t.order_executed),
        escalated_to_ki=h.count("escalated_to_ki", t.escalated_to_ki),
        suppressed=h.hidden,
    )


def dispute_figures(t: DisputeTally, *, suppress: bool) -> DisputeFigures:
    """The dispute figures; in the public view small cells are `null` (DOMAIN.md 17)."""
    h = Hider(suppress)
    return DisputeFigures(
        received=h.count("received", t.received),
        by_ki_level={k.value: h.count(f"by_ki_level.{k}", t.by_ki_level[k]) for k in KiLevel},
        by_stage={s.value: h.count(f"by_stage.{s}", t.by_stage[s]) for s in DisputeStage},
        outcomes={k: h.count(f"outcomes.{k}", t.outcomes[k]) for k in DISPUTE_OUTCOMES},
        filed_late=h.count("filed_late", t.filed_late),
        court_cases=h.count("court_cases", t.court_cases),
        compliance_required=h.count("compliance_required", t.compliance_required),
        complied=h.count("complied", t.complied),
        complied_late=h.count("complied_late", t.complied_late),
        not_complied_overdue=h.count("not_complied_overdue", t.not_complied_overdue),
        suppressed=h.hidden,
    )


def scope_figures(t: Tallies, *, suppress: bool) -> ObjectionScope:
    return ObjectionScope(
        objections=objection_figures(t.objections, suppress=suppress),
        disputes=dispute_figures(t.disputes, suppress=suppress),
    )


def total(tallies: dict[uuid.UUID, Tallies]) -> Tallies:
    return combine(tallies.values(), Tallies())


def unit_figures(
    tallies: dict[uuid.UUID, Tallies], *, suppress: bool
) -> list[UnitObjectionFigures]:
    return [
        UnitObjectionFigures(
            unit_id=unit,
            objections=objection_figures(tallies[unit].objections, suppress=suppress),
            disputes=dispute_figures(tallies[unit].disputes, suppress=suppress),
        )
        for unit in sorted(tallies, key=str)
    ]
