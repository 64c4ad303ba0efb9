"""Every table the auth service owns, for its Alembic environment and drift checks.

Each domain package adds its tables here.
"""

from __future__ import annotations

import sqlalchemy as sa
from ppid_kit.outbox.models import OutboxMessage
from sqlmodel import SQLModel

from auth_service.accounts.models import LoginFailure, MfaRecoveryCode, User
from auth_service.clients.models import ApiClient
from auth_service.grants.models import GrantRow
from auth_service.requesters.models import EmailToken, RequesterProfile
from auth_service.tokens.models import RefreshToken, SigningKey
from auth_service.units.models import Unit
from auth_service.units.versions import UnitVersion


def _table(model: type[SQLModel]) -> sa.Table:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, sa.Table)
    return table


TABLES: list[sa.Table] = [
    _table(Unit),
    _table(UnitVersion),
    _table(User),
    _table(LoginFailure),
    _table(MfaRecoveryCode),
    _table(GrantRow),
    _table(SigningKey),
    _table(RefreshToken),
    _table(ApiClient),
    _table(EmailToken),
    _table(RequesterProfile),
    _table(OutboxMessage),
]
