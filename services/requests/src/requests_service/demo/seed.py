"""The demo badan publik's working calendar (policy, two years of holidays), fee schedule.

The root is auth's demo root (`ppid_kit.demo.demo_id("kota-contoh")`): same id, no
import of auth. Running it again adds nothing (a seed only adds what is missing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ppid_kit.access import Actor
from ppid_kit.audit import write_audit
from ppid_kit.demo import demo_id
from sqlalchemy.ext.asyncio import AsyncSession

from requests_service.calendar import repository
from requests_service.calendar.models import CalendarPolicy
from requests_service.calendar.seed import package_source, seed_year
from requests_service.calendar.service import get_policy, save_policy
from requests_service.workflow.fees import get_schedule, replace_schedule
from requests_service.workflow.schemas import FeeItemIn

ROOT_ID = demo_id("kota-contoh")
TIME_ZONE = "Asia/Jakarta"  # Kota Contoh is in WIB, as auth's demo root says


# The demo cost standard (DOMAIN.md 12): copying at cost, softcopy free (no item needed).
# Prices follow common practice, e.g. Rp200 a photocopied sheet (MA SK 2-144/KMA/SK/VIII/2022).
DEMO_DECREE = "Keputusan Wali Kota Contoh Nomor 188.45/12/KEP/2026"
DEMO_FEES = (
    FeeItemIn(
        code="FC-A4",
        description="Fotokopi dokumen ukuran A4/F4",
        unit_price=200,
        unit="lembar",
        effective_from=dt.date(2026, 1, 1),
        decree_no=DEMO_DECREE,
    ),
    FeeItemIn(
        code="CETAK-A4",
        description="Cetak dokumen elektronik ukuran A4",
        unit_price=2000,
        unit="halaman",
        effective_from=dt.date(2026, 1, 1),
        decree_no=DEMO_DECREE,
    ),
    FeeItemIn(
        code="CD-DVD",
        description="Salinan pada cakram CD/DVD (termasuk cakram)",
        unit_price=10000,
        unit="keping",
        effective_from=dt.date(2026, 1, 1),
        decree_no=DEMO_DECREE,
    ),
    FeeItemIn(
        code="POS-KOTA",
        description="Pengiriman salinan melalui pos dalam kota",
        unit_price=15000,
        unit="kiriman",
        effective_from=dt.date(2026, 1, 1),
        decree_no=DEMO_DECREE,
    ),
)


@dataclass(frozen=True)
class Summary:
    years: tuple[int, ...]
    added: int
    policy_created: bool
    version: int
    fees_created: bool = False


def demo_policy() -> CalendarPolicy:
    """Weekends closed, cuti bersama counted as holidays, service 08:00-16:00 WIB."""
    return CalendarPolicy(
        root_id=ROOT_ID,
        time_zone=TIME_ZONE,
        weekend_days=[6, 7],
        count_cuti_bersama_as_holiday=True,
        service_start=dt.time(8, 0),
        service_end=dt.time(16, 0),
        version=0,
    )


async def seed(session: AsyncSession, today: dt.date | None = None) -> Summary:
    """The demo root's policy (when it has none) and the holidays of this year and the next."""
    today = today or dt.datetime.now(ZoneInfo(TIME_ZONE)).date()
    years = (today.year, today.year + 1)
    await repository.lock_calendar(session, ROOT_ID)
    policy = await get_policy(session, ROOT_ID)
    created = policy is None
    if policy is None:
        policy = demo_policy()
    added = 0
    for year in years:
        added += len((await seed_year(session, ROOT_ID, year)).added)
    if created or added:
        policy.version += 1
        policy = await save_policy(session, policy)
        await write_audit(
            session,
            action="calendar.seed",
            object_type="calendar",
            object_id=ROOT_ID,
            actor_type="system:demo",
            unit_id=ROOT_ID,
            details={"years": list(years), "source": package_source(), "added": added},
        )
    fees_created = await get_schedule(session, ROOT_ID) is None
    if fees_created:
        await replace_schedule(session, ROOT_ID, None, list(DEMO_FEES), Actor(None, "system:demo"))
    return Summary(
        years=years,
        added=added,
        policy_created=created,
        version=policy.version,
        fees_created=fees_created,
    )
