"""`create_app`: the registry service (`uvicorn registry_service.main:create_app --factory`)."""

from __future__ import annotations

from fastapi import FastAPI
from ppid_kit.app import create_service_app

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
        routers=[entries_router],
        description=DESCRIPTION,
    )
