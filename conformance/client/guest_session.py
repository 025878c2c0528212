"""A requests.Session that behaves as a guest in someone's tenant (DESIGN.md section 5).

Every request, whether a hand-written test or schemathesis sends it, passes through `send`:
1. the tenant-safety guard: read-only runs send only GETs; a request that changes an object
   must name one this run created (or one that provably does not exist); created objects get
   the run prefix in their name; a tenant-wide setting is read before its first change so the
   ledger can restore it;
2. the throttle, then the bearer token (the current one, taken after the throttle's wait, so
   a short-lived token is not spent waiting), then the send, retrying 429 (after
   Retry-After), 502 and 503 (with backoff), a 401 to the session's own token (once, with a
   fresh token) and a connection that could not be made; transport failures feed the circuit
   breaker, which ends the run when the target stopped answering;
3. bookkeeping: created objects enter the ledger, deleted ones leave it, and every exchange is
   reported to the `observers` (request counts, status-code coverage, reports).

Which token a request carries is chosen per request:
- by default, the session's own (fetched, refreshed before it expires and once on a 401);
- an `Authorization` header the caller gives is sent as given, never replaced or refreshed
  (a token without the authorities, an expired one);
- `auth=WITHOUT_TOKEN` sends the request with no `Authorization` header at all (whatever the
  headers say) and no refresh-and-retry on its 401:

      session.get(f"{base}/v3/campaigns", auth=WITHOUT_TOKEN)  # -> 401 {"error": ...}

  It is a `requests` auth object, so it travels wherever requests' `auth=` does, schemathesis
  included (transport keyword arguments reach `session.request`):

      case.call(base_url=f"{base}/v3", session=session, auth=WITHOUT_TOKEN)
      case.call_and_validate(base_url=..., session=session, auth=WITHOUT_TOKEN, checks=...)

  Schemathesis' own calls need no switch: given the session, they get its token like any
  request. Its `ignored_auth` check does not use the switch: it sends its own probes (no token, then
  an invalid one) through a session of its own, for security schemes of type apiKey or http
  only; the spec's scheme is oauth2, for which it sends none.

Secrets never reach a log: the session prints no headers, and its repr names no token.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import requests
import requests.auth

from conformance.client.circuit_breaker import CircuitBreaker, never_reached_the_server
from conformance.client.ledger import RunLedger
from conformance.client.operations import (
    CREATES,
    MUTATES_CAMPAIGN,
    MUTATES_TEMPLATE,
    TENANT_SETTINGS,
    Operation,
    identify,
)
from conformance.client.throttle import Throttle, retry_after_seconds
from conformance.client.tokens import TokenError, TokenSource

Observer = Callable[[Operation | None, requests.PreparedRequest, requests.Response], None]
RETRIED_STATUSES = (429, 502, 503)


class RefusedRequest(Exception):
    """The guard refused to send a request that could harm objects this run does not own."""


class _WithoutToken(requests.auth.AuthBase):
    """`auth=WITHOUT_TOKEN`: this request goes without any bearer token (see the module)."""

    MARK = "_sent_without_token"

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers.pop("Authorization", None)
        setattr(request, self.MARK, True)
        return request

    def __repr__(self) -> str:
        return "WITHOUT_TOKEN"

    @classmethod
    def marks(cls, request: requests.PreparedRequest) -> bool:
        return getattr(request, cls.MARK, False)


WITHOUT_TOKEN = _WithoutToken()


class GuestSession(requests.Session):
    def __init__(
        self,
        base_url: str,
        tokens: TokenSource,
        ledger: RunLedger,
        *,
        throttle: Throttle | None = None,
        read_only: bool = False,
        timeout: float = 30,
        verify: bool | str = True,
        max_retries: int = 4,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.tokens = tokens
        self.ledger = ledger
        self.throttle = throttle or Throttle()
        self.read_only = read_only
        self.timeout = timeout
        self.verify = verify
        self.max_retries = max_retries
        self.breaker = breaker or CircuitBreaker(self.base_url)
        self.observers: list[Observer] = []
        self.request_count = 0

    def __repr__(self) -> str:
        return f"GuestSession({self.base_url!r}, run={self.ledger.run_id!r})"

    # --- the one path every request takes ------------------------------------------------
    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        operation = identify(request.method or "", request.url or "")
        if operation is not None:
            self._guard(operation, request)
        # Only API calls get the session's token: never the token endpoint or a redirect
        # elsewhere, never a request that carries its own or asked for none.
        our_token = (
            operation is not None
            and not _WithoutToken.marks(request)
            and "Authorization" not in request.headers
        )
        kwargs.setdefault("timeout", self.timeout)
        response = self._send_with_retries(request, our_token, kwargs)
        if operation is not None:
            self._after(operation, request, response)
            for observer in self.observers:
                observer(operation, request, response)
        return response

    def _send_with_retries(self, request, our_token: bool, kwargs) -> requests.Response:
        refreshed = False
        for attempt in range(self.max_retries + 1):
            self.throttle.wait_for_slot()
            if our_token:  # after the wait: the token is fresh when the request leaves
                request.headers["Authorization"] = f"Bearer {self._token()}"
            self.request_count += 1
            last = attempt == self.max_retries
            response = self._send_once(request, kwargs, may_retry=not last)
            if response is None:  # no connection was made: safe to send again
                time.sleep(0.5 * 2**attempt)
                continue
            if response.status_code == 429 and not last:
                self.throttle.pause(retry_after_seconds(response.headers.get("Retry-After")))
                continue
            if response.status_code in (502, 503) and not last:
                time.sleep(min(0.25 * 2**attempt, 4.0))
                continue
            if response.status_code == 401 and our_token and not refreshed:
                self.tokens.invalidate()  # expired or revoked early: the next attempt fetches
                refreshed = True
                continue
            return response
        assert response is not None  # the last attempt has a response or raised
        return response

    def _send_once(self, request, kwargs, *, may_retry: bool) -> requests.Response | None:
        """One send through the breaker: the response, or None when no connection was made
        and it may be retried; transport errors are counted, the others raised."""
        self.breaker.before_send()
        try:
            response = super().send(request, **kwargs)
        except (requests.ConnectionError, requests.Timeout) as error:  # transport, not input
            self.breaker.failed(error)  # raises TargetStoppedAnswering once it opens
            if never_reached_the_server(error):
                if may_retry:
                    return None
            else:
                self.breaker.confirm(self.base_url, error)  # raises if the server is gone
            raise
        self.breaker.answered()
        return response

    def rebuild_auth(self, prepared_request, response) -> None:
        """A redirected request keeps its switch: one sent without a token stays without."""
        super().rebuild_auth(prepared_request, response)
        if _WithoutToken.marks(response.request):
            WITHOUT_TOKEN(prepared_request)

    def _token(self) -> str:
        """The bearer token; a token endpoint that cannot be reached is retried and counted
        like any send, so an outage at refresh time also opens the breaker."""
        for attempt in range(self.max_retries + 1):
            self.breaker.before_send()
            try:
                return self.tokens.token()
            except TokenError as error:
                if not error.unreachable or attempt == self.max_retries:
                    raise
                self.breaker.failed(error)  # raises TargetStoppedAnswering once it opens
                time.sleep(0.5 * 2**attempt)
        raise AssertionError("the last attempt returns or raises")

    # --- tenant safety ---------------------------------------------------------------------
    def _guard(self, operation: Operation, request: requests.PreparedRequest) -> None:
        oid = operation.operation_id
        if self.read_only and not operation.is_safe:
            raise RefusedRequest(f"{oid}: this is a read-only run")
        if oid in ("createCampaign", "createCampaignTemplate"):
            self._prefix_names(oid, request)
        elif oid in MUTATES_CAMPAIGN:
            ids = _body_ids(request) if oid == "deleteCampaigns" else [operation.path_params["id"]]
            for object_id in ids:
                self._require_own("campaign", object_id, oid)
        elif oid in MUTATES_TEMPLATE:
            self._require_own("template", operation.path_params["id"], oid)
        elif oid in TENANT_SETTINGS and not self.ledger.has_setting("reportsConfig"):
            current = self.get(
                f"{self.base_url}/v3/campaigns/reports-configuration", headers=self._own_auth()
            )
            if current.status_code != 200:
                raise RefusedRequest(f"{oid}: cannot read the current value to restore it later")
            self.ledger.remember_setting("reportsConfig", current.json())

    def _require_own(self, kind: str, object_id: str, oid: str) -> None:
        if self.ledger.owns(kind, object_id):
            return
        # Not ours: allowed only when it provably does not exist (a 404 changes nothing).
        path = "campaigns" if kind == "campaign" else "campaign-templates"
        quoted = requests.utils.quote(object_id, safe="")
        probe = self.get(f"{self.base_url}/v3/{path}/{quoted}", headers=self._own_auth())
        if probe.status_code != 404:
            raise RefusedRequest(
                f"{oid}: {kind} {object_id!r} was not created by run {self.ledger.run_id}"
            )

    def _own_auth(self) -> dict[str, str]:
        """The guard's own look-ups always carry the suite's token, whatever the test sends."""
        return {"Authorization": f"Bearer {self._token()}"}

    def _prefix_names(self, oid: str, request: requests.PreparedRequest) -> None:
        try:
            body = json.loads(request.body or b"null")
        except (ValueError, TypeError):
            return  # not JSON: the server will refuse it, nothing gets created
        if not isinstance(body, dict):
            return
        if isinstance(body.get("name"), str) or (
            oid == "createCampaignTemplate" and "name" not in body
        ):
            body["name"] = self.ledger.name(body.get("name", "template"))
        if oid == "createCampaignTemplate" and isinstance(body.get("campaign"), dict):
            campaign = body["campaign"]
            if isinstance(campaign.get("name"), str):
                campaign["name"] = self.ledger.name(campaign["name"])
        encoded = json.dumps(body).encode()
        request.body = encoded
        request.headers["Content-Length"] = str(len(encoded))

    # --- bookkeeping -----------------------------------------------------------------------
    def _after(self, operation: Operation, request, response: requests.Response) -> None:
        oid = operation.operation_id
        if oid in CREATES and 200 <= response.status_code < 300:  # 200 or, published, 202
            try:
                created = response.json()["id"]
            except (ValueError, KeyError, TypeError):
                return
            self.ledger.record_created(CREATES[oid], created)
        elif oid == "deleteCampaigns" and response.status_code == 202:
            for object_id in _body_ids(request):
                self.ledger.forget("campaign", object_id)
        elif oid == "deleteCampaignTemplate" and response.status_code == 204:
            self.ledger.forget("template", operation.path_params["id"])


def _body_ids(request: requests.PreparedRequest) -> list[str]:
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, TypeError):
        return []
    ids = body.get("ids") if isinstance(body, dict) else None
    return [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []
