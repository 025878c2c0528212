"""The members of a campaign body: reviewers, access constraints and the type-specific infos.

Enums, and which info member each campaign type needs or allows, come from spec/; the
sentences the schema cannot say ("one of query or identityIds must be set", "only one of
roleIds and query") are built in by construction.
"""

from __future__ import annotations

from hypothesis import strategies as st

from strategies.scalars import ids, non_blank_text, printable_text
from strategies.spec_facts import CAMPAIGN_TYPES, info_members, member_enum, member_schema

REVIEWER_TYPES = member_enum("CampaignReviewer", "type")
ACCESS_TYPES = member_enum("AccessConstraint", "type")
SEARCH_TYPES = member_enum("SearchCampaignInfo", "type")
FILTER_TYPES = member_enum("CampaignFilterRef", "type")
MAX_IDENTITY_IDS: int = member_schema("SearchCampaignInfo", "identityIds")["maxItems"]
# Small lists find most bugs; the documented bound is drawn now and then as its own case.
_SMALL = 20


def seeded_ids(seed: int, count: int) -> list[str]:
    """`count` distinct 32-digit hex ids derived from `seed`: big lists without big draws."""
    return [f"{seed:08x}{index:024x}" for index in range(count)]


def id_lists(min_size: int = 0, max_size: int = _SMALL) -> st.SearchStrategy[list[str]]:
    """Lists of distinct ids, `min_size` to `max_size` long; lists of exactly `max_size`
    are drawn as a case of their own when that bound is beyond what random lists reach."""
    small = st.lists(ids(), min_size=min_size, max_size=min(max_size, _SMALL), unique=True)
    if max_size <= _SMALL:
        return small
    at_bound = st.integers(0, 2**32 - 1).map(lambda seed: seeded_ids(seed, max_size))
    return st.one_of(small, at_bound)


def campaign_reviewers() -> st.SearchStrategy[dict]:
    """A CampaignReviewer: an IDENTITY or GOVERNANCE_GROUP with an id, maybe a name."""
    return st.fixed_dictionaries(
        {"type": st.sampled_from(REVIEWER_TYPES), "id": ids()},
        optional={"name": printable_text()},
    )


def access_constraints() -> st.SearchStrategy[dict]:
    """An AccessConstraint with type and operator (the SDK requires both); `ids` is set, and
    non-empty, exactly when the operator is SELECTED ("must be set only if ... SELECTED")."""
    kinds = st.sampled_from(ACCESS_TYPES)
    selected = st.fixed_dictionaries(
        {"type": kinds, "operator": st.just("SELECTED"), "ids": id_lists(1, 5)}
    )
    everything = st.fixed_dictionaries({"type": kinds, "operator": st.just("ALL")})
    return st.one_of(selected, everything)


def campaign_filter_refs() -> st.SearchStrategy[dict]:
    """A CampaignFilterRef naming a filter by id and type."""
    return st.fixed_dictionaries(
        {"id": ids(), "type": st.sampled_from(FILTER_TYPES)}, optional={"name": printable_text()}
    )


def source_owner_campaign_infos() -> st.SearchStrategy[dict]:
    """A SourceOwnerCampaignInfo listing one to five source ids."""
    return st.fixed_dictionaries({"sourceIds": id_lists(1, 5)})


def search_campaign_infos() -> st.SearchStrategy[dict]:
    """A SearchCampaignInfo with exactly one of a non-blank `query` or 1..1000 `identityIds`
    (a server reads an empty one as unset); constraints and reviewer are optional."""
    scope = st.one_of(
        st.fixed_dictionaries({"query": non_blank_text()}),
        st.fixed_dictionaries({"identityIds": id_lists(1, MAX_IDENTITY_IDS)}),
    )
    extra = st.fixed_dictionaries(
        {},
        optional={
            "type": st.sampled_from(SEARCH_TYPES),
            "description": printable_text(),
            "reviewer": campaign_reviewers(),
            "accessConstraints": st.lists(access_constraints(), max_size=3),
        },
    )
    return st.builds(lambda scope, extra: {**extra, **scope}, scope, extra)


def remediator_refs() -> st.SearchStrategy[dict]:
    """A remediatorRef: type IDENTITY (the only legal type), an id and a name."""
    return st.fixed_dictionaries(
        {"type": st.just("IDENTITY"), "id": ids(), "name": non_blank_text()}
    )


def role_composition_campaign_infos() -> st.SearchStrategy[dict]:
    """A RoleCompositionCampaignInfo with its required remediatorRef and at most one of
    `roleIds` (non-empty) and a non-blank `query`; neither means every role."""
    scope = st.one_of(
        st.just({}),
        st.fixed_dictionaries({"roleIds": id_lists(1, 5)}),
        st.fixed_dictionaries({"query": non_blank_text()}),
    )
    extra = st.fixed_dictionaries(
        {}, optional={"reviewer": campaign_reviewers(), "description": printable_text()}
    )
    return st.builds(
        lambda ref, scope, extra: {"remediatorRef": ref, **scope, **extra},
        remediator_refs(),
        scope,
        extra,
    )


def machine_account_campaign_infos() -> st.SearchStrategy[dict]:
    """A MachineAccountCampaignInfo (a published-only member) listing up to two source ids."""
    return st.fixed_dictionaries({"sourceIds": st.lists(ids(), max_size=2)})


# The values of each info member, by member name.
INFO_MEMBER_VALUES = {
    "sourceOwnerCampaignInfo": source_owner_campaign_infos,
    "searchCampaignInfo": search_campaign_infos,
    "roleCompositionCampaignInfo": role_composition_campaign_infos,
    "machineAccountCampaignInfo": machine_account_campaign_infos,
}
_INFO_BY_TYPE = {info.campaign_type: info for info in info_members()}


def type_specific_members(campaign_type: str) -> st.SearchStrategy[dict]:
    """The info member `campaign_type` needs or allows, and no other type's info member.

    Read from spec/: MANAGER has none; SOURCE_OWNER's sourceOwnerCampaignInfo is optional;
    SEARCH needs searchCampaignInfo, ROLE_COMPOSITION roleCompositionCampaignInfo.
    """
    if campaign_type not in CAMPAIGN_TYPES:
        raise ValueError(f"not a documented campaign type: {campaign_type!r}")
    info = _INFO_BY_TYPE.get(campaign_type)
    if info is None:
        return st.just({})
    values = {info.member: INFO_MEMBER_VALUES[info.member]()}
    if info.required:
        return st.fixed_dictionaries(values)
    return st.fixed_dictionaries({}, optional=values)
