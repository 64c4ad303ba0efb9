"""The registry's DIP freshness report (`GET /v1/dip/freshness`), read over HTTP.

The registry owns the DIP (DOMAIN.md 5); its freshness report gives, per unit of the
root, the last update of the published entries, their count per category, the berkala
entries not updated in time (UU Pasal 9(3)) and the root's decree for this year. The
caller's bearer is forwarded: the registry answers the officials of the root. A report
without the DIP would be misleading, so the registry down means no report (503).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from ppid_kit.problems import Text
from pydantic import BaseModel

from requests_service.registry_client import RegistryHttp, registry_model

REGISTRY_UNREACHABLE = Text(
    "Registri DIP tidak dapat dihubungi, sehingga laporan kesiapan tidak dapat disusun; coba "
    "lagi sebentar lagi.",
    "The DIP registry could not be reached, so the readiness report cannot be made; try again "
    "shortly.",
)
REGISTRY_BAD_ANSWER = Text(
    "Registri DIP memberi jawaban yang tidak dapat dipahami.",
    "The DIP registry gave an answer that could not be understood.",
)


class CategoryCounts(BaseModel):
    berkala: int = 0
    serta_merta: int = 0
    setiap_saat: int = 0
    total: int = 0


class StaleEntry(BaseModel):
    id: uuid.UUID
    number: str
    title: str
    updated_at: dt.datetime


class UnitFreshness(BaseModel):
    unit_id: uuid.UUID
    last_updated_at: dt.datetime | None
    published: CategoryCounts
    stale_berkala: list[StaleEntry]


class Decree(BaseModel):
    id: uuid.UUID
    year: int
    number: str
    decree_date: dt.date
    signed_by: str | None = None


class Freshness(BaseModel):
    """What readiness uses of the registry's `FreshnessReport`."""

    root_id: uuid.UUID
    berkala_stale_days: int
    year: int
    decree: Decree | None
    units: list[UnitFreshness]

    def of_unit(self, unit_id: uuid.UUID) -> UnitFreshness:
        """The unit's row; a unit the registry did not list has published nothing."""
        found = next((u for u in self.units if u.unit_id == unit_id), None)
        return found or UnitFreshness(
            unit_id=unit_id, last_updated_at=None, published=CategoryCounts(), stale_berkala=[]
        )


@dataclass(frozen=True)
class FreshnessClient(RegistryHttp):
    async def freshness(self, root_id: uuid.UUID, authorization: str | None) -> Freshness:
        """The root's report; 503 (with Retry-After) when the registry is down or failing,
        502 when it answers something else than the report."""
        response = await self.get(
            "/v1/dip/freshness",
            params={"root": str(root_id)},
            authorization=authorization,
            unreachable=REGISTRY_UNREACHABLE,
            down=range(500, 600),
        )
        return registry_model(response, Freshness, REGISTRY_BAD_ANSWER)
