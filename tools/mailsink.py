"""A local SMTP server for `make run`: every email lands as a file in var/mail/.

So a person trying Terbuka can follow a verification link without a mail server.
Started only when AUTH_SMTP_HOST is not configured.
"""

from __future__ import annotations

import socket
import time
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


class _ToFolder:
    def __init__(self, folder: Path) -> None:
        self._folder = folder

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}.eml"
        (self._folder / name).write_bytes(envelope.original_content or b"")
        return "250 OK"


def _free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def start(folder: Path, host: str = "127.0.0.1") -> Controller:
    """Start the sink in a thread; `controller.port` is where it listens."""
    folder.mkdir(parents=True, exist_ok=True)
    port = _free_port(host)
    controller = Controller(_ToFolder(folder), hostname=host, port=port)
    controller.start()
    return controller
