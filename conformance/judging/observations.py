"""Every answer the target gives, read for what it says about the target (not a verdict):
status code, the server's time to answer, undocumented members, enum values outside the
documented set, header facts; and which source each known drift item follows.

The guest session's observer calls `observe_response` for every response; the facts go into
the running test's tally (`reports.behaviour`) and end up in results.json. Example values are
placeholders made at once, so the target's data never reaches the tally.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import spec
from conformance.judging.tally import current_tally
from reports.behaviour import ENUM_CONSTANT, is_member_name, placeholder, retry_after_format
from spec import routes

# A response body is walked to this depth at most (the spec's deepest schema is far less).
MAX_DEPTH = 12


def observe_response(
    behaviour: dict[str, Any], operation_id: str, request: Any, response: Any
) -> None:
    """Add what one answer shows to a test's behaviour data (reports.behaviour)."""
    status = int(response.status_code)
    codes = behaviour["status_counts"].setdefault(operation_id, {})
    codes[str(status)] = codes.get(str(status), 0) + 1
    if status >= 500:
        current_tally().saw_server_error(response)
    # The guest transport's measure of the answered attempt alone (requests' `elapsed` also
    # holds the throttle's waits and the retries).
    elapsed = getattr(response, "server_elapsed", None)
    if elapsed is not None:
        server_ms = behaviour["server_ms"].setdefault(operation_id, [])
        server_ms.append(round(elapsed.total_seconds() * 1000, 1))
    _headers(behaviour, operation_id, request, response)
    schema = _response_schema(operation_id, status)
    if schema is None:
        return
    try:
        body = json.loads(response.content or b"null")
    except ValueError:
        return
    counted: set[str] = set()  # a count is of answers, not of the items of one list
    for kind, item in _walk(body, schema, "", 0):
        item.update(operation_id=operation_id, status=status)
        key = f"{operation_id} {status} {item['pointer']}"
        if kind == "enum_values":
            key += f" {item['value']}"
        if key in counted:
            continue
        counted.add(key)
        if key in behaviour[kind]:
            behaviour[kind][key]["count"] += 1
        else:
            behaviour[kind][key] = {**item, "count": 1}


def observe_drift(
    behaviour: dict[str, Any],
    item: str,
    follows: str,
    documents: str,
    published: str,
    response: Any,
) -> None:
    """Which source the target followed for one known drift item, as data the diff reads
    (reports.behaviour.DriftFinding)."""
    request = response.request
    behaviour["drift"][item] = {
        "follows": follows,
        "documents": documents,
        "published": published,
        "status": int(response.status_code),
        "operation_id": routes.operation_id(str(request.method), str(request.url)),
    }


def _headers(behaviour: dict[str, Any], operation_id: str, request: Any, response: Any) -> None:
    retry_after = response.headers.get("Retry-After")
    if retry_after is not None:
        fmt = retry_after_format(retry_after)
        behaviour["retry_after"][fmt] = behaviour["retry_after"].get(fmt, 0) + 1
    if not 200 <= int(response.status_code) < 300:
        return
    query = parse_qs(urlsplit(str(request.url)).query)
    requested = query.get("count", [""])[-1].lower() == "true"
    present = "X-Total-Count" in response.headers
    if not (requested or present):
        return
    fact = (
        ("requested_present" if present else "requested_absent")
        if requested
        else "unrequested_present"
    )
    facts = behaviour["total_count"].setdefault(operation_id, {})
    facts[fact] = facts.get(fact, 0) + 1


def _response_schema(operation_id: str, status: int) -> tuple[dict, str] | None:
    """The documented JSON schema of this answer, and its spec location."""
    try:
        _, path, operation = spec.operation_by_id(operation_id)
    except KeyError:
        return None
    responses = operation.get("responses", {})
    key = str(status) if str(status) in responses else None
    if key is None:  # an undocumented success code: compare with the documented success body
        key = next((c for c in responses if c.startswith("2")), None) if status < 300 else None
    if key is None:
        return None
    response = spec.deref(responses[key])
    media = response.get("content", {}).get("application/json")
    if media is None:
        return None
    return media["schema"], f"#/paths/{_escape(path)}/responses/{key}/schema"


def _walk(value: Any, schema_at: tuple[dict, str], pointer: str, depth: int):
    """(kind, fact) for every undocumented member and unlisted enum value in `value`."""
    schema, location = _deref(*schema_at)
    if depth > MAX_DEPTH:
        return
    if isinstance(value, list):
        if "items" in schema:
            for item in value:
                yield from _walk(
                    item, (schema["items"], f"{location}/items"), f"{pointer}/*", depth + 1
                )
        return
    if isinstance(value, dict):
        properties = _properties(schema, location)
        if properties is None:  # a free-form object: anything goes
            return
        for key, member in value.items():
            if key in properties:
                for candidate in properties[key][:1]:
                    yield from _walk(member, candidate, f"{pointer}/{key}", depth + 1)
                yield from _enum_outside(member, properties[key], f"{pointer}/{key}")
            elif is_member_name(key):
                fact = {"pointer": f"{pointer}/{key}", "schema": location}
                yield "members", {**fact, "example": placeholder(member)}
        return


def _enum_outside(value: Any, candidates: list[tuple[dict, str]], pointer: str):
    """A string value no candidate schema's enum lists (values that do not look like enum
    constants are withheld: they could be names)."""
    if not isinstance(value, str):
        return
    enums = [_deref(*candidate) for candidate in candidates]
    enums = [(schema, location) for schema, location in enums if "enum" in schema]
    if not enums or any(value in schema["enum"] for schema, _ in enums):
        return
    if ENUM_CONSTANT.match(value):
        yield "enum_values", {"pointer": pointer, "schema": enums[0][1], "value": value}


# Spec location -> what `_properties` found there: a location names one schema, and a list
# answer walks the same schema once per item.
_DECLARED: dict[str, dict[str, list[tuple[dict, str]]] | None] = {}


def _properties(schema: dict, location: str) -> dict[str, list[tuple[dict, str]]] | None:
    if location not in _DECLARED:
        _DECLARED[location] = _declared(schema, location)
    return _DECLARED[location]


def _declared(schema: dict, location: str) -> dict[str, list[tuple[dict, str]]] | None:
    """Member name -> the schemas that declare it (with their spec locations), through allOf
    and through alternatives that are whole schemas ($ref in anyOf/oneOf); conditions such as
    `anyOf: [{properties: {type: {enum: [SEARCH]}}}]` declare nothing. None: free-form."""
    found: dict[str, list[tuple[dict, str]]] = {}
    free_form = "properties" not in schema
    for name, member in schema.get("properties", {}).items():
        found.setdefault(name, []).append((member, f"{location}/properties/{_escape(name)}"))
    for keyword in ("allOf", "anyOf", "oneOf"):
        for index, part in enumerate(schema.get(keyword, [])):
            if keyword != "allOf" and "$ref" not in part:
                continue
            inner = _properties(*_deref(part, f"{location}/{keyword}/{index}"))
            if inner is None:
                continue
            free_form = False
            for name, candidates in inner.items():
                found.setdefault(name, []).extend(candidates)
    return None if free_form and not found else found


def _deref(schema: dict, location: str) -> tuple[dict, str]:
    while isinstance(schema, dict) and "$ref" in schema:
        location = schema["$ref"]
        schema = spec.resolve(location)
    return schema, location


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")
