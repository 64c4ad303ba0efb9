"""The requester routes follow API.md in the published schema."""

from __future__ import annotations

from typing import Any

from auth_service.main import create_app
from auth_service.settings import AuthSettings

OPERATIONS = {
    ("post", "/v1/auth/requesters"): ("register_requester", "202"),
    ("post", "/v1/auth/email-verifications"): ("verify_email_address", "204"),
    ("post", "/v1/auth/email-verifications/resend"): ("resend_email_verification", "202"),
    ("post", "/v1/auth/password-resets"): ("request_password_reset", "202"),
    ("post", "/v1/auth/password-resets/confirm"): ("confirm_password_reset", "204"),
    ("get", "/v1/auth/requesters/me"): ("get_own_requester_account", "200"),
    ("patch", "/v1/auth/requesters/me"): ("update_own_requester_account", "200"),
    ("delete", "/v1/auth/requesters/me"): ("delete_own_requester_account", "204"),
}


def _schema() -> dict[str, Any]:
    return create_app(AuthSettings(database_url="postgresql://unused/none")).openapi()


def test_every_requester_operation_is_named_summarised_and_documents_its_problems() -> None:
    schema = _schema()
    for (method, path), (operation_id, success) in OPERATIONS.items():
        operation = schema["paths"][path][method]
        assert operation["operationId"] == operation_id
        assert operation["summary"]
        assert success in operation["responses"], (path, method)
        problems = [
            status
            for status, response in operation["responses"].items()
            if "application/problem+json" in response.get("content", {})
        ]
        assert problems, (path, method)


def test_every_request_body_has_an_example() -> None:
    schema = _schema()
    for method, path in OPERATIONS:
        body = schema["paths"][path][method].get("requestBody")
        if body is None:
            continue
        ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        assert schema["components"]["schemas"][ref].get("examples"), ref
