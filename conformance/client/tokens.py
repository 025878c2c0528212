"""Client-credentials tokens: fetched on first use, refreshed before they expire.

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

from conformance.client.circuit_breaker import describe
from emulator.control_client import fetch_token


class TokenError(Exception):
    """The token endpoint refused the credentials or could not be reached."""

    def __init__(self, message: str, *, unreachable: str = "") -> None:
        super().__init__(message)
        self.unreachable = unreachable  # how the endpoint could not be reached, if it was not


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
    REFRESH_MARGIN_SECONDS = 60

    def __init__(
        self,
        base_url: str,
        credentials: Credentials,
        *,
        timeout: float = 30,
        verify: bool | str = True,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token_url = self.base_url + "/oauth/token"
        self._credentials = credentials
        self._timeout = timeout
        self._verify = verify
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

    def invalidate(self) -> None:
        """Forget the token (the server said it expired); the next call fetches a new one."""
        with self._lock:
            self._held = None

    def fetch(self) -> HeldToken:
        """A new token from the endpoint (not kept: `token()` is the one that keeps them)."""
        credentials = self._credentials

        def send(method: str, url: str, **options) -> requests.Response:
            options.update(timeout=self._timeout, verify=self._verify)
            return requests.request(method, url, **options)

        try:
            issued = fetch_token(
                self.base_url, credentials.client_id, credentials.client_secret, send=send
            )
        except (ValueError, KeyError, TypeError):  # JSON errors are ValueErrors too
            raise TokenError(f"{self.token_url} answered without an access_token") from None
        except requests.HTTPError as error:
            # The body may echo what was sent; say only the status.
            status = error.response.status_code if error.response is not None else "?"
            raise TokenError(
                f"{self.token_url} refused the client credentials (HTTP {status})"
            ) from None
        except requests.RequestException as error:
            why = describe(error)
            raise TokenError(f"cannot reach {self.token_url}: {why}", unreachable=why) from None
        self.fetches += 1
        # A token endpoint that names no lifetime: assume the tenant's usual few minutes.
        return HeldToken(issued.access_token, issued.expires_in or 300, time.monotonic())

    def _refresh_at(self, held: HeldToken) -> float:
        lifetime = held.lifetime
        return held.received_at + max(lifetime - self.REFRESH_MARGIN_SECONDS, lifetime / 2)
