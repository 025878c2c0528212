"""Before a `--target` run: can this target be used at all? If not, one line and exit 6.

A run against a target that cannot answer would fail every test, slowly, with a transport
traceback each. So before anything is collected the suite checks, within 15 seconds, in the
order a person would: a URL was given; the credentials are set; the host resolves; the token
endpoint accepts a connection (TLS verified), is an OAuth endpoint and grants the client a
token; one authenticated `GET /v3/campaigns?limit=1` answers a JSON list. The first step that
fails becomes `TargetUnusable`, whose text is one line: what is wrong, then what to do.

Exit code 6 (`EXIT_TARGET_UNUSABLE`) means "the target could not be used; nothing was
checked": distinct from pytest's 1 (tests failed) so a CI job can tell an outage or a
misconfiguration from a conformance failure. A run whose target stops answering midway ends
with the same code (see `client.circuit_breaker`).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

import requests
import urllib3.exceptions

from conformance.client.tokens import Credentials

EXIT_TARGET_UNUSABLE = 6
BUDGET_SECONDS = 8.0  # the whole preflight: with pytest's start, well inside the promised 15 s
CONNECT_SECONDS = 4.0
API_URL_HINT = "--target must be the API base URL, like https://TENANT.api.identitynow.com"
CLIENT_HINT = "a client with ORG_ADMIN or CERT_ADMIN"


class TargetUnusable(Exception):
    """The target cannot be used; the text is one line: the cause, then the fix."""


class _Clock:
    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    def timeout(self) -> tuple[float, float]:
        left = max(0.5, self.deadline - time.monotonic())
        return min(CONNECT_SECONDS, left), left


@dataclass(frozen=True)
class TargetAddress:
    """A `--target` as the run uses it: the API base URL (no trailing `/` or `/v3`) and the
    client's credentials; once checked, how long one API request took there (the round trip
    and the server's time: what each of the run's requests will wait)."""

    base_url: str
    credentials: Credentials
    round_trip_seconds: float = 0.0


def address(url: str | None, environ: Mapping[str, str]) -> TargetAddress:
    """The target's address from `--target` and SAIL_CLIENT_ID / SAIL_CLIENT_SECRET, without
    touching the network; raise TargetUnusable when either is missing or malformed."""
    return TargetAddress(_base_url(url), Credentials(*_credentials(environ)))


def check(
    url: str | None, environ: Mapping[str, str], *, budget_seconds: float = BUDGET_SECONDS
) -> TargetAddress:
    """Raise TargetUnusable unless `url` is a reachable, working Campaigns API for the client
    in SAIL_CLIENT_ID / SAIL_CLIENT_SECRET. Returns the target's address, normalised.
    `budget_seconds` bounds the whole check: a server that accepts and never answers is given
    up on once it ran out."""
    target = address(url, environ)
    base_url, credentials = target.base_url, target.credentials
    clock = _Clock(budget_seconds)
    _resolve(base_url, clock)
    with requests.Session() as http:  # one connection: the GET's time is the round trip's
        token = _token(http, base_url, credentials.client_id, credentials.client_secret, clock)
        took = _authenticated_get(http, base_url, credentials.client_id, token, clock)
    return replace(target, round_trip_seconds=took)


def _base_url(url: str | None) -> str:
    if not url or not url.strip():
        raise TargetUnusable(
            "no target URL: set SAIL_BASE_URL=https://TENANT.api.identitynow.com "
            "(tox -e tenant) or pass --target URL"
        )
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetUnusable(f"--target must be an http(s) URL, got {url!r}: {API_URL_HINT}")
    return url.strip().rstrip("/").removesuffix("/v3")


def _credentials(environ: Mapping[str, str]) -> tuple[str, str]:
    missing = [name for name in ("SAIL_CLIENT_ID", "SAIL_CLIENT_SECRET") if not environ.get(name)]
    if missing:
        raise TargetUnusable(
            f"{' and '.join(missing)} not set: export the API client's id and secret "
            f"({CLIENT_HINT}) before a --target run"
        )
    return environ["SAIL_CLIENT_ID"], environ["SAIL_CLIENT_SECRET"]


def _resolve(base_url: str, clock: _Clock) -> None:
    """DNS in a thread, so a resolver that hangs cannot hold the run past its bound."""
    host = urlsplit(base_url).hostname or ""
    try:
        ipaddress.ip_address(host)
        return
    except ValueError:
        pass
    outcome: list[BaseException | None] = []

    def resolve() -> None:
        try:
            socket.getaddrinfo(host, None)
            outcome.append(None)
        except OSError as error:
            outcome.append(error)

    worker = threading.Thread(target=resolve, daemon=True)
    worker.start()
    worker.join(min(CONNECT_SECONDS, clock.timeout()[1]))
    if not outcome:
        raise TargetUnusable(
            f"cannot resolve {host!r}: DNS did not answer in {CONNECT_SECONDS:g}s; "
            "check the network (VPN, proxy) and the host in --target"
        )
    if outcome[0] is not None:
        raise TargetUnusable(
            f"cannot resolve {host!r} (DNS: no such host): check the tenant name in --target"
        )


def _transport_failure(url: str, error: requests.RequestException) -> TargetUnusable:
    where = urlsplit(url)
    host = f"{where.hostname}:{where.port or (443 if where.scheme == 'https' else 80)}"
    if isinstance(error, requests.exceptions.SSLError):
        reason = _ssl_reason(error)
        return TargetUnusable(
            f"TLS verification of {host} failed ({reason}): if the server uses a private CA, "
            "set REQUESTS_CA_BUNDLE=/path/to/ca.pem; else check --target"
        )
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return TargetUnusable(
            f"{host} did not accept a connection within {CONNECT_SECONDS:g}s: "
            "check --target and the network (VPN, firewall)"
        )
    if isinstance(error, requests.exceptions.ReadTimeout):
        return TargetUnusable(
            f"{url} accepted the connection but did not answer in time: "
            "the server is overloaded or is not this API; check --target"
        )
    if isinstance(error, requests.exceptions.ConnectionError) and _refused(error):
        return TargetUnusable(
            f"nothing answers at {host} (connection refused): check --target, "
            "or start the server it names"
        )
    return TargetUnusable(
        f"cannot talk to {host} ({type(error).__name__}): check --target and the network"
    )


def _refused(error: requests.RequestException) -> bool:
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(reason, urllib3.exceptions.NewConnectionError) or isinstance(
        error.__context__, ConnectionRefusedError
    )


def _ssl_reason(error: requests.RequestException) -> str:
    text = str(error)
    for known in ("self-signed certificate", "certificate has expired", "hostname mismatch"):
        if known in text:
            return known
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return "certificate not trusted"
    return "TLS handshake failed"


def _describe(response: requests.Response) -> str:
    kind = response.headers.get("Content-Type", "no content type").split(";")[0]
    return f"HTTP {response.status_code}, {kind}"


def _token(
    http: requests.Session, base_url: str, client_id: str, secret: str, clock: _Clock
) -> str:
    url = f"{base_url}/oauth/token"
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    try:
        response = http.post(url, data=form, timeout=clock.timeout(), allow_redirects=False)
    except requests.RequestException as error:
        raise _transport_failure(url, error) from None
    _refuse_redirect_or_throttle(url, response)
    body = _json(response)
    oauth_error = isinstance(body, dict) and isinstance(body.get("error"), str)
    if response.status_code in (400, 401) and oauth_error:
        # The body may echo what was sent: say only the status and the OAuth error code.
        raise TargetUnusable(
            f"{url} refused the client credentials (HTTP {response.status_code}, "
            f"{body['error']}): check SAIL_CLIENT_ID and SAIL_CLIENT_SECRET"
        )
    # A server in trouble answers 5xx; a web server that is not an OAuth endpoint (a static
    # site, the wrong base URL) answers 501 "not implemented" or an HTML page.
    html = "html" in response.headers.get("Content-Type", "")
    if response.status_code >= 500 and response.status_code != 501 and not html:
        raise TargetUnusable(
            f"{url} failed ({_describe(response)}): the server is in trouble; try again later"
        )
    if (
        response.status_code != 200
        or not isinstance(body, dict)
        or not isinstance(body.get("access_token"), str)
    ):
        raise TargetUnusable(
            f"{url} is not an OAuth token endpoint ({_describe(response)}): {API_URL_HINT}"
        )
    return body["access_token"]


def _authenticated_get(
    http: requests.Session, base_url: str, client_id: str, token: str, clock: _Clock
) -> float:
    """Raise TargetUnusable unless the list answers; the seconds the answer took."""
    url = f"{base_url}/v3/campaigns"
    try:
        response = http.get(
            url,
            params={"limit": 1},
            headers={"Authorization": f"Bearer {token}"},
            timeout=clock.timeout(),
            allow_redirects=False,
        )
    except requests.RequestException as error:
        raise _transport_failure(url, error) from None
    status = response.status_code
    took = response.elapsed.total_seconds()
    if status == 429:
        return took  # the API is there and rate-limits this client; the run throttles itself
    _refuse_redirect_or_throttle(url, response)
    if status == 403:
        raise TargetUnusable(
            f"client {client_id!r} may not list campaigns (GET {url} answered HTTP 403): "
            f"use {CLIENT_HINT}"
        )
    if status == 401:
        raise TargetUnusable(
            f"GET {url} refused the token its own token endpoint issued (HTTP 401): {API_URL_HINT}"
        )
    if status >= 500:
        raise TargetUnusable(
            f"GET {url} failed ({_describe(response)}): the server is in trouble; try again later"
        )
    if status != 200 or not isinstance(_json(response), list):
        raise TargetUnusable(
            f"{base_url} is not the Certification Campaigns v3 API "
            f"(GET {url} answered {_describe(response)}): {API_URL_HINT}"
        )
    return took


def _refuse_redirect_or_throttle(url: str, response: requests.Response) -> None:
    if 300 <= response.status_code < 400:
        location = response.headers.get("Location", "elsewhere")
        raise TargetUnusable(
            f"{url} redirects (HTTP {response.status_code}) to {location}: "
            f"{API_URL_HINT} (redirects are not followed, so credentials stay where sent)"
        )
    if response.status_code == 429:
        wait = response.headers.get("Retry-After", "a while")
        raise TargetUnusable(
            f"{url} is rate-limiting this client (HTTP 429, Retry-After {wait}): "
            "wait, then run again"
        )


def _json(response: requests.Response) -> object:
    try:
        return response.json()
    except ValueError:
        return None
