"""Sending one outbox message over SMTP (aiosmtplib), and describing failures safely."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import aiosmtplib

from ppid_kit.outbox.models import OutboxMessage
from ppid_kit.outbox.settings import MailSettings

# Errors that say "the server is unreachable or went away": the rest of a pass would fail too.
SERVER_DOWN: tuple[type[BaseException], ...] = (
    aiosmtplib.SMTPConnectError,
    aiosmtplib.SMTPServerDisconnected,
    aiosmtplib.SMTPTimeoutError,
    OSError,
    TimeoutError,
)


def build_email(settings: MailSettings, message: OutboxMessage) -> EmailMessage:
    """A plain-text email, with an HTML alternative when the message has one."""
    if message.recipient is None or message.body_text is None:
        raise ValueError("an outbox message that was blanked cannot be sent")
    email = EmailMessage()
    email["From"] = settings.mail_from
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False, usegmt=True)
    # The id ties retries of one outbox row together in the recipient's mail system.
    email["Message-ID"] = make_msgid(idstring=message.id.hex, domain="terbuka.invalid")
    email.set_content(message.body_text)
    if message.body_html is not None:
        email.add_alternative(message.body_html, subtype="html")
    return email


async def send_email(settings: MailSettings, message: OutboxMessage) -> None:
    """Deliver `message` to the configured SMTP server; raises on any failure."""
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    await aiosmtplib.send(
        build_email(settings, message),
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_username,
        password=password,
        # Explicit: None would upgrade opportunistically whenever the server offers it.
        start_tls=settings.smtp_starttls,
        timeout=settings.smtp_timeout_seconds,
    )


def _codes(exc: BaseException) -> list[int]:
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        return [refused.code for refused in exc.recipients]
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return [exc.code]
    return []


def is_permanent(exc: BaseException) -> bool:
    """A 5xx reply (RFC 5321 4.2.1): retrying the same message cannot succeed."""
    codes = _codes(exc)
    return bool(codes) and all(500 <= code < 600 for code in codes)


def describe(exc: BaseException) -> str:
    """The error class and SMTP codes only: server texts often quote the recipient's address."""
    codes = _codes(exc)
    suffix = " " + ",".join(str(code) for code in codes) if codes else ""
    return f"{type(exc).__name__}{suffix}"[:255]
