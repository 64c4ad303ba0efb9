"""Put the `Problem` schema in the app's OpenAPI, use it for every 422, and document the
problems every operation of a kind can answer (400 for a body that does not parse, 401 for
a bad token) so that each response a client can meet is in the spec."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI

from ppid_kit.problems import (
    KINDS,
    PROBLEM_MEDIA_TYPE,
    PROBLEM_REF,
    VALIDATION,
    Problem,
    problem_responses,
)

# The service's problem kinds travel in its spec, so the gateway documents them all.
PROBLEMS_EXTENSION = "x-terbuka-problems"

_FASTAPI_422 = ("HTTPValidationError", "ValidationError")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _problem_schemas() -> dict[str, Any]:
    schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    defs: dict[str, Any] = schema.pop("$defs", {})
    return {**defs, "Problem": schema}


def _replace_validation_responses(schema: dict[str, Any]) -> None:
    for operation in _operations(schema):
        responses = operation.get("responses")
        if isinstance(responses, dict) and "422" in responses:
            responses["422"] = {
                "description": VALIDATION.title.en,
                "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": PROBLEM_REF}}},
            }


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        operation
        for item in schema.get("paths", {}).values()
        for method, operation in item.items()
        if method in METHODS and isinstance(operation, dict)
    ]


def _document_common_problems(schema: dict[str, Any]) -> None:
    """A body that is not even JSON (or not UTF-8) is refused with 400 before validation;
    an operation that reads a token answers 401 to a bad one, also where it is optional."""
    for operation in _operations(schema):
        responses = operation.setdefault("responses", {})
        wanted = []
        if "requestBody" in operation:
            wanted.append(400)
        if operation.get("security"):
            wanted.append(401)
        for status, response in problem_responses(*wanted).items():
            responses.setdefault(str(status), response)


def with_problem_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Patch a generated OpenAPI document in place (also usable by the gateway)."""
    _replace_validation_responses(schema)
    _document_common_problems(schema)
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
