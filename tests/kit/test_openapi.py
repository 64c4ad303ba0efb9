"""The kit's patch of a generated spec documents the problems any operation of a kind can
answer, so that a client (and the API fuzzer) meets no undocumented status."""

from __future__ import annotations

from typing import Any

from ppid_kit.openapi import with_problem_schema
from ppid_kit.problems import PROBLEM_REF


def _spec(**operations: Any) -> dict[str, Any]:
    return {"openapi": "3.1.0", "info": {"title": "x", "version": "1"}, "paths": operations}


def _problem(responses: dict[str, Any], status: str) -> Any:
    return responses[status]["content"]["application/problem+json"]["schema"]["$ref"]


def test_a_body_that_does_not_parse_and_a_bad_token_are_documented() -> None:
    body: dict[str, Any] = {"content": {"application/json": {"schema": {}}}}
    spec = with_problem_schema(
        _spec(
            **{
                "/with-body": {"post": {"requestBody": body, "responses": {"201": {}}}},
                "/optional-token": {
                    "get": {"security": [{"HTTPBearer": []}, {}], "responses": {"200": {}}}
                },
                "/plain": {"get": {"responses": {"200": {}}}},
            }
        )
    )
    paths = spec["paths"]
    assert _problem(paths["/with-body"]["post"]["responses"], "400") == PROBLEM_REF
    assert "401" not in paths["/with-body"]["post"]["responses"]
    assert _problem(paths["/optional-token"]["get"]["responses"], "401") == PROBLEM_REF
    assert set(paths["/plain"]["get"]["responses"]) == {"200"}


def test_a_routes_own_description_is_kept() -> None:
    own = {"description": "Bad OAuth request", "content": {"application/json": {"schema": {}}}}
    spec = with_problem_schema(
        _spec(**{"/token": {"post": {"requestBody": {}, "responses": {"400": own}}}})
    )
    assert spec["paths"]["/token"]["post"]["responses"]["400"] == own
