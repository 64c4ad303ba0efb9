"""The HTTP routes of the reports package (see docs/requests-contract.md, issue 6)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["reports"])
