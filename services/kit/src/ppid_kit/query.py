"""Pieces of the services' list queries."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped


def equal_where_given(*pairs: tuple[Mapped[Any], object]) -> list[sa.ColumnElement[bool]]:
    """`column = value` for each pair whose value was given (not None): optional `?x=` filters."""
    return [column == value for column, value in pairs if value is not None]
