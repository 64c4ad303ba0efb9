"""Merge the services' OpenAPI 3.1 documents into the one the gateway publishes.

Pure: no I/O, so `make openapi` can build the committed spec from the services'
apps without running servers, and the gateway can build the live one from HTTP.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ppid_kit.openapi import METHODS, PROBLEMS_EXTENSION, with_problem_schema
from ppid_kit.problems import KINDS, PROBLEM_MEDIA_TYPE, PROBLEM_REF, problem_responses

from gateway.routes import ROUTES, RouteRule, rule_for

JSON = dict[str, Any]
REF_PREFIX = "#/components/"
UNAVAILABLE = "x-terbuka-unavailable"

DEFAULT_INFO: JSON = {
    "title": "Terbuka API",
    "version": "1",
    "summary": "Layanan informasi publik (UU 14/2008): DIP, permohonan, keberatan.",
    "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
}

_TEXT_SCHEMA: JSON = {
    "type": "object",
    "properties": {"id": {"type": "string"}, "en": {"type": "string"}},
    "required": ["id", "en"],
}
PROBLEM_KIND_SCHEMA: JSON = {
    "title": "ProblemKindDescription",
    "type": "object",
    "properties": {
        "type": {"type": "string", "examples": ["/problems/not-found"]},
        "slug": {"type": "string"},
        "status": {"type": "integer"},
        "title": _TEXT_SCHEMA,
        "detail": _TEXT_SCHEMA,
    },
    "required": ["type", "slug", "status", "title"],
}
PROBLEMS_PATH: JSON = {
    "get": {
        "operationId": "describe_problem",
        "summary": "Describe one kind of problem (the `type` of an error response)",
        "tags": ["problems"],
        "parameters": [
            {
                "name": "slug",
                "in": "path",
                "required": True,
                "schema": {"type": "string", "examples": ["not-found", "rate-limited"]},
            }
        ],
        "responses": {
            "200": {
                "description": "The kind: its HTTP status and its title in Indonesian and English",
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/ProblemKindDescription"}
                    }
                },
            },
            "404": {
                "description": "No such kind",
                "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": PROBLEM_REF}}},
            },
        },
    }
}


_RETRY_AFTER: JSON = {
    "description": "Seconds to wait before trying again.",
    "schema": {"type": "integer", "minimum": 0},
}
# What the edge itself may answer on any routed operation: the rate limit, and an upstream
# that is down, failing (circuit open) or too slow. Shared as components, named per status.
EDGE_RESPONSES: dict[int, tuple[str, JSON]] = {
    429: (
        "RateLimited",
        {
            "Retry-After": _RETRY_AFTER,
            "RateLimit": {
                "description": "The client's remaining quota (IETF draft).",
                "schema": {"type": "string"},
            },
            "RateLimit-Policy": {
                "description": "The quota's policy.",
                "schema": {"type": "string"},
            },
        },
    ),
    502: ("BadGateway", {"Retry-After": _RETRY_AFTER}),
    503: ("ServiceUnavailable", {"Retry-After": _RETRY_AFTER}),
    504: ("GatewayTimeout", {"Retry-After": _RETRY_AFTER}),
}
# Only on operations with a body (the edge's size limit); the edge's token check on all.
BODY_LIMIT = (413, "PayloadTooLarge")
EDGE_TOKEN = (401, "Unauthorized")


def _edge_response(status: int, headers: Mapping[str, Any]) -> JSON:
    response: JSON = problem_responses(status)[status]
    if headers:
        response["headers"] = copy.deepcopy(dict(headers))
    return response


def _edge_components() -> JSON:
    responses = {
        name: _edge_response(status, headers) for status, (name, headers) in EDGE_RESPONSES.items()
    }
    for status, name in (BODY_LIMIT, EDGE_TOKEN):
        responses[name] = _edge_response(status, {})
    return responses


def _document_edge(item: JSON) -> None:
    """Add what the gateway answers by itself to each operation of a routed path."""
    for method in METHODS:
        operation = item.get(method)
        if not isinstance(operation, dict):
            continue
        responses: JSON = operation.setdefault("responses", {})
        edge = [(status, name) for status, (name, _) in EDGE_RESPONSES.items()]
        if "requestBody" in operation:
            edge.append(BODY_LIMIT)
        # The edge verifies any bearer token it is sent, also on public routes (RFC 6750
        # 3.1: a bad token is refused, never ignored), and demands one on the others.
        edge.append(EDGE_TOKEN)
        for status, name in sorted(edge):
            responses.setdefault(str(status), {"$ref": f"{REF_PREFIX}responses/{name}"})


def merge_openapi(
    specs: Mapping[str, Mapping[str, Any]],
    routes: Sequence[RouteRule] = ROUTES,
    *,
    unavailable: Iterable[str] = (),
    info: Mapping[str, Any] | None = None,
    servers: Sequence[Mapping[str, Any]] = ({"url": "/"},),
) -> JSON:
    """One document from `specs` (upstream name -> its OpenAPI), keeping only the
    paths `routes` send to that upstream. Components with the same name and the
    same content are shared; differing ones are renamed (`RegistryPage`) and every
    `$ref` (and security requirement) of that upstream follows the new name.
    """
    merged: JSON = {
        "openapi": "3.1.0",
        "info": dict(info or DEFAULT_INFO),
        "servers": [dict(server) for server in servers],
        "paths": {},
        "components": _gateway_components(),
        "tags": [],
    }
    seen_operations: set[str] = set()
    for upstream, spec in specs.items():
        _add_upstream(merged, upstream, spec, routes, seen_operations)
    merged[PROBLEMS_EXTENSION] = merge_problem_kinds(specs.values())
    merged["paths"]["/problems/{slug}"] = copy.deepcopy(PROBLEMS_PATH)
    _add_tags(merged["tags"], [{"name": "problems", "description": "Error kinds"}])
    _prune_components(merged)
    down = sorted(set(unavailable))
    if down:
        merged[UNAVAILABLE] = down
    return merged


def merge_problem_kinds(specs: Iterable[Mapping[str, Any]]) -> list[JSON]:
    """Every problem kind: the gateway's own and those each service lists in its spec."""
    kinds = {slug: kind.describe() for slug, kind in KINDS.items()}
    for spec in specs:
        for described in spec.get(PROBLEMS_EXTENSION, []):
            kinds.setdefault(described["slug"], described)
    return [kinds[slug] for slug in sorted(kinds)]


def _gateway_components() -> JSON:
    """The gateway's own schemas; the kit's `Problem` comes first, so services share it."""
    own = {
        "components": {
            "schemas": {"ProblemKindDescription": PROBLEM_KIND_SCHEMA},
            "responses": _edge_components(),
        }
    }
    components: JSON = with_problem_schema(copy.deepcopy(own))["components"]
    return components


def _add_upstream(
    merged: JSON,
    upstream: str,
    spec: Mapping[str, Any],
    routes: Sequence[RouteRule],
    seen_operations: set[str],
) -> None:
    paths = {
        path: item
        for path, item in spec.get("paths", {}).items()
        if (rule := rule_for(path, routes)) is not None and rule.upstream == upstream
    }
    components: Mapping[str, Mapping[str, Any]] = spec.get("components", {})
    renames = _renames(components, merged["components"], upstream)
    for path, item in paths.items():
        merged["paths"][path] = _rewrite(copy.deepcopy(item), renames)
        _dedupe_operation_ids(merged["paths"][path], upstream, seen_operations)
        _document_edge(merged["paths"][path])
    for section, entries in components.items():
        target = merged["components"].setdefault(section, {})
        for name, value in entries.items():
            target[renames.get((section, name), name)] = _rewrite(copy.deepcopy(value), renames)
    _add_tags(merged["tags"], spec.get("tags", []))


def _renames(
    incoming: Mapping[str, Mapping[str, Any]],
    existing: Mapping[str, Mapping[str, Any]],
    upstream: str,
) -> dict[tuple[str, str], str]:
    """New names for `incoming` components that clash with different `existing` ones.

    Repeats until stable: renaming one schema changes the `$ref`s inside others,
    which may make a schema that looked identical differ.
    """
    renames: dict[tuple[str, str], str] = {}
    changed = True
    while changed:
        changed = False
        for section, entries in incoming.items():
            present = existing.get(section, {})
            for name, value in entries.items():
                key = (section, name)
                if key in renames or name not in present:
                    continue
                if _rewrite(copy.deepcopy(value), renames) != present[name]:
                    renames[key] = _fresh_name(name, upstream, present, entries)
                    changed = True
    return renames


def _fresh_name(
    name: str, upstream: str, present: Mapping[str, Any], entries: Mapping[str, Any]
) -> str:
    base = f"{upstream.capitalize()}{name}"
    candidate, counter = base, 2
    while candidate in present or candidate in entries:
        candidate, counter = f"{base}{counter}", counter + 1
    return candidate


def _rewrite(node: Any, renames: Mapping[tuple[str, str], str]) -> Any:
    """`node` with `$ref`s and security requirement names following `renames` (in place)."""
    if not renames:
        return node
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF_PREFIX):
            section, _, name = ref[len(REF_PREFIX) :].partition("/")
            if (section, name) in renames:
                node["$ref"] = f"{REF_PREFIX}{section}/{renames[(section, name)]}"
        for key, value in node.items():
            if key == "security" and isinstance(value, list):
                node[key] = [_rename_requirement(req, renames) for req in value]
            else:
                _rewrite(value, renames)
    elif isinstance(node, list):
        for value in node:
            _rewrite(value, renames)
    return node


def _rename_requirement(
    requirement: Mapping[str, Any], renames: Mapping[tuple[str, str], str]
) -> dict[str, Any]:
    return {renames.get(("securitySchemes", k), k): v for k, v in requirement.items()}


def _dedupe_operation_ids(item: JSON, upstream: str, seen: set[str]) -> None:
    for method in METHODS:
        operation = item.get(method)
        if not isinstance(operation, dict) or "operationId" not in operation:
            continue
        if operation["operationId"] in seen:
            operation["operationId"] = f"{upstream}_{operation['operationId']}"
        seen.add(operation["operationId"])


def _add_tags(tags: list[JSON], incoming: Iterable[Mapping[str, Any]]) -> None:
    names = {tag["name"] for tag in tags}
    for tag in incoming:
        if tag.get("name") not in names:
            tags.append(dict(tag))
            names.add(tag["name"])


def _prune_components(merged: JSON) -> None:
    """Drop components no kept path reaches (the services' unrouted parts)."""
    reachable: set[tuple[str, str]] = set()
    pending = list(_refs(merged["paths"]))
    components: dict[str, dict[str, Any]] = merged["components"]
    while pending:
        key = pending.pop()
        if key in reachable or key[1] not in components.get(key[0], {}):
            continue
        reachable.add(key)
        pending.extend(_refs(components[key[0]][key[1]]))
    for section, entries in components.items():
        if section == "securitySchemes":
            continue  # named by security requirements, never by $ref
        for name in [n for n in entries if (section, n) not in reachable]:
            del entries[name]


def _refs(node: Any) -> Iterable[tuple[str, str]]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF_PREFIX):
            section, _, name = ref[len(REF_PREFIX) :].partition("/")
            yield section, name
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)
