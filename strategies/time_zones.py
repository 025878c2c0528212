"""ISO-8601 UTC offsets, as ActivateCampaignOptions.timeZone takes them."""

from __future__ import annotations

from hypothesis import strategies as st


@st.composite
def time_zones(draw) -> str:
    """Z, ±hh, ±hh:mm or ±hhmm with hours 00..14 (the spec's pattern)."""
    if draw(st.booleans()):
        return "Z"
    sign = draw(st.sampled_from("+-"))
    hours = draw(st.integers(0, 14))
    minutes = draw(st.sampled_from([0, 15, 30, 45]))
    style = draw(st.sampled_from(["hh", "hh:mm", "hhmm"]))
    if style == "hh":
        return f"{sign}{hours:02}"
    return f"{sign}{hours:02}{':' if style == 'hh:mm' else ''}{minutes:02}"


def invalid_time_zones() -> st.SearchStrategy[str]:
    return st.sampled_from(["UTC", "EST", "+5", "+15:00", "05:00", "Z+1", "+05:60", ""])
