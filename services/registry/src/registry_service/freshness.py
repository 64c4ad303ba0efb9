"""How fresh each unit's DIP is, for the PPID Utama (GET /v1/dip/freshness).

DOMAIN.md 4 and 16: berkala information is announced periodically (UU 14/2008 Pasal 9,
at least every six months), and the Komisi Informasi's monitoring (Monev) expects
monthly updates and the current year's DIP set by decree (SK penetapan DIP). So the
report lists, for every unit of the root (from auth's unit tree, units with nothing
published included): when its published entries last changed, how many it publishes
per category, and its berkala entries not updated within the root's policy
(`dip_policies.berkala_stale_days`, 30 days without a row).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from fastapi import APIRouter, Query, Request, Response
from ppid_kit.db import SessionDep
from ppid_kit.etag import json_with_etag
from ppid_kit.models import PublicModel
from ppid_kit.problems import NOT_FOUND, ProblemError, Text, problem_responses
from ppid_kit.tokens import CurrentClaims
from ppid_kit.unit_tree import UnitTree, UnitTreeDep
from pydantic import Field
from sqlmodel import col

from registry_service import access
from registry_service.models import DipCategory, DipDecree, DipEntry, DipPolicy, DipStatus

router = APIRouter(prefix="/v1/dip", tags=["dip"])

# DipPolicy's default: the Komisi Informasi's monitoring expects monthly updates.
DEFAULT_STALE_DAYS = 30
# The decree year follows the calendar in Indonesia's westernmost zone; the DIP of a
# root in WITA/WIT is the same calendar year but for a few hours on New Year's Eve.
_CALENDAR_ZONE = ZoneInfo("Asia/Jakarta")
_NOT_A_ROOT = Text("Badan publik (unit induk) tidak dikenal.", "Unknown public body (root unit).")


class CategoryCounts(PublicModel):
    berkala: int = 0
    serta_merta: int = 0
    setiap_saat: int = 0
    total: int = 0


class StaleEntry(PublicModel):
    """A published berkala entry not updated within the policy's days."""

    id: uuid.UUID
    number: str
    title: str
    updated_at: datetime


class UnitFreshness(PublicModel):
    unit_id: uuid.UUID
    parent_id: uuid.UUID | None
    is_active: bool
    last_updated_at: datetime | None = Field(
        description="When its most recently updated published entry changed; null: none."
    )
    published: CategoryCounts
    stale_berkala: list[StaleEntry]


class DecreeSummary(PublicModel):
    """The root's decree setting this year's DIP (SK penetapan DIP), when recorded."""

    id: uuid.UUID
    year: int
    number: str
    decree_date: date
    signed_by: str | None


class FreshnessReport(PublicModel):
    model_config = {  # noqa: RUF012 - pydantic's config
        "json_schema_extra": {
            "examples": [
                {
                    "root_id": "5d0c3c1e-8a7e-4bb2-9d54-0c6a6f4f3e01",
                    "generated_at": "2026-03-02T08:00:00+07:00",
                    "berkala_stale_days": 30,
                    "stale_before": "2026-01-31T08:00:00+07:00",
                    "year": 2026,
                    "decree": None,
                    "units": [],
                }
            ]
        }
    }

    root_id: uuid.UUID
    generated_at: datetime
    berkala_stale_days: int
    stale_before: datetime = Field(description="Berkala entries updated before this are stale.")
    year: int
    decree: DecreeSummary | None
    units: list[UnitFreshness] = Field(description="The root's units, parents before children.")


def _units_in_order(tree: UnitTree, root_id: uuid.UUID) -> list[uuid.UUID]:
    """Depth first from the root, children in id order: a stable, readable order."""
    ordered: list[uuid.UUID] = []
    stack = [root_id]
    while stack:
        unit = stack.pop()
        ordered.append(unit)
        stack.extend(sorted(tree.children.get(unit, ()), key=str, reverse=True))
    return ordered


async def freshness_report(
    session: SessionDep, root_id: uuid.UUID, tree: UnitTree, now: datetime
) -> FreshnessReport:
    policy = await session.get(DipPolicy, root_id)
    stale_days = policy.berkala_stale_days if policy is not None else DEFAULT_STALE_DAYS
    stale_before = now - timedelta(days=stale_days)
    year = now.astimezone(_CALENDAR_ZONE).year
    published = (col(DipEntry.root_id) == root_id, col(DipEntry.status) == DipStatus.PUBLISHED)

    counts = await session.execute(
        sa.select(
            col(DipEntry.unit_id),
            col(DipEntry.category),
            sa.func.count(),
            sa.func.max(col(DipEntry.updated_at)),
        )
        .where(*published)
        .group_by(col(DipEntry.unit_id), col(DipEntry.category))
    )
    tallies: dict[uuid.UUID, CategoryCounts] = {}
    latest: dict[uuid.UUID, datetime] = {}
    for unit_id, category, count, last in counts.all():
        tally = tallies.setdefault(unit_id, CategoryCounts())
        setattr(tally, DipCategory(category).value, count)
        tally.total += count
        if unit_id not in latest or last > latest[unit_id]:
            latest[unit_id] = last

    stale_rows = await session.scalars(
        sa.select(DipEntry)
        .where(
            *published,
            col(DipEntry.category) == DipCategory.BERKALA,
            col(DipEntry.updated_at) < stale_before,
        )
        .order_by(col(DipEntry.updated_at), col(DipEntry.id))
    )
    stale: dict[uuid.UUID, list[StaleEntry]] = {}
    for entry in stale_rows.all():
        stale.setdefault(entry.unit_id, []).append(
            StaleEntry(
                id=entry.id, number=entry.number, title=entry.title, updated_at=entry.updated_at
            )
        )

    decree = (
        await session.scalars(
            sa.select(DipDecree).where(
                col(DipDecree.root_id) == root_id, col(DipDecree.year) == year
            )
        )
    ).one_or_none()
    ids = _units_in_order(tree, root_id)
    # Entries of units auth no longer lists (deleted from the tree) still count.
    ids += sorted(set(tallies) - set(ids), key=str)
    units = [
        UnitFreshness(
            unit_id=unit_id,
            parent_id=tree.parent(unit_id) if unit_id in tree else None,
            is_active=tree.active(unit_id) if unit_id in tree else False,
            last_updated_at=latest.get(unit_id),
            published=tallies.get(unit_id, CategoryCounts()),
            stale_berkala=stale.get(unit_id, []),
        )
        for unit_id in ids
    ]
    return FreshnessReport(
        root_id=root_id,
        generated_at=now,
        berkala_stale_days=stale_days,
        stale_before=stale_before,
        year=year,
        decree=None if decree is None else DecreeSummary.model_validate(decree),
        units=units,
    )


@router.get(
    "/freshness",
    response_model=FreshnessReport,
    summary="How up to date each unit's DIP is (officials)",
    description=(
        "For the officials of the root (any role): per unit of the root, units without "
        "entries included, the last update of its published entries, their count per "
        "category, and its berkala entries not updated within the root's "
        "`berkala_stale_days` (default 30: the Komisi Informasi's monitoring expects monthly "
        "updates); and the root's decree setting this year's DIP, if recorded."
    ),
    responses={
        200: {"headers": {"ETag": {"schema": {"type": "string"}}}},
        304: {"description": "Not modified."},
        **problem_responses(401, 403, 404),
    },
)
async def get_dip_freshness(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    root: Annotated[uuid.UUID, Query(description="The root (badan publik).")],
) -> Response:
    if root not in tree or tree.root_of(root) != root:
        raise ProblemError(NOT_FOUND, _NOT_A_ROOT)
    access.official_role_in_root(claims, root, tree)
    report = await freshness_report(session, root, tree, datetime.now(UTC))
    return json_with_etag(
        request, report.model_dump(mode="json"), cache_control="private, no-cache"
    )
