"""RFC 6902 JSON Patch documents for campaigns (per status) and templates."""

from __future__ import annotations

from datetime import datetime

from hypothesis import strategies as st

from strategies.campaigns import future_deadlines, names
from strategies.durations import durations

_STAGED = [
    "name",
    "description",
    "recommendationsEnabled",
    "deadline",
    "emailNotificationEnabled",
    "autoRevokeAllowed",
]
PATCHABLE_BY_STATUS = {"STAGED": _STAGED, "ACTIVE": ["deadline"]}


def _value(field: str, now: datetime | None, name_prefix: str) -> st.SearchStrategy:
    if field == "deadline":
        return future_deadlines(now)
    if field == "name":
        return names(name_prefix)
    if field == "description":
        return st.text(max_size=40)
    return st.booleans()


@st.composite
def campaign_patches(
    draw, status: str, now: datetime | None = None, name_prefix: str = ""
) -> list[dict]:
    """Operations touching only fields `status` lets a PATCH change, with well-typed values."""
    fields = draw(
        st.lists(st.sampled_from(PATCHABLE_BY_STATUS[status]), min_size=1, max_size=3, unique=True)
    )
    return [
        {
            "op": draw(st.sampled_from(["replace", "add"])),
            "path": f"/{field}",
            "value": draw(_value(field, now, name_prefix)),
        }
        for field in fields
    ]


def forbidden_campaign_patches(status: str) -> st.SearchStrategy[list[dict]]:
    """One operation on a field `status` does not let a PATCH change."""
    forbidden = ["type", "status", "id", "created", "sunsetCommentsRequired", "filter"]
    forbidden += [f for f in _STAGED if f not in PATCHABLE_BY_STATUS.get(status, [])]
    return st.sampled_from(forbidden).map(
        lambda field: [{"op": "replace", "path": f"/{field}", "value": "X"}]
    )


@st.composite
def template_patches(draw, name_prefix: str = "") -> list[dict]:
    """Operations on name, description, deadlineDuration or a create-time campaign member."""
    choices = {
        "/name": names(name_prefix),
        "/description": st.text(max_size=40),
        "/deadlineDuration": durations(),
        "/campaign/description": st.text(max_size=40),
        "/campaign/emailNotificationEnabled": st.booleans(),
        "/campaign/autoRevokeAllowed": st.booleans(),
    }
    paths = draw(st.lists(st.sampled_from(sorted(choices)), min_size=1, max_size=3, unique=True))
    # "add" sets a member whether or not the template has it yet (RFC 6902 §4.1).
    return [{"op": "add", "path": path, "value": draw(choices[path])} for path in paths]


def malformed_patches() -> st.SearchStrategy[tuple[object, str]]:
    return st.sampled_from(
        [
            ({"op": "replace", "path": "/name", "value": "x"}, "not a list"),
            ([{"op": "rename", "path": "/name", "value": "x"}], "unknown op"),
            ([{"op": "replace", "value": "x"}], "missing path"),
            ([{"op": "replace", "path": "/name"}], "add/replace need a value"),
            ([{"op": "replace", "path": "/name", "value": None}], "value cannot be null"),
            ([{"op": "replace", "path": "/name", "value": 1.5}], "value types are documented"),
        ]
    )
