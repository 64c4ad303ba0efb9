"""The narrative of the annual service report, written by the PPID (DOMAIN.md 15.1).

SLIP Pasal 56 sections 1 (policy), 2 (how the service runs), 5 (obstacles) and 6
(recommendations and follow-up) are prose only the PPID can write; sections 3 and 4 are
computed. One row per (unit, year): the root's row speaks for the consolidated report.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from ppid_kit.models import Timestamps
from sqlmodel import Field

# The narrative parts, in report order: (section number, column).
NARRATIVE_PARTS: tuple[tuple[int, str], ...] = (
    (1, "policy"),
    (2, "operation"),
    (5, "obstacles_internal"),
    (5, "obstacles_external"),
    (6, "recommendations"),
    (6, "follow_up_plan"),
)


class AnnualReportNarrative(Timestamps, table=True):
    """The PPID's text for one unit's (or the root's) report of one year."""

    __tablename__ = "annual_report_narratives"
    __table_args__ = (
        sa.CheckConstraint("year BETWEEN 2008 AND 2100", name="ck_annual_report_narratives_year"),
        sa.Index("ix_annual_report_narratives_root_year", "root_id", "year"),
    )

    unit_id: uuid.UUID = Field(primary_key=True)
    year: int = Field(primary_key=True)
    root_id: uuid.UUID
    policy: str | None = Field(default=None, sa_type=sa.Text)
    operation: str | None = Field(default=None, sa_type=sa.Text)
    obstacles_internal: str | None = Field(default=None, sa_type=sa.Text)
    obstacles_external: str | None = Field(default=None, sa_type=sa.Text)
    recommendations: str | None = Field(default=None, sa_type=sa.Text)
    follow_up_plan: str | None = Field(default=None, sa_type=sa.Text)
    updated_by: uuid.UUID | None = Field(default=None)
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
