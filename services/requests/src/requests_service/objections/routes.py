"""The HTTP routes of the objections package (see docs/requests-contract.md, issue 6)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["objections"])
