"""Client-credentials tokens: fetched on first use, refreshed a minute before they expire."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import requests

from conformance.client.circuit_breaker import describe


class TokenError(Exception):
    """The token endpoint refused the credentials or could not be reached."""

    def __init__(self, message: str, *, unreachable: str = "") -> None:
        super().__init__(message)
        self.unreachable = unreachable  # how the endpoint could not be reached, if it was not


@dataclass(frozen=True)
class Credentials:
    client_id: str
    client_secret: str = field(repr=False)  # never printed, never logged


class TokenSource:
    REFRESH_MARGIN_SECONDS = 60

    def __init__(
        self,
        base_url: str,
        credentials: Credentials,
        *,
        timeout: float = 30,
        verify: bool | str = True,
    ) -> None:
        self.token_url = base_url.rstrip("/") + "/oauth/token"
        self._credentials = credentials
        self._timeout = timeout
        self._verify = verify
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires_at = 0.0
        self.fetches = 0

    def __repr__(self) -> str:
        return f"TokenSource({self.token_url!r}, client_id={self._credentials.client_id!r})"

    def token(self) -> str:
        with self._lock:
            if self._token is None or time.monotonic() >= self._expires_at:
                self._fetch()
            assert self._token is not None
            return self._token

    def secrets(self) -> list[str]:
        """What must never be written anywhere: the client secret and the current token."""
        return [self._credentials.client_secret, *([self._token] if self._token else [])]

    def invalidate(self) -> None:
        """Forget the token (the server said it expired); the next call fetches a new one."""
        with self._lock:
            self._token = None

    def _fetch(self) -> None:
        form = {
            "grant_type": "client_credentials",
            "client_id": self._credentials.client_id,
            "client_secret": self._credentials.client_secret,
        }
        try:
            response = requests.post(
                self.token_url, data=form, timeout=self._timeout, verify=self._verify
            )
        except requests.RequestException as error:
            why = describe(error)
            raise TokenError(f"cannot reach {self.token_url}: {why}", unreachable=why) from None
        if response.status_code != 200:
            # The body may echo what was sent; say only the status.
            raise TokenError(
                f"{self.token_url} refused the client credentials (HTTP {response.status_code})"
            )
        body = response.json()
        lifetime = float(body.get("expires_in", 300))
        self._token = body["access_token"]
        self._expires_at = time.monotonic() + max(
            lifetime - self.REFRESH_MARGIN_SECONDS, lifetime / 2
        )
        self.fetches += 1
