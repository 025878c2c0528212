"""Campaign templates, their schedules, and generating a campaign from a template."""

from __future__ import annotations

import copy
from typing import Any

from emulator.domain import campaigns
from emulator.domain.campaign_rules import check_campaign_rules
from emulator.domain.clock import format_timestamp
from emulator.domain.collection_query import CollectionParams, run_collection_query
from emulator.domain.contract_checks import check_against_schema, declared_only
from emulator.domain.durations import add_duration, parse_duration
from emulator.domain.errors import InvalidRequest, NotFound
from emulator.domain.json_patch import apply_json_patch
from emulator.domain.placeholders import format_placeholders
from emulator.domain.tenant import SCHEDULE, TEMPLATE, Document, Tenant
from spec import facts

PATCHABLE = frozenset(facts.patchable("patchCampaignTemplate"))
FILTER_FIELDS = {
    field: frozenset(ops) for field, ops in facts.filterable("getCampaignTemplates").items()
}
SORT_FIELDS = frozenset(facts.sortable("getCampaignTemplates"))
_READ_ONLY = frozenset(facts.read_only_members("CampaignTemplate"))


def find_template(tenant: Tenant, template_id: str) -> Document:
    document = tenant.get(TEMPLATE, template_id)
    if document is None:
        raise NotFound("Campaign template", template_id)
    return document


def _check_template(template: Document) -> None:
    check_campaign_rules(template["campaign"], where="campaign.")
    duration = template.get("deadlineDuration")
    if duration is not None:
        try:
            parse_duration(duration)
        except ValueError as error:
            raise InvalidRequest(str(error), field="deadlineDuration") from error


def _stored_campaign(campaign: Document) -> Document:
    """A template's campaign keeps only what a create accepts (read-only members dropped)."""
    kept = {k: v for k, v in campaign.items() if k not in campaigns.READ_ONLY_FIELDS}
    kept.setdefault("description", None)
    return {**campaigns.DEFAULTS, **kept}


def create(tenant: Tenant, body: Document, owner: Document) -> Document:
    """ownerRef is the calling identity; created is now; modified is null; not scheduled."""
    body = declared_only("CampaignTemplate", body)
    template = {k: copy.deepcopy(v) for k, v in body.items() if k not in _READ_ONLY}
    template["campaign"] = _stored_campaign(template["campaign"])
    _check_template(template)
    template.setdefault("name", template["campaign"].get("name"))
    template.setdefault("description", template["campaign"].get("description") or "")
    template.update(
        id=campaigns.new_id(),
        created=format_timestamp(tenant.now()),
        modified=None,
        scheduled=False,
        ownerRef=dict(owner),
    )
    tenant.put(TEMPLATE, template["id"], template)
    return copy.deepcopy(template)


def get(tenant: Tenant, template_id: str) -> Document:
    return copy.deepcopy(find_template(tenant, template_id))


def list_templates(tenant: Tenant, params: CollectionParams) -> tuple[list[Document], int]:
    items, total = run_collection_query(
        tenant.all(TEMPLATE), params, filter_fields=FILTER_FIELDS, sort_fields=SORT_FIELDS
    )
    return copy.deepcopy(items), total


def patch(tenant: Tenant, template_id: str, operations: list[Document]) -> Document:
    template = find_template(tenant, template_id)

    def may_change(tokens: list[str]) -> bool:
        if not tokens or tokens[0] not in PATCHABLE:
            return False
        # Inside the campaign, only the members a create accepts may change.
        return (
            tokens[0] != "campaign"
            or len(tokens) == 1
            or (tokens[1] not in campaigns.READ_ONLY_FIELDS)
        )

    patched = apply_json_patch(template, operations, may_change)
    check_against_schema("CampaignTemplate", patched, tenant.answers)
    patched = declared_only("CampaignTemplate", patched)
    patched["campaign"] = _stored_campaign(patched["campaign"])
    _check_template(patched)
    patched["modified"] = format_timestamp(tenant.now())
    tenant.put(TEMPLATE, template_id, patched)
    return copy.deepcopy(patched)


def delete(tenant: Tenant, template_id: str) -> None:
    """Deleting a template deletes its schedule too."""
    find_template(tenant, template_id)
    tenant.remove(TEMPLATE, template_id)
    tenant.remove(SCHEDULE, template_id)


def get_schedule(tenant: Tenant, template_id: str) -> Document:
    find_template(tenant, template_id)
    schedule = tenant.get(SCHEDULE, template_id)
    if schedule is None:
        raise NotFound("Schedule of campaign template", template_id)
    return copy.deepcopy(schedule)


def set_schedule(tenant: Tenant, template_id: str, schedule: Document | None) -> None:
    """Set, or overwrite, the schedule; the template then reports scheduled=true."""
    template = find_template(tenant, template_id)
    if schedule is None:
        raise InvalidRequest("a Schedule body is required to set a schedule", field="body")
    tenant.put(SCHEDULE, template_id, declared_only("Schedule", copy.deepcopy(schedule)))
    tenant.put(TEMPLATE, template_id, {**template, "scheduled": True})


def delete_schedule(tenant: Tenant, template_id: str) -> None:
    template = find_template(tenant, template_id)
    if tenant.remove(SCHEDULE, template_id) is None:
        raise NotFound("Schedule of campaign template", template_id)
    tenant.put(TEMPLATE, template_id, {**template, "scheduled": False})


def generate(tenant: Tenant, template_id: str) -> Document:
    """Create a campaign from the template; answer a CampaignReference.

    Placeholders in the campaign's name and description are java.util.Formatter date/time
    conversions of the generation time; the deadline is now plus deadlineDuration.
    """
    template = find_template(tenant, template_id)
    now = tenant.now()
    body: dict[str, Any] = copy.deepcopy(template["campaign"])
    body["name"] = format_placeholders(body["name"], now)
    if body.get("description") is not None:
        body["description"] = format_placeholders(body["description"], now)
    if template.get("deadlineDuration"):
        deadline = add_duration(now, parse_duration(template["deadlineDuration"]))
        body["deadline"] = format_timestamp(deadline)
    created = campaigns.create(tenant, body)
    return {
        "id": created["id"],
        "name": created["name"],
        "type": "CAMPAIGN",
        "campaignType": created["type"],
        "description": created["description"],
        "correlatedStatus": created["correlatedStatus"],
        "mandatoryCommentRequirement": created["mandatoryCommentRequirement"],
    }
