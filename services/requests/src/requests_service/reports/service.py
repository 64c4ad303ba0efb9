"""Building the annual service report (SLIP Pasal 56; DOMAIN.md 15.1) from the registers.

`build_report` is the service-layer entry point (also for other packages, e.g. readiness):
section 3 reuses the request statistics (`statistics.service`), section 4 the objection
and dispute statistics (`statistics.objection_service`), both with the one suppression
rule of the public statistics. The narrative parts are read from
`annual_report_narratives`; the facts from the calendar policy, the fee schedule, the
request policy and the unit tree.
"""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from ppid_kit.unit_tree import UnitTree
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from requests_service.calendar.clock import EXTENSION_WORKING_DAYS, NOTICE_WORKING_DAYS
from requests_service.calendar.service import default_policy, get_policy, load_calendar
from requests_service.core.models import RequestPolicy
from requests_service.reports.models import NARRATIVE_PARTS, AnnualReportNarrative
from requests_service.reports.schemas import (
    AnnualReport,
    DisputeScope,
    DisputeSection,
    FeeLine,
    Narrative,
    NarrativeSection,
    OperationFacts,
    OperationSection,
    PolicyFacts,
    PolicySection,
    ReportView,
    RequestRules,
    ServiceSection,
    UnitDesignation,
    UnitDisputeFigures,
    UnitRef,
    UnitRequestFigures,
    UnitTexts,
)
from requests_service.statistics import objection_service
from requests_service.statistics import service as request_statistics
from requests_service.statistics.schemas import Period
from requests_service.workflow.models import FeeItem

# SLIP Pasal 56 (DOMAIN.md 15.1), in the report's order.
TITLES = {
    1: "Gambaran umum kebijakan pelayanan informasi publik",
    2: "Gambaran umum pelaksanaan pelayanan informasi publik",
    3: "Rincian pelayanan informasi publik",
    4: "Rincian penyelesaian sengketa informasi publik",
    5: "Kendala eksternal dan internal dalam pelaksanaan layanan informasi publik",
    6: "Rekomendasi dan rencana tindak lanjut untuk meningkatkan kualitas pelayanan",
}
# DOMAIN.md 11 rows 5-7 (UU Pasal 36(1), 36(2), 37(2)).
OBJECTION_FILING_WD = 30
OBJECTION_RESPONSE_WD = 30
DISPUTE_FILING_WD = 14


def due_date(year: int) -> dt.date:
    """SLIP Pasal 56: at most three months after the fiscal year ends."""
    return dt.date(year + 1, 3, 31)


def report_units(tree: UnitTree, scope: uuid.UUID) -> list[uuid.UUID]:
    """The scope and every unit below it, the scope first, then by code."""
    below = sorted(tree.subtree(scope) - {scope}, key=lambda u: (tree.node(u).code, str(u)))
    return [scope, *below]


def unit_ref(tree: UnitTree, unit_id: uuid.UUID) -> UnitRef:
    node = tree.node(unit_id)
    return UnitRef(unit_id=unit_id, code=node.code, name=node.name)


async def build_report(
    session: AsyncSession,
    tree: UnitTree,
    root_id: uuid.UUID,
    unit_id: uuid.UUID | None,
    year: int,
    *,
    view: ReportView,
    today: dt.date,
) -> AnnualReport:
    """The report of the root (consolidated, `unit_id` None) or of `unit_id` for `year`;
    the public view suppresses small cells as the public statistics do (DOMAIN.md 17)."""
    scope = unit_id or root_id
    units = report_units(tree, scope)
    suppress = view is ReportView.PUBLIC
    period = Period(year=year, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    zone = tree.node(root_id).time_zone
    narratives = await _narratives(session, set(units), year)
    return AnnualReport(
        root_id=root_id,
        unit_id=unit_id,
        scope=unit_ref(tree, scope),
        year=year,
        period=period,
        due_date=due_date(year),
        as_of=today,
        view=view,
        suppression=suppress,
        policy=PolicySection(
            **_narrative(1, tree, units, narratives).model_dump(),
            facts=await policy_facts(session, tree, root_id, units),
        ),
        operation=OperationSection(
            **_narrative(2, tree, units, narratives).model_dump(),
            facts=await operation_facts(session, tree, root_id, year),
        ),
        service=await service_section(session, tree, root_id, units, period, suppress, zone),
        disputes=await dispute_section(
            session, tree, root_id, units, period, suppress, zone, today
        ),
        obstacles=_narrative(5, tree, units, narratives),
        recommendations=_narrative(6, tree, units, narratives),
    )


async def service_section(
    session: AsyncSession,
    tree: UnitTree,
    root_id: uuid.UUID,
    units: list[uuid.UUID],
    period: Period,
    suppress: bool,
    zone: str | None,
) -> ServiceSection:
    """Section 3: the request statistics of the year, per handling unit and in total."""
    tallies = await request_statistics.tally(
        session, root_id, set(units), period.start, period.end, time_zone=zone
    )
    return ServiceSection(
        number=3,
        title=TITLES[3],
        total=request_statistics.figures(request_statistics.total(tallies), suppress=suppress),
        units=[
            UnitRequestFigures(
                **unit_ref(tree, unit).model_dump(),
                figures=request_statistics.figures(
                    tallies.get(unit, request_statistics.Tally()), suppress=suppress
                ),
            )
            for unit in units
        ],
    )


async def dispute_section(
    session: AsyncSession,
    tree: UnitTree,
    root_id: uuid.UUID,
    units: list[uuid.UUID],
    period: Period,
    suppress: bool,
    zone: str | None,
    today: dt.date,
) -> DisputeSection:
    """Section 4: objections and their follow-up, KI applications and their results."""
    tallies = await objection_service.tally(
        session, root_id, set(units), period.start, period.end, today=today, time_zone=zone
    )

    def scope(t: objection_service.Tallies) -> DisputeScope:
        return DisputeScope(**dict(objection_service.scope_figures(t, suppress=suppress)))

    return DisputeSection(
        number=4,
        title=TITLES[4],
        total=scope(objection_service.total(tallies)),
        units=[
            UnitDisputeFigures(
                **unit_ref(tree, unit).model_dump(),
                **dict(scope(tallies.get(unit, objection_service.Tallies()))),
            )
            for unit in units
        ],
    )


async def policy_facts(
    session: AsyncSession, tree: UnitTree, root_id: uuid.UUID, units: list[uuid.UUID]
) -> PolicyFacts:
    """Section 1's facts: the PPID and units, the cost standard (DOMAIN.md 12), the rules."""
    root = tree.node(root_id)
    items = (
        await session.execute(
            sa.select(FeeItem)
            .where(col(FeeItem.root_id) == root_id, col(FeeItem.active).is_(True))
            .order_by(col(FeeItem.position), col(FeeItem.code))
        )
    ).scalars()
    lines = [
        FeeLine(
            code=item.code,
            description=item.description,
            unit_price=item.unit_price,
            unit=item.unit,
            effective_from=item.effective_from,
            decree_no=item.decree_no,
        )
        for item in items
    ]
    policy = await session.get(RequestPolicy, root_id) or RequestPolicy(root_id=root_id)
    return PolicyFacts(
        body_name=root.name,
        body_code=root.code,
        units=[
            UnitDesignation(
                **unit_ref(tree, unit).model_dump(),
                designation="ppid_utama" if unit == root_id else "ppid_pelaksana",
            )
            for unit in units
        ],
        cost_standard=lines,
        cost_standard_decrees=sorted({line.decree_no for line in lines}),
        rules=RequestRules(
            notice_working_days=NOTICE_WORKING_DAYS,
            extension_working_days=EXTENSION_WORKING_DAYS,
            objection_filing_working_days=OBJECTION_FILING_WD,
            objection_response_working_days=OBJECTION_RESPONSE_WD,
            dispute_filing_working_days=DISPUTE_FILING_WD,
            delivery_sla_equals_notice=policy.delivery_sla_equals_notice,
            identity_scan_required=policy.require_identity_scan,
        ),
    )


async def operation_facts(
    session: AsyncSession, tree: UnitTree, root_id: uuid.UUID, year: int
) -> OperationFacts:
    """Section 2's facts: service hours and time zone (DOMAIN.md 14.2), the year's
    working days on the root's calendar (14.1)."""
    zone = tree.node(root_id).time_zone
    policy = await get_policy(session, root_id) or default_policy(root_id, zone)
    calendar = await load_calendar(session, root_id, time_zone=zone)
    days = [dt.date(year, 1, 1) + dt.timedelta(days=n) for n in range(366)]
    days = [day for day in days if day.year == year]
    weekend = set(policy.weekend_days)
    return OperationFacts(
        time_zone=policy.time_zone,
        service_start=policy.service_start,
        service_end=policy.service_end,
        weekend_days=sorted(weekend),
        cuti_bersama_closed=policy.count_cuti_bersama_as_holiday,
        working_days_in_year=sum(calendar.is_working_day(day) for day in days),
        closed_weekdays_in_year=sum(
            day.isoweekday() not in weekend and not calendar.is_working_day(day) for day in days
        ),
    )


async def _narratives(
    session: AsyncSession, units: set[uuid.UUID], year: int
) -> dict[uuid.UUID, AnnualReportNarrative]:
    rows = (
        await session.execute(
            sa.select(AnnualReportNarrative).where(
                col(AnnualReportNarrative.unit_id).in_(list(units)),
                col(AnnualReportNarrative.year) == year,
            )
        )
    ).scalars()
    return {row.unit_id: row for row in rows}


def _texts(row: AnnualReportNarrative | None, number: int) -> dict[str, str | None]:
    parts = [part for section, part in NARRATIVE_PARTS if section == number]
    return {part: getattr(row, part) if row is not None else None for part in parts}


def _narrative(
    number: int,
    tree: UnitTree,
    units: list[uuid.UUID],
    narratives: dict[uuid.UUID, AnnualReportNarrative],
) -> NarrativeSection:
    """A narrative section: the scope's text, and the units' below that wrote theirs."""
    scope, below = units[0], units[1:]
    written = [
        UnitTexts(**unit_ref(tree, unit).model_dump(), texts=_texts(narratives[unit], number))
        for unit in below
        if unit in narratives and any(_texts(narratives[unit], number).values())
    ]
    return NarrativeSection(
        number=number,
        title=TITLES[number],
        texts=_texts(narratives.get(scope), number),
        units=written,
    )


def narrative_view(row: AnnualReportNarrative | None, unit_id: uuid.UUID, year: int) -> Narrative:
    """The stored narrative, or the empty one (version 0) before the first write."""
    if row is None:
        return Narrative(unit_id=unit_id, year=year, version=0, updated_at=None)
    return Narrative(
        unit_id=unit_id,
        year=year,
        version=row.version,
        updated_at=row.updated_at,
        **{part: getattr(row, part) for _, part in NARRATIVE_PARTS},
    )
