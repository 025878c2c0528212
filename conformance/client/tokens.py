"""Client-credentials tokens (RFC 6749 section 4.4): fetched on first use, refreshed before
they expire.

A token is refreshed a minute before `expires_in` runs out, or halfway through its life when
it lives less than two minutes (an emulator's `--token-ttl 5`, a client registered with a
short lifetime), so a request never leaves with a token about to lapse. The first token of a
run is kept (`first`): it lets a test of the 401 for expired tokens use a token the target
issued long ago, instead of waiting out a fresh one.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import requests
from requests.adapters import HTTPAdapter

from conformance.client.circuit_breaker import describe


class TokenError(Exception):
    """The token endpoint refused the credentials or could not be reached."""


@dataclass(frozen=True)
class Credentials:
    client_id: str
    client_secret: str = field(repr=False)  # never printed, never logged


@dataclass(frozen=True)
class HeldToken:
    """A token as its client holds it: the value, its `expires_in`, and when it arrived
    (`time.monotonic()`), which is no earlier than when the server issued it."""

    value: str = field(repr=False)
    lifetime: float
    received_at: float

    @property
    def expires_at(self) -> float:
        """When it has expired at the latest (monotonic clock)."""
        return self.received_at + self.lifetime

    def seconds_expired(self) -> float:
        """How long ago it expired (negative: it still lives that much longer)."""
        return time.monotonic() - self.expires_at


class TokenSource:
    """The tokens of one client. `transport` carries the token requests (the guest session
    lends its circuit breaker this way); by default a plain requests adapter."""

    REFRESH_MARGIN_SECONDS = 60
    ASSUMED_LIFETIME_SECONDS = 300  # a token endpoint that names none: a tenant's few minutes

    def __init__(
        self,
        base_url: str,
        credentials: Credentials,
        *,
        timeout: float = 30,
        verify: bool | str = True,
        transport: HTTPAdapter | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token_url = self.base_url + "/oauth/token"
        self._credentials = credentials
        self._timeout = timeout
        self._http = requests.Session()
        self._http.verify = verify
        if transport is not None:
            self._http.mount(self.token_url, transport)
        self._lock = threading.Lock()
        self._held: HeldToken | None = None
        self.first: HeldToken | None = None  # the first token this source fetched
        self.fetches = 0

    def __repr__(self) -> str:
        return f"TokenSource({self.token_url!r}, client_id={self._credentials.client_id!r})"

    def token(self) -> str:
        with self._lock:
            if self._held is None or time.monotonic() >= self._refresh_at(self._held):
                self._held = self.fetch()
                self.first = self.first or self._held
            return self._held.value

    def secrets(self) -> list[str]:
        """What must never be written anywhere: the client secret and the tokens held."""
        held = {token.value for token in (self._held, self.first) if token is not None}
        return [self._credentials.client_secret, *held]

    def invalidate(self, refused: str | None = None) -> None:
        """Forget the token (the server said it expired); the next call fetches a new one.
        With `refused`, only if that is still the one held: of several requests refused with
        the same token, the first replaces it and the others use the replacement."""
        with self._lock:
            if refused is None or (self._held is not None and self._held.value == refused):
                self._held = None

    def fetch(self) -> HeldToken:
        """A new token from the endpoint (not kept: `token()` is the one that keeps them)."""
        form = {
            "grant_type": "client_credentials",
            "client_id": self._credentials.client_id,
            "client_secret": self._credentials.client_secret,
        }
        try:
            response = self._http.post(
                self.token_url, data=form, timeout=self._timeout, allow_redirects=False
            )
        except requests.RequestException as error:
            raise TokenError(f"cannot reach {self.token_url}: {describe(error)}") from None
        if response.status_code >= 400:
            # The body may echo what was sent; say only the status.
            raise TokenError(
                f"{self.token_url} refused the client credentials (HTTP {response.status_code})"
            )
        try:
            grant = response.json()
            value, lifetime = grant["access_token"], float(grant.get("expires_in") or 0)
        except (ValueError, KeyError, TypeError, AttributeError):  # JSON errors are ValueErrors
            raise TokenError(f"{self.token_url} answered without an access_token") from None
        if not isinstance(value, str):
            raise TokenError(f"{self.token_url} answered without an access_token")
        self.fetches += 1
        return HeldToken(value, lifetime or self.ASSUMED_LIFETIME_SECONDS, time.monotonic())

    def _refresh_at(self, held: HeldToken) -> float:
        lifetime = held.lifetime
        return held.received_at + max(lifetime - self.REFRESH_MARGIN_SECONDS, lifetime / 2)
