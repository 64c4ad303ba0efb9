"""`GET /v1/objections/{id}/case-bundle.zip`: what the requester brings to the KI (DOMAIN.md 10.8).

Practice under Perki 1/2013 asks for the request and its receipt, the body's answer, the
objection and its receipt, and the Atasan's answer, plus the requester's identity. We
bundle the documents we issued (built from what was stored, as their own routes build
them) and a README in Indonesian saying what is inside and what the requester must add:
identity evidence (KTP) is never included by us (DOMAIN.md 17). Documents are small, so
the ZIP is built in memory. Every download is audited `objection.case_bundle.read`.
"""

from __future__ import annotations

import asyncio
import io
import uuid
import zipfile
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Header, Path, Response
from ppid_kit.audit import write_audit
from ppid_kit.db import SessionDep
from ppid_kit.problems import problem_responses
from ppid_kit.storage import content_disposition
from ppid_kit.tokens import OptionalClaims
from ppid_kit.unit_tree import UnitTree, UnitTreeDep
from sqlalchemy.ext.asyncio import AsyncSession

from requests_service.core import repository
from requests_service.core.access import ViewerKind, audit_actor_type
from requests_service.core.models import ActorType, InformationRequest
from requests_service.intake.deps import SettingsDep
from requests_service.intake.receipt import receipt_document
from requests_service.objections import documents
from requests_service.objections.access import viewer_of
from requests_service.objections.models import Objection
from requests_service.objections.repository import get_objection
from requests_service.objections.views import response_of
from requests_service.pdf import Document, render_pdf
from requests_service.settings import RequestsSettings
from requests_service.texts import tanggal
from requests_service.workflow.documents import decree_document, notice_document, notice_view
from requests_service.workflow.models import RefusalDecree, RequestNotice

router = APIRouter(tags=["disputes"])

ZIP_MEDIA_TYPE = "application/zip"


@dataclass(frozen=True)
class Member:
    name: str
    description: str
    content: bytes


def _stem(number: str) -> str:
    return number.replace("/", "-")


async def _pdf(document: Document) -> bytes:
    return await asyncio.to_thread(render_pdf, document)


async def request_members(
    session: AsyncSession, info: InformationRequest, tree: UnitTree, settings: RequestsSettings
) -> list[Member]:
    """The request's receipt, and its written notice and refusal decree when issued."""
    identity = await repository.identity(session, info.id)
    name = identity.name if identity is not None else None
    stem = _stem(info.registration_number)
    receipt = receipt_document(
        info,
        requester_name=name or "-",
        tree=tree,
        tracking_link=settings.tracking_link_base,
        tracking_secret=None,  # the bundle travels: no secret printed on it
    )
    members = [
        Member(
            f"01-tanda-bukti-permohonan-{stem}.pdf",
            f"Tanda bukti penerimaan permohonan informasi {info.registration_number}",
            await _pdf(receipt),
        )
    ]
    notice = await session.get(RequestNotice, info.id)
    if notice is None:
        return members
    decree = await session.get(RefusalDecree, info.id)
    view = notice_view(info, notice, decree, name)
    members.append(
        Member(
            f"02-pemberitahuan-tertulis-{stem}.pdf",
            "Pemberitahuan tertulis PPID atas permohonan (jawaban badan publik)",
            await _pdf(notice_document(view)),
        )
    )
    if view.decree is not None:
        members.append(
            Member(
                f"03-keputusan-penolakan-{stem}.pdf",
                f"Keputusan PPID tentang penolakan permohonan Nomor {view.decree.decree_number}",
                await _pdf(decree_document(view)),
            )
        )
    return members


async def objection_members(
    session: AsyncSession, objection: Objection, tree: UnitTree
) -> list[Member]:
    """The objection's receipt, and the Atasan's written response when given."""
    stem = _stem(objection.objection_number)
    members = [
        Member(
            f"04-tanda-bukti-keberatan-{stem}.pdf",
            f"Formulir keberatan bernomor {objection.objection_number} (tanda bukti keberatan)",
            await documents.receipt_pdf(session, objection, tree),
        )
    ]
    if response_of(objection) is not None:
        members.append(
            Member(
                f"05-tanggapan-atasan-ppid-{stem}.pdf",
                "Tanggapan tertulis Atasan PPID atas keberatan",
                await documents.response_pdf(session, objection, tree),
            )
        )
    return members


def readme(objection: Objection, info: InformationRequest | None, members: list[Member]) -> str:
    """The index of the bundle and what the requester must add, in Indonesian."""
    lines = [
        "BERKAS PENGAJUAN SENGKETA INFORMASI PUBLIK",
        "",
        f"Nomor registrasi keberatan: {objection.objection_number}",
        f"Nomor pendaftaran permohonan: {info.registration_number if info else '-'}",
        f"Keberatan diterima: {tanggal(objection.receipt_date)}",
    ]
    if objection.dispute_due is not None:
        lines.append(
            "Batas pengajuan sengketa ke Komisi Informasi (14 hari kerja sejak tanggapan "
            f"tertulis Atasan PPID, UU 14/2008 Pasal 37 ayat 2): {tanggal(objection.dispute_due)}"
        )
    elif objection.decision is None:
        lines.append(
            "Atasan PPID belum memberikan tanggapan tertulis; bila 30 hari kerja sejak keberatan "
            f"diterima ({tanggal(objection.response_due)}) terlewati, sengketa dapat diajukan ke "
            "Komisi Informasi (UU 14/2008 Pasal 36 ayat 2 dan Pasal 37)."
        )
    lines += ["", "Isi berkas ini:"]
    lines += [f"{i}. {m.name}: {m.description}" for i, m in enumerate(members, start=1)]
    if info is None:
        lines.append("(Keberatan atas informasi berkala tanpa permohonan: tidak ada dokumen")
        lines.append(" permohonan.)")
    lines += [
        "",
        "Yang harus Anda lengkapi sendiri (tidak disertakan oleh kami):",
        "- identitas: fotokopi KTP pemohon; untuk badan hukum, anggaran dasar yang telah",
        "  disahkan; untuk kelompok orang, surat kuasa dan fotokopi KTP anggota kelompok;",
        "- surat kuasa bila diajukan melalui kuasa;",
        "- permohonan penyelesaian sengketa informasi kepada Komisi Informasi yang berwenang",
        "  (Pusat, Provinsi, atau Kabupaten/Kota), serta dokumen pendukung lain yang Anda miliki.",
        "",
        "Dokumen dalam berkas ini diterbitkan melalui Terbuka, layanan informasi publik",
        "(UU 14/2008).",
    ]
    return "\r\n".join(lines) + "\r\n"


def zip_bytes(members: list[Member], index: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", index.encode("utf-8"))
        for member in members:
            archive.writestr(member.name, member.content)
    return buffer.getvalue()


_ACTOR_TYPES = {
    ViewerKind.OFFICIAL: ActorType.OFFICIAL,
    ViewerKind.REQUESTER: ActorType.REQUESTER,
    ViewerKind.SECRET_HOLDER: ActorType.ANONYMOUS,
}


@router.get(
    "/v1/objections/{objection_id}/case-bundle.zip",
    response_class=Response,
    summary="Download the case bundle for the Komisi Informasi",
    description=(
        "A ZIP of the request's receipt, the written notice and the refusal decree when they "
        "exist, the objection's receipt and the Atasan PPID's response when given, with a "
        "`README.txt` (Indonesian) listing them and what the requester must add (identity: "
        "KTP, never included). For the requester's account, the holder of the objection's "
        "`X-Tracking-Secret`, and reader officials of the objection's unit; 404 to anyone "
        "else. Audited `objection.case_bundle.read`."
    ),
    responses={
        200: {"content": {ZIP_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}},
        **problem_responses(401, 404, 422),
    },
)
async def get_case_bundle(
    session: SessionDep,
    claims: OptionalClaims,
    tree: UnitTreeDep,
    settings: SettingsDep,
    objection_id: Annotated[uuid.UUID, Path(description="The objection's id.")],
    x_tracking_secret: Annotated[
        str | None, Header(alias="X-Tracking-Secret", min_length=1, max_length=128)
    ] = None,
) -> Response:
    objection = await get_objection(session, objection_id)
    viewer = viewer_of(claims, objection, tree, x_tracking_secret)
    info = None
    members: list[Member] = []
    if objection.request_id is not None:
        info = await repository.get_request(session, objection.request_id)
        members += await request_members(session, info, tree, settings)
    members += await objection_members(session, objection, tree)
    content = zip_bytes(members, readme(objection, info, members))
    actor = viewer.actor
    await write_audit(
        session,
        action="objection.case_bundle.read",
        object_type="objection",
        object_id=objection.id,
        actor_id=None if actor is None else actor.user_id,
        actor_type=audit_actor_type(_ACTOR_TYPES[viewer.kind], actor),
        unit_id=objection.unit_id,
        details={"members": len(members) + 1},
    )
    filename = f"berkas-sengketa-{_stem(objection.objection_number)}.zip"
    headers = {
        "Content-Disposition": content_disposition(filename, inline=False),
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
    }
    return Response(content, media_type=ZIP_MEDIA_TYPE, headers=headers)
