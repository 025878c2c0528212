"""Campaign create bodies for every documented type, and invalid ones with their reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

CAMPAIGN_TYPES = ["MANAGER", "SOURCE_OWNER", "SEARCH", "ROLE_COMPOSITION"]
_ID = st.text("0123456789abcdef", min_size=32, max_size=32)
_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=40)


def names(prefix: str = "") -> st.SearchStrategy[str]:
    """Non-blank names of at most 128 characters, starting with `prefix` (e.g. a run id)."""
    return _TEXT.filter(lambda text: text.strip()).map(lambda text: (prefix + text)[:128])


def future_deadlines(now: datetime | None = None) -> st.SearchStrategy[str]:
    """RFC 3339 date-times 1 to 365 days after `now`, in UTC with milliseconds."""
    start = now or datetime.now(UTC)
    return st.integers(1, 365 * 24).map(
        lambda hours: (
            (start + timedelta(hours=hours))
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z")
        )
    )


def _reviewer() -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {"type": st.sampled_from(["IDENTITY", "GOVERNANCE_GROUP"]), "id": _ID},
        optional={"name": _TEXT},
    )


def _access_constraint() -> st.SearchStrategy[dict]:
    selected = st.fixed_dictionaries(
        {
            "type": st.sampled_from(["ENTITLEMENT", "ACCESS_PROFILE", "ROLE"]),
            "operator": st.just("SELECTED"),
            "ids": st.lists(_ID, min_size=1, max_size=3),
        }
    )
    everything = st.fixed_dictionaries(
        {
            "type": st.sampled_from(["ENTITLEMENT", "ACCESS_PROFILE", "ROLE"]),
            "operator": st.just("ALL"),
        }
    )
    return st.one_of(selected, everything)


def _search_info() -> st.SearchStrategy[dict]:
    """One of query or identityIds is set (<= 1000 ids); accessConstraints ids only if SELECTED."""
    scope = st.one_of(
        st.fixed_dictionaries({"query": _TEXT.filter(str.strip)}),
        st.fixed_dictionaries({"identityIds": st.lists(_ID, min_size=1, max_size=20)}),
    )
    extra = st.fixed_dictionaries(
        {},
        optional={
            "type": st.sampled_from(["IDENTITY", "ACCESS"]),
            "description": _TEXT,
            "reviewer": _reviewer(),
            "accessConstraints": st.lists(_access_constraint(), max_size=3),
        },
    )
    return st.tuples(scope, extra).map(lambda pair: {**pair[1], **pair[0]})


def _role_info() -> st.SearchStrategy[dict]:
    """remediatorRef is required and an IDENTITY; at most one of roleIds and query."""
    remediator = st.fixed_dictionaries(
        {"type": st.just("IDENTITY"), "id": _ID}, optional={"name": _TEXT}
    )
    scope = st.one_of(
        st.just({}),
        st.fixed_dictionaries({"roleIds": st.lists(_ID, max_size=5)}),
        st.fixed_dictionaries({"query": _TEXT}),
    )
    return st.tuples(
        remediator,
        scope,
        st.fixed_dictionaries({}, optional={"reviewer": _reviewer(), "description": _TEXT}),
    ).map(lambda parts: {"remediatorRef": parts[0], **parts[1], **parts[2]})


_TYPE_INFO = {
    "MANAGER": st.just({}),
    "SOURCE_OWNER": st.fixed_dictionaries(
        {},
        optional={
            "sourceOwnerCampaignInfo": st.fixed_dictionaries(
                {"sourceIds": st.lists(_ID, max_size=5)}
            )
        },
    ),
    "SEARCH": _search_info().map(lambda info: {"searchCampaignInfo": info}),
    "ROLE_COMPOSITION": _role_info().map(lambda info: {"roleCompositionCampaignInfo": info}),
}


@st.composite
def campaign_bodies(
    draw, campaign_type: str | None = None, name_prefix: str = "", now: datetime | None = None
) -> dict:
    """A create body valid for its type: type-specific info only on its own type (required
    where the type needs it), UNCORRELATED only for SOURCE_OWNER, a future deadline if any."""
    chosen = campaign_type or draw(st.sampled_from(CAMPAIGN_TYPES))
    body = {
        "name": draw(names(name_prefix)),
        "description": draw(st.one_of(st.none(), _TEXT)),
        "type": chosen,
        **draw(_TYPE_INFO[chosen]),
    }
    optional = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "deadline": future_deadlines(now),
                "emailNotificationEnabled": st.booleans(),
                "autoRevokeAllowed": st.booleans(),
                "recommendationsEnabled": st.booleans(),
                "sunsetCommentsRequired": st.booleans(),
                "mandatoryCommentRequirement": st.sampled_from(
                    ["ALL_DECISIONS", "REVOKE_ONLY_DECISIONS", "NO_DECISIONS"]
                ),
                "correlatedStatus": st.sampled_from(
                    ["CORRELATED", "UNCORRELATED"] if chosen == "SOURCE_OWNER" else ["CORRELATED"]
                ),
            },
        )
    )
    return {**body, **optional}


def invalid_campaign_bodies(name_prefix: str = "") -> st.SearchStrategy[tuple[dict, str]]:
    """(body, reason): each body breaks exactly one documented rule."""
    valid = campaign_bodies(campaign_type="MANAGER", name_prefix=name_prefix)
    breakers = [
        (lambda b: {k: v for k, v in b.items() if k != "name"}, "name is required"),
        (lambda b: {**b, "type": "MACHINE_ACCOUNT"}, "type is not a documented value"),
        (lambda b: {**b, "type": "SEARCH"}, "SEARCH needs query or identityIds"),
        (lambda b: {**b, "type": "ROLE_COMPOSITION"}, "ROLE_COMPOSITION needs a remediatorRef"),
        (
            lambda b: {**b, "sourceOwnerCampaignInfo": {"sourceIds": []}},
            "sourceOwnerCampaignInfo only for SOURCE_OWNER",
        ),
        (
            lambda b: {**b, "type": "SEARCH", "searchCampaignInfo": {"identityIds": ["x"] * 1001}},
            "identityIds <= 1000",
        ),
        (lambda b: {**b, "emailNotificationEnabled": "yes"}, "booleans are booleans"),
        (lambda b: {**b, "deadline": "next week"}, "deadline is a date-time"),
        (
            lambda b: {**b, "correlatedStatus": "UNCORRELATED"},
            "only SOURCE_OWNER campaigns can be Uncorrelated",
        ),
    ]
    return st.tuples(valid, st.sampled_from(breakers)).map(
        lambda pair: (pair[1][0](pair[0]), pair[1][1])
    )
