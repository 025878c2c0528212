"""Per-operation request contracts, derived from spec/ at start-up (never re-typed).

Each operation gets its parameters (with types, defaults and a validator), its body (media
types, requiredness, validator) and the authorities it needs. `validate` turns a raw request
into typed values or raises `RequestRejected` naming the offending field.

A tenant answers as the documents say ("documented") or as the vendor's published description
says ("published", spec/ `x-published`), or as another view of spec/ (a profile learned from a
tenant run, emulator.learned_answers). The contracts are the documents'; where a view differs,
its success status and the bodies it accepts come from that view of spec/.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from jsonschema.protocols import Validator

import spec
from spec import facts


class RequestRejected(Exception):
    """The request does not match the contract (answered 400)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class ParameterContract:
    name: str
    location: str  # "path" or "query"
    required: bool
    schema: dict[str, Any]
    validator: Validator

    def coerce(self, raw: str) -> Any:
        """Query and path values arrive as text; read them as the schema's type."""
        kind = spec.deref(self.schema).get("type", "string")
        if kind == "integer":
            try:
                return int(raw)
            except ValueError:
                raise RequestRejected(self.name, f"must be an integer, got {raw!r}") from None
        if kind == "boolean":
            if raw not in ("true", "false"):
                raise RequestRejected(self.name, f"must be true or false, got {raw!r}")
            return raw == "true"
        return raw


@dataclass(frozen=True)
class BodyContract:
    required: bool
    media_types: tuple[str, ...]
    validator: Validator
    # The same schema as the published description resolves it (wider enums).
    published_validator: Validator | None = None


@dataclass(frozen=True)
class OperationContract:
    operation_id: str
    method: str
    path: str
    parameters: tuple[ParameterContract, ...]
    body: BodyContract | None
    authorities: frozenset[str]
    success_status: int
    # Documented success status -> the published one, where they differ (createCampaign).
    published_statuses: Mapping[int, int] = field(default_factory=dict)

    def status_for(self, answers: str) -> int:
        if answers == "published":
            return self.published_statuses.get(self.success_status, self.success_status)
        if answers == "documented":
            return self.success_status
        return _view_success_status(self.operation_id, answers)


@cache
def _view_success_status(operation_id: str, answers: str) -> int:
    return spec.success_status(spec.operation_by_id(operation_id, answers)[2])


@cache
def _view_body_validator(operation_id: str, answers: str) -> Validator | None:
    """The request body validator of an operation as a view of spec/ describes it."""
    operation = spec.operation_by_id(operation_id, answers)[2]
    content = operation.get("requestBody", {}).get("content", {})
    if not content:
        return None
    schema = next(iter(content.values()))["schema"]
    return spec.validator_for(schema, "request", answers)


@dataclass(frozen=True)
class ValidRequest:
    path: dict[str, Any]
    query: dict[str, Any]
    body: Any  # None when an optional body was not sent


def load_contracts() -> dict[str, OperationContract]:
    """The contracts of every operation the emulator serves (the 22 and their neighbour)."""
    published = {
        op["operationId"]: op for _, _, op in spec.operations("published", neighbours=True)
    }
    contracts = {}
    for method, path, operation in spec.operations(neighbours=True):
        operation_id = operation["operationId"]
        parameters = []
        for parameter in map(spec.deref, operation.get("parameters", [])):
            schema = parameter["schema"]
            parameters.append(
                ParameterContract(
                    parameter["name"],
                    parameter["in"],
                    parameter.get("required", False),
                    schema,
                    spec.validator_for(schema, "request"),
                )
            )
        body = None
        if "requestBody" in operation:
            request_body = operation["requestBody"]
            media_types = tuple(request_body["content"])
            schema = request_body["content"][media_types[0]]["schema"]
            body = BodyContract(
                request_body.get("required", False),
                media_types,
                spec.validator_for(schema, "request"),
                spec.validator_for(schema, "request", "published"),
            )
        success = spec.success_status(operation)
        published_success = spec.success_status(published[operation_id])
        contracts[operation_id] = OperationContract(
            operation_id,
            method,
            path,
            tuple(parameters),
            body,
            facts.authorities(operation_id),
            success,
            {success: published_success} if published_success != success else {},
        )
    return contracts


def validate(
    contract: OperationContract,
    path_params: Mapping[str, str],
    query: Mapping[str, str],
    content_type: str | None,
    raw_body: bytes,
    answers: str = "documented",
) -> ValidRequest:
    values: dict[str, dict[str, Any]] = {"path": {}, "query": {}}
    for parameter in contract.parameters:
        source = path_params if parameter.location == "path" else query
        if parameter.name not in source:
            if parameter.required:
                raise RequestRejected(parameter.name, "is required")
            default = spec.deref(parameter.schema).get("default")
            values[parameter.location][parameter.name] = default
            continue
        value = parameter.coerce(source[parameter.name])
        error = next(iter(parameter.validator.iter_errors(value)), None)
        if error is not None:
            raise RequestRejected(parameter.name, error.message)
        values[parameter.location][parameter.name] = value
    body = _body(contract, content_type, raw_body, answers)
    return ValidRequest(values["path"], values["query"], body)


def _body(contract: OperationContract, content_type: str | None, raw: bytes, answers: str) -> Any:
    if contract.body is None:
        return None
    if not raw.strip():
        if contract.body.required:
            raise RequestRejected("body", "a request body is required")
        return None
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type not in contract.body.media_types:
        expected = " or ".join(contract.body.media_types)
        raise RequestRejected("Content-Type", f"must be {expected}, got {media_type or 'none'!r}")
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise RequestRejected("body", f"is not valid JSON: {error}") from None
    error = next(iter(contract.body.validator.iter_errors(document)), None)
    published = contract.body.published_validator
    if error is not None and answers == "published" and published is not None:
        # What the published description accepts besides the documents (MACHINE_ACCOUNT).
        error = next(iter(published.iter_errors(document)), None)
    elif error is not None and answers != "documented":
        # What another view accepts besides the documents (e.g. a learned enum value).
        wider = _view_body_validator(contract.operation_id, answers)
        error = next(iter(wider.iter_errors(document)), None) if wider is not None else error
    if error is not None:
        where = ".".join(str(part) for part in error.absolute_path)
        raise RequestRejected(where or "body", error.message)
    return document
