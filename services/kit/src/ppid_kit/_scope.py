"""Read the matched route template from an ASGI scope after the app has routed it."""

from __future__ import annotations

from typing import Any

from starlette.routing import Mount
from starlette.types import Scope

UNMATCHED = "<unmatched>"


def route_template(scope: Scope, root_path_before: str = "") -> str:
    """The path template that served the request (`/v1/units/{unit_id}`), or `<unmatched>`.

    FastAPI resolves routes of included routers lazily: `scope["route"]` then holds the
    router's own route, whose `path_format` lacks the include prefixes, while the
    effective route context has the full template. Mounts add their prefix to
    `root_path`, so the part of `root_path` added while routing is prepended too.
    """
    route = scope.get("route")
    if isinstance(route, Mount):  # the mounted app matched nothing (or is not a router)
        return route.path_format
    template = _effective_template(scope)
    if template is None:
        template = getattr(route, "path_format", None)
    if not isinstance(template, str) or not template:
        return UNMATCHED
    root_path = str(scope.get("root_path", ""))
    mounted = root_path[len(root_path_before) :] if root_path.startswith(root_path_before) else ""
    return mounted + template


def _effective_template(scope: Scope) -> str | None:
    fastapi_state: Any = scope.get("fastapi")
    if not isinstance(fastapi_state, dict):
        return None
    context = fastapi_state.get("effective_route_context")
    template = getattr(context, "path_format", None)
    return template if isinstance(template, str) and template else None
