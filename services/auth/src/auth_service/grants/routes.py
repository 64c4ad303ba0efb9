"""Routes of auth_service.grants (see docs/auth-contract.md)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
