"""Routes of auth_service.accounts (see docs/auth-contract.md)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
