"""Lockout after failed logins, per account and per client address, in PostgreSQL.

Several replicas share the counts: each change happens under the row's lock.

- Account (keyed by an HMAC of the lower-cased email, so unknown emails lock exactly
  like known ones and the answer reveals nothing): after `lockout_threshold`
  consecutive failures the account is locked for `lockout_base_seconds`, doubling with
  each further failure up to `lockout_max_seconds`. A good login clears the count; so
  does a quiet spell of `lockout_max_seconds` after the last lock (or failure).
- Address: `address_failure_limit` failures within `address_failure_window_seconds`
  block the address until the window ends (password spraying across many accounts).
  Blocked again within a window of the block's end, it is blocked for twice the window,
  then four times, … up to `address_lockout_max_seconds`; a quiet window ends the streak.
  The address is stored as an HMAC too: no IP address is kept.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from fastapi import Request
from pydantic import IPvAnyNetwork
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from auth_service.accounts import crypto
from auth_service.accounts.models import FailureScope, LoginFailure
from auth_service.settings import AuthSettings


class BlockReason(StrEnum):
    ACCOUNT = "account"
    ADDRESS = "address"


@dataclass(frozen=True)
class LoginKeys:
    account: str
    address: str


@dataclass(frozen=True)
class Block:
    reason: BlockReason
    retry_after: int  # whole seconds, at least 1


def _trusted(host: str, networks: Sequence[IPvAnyNetwork]) -> bool:
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: Request, trusted: Sequence[IPvAnyNetwork]) -> str:
    """The nearest address that is not one of our proxies (X-Forwarded-For, right to left).

    Believed only when the direct peer is a trusted proxy (the gateway); else the peer.
    """
    peer = request.client.host if request.client else ""
    forwarded = request.headers.get("x-forwarded-for", "")
    if not forwarded or not _trusted(peer, trusted):
        return peer
    hops = [hop.strip() for hop in forwarded.split(",")]
    for hop in reversed(hops):
        if hop and not _trusted(hop, trusted):
            return hop
    return hops[0] or peer


def login_keys(settings: AuthSettings, email: str, address: str) -> LoginKeys:
    key = crypto.failure_key(settings.key_encryption_key.get_secret_value())
    return LoginKeys(
        account=crypto.keyed_hash(key, "account:" + email.strip().lower()),
        address=crypto.keyed_hash(key, "address:" + address),
    )


async def database_now(session: AsyncSession) -> datetime:
    """The database's clock: every replica compares against the same one."""
    now = await session.scalar(sa.select(sa.func.clock_timestamp()))
    assert isinstance(now, datetime)
    return now


def _seconds_left(until: datetime | None, now: datetime) -> int | None:
    if until is None or until <= now:
        return None
    return max(1, math.ceil((until - now).total_seconds()))


async def current_block(session: AsyncSession, keys: LoginKeys) -> Block | None:
    """Why a login must be refused now without looking at the password, if it must."""
    rows = await session.scalars(
        sa.select(LoginFailure).where(
            sa.tuple_(col(LoginFailure.scope), col(LoginFailure.key)).in_(
                [
                    (FailureScope.ADDRESS.value, keys.address),
                    (FailureScope.ACCOUNT.value, keys.account),
                ]
            )
        )
    )
    now = await database_now(session)
    blocks = [
        Block(BlockReason(row.scope.value), left)
        for row in rows
        if (left := _seconds_left(row.locked_until, now)) is not None
    ]
    # The address block first: it says least about the account.
    return min(blocks, key=lambda block: block.reason != BlockReason.ADDRESS, default=None)


async def _locked_row(session: AsyncSession, scope: FailureScope, key: str) -> LoginFailure:
    now = sa.func.clock_timestamp()
    await session.execute(
        insert(LoginFailure)
        .values(scope=scope.value, key=key, failures=0, first_failure_at=now, last_failure_at=now)
        .on_conflict_do_nothing(index_elements=["scope", "key"])
    )
    row = await session.get(
        LoginFailure, (scope, key), with_for_update=True, populate_existing=True
    )
    assert row is not None
    return row


def _account_failure(row: LoginFailure, settings: AuthSettings, now: datetime) -> None:
    quiet_since = row.locked_until or row.last_failure_at
    if row.failures and now - quiet_since >= timedelta(seconds=settings.lockout_max_seconds):
        row.failures, row.first_failure_at, row.locked_until = 0, now, None
    row.failures += 1
    row.last_failure_at = now
    over = row.failures - settings.lockout_threshold
    if over >= 0:
        seconds = min(
            settings.lockout_base_seconds * 2 ** min(over, 32), settings.lockout_max_seconds
        )
        row.locked_until = now + timedelta(seconds=seconds)


def _address_failure(row: LoginFailure, settings: AuthSettings, now: datetime) -> None:
    window = timedelta(seconds=settings.address_failure_window_seconds)
    row.last_failure_at = now
    if row.locked_until is not None and now < row.locked_until:
        row.failures += 1  # tries while blocked change nothing but the count
        return
    if now - row.first_failure_at >= window:
        # A block that ended less than a window ago continues the streak; a quiet window ends it.
        if row.locked_until is None or now - row.locked_until >= window:
            row.strikes = 0
        row.failures, row.first_failure_at, row.locked_until = 0, now, None
    row.failures += 1
    if row.failures >= settings.address_failure_limit and row.locked_until is None:
        if row.strikes == 0:
            row.locked_until = row.first_failure_at + window
        else:
            seconds = min(
                settings.address_failure_window_seconds * 2 ** min(row.strikes, 32),
                max(settings.address_lockout_max_seconds, settings.address_failure_window_seconds),
            )
            row.locked_until = now + timedelta(seconds=seconds)
        row.strikes += 1


async def record_address_failure(
    session: AsyncSession, settings: AuthSettings, keys: LoginKeys
) -> None:
    row = await _locked_row(session, FailureScope.ADDRESS, keys.address)
    _address_failure(row, settings, await database_now(session))
    await session.flush()


async def record_account_failure(
    session: AsyncSession, settings: AuthSettings, keys: LoginKeys
) -> Block | None:
    """Count one failure against the account; the new lock when this failure locked it."""
    row = await _locked_row(session, FailureScope.ACCOUNT, keys.account)
    now = await database_now(session)
    _account_failure(row, settings, now)
    await session.flush()
    left = _seconds_left(row.locked_until, now)
    return None if left is None else Block(BlockReason.ACCOUNT, left)


async def failures_of(session: AsyncSession, keys: LoginKeys) -> int:
    row = await session.get(LoginFailure, (FailureScope.ACCOUNT, keys.account))
    return 0 if row is None else row.failures


async def clear_account(session: AsyncSession, keys: LoginKeys) -> None:
    """A good login: the account's count starts again (the address's does not)."""
    await session.execute(
        sa.delete(LoginFailure).where(
            col(LoginFailure.scope) == FailureScope.ACCOUNT.value,
            col(LoginFailure.key) == keys.account,
        )
    )


def stale_after(settings: AuthSettings) -> timedelta:
    """How long after its last failure and its lock's end a row no longer counts: twice the
    longest look-back of any rule (a quiet spell of that long resets both kinds of row)."""
    longest = max(
        settings.lockout_max_seconds,
        settings.address_lockout_max_seconds,
        settings.address_failure_window_seconds,
    )
    return timedelta(seconds=2 * longest)


async def purge_stale(session: AsyncSession, settings: AuthSettings) -> int:
    """Delete the failure rows that no longer count; returns how many went."""
    cutoff = await database_now(session) - stale_after(settings)
    result = await session.execute(
        sa.delete(LoginFailure).where(
            col(LoginFailure.last_failure_at) < cutoff,
            sa.or_(
                col(LoginFailure.locked_until).is_(None), col(LoginFailure.locked_until) < cutoff
            ),
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
