"""A requests.Session that behaves as a guest in someone's tenant, composed of layers as httpx
composes a client: the auth flow (`auth.TokenAuth`: the run's bearer token, refreshed), the
transport (`transport.GuestTransport`: rate limit, Retry-After, retries, circuit breaker),
the tenant guard (`tenant_guard.TenantGuard`: only the run's own objects, read-only runs,
settings restored) and observers, the hooks that see every answer (request counts,
status-code coverage, reports).

Every request, whether a hand-written test or schemathesis sends it, passes through `send`:
the guard checks it, the auth flow and the transport carry it, the guard records what the
answer created or deleted, and each observer is told `(operation, request, response)`.
`auth=WITHOUT_TOKEN` (see `auth`) sends one request without a token.

Secrets never reach a log: the session prints no headers, and its repr names no token.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests

from conformance.client.auth import WITHOUT_TOKEN, TokenAuth
from conformance.client.circuit_breaker import CircuitBreaker
from conformance.client.ledger import RunLedger
from conformance.client.operations import Operation, identify
from conformance.client.tenant_guard import TenantGuard
from conformance.client.throttle import Throttle
from conformance.client.tokens import Credentials, TokenSource
from conformance.client.transport import GuestTransport

Observer = Callable[[Operation, requests.PreparedRequest, requests.Response], None]


class GuestSession(requests.Session):
    def __init__(
        self,
        base_url: str,
        credentials: Credentials,
        ledger: RunLedger,
        *,
        throttle: Throttle | None = None,
        read_only: bool = False,
        timeout: float = 30,
        verify: bool | str = True,
        retries: int = 4,
    ) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.ledger = ledger
        self.verify = verify
        self.breaker = CircuitBreaker(self.base_url)
        self.transport = GuestTransport(
            throttle or Throttle(), self.breaker, retries=retries, timeout=timeout
        )
        for scheme in ("http://", "https://"):
            self.mount(scheme, self.transport)
        # Token requests share the breaker (an outage at refresh time ends the run too) but
        # not the rate limit, which counts API requests per token.
        token_transport = GuestTransport(
            Throttle.unlimited(), self.breaker, retries=retries, timeout=timeout
        )
        self.tokens = TokenSource(
            self.base_url, credentials, timeout=timeout, verify=verify, transport=token_transport
        )
        self.auth = TokenAuth(self.tokens)
        self.guard = TenantGuard(ledger, f"{self.base_url}/v3", self.get, read_only=read_only)
        self.observers: list[Observer] = []

    def __repr__(self) -> str:
        return f"GuestSession({self.base_url!r}, run={self.ledger.run_id!r})"

    @property
    def read_only(self) -> bool:
        return self.guard.read_only

    @property
    def throttle(self) -> Throttle:
        return self.transport.throttle

    @property
    def request_count(self) -> int:
        """API requests sent, retries included (token requests are not counted)."""
        return self.transport.sent

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        operation = identify(request.method or "", request.url or "")
        if operation is not None:
            self.guard.check(operation, request)
        response = super().send(request, **kwargs)
        if operation is not None:
            self.guard.record(operation, request, response)
            for observer in self.observers:
                observer(operation, request, response)
        return response

    def rebuild_auth(self, prepared_request, response) -> None:
        """A redirected request keeps its switch: one sent without a token stays without."""
        super().rebuild_auth(prepared_request, response)
        if WITHOUT_TOKEN.marks(response.request):
            WITHOUT_TOKEN(prepared_request)
