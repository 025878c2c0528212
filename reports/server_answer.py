"""What the server did, in one line of a diff: the status and the decisive part of the body
(an error's message texts), else the first line of the record's reason."""

from __future__ import annotations

import json

from reports.model import CheckRecord


def what_the_server_did(record: CheckRecord) -> str:
    """The status and the decisive part of the body, else the first line of the reason."""
    if record.outcome in ("skip", "not-run"):
        return f"{record.outcome}: {_squeeze(record.reason, 160)}"
    exchange = record.exchange
    if exchange is not None and exchange.status_code is not None:
        body = _squeeze(_decisive(exchange.response_body or ""), 160)
        return f"answered {exchange.status_code} to {exchange.method}" + (
            f" {body}" if body else ""
        )
    return _squeeze(_first_line(record.reason.removeprefix("The server did: ")), 200)


def _decisive(body: str) -> str:
    """Of a JSON error body, its message texts; of any other body, its start."""
    try:
        document = json.loads(body)
    except ValueError:
        return body
    if isinstance(document, dict):
        texts = [m.get("text", "") for m in document.get("messages", []) if isinstance(m, dict)]
        for name in ("error", "message", "detailCode"):
            if isinstance(document.get(name), str):
                texts.insert(0, document[name])
        if texts:
            return "; ".join(t for t in texts if t)
    return json.dumps(document, separators=(",", ":"))


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def _squeeze(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
