"""The proxy's exchanges as a HAR 1.2 log (the HTTP Archive format browsers and HTTP tools
read: `log.version`, `log.creator`, `log.entries`, each entry's `request`, `response`,
`cache` and `timings`).

Nothing secret is written: credential headers keep only their scheme word, every text goes
through the reports' redactor (bearer tokens, JWTs, `access_token` and `client_secret` values
wherever they appear, the client secret of the environment), and the token endpoint's
answers lose their body. With `ValuePlaceholders`, the tenant's names and e-mail addresses in
JSON bodies become placeholders of the same shape (`name-1`, `person-1@example.com`), the
same value always the same placeholder.

`HarLog` writes each entry to a temporary file as the exchange is judged and streams them into
the log at the end, so a proxy that watches a tenant for hours keeps no judged exchange in
memory.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Mapping
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from emulator.proxy.traffic_judge import TOKEN_PATH, Seen
from reports.redaction import MASK, Redactor

HAR_VERSION = "1.2"
CREATOR = "certification-campaigns-conformance proxy"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Members whose values name people or the tenant's objects.
NAME_MEMBERS = frozenset({"name", "email", "description", "displayName", "firstName", "lastName"})


class ValuePlaceholders:
    """Same-shape stand-ins for names and e-mail addresses, stable within one log."""

    def __init__(self) -> None:
        self._given: dict[str, str] = {}

    def __call__(self, value: str) -> str:
        if value not in self._given:
            number = len(self._given) + 1
            self._given[value] = (
                f"person-{number}@example.com" if _EMAIL.match(value) else f"name-{number}"
            )
        return self._given[value]

    def text(self, text: str) -> str:
        """`text` (a finding's reason, which may quote a value) with every value replaced so
        far replaced by its placeholder."""
        for value in sorted(self._given, key=len, reverse=True):
            if len(value) >= 3:
                text = text.replace(value, self._given[value])
        return text

    def body(self, text: str) -> str:
        try:
            document = json.loads(text)
        except ValueError:
            return text
        return json.dumps(self._walk(document))

    def _walk(self, value: Any, member: str = "") -> Any:
        if isinstance(value, dict):
            return {key: self._walk(item, key) for key, item in value.items()}
        if isinstance(value, list):
            return [self._walk(item, member) for item in value]
        if isinstance(value, str) and (member in NAME_MEMBERS or _EMAIL.match(value)):
            return self(value)
        return value


class HarLog:
    """The HAR log of one proxy run: `add` an exchange as it is judged (its entry, redacted,
    goes to a temporary file), `write` the log once the run ended."""

    def __init__(self, redactor: Redactor, values: ValuePlaceholders | None = None) -> None:
        self.redactor, self.values = redactor, values
        # Open for the log's life, closed (and so deleted) by `close` or the `with` block.
        self._spool = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115

    def add(self, seen: Seen) -> None:
        # One line an entry: JSON escapes the newlines inside its strings.
        self._spool.write(json.dumps(_entry(seen, self.redactor, self.values)) + "\n")

    def write(self, path: Path) -> Path:
        """The log at `path`: the entries streamed from the spool, one a line."""
        head = {"version": HAR_VERSION, "creator": {"name": CREATOR, "version": _version()}}
        self._spool.flush()
        self._spool.seek(0)
        with path.open("w", encoding="utf-8") as out:
            out.write('{"log": ' + json.dumps(head)[:-1] + ', "entries": [')
            for number, line in enumerate(self._spool):
                out.write(("," if number else "") + "\n" + line.rstrip("\n"))
            out.write("\n]}}\n")
        return path

    def close(self) -> None:
        self._spool.close()

    def __enter__(self) -> HarLog:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _entry(seen: Seen, redactor: Redactor, values: ValuePlaceholders | None) -> dict[str, Any]:
    token = urlsplit(seen.url).path.endswith(TOKEN_PATH)
    request_text = _text(seen.request_body)
    response_text = MASK if token and seen.response_body else _text(seen.decoded_body())
    if values is not None:
        request_text, response_text = values.body(request_text), values.body(response_text)
    request: dict[str, Any] = {
        "method": seen.method,
        "url": redactor.redact_text(seen.url),
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": _headers(seen.request_headers, redactor),
        "queryString": [
            {"name": name, "value": redactor.redact_text(value)}
            for name, value in parse_qsl(seen.query, keep_blank_values=True)
        ],
        "headersSize": -1,
        "bodySize": len(seen.request_body),
    }
    if seen.request_body:
        mime = _value(seen.request_headers, "content-type") or "application/octet-stream"
        request["postData"] = {"mimeType": mime, "text": redactor.redact_text(request_text)}
    status = seen.status or 0
    response = {
        "status": status,
        "statusText": _reason(status),
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": _headers(seen.response_headers, redactor),
        "content": {
            "size": len(seen.decoded_body()),
            "mimeType": _value(seen.response_headers, "content-type") or "",
            "text": redactor.redact_text(response_text),
        },
        "redirectURL": _value(seen.response_headers, "location"),
        "headersSize": -1,
        "bodySize": len(seen.response_body),
    }
    entry = {
        "startedDateTime": seen.started_at,
        "time": round(seen.elapsed_ms, 3),
        "request": request,
        "response": response,
        "cache": {},
        "timings": {"send": 0, "wait": round(seen.elapsed_ms, 3), "receive": 0},
    }
    if seen.upstream_error:
        entry["comment"] = f"the upstream could not be reached: {seen.upstream_error}"
    return entry


def _headers(headers: Mapping[str, str], redactor: Redactor) -> list[dict[str, str]]:
    return [
        {"name": name, "value": value}
        for name, value in redactor.redact_headers(dict(headers)).items()
    ]


def _value(headers: Mapping[str, str], name: str) -> str:
    return next((value for key, value in headers.items() if key.lower() == name), "")


def _text(body: bytes) -> str:
    return body.decode("utf-8", errors="replace")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("certification-campaigns-conformance")
    except PackageNotFoundError:
        return "checkout"
