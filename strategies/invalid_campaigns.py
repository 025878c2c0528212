"""Campaign create bodies that break exactly one documented rule, each with its reason.

Each starts from a valid body (`campaign_bodies`) and changes one thing, so a server that
accepts it has missed that one rule. Most rules are in the schema; the few that JSON Schema
cannot say (the Campaign description lists them) are in `SCHEMA_SILENT_REASONS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hypothesis import strategies as st

from strategies.campaign_parts import (
    MAX_IDENTITY_IDS,
    access_constraints,
    ids,
    role_composition_campaign_infos,
    search_campaign_infos,
    seeded_ids,
    source_owner_campaign_infos,
)
from strategies.campaigns import BOOLEAN_MEMBERS, campaign_bodies
from strategies.json_values import json_values_except
from strategies.scalars import non_blank_text, printable_text
from strategies.spec_facts import CAMPAIGN_TYPES, COMMENT_REQUIREMENTS, CORRELATED_STATUSES

Breaker = Callable[[st.DrawFn, dict], Any]


@dataclass(frozen=True)
class _Rule:
    reason: str
    bases: tuple[str, ...]  # the campaign types a valid starting body may have
    breaks: Breaker
    schema_can_say: bool = True


def _without(member: str) -> Breaker:
    return lambda draw, body: {k: v for k, v in body.items() if k != member}


def _with(member: str, values: st.SearchStrategy) -> Breaker:
    return lambda draw, body: {**body, member: draw(values)}


def _info(member: str, change: Callable[[st.DrawFn, dict], dict]) -> Breaker:
    return lambda draw, body: {**body, member: change(draw, dict(body[member]))}


def _not_in(documented: tuple[str, ...]) -> st.SearchStrategy[str]:
    """Strings outside an enum: near misses (other case, neighbours) and arbitrary text."""
    near = [v.lower() for v in documented] + [v.title() for v in documented] + ["", "NONE"]
    return st.one_of(st.sampled_from(near), printable_text()).filter(lambda v: v not in documented)


_WRONG_TYPES: dict[str, tuple[str, ...]] = {
    "name": ("string",),
    "description": ("string", "null"),
    "type": ("string",),
    "deadline": ("string",),
    "mandatoryCommentRequirement": ("string",),
    "correlatedStatus": ("string",),
    "filter": ("object",),
    **{member: ("boolean",) for member in BOOLEAN_MEMBERS},
}
_OTHERS = {t: tuple(o for o in CAMPAIGN_TYPES if o != t) for t in CAMPAIGN_TYPES}
_ALL = CAMPAIGN_TYPES


def _search_without_scope(draw: st.DrawFn, info: dict) -> dict:
    return {k: v for k, v in info.items() if k not in ("query", "identityIds")}


def _too_many_identities(draw: st.DrawFn, info: dict) -> dict:
    count = draw(st.integers(MAX_IDENTITY_IDS + 1, MAX_IDENTITY_IDS + 5))
    info.pop("query", None)
    return {**info, "identityIds": seeded_ids(draw(st.integers(0, 2**32 - 1)), count)}


def _ids_with_operator_all(draw: st.DrawFn, info: dict) -> dict:
    ids_ = draw(st.lists(ids(), min_size=1, max_size=3))
    bad = {**draw(access_constraints()), "operator": "ALL", "ids": ids_}
    others = info.get("accessConstraints", [])
    at = draw(st.integers(0, len(others)))
    return {**info, "accessConstraints": [*others[:at], bad, *others[at:]]}


def _no_remediator(draw: st.DrawFn, info: dict) -> dict:
    return {k: v for k, v in info.items() if k != "remediatorRef"}


def _remediator_not_identity(draw: st.DrawFn, info: dict) -> dict:
    kind = draw(_not_in(("IDENTITY",)))
    return {**info, "remediatorRef": {**info["remediatorRef"], "type": kind}}


def _role_ids_and_query(draw: st.DrawFn, info: dict) -> dict:
    return {
        **info,
        "roleIds": draw(st.lists(ids(), min_size=1, max_size=3)),
        "query": draw(non_blank_text()),
    }


def _wrong_json_type(draw: st.DrawFn, body: dict) -> dict:
    member = draw(st.sampled_from(sorted(_WRONG_TYPES)))
    return {**body, member: draw(json_values_except(_WRONG_TYPES[member]))}


_RULES: tuple[_Rule, ...] = (
    _Rule("the body is not a JSON object", _ALL, lambda d, b: d(st.sampled_from([[b], "x", 42]))),
    _Rule("name is required", _ALL, _without("name")),
    _Rule("description is required", _ALL, _without("description")),
    _Rule("type is required", ("MANAGER",), _without("type")),
    _Rule("type is not a documented value", ("MANAGER",), _with("type", _not_in(CAMPAIGN_TYPES))),
    _Rule("a member has the wrong JSON type", ("MANAGER",), _wrong_json_type),
    _Rule(
        "deadline is not a date-time",
        _ALL,
        _with("deadline", st.sampled_from(["next week", "2030-13-01T00:00:00Z", "2030-01-01"])),
    ),
    _Rule(
        "mandatoryCommentRequirement is not a documented value",
        _ALL,
        _with("mandatoryCommentRequirement", _not_in(COMMENT_REQUIREMENTS)),
    ),
    _Rule(
        "correlatedStatus is not a documented value",
        _ALL,
        _with("correlatedStatus", _not_in(CORRELATED_STATUSES)),
    ),
    _Rule(
        "sourceOwnerCampaignInfo must be set only if the campaign type is SOURCE_OWNER",
        _OTHERS["SOURCE_OWNER"],
        _with("sourceOwnerCampaignInfo", source_owner_campaign_infos()),
    ),
    _Rule(
        "searchCampaignInfo must be set only if the campaign type is SEARCH",
        _OTHERS["SEARCH"],
        _with("searchCampaignInfo", search_campaign_infos()),
    ),
    _Rule(
        "searchCampaignInfo sets neither query nor identityIds",
        ("SEARCH",),
        _info("searchCampaignInfo", _search_without_scope),
    ),
    _Rule(
        "identityIds lists more than 1000 identities",
        ("SEARCH",),
        _info("searchCampaignInfo", _too_many_identities),
    ),
    _Rule(
        "accessConstraints ids are set although the operator is not SELECTED",
        ("SEARCH",),
        _info("searchCampaignInfo", _ids_with_operator_all),
    ),
    _Rule(
        "roleCompositionCampaignInfo has no remediatorRef",
        ("ROLE_COMPOSITION",),
        _info("roleCompositionCampaignInfo", _no_remediator),
    ),
    _Rule(
        "remediatorRef type is not IDENTITY",
        ("ROLE_COMPOSITION",),
        _info("roleCompositionCampaignInfo", _remediator_not_identity),
    ),
    _Rule(
        "roleCompositionCampaignInfo sets both roleIds and query",
        ("ROLE_COMPOSITION",),
        _info("roleCompositionCampaignInfo", _role_ids_and_query),
    ),
    # The rules below are sentences of the documents that the schema cannot express.
    _Rule(
        "roleCompositionCampaignInfo must be set only if the campaign type is ROLE_COMPOSITION",
        _OTHERS["ROLE_COMPOSITION"],
        _with("roleCompositionCampaignInfo", role_composition_campaign_infos()),
        schema_can_say=False,
    ),
    _Rule(
        "a SEARCH campaign needs searchCampaignInfo",
        ("SEARCH",),
        _without("searchCampaignInfo"),
        schema_can_say=False,
    ),
    _Rule(
        "a ROLE_COMPOSITION campaign needs roleCompositionCampaignInfo",
        ("ROLE_COMPOSITION",),
        _without("roleCompositionCampaignInfo"),
        schema_can_say=False,
    ),
    _Rule(
        "only SOURCE_OWNER campaigns can be UNCORRELATED",
        _OTHERS["SOURCE_OWNER"],
        _with("correlatedStatus", st.just("UNCORRELATED")),
        schema_can_say=False,
    ),
)

INVALID_CAMPAIGN_REASONS: frozenset[str] = frozenset(rule.reason for rule in _RULES)
# The reasons a schema validator cannot see; only the server's own rules catch these.
SCHEMA_SILENT_REASONS: frozenset[str] = frozenset(
    rule.reason for rule in _RULES if not rule.schema_can_say
)


@st.composite
def invalid_campaign_bodies(
    draw: st.DrawFn,
    reason: str | None = None,
    *,
    name_prefix: str = "",
    now: datetime | None = None,
) -> tuple[Any, str]:
    """(body, reason): a valid createCampaign body with exactly one documented rule broken.

    `reason` is one of `INVALID_CAMPAIGN_REASONS` (pass one to break only that rule); the
    schema rejects the body unless the reason is in `SCHEMA_SILENT_REASONS`. A name, when
    the body has one, keeps `name_prefix`.
    """
    rules = [rule for rule in _RULES if reason is None or rule.reason == reason]
    if not rules:
        raise ValueError(f"not one of INVALID_CAMPAIGN_REASONS: {reason!r}")
    rule = draw(st.sampled_from(rules))
    base_type = draw(st.sampled_from(rule.bases))
    body = draw(campaign_bodies(base_type, name_prefix=name_prefix, now=now))
    return rule.breaks(draw, body), rule.reason
