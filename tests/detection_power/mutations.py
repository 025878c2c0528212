"""Deliberately broken emulators: each mutation breaks one documented fact or rule.

A mutation patches the emulator inside the process that serves it (see `broken_emulator.py`)
and names the conformance tests that must catch it (`caught_by`, a pytest -k expression).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from starlette.responses import JSONResponse

import spec
from emulator import api_operations, app, http_errors
from emulator.domain import (
    campaign_lifecycle,
    campaign_tasks,
    campaigns,
    collection_query,
    filter_expressions,
    templates,
)
from emulator.domain.tenant import CERTIFICATION


@dataclass(frozen=True)
class Mutation:
    name: str
    breaks: str  # the documented sentence or fact
    caught_by: str  # pytest -k expression over the conformance suite
    apply: Callable[[], None]
    extra_args: tuple[str, ...] = ()


MUTATIONS: dict[str, Mutation] = {}


def mutation(name: str, breaks: str, caught_by: str, *extra: str):
    def register(apply: Callable[[], None]) -> Callable[[], None]:
        MUTATIONS[name] = Mutation(name, breaks, caught_by, apply, extra)
        return apply

    return register


def _wrap_handler(operation_id: str, change: Callable[[object], object]) -> None:
    original = api_operations.HANDLERS[operation_id]

    def handler(call):
        body, headers = original(call)
        return change(body), headers

    api_operations.HANDLERS[operation_id] = handler


def _patch_contracts(change: Callable[[dict], None]) -> None:
    original = app.load_contracts

    def load():
        contracts = original()
        change(contracts)
        return contracts

    app.load_contracts = load


@mutation("required-field-missing", "SlimCampaign: name (required)", "createCampaign and positive")
def _drop_name() -> None:
    _wrap_handler("createCampaign", lambda body: {k: v for k, v in body.items() if k != "name"})


@mutation(
    "enum-value-changed",
    "status: PENDING, STAGED, ... (STAGED reported as READY)",
    "test_campaign_lifecycle",
)
def _status_renamed() -> None:
    original = campaigns.public_view

    def view(document, detail="FULL"):
        shown = original(document, detail)
        if shown.get("status") == "STAGED":
            shown["status"] = "READY"
        return shown

    campaigns.public_view = view


@mutation("activate-not-staged", "The campaign must be staged.", "test_campaign_lifecycle")
def _activate_any_status() -> None:
    def begin(status, deadline, now):
        return campaign_lifecycle.CampaignStatus.ACTIVATING

    campaign_lifecycle.begin_activation = begin


@mutation(
    "activate-past-deadline",
    "This date must be in the future in order to activate the campaign.",
    "test_campaign_lifecycle",
)
def _activate_past_deadline() -> None:
    original = campaign_lifecycle.begin_activation

    def begin(status, deadline, now):
        return original(status, None, now)

    campaign_lifecycle.begin_activation = begin


@mutation(
    "complete-before-due",
    "This endpoint will return a content error if the campaign is not past due.",
    "test_campaign_lifecycle",
)
def _complete_any_time() -> None:
    original = campaign_lifecycle.begin_completion

    def begin(status, deadline, now):
        return original(status, now, now)

    campaign_lifecycle.begin_completion = begin


@mutation(
    "patch-name-while-active",
    "When the campaign is in the ACTIVE status, you can patch these fields: deadline",
    "test_campaign_lifecycle",
)
def _patch_name_active() -> None:
    active = campaign_lifecycle.CampaignStatus.ACTIVE
    campaign_lifecycle._PATCHABLE[active] = frozenset(
        {"deadline", "name", "description", "autoRevokeAllowed"}
    )


@mutation(
    "filter-ignored",
    "Filtering is supported for ... name: eq, sw (sw ignored)",
    "test_each_documented_filter",
)
def _sw_ignored() -> None:
    original = filter_expressions.evaluate

    def evaluate(node, item):
        if getattr(node, "op", None) == "sw" and getattr(node, "field", None) == "name":
            value = str(item.get("name") or "")
            return value.startswith(str(node.value)[:20])  # only the first 20 characters
        return original(node, item)

    filter_expressions.evaluate = evaluate
    collection_query.evaluate = evaluate


@mutation(
    "sorter-ignored", "Sorting is supported for the following fields: name, created", "test_sorters"
)
def _sorters_ignored() -> None:
    collection_query.sort_items = lambda items, keys: list(items)


@mutation("paging-off-by-one", "Offset into the full result set.", "test_pages_concatenate")
def _offset_plus_one() -> None:
    collection_query.page = lambda items, limit=250, offset=0: (
        list(items[offset + 1 : offset + 1 + limit]) if offset else list(items[:limit])
    )


@mutation("limit-unbounded", "limit 0..250 (DESIGN.md §3)", "test_count_is_the_filtered_total")
def _limit_unbounded() -> None:
    def loosen(contracts):
        for operation_id in ("getActiveCampaigns", "getCampaignTemplates"):
            contract = contracts[operation_id]
            parameters = tuple(
                dataclasses.replace(
                    p,
                    schema={"type": "integer"},
                    validator=spec.validator_for({"type": "integer"}, "request"),
                )
                if p.name == "limit"
                else p
                for p in contract.parameters
            )
            contracts[operation_id] = dataclasses.replace(contract, parameters=parameters)

    _patch_contracts(loosen)
    collection_query.validate_paging = lambda limit, offset: None


@mutation(
    "wrong-status-code",
    "createCampaign: 200 This response indicates that the "
    "requested campaign was successfully created",
    "createCampaign and positive",
)
def _created_201() -> None:
    def change(contracts):
        contracts["createCampaign"] = dataclasses.replace(
            contracts["createCampaign"], success_status=201
        )

    _patch_contracts(change)


@mutation("wrong-error-shape", "400: Client Error (ErrorResponseDto)", "test_malformed_bodies")
def _error_shape() -> None:
    original = http_errors.error_response

    def error_response(status, cause=None, headers=None):
        if status == 400:
            return JSONResponse({"message": cause}, status_code=400, headers=headers)
        return original(status, cause, headers)

    http_errors.error_response = error_response


@mutation(
    "auth-not-enforced",
    "401: Returned if there is no authorization header",
    "test_401_without_a_token and getCampaignReports",
)
def _no_auth_on_reports() -> None:
    original = app.Emulator.handle

    async def handle(self, request, by_method):
        contract = by_method.get(request.method)
        unauthenticated = b"authorization" not in dict(request.scope["headers"])
        if contract and contract.operation_id == "getCampaignReports" and unauthenticated:
            token = self.tokens.issue("conformance", "conformance-secret")["access_token"]
            request.scope["headers"].append((b"authorization", f"Bearer {token}".encode()))
        return await original(self, request, by_method)

    app.Emulator.handle = handle


@mutation(
    "authority-not-enforced",
    "403: Returned if the user you are running as, doesn't have access to this end-point.",
    "test_403",
)
def _no_authority() -> None:
    def everyone(contracts):
        for key, contract in contracts.items():
            contracts[key] = dataclasses.replace(
                contract,
                authorities=frozenset(
                    {"ORG_ADMIN", "CERT_ADMIN", "REPORT_ADMIN", "HELPDESK", "USER"}
                ),
            )

    _patch_contracts(everyone)


@mutation(
    "total-count-unfiltered",
    "X-Total-Count: the number of results that would be "
    "returned if limit and offset were ignored (after filters)",
    "test_count_is_the_filtered_total",
)
def _count_everything() -> None:
    original = collection_query.run_collection_query

    def run(items, **kwargs):
        items = list(items)
        page, _ = original(items, **kwargs)
        return page, len(items)

    campaigns.run_collection_query = run
    templates.run_collection_query = run


@mutation(
    "undocumented-field",
    "Campaign declares its members (an extra one is undocumented)",
    "createCampaign and positive",
    "--strict",
)
def _extra_member() -> None:
    _wrap_handler("createCampaign", lambda body: {**body, "internalScore": 7})


@mutation(
    "schedule-without-404",
    "The API returns a 404 if there is no schedule set.",
    "test_template_lifecycle",
)
def _schedule_always_there() -> None:
    original = templates.get_schedule

    def get_schedule(tenant, template_id):
        try:
            return original(tenant, template_id)
        except templates.NotFound:
            templates.find_template(tenant, template_id)
            return {"type": "WEEKLY", "hours": {"type": "LIST", "values": ["0"]}}

    templates.get_schedule = get_schedule


@mutation(
    "scheduled-not-following",
    "scheduled: Indicates if this campaign template has been scheduled.",
    "test_template_lifecycle",
)
def _scheduled_stale() -> None:
    def set_schedule(tenant, template_id, schedule):
        templates.find_template(tenant, template_id)
        tenant.put(templates.SCHEDULE, template_id, dict(schedule or {}))

    templates.set_schedule = set_schedule


@mutation(
    "placeholders-not-formatted",
    "Placeholders in those fields are formatted with the current date and time upon generation.",
    "test_template_lifecycle",
)
def _no_placeholders() -> None:
    templates.format_placeholders = lambda text, when: text


@mutation(
    "deleted-still-returned",
    "Use this API to delete certification campaigns whose IDs are specified",
    "test_campaign_lifecycle",
)
def _delete_nothing() -> None:
    campaigns.delete = lambda tenant, ids: [campaigns.find_document(tenant, i) for i in ids]


@mutation(
    "reports-config-not-stored",
    "Use this API to overwrite the configuration for campaign reports.",
    "test_reports_configuration_round_trips",
)
def _config_not_stored() -> None:
    campaign_tasks.set_reports_config = lambda tenant, body: {
        "identityAttributeColumns": body.get("identityAttributeColumns")
    }


@mutation(
    "reassign-foreign-certifications",
    "This API reassigns the specified certifications (of that campaign)",
    "test_campaign_lifecycle",
)
def _reassign_anything() -> None:
    campaign_tasks.certifications_of = lambda tenant, campaign_id: tenant.all(CERTIFICATION)


@mutation(
    "reports-not-listed",
    "Use this API to fetch all reports for a certification campaign by campaign ID.",
    "test_campaign_lifecycle",
)
def _reports_forgotten() -> None:
    original = campaign_tasks.reports_of
    campaign_tasks.reports_of = lambda tenant, campaign_id: original(tenant, campaign_id)[:0]
