"""Exempted information (DIK): consequence tests and the public DIK list.

Public: `GET /v1/dik/entries` and `GET /v1/dik/entries/{id}` show what is withheld in
general terms (the public summary), on which ground of UU 14/2008 Pasal 17, until when
and by which decree: never the withheld information, the analyses or the documents.
Only tests in force (`active`) that withhold something (`exempt`, `partially_open`)
are listed.

Whether a root's DIK list is public is its policy (`dip_policies.dik_public`; no row:
public, DOMAIN.md 6.3). When it is not, the list leaves that root's entries out for
everyone but the root's officials (an empty list when filtered on that root: a list
filter never reveals more than "nothing to show"), and a single entry answers 404, as
if it did not exist. Such answers are `Cache-Control: private, no-cache`.

Officials: `POST` (PPID Pelaksana of the unit or PPID Utama, `Idempotency-Key`),
`PATCH` (`If-Match`), `POST …/open` (PPID Utama: UU Pasal 11(2)), `POST …/withdraw`
(recorded in error), and `GET /v1/dik/manage/entries[/{id}]` with the whole test.
"""

from __future__ import annotations

import uuid
from datetime import UTC
from email.utils import format_datetime
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Path, Query, Request, Response
from ppid_kit import idempotency, paging
from ppid_kit.cursor import next_link
from ppid_kit.db import SessionDep
from ppid_kit.etag import json_with_etag, require_if_match
from ppid_kit.problems import NOT_FOUND, ProblemError, Text, problem_responses
from ppid_kit.tokens import CurrentClaims, OptionalClaims
from ppid_kit.unit_tree import UnitTree, UnitTreeDep, current_unit_tree
from pydantic import BaseModel
from sqlmodel import col

from registry_service import access
from registry_service.dik import service
from registry_service.dik.models import DikEntry, DikStatus, ExemptionGround
from registry_service.dik.schemas import (
    DikAction,
    DikEntryCreate,
    DikEntryListed,
    DikEntryListedPage,
    DikEntryManaged,
    DikEntryPage,
    DikEntryPublic,
    DikEntryUpdate,
)

router = APIRouter(tags=["dik"])

PUBLIC_CACHE = "public, max-age=60"
PRIVATE_CACHE = "private, no-cache"
NEWEST_FIRST = paging.Keyset(DikEntry, "updated_at", "id", descending=True)

DikId = Annotated[uuid.UUID, Path(description="The DIK entry's id.")]
_HEADER: dict[str, Any] = {"schema": {"type": "string"}}
_ETAG = {"ETag": {**_HEADER, "description": "Send it back in `If-Match` to update."}}
_WRITE_ERRORS = problem_responses(401, 403, 404, 409, 422)
_NOT_A_ROOT = Text("Bukan badan publik (unit induk).", "Not a public body (a root unit).")


def _page(
    request: Request, items: list[BaseModel], next_cursor: str | None, cache: str
) -> Response:
    content = {"items": [i.model_dump(mode="json") for i in items], "next_cursor": next_cursor}
    headers = {"Link": next_link(request, next_cursor)} if next_cursor else None
    return json_with_etag(request, content, cache_control=cache, headers=headers)


def _item(request: Request, item: BaseModel, entry: DikEntry, cache: str) -> Response:
    last_modified = format_datetime(entry.updated_at.astimezone(UTC), usegmt=True)
    return json_with_etag(
        request,
        item.model_dump(mode="json"),
        cache_control=cache,
        headers={"Last-Modified": last_modified},
    )


def _unit_filter(unit_id: uuid.UUID, tree: UnitTree | None) -> sa.ColumnElement[bool]:
    """The unit and its sub-units (the tree's subtree rule)."""
    if tree is not None and unit_id in tree:
        return col(DikEntry.unit_id).in_(list(tree.subtree(unit_id)))
    return col(DikEntry.unit_id) == unit_id


# ---- public ------------------------------------------------------------------------


@router.get(
    "/v1/dik/entries",
    response_model=DikEntryPage,
    summary="List the public DIK (exempted information)",
    description=(
        "Tests in force that withhold information, most recently updated first, "
        "keyset-paginated. Public fields only. A root whose policy keeps its DIK private "
        "is left out (an empty list when `root` names it) except for its own officials."
    ),
    responses=paging.LIST_RESPONSES,
)
async def list_dik_entries(
    request: Request,
    session: SessionDep,
    page: paging.PagingDep,
    claims: OptionalClaims,
    root: Annotated[uuid.UUID | None, Query(description="Only this root's DIK.")] = None,
    unit_id: Annotated[
        uuid.UUID | None, Query(description="Only entries this unit (or a sub-unit) holds.")
    ] = None,
    year: Annotated[int | None, Query(ge=1900, le=2999, description="Only this year.")] = None,
    legal_basis_letter: Annotated[
        ExemptionGround | None, Query(description="Only this ground (UU 14/2008 Pasal 17).")
    ] = None,
) -> Response:
    tree = await current_unit_tree(request) if claims is not None or unit_id else None
    mine = service.official_roots(claims, tree) if tree is not None else set()
    stmt = sa.select(DikEntry).where(
        col(DikEntry.status) == DikStatus.ACTIVE,
        col(DikEntry.conclusion).in_(service.WITHHOLDING),
        service.dik_public_clause(mine),
    )
    if root is not None:
        stmt = stmt.where(col(DikEntry.root_id) == root)
    if unit_id is not None:
        stmt = stmt.where(_unit_filter(unit_id, tree))
    if year is not None:
        stmt = stmt.where(col(DikEntry.year) == year)
    if legal_basis_letter is not None:
        stmt = stmt.where(col(DikEntry.legal_basis_letter) == legal_basis_letter)
    found = await paging.keyset_page(session, stmt, NEWEST_FIRST, page)
    # Private when the caller's office lets them see a root the public does not.
    hidden = await service.private_roots(session) if mine else set()
    seen_privately = any(r in hidden for r in mine if root is None or r == root)
    items: list[BaseModel] = [DikEntryPublic.model_validate(e) for e in found.items]
    cache = PRIVATE_CACHE if seen_privately else PUBLIC_CACHE
    return _page(request, items, found.next_cursor, cache)


@router.get(
    "/v1/dik/entries/{dik_id}",
    response_model=DikEntryPublic,
    summary="Get one entry of the public DIK",
    description=(
        "Public fields only. Tests not in force, tests that open the information, and "
        "entries of a root that keeps its DIK private answer 404 (except to its officials)."
    ),
    responses=paging.ITEM_RESPONSES,
)
async def get_dik_entry(
    request: Request,
    session: SessionDep,
    claims: OptionalClaims,
    dik_id: DikId,
) -> Response:
    entry = await session.get(DikEntry, dik_id)
    if (
        entry is None
        or entry.status != DikStatus.ACTIVE
        or entry.conclusion not in service.WITHHOLDING
    ):
        raise ProblemError(NOT_FOUND, service.NO_SUCH_DIK)
    cache = PUBLIC_CACHE
    if entry.root_id in await service.private_roots(session):
        tree = await current_unit_tree(request) if claims is not None else None
        if tree is None or not access.is_official_of_root(claims, entry.root_id, tree):
            raise ProblemError(NOT_FOUND, service.NO_SUCH_DIK)
        cache = PRIVATE_CACHE
    return _item(request, DikEntryPublic.model_validate(entry), entry, cache)


# ---- officials ---------------------------------------------------------------------


@router.get(
    "/v1/dik/manage/entries",
    response_model=DikEntryListedPage,
    summary="List a root's consequence tests (officials)",
    description=(
        "Every test of the root in any status and conclusion, most recently updated first; "
        "for the officials of the root (any role)."
    ),
    responses={
        200: paging.LIST_RESPONSES[200],
        304: paging.LIST_RESPONSES[304],
        **problem_responses(400, 401, 403, 404),
    },
)
async def list_managed_dik_entries(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    page: paging.PagingDep,
    root: Annotated[uuid.UUID, Query(description="The root (badan publik).")],
    status: Annotated[DikStatus | None, Query(description="Only this status.")] = None,
    unit_id: Annotated[
        uuid.UUID | None, Query(description="Only entries this unit (or a sub-unit) holds.")
    ] = None,
) -> Response:
    access.official_role_in_root(claims, root, tree)
    stmt = sa.select(DikEntry).where(col(DikEntry.root_id) == root)
    if status is not None:
        stmt = stmt.where(col(DikEntry.status) == status)
    if unit_id is not None:
        stmt = stmt.where(_unit_filter(unit_id, tree))
    found = await paging.keyset_page(session, stmt, NEWEST_FIRST, page)
    items: list[BaseModel] = [DikEntryListed.model_validate(e) for e in found.items]
    return _page(request, items, found.next_cursor, PRIVATE_CACHE)


@router.get(
    "/v1/dik/manage/entries/{dik_id}",
    response_model=DikEntryManaged,
    summary="Get a whole consequence test (officials)",
    description=(
        "The test sheet with the withheld information, the analyses and the documents; for "
        "the officials of the entry's root (any role), 404 to anyone else."
    ),
    responses={
        200: {"headers": _ETAG},
        304: paging.ITEM_RESPONSES[304],
        **problem_responses(401, 404),
    },
)
async def get_managed_dik_entry(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    dik_id: DikId,
) -> Response:
    entry = await service.get_for_official(session, claims, dik_id, tree)
    return _item(request, await service.managed(session, entry), entry, PRIVATE_CACHE)


@router.post(
    "/v1/dik/entries",
    status_code=201,
    response_model=DikEntryManaged,
    summary="Record a consequence test (and its DIK entry)",
    description=(
        "PPID Pelaksana of `unit_id` or the PPID Utama of its root. The checks of UU 14/2008 "
        "Pasal 17 and 20 and PP 61/2010 answer 422 with every failed field at once. With "
        "`from_entry_id` and the conclusion `exempt`, that DIP entry leaves the public DIP "
        "(withdrawn, one version, a tombstone in `GET /v1/dip/changes`)."
    ),
    responses={
        201: {
            "headers": {
                "Location": {**_HEADER, "description": "The whole test."},
                **_ETAG,
            }
        },
        **_WRITE_ERRORS,
    },
)
async def create_dik_entry(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    tree: UnitTreeDep,
    body: DikEntryCreate,
    idempotency_key: idempotency.IdempotencyKeyHeader = None,
) -> Response:
    async def produce() -> idempotency.Outcome:
        entry = await service.create(session, claims, body, tree)
        view = await service.managed(session, entry)
        headers = {
            "Location": f"/v1/dik/manage/entries/{entry.id}",
            "ETag": service.managed_etag(view),
        }
        return idempotency.Outcome(201, view.model_dump(mode="json"), headers)

    scope = f"registry:dik:create:{claims.sub}"
    return await idempotency.respond_once(
        request, session, scope=scope, key=idempotency_key, produce=produce
    )


async def _writable(
    request: Request, session: SessionDep, claims: CurrentClaims, dik_id: uuid.UUID
) -> tuple[DikEntry, access.Actor]:
    tree = await current_unit_tree(request)
    entry = await service.get_for_official(session, claims, dik_id, tree, lock=True)
    return entry, access.require_editor(claims, entry.unit_id, tree)


@router.patch(
    "/v1/dik/entries/{dik_id}",
    response_model=DikEntryManaged,
    summary="Change a consequence test in force",
    description=(
        "Needs `If-Match` (the ETag of `GET /v1/dik/manage/entries/{id}`). PPID Pelaksana of "
        "the unit or the PPID Utama; only `active` tests (409 otherwise); the same checks as "
        "a new test run on the result."
    ),
    responses={200: {"headers": _ETAG}, **problem_responses(401, 403, 404, 409, 412, 422, 428)},
)
async def update_dik_entry(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    dik_id: DikId,
    body: DikEntryUpdate,
) -> Response:
    entry, actor = await _writable(request, session, claims, dik_id)
    require_if_match(request, service.managed_etag(await service.managed(session, entry)))
    entry = await service.update(session, entry, body, actor)
    return _item(request, await service.managed(session, entry), entry, PRIVATE_CACHE)


@router.post(
    "/v1/dik/entries/{dik_id}/open",
    response_model=DikEntryManaged,
    summary="Open exempted information",
    description=(
        "UU 14/2008 Pasal 11(2): information opened by an objection or a dispute decision (or "
        "whose exemption expired) becomes public. PPID Utama of the root only; `reason` names "
        "the decision. The DIP entry the test withdrew returns to the status it had."
    ),
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def open_dik_entry(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    dik_id: DikId,
    body: DikAction,
) -> Response:
    tree = await current_unit_tree(request)
    entry = await service.get_for_official(session, claims, dik_id, tree, lock=True)
    actor = access.require_ppid_utama(claims, entry.root_id, tree)
    entry = await service.change_status(session, entry, DikStatus.OPENED, body.reason, actor)
    return _item(request, await service.managed(session, entry), entry, PRIVATE_CACHE)


@router.post(
    "/v1/dik/entries/{dik_id}/withdraw",
    response_model=DikEntryManaged,
    summary="Withdraw a consequence test recorded in error",
    description=(
        "PPID Pelaksana of the unit or the PPID Utama; `active` tests only; `reason` required. "
        "The DIP entry the test withdrew returns to the status it had."
    ),
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def withdraw_dik_entry(
    request: Request,
    session: SessionDep,
    claims: CurrentClaims,
    dik_id: DikId,
    body: DikAction,
) -> Response:
    entry, actor = await _writable(request, session, claims, dik_id)
    entry = await service.change_status(session, entry, DikStatus.WITHDRAWN, body.reason, actor)
    return _item(request, await service.managed(session, entry), entry, PRIVATE_CACHE)
