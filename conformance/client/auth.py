"""The bearer token of each API request, as requests' auth objects (httpx's auth flow).

Which token a request carries is chosen per request:
- by default (`TokenAuth`, the guest session's `auth`), the session's own: taken from its
  token source as the request is prepared, and, when the server answers 401 to it, replaced
  once by a fresh one and the request sent again (a token revoked or expired early);
- an `Authorization` header the caller gives is sent as given, never replaced or refreshed
  (a token without the authorities, an expired one);
- `auth=WITHOUT_TOKEN` sends the request with no `Authorization` header at all (whatever the
  headers say) and no refresh-and-retry on its 401:

      session.get(f"{base}/v3/campaigns", auth=WITHOUT_TOKEN)  # -> 401 {"error": ...}

  It is a requests auth object, so it travels wherever requests' `auth=` does, schemathesis
  included (transport keyword arguments reach `session.request`):

      case.call(base_url=f"{base}/v3", session=session, auth=WITHOUT_TOKEN)

Only documented operations get the session's token: never the token endpoint, never another
URL (and requests drops the header on a redirect to another host).
"""

from __future__ import annotations

from typing import Any

import requests
import requests.auth

from conformance.client.operations import identify
from conformance.client.tokens import TokenSource

_REFRESHED = "_sent_with_a_refreshed_token"


class TokenAuth(requests.auth.AuthBase):
    def __init__(self, tokens: TokenSource) -> None:
        self.tokens = tokens

    def __repr__(self) -> str:
        return f"TokenAuth({self.tokens!r})"

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        if "Authorization" in request.headers:  # the caller's own: sent as given
            return request
        if identify(request.method or "", request.url or "") is None:
            return request
        request.headers["Authorization"] = f"Bearer {self.tokens.token()}"
        request.register_hook("response", self._refresh_once_on_401)
        return request

    def _refresh_once_on_401(self, response: requests.Response, **send: Any) -> requests.Response:
        refused = response.request
        if response.status_code != 401 or getattr(refused, _REFRESHED, False):
            return response
        self.tokens.invalidate(_bearer(refused))
        again = refused.copy()
        again.headers["Authorization"] = f"Bearer {self.tokens.token()}"
        setattr(again, _REFRESHED, True)
        response.close()  # hand the connection back before sending on the pool again
        retried = response.connection.send(again, **send)  # the same transport
        retried.history.append(response)
        retried.request = again
        return retried


def _bearer(request: requests.PreparedRequest) -> str:
    return request.headers.get("Authorization", "").removeprefix("Bearer ")


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
