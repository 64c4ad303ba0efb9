"""Every table the auth service owns, for its Alembic environment and drift checks.

Each domain package adds its tables here.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import SQLModel

from auth_service.units.models import Unit


def _table(model: type[SQLModel]) -> sa.Table:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, sa.Table)
    return table


TABLES: list[sa.Table] = [_table(Unit)]
