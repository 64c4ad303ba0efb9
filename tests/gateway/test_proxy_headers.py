"""Routing, request ids, hop-by-hop headers and Forwarded, through a real gateway."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.gateway.conftest import Gateways, header_pairs
from tests.support.procs import Proc


@pytest.mark.parametrize(
    ("path", "upstream"),
    [
        ("/v1/auth/echo", "auth"),
        ("/v1/units/echo", "auth"),
        ("/.well-known/echo", "auth"),
        ("/v1/dip/echo", "registry"),
        ("/v1/dip/export.csv/echo", "registry"),
        ("/v1/dik/echo", "registry"),
        ("/v1/requests/echo", "requests"),
        ("/v1/objections/echo", "requests"),
        ("/v1/calendar/echo", "requests"),
        ("/v1/statistics/echo", "requests"),
    ],
)
def test_routes_reach_their_upstream(
    http: httpx.Client, gateways: Gateways, path: str, upstream: str
) -> None:
    response = http.get(gateways.main.url + path, params={"q": "a b", "x": "1"})
    assert response.status_code == 200
    echo = response.json()
    assert echo["upstream"] == upstream
    assert echo["raw_path"] == path
    assert echo["query"] == "q=a+b&x=1"


def test_unknown_path_is_a_problem_404(http: httpx.Client, gateways: Gateways) -> None:
    for path in ("/v1/nothing", "/v1/dipx/echo", "/v1/auth"):
        response = http.get(gateways.main.url + path)
        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == "/problems/not-found"
        assert response.json()["title"] == "Tidak ditemukan"  # Indonesian by default


def test_english_problem_on_accept_language_en(http: httpx.Client, gateways: Gateways) -> None:
    response = http.get(gateways.main.url + "/v1/nothing", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert response.json()["title"] == "Not found"
    assert response.headers["content-language"] == "en"


def test_dot_segments_never_reach_a_service(http: httpx.Client, gateways: Gateways) -> None:
    # Percent-encoded, since httpx would normalise a literal ".." away; the gateway decodes it
    response = http.send(http.build_request("GET", gateways.main.url + "/v1/dip/%2E%2E/echo"))
    assert response.status_code == 400
    assert response.json()["type"] == "/problems/bad-request"


def test_request_id_is_kept_when_valid(http: httpx.Client, gateways: Gateways) -> None:
    response = http.get(gateways.main.url + "/v1/dip/echo", headers={"X-Request-ID": "abc:123"})
    assert response.headers["x-request-id"] == "abc:123"
    assert header_pairs(response.json())["x-request-id"] == "abc:123"
    assert response.headers.get_list("x-request-id") == ["abc:123"]  # not doubled by upstream


@pytest.mark.parametrize("sent", [None, "not valid!", "x" * 129])
def test_request_id_is_generated_when_absent_or_invalid(
    http: httpx.Client, gateways: Gateways, sent: str | None
) -> None:
    headers = {"X-Request-ID": sent} if sent is not None else {}
    response = http.get(gateways.main.url + "/v1/dip/echo", headers=headers)
    generated = response.headers["x-request-id"]
    assert uuid.UUID(generated).version == 4
    assert header_pairs(response.json())["x-request-id"] == generated


def test_hop_by_hop_request_headers_are_dropped_and_forwarded_set(
    http: httpx.Client, gateways: Gateways
) -> None:
    gateway: Proc = gateways.main
    headers = {
        "Connection": "keep-alive, X-Drop-Me",
        "X-Drop-Me": "secret",
        "Keep-Alive": "timeout=5",
        "Proxy-Authorization": "Basic eDp5",
        "TE": "trailers",
        "X-Forwarded-For": "6.6.6.6",  # a client's claim, from an untrusted peer
        "Forwarded": "for=6.6.6.6",
        "X-End-To-End": "kept",
    }
    echo = http.get(gateway.url + "/v1/dip/echo", headers=headers).json()
    received = header_pairs(echo)
    for dropped in ("x-drop-me", "keep-alive", "proxy-authorization", "te", "connection"):
        assert dropped not in received, dropped
    assert received["x-end-to-end"] == "kept"
    host = f"127.0.0.1:{gateway.port}"
    assert received["forwarded"] == f'for=127.0.0.1;proto=http;host="{host}"'
    assert received["x-forwarded-for"] == "127.0.0.1"
    assert received["x-forwarded-proto"] == "http"
    assert received["x-forwarded-host"] == host
    assert received["host"] == host  # services build links from the public host


def test_hop_by_hop_response_headers_are_dropped(http: httpx.Client, gateways: Gateways) -> None:
    response = http.get(gateways.main.url + "/v1/dip/hop")
    assert response.status_code == 200
    assert response.headers["x-kept"] == "yes"
    for dropped in ("x-secret-hop", "keep-alive", "proxy-authenticate"):
        assert dropped not in response.headers, dropped
    assert response.headers.get_list("date")
    assert len(response.headers.get_list("date")) == 1
