"""Does a response honour the spec? The check every test and the emulator's own tests share."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import spec


def response_problems(
    operation_id: str,
    status: int,
    headers: Mapping[str, str],
    body: bytes | str,
    answers: spec.Answers = "documented",
) -> list[str]:
    """Every way this response departs from the operation's responses (as the documents, the
    published description or `either` of them describe them)."""
    _, _, operation = spec.operation_by_id(operation_id, answers)
    documented = operation["responses"].get(str(status))
    if documented is None:
        codes = ", ".join(operation["responses"])
        return [f"{operation_id}: status {status} is not documented (documented: {codes})"]
    documented = spec.deref(documented)
    problems = []
    lowered = {key.lower(): value for key, value in headers.items()}
    for name in documented.get("headers", {}):
        value = lowered.get(name.lower())
        if value is not None and not value.strip().isdigit():
            problems.append(f"{operation_id}: header {name} must be a non-negative integer")
    content = documented.get("content")
    if content is None:
        if body:
            problems.append(f"{operation_id}: status {status} documents no body, got {body!r:.80}")
        return problems
    media_type = lowered.get("content-type", "").split(";")[0].strip()
    if media_type not in content:
        problems.append(f"{operation_id}: content type {media_type!r} is not documented")
        return problems
    try:
        document: Any = json.loads(body)
    except ValueError:
        return [*problems, f"{operation_id}: body is not JSON: {body!r:.80}"]
    validator = spec.validator_for(content[media_type]["schema"], "response", answers)
    for error in validator.iter_errors(document):
        where = "/".join(str(part) for part in error.absolute_path)
        problems.append(f"{operation_id} {status} at /{where}: {error.message}")
    return problems
