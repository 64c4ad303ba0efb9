"""ETags: conditional GETs (304) and lost-update protection (412/428)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from fastapi import Request, Response
from fastapi.encoders import jsonable_encoder

from ppid_kit.problems import PRECONDITION_FAILED, PRECONDITION_REQUIRED, ProblemError

_SAFE_METHODS = frozenset({"GET", "HEAD"})


def etag_for(data: bytes | str) -> str:
    """A strong, quoted ETag derived from the representation's bytes."""
    raw = data.encode() if isinstance(data, str) else data
    return '"' + hashlib.sha256(raw).hexdigest()[:32] + '"'


def _parse_tags(header: str) -> list[str]:
    """Entity tags of an If-Match / If-None-Match list, `W/` kept; `*` as itself."""
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def _opaque(tag: str) -> str:
    return tag[2:] if tag.startswith("W/") else tag


def not_modified(request: Request, etag: str) -> Response | None:
    """304 for a GET/HEAD whose If-None-Match matches `etag` (weak comparison, RFC 9110).

    On other methods a match means "the precondition failed" (412), as RFC 9110 says.
    """
    header = request.headers.get("if-none-match")
    if header is None:
        return None
    tags = _parse_tags(header)
    matched = "*" in tags or any(_opaque(t) == _opaque(etag) for t in tags)
    if not matched:
        return None
    if request.method not in _SAFE_METHODS:
        raise ProblemError(PRECONDITION_FAILED, headers={"ETag": etag})
    return Response(status_code=304, headers={"ETag": etag})


def require_if_match(request: Request, current_etag: str) -> None:
    """428 without If-Match; 412 unless it names `current_etag` (strong comparison)."""
    header = request.headers.get("if-match")
    if header is None:
        raise ProblemError(PRECONDITION_REQUIRED)
    tags = _parse_tags(header)
    if "*" in tags:
        return
    if current_etag.startswith("W/") or current_etag not in tags:
        raise ProblemError(PRECONDITION_FAILED, headers={"ETag": current_etag})


def json_bytes(content: Any) -> bytes:
    """The compact JSON that `json_with_etag` sends and hashes."""
    text = json.dumps(
        jsonable_encoder(content), ensure_ascii=False, allow_nan=False, separators=(",", ":")
    )
    return text.encode()


def json_etag(content: Any) -> str:
    """The ETag `json_with_etag` gives `content`, so a write's `If-Match` can quote a GET's."""
    return etag_for(json_bytes(content))


def json_with_etag(
    request: Request,
    content: Any,
    *,
    cache_control: str | None = "public, max-age=60",
    headers: Mapping[str, str] | None = None,
) -> Response:
    """JSON response with a strong ETag; 304 when the client already has it."""
    body = json_bytes(content)
    etag = etag_for(body)
    all_headers = {**(headers or {}), "ETag": etag}
    if cache_control is not None:
        all_headers["Cache-Control"] = cache_control
    cached = not_modified(request, etag)
    if cached is not None:
        cached.headers.update(all_headers)  # RFC 9110: a 304 repeats ETag, Cache-Control, …
        return cached
    return Response(body, media_type="application/json", headers=all_headers)
