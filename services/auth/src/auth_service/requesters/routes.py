"""Routes of auth_service.requesters (see docs/auth-contract.md)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
