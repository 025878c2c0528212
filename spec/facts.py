"""The API's rules as data, read from the documents' contract (`certification-campaigns.yaml`).

The emulator's domain and the strategies take every field list, operator set and enum from
here, so a change in the YAML changes them together; nothing below is typed a second time.
Values are copied into immutable containers: `spec` caches its parsed YAML, and a caller must
never be able to change what the validators see. Lists keep the spec's order (generators draw
from them in a reproducible order); look-ups that only test membership take a frozenset of them.

Extension members read here (each marked with its source in the YAML, `x-source`):
`x-filterable` (a `filters` parameter: field -> operators), `x-sortable` (a `sorters`
parameter), `x-patchable` and `x-patchable-by-status` (a PATCH body), `x-sailpoint-userLevels`
(the authorities an operation accepts), `x-info-member-by-type` (the Campaign's type-specific
info members).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import spec


def _component(name: str) -> dict[str, Any]:
    return spec.resolve(f"#/components/schemas/{name}")


def _operation(operation_id: str) -> dict[str, Any]:
    _, _, operation = spec.operation_by_id(operation_id)
    return operation


def _parameter(operation_id: str, name: str) -> dict[str, Any]:
    parameters = map(spec.deref, _operation(operation_id).get("parameters", []))
    found = next((p for p in parameters if p["name"] == name), None)
    if found is None:
        raise KeyError(f"{operation_id} has no parameter {name!r}")
    return found


def _request_body(operation_id: str) -> dict[str, Any]:
    return spec.deref(_operation(operation_id)["requestBody"])


def declared_members(component: str) -> tuple[str, ...]:
    """Every member `#/components/schemas/<component>` declares (through allOf, $ref)."""
    return tuple(spec.declared_properties(_component(component)) or {})


def member_schema(component: str, member: str) -> dict[str, Any]:
    """The schema of `member` in `#/components/schemas/<component>` (through allOf, $ref)."""
    declared = spec.declared_properties(_component(component))
    if declared is None or member not in declared:
        raise KeyError(f"{component} declares no member {member!r}")
    return spec.deref(declared[member])


def enum(component: str, member: str | None = None) -> tuple[str, ...]:
    """The documented values of an enum schema, or of an enum member of a schema."""
    schema = _component(component) if member is None else member_schema(component, member)
    return tuple(schema["enum"])


def members_of_type(component: str, json_type: str) -> tuple[str, ...]:
    """The members of `#/components/schemas/<component>` whose schema has `type: json_type`."""
    declared = spec.declared_properties(_component(component)) or {}
    return tuple(
        name for name, schema in declared.items() if spec.deref(schema).get("type") == json_type
    )


def read_only_members(component: str) -> tuple[str, ...]:
    """The members a client may send but the server sets (`readOnly`, also through $ref)."""
    declared = spec.declared_properties(_component(component)) or {}
    return tuple(name for name, schema in declared.items() if spec.deref(schema).get("readOnly"))


def required_members(component: str) -> tuple[str, ...]:
    """The members `#/components/schemas/<component>` requires (through allOf)."""
    schema = _component(component)
    parts = [schema, *(spec.deref(p) for p in schema.get("allOf", []))]
    return tuple(dict.fromkeys(name for part in parts for name in part.get("required", [])))


def filterable(operation_id: str) -> Mapping[str, tuple[str, ...]]:
    """The fields a list operation's `filters` accepts, each with its operators."""
    found = _parameter(operation_id, "filters")["x-filterable"]
    return MappingProxyType({field: tuple(ops) for field, ops in found.items()})


def sortable(operation_id: str) -> tuple[str, ...]:
    """The fields a list operation's `sorters` accepts."""
    return tuple(_parameter(operation_id, "sorters")["x-sortable"])


def patchable(operation_id: str) -> tuple[str, ...]:
    """The top-level members a PATCH operation may change (`x-patchable`)."""
    return tuple(_request_body(operation_id)["x-patchable"])


def patchable_by_status(operation_id: str) -> Mapping[str, tuple[str, ...]]:
    """The members a PATCH may change in each status (`x-patchable-by-status`); a status
    that is not listed allows no change."""
    found = _request_body(operation_id)["x-patchable-by-status"]
    return MappingProxyType({status: tuple(fields) for status, fields in found.items()})


def takes_any_request(operation_id: str) -> bool:
    """True when no request to the operation can break its schema: it takes no body, and each
    of its parameters is a path parameter of any string (a path segment is always present and
    always a string). A search for a schema-invalid request to it can only end in giving up."""
    operation = _operation(operation_id)
    if "requestBody" in operation:
        return False
    for parameter in map(spec.deref, operation.get("parameters", [])):
        schema = spec.deref(parameter.get("schema", {}))
        constraints = {key for key in schema if not key.startswith("x-")} - {"type"}
        if parameter["in"] != "path" or schema.get("type") != "string" or constraints:
            return False
    return True


def authorities(operation_id: str) -> frozenset[str]:
    """The authorities of which a token needs one for the operation (else 403)."""
    return frozenset(_operation(operation_id)["x-sailpoint-userLevels"])


@dataclass(frozen=True)
class InfoMember:
    """A Campaign member that "must be set only if the campaign type is" `campaign_type`;
    `required`: a campaign of that type cannot do without it."""

    member: str
    campaign_type: str
    required: bool


def info_members() -> tuple[InfoMember, ...]:
    """The Campaign's type-specific info members (`x-info-member-by-type`), in the spec's order."""
    found = _component("Campaign")["x-info-member-by-type"]
    return tuple(
        InfoMember(entry["member"], campaign_type, bool(entry["required"]))
        for campaign_type, entry in found.items()
    )
