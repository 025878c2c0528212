"""The OpenAPI description of the v3 Certification Campaigns API, and validators built from it.

Everything that checks a request or a response against the contract (the emulator, the
conformance suite, the project's tests) goes through here, so the YAML file stays the single
source of truth.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from jsonschema.protocols import Validator
from openapi_schema_validator import OAS30ReadValidator, OAS30Validator, oas30_format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SPEC_PATH = Path(__file__).with_name("certification-campaigns.yaml")
SPEC_URI = "urn:certification-campaigns"
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

Direction = Literal["request", "response"]


@cache
def _load() -> dict[str, Any]:
    with SPEC_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_spec() -> dict[str, Any]:
    """A fresh deep copy of the spec, safe for callers to mutate."""
    return copy.deepcopy(_load())


@cache
def _registry() -> Registry:
    resource = Resource.from_contents(_load(), default_specification=DRAFT4)
    return Registry().with_resource(SPEC_URI, resource)


def validator_for(schema: dict[str, Any], direction: Direction = "response") -> Validator:
    """A validator for an OpenAPI 3.0 schema taken from the spec (local `#/` refs allowed).

    Responses are checked with the read validator (writeOnly members are errors). Requests are
    checked without the write rule, because the API ignores read-only fields sent in a create
    body instead of rejecting them (DESIGN.md section 4).
    """
    rebased = _rebase_refs(schema)
    cls = OAS30ReadValidator if direction == "response" else OAS30Validator
    return cls(rebased, registry=_registry(), format_checker=oas30_format_checker)


def component_validator(name: str, direction: Direction = "response") -> Validator:
    """A validator for `#/components/schemas/<name>`."""
    return validator_for({"$ref": f"#/components/schemas/{name}"}, direction)


def resolve(pointer: str) -> Any:
    """The object a local `#/...` reference points at."""
    node: Any = _load()
    for part in pointer.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def deref(node: Any) -> Any:
    """Follow `$ref` chains until a concrete object (one level, not recursive)."""
    while isinstance(node, dict) and "$ref" in node:
        node = resolve(node["$ref"])
    return node


def declared_properties(schema: dict[str, Any]) -> dict[str, Any] | None:
    """Every member a schema declares, through allOf/anyOf/oneOf; None for a free-form object."""
    schema = deref(schema)
    parts = [deref(p) for key in ("allOf", "anyOf", "oneOf") for p in schema.get(key, [])]
    if "properties" not in schema and not any("properties" in p or "allOf" in p for p in parts):
        return None
    declared = dict(schema.get("properties", {}))
    for part in parts:
        declared.update(declared_properties(part) or {})
    return declared


def operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every (method, path, operation object) in document order."""
    for path, item in _load()["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield method.upper(), path, item[method]


def operation_by_id(operation_id: str) -> tuple[str, str, dict[str, Any]]:
    for method, path, operation in operations():
        if operation["operationId"] == operation_id:
            return method, path, operation
    raise KeyError(operation_id)


def _rebase_refs(node: Any) -> Any:
    """Point local `#/...` refs at the registered spec resource so nested schemas resolve."""
    if isinstance(node, dict):
        return {
            key: (
                SPEC_URI + value if key == "$ref" and value.startswith("#") else _rebase_refs(value)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rebase_refs(item) for item in node]
    return node
