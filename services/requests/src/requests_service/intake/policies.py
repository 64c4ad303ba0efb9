"""A root's request policy (`core.models.RequestPolicy`): the row, or the defaults.

Other packages read it with `get_request_policy` (the delivery SLA, the identity scans).
"""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from ppid_kit.models import PublicModel
from pydantic import JsonValue
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col

from requests_service.core.models import RequestPolicy

_DEFAULTS = RequestPolicy(root_id=uuid.UUID(int=0))
_EXAMPLE: dict[str, JsonValue] = {
    "number_format": "{root}/{unit}/{series}/{year}/{seq:05d}",
    "delivery_sla_equals_notice": True,
    "require_identity_scan": False,
    "scan_retention_days": 30,
}


async def find_request_policy(
    session: AsyncSession, root_id: uuid.UUID, *, lock: bool = False
) -> RequestPolicy | None:
    stmt = sa.select(RequestPolicy).where(col(RequestPolicy.root_id) == root_id)
    if lock:
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).one_or_none()


async def get_request_policy(session: AsyncSession, root_id: uuid.UUID) -> RequestPolicy:
    """The root's policy; without a row, the defaults (version 0, not added to the session)."""
    found = await find_request_policy(session, root_id)
    if found is not None:
        return found
    return RequestPolicy(
        root_id=root_id,
        number_format=_DEFAULTS.number_format,
        delivery_sla_equals_notice=_DEFAULTS.delivery_sla_equals_notice,
        require_identity_scan=_DEFAULTS.require_identity_scan,
        scan_retention_days=_DEFAULTS.scan_retention_days,
        version=0,
    )


class RequestPolicyUpdate(SQLModel):
    """A root's whole request policy (PUT replaces it; a field left out takes its default)."""

    model_config = {"extra": "forbid", "json_schema_extra": {"examples": [_EXAMPLE]}}

    number_format: str = Field(
        default=_DEFAULTS.number_format,
        min_length=1,
        max_length=128,
        description=(
            "Registration numbers (DOMAIN.md 8.6): `{root}`, `{year}` and `{seq}` (e.g. "
            "`{seq:05d}`) required; `{unit}` and `{series}` (`PI`) optional."
        ),
    )
    delivery_sla_equals_notice: bool = Field(
        default=True, description="The delivery deadline is the notice deadline (DOMAIN.md 9.3)."
    )
    require_identity_scan: bool = Field(
        default=False, description="A KTP or deed scan is required (DOMAIN.md 17)."
    )
    scan_retention_days: int = Field(
        default=30, ge=1, le=3650, description="Days identity scans are kept at most."
    )


class RequestPolicyPublic(RequestPolicyUpdate, PublicModel):
    """A root's request policy; `version` 0 and `updated_at` null: the defaults."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    **_EXAMPLE,
                    "root_id": "5d0c3c1e-8a7e-4bb2-9d54-0c6a6f4f3e01",
                    "version": 0,
                    "updated_at": None,
                }
            ]
        }
    }

    root_id: uuid.UUID
    version: int
    updated_at: dt.datetime | None

    @classmethod
    def of(cls, policy: RequestPolicy) -> RequestPolicyPublic:
        return cls(
            root_id=policy.root_id,
            number_format=policy.number_format,
            delivery_sla_equals_notice=policy.delivery_sla_equals_notice,
            require_identity_scan=policy.require_identity_scan,
            scan_retention_days=policy.scan_retention_days,
            version=policy.version,
            updated_at=policy.updated_at if policy.version else None,
        )
