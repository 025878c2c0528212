"""Judge observed traffic both ways: the client's requests and the upstream's answers.

The recording proxy hands every exchange to a `TrafficJudge`. Requests are judged by the code
the emulator's gate uses (emulator.gate.request_findings, emulator.request_contract.validate, the
Retry-After ledger and the token count), answers by the checks the suite shares as plain
functions (spec.responses, the suite's error shape, the undeclared members), and what the
upstream did is gathered as the suite gathers it (conformance.judging.observations), so the results
file feeds `reports diff`, `reports profile` and `emulator --like` like a suite run's.

Each finding says whose it is: `client:` or `tenant:`. A departure from the documents that
the vendor's published description allows (createCampaign answering 202) is a tenant
warning, named as such; undeclared response members are warnings too (the suite fails them
only with --strict).
"""

from __future__ import annotations

import json
import threading
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests
from requests.structures import CaseInsensitiveDict

import spec
from emulator.gate import request_findings
from emulator.gate.client_manners import ClientManners
from emulator.gate.request_findings import VIOLATION, WARNING, Finding
from emulator.request_contract import RequestRejected, load_contracts, validate
from emulator.traffic_controls import RetryAfterLedger
from spec import responses, routes
from spec.responses import error_shape_problem

CLIENT = "client"
TENANT = "tenant"
TOKEN_PATH = "/oauth/token"
# What the client's requests are held to where the documents and the published description
# differ: what tenants accept (the gate's default).
REQUEST_ANSWERS = "published"

NOT_A_SERVER_ERROR = "not_a_server_error"
ERROR_SHAPE = "documented_error_shape"
UNDOCUMENTED = "undocumented_properties"


@dataclass(frozen=True)
class Seen:
    """One exchange as the proxy saw it (bodies as bytes, as they travelled)."""

    started_at: str  # ISO-8601
    method: str
    url: str  # the upstream URL the request went to
    sent_path: str  # the path as the client sent it (repeated slashes and all)
    request_headers: Mapping[str, str]
    request_body: bytes
    status: int | None  # None: the upstream could not be reached
    response_headers: Mapping[str, str]
    response_body: bytes
    elapsed_ms: float
    upstream_error: str = ""

    @classmethod
    def from_wire(
        cls,
        started: float,
        method: str,
        url: str,
        sent_path: str,
        request_headers: list[tuple[bytes, bytes]],
        request_body: bytes,
        status: int | None,
        response_headers: list[tuple[bytes, bytes]],
        response_body: bytes,
        elapsed_ms: float,
        upstream_error: str = "",
    ) -> Seen:
        """From what the proxy kept of an exchange: raw headers, the start as epoch seconds."""
        return cls(
            datetime.fromtimestamp(started, UTC).isoformat(),
            method,
            url,
            sent_path,
            {k.decode("latin-1"): v.decode("latin-1") for k, v in request_headers},
            request_body,
            status,
            {k.decode("latin-1"): v.decode("latin-1") for k, v in response_headers},
            response_body,
            elapsed_ms,
            upstream_error,
        )

    @property
    def query(self) -> str:
        return urlsplit(self.url).query

    def decoded_body(self) -> bytes:
        """The answer's body without its content coding (gzip and deflate; others as sent)."""
        coding = _header(self.response_headers, "content-encoding").lower()
        if coding in ("gzip", "deflate"):
            try:
                return zlib.decompress(self.response_body, zlib.MAX_WBITS | 32)
            except zlib.error:
                return self.response_body
        return self.response_body


@dataclass
class CheckTally:
    """One operation x check: the answers it judged, the failures, the first failure."""

    cases: int = 0
    failures: int = 0
    reason: str = ""
    failed: Seen | None = None


@dataclass
class TrafficJudge:
    """Everything judged so far; `judge` may be called from any thread."""

    strict: bool = False
    findings: list[dict] = field(default_factory=list)  # gate_report's record shape
    checks: dict[tuple[str, str], CheckTally] = field(default_factory=dict)
    behaviour: dict[str, Any] = field(default_factory=dict)
    exchange_count: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _retry_afters: RetryAfterLedger = field(default_factory=RetryAfterLedger, repr=False)
    _manners: ClientManners = field(default_factory=ClientManners, repr=False)

    def __post_init__(self) -> None:
        from reports.behaviour import new_behaviour_data

        self.behaviour = self.behaviour or new_behaviour_data()
        self._contracts = load_contracts()

    def judge(self, seen: Seen) -> None:
        with self._lock:
            self.exchange_count += 1
            if seen.status is None:
                reason = f"the upstream could not be reached: {seen.upstream_error}"
                self._add(seen, None, TENANT, Finding(VIOLATION, reason))
                return
            path = request_findings.collapse_slashes(seen.sent_path)
            if path != seen.sent_path:
                self._add(seen, None, CLIENT, request_findings.repeated_slashes(seen.sent_path))
            if path == TOKEN_PATH:
                self._manners.tokens[CLIENT] += 1
                return  # the token endpoint is not an operation of the API
            resource = routes.resource(path)
            found = resource.operation(seen.method) if resource else None
            if found is None:
                finding = request_findings.unknown_operation(seen.method, path)
                self._add(seen, None, CLIENT, finding)
                return
            self._manners.requests[CLIENT] += 1
            for finding in self._request_findings(seen, found):
                self._add(seen, found.operation_id, CLIENT, finding)
            self._judge_answer(seen, found.operation_id)

    def token_warnings(self) -> list[dict]:
        """The manners warning (a new token for most requests), judged over the whole run."""
        with self._lock:
            return [
                _record(None, "POST", TOKEN_PATH, 200, CLIENT, Finding(WARNING, reason), "")
                for _, reason in self._manners.token_warnings()
            ]

    # --- the client's request ------------------------------------------------------------
    def _request_findings(self, seen: Seen, found) -> list[Finding]:
        content_type = _header(seen.request_headers, "content-type") or None
        query = parse_qsl(seen.query, keep_blank_values=True)
        findings = request_findings.judge(
            found, [name for name, _ in query], content_type, seen.request_body
        )
        try:
            validate(
                self._contracts[found.operation_id],
                found.path_params,
                dict(query),
                content_type,
                seen.request_body,
                REQUEST_ANSWERS,
            )
        except RequestRejected as error:
            cause = f"{error.field}: {error.message}"
            findings.append(Finding(VIOLATION, cause, error.field))
        token = _header(seen.request_headers, "authorization")
        if self._retry_afters.sent_early(token):
            reason = "sent before the Retry-After its token was given ran out"
            findings.append(Finding(VIOLATION, reason))
        if seen.status == 429:
            retry_after = _header(seen.response_headers, "retry-after")
            if retry_after.strip().isdigit():
                self._retry_afters.told(token, int(retry_after))
        if seen.status == 401:
            findings.append(Finding(VIOLATION, "answered 401: the token was missing or refused"))
        elif seen.status == 403:
            findings.append(Finding(VIOLATION, "answered 403: the client lacks the authority"))
        return findings

    # --- the upstream's answer -----------------------------------------------------------
    def _judge_answer(self, seen: Seen, operation_id: str) -> None:
        from conformance.judging.observations import observe_response

        status = int(seen.status or 0)
        body = seen.decoded_body()
        observe_response(self.behaviour, operation_id, *_as_requests(seen, body))
        count = dict(parse_qsl(seen.query)).get("count", "").lower() == "true"
        problems = responses.response_findings(
            operation_id, status, seen.response_headers, body, count_requested=count
        )
        drift: set[str] = set()
        if problems:  # what the published description allows is known drift, not a breach
            published = responses.response_findings(
                operation_id,
                status,
                seen.response_headers,
                body,
                "published",
                count_requested=count,
            )
            drift = {p.check for p in problems} - {p.check for p in published}
            if responses.STATUS in drift:  # the published status: judge the body by it too
                problems = [p for p in problems if p.check == responses.STATUS] + published
        judged = {responses.STATUS, responses.HEADERS}
        if responses.STATUS in drift or not any(p.check == responses.STATUS for p in problems):
            judged |= {responses.CONTENT_TYPE, responses.SCHEMA}
        verdicts: dict[str, Finding | None] = dict.fromkeys(judged)
        verdicts[NOT_A_SERVER_ERROR] = None
        for problem in problems:
            known = problem.check in drift
            kind = WARNING if known else VIOLATION
            reason = problem.message + (
                " (the vendor's published description allows it: known drift)" if known else ""
            )
            if verdicts.get(problem.check) is None or kind == VIOLATION:
                verdicts[problem.check] = Finding(kind, reason)
        if status >= 500:
            verdicts[NOT_A_SERVER_ERROR] = Finding(VIOLATION, f"answered {status}")
        if status >= 400:
            verdicts[ERROR_SHAPE] = _error_shape(status, seen.response_headers, body)
        verdicts[UNDOCUMENTED] = self._undocumented(operation_id, status, body)
        for check, finding in verdicts.items():
            self._tally(operation_id, check, seen, finding)
            if finding is not None:
                self._add(seen, operation_id, TENANT, finding)

    def _undocumented(self, operation_id: str, status: int, body: bytes) -> Finding | None:
        schema = _response_schema(operation_id, status)
        if schema is None:
            return None
        try:
            document = json.loads(body or b"null")
        except ValueError:
            return None
        found = sorted({where for where, _, _ in spec.undeclared_members(schema, document)})
        if not found:
            return None
        kind = VIOLATION if self.strict else WARNING
        return Finding(kind, f"{operation_id} {status} has undeclared members: {', '.join(found)}")

    def _tally(self, operation_id: str, check: str, seen: Seen, finding: Finding | None) -> None:
        tally = self.checks.setdefault((operation_id, check), CheckTally())
        tally.cases += 1
        if finding is not None and finding.kind == VIOLATION:
            tally.failures += 1
            if tally.failed is None:
                tally.failed, tally.reason = seen, finding.reason

    def _add(self, seen: Seen, operation_id: str | None, side: str, finding: Finding) -> None:
        tracking = _tracking_id(seen.decoded_body()) if (seen.status or 0) >= 400 else ""
        self.findings.append(
            _record(
                operation_id,
                seen.method,
                seen.sent_path,
                seen.status or 502,
                side,
                finding,
                tracking,
            )
        )


def _record(
    operation_id: str | None,
    method: str,
    path: str,
    status: int,
    side: str,
    finding: Finding,
    tracking_id: str,
) -> dict:
    return {
        "kind": finding.kind,
        "operationId": operation_id,
        "method": method,
        "path": path,
        "status": status,
        "reason": f"{side}: {finding.reason}",
        "member": finding.member,
        "trackingId": tracking_id or None,
        "clientId": None,
    }


def _error_shape(status: int, headers: Mapping[str, str], body: bytes) -> Finding | None:
    """The documented error bodies, judged as the suite's documented_error_shape does."""
    try:
        document = json.loads(body or b"null")
    except ValueError:
        document = None
    expected = error_shape_problem(status, _header(headers, "retry-after"), document)
    return None if expected is None else Finding(VIOLATION, f"a {status} answer is not {expected}")


def _response_schema(operation_id: str, status: int) -> dict[str, Any] | None:
    """The documented body of this answer (in either description: a 202 createCampaign is
    the published description's)."""
    _, _, operation = spec.operation_by_id(operation_id, "either")
    documented = operation["responses"].get(str(status))
    if documented is None:
        return None
    media = spec.deref(documented).get("content", {}).get("application/json")
    return media["schema"] if media else None


def _tracking_id(body: bytes) -> str:
    try:
        document = json.loads(body or b"null")
    except ValueError:
        return ""
    tracking = document.get("trackingId") if isinstance(document, dict) else None
    return tracking if isinstance(tracking, str) else ""


def _header(headers: Mapping[str, str], name: str) -> str:
    return next((value for key, value in headers.items() if key.lower() == name), "")


def _as_requests(seen: Seen, body: bytes) -> tuple[Any, requests.Response]:
    """The exchange as the `requests` objects the suite's observer reads."""
    request = requests.PreparedRequest()
    request.method, request.url = seen.method, seen.url
    request.headers = CaseInsensitiveDict(seen.request_headers)
    request.body = seen.request_body
    response = requests.Response()
    response.status_code = int(seen.status or 0)
    response.headers = CaseInsensitiveDict(seen.response_headers)
    response._content = body
    response.request = request
    response.url = seen.url
    response.elapsed = timedelta(milliseconds=seen.elapsed_ms)
    return request, response
