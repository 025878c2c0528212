"""A loopback HTTP proxy in front of an emulator that records what the suite held: every
access token the token endpoint issued and every bearer token a request carried.

A test of the reports can then look for the very secrets of the run in every file, instead of
secrets the suite never saw. `on_first(method, path_and_query, action)` runs `action` once,
right after the first matching request was answered (e.g. to inject faults only after the
preflight).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


class RecordingProxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.tokens: set[str] = set()
        self._triggers: list[tuple[str, str, Callable[[], None]]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def on_first(self, method: str, path_and_query: str, action: Callable[[], None]) -> None:
        self._triggers.append((method, path_and_query, action))

    def _record(self, method: str, path: str, headers, status: int, body: bytes) -> None:
        authorization = headers.get("Authorization", "")
        with self._lock:
            if authorization.startswith("Bearer "):
                self.tokens.add(authorization.removeprefix("Bearer "))
            if path.startswith("/oauth/token") and status == 200:
                self.tokens.add(json.loads(body)["access_token"])
            fired = [t for t in self._triggers if t[0] == method and t[1] == path]
            for trigger in fired:
                self._triggers.remove(trigger)
        for _, _, action in fired:
            action()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # The status line and headers go out before the body, in writes of their own: with
            # Nagle's algorithm the body then waits for the client's delayed ACK, 40 ms.
            disable_nagle_algorithm = True

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
                answer = requests.request(
                    self.command,
                    proxy.upstream + self.path,
                    headers=headers,
                    data=body,
                    timeout=60,
                    allow_redirects=False,
                )
                self.send_response(answer.status_code)
                for name, value in answer.headers.items():
                    if name.lower() not in _HOP_BY_HOP | {"content-encoding"}:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)
                proxy._record(
                    self.command, self.path, self.headers, answer.status_code, answer.content
                )

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _forward

            def log_message(self, *args) -> None:  # quiet: the test reads the reports
                pass

        return Handler

    @contextmanager
    def serving(self) -> Iterator[RecordingProxy]:
        thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
