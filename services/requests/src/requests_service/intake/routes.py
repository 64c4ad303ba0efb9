"""Intake: `POST /v1/requests` (the form, any caller) and the receipt (UU Pasal 22(4) to (6)).

The policy routes (`/v1/requests/policies/{root_id}`) are included here, so every fixed
path of intake comes before the tracking router's `/v1/requests/{request_id}`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from ppid_kit import idempotency
from ppid_kit.db import SessionDep
from ppid_kit.problems import problem_responses
from ppid_kit.tokens import Claims, OptionalClaims
from ppid_kit.unit_tree import UnitTreeDep
from sqlalchemy.ext.asyncio import AsyncSession

from requests_service.core import repository
from requests_service.core.access import secret_matches, viewer_of
from requests_service.core.views import request_etag, request_view
from requests_service.intake import rules, service
from requests_service.intake.deps import SettingsDep, TrackingSecretHeader
from requests_service.intake.policy_routes import router as policy_router
from requests_service.intake.receipt import receipt_document
from requests_service.intake.schemas import RequestSubmission, SubmittedRequest
from requests_service.pdf import pdf_response, render_pdf

router = APIRouter(tags=["requests"])
router.include_router(policy_router)

RequestId = Annotated[uuid.UUID, Path(description="The request's id.")]
_HEADER: dict[str, Any] = {"schema": {"type": "string"}}


@dataclass(frozen=True)
class Created:
    """A filing just made: its view as shown (`shown`), the secret shown once, where it
    is and its ETag."""

    shown: dict[str, Any]
    tracking_secret: str
    location: str
    etag: str


async def respond_once_with_secret(
    request: Request,
    session: AsyncSession,
    *,
    scope: str,
    claims: Claims | None,
    key: str | None,
    create: Callable[[], Awaitable[Created]],
    secret_of: Callable[[uuid.UUID], str],
) -> Response:
    """201 with the tracking secret shown once, at most once per `Idempotency-Key`: a
    retry gets the stored view with the secret derived again (`secret_of` its id), since
    the secret itself is never stored (requests and objections alike)."""

    async def produce() -> idempotency.Outcome:
        made = await create()
        headers = {"Location": made.location, "ETag": made.etag, "Cache-Control": "no-store"}
        content = {**made.shown, "tracking_secret": made.tracking_secret}
        return idempotency.Outcome(201, content, headers, replay=made.shown)

    def replayed(stored: dict[str, Any]) -> dict[str, Any]:
        return {**stored, "tracking_secret": secret_of(uuid.UUID(stored["id"]))}

    return await idempotency.respond_once(
        request,
        session,
        scope=f"{scope}:{claims.sub if claims is not None else 'anonymous'}",
        key=key,
        produce=produce,
        on_replay=replayed,
    )


def created_with_secret(location: str) -> dict[str, Any]:
    """The documented 201 of a filing that shows its tracking secret once (a request, an
    objection): where it is, its ETag, and `no-store`."""
    return {
        "headers": {
            "Location": {**_HEADER, "description": location},
            "ETag": {**_HEADER, "description": "Its version, for `If-Match`."},
            "Cache-Control": {**_HEADER, "description": "`no-store`: the secret."},
        }
    }


def receipt_url(request_id: uuid.UUID | str) -> str:
    return f"/v1/requests/{request_id}/receipt.pdf"


@router.post(
    "/v1/requests",
    status_code=201,
    response_model=SubmittedRequest,
    summary="Submit an information request",
    description=(
        "The request form (UU Pasal 22). Without a token or with a requester's token it is an "
        "online request (the account is linked); an official holding `ppid_utama`, "
        "`ppid_pelaksana` or `petugas_layanan` over `target_unit_id` registers a walk-in, "
        "phone, letter, email, fax or other request (`channel`, `received_at`). The answer "
        "carries the registration number, the deadlines in the root's time zone and the "
        "`tracking_secret`, shown once (again to a retry with the same `Idempotency-Key`)."
    ),
    responses={
        201: created_with_secret("The request."),
        **problem_responses(401, 403, 422),
    },
)
async def submit_request(
    request: Request,
    session: SessionDep,
    tree: UnitTreeDep,
    settings: SettingsDep,
    claims: OptionalClaims,
    body: RequestSubmission,
    idempotency_key: idempotency.IdempotencyKeyHeader = None,
) -> Response:
    now = dt.datetime.now(dt.UTC)
    caller = rules.checked_caller(body, claims, tree, now)

    async def create() -> Created:
        made = await service.submit_request(session, tree, body, caller, settings, now=now)
        view = await request_view(session, made.request, official=caller.is_official)
        shown = {**view.model_dump(mode="json"), "receipt_url": receipt_url(made.request.id)}
        location = f"/v1/requests/{made.request.id}"
        return Created(shown, made.tracking_secret, location, request_etag(made.request))

    return await respond_once_with_secret(
        request,
        session,
        scope="requests.submit",
        claims=claims,
        key=idempotency_key,
        create=create,
        secret_of=lambda made_id: service.tracking_secret(settings, made_id),
    )


@router.get(
    "/v1/requests/{request_id}/receipt.pdf",
    response_class=Response,
    summary="Get a request's receipt (tanda bukti penerimaan) as PDF",
    description=(
        "The proof of receipt with the registration number (UU Pasal 22(4) to (6)), the notice "
        "deadline and how to track the request; the requester's name but no NIK, address or "
        "phone. For officials of the handling unit, the requester's account, or the holder of "
        "the tracking secret (`X-Tracking-Secret`, then printed on it); 404 to anyone else."
    ),
    responses={
        200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
        **problem_responses(401, 404, 422),
    },
)
async def get_request_receipt(
    session: SessionDep,
    tree: UnitTreeDep,
    settings: SettingsDep,
    claims: OptionalClaims,
    request_id: RequestId,
    tracking_secret: TrackingSecretHeader = None,
) -> Response:
    found = await repository.get_request(session, request_id)
    viewer_of(claims, found, tree, tracking_secret)
    identity = await repository.identity(session, found.id)
    document = receipt_document(
        found,
        requester_name=identity.name if identity is not None else "-",
        tree=tree,
        tracking_link=settings.tracking_link_base,
        tracking_secret=tracking_secret if secret_matches(found, tracking_secret) else None,
    )
    pdf = await asyncio.to_thread(render_pdf, document)
    filename = f"tanda-bukti-{found.registration_number.replace('/', '-')}.pdf"
    return pdf_response(pdf, filename)
