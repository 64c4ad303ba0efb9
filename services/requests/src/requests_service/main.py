"""`create_app`: the requests service (`uvicorn requests_service.main:create_app --factory`)."""

from __future__ import annotations

from fastapi import FastAPI
from ppid_kit.app import create_service_app

from requests_service.calendar import routes as calendar
from requests_service.disputes import routes as disputes
from requests_service.files import routes as files
from requests_service.intake import routes as intake
from requests_service.lifespan import requests_lifespan
from requests_service.objections import routes as objections
from requests_service.readiness import routes as readiness
from requests_service.registers import routes as registers
from requests_service.reports import routes as reports
from requests_service.settings import RequestsSettings
from requests_service.statistics import routes as statistics
from requests_service.tracking import routes as tracking
from requests_service.webhooks import routes as webhooks
from requests_service.workflow import routes as workflow

DESCRIPTION = "Requests (permohonan), objections (keberatan), the working-day calendar, reports."


def create_app(settings: RequestsSettings | None = None) -> FastAPI:
    """Build the app; settings come from `REQUESTS_*` variables unless given."""
    return create_service_app(
        name="requests",
        title="Terbuka requests",
        version="0.1.0",
        settings=settings if settings is not None else RequestsSettings(),
        # Fixed paths (/v1/requests/track, /mine, /fees/…, /register.csv, and
        # /v1/objections/register.csv, /mine…) before /v1/requests/{id} and
        # /v1/objections/{id}.
        routers=[
            calendar.router,
            intake.router,
            registers.router,
            tracking.router,
            workflow.router,
            files.router,
            statistics.router,
            reports.router,
            readiness.router,
            disputes.router,
            objections.router,
            webhooks.router,
        ],
        description=DESCRIPTION,
        lifespan=requests_lifespan,
    )
