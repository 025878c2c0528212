"""Does a response honour the spec? The checks every test, the emulator's own tests and the
recording proxy share, as plain functions of the answer.

`response_findings` names each problem with the check of the suite's catalogue that holds a
server to it (conformance/judging/openapi_checks.py: status_code_conformance,
content_type_conformance, response_schema_conformance, response_headers_conformance), so a
proxy's observation and a suite run report the same checks by the same names.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import spec

STATUS = "status_code_conformance"
CONTENT_TYPE = "content_type_conformance"
SCHEMA = "response_schema_conformance"
HEADERS = "response_headers_conformance"


@dataclass(frozen=True)
class ResponseProblem:
    """One way an answer departs from the documents: the check it fails, and how."""

    check: str
    message: str


def response_problems(
    operation_id: str,
    status: int,
    headers: Mapping[str, str],
    body: bytes | str,
    answers: spec.Answers = "documented",
) -> list[str]:
    """Every way this response departs from the operation's responses (as the documents, the
    published description or `either` of them describe them)."""
    found = response_findings(operation_id, status, headers, body, answers)
    return [problem.message for problem in found]


def response_findings(
    operation_id: str,
    status: int,
    headers: Mapping[str, str],
    body: bytes | str,
    answers: spec.Answers = "documented",
    *,
    count_requested: bool = False,
) -> list[ResponseProblem]:
    """`response_problems`, each named by its check. With `count_requested` (the request
    asked `count=true`), a 2xx of an operation that documents `X-Total-Count` must send it;
    a 429 must say when to retry (`Retry-After`)."""
    _, _, operation = spec.operation_by_id(operation_id, answers)
    documented = operation["responses"].get(str(status))
    if documented is None:
        codes = ", ".join(operation["responses"])
        message = f"{operation_id}: status {status} is not documented (documented: {codes})"
        return [ResponseProblem(STATUS, message)]
    documented = spec.deref(documented)
    lowered = {key.lower(): value for key, value in headers.items()}
    problems = _header_problems(operation_id, status, documented, lowered, count_requested)
    content = documented.get("content")
    if content is None:
        if body:
            message = f"{operation_id}: status {status} documents no body, got {body!r:.80}"
            problems.append(ResponseProblem(SCHEMA, message))
        return problems
    media_type = lowered.get("content-type", "").split(";")[0].strip()
    if media_type not in content:
        message = f"{operation_id}: content type {media_type!r} is not documented"
        return [*problems, ResponseProblem(CONTENT_TYPE, message)]
    try:
        document: Any = json.loads(body)
    except ValueError:
        return [
            *problems,
            ResponseProblem(SCHEMA, f"{operation_id}: body is not JSON: {body!r:.80}"),
        ]
    validator = spec.validator_for(content[media_type]["schema"], "response", answers)
    for error in validator.iter_errors(document):
        where = "/".join(str(part) for part in error.absolute_path)
        message = f"{operation_id} {status} at /{where}: {error.message}"
        problems.append(ResponseProblem(SCHEMA, message))
    return problems


def _header_problems(
    operation_id: str,
    status: int,
    documented: dict[str, Any],
    headers: dict[str, str],
    count_requested: bool,
) -> list[ResponseProblem]:
    problems = []
    for name in documented.get("headers", {}):
        value = headers.get(name.lower())
        if value is not None and not value.strip().isdigit():
            message = f"{operation_id}: header {name} must be a non-negative integer"
            problems.append(ResponseProblem(HEADERS, message))
    declares_total = "x-total-count" in (n.lower() for n in documented.get("headers", {}))
    if count_requested and declares_total and "x-total-count" not in headers:
        message = f"{operation_id}: count=true was asked, but the answer has no X-Total-Count"
        problems.append(ResponseProblem(HEADERS, message))
    if status == 429 and not headers.get("retry-after", "").strip():
        message = f"{operation_id}: a 429 without Retry-After does not say when to retry"
        problems.append(ResponseProblem(HEADERS, message))
    return problems


def is_error_response(body: Any) -> bool:
    """An ErrorResponseDto as the documents show it: a trackingId and at least one message."""
    return (
        isinstance(body, dict)
        and isinstance(body.get("trackingId"), str)
        and bool(body["trackingId"])
        and isinstance(body.get("messages"), list)
        and bool(body["messages"])
    )


def error_shape_problem(status: int, retry_after: str, body: Any) -> str | None:
    """What the documents say an error answer of `status` looks like, when this one (its
    parsed JSON body and its Retry-After header, "" when absent) does not; None when it does
    or when it is no error. The suite's documented_error_shape check and the recording proxy
    both judge with it."""
    if status < 400:
        return None
    if status == 401:
        ok = isinstance(body, dict) and isinstance(body.get("error"), str)
        expected = 'a 401 body {"error": "..."}'
    elif status == 429:
        ok = isinstance(body, dict) and isinstance(body.get("message"), str)
        ok = ok and retry_after.isdigit()
        expected = 'a 429 body {"message": "..."} with Retry-After in seconds'
    else:
        ok = is_error_response(body)
        expected = "an ErrorResponseDto with a trackingId and at least one message"
    return None if ok else expected
