"""Header plumbing for the proxy: hop-by-hop filtering, Forwarded, the client address.

ASGI and h11 both give header names in lower case, so comparisons are on bytes as is.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import IPvAnyNetwork

RawHeaders = list[tuple[bytes, bytes]]

# RFC 9110 section 7.6.1, plus the de-facto ones; "proxy-*" is matched by prefix.
HOP_BY_HOP = frozenset(
    {b"connection", b"keep-alive", b"te", b"trailer", b"transfer-encoding", b"upgrade"}
)
# Rewritten by the gateway on the way in: the client's copies must not reach a service.
_REPLACED_UPSTREAM = frozenset(
    {b"x-request-id", b"forwarded", b"x-forwarded-for", b"x-forwarded-proto", b"x-forwarded-host"}
)
# The gateway's own server stamps these (or owns them: CORS, request id) on the way out.
_REPLACED_DOWNSTREAM = frozenset({b"date", b"server", b"x-request-id"})
_TOKEN_CHARS = frozenset(
    "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
)


@dataclass(slots=True)
class Incoming:
    """The few request headers the gateway decides on, found in one pass."""

    authorization: bytes | None = None
    content_length: bytes | None = None
    content_type: bytes = b""
    chunked: bool = False
    host: bytes = b""
    connection: bytes = b""
    forwarded: bytes = b""
    forwarded_for: bytes = b""
    forwarded_proto: bytes = b""
    forwarded_host: bytes = b""


def scan(headers: Iterable[tuple[bytes, bytes]]) -> Incoming:
    found = Incoming()
    for name, value in headers:
        if name == b"authorization":
            found.authorization = value
        elif name == b"content-length":
            found.content_length = value
        elif name == b"content-type":
            found.content_type = value
        elif name == b"transfer-encoding":
            found.chunked = True
        elif name == b"host":
            found.host = value
        elif name == b"connection":
            found.connection = found.connection + b"," + value if found.connection else value
        elif name == b"forwarded":
            found.forwarded = found.forwarded + b", " + value if found.forwarded else value
        elif name == b"x-forwarded-for":
            found.forwarded_for = (
                found.forwarded_for + b", " + value if found.forwarded_for else value
            )
        elif name == b"x-forwarded-proto":
            found.forwarded_proto = value
        elif name == b"x-forwarded-host":
            found.forwarded_host = value
    return found


def connection_tokens(connection: bytes) -> frozenset[bytes]:
    """Header names listed in `Connection`, which are hop-by-hop for this message."""
    if not connection:
        return frozenset()
    return frozenset(token.strip().lower() for token in connection.split(b",") if token.strip())


def _drop(name: bytes, extra: frozenset[bytes], listed: frozenset[bytes]) -> bool:
    return (
        name in HOP_BY_HOP
        or name in extra
        or name.startswith(b"proxy-")
        or (bool(listed) and name in listed)
    )


def upstream_headers(headers: Iterable[tuple[bytes, bytes]], connection: bytes) -> RawHeaders:
    """The client's headers minus hop-by-hop ones and those the gateway sets itself."""
    listed = connection_tokens(connection)
    return [
        (name, value)
        for name, value in headers
        if not _drop(name, _REPLACED_UPSTREAM, listed) and name != b"expect"
    ]


def downstream_headers(headers: Sequence[tuple[bytes, bytes]]) -> RawHeaders:
    """The upstream's response headers minus hop-by-hop ones and those the gateway owns."""
    connection = b",".join(value for name, value in headers if name == b"connection")
    listed = connection_tokens(connection)
    return [
        (name, value)
        for name, value in headers
        if not _drop(name, _REPLACED_DOWNSTREAM, listed) and not name.startswith(b"access-control-")
    ]


def forwarding_headers(
    incoming: Incoming, peer: str, proto: str, request_id: str, *, trusted: bool
) -> RawHeaders:
    """`Forwarded` (RFC 7239), the `X-Forwarded-*` trio and the request id for a service.

    From a trusted proxy the chains it sent are extended; from anyone else they are
    replaced, since a client may claim any address it likes.
    """
    element = forwarded_element(peer, proto, incoming.host)
    chain = peer.encode("latin-1")
    original_proto, original_host = proto.encode("latin-1"), incoming.host
    if trusted:
        element = _extend(incoming.forwarded, element)
        chain = _extend(incoming.forwarded_for, chain)
        original_proto = incoming.forwarded_proto or original_proto
        original_host = incoming.forwarded_host or original_host
    return [
        (b"forwarded", element),
        (b"x-forwarded-for", chain),
        (b"x-forwarded-proto", original_proto),
        (b"x-forwarded-host", original_host),
        (b"x-request-id", request_id.encode("latin-1")),
    ]


def _extend(chain: bytes, item: bytes) -> bytes:
    return chain + b", " + item if chain else item


def forwarded_element(peer: str, proto: str, host: bytes) -> bytes:
    """One RFC 7239 element: `for=...;proto=...;host=...`, quoting where the grammar needs."""
    node = f"[{peer}]" if ":" in peer else peer  # IPv6 addresses go in brackets
    parts = [f"for={_quote(node or 'unknown')}", f"proto={_quote(proto)}"]
    if host:
        parts.append(f"host={_quote(host.decode('latin-1'))}")
    return ";".join(parts).encode("latin-1")


def _quote(value: str) -> str:
    if value and all(char in _TOKEN_CHARS for char in value):
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


class ProxyTrust:
    """Which peers are proxies whose `X-Forwarded-For` and `Forwarded` may be believed."""

    __slots__ = ("_networks",)

    def __init__(self, networks: Sequence[IPvAnyNetwork]) -> None:
        self._networks = tuple(networks)

    def trusts(self, address: str) -> bool:
        if not self._networks or not address:
            return False
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self._networks)

    def client_address(self, peer: str, forwarded_for: bytes) -> str:
        """The nearest address not one of our proxies, walking X-Forwarded-For right to left."""
        if not self.trusts(peer) or not forwarded_for:
            return peer
        hops = [hop.strip() for hop in forwarded_for.decode("latin-1").split(",")]
        for hop in reversed(hops):
            if hop and not self.trusts(hop):
                return hop
        return hops[0] or peer
