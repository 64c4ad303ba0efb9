"""`merge_openapi` is pure: specs in, one document out."""

from __future__ import annotations

from typing import Any

from gateway.openapi_merge import merge_openapi
from ppid_kit.openapi import with_problem_schema
from ppid_kit.problems import PROBLEM_REF


def _ref(name: str, section: str = "schemas") -> dict[str, str]:
    return {"$ref": f"#/components/{section}/{name}"}


def _get(operation_id: str, schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    content = {"application/json": {"schema": schema}}
    operation = {"operationId": operation_id, "responses": {"200": {"content": content}}}
    return {"get": {**operation, **extra}}


def _spec(paths: dict[str, Any], **components: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "x", "version": "1"},
        "paths": paths,
        "components": components,
    }


def test_keeps_only_the_paths_routed_to_each_upstream() -> None:
    merged = merge_openapi(
        {
            "auth": _spec({"/v1/units": _get("a", {}), "/v1/dip": _get("b", {})}),
            "registry": _spec({"/v1/dip": _get("c", {}), "/healthz": _get("d", {})}),
        },
    )
    assert set(merged["paths"]) == {"/v1/units", "/v1/dip", "/problems/{slug}"}
    assert merged["paths"]["/v1/dip"]["get"]["operationId"] == "c"


def test_equal_components_are_shared_and_different_ones_renamed() -> None:
    page = {"type": "object", "properties": {"items": {"type": "array", "items": _ref("Item")}}}
    merged = merge_openapi(
        {
            "registry": _spec(
                {"/v1/dip": _get("list_entries", _ref("Page"))},
                schemas={"Page": page, "Item": {"type": "string"}},
            ),
            "requests": _spec(
                {"/v1/requests": _get("list_requests", _ref("Page"))},
                schemas={"Page": page, "Item": {"type": "integer"}},
            ),
        },
    )
    schemas = merged["components"]["schemas"]
    # "Item" differs, so requests' "Page" (same text, other Item) must differ too.
    assert schemas["Item"] == {"type": "string"}
    assert schemas["RequestsItem"] == {"type": "integer"}
    assert schemas["RequestsPage"]["properties"]["items"]["items"] == _ref("RequestsItem")
    assert schemas["Page"]["properties"]["items"]["items"] == _ref("Item")
    response = merged["paths"]["/v1/requests"]["get"]["responses"]["200"]
    assert response["content"]["application/json"]["schema"] == _ref("RequestsPage")


def test_identical_components_are_not_duplicated() -> None:
    shared = {"Shared": {"type": "object"}}
    merged = merge_openapi(
        {
            "auth": _spec({"/v1/units": _get("a", _ref("Shared"))}, schemas=shared),
            "registry": _spec({"/v1/dip": _get("b", _ref("Shared"))}, schemas=shared),
        },
    )
    assert [n for n in merged["components"]["schemas"] if n.endswith("Shared")] == ["Shared"]


def test_the_kits_problem_schema_is_shared_with_the_services() -> None:
    service = with_problem_schema(_spec({"/v1/dip": _get("a", {"$ref": PROBLEM_REF})}))
    merged = merge_openapi({"registry": service})
    schemas = merged["components"]["schemas"]
    assert {"Problem", "ProblemFieldError"} <= set(schemas)
    assert not [name for name in schemas if name.startswith("Registry")]
    not_found = merged["paths"]["/problems/{slug}"]["get"]["responses"]["404"]
    assert not_found["content"]["application/problem+json"]["schema"] == {"$ref": PROBLEM_REF}


def test_renamed_security_schemes_follow_into_requirements() -> None:
    def spec(path: str, scheme: dict[str, Any]) -> dict[str, Any]:
        return _spec(
            {path: _get("op" + path, {}, security=[{"Bearer": []}])},
            securitySchemes={"Bearer": scheme},
        )

    merged = merge_openapi(
        {
            "auth": spec("/v1/units", {"type": "http", "scheme": "bearer"}),
            "requests": spec("/v1/webhooks", {"type": "apiKey", "in": "header", "name": "X"}),
        },
    )
    schemes = merged["components"]["securitySchemes"]
    assert set(schemes) == {"Bearer", "RequestsBearer"}
    assert merged["paths"]["/v1/webhooks"]["get"]["security"] == [{"RequestsBearer": []}]
    assert merged["paths"]["/v1/units"]["get"]["security"] == [{"Bearer": []}]


def test_clashing_operation_ids_get_the_upstream_prefix() -> None:
    merged = merge_openapi(
        {
            "auth": _spec({"/v1/units": _get("list", {})}),
            "registry": _spec({"/v1/dip": _get("list", {})}),
        },
    )
    assert merged["paths"]["/v1/units"]["get"]["operationId"] == "list"
    assert merged["paths"]["/v1/dip"]["get"]["operationId"] == "registry_list"


def test_unreachable_components_are_pruned_and_gateway_parts_added() -> None:
    merged = merge_openapi(
        {
            "auth": _spec(
                {"/v1/units": _get("a", _ref("A"))}, schemas={"A": _ref("B"), "B": {}, "Orphan": {}}
            )
        },
        unavailable=["requests", "registry"],
        info={"title": "T", "version": "9"},
        servers=[{"url": "https://ppid.example.go.id"}],
    )
    gateway_own = {"ProblemKindDescription", "Problem", "ProblemFieldError"}
    assert set(merged["components"]["schemas"]) == {"A", "B", *gateway_own}
    assert merged["x-terbuka-unavailable"] == ["registry", "requests"]
    assert merged["info"] == {"title": "T", "version": "9"}
    assert merged["servers"] == [{"url": "https://ppid.example.go.id"}]
    assert merged["openapi"] == "3.1.0"
    assert "/problems/{slug}" in merged["paths"]


def test_inputs_are_not_modified() -> None:
    spec = _spec({"/v1/dip": _get("a", _ref("X"))}, schemas={"X": {"type": "string"}})
    other = _spec({"/v1/units": _get("b", _ref("X"))}, schemas={"X": {"type": "integer"}})
    before = repr(spec), repr(other)
    merge_openapi({"auth": other, "registry": spec})
    assert (repr(spec), repr(other)) == before


def test_what_the_edge_answers_itself_is_documented_on_every_operation() -> None:
    """Rate limit, upstream down/failing/slow and the edge's token check everywhere; the body
    limit where a body goes (found missing by the API fuzzer)."""
    post = {
        "operationId": "submit",
        "requestBody": {"content": {"application/json": {"schema": {}}}},
        "responses": {"201": {"description": "made"}},
    }
    merged = merge_openapi(
        {
            "registry": _spec({"/v1/dip/entries": {**_get("list", {}), "post": post}}),
            "requests": _spec({"/v1/webhooks/subscriptions": _get("subs", {})}),
        }
    )
    paths = merged["paths"]
    public_get = paths["/v1/dip/entries"]["get"]["responses"]
    body_post = paths["/v1/dip/entries"]["post"]["responses"]
    bearer_get = paths["/v1/webhooks/subscriptions"]["get"]["responses"]
    for responses in (public_get, body_post, bearer_get):
        for status in ("429", "502", "503", "504"):
            assert responses[status]["$ref"].startswith("#/components/responses/"), status
    assert "413" not in public_get
    # The edge refuses a bad token even on a public route (RFC 6750 3.1).
    assert public_get["401"] == _ref("Unauthorized", "responses")
    assert body_post["413"] == _ref("PayloadTooLarge", "responses")
    assert body_post["401"] == _ref("Unauthorized", "responses")
    assert bearer_get["401"] == _ref("Unauthorized", "responses")
    shared = merged["components"]["responses"]
    assert shared["ServiceUnavailable"]["content"]["application/problem+json"]["schema"] == {
        "$ref": PROBLEM_REF
    }
    assert "Retry-After" in shared["ServiceUnavailable"]["headers"]
    assert {"Retry-After", "RateLimit", "RateLimit-Policy"} <= set(shared["RateLimited"]["headers"])
    assert paths["/v1/dip/entries"]["get"]["responses"]["200"]  # the service's own kept
