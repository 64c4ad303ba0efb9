"""Opaque, signed pagination cursors and the pieces of a keyset-paginated list."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar
from uuid import UUID

from fastapi import Query, Request
from pydantic import BaseModel

from ppid_kit.problems import INVALID_CURSOR, ProblemError

T = TypeVar("T")
_MAC_BYTES = 16  # 128-bit tag: forging is out of reach, the cursor stays short
_MAX_TOKEN = 2048
_DOMAIN = b"ppid-cursor-v1\x00"  # keeps the MAC distinct from other uses of the same secret


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    raise TypeError(f"cannot put {type(value).__name__} in a cursor")


class CursorCodec:
    """`encode` a keyset position into a url-safe token; `decode` checks the HMAC.

    Values go through JSON: datetimes, dates, UUIDs and decimals come back as strings.
    """

    def __init__(self, secret: str | bytes) -> None:
        key = secret.encode() if isinstance(secret, str) else secret
        if not key:
            raise ValueError("cursor secret must not be empty")
        self._key = key

    def _mac(self, payload: bytes) -> bytes:
        return hmac.new(self._key, _DOMAIN + payload, hashlib.sha256).digest()[:_MAC_BYTES]

    def encode(self, values: Mapping[str, Any]) -> str:
        payload = json.dumps(
            dict(values), separators=(",", ":"), sort_keys=True, default=_json_default
        ).encode()
        return _b64(payload + self._mac(payload))

    def decode(self, token: str) -> dict[str, Any]:
        if not token or len(token) > _MAX_TOKEN:
            raise ProblemError(INVALID_CURSOR)
        try:
            raw = _unb64(token)
        except (binascii.Error, ValueError) as exc:
            raise ProblemError(INVALID_CURSOR) from exc
        payload, mac = raw[:-_MAC_BYTES], raw[-_MAC_BYTES:]
        if len(raw) <= _MAC_BYTES or not hmac.compare_digest(mac, self._mac(payload)):
            raise ProblemError(INVALID_CURSOR)
        try:
            values = json.loads(payload)
        except ValueError as exc:
            raise ProblemError(INVALID_CURSOR) from exc
        if not isinstance(values, dict):
            raise ProblemError(INVALID_CURSOR)
        return values


class PageParams:
    """`page: Annotated[PageParams, Depends()]`: `?limit=` (1..200, default 50) and `?cursor=`."""

    def __init__(
        self,
        limit: Annotated[int, Query(ge=1, le=200, description="Page size.")] = 50,
        cursor: Annotated[
            str | None,
            Query(max_length=_MAX_TOKEN, description="`next_cursor` of the previous page."),
        ] = None,
    ) -> None:
        self.limit = limit
        self.cursor = cursor


def next_link(request: Request, next_cursor: str) -> str:
    """RFC 8288 `Link` header value for the next page (a reference relative to this host)."""
    url = request.url.include_query_params(cursor=next_cursor)
    return f'<{url.path}?{url.query}>; rel="next"'


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None
