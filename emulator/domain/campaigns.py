"""Campaigns: create, read, list, patch, activate, complete, delete, and their background work.

Stored documents are the full Campaign representation plus a private `_meta` member (pending
work, completion options) that no response carries.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import spec
from emulator.domain import campaign_lifecycle as lifecycle
from emulator.domain.campaign_rules import check_campaign_rules
from emulator.domain.clock import format_timestamp, parse_timestamp
from emulator.domain.collection_query import CollectionParams, run_collection_query
from emulator.domain.contract_checks import check_against_schema, declared_only
from emulator.domain.errors import InvalidRequest, NotFound
from emulator.domain.json_patch import apply_json_patch
from emulator.domain.tenant import CAMPAIGN, CERTIFICATION, REPORT, Document, Tenant
from spec import facts

SLIM_FIELDS = tuple(spec.resolve("#/components/schemas/SlimCampaign")["properties"])
READ_ONLY_FIELDS = frozenset(facts.read_only_members("Campaign"))
DEFAULTS: dict[str, Any] = {
    "emailNotificationEnabled": False,
    "autoRevokeAllowed": False,
    "recommendationsEnabled": False,
    "sunsetCommentsRequired": True,
    "correlatedStatus": "CORRELATED",
    "mandatoryCommentRequirement": "NO_DECISIONS",
}


def new_id() -> str:
    return uuid.uuid4().hex


def public_view(document: Document, detail: str = "FULL") -> Document:
    """What a response shows: no private members; SLIM keeps only SlimCampaign's fields."""
    if detail == "SLIM":
        return {key: document[key] for key in SLIM_FIELDS if key in document}
    return {key: value for key, value in document.items() if not key.startswith("_")}


def find_document(tenant: Tenant, campaign_id: str) -> Document:
    document = tenant.get(CAMPAIGN, campaign_id)
    if document is None:
        raise NotFound("Campaign", campaign_id)
    return document


def _start_work(tenant: Tenant, document: Document, status: str) -> None:
    """Enter a transitional status whose background work finishes after the tenant's delay."""
    due = tenant.now() + timedelta(seconds=tenant.transition_delay)
    document["status"] = status
    document.setdefault("_meta", {})["settleAt"] = format_timestamp(due)
    tenant.put(CAMPAIGN, document["id"], document)
    tenant.schedule(due, CAMPAIGN, document["id"])


def create(tenant: Tenant, body: Document) -> Document:
    """Accept a campaign (read-only members in the body are ignored); it starts PENDING."""
    check_campaign_rules(body)
    now = format_timestamp(tenant.now())
    body = declared_only("Campaign", body)
    document = {key: value for key, value in body.items() if key not in READ_ONLY_FIELDS}
    document = {**DEFAULTS, **document}
    document.setdefault("description", None)
    document.update(
        id=new_id(),
        created=now,
        modified=now,
        totalCertifications=0,
        completedCertifications=0,
        alerts=[],
        sourcesWithOrphanEntitlements=[],
    )
    _start_work(tenant, document, lifecycle.CampaignStatus.PENDING)
    return public_view(document)


def get(tenant: Tenant, campaign_id: str, detail: str = "SLIM") -> Document:
    return public_view(find_document(tenant, campaign_id), detail)


FILTER_FIELDS = {
    field: frozenset(ops) for field, ops in facts.filterable("getActiveCampaigns").items()
}
SORT_FIELDS = frozenset(facts.sortable("getActiveCampaigns"))


def list_campaigns(
    tenant: Tenant, params: CollectionParams, detail: str
) -> tuple[list[Document], int]:
    items, total = run_collection_query(
        tenant.all(CAMPAIGN), params, filter_fields=FILTER_FIELDS, sort_fields=SORT_FIELDS
    )
    return [public_view(item, detail) for item in items], total


def update(tenant: Tenant, campaign_id: str, operations: list[Document]) -> Document:
    """Apply a JSON Patch limited to the fields the campaign's status allows; answer slim."""
    document = find_document(tenant, campaign_id)
    allowed = lifecycle.patchable_fields(document["status"])

    def may_change(tokens: list[str]) -> bool:
        return bool(tokens) and tokens[0] in allowed

    patched = apply_json_patch(public_view(document), operations, may_change)
    check_against_schema("Campaign", patched, tenant.answers)
    if "deadline" in patched:
        _parse_deadline(patched["deadline"])
    patched["modified"] = format_timestamp(tenant.now())
    patched["_meta"] = document.get("_meta", {})
    tenant.put(CAMPAIGN, campaign_id, patched)
    return public_view(patched, "SLIM")


def activate(tenant: Tenant, campaign_id: str, options: Document | None) -> None:
    """STAGED with a future deadline -> ACTIVATING -> ACTIVE (certifications are created)."""
    document, status = _begin(tenant, campaign_id, lifecycle.begin_activation)
    document.setdefault("_meta", {})["timeZone"] = (options or {}).get("timeZone", "Z")
    _start_work(tenant, document, status)


def complete(tenant: Tenant, campaign_id: str, options: Document | None) -> None:
    """ACTIVE and past due -> COMPLETING -> COMPLETED, deciding open items per the option."""
    document, status = _begin(tenant, campaign_id, lifecycle.begin_completion)
    action = (options or {}).get("autoCompleteAction", "APPROVE")
    document.setdefault("_meta", {})["autoCompleteAction"] = action
    _start_work(tenant, document, status)


def _begin(
    tenant: Tenant,
    campaign_id: str,
    transition: Callable[[str, datetime | None, datetime], str],
) -> tuple[Document, str]:
    """The campaign and the transitional status `transition` (a lifecycle.begin_* rule) moves
    it to now; 400 naming the status or the deadline when the rule refuses."""
    document = find_document(tenant, campaign_id)
    deadline = _parse_deadline(document.get("deadline"))
    try:
        return document, transition(document["status"], deadline, tenant.now())
    except lifecycle.LifecycleError as error:
        raise InvalidRequest(error.message, field=_field_of(error)) from error


def delete(tenant: Tenant, campaign_ids: list[str]) -> None:
    """Delete every listed campaign, or none of them when one does not exist."""
    for campaign_id in campaign_ids:
        find_document(tenant, campaign_id)
    for campaign_id in campaign_ids:
        tenant.remove(CAMPAIGN, campaign_id)
        for certification in certifications_of(tenant, campaign_id):
            tenant.remove(CERTIFICATION, certification["id"])
        for report in tenant.all(REPORT):
            if report["_meta"]["campaignId"] == campaign_id:
                tenant.remove(REPORT, report["id"])


def certifications_of(tenant: Tenant, campaign_id: str) -> list[Document]:
    return [c for c in tenant.all(CERTIFICATION) if c["campaignId"] == campaign_id]


def finish_work(tenant: Tenant, document: Document) -> None:
    """Background work of a campaign is done: settle its status and apply the effects."""
    settled = lifecycle.settle(document["status"])
    if settled == document["status"]:
        return
    document = copy.deepcopy(document)
    document["_meta"].pop("settleAt", None)
    if settled == lifecycle.CampaignStatus.ACTIVE:
        reviewers = _reviewers(document)
        for reviewer in reviewers:
            certification = {
                "id": new_id(),
                "campaignId": document["id"],
                "reviewer": reviewer,
                "completed": False,
                "decision": None,
                "created": format_timestamp(tenant.now()),
            }
            tenant.put(CERTIFICATION, certification["id"], certification)
        document["totalCertifications"] = len(reviewers)
    if settled == lifecycle.CampaignStatus.COMPLETED:
        action = document["_meta"].get("autoCompleteAction", "APPROVE")
        for certification in certifications_of(tenant, document["id"]):
            if not certification["completed"]:
                certification.update(completed=True, decision=action)
            # Completing the campaign signs every certification off.
            certification.update(signed=format_timestamp(tenant.now()))
            certification["modified"] = certification["signed"]
            tenant.put(CERTIFICATION, certification["id"], certification)
        document["completedCertifications"] = document["totalCertifications"]
    document["status"] = settled
    tenant.put(CAMPAIGN, document["id"], document)


def _reviewers(document: Document) -> list[Document]:
    """One certification per reviewer the campaign's scope implies (a plausible stand-in)."""
    search = document.get("searchCampaignInfo") or {}
    role = document.get("roleCompositionCampaignInfo") or {}
    chosen = search.get("reviewer") or role.get("reviewer")
    scope = {
        "MANAGER": 3,
        "SOURCE_OWNER": len((document.get("sourceOwnerCampaignInfo") or {}).get("sourceIds") or [])
        or 1,
        "SEARCH": min(len(search.get("identityIds") or []), 10) or 2,
        "ROLE_COMPOSITION": min(len(role.get("roleIds") or []), 10) or 1,
    }.get(document.get("type", ""), 1)
    if chosen:
        return [{"id": chosen.get("id"), "type": chosen.get("type", "IDENTITY")}]
    return [{"id": f"reviewer-{document['id'][:8]}-{n}", "type": "IDENTITY"} for n in range(scope)]


def _parse_deadline(value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_timestamp(value)
    except (TypeError, ValueError) as error:
        raise InvalidRequest(f"deadline is not a date-time: {value!r}", "deadline") from error


def _field_of(error: lifecycle.LifecycleError) -> str:
    return "deadline" if error.reason == "deadline" else "status"
