"""Where a subscription may point: `https`, and no host on a private network (SSRF).

The check runs when a subscription is created or changed and again before every
delivery (a name can be re-pointed at an internal address after it was accepted).
`REQUESTS_WEBHOOK_ALLOW_PRIVATE_URLS` lifts both rules for development and tests.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from ppid_kit.problems import Text

NOT_HTTPS = Text("URL webhook harus memakai https.", "A webhook URL must use https.")
MALFORMED = Text(
    "URL webhook tidak valid (perlu host; tanpa nama pengguna, sandi, atau fragmen).",
    "Invalid webhook URL (a host is needed; no user name, password or fragment).",
)
PRIVATE_HOST = Text(
    "Host URL webhook mengarah ke alamat jaringan privat, loopback, atau link-local.",
    "The webhook URL's host resolves to a private, loopback or link-local address.",
)
UNRESOLVABLE = Text(
    "Host URL webhook tidak dapat ditemukan.", "The webhook URL's host cannot be resolved."
)


class UrlRefused(ValueError):
    """Why a URL is refused (`text`), safe to show its owner."""

    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text


def check_shape(url: str, *, allow_private: bool) -> str:
    """The host of a well-formed URL with an allowed scheme; UrlRefused otherwise."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        raise UrlRefused(MALFORMED) from exc
    schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in schemes:
        raise UrlRefused(NOT_HTTPS if parts.scheme in ("http", "https") else MALFORMED)
    if not parts.hostname or parts.username or parts.password or parts.fragment:
        raise UrlRefused(MALFORMED)
    return parts.hostname


def is_public(address: str) -> bool:
    """Only globally routable unicast addresses (IPv4-mapped IPv6 judged as IPv4)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def check_url(url: str, *, allow_private: bool) -> None:
    """UrlRefused unless `url` may receive webhooks: every address its host resolves to
    must be public (one private answer is enough to refuse)."""
    host = check_shape(url, allow_private=allow_private)
    if allow_private:
        return
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UrlRefused(UNRESOLVABLE) from exc
    if not infos or not all(is_public(str(info[4][0])) for info in infos):
        raise UrlRefused(PRIVATE_HOST)
