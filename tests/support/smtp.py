"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for tests.

    from tests.support.smtp import smtp  # in a conftest: the fixture

    async def test_x(smtp: SmtpServer) -> None:
        ...  # point the app at smtp.host / smtp.port
        [mail] = await smtp.wait_for(1)
        assert "token=" in mail.text

The server can be stopped and started again on the same port (an outage), and can
refuse chosen recipients with a 550 that quotes the address, as real servers do.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.support.procs import free_port


@dataclass(frozen=True)
class Received:
    """One delivered message: the envelope and the parsed content."""

    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        # A long subject is folded right after "Subject:"; unfolded, it starts with a space.
        return str(self.message["Subject"]).strip()

    def _part(self, subtype: str) -> str | None:
        part = self.message.get_body(preferencelist=(subtype,))
        # SMTP carries CRLF line ends; tests compare with "\n".
        return None if part is None else str(part.get_content()).replace("\r\n", "\n")

    @property
    def text(self) -> str:
        text = self._part("plain")
        assert text is not None, "the message has no text/plain part"
        return text

    @property
    def html(self) -> str | None:
        return self._part("html")


class _Handler:
    """aiosmtpd handler: refuses some recipients, keeps every accepted message."""

    def __init__(self, server: SmtpServer) -> None:
        self._server = server

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if self._server.refuse(address):
            return f"550 5.1.1 <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        parsed = message_from_bytes(content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self._server.add(Received(str(envelope.mail_from), list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


class SmtpServer:
    """An SMTP server on 127.0.0.1:`port` in its own thread; `start`/`stop` at will."""

    host = "127.0.0.1"

    def __init__(self, port: int | None = None) -> None:
        self.port = port if port is not None else free_port()
        self.refuse: Callable[[str], bool] = lambda _address: False
        self._received: list[Received] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> None:
        # aiosmtpd logs every recipient at INFO: noise, and it would blur "no address in logs".
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        if self._controller is None:
            controller = Controller(_Handler(self), hostname=self.host, port=self.port)
            controller.start()
            self._controller = controller

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def add(self, received: Received) -> None:
        with self._lock:
            self._received.append(received)

    @property
    def messages(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def to(self, address: str) -> list[Received]:
        return [mail for mail in self.messages if address in mail.recipients]

    def clear(self) -> None:
        with self._lock:
            self._received.clear()

    def _enough(self, count: int, to: str | None, subject: str | None) -> list[Received] | None:
        found = [
            mail
            for mail in self.messages
            if (to is None or to in mail.recipients) and subject in (None, mail.subject)
        ]
        return found if len(found) >= count else None

    def _arrived(
        self, count: int, to: str | None, subject: str | None, started: float, within: float
    ) -> list[Received] | None:
        """`_enough`, or TimeoutError once `within` s have passed since `started` (monotonic)."""
        found = self._enough(count, to, subject)
        if found is None and time.monotonic() > started + within:
            raise TimeoutError(f"{count} message(s) not received in {within}s")
        return found

    async def wait_for(
        self,
        count: int = 1,
        *,
        to: str | None = None,
        subject: str | None = None,
        within: float = 10.0,
    ) -> list[Received]:
        """At least `count` messages (to `to`, with `subject`, if given), within `within` s."""
        started = time.monotonic()
        while True:
            if (found := self._arrived(count, to, subject, started, within)) is not None:
                return found
            await asyncio.sleep(0.02)

    def wait_for_sync(
        self,
        count: int = 1,
        *,
        to: str | None = None,
        subject: str | None = None,
        within: float = 10.0,
    ) -> list[Received]:
        """`wait_for` for code outside an event loop (tests driving real processes)."""
        started = time.monotonic()
        while (found := self._arrived(count, to, subject, started, within)) is None:
            time.sleep(0.02)
        return found


@contextlib.contextmanager
def smtp_server(port: int | None = None) -> Iterator[SmtpServer]:
    server = SmtpServer(port)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A fresh loopback SMTP server per test (import this fixture into a conftest)."""
    with smtp_server() as server:
        yield server


def settings_for(server: SmtpServer) -> dict[str, Any]:
    """`AuthSettings` keywords that send mail to `server`, quickly."""
    return {
        "smtp_host": server.host,
        "smtp_port": server.port,
        "smtp_starttls": False,
        "smtp_timeout_seconds": 5.0,
        "outbox_poll_seconds": 0.05,
        "outbox_backoff_base_seconds": 0.05,
        "outbox_backoff_max_seconds": 0.5,
    }
