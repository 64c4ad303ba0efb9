"""The requests service's settings as a dependency (made by `create_app`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from requests_service.settings import RequestsSettings


def requests_settings(request: Request) -> RequestsSettings:
    settings: RequestsSettings = request.app.state.settings
    return settings


SettingsDep = Annotated[RequestsSettings, Depends(requests_settings)]


TrackingSecretHeader = Annotated[
    str | None,
    Header(
        alias="X-Tracking-Secret",
        min_length=1,
        max_length=128,
        description="The tracking secret given at submission (instead of an account).",
    ),
]
