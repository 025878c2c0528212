"""The facts the strategies need from spec/, read once so no enum or field list is re-typed.

Every value is copied out of the spec into immutable containers: the spec module caches its
parsed YAML, and a strategy must never be able to change what the validators see.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import spec


def member_schema(component: str, member: str) -> dict[str, Any]:
    """The schema of `member` in `#/components/schemas/<component>` (through allOf, $ref)."""
    declared = spec.declared_properties(spec.resolve(f"#/components/schemas/{component}"))
    if declared is None or member not in declared:
        raise KeyError(f"{component} declares no member {member!r}")
    return spec.deref(declared[member])


def member_enum(component: str, member: str) -> tuple[str, ...]:
    """The documented values of an enum member, in the spec's order."""
    return tuple(member_schema(component, member)["enum"])


def declared_members(component: str) -> tuple[str, ...]:
    """Every member `#/components/schemas/<component>` declares, in the spec's order."""
    return tuple(spec.declared_properties(spec.resolve(f"#/components/schemas/{component}")) or {})


def _request_body(operation_id: str) -> dict[str, Any]:
    _, _, operation = spec.operation_by_id(operation_id)
    return spec.deref(operation["requestBody"])


def _parameter(operation_id: str, name: str) -> dict[str, Any]:
    _, _, operation = spec.operation_by_id(operation_id)
    return next(p for p in map(spec.deref, operation["parameters"]) if p["name"] == name)


def filterable(operation_id: str) -> Mapping[str, tuple[str, ...]]:
    """The `x-filterable` fields and their operators of a list operation's `filters`."""
    found = _parameter(operation_id, "filters")["x-filterable"]
    return MappingProxyType({field: tuple(ops) for field, ops in found.items()})


def sortable(operation_id: str) -> tuple[str, ...]:
    """The `x-sortable` fields of a list operation's `sorters`."""
    return tuple(_parameter(operation_id, "sorters")["x-sortable"])


def patchable(operation_id: str) -> tuple[str, ...]:
    """The top-level members a PATCH operation's `x-patchable` lists."""
    return tuple(_request_body(operation_id)["x-patchable"])


def patchable_by_status(operation_id: str) -> Mapping[str, tuple[str, ...]]:
    """The members a PATCH may change in each status (`x-patchable-by-status`)."""
    found = _request_body(operation_id)["x-patchable-by-status"]
    return MappingProxyType({status: tuple(fields) for status, fields in found.items()})


CAMPAIGN_TYPES: tuple[str, ...] = tuple(spec.resolve("#/components/schemas/CampaignType")["enum"])
CAMPAIGN_STATUSES: tuple[str, ...] = member_enum("SlimCampaign", "status")
CORRELATED_STATUSES: tuple[str, ...] = member_enum("SlimCampaign", "correlatedStatus")
COMMENT_REQUIREMENTS: tuple[str, ...] = member_enum("Campaign", "mandatoryCommentRequirement")
PATCH_OPERATIONS: tuple[str, ...] = member_enum("JsonPatchOperation", "op")
