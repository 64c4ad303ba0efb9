"""`create_app`: the requests service (`uvicorn requests_service.main:create_app --factory`)."""

from __future__ import annotations

from fastapi import FastAPI
from ppid_kit.app import create_service_app

from requests_service.routes import router as calendar_router
from requests_service.settings import RequestsSettings

DESCRIPTION = "Requests (permohonan), objections (keberatan), the working-day calendar, reports."


def create_app(settings: RequestsSettings | None = None) -> FastAPI:
    """Build the app; settings come from `REQUESTS_*` variables unless given."""
    return create_service_app(
        name="requests",
        title="Terbuka requests",
        version="0.1.0",
        settings=settings if settings is not None else RequestsSettings(),
        routers=[calendar_router],
        description=DESCRIPTION,
    )
