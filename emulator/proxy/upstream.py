"""The proxy's HTTP/1.1 client to its upstream: keep-alive connections, parsed with httptools.

A proxy pays its client's cost on every request. General clients (httpx, requests) parse in
Python and cost a millisecond or more per exchange; this one sends the request as bytes and
parses the answer with httptools (the C parser uvicorn already uses), and keeps its
connections open for the next request. TLS is verified against the system's roots or the
bundle REQUESTS_CA_BUNDLE (or SSL_CERT_FILE) names.
"""

from __future__ import annotations

import asyncio
import os
import ssl
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httptools

# One upstream connection sends one request at a time; a bounded pool keeps the rest.
MAX_IDLE = 64
_LENGTH = b"content-length"  # written here, from the body sent
TIMEOUT_SECONDS = 60.0


class UpstreamError(Exception):
    """The upstream could not be reached or broke off its answer."""


@dataclass
class Answer:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class _Stale(Exception):
    """A kept connection answered nothing: the upstream had closed it."""


@dataclass
class _Parsing:
    head_only: bool = False  # a HEAD's answer has no body, whatever Content-Length says
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    chunks: list[bytes] = field(default_factory=list)
    done: bool = False

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        self.done = self.head_only

    def on_body(self, body: bytes) -> None:
        self.chunks.append(body)

    def on_message_complete(self) -> None:
        self.done = True


class _Connection(asyncio.Protocol):
    """One keep-alive connection: one request in flight, its answer parsed as it arrives."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self._answer: asyncio.Future[Answer] | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport

    def exchange(self, request: bytes, head_only: bool) -> asyncio.Future[Answer]:
        self._parsing = _Parsing(head_only=head_only)
        self._parser = httptools.HttpResponseParser(self._parsing)
        self._received = False
        self._answer = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return self._answer

    def data_received(self, data: bytes) -> None:
        self._received = True
        answer = self._answer
        if answer is None or answer.done():
            return
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as error:
            answer.set_exception(error)
            return
        if self._parsing.done:
            parsing = self._parsing
            status = self._parser.get_status_code()
            answer.set_result(Answer(status, parsing.headers, b"".join(parsing.chunks)))

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._answer is not None and not self._answer.done():
            lost = _Stale() if not self._received else ConnectionError("the upstream closed")
            self._answer.set_exception(lost)

    def keeps_alive(self) -> bool:
        return not self.closed and self._parser.should_keep_alive()


class Upstream:
    """Connections to one upstream base URL."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host = parts.hostname or ""
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.prefix = parts.path.rstrip("/")
        default_port = (parts.scheme == "https" and self.port == 443) or self.port == 80
        self.host_header = (self.host if default_port else f"{self.host}:{self.port}").encode()
        self._ssl = _tls_context() if parts.scheme == "https" else None
        self._idle: list[_Connection] = []

    async def send(
        self, method: str, target: str, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> Answer:
        """`target` is the path and query as the client sent them (after the base URL)."""
        lines = [f"{method} {self.prefix}{target} HTTP/1.1".encode(), b"Host: " + self.host_header]
        lines += [name + b": " + value for name, value in headers if name.lower() != _LENGTH]
        if body or method in ("POST", "PUT", "PATCH"):
            lines.append(b"Content-Length: " + str(len(body)).encode())
        request = b"\r\n".join(lines) + b"\r\n\r\n" + body
        try:
            async with asyncio.timeout(TIMEOUT_SECONDS):
                try:
                    return await self._exchange(request, method, self._kept())
                except _Stale:  # a kept connection the upstream had closed: once more, fresh
                    return await self._exchange(request, method, None)
        except (_Stale, OSError, httptools.HttpParserError) as error:
            raise UpstreamError(f"{type(error).__name__}: {error}") from None
        except TimeoutError:
            raise UpstreamError(f"no answer within {TIMEOUT_SECONDS:.0f} s") from None

    def _kept(self) -> _Connection | None:
        while self._idle:
            connection = self._idle.pop()
            if not connection.closed:
                return connection
        return None

    async def _exchange(self, request: bytes, method: str, kept: _Connection | None) -> Answer:
        connection = kept
        if connection is None:
            loop = asyncio.get_running_loop()
            _, connection = await loop.create_connection(
                _Connection, self.host, self.port, ssl=self._ssl
            )
        try:
            answer = await connection.exchange(request, method == "HEAD")
        except BaseException:
            connection.transport.close()
            if kept is None:  # a fresh connection answered nothing: not stale, lost
                raise ConnectionError("the upstream closed the connection") from None
            raise
        if connection.keeps_alive() and len(self._idle) < MAX_IDLE:
            self._idle.append(connection)
        else:
            connection.transport.close()
        return answer

    def close(self) -> None:
        for connection in self._idle:
            connection.transport.close()
        self._idle.clear()


def _tls_context() -> ssl.SSLContext:
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("SSL_CERT_FILE")
    return ssl.create_default_context(cafile=bundle or None)
