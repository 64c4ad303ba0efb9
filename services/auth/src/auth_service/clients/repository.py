"""Queries on API clients. Never commits: the request's transaction does (STYLE.md)."""

from __future__ import annotations

import uuid
from collections.abc import Collection

import sqlalchemy as sa
from ppid_kit.db import add_and_refresh
from ppid_kit.paging import Keyset
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from auth_service.clients.models import ApiClient

# The list's order; ix_api_clients_root_id_name_client_id serves it.
BY_ROOT_NAME = Keyset(ApiClient, "root_id", "name", "client_id")


async def get_client(session: AsyncSession, client_id: str) -> ApiClient | None:
    return await session.get(ApiClient, client_id)


async def add_client(session: AsyncSession, client: ApiClient) -> ApiClient:
    return await add_and_refresh(session, client)


def select_clients(root_ids: Collection[uuid.UUID]) -> sa.Select[ApiClient]:
    """The clients of `root_ids`, in no order yet: `keyset_page` pages them."""
    return sa.select(ApiClient).where(col(ApiClient.root_id).in_(list(root_ids)))


async def save(session: AsyncSession, client: ApiClient) -> ApiClient:
    """Flush the changes and load what the database set (updated_at)."""
    await session.flush()
    await session.refresh(client)
    return client


async def active_origins(session: AsyncSession) -> list[str]:
    """Every browser origin of an active client, each once, sorted."""
    origin = sa.func.unnest(col(ApiClient.cors_origins)).label("origin")
    inner = sa.select(origin).where(col(ApiClient.is_active)).subquery()
    stmt = sa.select(inner.c.origin).distinct().order_by(inner.c.origin)
    return [str(value) for value in (await session.scalars(stmt)).all()]
