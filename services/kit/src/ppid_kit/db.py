"""The async engine, the readiness ping, and one transaction per request."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, TypeVar

import asyncpg
import sqlalchemy.exc as sa_exc
from fastapi import Depends, Request
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.ext.asyncio import AsyncSession as SAAsyncSession
from sqlmodel.ext.asyncio.session import AsyncSession

Row = TypeVar("Row")

# Errors that mean "the database cannot be reached right now", not "the query is wrong".
_ASYNCPG_UNAVAILABLE: tuple[type[BaseException], ...] = (
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.InvalidCatalogNameError,
    asyncpg.InvalidAuthorizationSpecificationError,
    asyncpg.exceptions.ConnectionDoesNotExistError,
)


def connectivity_error_types() -> tuple[type[Exception], ...]:
    """Exception classes worth a look by `is_connectivity_error` (for handler registration)."""
    return (
        sa_exc.DBAPIError,
        sa_exc.TimeoutError,
        asyncpg.PostgresError,
        OSError,
        TimeoutError,
    )


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and what it wraps: SQLAlchemy's `orig`, else the `__cause__`."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else current.__cause__


def is_connectivity_error(exc: BaseException) -> bool:
    """True when `exc` (or what it wraps) says the database is unreachable or overloaded."""
    return any(_is_unavailable(link) for link in _chain(exc))


# SQLSTATE 22021 (character_not_in_repertoire: a NUL in text) and 22P05 (untranslatable
# character): the client sent text PostgreSQL cannot store, a client error, not a bug.
_UNSTORABLE_TEXT = frozenset({"22021", "22P05"})


def is_unstorable_text(exc: BaseException) -> bool:
    """True when the database refused a value of the request's text (e.g. a NUL byte)."""
    return any(getattr(link, "sqlstate", None) in _UNSTORABLE_TEXT for link in _chain(exc))


def _is_unavailable(exc: BaseException) -> bool:
    if isinstance(exc, sa_exc.DBAPIError):
        return exc.connection_invalidated or isinstance(
            exc, sa_exc.OperationalError | sa_exc.InterfaceError
        )
    # Pool exhausted; refused, reset or unreachable; connect timeout; server-side refusals.
    return isinstance(exc, (sa_exc.TimeoutError, OSError, TimeoutError, *_ASYNCPG_UNAVAILABLE))


def create_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    """An asyncpg engine; accepts `postgresql://` URLs too."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            url = "postgresql+asyncpg://" + url.removeprefix(plain)
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        pool_timeout=5,
        connect_args={"timeout": 5},
    )


async def ping(engine: AsyncEngine, timeout: float = 2.0) -> None:  # noqa: ASYNC109 (probe budget)
    """Raise unless `SELECT 1` answers within `timeout` seconds."""
    async with asyncio.timeout(timeout), engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


async def session_scope(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request: committed when the endpoint returns, else rolled back.

    Used with `Depends(..., scope="function")` so the commit happens before the
    response is sent: a client that sees 201 can read what it wrote.
    """
    engine: AsyncEngine = request.app.state.engine
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        yield session


SessionDep = Annotated[AsyncSession, Depends(session_scope, scope="function")]


async def add_and_refresh(session: SAAsyncSession, row: Row) -> Row:
    """Stage a new row and flush it; what the database set (server defaults) is loaded back."""
    session.add(row)
    await session.flush()
    await session.refresh(row)
    return row
