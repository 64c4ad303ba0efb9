"""Where subscriptions may point (SSRF): https only, no private, loopback or link-local host.

IP literals and `localhost` resolve without DNS, so these run offline.
"""

from __future__ import annotations

import pytest
from requests_service.webhooks.urls import (
    MALFORMED,
    NOT_HTTPS,
    PRIVATE_HOST,
    UrlRefused,
    check_url,
)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://93.184.216.34/hook", NOT_HTTPS),
        ("ftp://93.184.216.34/hook", MALFORMED),
        ("https://user:secret@93.184.216.34/hook", MALFORMED),
        ("https://93.184.216.34/hook#part", MALFORMED),
        ("https:///hook", MALFORMED),
        ("https://93.184.216.34:99999/hook", MALFORMED),
        ("https://127.0.0.1/hook", PRIVATE_HOST),
        ("https://localhost:8443/hook", PRIVATE_HOST),
        ("https://10.1.2.3/hook", PRIVATE_HOST),
        ("https://192.168.1.10/hook", PRIVATE_HOST),
        ("https://169.254.169.254/latest/meta-data", PRIVATE_HOST),
        ("https://100.64.0.1/hook", PRIVATE_HOST),
        ("https://[::1]/hook", PRIVATE_HOST),
        ("https://[fe80::1]/hook", PRIVATE_HOST),
        ("https://[::ffff:127.0.0.1]/hook", PRIVATE_HOST),
        ("https://0.0.0.0/hook", PRIVATE_HOST),
    ],
)
async def test_refused_urls(url: str, reason: object) -> None:
    with pytest.raises(UrlRefused) as refused:
        await check_url(url, allow_private=False)
    assert refused.value.text == reason


async def test_public_https_urls_pass() -> None:
    await check_url("https://93.184.216.34/hook?x=1", allow_private=False)
    await check_url("https://[2606:4700:4700::1111]/hook", allow_private=False)


async def test_the_development_setting_allows_http_and_private_hosts() -> None:
    await check_url("http://127.0.0.1:8080/hook", allow_private=True)
    with pytest.raises(UrlRefused):
        await check_url("ftp://127.0.0.1/hook", allow_private=True)
