"""`ppid_kit.models` on real PostgreSQL: checked enums, server-set timestamps, public models."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from enum import StrEnum

import pytest
import sqlalchemy as sa
import sqlalchemy.exc
from ppid_kit.db import add_and_refresh, create_engine
from ppid_kit.models import CreatedAt, PublicModel, Timestamps, enum_type, values_in
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import Field, SQLModel


class Shade(StrEnum):
    DARK_RED = "dark_red"
    BLUE = "blue"


class Note(Timestamps, table=True):
    __tablename__ = "kit_columns_notes"
    __table_args__ = (sa.CheckConstraint(values_in("shade", Shade), name="ck_notes_shade"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    shade: Shade = Field(sa_type=enum_type(Shade))
    text: str = ""


class Mark(CreatedAt, table=True):
    __tablename__ = "kit_columns_marks"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)


NOTES = SQLModel.metadata.tables["kit_columns_notes"]
MARKS = SQLModel.metadata.tables["kit_columns_marks"]


@pytest.fixture(scope="module")
def columns_url(fresh_database: Callable[[str], str]) -> str:
    return fresh_database("kit_columns")  # sync: the server's admin calls run their own loop


@pytest.fixture(scope="module")
async def engine(columns_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(columns_url, pool_size=2)
    async with engine.begin() as conn:
        await conn.run_sync(lambda sync: SQLModel.metadata.create_all(sync, [NOTES, MARKS]))
    yield engine
    await engine.dispose()


def test_values_in_quotes_enum_values_and_plain_strings() -> None:
    assert values_in("shade", Shade) == "shade IN ('dark_red', 'blue')"
    assert values_in("shade", ("dark_red", "blue")) == values_in("shade", Shade)


def test_each_table_gets_its_own_timestamp_columns() -> None:
    assert set(MARKS.c.keys()) == {"id", "created_at"}
    assert NOTES.c.created_at is not MARKS.c.created_at
    for column in (NOTES.c.created_at, NOTES.c.updated_at, MARKS.c.created_at):
        assert not column.nullable
        assert column.server_default is not None
    assert NOTES.c.updated_at.onupdate is not None
    assert NOTES.c.created_at.onupdate is None


async def test_timestamps_are_set_by_the_database(engine: AsyncEngine) -> None:
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        note = await add_and_refresh(session, Note(shade=Shade.DARK_RED))
        mark = await add_and_refresh(session, Mark())
    assert note.created_at.tzinfo is not None
    assert note.updated_at == note.created_at == mark.created_at  # now() of one transaction
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        stored = await session.get(Note, note.id)
        assert stored is not None
        stored.text = "edited"
        await session.flush()
        await session.refresh(stored)
    assert stored.created_at == note.created_at
    assert stored.updated_at > note.updated_at


async def test_enum_columns_hold_values_and_the_check_refuses_others(
    engine: AsyncEngine,
) -> None:
    async with AsyncSession(engine) as session, session.begin():
        note = await add_and_refresh(session, Note(shade=Shade.DARK_RED))
        raw = await session.scalar(
            sa.text("SELECT shade FROM kit_columns_notes WHERE id = :id"), {"id": note.id}
        )
    assert raw == "dark_red"
    with pytest.raises(sqlalchemy.exc.IntegrityError, match="ck_notes_shade"):
        async with engine.begin() as conn:
            await conn.execute(
                sa.text(
                    "INSERT INTO kit_columns_notes (id, shade, text) VALUES (:id, 'green', '')"
                ),
                {"id": uuid.uuid4()},
            )


class NotePublic(PublicModel):
    shade: Shade
    text: str = ""


def test_public_models_require_fields_that_have_defaults() -> None:
    schema = NotePublic.model_json_schema(mode="serialization")
    assert schema["required"] == ["shade", "text"]
    assert NotePublic(shade=Shade.BLUE).model_dump(mode="json") == {"shade": "blue", "text": ""}
