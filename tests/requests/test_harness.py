"""The harness itself: the app runs against real auth, and the guard catches a leak."""

from __future__ import annotations

import logging

import httpx

from tests.requests.people import SITI
from tests.requests.pii import PiiGuard


async def test_the_service_answers_behind_real_auth(requests_client: httpx.AsyncClient) -> None:
    response = await requests_client.get("/readyz")
    assert response.status_code == 200


def test_the_guard_finds_a_nik_in_a_log_line() -> None:
    guard = PiiGuard()
    logger = logging.getLogger("tests.requests.guard-self-test")
    handler = guard.handler()
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("lookup", extra={"value": SITI.nik})
        logger.warning("nothing personal here")
    finally:
        logger.removeHandler(handler)
    assert len(guard.findings) == 1
    assert guard.log_lines_seen == 2
