"""Computing the request statistics: counts with GROUP BY in SQL, working-day times in
Python with the root's calendar (loaded once), suppression last."""

from __future__ import annotations

import datetime as dt
import statistics
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Protocol, Self, TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from requests_service.calendar.service import load_calendar
from requests_service.core.models import (
    AccessMethod,
    Channel,
    DeliveryMethod,
    InformationRequest,
    NoticeOutcome,
    RequesterCategory,
    RequestState,
)
from requests_service.statistics.schemas import (
    SUPPRESSION_THRESHOLD,
    Figures,
    TimeTaken,
    UnitFigures,
)
from requests_service.workflow.models import ExemptionGround, RefusalDecree, RequestNotice

R = InformationRequest
REASONS = [g.value for g in ExemptionGround] + [
    "other_law",
    "not_held",
    "not_documented",
    "forwarded",
]
_OUTCOME_REASON = {
    NoticeOutcome.NOT_HELD_UNKNOWN.value: "not_held",
    NoticeOutcome.NOT_DOCUMENTED.value: "not_documented",
    NoticeOutcome.NOT_HELD_FORWARDED.value: "forwarded",
}
_DIMENSIONS: dict[str, tuple[Any, list[str]]] = {
    "by_channel": (col(R.channel), [c.value for c in Channel]),
    "by_requester_category": (col(R.requester_category), [c.value for c in RequesterCategory]),
    "by_access_method": (col(R.access_method), [c.value for c in AccessMethod]),
    "by_delivery_method": (col(R.delivery_method), [c.value for c in DeliveryMethod]),
    "outcomes": (col(R.notice_outcome), [c.value for c in NoticeOutcome]),
}


class Summable:
    """A tally whose figures of several units add up field by field (`add_counts`)."""

    def add(self, other: Self) -> None:
        add_counts(self, other)


@dataclass
class Tally(Summable):
    """The raw figures of one scope before suppression."""

    received: int = 0
    cells: defaultdict[str, defaultdict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    days: list[int] = field(default_factory=list)
    delivery_days: list[int] = field(default_factory=list)
    extended: int = 0
    withdrawn: int = 0
    not_processed: int = 0
    fee_requests: int = 0
    fees_charged: int = 0
    paid_requests: int = 0
    fees_collected: int = 0


class Addable(Protocol):
    def add(self, other: Self, /) -> None: ...


A = TypeVar("A", bound=Addable)


def add_counts(target: Any, other: Any, *, skip: frozenset[str] = frozenset()) -> None:
    """Adds the figures of `other` into `target`, two tallies of one class (a dataclass or a
    pydantic model): numbers summed, lists joined, counters and nested counts added,
    nested tallies added field by field. One rule for every tally that sums up units."""
    names = [f.name for f in fields(target)] if is_dataclass(target) else type(target).model_fields
    for name in names:
        if name in skip:
            continue
        mine, theirs = getattr(target, name), getattr(other, name)
        if is_dataclass(mine):
            add_counts(mine, theirs)
        elif isinstance(mine, list):
            mine.extend(theirs)
        elif isinstance(mine, dict):
            for key, value in theirs.items():
                if isinstance(value, dict):
                    for inner, count in value.items():
                        mine[key][inner] += count
                else:
                    mine[key] += value
        else:
            setattr(target, name, mine + theirs)


def combine(parts: Iterable[A], whole: A) -> A:
    """`whole` (an empty tally) with every part added: the figures of a whole scope."""
    for part in parts:
        whole.add(part)
    return whole


def in_period(
    model: Any,
    day: str,
    root_id: uuid.UUID,
    units: Iterable[uuid.UUID],
    start: dt.date,
    end: dt.date,
) -> Any:
    """Rows of `model` (requests, objections, disputes) of the root handled by `units`
    whose date `day` (receipt, filing) falls from `start` to `end`."""
    return sa.and_(
        col(model.root_id) == root_id,
        col(model.unit_id).in_(list(units)),
        col(getattr(model, day)) >= start,
        col(getattr(model, day)) <= end,
    )


async def tally(
    session: AsyncSession,
    root_id: uuid.UUID,
    units: set[uuid.UUID],
    start: dt.date,
    end: dt.date,
    *,
    time_zone: str | None = None,
) -> dict[uuid.UUID, Tally]:
    """The raw figures per handling unit of the requests received from `start` to `end`."""
    where = in_period(R, "receipt_date", root_id, units, start, end)
    tallies: dict[uuid.UUID, Tally] = defaultdict(Tally)
    totals = sa.select(
        col(R.unit_id),
        sa.func.count(),
        sa.func.count().filter(col(R.extended_due).is_not(None)),
        sa.func.count().filter(col(R.state) == RequestState.WITHDRAWN.value),
        sa.func.count().filter(col(R.state) == RequestState.REJECTED_INCOMPLETE.value),
        sa.func.count().filter(col(R.fee_total) > 0),
        sa.func.coalesce(sa.func.sum(col(R.fee_total)), 0),
        sa.func.count().filter(_paid()),
        sa.func.coalesce(sa.func.sum(col(R.fee_total)).filter(_paid()), 0),
    ).where(where)
    for row in (await session.execute(totals.group_by(col(R.unit_id)))).all():
        t = tallies[row[0]]
        t.received, t.extended, t.withdrawn, t.not_processed = row[1], row[2], row[3], row[4]
        t.fee_requests, t.fees_charged = row[5], int(row[6])
        t.paid_requests, t.fees_collected = row[7], int(row[8])
    for name, (column, _) in _DIMENSIONS.items():
        stmt = (
            sa.select(col(R.unit_id), column, sa.func.count())
            .where(where, column.is_not(None))
            .group_by(col(R.unit_id), column)
        )
        for unit, value, count in (await session.execute(stmt)).all():
            tallies[unit].cells[name][str(value)] += count
    reason = sa.case(
        (col(RefusalDecree.other_law).is_not(None), "other_law"),
        else_=col(RefusalDecree.ground),
    )
    refusals = (
        sa.select(col(R.unit_id), reason, sa.func.count())
        .select_from(R)
        .join(RefusalDecree, col(RefusalDecree.request_id) == col(R.id))
        .where(where, col(R.notice_outcome) == NoticeOutcome.REFUSED.value)
        .group_by(col(R.unit_id), reason)
    )
    for unit, key, count in (await session.execute(refusals)).all():
        tallies[unit].cells["refusal_reasons"][str(key)] += count
    for unit, t in tallies.items():
        for outcome, key in _OUTCOME_REASON.items():
            if t.cells["outcomes"].get(outcome):
                tallies[unit].cells["refusal_reasons"][key] += t.cells["outcomes"][outcome]
    noticed = sa.func.coalesce(col(R.notice_sent_at), col(RequestNotice.issued_at))
    times = (
        sa.select(col(R.unit_id), col(R.receipt_date), noticed)
        .select_from(R)
        .outerjoin(RequestNotice, col(RequestNotice.request_id) == col(R.id))
        .where(where, noticed.is_not(None))
    )
    found = (await session.execute(times)).all()
    delivered = (
        await session.execute(
            sa.select(col(R.unit_id), col(R.receipt_date), col(R.delivered_at)).where(
                where, col(R.delivered_at).is_not(None)
            )
        )
    ).all()
    if found or delivered:
        calendar = await load_calendar(session, root_id, time_zone=time_zone)
        for unit, receipt, at in found:
            notice_day = calendar.local(at).date()
            tallies[unit].days.append(calendar.working_days_between(receipt, notice_day))
        for unit, receipt, handed in delivered:
            if handed is None:  # excluded by the query
                continue
            day = calendar.local(handed).date()
            tallies[unit].delivery_days.append(calendar.working_days_between(receipt, day))
    return dict(tallies)


def _paid() -> Any:
    return sa.and_(
        col(R.paid_at).is_not(None),
        sa.func.coalesce(col(R.payment_method), "") != "waived",
    )


class Hider:
    """Withholds small cells in the public view (DOMAIN.md 17): counts of 1-2 and figures
    over fewer than 3 cases become `null`, their names collected in `hidden`. Every public
    statistic (requests, objections, disputes, the annual report) goes through it."""

    def __init__(self, suppress: bool) -> None:
        self.suppress = suppress
        self.hidden: list[str] = []

    def count(self, name: str, value: int) -> int | None:
        if self.suppress and 0 < value < SUPPRESSION_THRESHOLD:
            self.hidden.append(name)
            return None
        return value

    def over(self, name: str, basis: int, value: Any) -> Any:
        """A derived figure over `basis` requests."""
        if self.suppress and 0 < basis < SUPPRESSION_THRESHOLD:
            self.hidden.append(name)
            return None
        return value


def figures(t: Tally, *, suppress: bool) -> Figures:
    """The figures of a tally; in the public view counts of 1-2 and figures over fewer than
    3 requests are `null` and named in `suppressed`."""
    h = Hider(suppress)

    def cells(name: str, keys: list[str]) -> dict[str, int | None]:
        return {k: h.count(f"{name}.{k}", t.cells[name].get(k, 0)) for k in keys}

    dims = {name: cells(name, keys) for name, (_, keys) in _DIMENSIONS.items()}
    outcomes = t.cells["outcomes"]
    granted = outcomes.get(NoticeOutcome.GRANTED_FULL.value, 0) + outcomes.get(
        NoticeOutcome.GRANTED_PARTIAL.value, 0
    )
    return Figures(
        received=h.count("received", t.received),
        outcomes=dims.pop("outcomes"),
        granted=h.count("granted", granted),
        refused=h.count("refused", outcomes.get(NoticeOutcome.REFUSED.value, 0)),
        refusal_reasons=cells("refusal_reasons", REASONS),
        time_taken=_time(h, "time_taken", t.days),
        time_to_delivery=_time(h, "time_to_delivery", t.delivery_days),
        extended=h.count("extended", t.extended),
        withdrawn=h.count("withdrawn", t.withdrawn),
        not_processed=h.count("not_processed", t.not_processed),
        fees_charged_requests=h.count("fees_charged_requests", t.fee_requests),
        fees_charged=h.over("fees_charged", t.fee_requests, t.fees_charged),
        fees_collected=h.over("fees_collected", t.paid_requests, t.fees_collected),
        suppressed=h.hidden,
        **dims,
    )


def time_fields(h: Hider, name: str, values: list[int]) -> dict[str, Any]:
    """Count, mean, median and max of working-day times; `count: None` alone when withheld
    (fewer than 3 cases in the public view), `count: 0` alone when there are none."""
    days = sorted(values)
    n = len(days)
    if not n:
        return {"count": 0}
    if not h.over(name, n, True):
        return {"count": None}
    return {
        "count": n,
        "mean": round(statistics.fmean(days), 2),
        "median": float(statistics.median(days)),
        "max": days[-1],
    }


def _time(h: Hider, name: str, days: list[int]) -> TimeTaken:
    spread = time_fields(h, name, days)
    if spread["count"] is None:  # withheld: fewer than 3 requests
        return TimeTaken(count=None)
    return TimeTaken(
        **spread,
        within_10=h.count(f"{name}.within_10", sum(d <= 10 for d in days)),
        from_11_to_17=h.count(f"{name}.from_11_to_17", sum(10 < d <= 17 for d in days)),
        over_17=h.count(f"{name}.over_17", sum(d > 17 for d in days)),
    )


def unit_figures(tallies: dict[uuid.UUID, Tally], *, suppress: bool) -> list[UnitFigures]:
    return [
        UnitFigures(unit_id=unit, figures=figures(tallies[unit], suppress=suppress))
        for unit in sorted(tallies, key=str)
    ]


def total(tallies: dict[uuid.UUID, Tally]) -> Tally:
    return combine(tallies.values(), Tally())
