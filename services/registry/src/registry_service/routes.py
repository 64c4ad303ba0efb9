"""`/v1/dip/entries`: the public DIP, published entries only."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from ppid_kit import paging
from ppid_kit.db import SessionDep
from ppid_kit.problems import NOT_FOUND, ProblemError, Text
from pydantic import AwareDatetime

from registry_service import repository
from registry_service.models import DipCategory, DipEntryPage, DipEntryPublic
from registry_service.repository import EntryFilter

router = APIRouter(prefix="/v1/dip/entries", tags=["dip"])

_NO_SUCH_ENTRY = Text("Entri DIP tidak ditemukan.", "No such DIP entry.")


@router.get(
    "",
    response_model=DipEntryPage,
    summary="List published DIP entries",
    description="Published entries, most recently updated first, keyset-paginated.",
    responses=paging.LIST_RESPONSES,
)
async def list_dip_entries(
    request: Request,
    session: SessionDep,
    page: paging.PagingDep,
    root: Annotated[uuid.UUID | None, Query(description="Only this root's DIP.")] = None,
    unit_id: Annotated[uuid.UUID | None, Query(description="Only entries this unit holds.")] = None,
    category: Annotated[DipCategory | None, Query(description="Only this category.")] = None,
    year: Annotated[int | None, Query(ge=1900, le=2999, description="Only this year.")] = None,
    updated_after: Annotated[
        AwareDatetime | None,
        Query(description="RFC 3339 instant with offset; entries updated after it."),
    ] = None,
) -> Response:
    filters = EntryFilter(
        root=root, unit_id=unit_id, category=category, year=year, updated_after=updated_after
    )
    stmt = repository.select_published_entries(filters)
    found = await paging.keyset_page(session, stmt, repository.NEWEST_FIRST, page)
    return paging.page_response(request, found.map(DipEntryPublic.model_validate))


@router.get(
    "/{entry_id}",
    response_model=DipEntryPublic,
    summary="Get one published DIP entry",
    description="Entries that are not published answer 404, as if they did not exist.",
    responses=paging.ITEM_RESPONSES,
)
async def get_dip_entry(
    request: Request,
    session: SessionDep,
    entry_id: Annotated[uuid.UUID, Path(description="The entry's id.")],
) -> Response:
    entry = await repository.get_published_entry(session, entry_id)
    if entry is None:
        raise ProblemError(NOT_FOUND, _NO_SUCH_ENTRY)
    return paging.item_response(request, DipEntryPublic.model_validate(entry), entry.updated_at)
