"""The facts the strategies need, from `spec.facts`, so no enum or field list is re-typed.

Every value is copied out of the spec into immutable containers: the spec module caches its
parsed YAML, and a strategy must never be able to change what the validators see.
"""

from __future__ import annotations

from spec.facts import (
    declared_members,
    filterable,
    info_members,
    member_schema,
    members_of_type,
    patchable,
    patchable_by_status,
    sortable,
)
from spec.facts import enum as member_enum

__all__ = [
    "CAMPAIGN_STATUSES",
    "CAMPAIGN_TYPES",
    "COMMENT_REQUIREMENTS",
    "CORRELATED_STATUSES",
    "PATCH_OPERATIONS",
    "declared_members",
    "filterable",
    "info_members",
    "member_enum",
    "member_schema",
    "members_of_type",
    "patchable",
    "patchable_by_status",
    "sortable",
]

CAMPAIGN_TYPES: tuple[str, ...] = member_enum("CampaignType")
CAMPAIGN_STATUSES: tuple[str, ...] = member_enum("SlimCampaign", "status")
CORRELATED_STATUSES: tuple[str, ...] = member_enum("SlimCampaign", "correlatedStatus")
COMMENT_REQUIREMENTS: tuple[str, ...] = member_enum("Campaign", "mandatoryCommentRequirement")
PATCH_OPERATIONS: tuple[str, ...] = member_enum("JsonPatchOperation", "op")
