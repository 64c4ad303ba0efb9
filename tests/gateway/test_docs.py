"""The gateway's own pages: merged OpenAPI, offline Swagger UI, problem types, metrics."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx

from tests.gateway.conftest import Gateways


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


def test_openapi_is_merged_from_the_upstreams(http: httpx.Client, gateways: Gateways) -> None:
    spec = http.get(gateways.main.url + "/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert spec["info"]["title"] == "Terbuka API"
    assert spec["servers"] == [{"url": "/"}]
    assert "x-terbuka-unavailable" not in spec
    paths = spec["paths"]
    # Each upstream's own paths, none of the stray or internal ones, plus the problem docs.
    assert set(paths) == {
        "/v1/units",
        "/v1/auth/token",
        "/v1/dip/entries",
        "/v1/dik/records",
        "/v1/requests",
        "/v1/calendar/holidays",
        "/problems/{slug}",
    }
    assert paths["/v1/dip/entries"]["get"]["operationId"] == "registry_0"
    schemas = spec["components"]["schemas"]
    # "Thing" differs per upstream: the first keeps the name, the others are renamed.
    assert schemas["Thing"]["properties"]["owner"]["const"] == "auth"
    assert schemas["RegistryThing"]["properties"]["owner"]["const"] == "registry"
    assert schemas["RequestsThing"]["properties"]["owner"]["const"] == "requests"
    ref = paths["/v1/requests"]["get"]["responses"]["200"]["content"]["application/json"]
    assert ref["schema"]["$ref"] == "#/components/schemas/RequestsThing"
    assert "Unused" not in schemas
    assert "Shared" not in schemas
    assert {tag["name"] for tag in spec["tags"]} >= {"auth", "registry", "requests", "problems"}


def test_openapi_marks_an_unreachable_upstream(http: httpx.Client, gateways: Gateways) -> None:
    spec = http.get(gateways.faults.url + "/openapi.json").json()
    assert spec["x-terbuka-unavailable"] == ["registry"]
    assert "/v1/units" in spec["paths"]
    assert "/v1/requests" in spec["paths"]
    assert "/v1/dip/entries" not in spec["paths"]


def test_docs_page_uses_only_local_assets(http: httpx.Client, gateways: Gateways) -> None:
    response = http.get(gateways.main.url + "/docs")
    assert response.status_code == 200
    html = response.text
    assert not re.search(r"https?:|//[a-z0-9]", html, re.IGNORECASE), "external URL in /docs"
    links = _Links()
    links.feed(html)
    assert len(links.urls) == 3  # stylesheet, favicon, script
    for url in links.urls:
        assert url.startswith("/docs/assets/")
        asset = http.get(gateways.main.url + url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 100
    bundle = http.get(gateways.main.url + "/docs/assets/swagger-ui-bundle.js")
    assert bundle.headers["content-type"].startswith("text/javascript")
    assert b"SwaggerUIBundle" in bundle.content
    assert "url: '/openapi.json'" in html
    again = http.get(bundle.url, headers={"If-None-Match": bundle.headers["etag"]})
    assert again.status_code == 304


def test_docs_assets_are_an_allowlist(http: httpx.Client, gateways: Gateways) -> None:
    for name in ("core.py", "..%2F__init__.py", "redoc.standalone.js"):
        response = http.get(gateways.main.url + "/docs/assets/" + name)
        assert response.status_code == 404, name
        assert response.headers["content-type"] == "application/problem+json"


def test_problem_types_are_documented_in_both_languages(
    http: httpx.Client, gateways: Gateways
) -> None:
    response = http.get(gateways.main.url + "/problems/rate-limited")
    assert response.status_code == 200
    assert response.json()["type"] == "/problems/rate-limited"
    assert response.json()["status"] == 429
    assert response.json()["title"] == {
        "id": "Terlalu banyak permintaan",
        "en": "Too many requests",
    }
    listed = http.get(gateways.main.url + "/problems").json()["items"]
    assert {"not-found", "gateway-timeout", "invalid-token"} <= {kind["slug"] for kind in listed}
    # Kinds a service registers come from its spec.
    assert {"auth-only", "registry-only", "requests-only"} <= {kind["slug"] for kind in listed}
    own = http.get(gateways.main.url + "/problems/registry-only").json()
    assert own["title"] == {"id": "Khusus registry", "en": "Only registry"}
    missing = http.get(gateways.main.url + "/problems/no-such-kind")
    assert missing.status_code == 404
    assert missing.json()["type"] == "/problems/not-found"


def test_metrics_are_labelled_by_route_group(http: httpx.Client, gateways: Gateways) -> None:
    http.get(gateways.main.url + "/v1/dip/echo/some-unique-id-123")
    http.get(gateways.main.url + "/problems/unique-slug-456")
    text = http.get(gateways.main.url + "/metrics").text
    assert 'route="registry:/v1/dip*"' in text
    assert 'route="/problems/{slug}"' in text
    assert "some-unique-id-123" not in text  # no raw paths: bounded cardinality
    assert "unique-slug-456" not in text
