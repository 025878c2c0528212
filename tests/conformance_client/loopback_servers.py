"""Small loopback servers that are not a working Campaigns API, for the failure-path tests."""

from __future__ import annotations

import http.server
import json
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# path -> (status, content type, body[, extra headers])
Routes = dict[str, tuple]
HTML_404 = (404, "text/html", "<html><body><h1>Not Found</h1></body></html>")


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def answering(routes: Routes, tls: ssl.SSLContext | None = None) -> Iterator[str]:
    """An HTTP(S) server answering `routes` by path (query ignored), HTML 404 elsewhere."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            status, content_type, body, *extra = routes.get(self.path.split("?")[0], HTML_404)
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            for name, value in (extra[0] if extra else {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _answer

        def log_message(self, *args) -> None:  # quiet
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    # shutdown() waits for the loop to see its flag: every 0.5 s by default, half a second
    # added to each test that uses a server.
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    scheme = "https" if tls else "http"
    try:
        yield f"{scheme}://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def oauth_token(token: str = "a-token") -> tuple[int, str, str]:
    return 200, "application/json", json.dumps({"access_token": token, "expires_in": 3600})


@contextmanager
def silent() -> Iterator[str]:
    """Accepts connections (the kernel's backlog does) and never answers a byte."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
