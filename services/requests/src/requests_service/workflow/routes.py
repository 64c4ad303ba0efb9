"""Routes of the workflow package (see docs/requests-contract.md): the fee schedule, the
state machine's actions, the written notice and the refusal decree.

The fixed `/v1/requests/fees/{root_id}` paths come first, before any path that starts
with `/v1/requests/{request_id}`.
"""

from __future__ import annotations

from fastapi import APIRouter

from requests_service.workflow import action_routes, decision_routes, fee_routes, notice_routes

router = APIRouter()
router.include_router(fee_routes.router)
router.include_router(action_routes.router)
router.include_router(decision_routes.router)
router.include_router(notice_routes.router)
