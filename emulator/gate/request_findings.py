"""What the client gate reports about a request beyond what a tenant refuses.

A tenant accepts members, query parameters and repeated slashes it does not know (the vendor's
published description closes none of the request schemas), so the emulator answers them as a
tenant does; the gate still tells the client author, because what a tenant ignores is lost.
These are plain functions of the request and spec/: the emulator's pipeline and the recording
proxy judge requests with them, so both report the same findings in the same words.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import spec
from spec import routes

VIOLATION = "violation"
WARNING = "warning"
Kind = Literal["violation", "warning"]
_REPEATED_SLASHES = re.compile(r"//+")


@dataclass(frozen=True)
class Finding:
    """One thing a request got wrong: a violation fails the gate, a warning only with
    --fail-on-warnings. `member` names the offending member or parameter, if any."""

    kind: Kind
    reason: str
    member: str | None = None


def collapse_slashes(path: str) -> str:
    """The path as a tenant's gateway serves it: repeated slashes read as one."""
    return _REPEATED_SLASHES.sub("/", path)


def repeated_slashes(sent_path: str) -> Finding:
    return Finding(
        WARNING,
        f"the path {sent_path} has repeated slashes (a base URL ending in '/'?); a tenant "
        f"serves it as {collapse_slashes(sent_path)}, but other proxies may not",
    )


# --- operations --------------------------------------------------------------------------
def unknown_operation(method: str, path: str) -> Finding:
    """A method and path the API does not have (spec.routes.resource found no operation), with
    the methods the path takes or else the nearest operation the API has."""
    resource = routes.resource(path)
    if resource is not None:
        hint = f"; this path takes {' or '.join(resource.methods)}"
    else:
        nearest = nearest_operation(method, path)
        hint = f"; did you mean {nearest}?" if nearest else ""
    return Finding(VIOLATION, f"no such operation{hint}")


def nearest_operation(method: str, path: str) -> str | None:
    """The operation whose method and path read most like these, if any reads close.

    Path parameters are filled from the request's own segments, so `/campaign/2c91...` is
    compared with `/campaigns/2c91...`, not with the template text `{id}`."""
    sent = path.split("?")[0]
    rest = "/" + sent.partition(routes.API_PREFIX + "/")[2] if routes.API_PREFIX in sent else sent
    segments = rest.strip("/").split("/")
    best: tuple[float, routes.Route] | None = None
    for route in routes.routes():
        template = route.path_template.strip("/").split("/")
        filled = [
            segments[i] if part.startswith("{") and i < len(segments) else part
            for i, part in enumerate(template)
        ]
        score = difflib.SequenceMatcher(None, rest, "/" + "/".join(filled)).ratio()
        score += 0.1 if route.method == method else 0.0
        if best is None or score > best[0]:
            best = (score, route)
    if best is None or best[0] < 0.7:
        return None
    return f"{best[1].method} {routes.API_PREFIX}{best[1].path_template}"


# --- members and parameters ----------------------------------------------------------------
def judge(
    found: routes.Match, query_names: Iterable[str], content_type: str | None, raw_body: bytes
) -> list[Finding]:
    """The undeclared query parameters and body members of a request to a known operation."""
    findings = unknown_query_parameters(found.operation_id, query_names)
    media_type = (content_type or "").split(";")[0].strip().lower()
    if raw_body.strip() and media_type.endswith("json"):
        try:
            document = json.loads(raw_body)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return findings  # a body that is not JSON is the contract's 400, not ours
        findings += undeclared_members(found.operation_id, document)
    return findings


def unknown_query_parameters(operation_id: str, names: Iterable[str]) -> list[Finding]:
    declared = _query_parameters(operation_id)
    return [
        Finding(
            VIOLATION,
            f"query parameter {name!r} is not one of {operation_id}'s (a tenant ignores it)"
            + _did_you_mean(name, declared),
            f"query {name}",
        )
        for name in dict.fromkeys(names)
        if name not in declared
    ]


def undeclared_members(operation_id: str, document: Any) -> list[Finding]:
    """Every member of the body, at any depth, that the operation's request schema does not
    declare; in a JSON Patch, also inside a `value` whose `path` names a schema member."""
    schema = _request_schema(operation_id)
    if schema is None:
        return []
    found = list(spec.undeclared_members(schema, document))
    target = _patch_target(operation_id)
    if target is not None and isinstance(document, list):
        for operation in document:
            if isinstance(operation, dict) and isinstance(operation.get("path"), str):
                member_schema = _schema_at(target, operation["path"])
                if member_schema is not None and "value" in operation:
                    found += spec.undeclared_members(
                        member_schema, operation["value"], operation["path"]
                    )
    return [
        Finding(
            VIOLATION,
            f"{where} is not a member {operation_id} declares (a tenant ignores it)"
            + _did_you_mean(name, declared),
            where,
        )
        for where, name, declared in found
    ]


def _did_you_mean(name: str, declared: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(declared), n=1, cutoff=0.75)
    return f"; did you mean {close[0]}?" if close else ""


@cache
def _query_parameters(operation_id: str) -> frozenset[str]:
    _, _, operation = spec.operation_by_id(operation_id)
    parameters = map(spec.deref, operation.get("parameters", []))
    return frozenset(p["name"] for p in parameters if p["in"] == "query")


@cache
def _request_schema(operation_id: str) -> dict[str, Any] | None:
    _, _, operation = spec.operation_by_id(operation_id)
    content = operation.get("requestBody", {}).get("content", {})
    return next(iter(content.values()))["schema"] if content else None


@cache
def _patch_target(operation_id: str) -> dict[str, Any] | None:
    """What a JSON Patch operation's paths point into: the resource the GET of the same path
    answers (None for an operation whose body is not a JSON Patch)."""
    _, path, operation = spec.operation_by_id(operation_id)
    if "application/json-patch+json" not in operation.get("requestBody", {}).get("content", {}):
        return None
    for method, other_path, other in spec.operations(neighbours=True):
        if method == "GET" and other_path == path:
            return other["responses"]["200"]["content"]["application/json"]["schema"]
    return None


def _schema_at(schema: dict[str, Any], pointer: str) -> dict[str, Any] | None:
    """The schema of the member a JSON Pointer names, or None when it names no member."""
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        resolved = spec.deref(schema)
        if "items" in resolved and (token.isdigit() or token == "-"):
            schema = resolved["items"]
            continue
        declared = spec.declared_properties(resolved) or {}
        if token not in declared:
            return None
        schema = declared[token]
    return schema
