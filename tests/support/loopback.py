"""A real HTTP server on loopback (stdlib, in a thread) for tests of HTTP clients.

Subclass `LoopbackServer` and override `answer(path, headers)`; it runs in the
server's thread, gets the request's headers with lower-cased names, and returns
`(status, headers, body)`. Every GET to `path` is counted in `hits`.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Answer = tuple[int, Mapping[str, str], bytes]


class LoopbackServer(ABC):
    def __init__(self, path: str) -> None:
        self.path = path
        self.hits = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                request_path = self.path.split("?", 1)[0]
                if request_path != server.path:
                    self.send_error(404)
                    return
                server.hits += 1
                asked = {name.lower(): value for name, value in self.headers.items()}
                status, headers, body = server.answer(self.path, asked)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._running = False

    @abstractmethod
    def answer(self, path: str, headers: Mapping[str, str]) -> Answer:
        """Status, headers and body for a GET of `path` (subclasses serve their content)."""

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}{self.path}"

    def start(self) -> None:
        self._thread.start()
        self._running = True

    def stop(self) -> None:
        """Shut down and close the socket: from now on connections are refused."""
        if not self._running:
            return
        self._running = False
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()
