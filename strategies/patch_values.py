"""Well-typed values for a campaign member, as a JSON Patch operation would set it.

Every value is also a valid JsonPatchOperationValue (no null, no non-integral number), so a
patch built from them is well formed and only its path can be at fault.
"""

from __future__ import annotations

from datetime import datetime

from hypothesis import strategies as st

from strategies.campaign_parts import INFO_MEMBER_VALUES, campaign_filter_refs
from strategies.scalars import future_date_times, names, printable_text
from strategies.spec_facts import member_schema

_OBJECTS = {"filter": campaign_filter_refs, **INFO_MEMBER_VALUES}


def campaign_member_values(
    member: str, *, name_prefix: str = "", now: datetime | None = None
) -> st.SearchStrategy:
    """Values of the JSON type (and enum, and format) the Campaign schema gives `member`.

    `name` is non-blank and starts with `name_prefix`; date-times are at least two days after
    `now`; `description` is text (a patch value cannot be null).
    """
    if member == "name":
        return names(name_prefix)
    if member in _OBJECTS:
        return _OBJECTS[member]()
    schema = member_schema("Campaign", member)
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(0, 1000)
    if kind == "array":
        return st.just([])
    if kind == "string" and schema.get("format") == "date-time":
        return future_date_times(now)
    if kind == "string":
        return printable_text()
    raise ValueError(f"no value strategy for Campaign.{member} ({schema})")
