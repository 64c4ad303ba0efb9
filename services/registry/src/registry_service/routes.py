"""The DIP entries' routes (the `entries` package), as one router for `main.py`.

Public reads first, then the officials' writes and lists, then policies and decrees.
"""

from __future__ import annotations

from fastapi import APIRouter

from registry_service.entries import manage_routes, policy_routes, public_routes

router = APIRouter()
router.include_router(public_routes.router)
router.include_router(manage_routes.router)
router.include_router(policy_routes.router)

__all__ = ["router"]
