"""Building the readiness report: the registry's DIP freshness, the service figures and the
root's settings turned into each unit's checklist, score and Monev category (DOMAIN.md 16).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ppid_kit.problems import Lang, Text
from ppid_kit.unit_tree import UnitNode, UnitTree
from sqlalchemy.ext.asyncio import AsyncSession

from requests_service.readiness import scoring
from requests_service.readiness.figures import (
    ObjectionFigures,
    OverdueFigures,
    RequestFigures,
    RootSettings,
    UnitService,
    root_settings,
    service_figures,
)
from requests_service.readiness.registry import Freshness, UnitFreshness
from requests_service.readiness.schemas import (
    BandInfo,
    ChecklistItem,
    DipSummary,
    ReadinessReport,
    RootSummary,
    UnitDip,
    UnitReadiness,
    Weight,
)
from requests_service.readiness.scoring import ItemKey, Outcome
from requests_service.texts import tanggal

# DOMAIN.md 16 "timely updates": the KI's monitoring expects the DIP updated monthly.
RECENT_UPDATE_DAYS = 30
# The share of requests answered on time that counts as met.
ON_TIME_TARGET = 0.9
DEFAULT_ZONE = "Asia/Jakarta"
PPID_ROLES = ("utama", "pelaksana")
# The checklist is listed in the order of the weights table.
ORDER = {spec.key: index for index, spec in enumerate(scoring.ITEMS)}

NOTE = Text(
    "Perkiraan internal dari data Terbuka untuk pemantauan oleh PPID Utama, bukan penilaian "
    "(Monev) Komisi Informasi. Hanya butir yang dapat dibuktikan oleh data yang dinilai; butir "
    "lain (bukti SAQ, situs web PPID, forum, sarana dan prasarana, inovasi…) berada di luar "
    "sistem ini.",
    "An internal estimate from Terbuka's data for the PPID Utama's monitoring, not the "
    "Komisi Informasi's assessment (Monev). Only the items the data proves are scored; the "
    "rest (SAQ evidence, the PPID website, forums, facilities, innovation…) is outside this "
    "system.",
)


@dataclass(frozen=True)
class Context:
    """What every unit's checklist reads."""

    root_id: uuid.UUID
    year: int
    now: dt.datetime
    lang: Lang
    freshness: Freshness
    settings: RootSettings
    tree: UnitTree


@dataclass(frozen=True)
class Decided:
    """One checklist item decided, with its evidence (Indonesian and English)."""

    outcome: Outcome
    evidence: Text
    link: str | None


def _day(value: dt.date, lang: Lang) -> str:
    return value.isoformat() if lang == "en" else tanggal(value)


def _percent(value: float | None, lang: Lang) -> str:
    """`92,5 %` in Indonesian (a decimal comma), `92.5 %` in English."""
    if value is None:
        return "-"
    text = f"{value * 100:.1f} %"
    return text if lang == "en" else text.replace(".", ",")


def _item(
    key: ItemKey, met: bool, evidence: Text, link: str | None, *, applicable: bool = True
) -> Decided:
    return Decided(Outcome(key, met, applicable), evidence, link)


def dip_items(ctx: Context, dip: UnitFreshness) -> list[Decided]:
    """The DIP items: the decree of the year, entries per category, freshness."""
    fresh = ctx.freshness
    decree = fresh.decree
    link = f"/v1/dip/freshness?root={ctx.root_id}"
    items = [
        _item(
            ItemKey.DIP_DECREE,
            decree is not None,
            Text(
                f"Ditetapkan dengan nomor {decree.number} tanggal {tanggal(decree.decree_date)}",
                f"Set by decree number {decree.number} of {decree.decree_date.isoformat()}",
            )
            if decree is not None
            else Text(
                f"Belum ada SK penetapan DIP tahun {fresh.year}",
                f"No decree setting the {fresh.year} DIP",
            ),
            f"/v1/dip/decrees/{ctx.root_id}/{fresh.year}",
        )
    ]
    counts = dip.published
    for key, count, name in (
        (ItemKey.DIP_BERKALA, counts.berkala, "berkala"),
        (ItemKey.DIP_SETIAP_SAAT, counts.setiap_saat, "setiap saat"),
        (ItemKey.DIP_SERTA_MERTA, counts.serta_merta, "serta merta"),
    ):
        text = Text(f"{count} entri {name} diumumkan", f"{count} published {name} entries")
        items.append(_item(key, count > 0, text, link))
    stale = len(dip.stale_berkala)
    items.append(
        _item(
            ItemKey.NO_STALE_BERKALA,
            counts.berkala > 0 and stale == 0,
            Text(
                f"{stale} dari {counts.berkala} entri berkala tidak diperbarui dalam "
                f"{fresh.berkala_stale_days} hari",
                f"{stale} of {counts.berkala} berkala entries not updated within "
                f"{fresh.berkala_stale_days} days",
            ),
            link,
        )
    )
    last = dip.last_updated_at
    recent = last is not None and last >= ctx.now - dt.timedelta(days=RECENT_UPDATE_DAYS)
    zone = ZoneInfo(ctx.tree.node(ctx.root_id).time_zone or DEFAULT_ZONE)
    items.append(
        _item(
            ItemKey.UPDATED_RECENTLY,
            recent,
            Text("Belum ada entri yang diumumkan", "Nothing published yet")
            if last is None
            else Text(
                f"Terakhir diperbarui {tanggal(last.astimezone(zone).date())}",
                f"Last updated {last.astimezone(zone).date().isoformat()}",
            ),
            link,
        )
    )
    return items


def service_items(ctx: Context, unit_id: uuid.UUID, figures: UnitService) -> list[Decided]:
    """The service items: the register, requests on time, overdue, objections."""
    requests, objections = figures.requests, figures.objections
    query = f"root={ctx.root_id}&unit_id={unit_id}&year={ctx.year}"
    measured = requests.measured
    overdue = figures.overdue.requests
    judged = objections.decided + objections.open_past_due
    return [
        _item(
            ItemKey.REQUEST_REGISTER,
            requests.received > 0,
            Text(
                f"{requests.received} permohonan tercatat tahun {ctx.year}",
                f"{requests.received} requests registered in {ctx.year}",
            ),
            f"/v1/requests/register.csv?unit_id={unit_id}&year={ctx.year}",
        ),
        _item(
            ItemKey.REQUESTS_ON_TIME,
            requests.on_time_share is not None and requests.on_time_share >= ON_TIME_TARGET,
            Text(
                f"{requests.on_time} dari {measured} permohonan tepat waktu "
                f"({_percent(requests.on_time_share, 'id')})",
                f"{requests.on_time} of {measured} requests on time "
                f"({_percent(requests.on_time_share, 'en')})",
            ),
            f"/v1/statistics/requests/official?{query}",
            applicable=measured > 0,
        ),
        _item(
            ItemKey.NO_OPEN_OVERDUE,
            overdue == 0,
            Text(
                f"{overdue} permohonan terbuka melewati batas waktu",
                f"{overdue} open requests past their deadline",
            ),
            f"/v1/requests?unit_id={unit_id}&overdue=notice",
        ),
        _item(
            ItemKey.OBJECTIONS_ON_TIME,
            objections.decided_late == 0 and objections.open_past_due == 0,
            Text(
                f"{objections.decided_on_time} dari {objections.decided} keberatan ditanggapi "
                f"dalam 30 hari kerja; {objections.open_past_due} melewati batas tanpa tanggapan",
                f"{objections.decided_on_time} of {objections.decided} objections answered "
                f"within 30 working days; {objections.open_past_due} past due unanswered",
            ),
            None,
            applicable=judged > 0,
        ),
    ]


def setting_items(ctx: Context, node: UnitNode) -> list[Decided]:
    """The root's published standards and the unit's PPID."""
    settings = ctx.settings
    fees = settings.cost_standard_updated_at
    start, end = settings.service_start, settings.service_end
    return [
        _item(
            ItemKey.COST_STANDARD,
            fees is not None,
            Text("Belum ada standar biaya", "No cost standard")
            if fees is None
            else Text(
                f"Standar biaya ditetapkan, diperbarui {tanggal(fees.date())}",
                f"Cost standard set, updated {fees.date().isoformat()}",
            ),
            f"/v1/requests/fees/{ctx.root_id}",
        ),
        _item(
            ItemKey.SERVICE_HOURS,
            settings.calendar_policy_version is not None,
            Text("Belum ditetapkan (berlaku bawaan)", "Not set (the defaults apply)")
            if start is None or end is None
            else Text(
                f"Jam layanan {start:%H.%M}-{end:%H.%M}, kebijakan versi "
                f"{settings.calendar_policy_version}",
                f"Service hours {start:%H:%M}-{end:%H:%M}, policy version "
                f"{settings.calendar_policy_version}",
            ),
            f"/v1/calendar/{ctx.root_id}/policy",
        ),
        ppid_item(ctx, node),
    ]


def ppid_item(ctx: Context, node: UnitNode) -> Decided:
    """A PPID for the unit (UU Pasal 13); for the root, a PPID Utama anywhere in it."""
    link = f"/v1/units/{node.id}"
    if node.id == ctx.root_id:
        units = [ctx.tree.node(u) for u in ctx.tree.subtree(node.id)]
        known = [u for u in units if u.ppid is not None]
        met = any(u.ppid == "utama" for u in known)
        text = (
            Text("PPID Utama ditunjuk", "A PPID Utama is designated")
            if met
            else Text("Belum ada PPID Utama", "No PPID Utama designated")
        )
        return _item(ItemKey.PPID_DESIGNATED, met, text, link, applicable=bool(known))
    met = node.ppid in PPID_ROLES
    text = (
        Text(f"PPID {node.ppid} ditunjuk", f"PPID {node.ppid} designated")
        if met
        else Text("Tidak ada PPID yang ditunjuk", "No PPID designated")
    )
    return _item(ItemKey.PPID_DESIGNATED, met, text, link, applicable=node.ppid is not None)


def unit_report(ctx: Context, node: UnitNode, figures: UnitService) -> UnitReadiness:
    dip = ctx.freshness.of_unit(node.id)
    decided = dip_items(ctx, dip) + service_items(ctx, node.id, figures) + setting_items(ctx, node)
    decided.sort(key=lambda d: ORDER[d.outcome.key])
    score = scoring.score([d.outcome for d in decided])
    band = scoring.band_of(score)
    return UnitReadiness(
        unit_id=node.id,
        parent_id=node.parent_id,
        code=node.code,
        name=node.name,
        ppid=node.ppid,
        dip=UnitDip(
            last_updated_at=dip.last_updated_at,
            published=dip.published,
            stale_berkala=dip.stale_berkala,
        ),
        requests=figures.requests,
        open_overdue=figures.overdue,
        objections=figures.objections,
        checklist=[checklist_item(ctx.lang, d) for d in decided],
        score=score,
        category=band.category,
        category_label=band.label,
    )


def checklist_item(lang: Lang, decided: Decided) -> ChecklistItem:
    spec = scoring.SPECS[decided.outcome.key]
    return ChecklistItem(
        key=spec.key,
        title=spec.title.get(lang),
        scope=spec.scope,
        weight=spec.weight,
        applicable=decided.outcome.applicable,
        met=decided.outcome.met and decided.outcome.applicable,
        evidence=decided.evidence.get(lang),
        link=decided.link,
    )


def active_units(tree: UnitTree, root_id: uuid.UUID) -> list[UnitNode]:
    """The root's active units depth first, children in code order: parents first."""
    ordered: list[UnitNode] = []
    stack = [root_id]
    while stack:
        node = tree.node(stack.pop())
        if not node.is_active:
            continue  # an inactive unit's sub-units are closed with it
        ordered.append(node)
        children = sorted(tree.children.get(node.id, ()), key=lambda u: tree.node(u).code)
        stack.extend(reversed(children))
    return ordered


def summary(units: list[UnitReadiness]) -> RootSummary:
    requests, objections, overdue = RequestFigures(), ObjectionFigures(), OverdueFigures()
    for unit in units:
        requests.add(unit.requests)
        objections.add(unit.objections)
        overdue.add(unit.open_overdue)
    score = scoring.mean_score([u.score for u in units])
    band = scoring.band_of(score)
    counted = Counter(u.category.value for u in units)
    return RootSummary(
        score=score,
        category=band.category,
        category_label=band.label,
        units_assessed=len(units),
        units_by_category={c.value: counted[c.value] for c in scoring.Category},
        requests=requests,
        open_overdue=overdue,
        objections=objections,
    )


async def readiness_report(
    session: AsyncSession,
    tree: UnitTree,
    root_id: uuid.UUID,
    year: int,
    freshness: Freshness,
    *,
    now: dt.datetime,
    lang: Lang,
) -> ReadinessReport:
    figures = await service_figures(session, root_id, year, now)
    ctx = Context(root_id, year, now, lang, freshness, await root_settings(session, root_id), tree)
    units = [
        unit_report(ctx, node, figures.get(node.id, UnitService()))
        for node in active_units(tree, root_id)
    ]
    zone = ZoneInfo(tree.node(root_id).time_zone or DEFAULT_ZONE)
    return ReadinessReport(
        root_id=root_id,
        year=year,
        as_of=now.astimezone(zone).date(),
        note=NOTE.get(lang),
        weights=[
            Weight(key=s.key, scope=s.scope, weight=s.weight, title=s.title.get(lang))
            for s in scoring.ITEMS
        ],
        categories=[
            BandInfo(category=b.category, label=b.label, minimum=b.minimum, maximum=b.maximum)
            for b in scoring.BANDS
        ],
        dip=DipSummary(
            year=freshness.year,
            decree=freshness.decree,
            berkala_stale_days=freshness.berkala_stale_days,
        ),
        summary=summary(units),
        units=units,
    )
