"""The certifications campaigns create on activation, as the neighbouring Certifications API
lists them (GET /v3/certifications) and shows one (GET /v3/certifications/{id}), read-only.

A stored certification holds what the campaign domain decides (campaign, reviewer, decision,
reassignment); everything else an IdentityCertificationDto shows is derived here from it and
its campaign, so the listing can never disagree with the campaign it belongs to.
"""

from __future__ import annotations

from typing import Any

from emulator.domain.campaigns import find_document
from emulator.domain.collection_query import CollectionParams, run_collection_query
from emulator.domain.errors import NotFound
from emulator.domain.tenant import CERTIFICATION, Document, Tenant
from spec import facts

FILTER_FIELDS = {
    field: frozenset(ops) for field, ops in facts.filterable("listIdentityCertifications").items()
}
SORT_FIELDS = frozenset(facts.sortable("listIdentityCertifications"))


def list_certifications(
    tenant: Tenant,
    params: CollectionParams,
    *,
    reviewer_identity: str | None,
    caller_identity: str,
) -> tuple[list[Document], int]:
    """Every certification of the tenant (optionally only those one reviewer holds; `me` is
    the caller), filtered, sorted and paged like any V3 collection."""
    views = [view(tenant, stored) for stored in tenant.all(CERTIFICATION)]
    if reviewer_identity is not None:
        wanted = caller_identity if reviewer_identity == "me" else reviewer_identity
        views = [v for v in views if v["reviewer"]["id"] == wanted]
    # Oldest first, so paging is stable when no sorter is given.
    views.sort(key=lambda v: (v["created"], v["id"]))
    return run_collection_query(views, params, filter_fields=FILTER_FIELDS, sort_fields=SORT_FIELDS)


def get(tenant: Tenant, certification_id: str) -> Document:
    """One certification, as the list shows it (getIdentityCertification)."""
    stored = tenant.get(CERTIFICATION, certification_id)
    if stored is None:
        raise NotFound("Certification", certification_id)
    return view(tenant, stored)


def view(tenant: Tenant, stored: Document) -> Document:
    """The IdentityCertificationDto of a stored certification."""
    campaign = find_document(tenant, stored["campaignId"])
    reviewer = _reviewer(stored["reviewer"])
    completed = bool(stored["completed"])
    created = stored.get("created") or campaign["created"]
    reassignment = stored.get("reassignment")
    return {
        "id": stored["id"],
        "name": _name(campaign, reviewer),
        "campaign": {
            "id": campaign["id"],
            "name": campaign["name"],
            "type": "CAMPAIGN",
            "campaignType": campaign["type"],
            "description": campaign.get("description"),
            "correlatedStatus": campaign["correlatedStatus"],
            "mandatoryCommentRequirement": campaign["mandatoryCommentRequirement"],
        },
        "completed": completed,
        "identitiesCompleted": 1 if completed else 0,
        "identitiesTotal": 1,
        "created": created,
        "modified": stored.get("modified") or created,
        "decisionsMade": 1 if stored.get("decision") else 0,
        "decisionsTotal": 1,
        "due": campaign.get("deadline"),
        "signed": stored.get("signed"),
        "reviewer": reviewer,
        "reassignment": _reassignment(stored["id"], campaign, reassignment),
        "hasErrors": False,
        "errorMessage": None,
        "phase": "SIGNED" if stored.get("signed") else "ACTIVE",
    }


def _reviewer(stored: Document) -> Document:
    return {
        "id": stored["id"],
        "name": stored.get("name") or stored["id"],
        "email": stored.get("email"),
        "type": stored.get("type", "IDENTITY"),
    }


def _name(campaign: Document, reviewer: Document) -> str:
    return f"{campaign['name']}: {reviewer['name']}"


def _reassignment(
    certification_id: str, campaign: Document, stored: Document | None
) -> Document | None:
    if stored is None:
        return None
    previous = _reviewer(stored["from"])
    source: dict[str, Any] = {
        "id": certification_id,
        "name": _name(campaign, previous),
        "type": "CERTIFICATION",
        "reviewer": previous,
    }
    return {"from": source, "comment": stored["comment"]}
