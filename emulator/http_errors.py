"""The documented error bodies, each with a fresh trackingId.

400/403/404/500 are ErrorResponseDto; 401 is {"error": ...}; 429 is {"message": ...} with a
Retry-After header in seconds (spec/SOURCES.md#rate-limit).
"""

from __future__ import annotations

import uuid

from starlette.responses import JSONResponse

_DETAIL_CODES = {
    400: "400.1 Bad Request Content",
    403: "403 Forbidden",
    404: "404 Not found",
    405: "405 Method Not Allowed",
    500: "500.0 Internal Fault",
    502: "502 Bad Gateway",
    503: "503 Service Unavailable",
}
_GENERIC_TEXT = {
    400: "The request was syntactically correct but its content is semantically invalid.",
    403: "The server understood the request but refuses to authorize it.",
    404: "The server did not find a current representation for the target resource.",
    405: "The method is not allowed for the requested URL.",
    500: "An internal fault occurred.",
    502: "The server received an invalid response from an upstream server.",
    503: "The service is temporarily unavailable.",
}


def _message(text: str) -> dict[str, str]:
    return {"locale": "en-US", "localeOrigin": "DEFAULT", "text": text}


def error_body(status: int, cause: str | None = None) -> dict:
    body: dict = {
        "detailCode": _DETAIL_CODES.get(status, f"{status} Error"),
        "trackingId": uuid.uuid4().hex,
        "messages": [_message(_GENERIC_TEXT.get(status, "The request failed."))],
    }
    if cause:
        body["causes"] = [_message(cause)]
    return body


def error_response(status: int, cause: str | None = None, headers: dict | None = None):
    return JSONResponse(error_body(status, cause), status_code=status, headers=headers)


def unauthorized(reason: str) -> JSONResponse:
    return JSONResponse({"error": reason}, status_code=401)


def too_many_requests(retry_after: int) -> JSONResponse:
    return JSONResponse(
        {"message": " Rate Limit Exceeded "},
        status_code=429,
        headers={"Retry-After": str(retry_after)},
    )
