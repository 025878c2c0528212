"""The catalogue of documented rules the suite checks, and how a breach is raised as data.

Each rule has a stable id (the key reports, the diff and the project's own tests use), the
document's sentence, and where the sentence comes from. A test declares the rules it checks
with `@pytest.mark.rules("activate-only-staged", ...)`; inside it, `expect(...)` counts one
exercise of a rule and, when the server breaks it, raises `RuleBreach`: an AssertionError that
carries the rule id, the sentence, what the server did and the deciding exchange, so the
report never has to parse a message. A failure reads, in the manner of web-platform-tests,
"The document says: <sentence> The server did: <what it did>".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import requests

from conformance.judging.tally import current_tally
from reports.model import Exchange
from spec import facts

RuleKind = Literal["lifecycle", "collection", "auth", "error-shape"]

# The documents (spec/README.md; their public pages are named in spec/SOURCES.md), and the facts
# from outside them, in spec/SOURCES.md with the public source of each.
SDK = "Python SDK reference, certification-campaigns"
PATCH_TEMPLATE = "API reference, PATCH /campaign-templates/:id"
BACKGROUND_WORK = "spec/SOURCES.md#background-work"
COLLECTIONS = "spec/SOURCES.md#collections"
PUBLISHED_MODELS = "spec/SOURCES.md#published-models"


@dataclass(frozen=True)
class Rule:
    id: str
    sentence: str
    source: str
    kind: RuleKind


def _filterable(operation_id: str) -> str:
    fields = facts.filterable(operation_id)
    return "; ".join(f"{name}: {', '.join(ops)}" for name, ops in fields.items())


def _sortable(operation_id: str) -> str:
    return ", ".join(facts.sortable(operation_id))


_RULES = [
    Rule(
        "background-transitions",
        "Create, activate, complete and delete are accepted and then finish in the background "
        "(statuses PENDING -> STAGED, ACTIVATING -> ACTIVE, COMPLETING -> COMPLETED).",
        BACKGROUND_WORK,
        "lifecycle",
    ),
    Rule(
        "activate-only-staged",
        "Use this API to submit a job to activate the certified campaign with the specified "
        "ID. The campaign must be staged.",
        f"{SDK}, start-campaign",
        "lifecycle",
    ),
    Rule(
        "activate-future-deadline",
        "This date must be in the future in order to activate the campaign. If you try to "
        "activate a campaign with a deadline of today or in the past, you will receive a 400 "
        "error response.",
        f"{PATCH_TEMPLATE}, Campaign.deadline",
        "lifecycle",
    ),
    Rule(
        "complete-past-due",
        "This endpoint will run successfully for any campaigns that are past due. This "
        "endpoint will return a content error if the campaign is not past due.",
        f"{SDK}, complete-campaign",
        "lifecycle",
    ),
    Rule(
        "complete-action",
        "Default behavior is for the campaign to auto-approve upon completion, unless "
        "autoCompleteAction=REVOKE",
        f"{SDK}, complete-campaign",
        "lifecycle",
    ),
    Rule(
        "patch-staged",
        "When the campaign is in the STAGED status, you can patch these fields: name, "
        "description, recommendationsEnabled, deadline, emailNotificationEnabled, "
        "autoRevokeAllowed",
        f"{SDK}, update-campaign",
        "lifecycle",
    ),
    Rule(
        "patch-active",
        "When the campaign is in the ACTIVE status, you can patch these fields: deadline",
        f"{SDK}, update-campaign",
        "lifecycle",
    ),
    Rule(
        "patch-answer",
        "This response indicates that the PATCH operation succeeded, and the API returns the "
        "campaign's new representation. (SlimCampaign)",
        f"{SDK}, update-campaign",
        "lifecycle",
    ),
    Rule(
        "delete-campaigns",
        "Use this API to delete certification campaigns whose IDs are specified in the "
        "provided list of campaign IDs.",
        f"{SDK}, delete-campaigns",
        "lifecycle",
    ),
    Rule(
        "not-found",
        "Not Found - returned if the request URL refers to a resource or object that does not "
        "exist",
        f"{SDK}, 404 responses",
        "error-shape",
    ),
    Rule(
        "run-report",
        "Use this API to run a report for a certification campaign.",
        f"{SDK}, start-campaign-report",
        "lifecycle",
    ),
    Rule(
        "get-reports",
        "Use this API to fetch all reports for a certification campaign by campaign ID.",
        f"{SDK}, get-campaign-reports",
        "lifecycle",
    ),
    Rule(
        "reassign",
        "This API reassigns the specified certifications from one identity to another.",
        f"{SDK}, move",
        "lifecycle",
    ),
    Rule(
        "template-owner",
        "The owner of this template ... This field is automatically populated at creation "
        "time with the current user.",
        f"{PATCH_TEMPLATE}, CampaignTemplate.ownerRef",
        "lifecycle",
    ),
    Rule(
        "template-patchable",
        "The following fields are patchable: name, description, deadlineDuration, campaign "
        "(all fields that are allowed during create)",
        f"{PATCH_TEMPLATE}, request body",
        "lifecycle",
    ),
    Rule(
        "schedule-404",
        "The API returns a 404 if there is no schedule set.",
        f"{SDK}, get-campaign-template-schedule",
        "lifecycle",
    ),
    Rule(
        "schedule-overwrite",
        "If a schedule already exists, the API overwrites it with the new one.",
        f"{SDK}, set-campaign-template-schedule",
        "lifecycle",
    ),
    Rule(
        "template-scheduled",
        "Indicates if this campaign template has been scheduled.",
        f"{PATCH_TEMPLATE}, CampaignTemplate.scheduled",
        "lifecycle",
    ),
    Rule(
        "generate-placeholders",
        "Placeholders in those fields are formatted with the current date and time upon "
        "generation. Valid placeholders are the date/time conversion suffix characters "
        "supported by java.util.Formatter.",
        f"{SDK}, generate-campaign-template",
        "lifecycle",
    ),
    Rule(
        "generate-deadline",
        "When this template generates a campaign, the campaign's deadline will be the current "
        "date plus this duration.",
        f"{PATCH_TEMPLATE}, CampaignTemplate.deadlineDuration",
        "lifecycle",
    ),
    Rule(
        "template-delete",
        "Use this API to delete a certification campaign template by ID.",
        f"{SDK}, delete-campaign-template",
        "lifecycle",
    ),
    Rule(
        "reports-config",
        "Use this API to overwrite the configuration for campaign reports.",
        f"{SDK}, set-campaign-reports-config",
        "lifecycle",
    ),
    Rule(
        "filters",
        "Filtering is supported for the following fields and operators: "
        f"{_filterable('getActiveCampaigns')} (campaigns); "
        f"{_filterable('getCampaignTemplates')} (templates)",
        f"{SDK}, get-active-campaigns and get-campaign-templates, filters",
        "collection",
    ),
    Rule(
        "sorters",
        f"Sorting is supported for the following fields: {_sortable('getActiveCampaigns')} "
        f"(campaigns); {_sortable('getCampaignTemplates')} (templates)",
        f"{SDK}, get-active-campaigns and get-campaign-templates, sorters",
        "collection",
    ),
    Rule(
        "limit",
        "Max number of results to return. (limit 0..250, default 250)",
        f"{SDK}, limit; the bounds: {COLLECTIONS}",
        "collection",
    ),
    Rule(
        "count",
        "If true it will populate the X-Total-Count response header with the number of "
        "results that would be returned if limit and offset were ignored.",
        f"{SDK}, count",
        "collection",
    ),
    Rule(
        "paging",
        "Offset into the full result set. Usually specified with limit to paginate through "
        "the results.",
        f"{SDK}, offset",
        "collection",
    ),
    Rule(
        "detail",
        "Determines whether slim, or increased level of detail is provided for each campaign "
        "in the returned list. Slim is the default behavior.",
        f"{SDK}, get-active-campaigns, detail",
        "collection",
    ),
    Rule(
        "401",
        "Unauthorized - Returned if there is no authorization header, or if the JWT token is "
        'expired. ({"error": ...})',
        f"{SDK}, 401 responses",
        "auth",
    ),
    Rule(
        "403",
        "Forbidden - Returned if the user you are running as, doesn't have access to this "
        "end-point.",
        f"{SDK}, 403 responses",
        "auth",
    ),
    Rule(
        "400",
        "Client Error - Returned if the request body is invalid. (ErrorResponseDto)",
        f"{SDK}, 400 responses",
        "error-shape",
    ),
    Rule(
        "error-response-body",
        "400, 403, 404 and 500 responses return an ErrorResponseDto (detailCode, trackingId, "
        "messages, causes).",
        f"{SDK}, return types of the error responses; the members: {PUBLISHED_MODELS}",
        "error-shape",
    ),
    Rule(
        "429",
        "The Retry-After header in the response includes how long to wait before trying again.",
        f"{PATCH_TEMPLATE}, 429 response",
        "error-shape",
    ),
]
RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}
RULE_IDS: tuple[str, ...] = tuple(RULES)


class RuleBreach(AssertionError):
    """A server behaviour a documented rule forbids, as data the report reads directly."""

    def __init__(self, rule_id: str, did: str, exchange: Exchange | None = None) -> None:
        self.rule = RULES[rule_id]
        self.did = did
        self.exchange = exchange
        super().__init__(
            f"[{rule_id}] The document says: {self.rule.sentence}\nThe server did: {did}"
        )


def says(rule_id: str) -> str:
    """The document's sentence for a rule id (KeyError for an id the catalogue lacks)."""
    return RULES[rule_id].sentence


def expect(
    condition: bool,
    rule_id: str,
    did: str | requests.Response,
    *,
    response: requests.Response | None = None,
) -> None:
    """Count one exercise of `rule_id`; raise `RuleBreach` unless `condition` holds.

    `did` says what the server did; pass the deciding response itself (as `did`, or as
    `response` beside a sentence) so the report shows that exchange and no other.
    """
    if rule_id not in RULES:
        raise KeyError(f"{rule_id!r} is not in the rule catalogue (conformance/judging/rules.py)")
    if isinstance(did, requests.Response):
        response, did = did, described(did)
    current_tally().exercise(rule_id)
    if not condition:
        exchange = Exchange.from_response(response) if response is not None else None
        raise RuleBreach(rule_id, did, exchange)


def described(response: requests.Response) -> str:
    """A response, in one line: method, path, status and the start of the body."""
    request = response.request
    body: Any = response.text[:300]
    return f"{request.method} {request.path_url} -> {response.status_code} {body}"


class RuleNotExercised(RuleBreach):
    """A test that declares a rule ran to its end without checking it once: a blind spot,
    reported as a failure of that rule so no run passes a rule it never looked at."""

    def __init__(self, rule_id: str, test: str, also: list[str]) -> None:
        others = f" (nor {', '.join(also)})" if also else ""
        did = (
            f"not exercised: {test} declares this rule and ran to its end without checking "
            f"it once{others}"
        )
        super().__init__(rule_id, did)
