"""Put the `Problem` schema in the app's OpenAPI and use it for every 422."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI

from ppid_kit.problems import KINDS, PROBLEM_MEDIA_TYPE, PROBLEM_REF, VALIDATION, Problem

# The service's problem kinds travel in its spec, so the gateway documents them all.
PROBLEMS_EXTENSION = "x-terbuka-problems"

_FASTAPI_422 = ("HTTPValidationError", "ValidationError")


def _problem_schemas() -> dict[str, Any]:
    schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    defs: dict[str, Any] = schema.pop("$defs", {})
    return {**defs, "Problem": schema}


def _replace_validation_responses(schema: dict[str, Any]) -> None:
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.get("responses") if isinstance(operation, dict) else None
            if isinstance(responses, dict) and "422" in responses:
                responses["422"] = {
                    "description": VALIDATION.title.en,
                    "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": PROBLEM_REF}}},
                }


def with_problem_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Patch a generated OpenAPI document in place (also usable by the gateway)."""
    _replace_validation_responses(schema)
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(_problem_schemas())
    for name in _FASTAPI_422:
        schemas.pop(name, None)
    if any(f'"#/components/schemas/{n}"' in json.dumps(schema) for n in _FASTAPI_422):
        raise RuntimeError("a route still references FastAPI's validation error schema")
    return schema


def install_problem_schema(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = with_problem_schema(generate())
            schema[PROBLEMS_EXTENSION] = [KINDS[slug].describe() for slug in sorted(KINDS)]
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
