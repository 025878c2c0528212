"""The proxy's client to its upstream: one aiohttp session with keep-alive connections.

What the client sent goes on unchanged: the path and query as they came off the wire (not
re-quoted), the headers without any the session would add on its own (User-Agent, Accept,
Accept-Encoding, a Content-Type), no cookie jar and no redirect followed; the answer comes
back as the upstream sent it (not decompressed). TLS is verified against the system's roots or
the bundle REQUESTS_CA_BUNDLE (or SSL_CERT_FILE) names.
"""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass

import aiohttp
from multidict import CIMultiDict
from yarl import URL

TIMEOUT_SECONDS = 60.0
# The connections kept open to the upstream, and so the requests in flight to it at once.
MAX_CONNECTIONS = 64
# How long an idle connection is kept: shorter than the servers' own idle timeouts (uvicorn's
# and Apache's 5 s, load balancers' 60 s), so the proxy closes it first. A server that closes
# a connection just as the proxy reuses it loses the request; aiohttp sends it again only for
# idempotent methods, so a POST would come back as a 502.
KEEPALIVE_SECONDS = 4.0
# Headers aiohttp adds when the client did not send them: a transparent proxy adds none.
_AUTO_HEADERS = frozenset({"User-Agent", "Accept", "Accept-Encoding", "Content-Type"})
_LENGTH = b"content-length"  # aiohttp writes it from the body it sends


class UpstreamError(Exception):
    """The upstream could not be reached or broke off its answer."""


@dataclass
class Answer:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class Upstream:
    """The session to one upstream base URL; `open` and `close` within the server's loop."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._session: aiohttp.ClientSession | None = None

    async def open(self) -> None:
        connector = aiohttp.TCPConnector(
            limit=MAX_CONNECTIONS,
            keepalive_timeout=KEEPALIVE_SECONDS,
            ssl=_tls_context() if self.base_url.startswith("https") else None,
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),
            auto_decompress=False,
            skip_auto_headers=_AUTO_HEADERS,
            timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS),
        )

    async def send(
        self, method: str, target: str, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> Answer:
        """`target` is the path and query as the client sent them (after the base URL)."""
        if self._session is None:
            await self.open()
        forwarded = CIMultiDict(
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, value in headers
            if name.lower() != _LENGTH
        )
        try:
            async with self._session.request(
                method,
                URL(self.base_url + target, encoded=True),
                headers=forwarded,
                data=body or None,
                allow_redirects=False,
            ) as response:
                return Answer(response.status, list(response.raw_headers), await response.read())
        except (aiohttp.ClientError, OSError) as error:
            cause = _cause(error)
            raise UpstreamError(f"{type(cause).__name__}: {cause}") from None
        except TimeoutError:
            raise UpstreamError(f"no answer within {TIMEOUT_SECONDS:.0f} s") from None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def _cause(error: BaseException) -> BaseException:
    """What went wrong underneath aiohttp's wrapping: the certificate refused, the connection
    refused (the words a tenant administrator recognises)."""
    if isinstance(error, aiohttp.ClientConnectorCertificateError):
        return error.certificate_error
    if isinstance(error, aiohttp.ClientConnectorError):
        return error.os_error
    return error


def _tls_context() -> ssl.SSLContext:
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("SSL_CERT_FILE")
    return ssl.create_default_context(cafile=bundle or None)
