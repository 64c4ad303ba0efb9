"""The public DIP: `GET /v1/dip/entries` (search, filters) and `GET /v1/dip/entries/{id}`."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from ppid_kit import paging
from ppid_kit.db import SessionDep
from ppid_kit.problems import NOT_FOUND, SERVICE_UNAVAILABLE, ProblemError, Text
from ppid_kit.unit_tree import UnitTree, current_unit_tree
from pydantic import AwareDatetime

from registry_service import public, repository
from registry_service.models import DipCategory, DipEntryListItem, DipEntryPage
from registry_service.public import DipEntryDetail
from registry_service.repository import EntryFilter

router = APIRouter(prefix="/v1/dip/entries", tags=["dip"])

NO_SUCH_ENTRY = Text("Entri DIP tidak ditemukan.", "No such DIP entry.")
EntryId = Annotated[uuid.UUID, Path(description="The entry's id.")]


async def tree_if_reachable(request: Request) -> UnitTree | None:
    """Auth's unit tree, or None while it was never reachable: the public DIP still answers."""
    try:
        return await current_unit_tree(request)
    except ProblemError as exc:
        if exc.kind is SERVICE_UNAVAILABLE:
            return None
        raise


async def units_below(request: Request, unit_id: uuid.UUID | None) -> set[uuid.UUID] | None:
    """`unit_id` and its sub-units (only itself when the tree does not know it)."""
    if unit_id is None:
        return None
    tree = await tree_if_reachable(request)
    return tree.subtree(unit_id) if tree is not None and unit_id in tree else {unit_id}


@router.get(
    "",
    response_model=DipEntryPage,
    summary="List or search published DIP entries",
    description=(
        "Published entries, most recently updated first. With `q` (web-search syntax: words, "
        '`"phrases"`, `or`, `-word`; Indonesian stemming) best match first, each with a '
        "`snippet` of its summary. `unit_id` includes the unit's sub-units. Keyset-paginated."
    ),
    responses=paging.LIST_RESPONSES,
)
async def list_dip_entries(
    request: Request,
    session: SessionDep,
    page: paging.PagingDep,
    q: Annotated[
        str | None, Query(min_length=1, max_length=500, description="Full-text search.")
    ] = None,
    root: Annotated[uuid.UUID | None, Query(description="Only this root's DIP.")] = None,
    unit_id: Annotated[
        uuid.UUID | None, Query(description="Only entries this unit or its sub-units hold.")
    ] = None,
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
    filters = EntryFilter(
        root=root,
        unit_ids=await units_below(request, unit_id),
        category=category,
        year=year,
        tag=tag,
        updated_after=updated_after,
    )
    if q is not None:
        hits = await repository.search_published_entries(session, q, filters, page)
        return paging.page_response(
            request,
            hits.map(
                lambda hit: DipEntryListItem.model_validate(hit.entry).model_copy(
                    update={"snippet": hit.snippet}
                )
            ),
        )
    stmt = repository.select_published_entries(filters)
    found = await paging.keyset_page(session, stmt, repository.NEWEST_FIRST, page)
    return paging.page_response(request, found.map(DipEntryListItem.model_validate))


@router.get(
    "/{entry_id}",
    response_model=DipEntryDetail,
    summary="Get one published DIP entry with its documents and history",
    description=(
        "Entries that are not published answer 404, as if they did not exist. `versions` is "
        "the entry's history: what changed and the role of who changed it, never who."
    ),
    responses=paging.ITEM_RESPONSES,
)
async def get_dip_entry(request: Request, session: SessionDep, entry_id: EntryId) -> Response:
    entry = await repository.get_published_entry(session, entry_id)
    if entry is None:
        raise ProblemError(NOT_FOUND, NO_SUCH_ENTRY)
    detail = await public.public_detail(session, entry)
    return paging.item_response(request, detail, entry.updated_at)
