"""POST /oauth/token: the OAuth 2.0 client-credentials grant as RFC 6749 words it.

A client authenticates with its credentials in the request (body, or the query string real
tenants also accept) or with HTTP Basic (section 2.3.1), never both. The body is
`application/x-www-form-urlencoded` or `multipart/form-data` (what common HTTP clients post).
Errors are section 5.2's `{"error": code, "error_description": text}`: 400 for a malformed
request, 401 with `WWW-Authenticate: Basic` for failed client authentication.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote_plus

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from emulator.auth import AuthError, TokenService

FORM_MEDIA_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_FIELDS = ("grant_type", "client_id", "client_secret")
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
_CHALLENGE = {"WWW-Authenticate": 'Basic realm="oauth", charset="UTF-8"'}


@dataclass(frozen=True)
class TokenError(Exception):
    """An RFC 6749 section 5.2 error response."""

    code: str
    description: str
    status: int = 400

    def response(self) -> JSONResponse:
        headers = dict(_NO_STORE)
        if self.status == 401:
            headers.update(_CHALLENGE)
        body = {"error": self.code, "error_description": self.description}
        return JSONResponse(body, status_code=self.status, headers=headers)


def _invalid(description: str) -> TokenError:
    return TokenError("invalid_request", description)


async def issue_token(request: Request, tokens: TokenService) -> JSONResponse:
    try:
        fields = await _request_fields(request)
        basic = _basic_credentials(request.headers.get("authorization"))
        client_id, client_secret = _client_credentials(fields, basic)
        grant_type = fields.get("grant_type")
        if not grant_type:
            raise _invalid("grant_type is required")
        if grant_type != "client_credentials":
            raise TokenError(
                "unsupported_grant_type",
                f"only client_credentials is supported, not {grant_type!r}",
            )
        try:
            token = tokens.issue(client_id, client_secret)
        except AuthError:
            # RFC 6749 5.2: 401 (with a challenge) whichever way the client authenticated.
            raise TokenError("invalid_client", "unknown client or wrong secret", 401) from None
    except TokenError as error:
        return error.response()
    return JSONResponse(token, headers=_NO_STORE)


async def _request_fields(request: Request) -> dict[str, str]:
    """The parameters from the query string and the form body; each at most once."""
    pairs = list(request.query_params.multi_items())
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if media_type == "application/x-www-form-urlencoded":
        pairs += _urlencoded_pairs(body)
    elif media_type == "multipart/form-data":
        try:
            form = await request.form()
        except (HTTPException, ValueError, UnicodeDecodeError) as error:
            detail = getattr(error, "detail", None) or str(error)
            raise _invalid(f"the {media_type} body cannot be parsed: {detail}") from None
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                raise _invalid(f"{name} must be a form field, not a file upload")
            pairs.append((name, value))
    elif body.strip():
        raise _invalid(
            f"the body must be {' or '.join(FORM_MEDIA_TYPES)}, got {media_type or 'no type'!r}"
        )
    fields: dict[str, str] = {}
    for name, value in pairs:
        if name in fields and name in _FIELDS:
            raise _invalid(f"{name} is given more than once")
        fields[name] = value
    return fields


def _urlencoded_pairs(body: bytes) -> list[tuple[str, str]]:
    """Strictly: ASCII on the wire, UTF-8 once percent-decoded (a stray byte is an error, not
    a silently replaced character that then fails as a wrong secret)."""
    try:
        text = body.decode("ascii")
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise _invalid("the form body is not valid x-www-form-urlencoded UTF-8") from None


def _basic_credentials(authorization: str | None) -> tuple[str, str] | None:
    """RFC 6749 2.3.1: Basic base64(urlencode(id) ":" urlencode(secret)), or None."""
    if authorization is None:
        return None
    scheme, _, encoded = authorization.strip().partition(" ")
    if scheme.lower() != "basic":
        raise _invalid(f"client authentication must use HTTP Basic, not {scheme or 'nothing'!r}")
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise _invalid("the Basic credentials are not base64 of UTF-8 text") from None
    if ":" not in decoded:
        raise _invalid("the Basic credentials must be client_id:client_secret")
    client_id, _, secret = decoded.partition(":")
    return unquote_plus(client_id), unquote_plus(secret)


def _client_credentials(fields: dict[str, str], basic: tuple[str, str] | None) -> tuple[str, str]:
    if basic is not None:
        if "client_secret" in fields:
            raise _invalid("credentials were sent both with HTTP Basic and in the request")
        # RFC 6749 3.2.1 lets a client name itself with client_id beside its authentication.
        if "client_id" in fields and fields["client_id"] != basic[0]:
            raise _invalid("client_id in the request differs from the HTTP Basic one")
        return basic
    missing = [name for name in ("client_id", "client_secret") if not fields.get(name)]
    if missing:
        raise _invalid(f"{' and '.join(missing)} required (in the body or with HTTP Basic)")
    return fields["client_id"], fields["client_secret"]
