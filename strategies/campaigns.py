"""Campaign create bodies for every documented type, valid by construction."""

from __future__ import annotations

from datetime import datetime

from hypothesis import strategies as st

from strategies.campaign_parts import campaign_filter_refs, type_specific_members
from strategies.scalars import descriptions, future_date_times, names
from strategies.spec_facts import (
    CAMPAIGN_TYPES,
    COMMENT_REQUIREMENTS,
    CORRELATED_STATUSES,
    members_of_type,
)

BOOLEAN_MEMBERS: tuple[str, ...] = members_of_type("Campaign", "boolean")


def correlated_statuses(campaign_type: str) -> st.SearchStrategy[str]:
    """The correlatedStatus values a type allows: "Only SOURCE_OWNER campaigns can be
    Uncorrelated"."""
    allowed = [
        s for s in CORRELATED_STATUSES if s != "UNCORRELATED" or campaign_type == "SOURCE_OWNER"
    ]
    return st.sampled_from(allowed)


def optional_campaign_members(
    campaign_type: str, now: datetime | None = None
) -> st.SearchStrategy[dict]:
    """Any subset of the optional create members, each well typed and allowed for the type:
    a deadline at least two days after `now`, the booleans, mandatoryCommentRequirement,
    correlatedStatus and a filter reference."""
    return st.fixed_dictionaries(
        {},
        optional={
            "deadline": future_date_times(now),
            **{member: st.booleans() for member in BOOLEAN_MEMBERS},
            "mandatoryCommentRequirement": st.sampled_from(COMMENT_REQUIREMENTS),
            "correlatedStatus": correlated_statuses(campaign_type),
            "filter": campaign_filter_refs(),
        },
    )


@st.composite
def campaign_bodies(
    draw: st.DrawFn,
    campaign_type: str | None = None,
    *,
    name_prefix: str = "",
    now: datetime | None = None,
) -> dict:
    """A createCampaign body of `campaign_type` (any documented type when None).

    Invariants: `name` is non-blank printable text of at most 128 characters starting with
    `name_prefix`; `description` is text or null; `type` is the given type; the info object
    of another type is never present, and the type's own is present whenever the type needs
    it (SEARCH: query xor identityIds, at most 1000 ids; ROLE_COMPOSITION: an IDENTITY
    remediatorRef, at most one of roleIds and query); a deadline, when present, is at least
    two days after `now` (the wall clock when None); UNCORRELATED only on SOURCE_OWNER.
    """
    chosen = campaign_type if campaign_type is not None else draw(st.sampled_from(CAMPAIGN_TYPES))
    if chosen not in CAMPAIGN_TYPES:
        raise ValueError(f"not a documented campaign type: {chosen!r}")
    return {
        "name": draw(names(name_prefix)),
        "description": draw(descriptions()),
        "type": chosen,
        **draw(type_specific_members(chosen)),
        **draw(optional_campaign_members(chosen, now)),
    }
