"""The officials' side of the DIP: create, edit, the lifecycle actions, and the lists of a
root's entries in any status (bearer tokens; DOMAIN.md 2.3 and 5.2)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from ppid_kit import idempotency, paging
from ppid_kit.cursor import next_link
from ppid_kit.db import SessionDep
from ppid_kit.etag import json_with_etag, require_if_match
from ppid_kit.problems import FORBIDDEN, NOT_FOUND, ProblemError, Text, problem_responses
from ppid_kit.tokens import Claims, CurrentClaims
from ppid_kit.unit_tree import UnitTree, UnitTreeDep
from pydantic import AwareDatetime
from sqlalchemy.ext.asyncio import AsyncSession

from registry_service import public, repository
from registry_service.access import (
    Actor,
    is_official_of_root,
    require_editor,
    require_ppid_utama,
    roots_of_official,
)
from registry_service.documents.models import DocumentPublic
from registry_service.entries import service
from registry_service.entries.public_routes import NO_SUCH_ENTRY
from registry_service.entries.rules import TRANSITIONS, Action
from registry_service.models import (
    ENTRY_EXAMPLE,
    VERSION_EXAMPLE,
    DipCategory,
    DipEntry,
    DipEntryCreate,
    DipEntryManaged,
    DipEntryManagedPage,
    DipEntryUpdate,
    DipStatus,
    DipVersionFull,
    EntryAction,
    PublishMode,
)
from registry_service.repository import EntryFilter

router = APIRouter(tags=["dip-officials"])

EntryId = Annotated[uuid.UUID, Path(description="The entry's id.")]
_HEADER: dict[str, Any] = {"schema": {"type": "string"}}
_ETAG = {"ETag": {**_HEADER, "description": "Send it back in `If-Match` to change the entry."}}
_CHANGED: dict[int | str, dict[str, Any]] = {200: {"headers": _ETAG}}
_PRIVATE = "private, no-cache"
_NOT_OFFICIAL = Text(
    "Anda bukan pejabat badan publik ini.", "You are not an official of this public body."
)


class DipEntryManagedDetail(DipEntryManaged):
    """An entry in any status with its documents and its full history (who, and the entry
    as it then was)."""

    model_config = {  # noqa: RUF012 (a pydantic config)
        "json_schema_extra": {
            "examples": [
                {
                    **ENTRY_EXAMPLE,
                    "status": "published",
                    "version": 3,
                    "superseded_by": None,
                    "created_by": "7c2e9f10-1d4b-4e8a-b6c3-2a1d0e9f8b7c",
                    "created_at": "2025-02-20T10:00:00+07:00",
                    "documents": [],
                    "versions": [
                        {
                            **VERSION_EXAMPLE,
                            "id": "3a1f0c52-9b7e-4a43-8d2c-5e6f7a8b9c0d",
                            "actor_id": "7c2e9f10-1d4b-4e8a-b6c3-2a1d0e9f8b7c",
                            "snapshot": {"number": "DIP-2025-014", "status": "published"},
                        }
                    ],
                }
            ]
        }
    }

    documents: list[DocumentPublic]
    versions: list[DipVersionFull]


def _managed_response(entry: DipEntry, status_code: int = 200, **headers: str) -> Response:
    content = service.managed(entry).model_dump(mode="json")
    return JSONResponse(
        content,
        status_code=status_code,
        headers={"ETag": service.entry_etag(entry), "Cache-Control": "no-store", **headers},
    )


async def _visible_entry(
    session: AsyncSession, entry_id: uuid.UUID, claims: Claims, tree: UnitTree, *, lock: bool
) -> DipEntry:
    """The entry, when the caller may know it exists (published, or an official of its root)."""
    entry = await repository.get_entry(session, entry_id, lock=lock)
    if entry is None or (
        entry.status is not DipStatus.PUBLISHED
        and not is_official_of_root(claims, entry.root_id, tree)
    ):
        raise ProblemError(NOT_FOUND, NO_SUCH_ENTRY)
    return entry


def _if_match_when_given(request: Request, entry: DipEntry) -> None:
    if "if-match" in request.headers:
        require_if_match(request, service.entry_etag(entry))


@router.post(
    "/v1/dip/entries",
    status_code=201,
    response_model=DipEntryManaged,
    summary="Create a draft DIP entry",
    description=(
        "PPID Pelaksana over `unit_id` or the PPID Utama of its root. The entry belongs to the "
        "root of `unit_id` (from the unit tree) and starts as `draft`, version 1. Takes an "
        "`Idempotency-Key`."
    ),
    responses={
        201: {
            "headers": {
                "Location": {**_HEADER, "description": "The new entry (officials' view)."},
                **_ETAG,
            }
        },
        **problem_responses(401, 403, 404, 409, 422),
    },
)
async def create_dip_entry(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    body: DipEntryCreate,
    idempotency_key: idempotency.IdempotencyKeyHeader = None,
) -> Response:
    actor = require_editor(claims, body.unit_id, tree)
    service.require_active(tree.active(body.unit_id))

    async def produce() -> idempotency.Outcome:
        entry = await service.create_entry(session, body, tree.root_of(body.unit_id), actor)
        headers = {
            "Location": f"/v1/dip/manage/entries/{entry.id}",
            "ETag": service.entry_etag(entry),
        }
        return idempotency.Outcome(201, service.managed(entry).model_dump(mode="json"), headers)

    scope = f"registry:dip-entries:create:{claims.sub}"
    return await idempotency.respond_once(
        request, session, scope=scope, key=idempotency_key, produce=produce
    )


@router.patch(
    "/v1/dip/entries/{entry_id}",
    response_model=DipEntryManaged,
    summary="Edit a DIP entry",
    description=(
        "Needs `If-Match` (the entry's ETag). Editor of the entry's unit (and of the new "
        "`unit_id`, which must be of the same root). A published entry stays published and the "
        "changes feed carries the change; a verified one edited by a PPID Pelaksana goes back "
        "to `proposed`. Withdrawn, archived and superseded entries are not edited (409)."
    ),
    responses={**_CHANGED, **problem_responses(401, 403, 404, 409, 412, 422, 428)},
)
async def update_dip_entry(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    entry_id: EntryId,
    body: DipEntryUpdate,
) -> Response:
    entry = await _visible_entry(session, entry_id, claims, tree, lock=True)
    actor = require_editor(claims, entry.unit_id, tree)
    new_root = None
    if body.unit_id is not None and body.unit_id != entry.unit_id:
        require_editor(claims, body.unit_id, tree)
        service.require_active(tree.active(body.unit_id))
        new_root = tree.root_of(body.unit_id)
    elif body.unit_id is not None:
        new_root = entry.root_id
    require_if_match(request, service.entry_etag(entry))
    entry = await service.update_entry(session, entry, body, actor, new_unit_root=new_root)
    return _managed_response(entry)


async def _act(
    request: Request,
    session: AsyncSession,
    claims: Claims,
    tree: UnitTree,
    entry_id: uuid.UUID,
    action: Action,
    body: EntryAction | None,
) -> Response:
    entry = await _visible_entry(session, entry_id, claims, tree, lock=True)
    actor: Actor
    if TRANSITIONS[action].utama_only:
        actor = require_ppid_utama(claims, entry.unit_id, tree)
    else:
        actor = require_editor(claims, entry.unit_id, tree)
    _if_match_when_given(request, entry)
    policy = await repository.get_policy(session, entry.root_id)
    mode = policy.publish_mode if policy is not None else PublishMode.VERIFY
    entry = await service.act(session, entry, action, body or EntryAction(), actor, mode)
    return _managed_response(entry)


_ACTION_RESPONSES = {**_CHANGED, **problem_responses(401, 403, 404, 409, 412, 422)}
_ACTION_NOTE = " Optional `If-Match`: when sent, it must be the entry's current ETag."


@router.post(
    "/v1/dip/entries/{entry_id}/propose",
    response_model=DipEntryManaged,
    summary="Propose a draft for verification",
    description="`draft` → `proposed`. Editor of the entry's unit." + _ACTION_NOTE,
    responses=_ACTION_RESPONSES,
)
async def propose_dip_entry(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    entry_id: EntryId,
    body: EntryAction | None = None,
) -> Response:
    return await _act(request, session, claims, tree, entry_id, Action.PROPOSE, body)


@router.post(
    "/v1/dip/entries/{entry_id}/return",
    response_model=DipEntryManaged,
    summary="Return a proposal to its unit",
    description=(
        "`proposed` or `verified` → `draft`, with a `reason`. The PPID Utama only." + _ACTION_NOTE
    ),
    responses=_ACTION_RESPONSES,
)
async def return_dip_entry(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    entry_id: EntryId,
    body: EntryAction,
) -> Response:
    return await _act(request, session, claims, tree, entry_id, Action.RETURN, body)


@router.post(
    "/v1/dip/entries/{entry_id}/verify",
    response_model=DipEntryManaged,
    summary="Verify a proposed entry",
    description="`proposed` → `verified`. The PPID Utama only." + _ACTION_NOTE,
    responses=_ACTION_RESPONSES,
)
async def verify_dip_entry(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    entry_id: EntryId,
    body: EntryAction | None = None,
) -> Response:
    return await _act(request, session, claims, tree, entry_id, Action.VERIFY, body)


@router.post(
    "/v1/dip/entries/{entry_id}/publish",
    response_model=DipEntryManaged,
    summary="Publish an entry in the public DIP",
    description=(
        "The PPID Utama publishes from `draft`, `proposed` or `verified`. A PPID Pelaksana: the "
        "same when the root's policy is `direct`, only from `verified` when it is `verify` "
        "(409 `invalid-transition` otherwise). The changes feed carries the entry." + _ACTION_NOTE
    ),
    responses=_ACTION_RESPONSES,
)
async def publish_dip_entry(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    entry_id: EntryId,
    body: EntryAction | None = None,
) -> Response:
    return await _act(request, session, claims, tree, entry_id, Action.PUBLISH, body)


@router.post(
    "/v1/dip/entries/{entry_id}/withdraw",
    response_model=DipEntryManaged,
    summary="Withdraw a published entry",
    description=(
        "`published` → `withdrawn`, with a `reason`; the changes feed carries a tombstone. "
        "Editor of the entry's unit." + _ACTION_NOTE
    ),
    responses=_ACTION_RESPONSES,
)
async def withdraw_dip_entry(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    entry_id: EntryId,
    body: EntryAction,
) -> Response:
    return await _act(request, session, claims, tree, entry_id, Action.WITHDRAW, body)


@router.post(
    "/v1/dip/entries/{entry_id}/archive",
    response_model=DipEntryManaged,
    summary="Archive an entry past its retention",
    description=(
        "`published` or `withdrawn` → `archived`, with a `reason`. Editor of the entry's unit."
        + _ACTION_NOTE
    ),
    responses=_ACTION_RESPONSES,
)
async def archive_dip_entry(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    entry_id: EntryId,
    body: EntryAction,
) -> Response:
    return await _act(request, session, claims, tree, entry_id, Action.ARCHIVE, body)


@router.post(
    "/v1/dip/entries/{entry_id}/supersede",
    response_model=DipEntryManaged,
    summary="Replace a published entry by another",
    description=(
        "`published` → `superseded`, with a `reason` and `superseded_by` (another published "
        "entry of the same root). Editor of the entry's unit." + _ACTION_NOTE
    ),
    responses=_ACTION_RESPONSES,
)
async def supersede_dip_entry(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    entry_id: EntryId,
    body: EntryAction,
) -> Response:
    return await _act(request, session, claims, tree, entry_id, Action.SUPERSEDE, body)


@router.get(
    "/v1/dip/manage/entries",
    response_model=DipEntryManagedPage,
    summary="List a root's DIP entries in any status",
    description=(
        "For officials (any role) of the root; without `root`, every root where the caller is "
        "an official. Most recently updated first, keyset-paginated. `unit_id` includes its "
        "sub-units."
    ),
    responses={
        200: paging.LIST_RESPONSES[200],
        304: paging.LIST_RESPONSES[304],
        **problem_responses(400, 401, 403, 404),
    },
)
async def list_managed_dip_entries(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    page: paging.PagingDep,
    root: Annotated[uuid.UUID | None, Query(description="Only this root's entries.")] = None,
    unit_id: Annotated[
        uuid.UUID | None, Query(description="Only entries this unit or its sub-units hold.")
    ] = None,
    status: Annotated[DipStatus | None, Query(description="Only this status.")] = None,
    category: Annotated[DipCategory | None, Query(description="Only this category.")] = None,
    year: Annotated[int | None, Query(ge=1900, le=2999, description="Only this year.")] = None,
    tag: Annotated[
        str | None, Query(min_length=1, max_length=64, description="Only entries with this tag.")
    ] = None,
    updated_after: Annotated[
        AwareDatetime | None,
        Query(description="RFC 3339 instant with offset; entries updated after it."),
    ] = None,
) -> Response:
    roots = roots_of_official(claims, tree)
    if not roots or (root is not None and root not in roots):
        raise ProblemError(FORBIDDEN, _NOT_OFFICIAL)
    unit_ids = None
    if unit_id is not None:
        if unit_id not in tree:
            raise ProblemError(NOT_FOUND, Text("Unit tidak dikenal.", "Unknown unit."))
        if tree.root_of(unit_id) not in roots:
            raise ProblemError(FORBIDDEN, _NOT_OFFICIAL)
        unit_ids = tree.subtree(unit_id)
    filters = EntryFilter(
        root=root,
        roots=roots,
        unit_ids=unit_ids,
        status=status,
        category=category,
        year=year,
        tag=tag,
        updated_after=updated_after,
    )
    stmt = repository.select_entries(filters)
    found = await paging.keyset_page(session, stmt, repository.NEWEST_FIRST, page)
    items = [service.managed(row).model_dump(mode="json") for row in found.items]
    content = {"items": items, "next_cursor": found.next_cursor}
    link = {"Link": next_link(request, found.next_cursor)} if found.next_cursor else None
    # Not the public DIP: only the caller's own cache may keep it.
    return json_with_etag(request, content, cache_control=_PRIVATE, headers=link)


@router.get(
    "/v1/dip/manage/entries/{entry_id}",
    response_model=DipEntryManagedDetail,
    summary="Get a DIP entry in any status, with its full history",
    description=(
        "For officials (any role) of the entry's root; others get 404. The `ETag` is the one "
        "`If-Match` takes on `PATCH` and the actions."
    ),
    responses={200: {"headers": _ETAG}, **problem_responses(401, 404)},
)
async def get_managed_dip_entry(
    session: SessionDep, claims: CurrentClaims, tree: UnitTreeDep, entry_id: EntryId
) -> Response:
    entry = await repository.get_entry(session, entry_id)
    if entry is None or not is_official_of_root(claims, entry.root_id, tree):
        raise ProblemError(NOT_FOUND, NO_SUCH_ENTRY)
    versions = [
        DipVersionFull.model_validate(v) for v in await repository.versions_of(session, entry.id)
    ]
    documents = (await public.documents_of(session, [entry.id]))[entry.id]
    detail = DipEntryManagedDetail(
        **dict(service.managed(entry)),
        documents=[DocumentPublic.of(d) for d in documents],
        versions=versions,
    )
    return JSONResponse(
        detail.model_dump(mode="json"),
        headers={"ETag": service.entry_etag(entry), "Cache-Control": _PRIVATE},
    )
