"""`create_app`: the registry service (`uvicorn registry_service.main:create_app --factory`)."""

from __future__ import annotations

from fastapi import FastAPI
from ppid_kit.app import create_service_app

from registry_service import freshness
from registry_service.dik import routes as dik
from registry_service.documents import routes as documents
from registry_service.documents.lifespan import storage_lifespan
from registry_service.feed import routes as feed
from registry_service.routes import router as entries_router
from registry_service.settings import RegistrySettings

DESCRIPTION = "The DIP (Daftar Informasi Publik): entries, documents, changes feed, and the DIK."


def create_app(settings: RegistrySettings | None = None) -> FastAPI:
    """Build the app; settings come from `REGISTRY_*` variables unless given."""
    return create_service_app(
        name="registry",
        title="Terbuka registry",
        version="0.1.0",
        settings=settings if settings is not None else RegistrySettings(),
        # Fixed paths (/v1/dip/changes, /v1/dip/export.csv, …) before /v1/dip/entries/{id}.
        routers=[feed.router, freshness.router, entries_router, documents.router, dik.router],
        description=DESCRIPTION,
        lifespan=storage_lifespan,
    )
