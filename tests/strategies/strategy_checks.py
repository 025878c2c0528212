"""Independent checks of what the strategies promise: validators from spec/, and the
documents' cross-field sentences written out once more, without reusing strategies/ code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import spec

CAMPAIGN = spec.component_validator("Campaign", "request")
TEMPLATE = spec.component_validator("CampaignTemplate", "request")
SCHEDULE = spec.component_validator("Schedule", "request")
PATCH = spec.validator_for(
    {"type": "array", "items": {"$ref": "#/components/schemas/JsonPatchOperation"}}, "request"
)
TIME_ZONE = spec.validator_for(
    spec.resolve("#/components/schemas/ActivateCampaignOptions")["properties"]["timeZone"],
    "request",
)
# A fixed "now" far from the wall clock, so a strategy that ignores `now` is caught.
NOW = datetime(2031, 5, 17, 9, 30, tzinfo=UTC)
_INFO = {
    "sourceOwnerCampaignInfo": "SOURCE_OWNER",
    "searchCampaignInfo": "SEARCH",
    "roleCompositionCampaignInfo": "ROLE_COMPOSITION",
}


def draw_once(strategy: st.SearchStrategy) -> Any:
    """One value of `strategy`, drawn the way tests draw (errors in the strategy propagate)."""
    drawn = []

    @settings(max_examples=1, database=None)
    @given(strategy)
    def draw(value: Any) -> None:
        drawn.append(value)

    draw()
    return drawn[0]


def errors(validator: Any, value: Any) -> list[str]:
    return [error.message for error in validator.iter_errors(value)]


def parse_date_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def campaign_rule_problems(body: dict, now: datetime = NOW) -> list[str]:
    """The documents' sentences about one campaign body that a schema cannot fully say."""
    problems = []
    kind = body["type"]
    for member, owner in _INFO.items():
        if member in body and kind != owner:
            problems.append(f"{member} on a {kind} campaign")
    if not body["name"].strip() or len(body["name"]) > 128:
        problems.append("name blank or longer than 128")
    search = body.get("searchCampaignInfo")
    if kind == "SEARCH":
        scope = [key for key in ("query", "identityIds") if (search or {}).get(key)]
        if len(scope) != 1:
            problems.append(f"SEARCH scope is {scope}, not exactly one of query/identityIds")
        if len((search or {}).get("identityIds", [])) > 1000:
            problems.append("more than 1000 identityIds")
        for constraint in (search or {}).get("accessConstraints", []):
            if ("ids" in constraint) != (constraint.get("operator") == "SELECTED"):
                problems.append(f"access constraint ids/operator mismatch: {constraint}")
    role = body.get("roleCompositionCampaignInfo")
    if kind == "ROLE_COMPOSITION":
        if not role or (role.get("remediatorRef") or {}).get("type") != "IDENTITY":
            problems.append("ROLE_COMPOSITION without an IDENTITY remediatorRef")
        elif "roleIds" in role and "query" in role:
            problems.append("both roleIds and query")
    if body.get("correlatedStatus") == "UNCORRELATED" and kind != "SOURCE_OWNER":
        problems.append("UNCORRELATED on a campaign that is not SOURCE_OWNER")
    if "deadline" in body and parse_date_time(body["deadline"]) < now + timedelta(days=1):
        problems.append(f"deadline {body['deadline']} is not well after {now}")
    return problems
