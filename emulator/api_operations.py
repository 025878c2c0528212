"""The 22 operations (and the neighbouring certifications list and get): each turns a
validated request into a call on the domain.

A handler gets the tenant, the caller and the typed request, and returns the response body
and any extra headers; the status is the operation's documented success status.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from emulator.auth import Principal
from emulator.domain import campaign_tasks, campaigns, certifications, templates
from emulator.domain.collection_query import CollectionParams
from emulator.domain.tenant import Tenant
from emulator.request_contract import ValidRequest


@dataclass(frozen=True)
class Call:
    tenant: Tenant
    principal: Principal
    request: ValidRequest

    @property
    def id(self) -> str:
        return self.request.path["id"]


Result = tuple[Any, dict[str, str]]
Handler = Callable[[Call], Result]
HANDLERS: dict[str, Handler] = {}


def operation(operation_id: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        HANDLERS[operation_id] = handler
        return handler

    return register


def _listing(call: Call, list_items: Callable[..., tuple[list, int]], **options: Any) -> Result:
    """A list operation: `list_items(tenant, collection parameters, **options)` gives the page
    and the filtered total, which count=true sends as X-Total-Count."""
    query = call.request.query
    items, total = list_items(call.tenant, CollectionParams.from_query(query), **options)
    headers = {"X-Total-Count": str(total)} if query.get("count") else {}
    return items, headers


# --- campaigns ---------------------------------------------------------------------------
@operation("createCampaign")
def create_campaign(call: Call) -> Result:
    return campaigns.create(call.tenant, call.request.body), {}


@operation("getActiveCampaigns")
def get_active_campaigns(call: Call) -> Result:
    return _listing(call, campaigns.list_campaigns, detail=call.request.query["detail"])


@operation("getCampaign")
def get_campaign(call: Call) -> Result:
    return campaigns.get(call.tenant, call.id, call.request.query["detail"]), {}


@operation("updateCampaign")
def update_campaign(call: Call) -> Result:
    return campaigns.update(call.tenant, call.id, call.request.body), {}


@operation("startCampaign")
def start_campaign(call: Call) -> Result:
    campaigns.activate(call.tenant, call.id, call.request.body)
    return {}, {}


@operation("completeCampaign")
def complete_campaign(call: Call) -> Result:
    campaigns.complete(call.tenant, call.id, call.request.body)
    return {}, {}


@operation("deleteCampaigns")
def delete_campaigns(call: Call) -> Result:
    campaigns.delete(call.tenant, call.request.body["ids"])
    return {}, {}


@operation("startCampaignReport")
def start_campaign_report(call: Call) -> Result:
    campaign_tasks.run_report(call.tenant, call.id, call.request.path["type"])
    return {}, {}


@operation("getCampaignReports")
def get_campaign_reports(call: Call) -> Result:
    return campaign_tasks.reports_of(call.tenant, call.id), {}


@operation("startCampaignRemediationScan")
def start_campaign_remediation_scan(call: Call) -> Result:
    campaign_tasks.run_remediation_scan(call.tenant, call.id)
    return {}, {}


@operation("move")
def move(call: Call) -> Result:
    caller = call.principal.client.owner_ref()["id"]
    return campaign_tasks.reassign(call.tenant, call.id, call.request.body, caller), {}


@operation("getCampaignReportsConfig")
def get_campaign_reports_config(call: Call) -> Result:
    return campaign_tasks.get_reports_config(call.tenant), {}


@operation("setCampaignReportsConfig")
def set_campaign_reports_config(call: Call) -> Result:
    return campaign_tasks.set_reports_config(call.tenant, call.request.body), {}


# --- the neighbouring Certifications API (read-only) ----------------------------------------
@operation("listIdentityCertifications")
def list_identity_certifications(call: Call) -> Result:
    return _listing(
        call,
        certifications.list_certifications,
        reviewer_identity=call.request.query["reviewer-identity"],
        caller_identity=call.principal.client.owner_ref()["id"],
    )


@operation("getIdentityCertification")
def get_identity_certification(call: Call) -> Result:
    return certifications.get(call.tenant, call.id), {}


# --- templates ---------------------------------------------------------------------------
@operation("createCampaignTemplate")
def create_campaign_template(call: Call) -> Result:
    owner = call.principal.client.owner_ref()
    return templates.create(call.tenant, call.request.body, owner), {}


@operation("getCampaignTemplates")
def get_campaign_templates(call: Call) -> Result:
    return _listing(call, templates.list_templates)


@operation("getCampaignTemplate")
def get_campaign_template(call: Call) -> Result:
    return templates.get(call.tenant, call.id), {}


@operation("patchCampaignTemplate")
def patch_campaign_template(call: Call) -> Result:
    return templates.patch(call.tenant, call.id, call.request.body), {}


@operation("deleteCampaignTemplate")
def delete_campaign_template(call: Call) -> Result:
    templates.delete(call.tenant, call.id)
    return None, {}


@operation("getCampaignTemplateSchedule")
def get_campaign_template_schedule(call: Call) -> Result:
    return templates.get_schedule(call.tenant, call.id), {}


@operation("setCampaignTemplateSchedule")
def set_campaign_template_schedule(call: Call) -> Result:
    templates.set_schedule(call.tenant, call.id, call.request.body)
    return None, {}


@operation("deleteCampaignTemplateSchedule")
def delete_campaign_template_schedule(call: Call) -> Result:
    templates.delete_schedule(call.tenant, call.id)
    return None, {}


@operation("startGenerateCampaignTemplate")
def start_generate_campaign_template(call: Call) -> Result:
    return templates.generate(call.tenant, call.id), {}
