"""Building blocks of the services' SQLModel classes (the kit's own tables are in `tables`).

Checked enum columns, server-set timestamps, and the base of public (response) models.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time
from enum import StrEnum
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import AfterValidator, WithJsonSchema
from sqlmodel import Field, SQLModel


def enum_type(enum: type[StrEnum]) -> sa.Enum:
    """VARCHAR(32) holding the enum's values; a CHECK (named, in the migration) guards it."""
    return sa.Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda kind: [member.value for member in kind],
        validate_strings=True,
    )


def values_in(column: str, values: Iterable[str]) -> str:
    """`kind IN ('a', 'b')`, the text of a CHECK: from an enum, or a migration's frozen tuple."""
    return f"{column} IN ({', '.join(repr(str(value)) for value in values)})"


def _without_offset(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("a local time carries no UTC offset")
    return value


# A wall-clock time in the root's own zone ("08:00" or "16:00:00"). JSON Schema's `time`
# format (RFC 3339 full-time) demands an offset, which a local time has not, so the spec
# gives the shape as a pattern instead.
LocalTime = Annotated[
    time,
    AfterValidator(_without_offset),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$",
            "examples": ["08:00:00"],
        }
    ),
]


def _timestamp(**column_kwargs: Any) -> Any:
    # None until flushed: the database sets it (a None attribute is left out of the INSERT).
    return Field(
        default=None,
        nullable=False,
        sa_type=sa.DateTime(timezone=True),
        sa_column_kwargs={"server_default": sa.func.now(), **column_kwargs},
    )


class CreatedAt(SQLModel):
    """Mixin for tables: `created_at timestamptz NOT NULL DEFAULT now()`."""

    created_at: datetime = _timestamp()


class Timestamps(CreatedAt):
    """Mixin for tables: `created_at`, and `updated_at` that each ORM UPDATE sets to now()."""

    updated_at: datetime = _timestamp(onupdate=sa.func.now())


class PublicModel(SQLModel):
    """Base of response models: defaults are always sent, so the schema requires every field.

    Generated clients then see each field as present, never as optional.
    """

    model_config = {"json_schema_serialization_defaults_required": True}
