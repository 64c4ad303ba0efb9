"""`/v1/auth/clients`: API clients of a root, managed by that root's admins."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from ppid_kit import idempotency, paging
from ppid_kit.cursor import next_link
from ppid_kit.db import SessionDep
from ppid_kit.etag import json_with_etag, require_if_match
from ppid_kit.idempotency import IdempotencyKeyHeader
from ppid_kit.problems import NOT_FOUND, VALIDATION, FieldError, ProblemError, Text
from ppid_kit.problems import problem_responses as errors
from ppid_kit.tokens import Claims, CurrentClaims
from pydantic import BaseModel, ConfigDict
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service import permissions
from auth_service.clients import repository, service
from auth_service.clients.models import (
    ApiClient,
    ClientCreate,
    ClientPage,
    ClientPublic,
    ClientUpdate,
    ClientWithSecret,
)

router = APIRouter(prefix="/v1/auth/clients", tags=["clients"])

ClientId = Annotated[str, Path(max_length=64, description="The client's `client_id`.")]
# Admin data: caches may keep it only to revalidate (ETag), never share it.
_PRIVATE = "private, no-cache"
_NOT_A_ROOT = Text(
    "Klien didaftarkan pada badan publik (unit akar).",
    "Clients are registered on a root (badan publik).",
)
_NO_SUCH_CLIENT = Text("Klien tidak ditemukan.", "No such client.")


def _public(client: ApiClient) -> ClientPublic:
    return ClientPublic.model_validate(client, from_attributes=True)


def _with_secret(client: ApiClient, secret: str | None) -> ClientWithSecret:
    return ClientWithSecret(**_public(client).model_dump(), client_secret=secret)


def _item(request: Request, client: ApiClient) -> Response:
    return json_with_etag(request, _public(client).model_dump(mode="json"), cache_control=_PRIVATE)


async def _managed(session: AsyncSession, claims: Claims, client_id: str) -> ApiClient:
    """The client, if the caller is admin of its root; 404 for whom it must stay unknown."""
    client = await repository.get_client(session, client_id)
    if client is None:
        raise ProblemError(NOT_FOUND, _NO_SUCH_CLIENT)
    tree = await permissions.load_tree(session)
    permissions.require_admin_over(claims, client.root_id, tree, hidden=True)
    return client


async def _check_root(session: AsyncSession, claims: Claims, root_id: uuid.UUID) -> None:
    """Admin of the root itself (DOMAIN.md 2.3: `admin` per root), and a root it must be."""
    tree = await permissions.load_tree(session)
    permissions.require_admin_over(claims, root_id, tree, hidden=True)
    if tree.parent_of(root_id) is not None:
        raise ProblemError(VALIDATION, errors=[FieldError("root_id", _NOT_A_ROOT)])


@router.post(
    "",
    status_code=201,
    response_model=ClientWithSecret,
    summary="Register an API client of a root (its secret is shown once)",
    responses=errors(401, 403, 404, 422),
)
async def create_client(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    data: ClientCreate,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    await _check_root(session, claims, data.root_id)

    async def produce() -> idempotency.Outcome:
        client, secret = await service.create_client(session, data, actor=claims.sub)
        return idempotency.Outcome(
            201,
            _with_secret(client, secret).model_dump(mode="json"),
            {"Cache-Control": "no-store"},
            # The replay omits the secret: keeping it to replay would undo hashing it.
            replay=_with_secret(client, None).model_dump(mode="json"),
        )

    scope = f"auth:clients:create:{claims.sub}"
    return await idempotency.respond_once(
        request, session, scope=scope, key=idempotency_key, produce=produce
    )


@router.get(
    "",
    response_model=ClientPage,
    summary="List the API clients of the roots the caller administers",
    responses={**paging.LIST_RESPONSES, **errors(401)},
)
async def list_clients(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    page: paging.PagingDep,
    root: Annotated[uuid.UUID | None, Query(description="Only clients of this root.")] = None,
) -> Response:
    tree = await permissions.load_tree(session)
    roots = permissions.covered_units(claims, permissions.ADMIN, tree) & set(tree.roots())
    if root is not None:
        roots &= {root}
    stmt = repository.select_clients(roots)
    found = await paging.keyset_page(session, stmt, repository.BY_ROOT_NAME, page)
    content = {
        "items": [_public(client).model_dump(mode="json") for client in found.items],
        "next_cursor": found.next_cursor,
    }
    link = {"Link": next_link(request, found.next_cursor)} if found.next_cursor else None
    return json_with_etag(request, content, cache_control=_PRIVATE, headers=link)


class CorsOrigins(BaseModel):
    """What the gateway's CORS may allow: the origins of the active clients."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"origins": ["https://ppid.kotacontoh.go.id"]}]}
    )

    origins: list[str]


@router.get(
    "/cors-origins",
    response_model=CorsOrigins,
    summary="Browser origins of every active API client (for the gateway's CORS)",
    description="Public: browsers see each allowed origin in CORS answers anyway.",
    responses={304: paging.ITEM_RESPONSES[304]},
)
async def list_cors_origins(request: Request, session: SessionDep) -> Response:
    content = {"origins": await repository.active_origins(session)}
    return json_with_etag(request, content, cache_control="public, max-age=60")


@router.get(
    "/{client_id}",
    response_model=ClientPublic,
    summary="Get one API client",
    responses={**paging.ITEM_RESPONSES, **errors(401, 403)},
)
async def get_client(
    request: Request, session: SessionDep, claims: CurrentClaims, client_id: ClientId
) -> Response:
    return _item(request, await _managed(session, claims, client_id))


@router.patch(
    "/{client_id}",
    response_model=ClientPublic,
    summary="Change an API client's name, scopes, origins, tier or active flag (If-Match)",
    responses=errors(401, 403, 404, 412, 422, 428),
)
async def update_client(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    client_id: ClientId,
    changes: ClientUpdate,
) -> Response:
    client = await _managed(session, claims, client_id)
    require_if_match(request, _item(request, client).headers["etag"])
    client = await service.update_client(session, client, changes, actor=claims.sub)
    return _item(request, client)


@router.post(
    "/{client_id}/secret",
    response_model=ClientWithSecret,
    summary="Rotate an API client's secret (the old one stops working; shown once)",
    responses=errors(401, 403, 404),
)
async def rotate_client_secret(
    session: SessionDep, claims: CurrentClaims, client_id: ClientId
) -> Response:
    client = await _managed(session, claims, client_id)
    secret = await service.rotate_secret(session, client, actor=claims.sub)
    body = _with_secret(client, secret).model_dump(mode="json")
    return JSONResponse(body, headers={"Cache-Control": "no-store"})
