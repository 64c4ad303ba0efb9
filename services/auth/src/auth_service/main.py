"""`create_app`: the auth service (`uvicorn auth_service.main:create_app --factory`)."""

from __future__ import annotations

from fastapi import FastAPI
from ppid_kit.app import create_service_app
from ppid_kit.outbox import outbox_lifespan

from auth_service.accounts.routes import router as accounts_router
from auth_service.clients.routes import router as clients_router
from auth_service.grants.routes import router as grants_router
from auth_service.lifespan import compose_lifespans
from auth_service.requesters.routes import router as requesters_router
from auth_service.settings import AuthSettings
from auth_service.tokens.lifespan import tokens_lifespan
from auth_service.tokens.routes import router as tokens_router
from auth_service.units.routes import router as units_router

DESCRIPTION = "Units (the tree of badan publik and their PPIDs), users, clients, tokens and JWKS."
# Background work run while the app runs (each package adds its hook here, in start order).
LIFESPAN_HOOKS = (tokens_lifespan, outbox_lifespan)


def create_app(settings: AuthSettings | None = None) -> FastAPI:
    """Build the app; settings come from `AUTH_*` variables unless given."""
    return create_service_app(
        name="auth",
        title="Terbuka auth",
        version="0.1.0",
        settings=settings if settings is not None else AuthSettings(),
        routers=[
            units_router,
            accounts_router,
            grants_router,
            tokens_router,
            clients_router,
            requesters_router,
        ],
        description=DESCRIPTION,
        lifespan=compose_lifespans(*LIFESPAN_HOOKS),
    )
