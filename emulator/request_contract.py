"""Per-operation request contracts, derived from spec/ at start-up (never re-typed).

Each operation gets its parameters (with types, defaults and a validator), its body (media
types, requiredness, validator) and the authorities it needs. `validate` turns a raw request
into typed values or raises `RequestRejected` naming the offending field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema.protocols import Validator

import spec


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


@dataclass(frozen=True)
class OperationContract:
    operation_id: str
    method: str
    path: str
    parameters: tuple[ParameterContract, ...]
    body: BodyContract | None
    authorities: frozenset[str]
    success_status: int


@dataclass(frozen=True)
class ValidRequest:
    path: dict[str, Any]
    query: dict[str, Any]
    body: Any  # None when an optional body was not sent


def load_contracts() -> dict[str, OperationContract]:
    contracts = {}
    for method, path, operation in spec.operations():
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
            )
        success = min(int(code) for code in operation["responses"] if code.startswith("2"))
        contracts[operation["operationId"]] = OperationContract(
            operation["operationId"],
            method,
            path,
            tuple(parameters),
            body,
            frozenset(operation["x-sailpoint-userLevels"]),
            success,
        )
    return contracts


def validate(
    contract: OperationContract,
    path_params: Mapping[str, str],
    query: Mapping[str, str],
    content_type: str | None,
    raw_body: bytes,
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
    return ValidRequest(values["path"], values["query"], _body(contract, content_type, raw_body))


def _body(contract: OperationContract, content_type: str | None, raw: bytes) -> Any:
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
    if error is not None:
        where = ".".join(str(part) for part in error.absolute_path)
        raise RequestRejected(where or "body", error.message)
    return document
