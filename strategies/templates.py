"""Campaign templates (with placeholder names) and their schedules."""

from __future__ import annotations

from hypothesis import strategies as st

from strategies.campaigns import campaign_bodies, names
from strategies.durations import durations
from strategies.placeholders import placeholder_text


@st.composite
def template_bodies(draw, name_prefix: str = "") -> dict:
    """A template whose campaign is valid for its type (no deadline: generation sets it) and
    whose campaign name and description may carry java.util.Formatter placeholders."""
    campaign = draw(campaign_bodies(name_prefix=name_prefix))
    campaign.pop("deadline", None)
    campaign["name"] = (name_prefix + draw(placeholder_text()))[:128] or name_prefix + "c"
    body = {
        "name": draw(names(name_prefix)),
        "description": draw(st.text(max_size=40)),
        "campaign": campaign,
    }
    if draw(st.booleans()):
        body["deadlineDuration"] = draw(durations())
    return body


def _selection(values: st.SearchStrategy[str]) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {
            "type": st.sampled_from(["LIST", "RANGE"]),
            "values": st.lists(values, min_size=1, max_size=4),
        },
        optional={"interval": st.integers(1, 12)},
    )


def schedules() -> st.SearchStrategy[dict]:
    """A Schedule: type and hours required; days, months, expiration, timeZoneId optional."""
    return st.fixed_dictionaries(
        {
            "type": st.sampled_from(["WEEKLY", "MONTHLY", "ANNUALLY", "CALENDAR"]),
            "hours": _selection(st.integers(0, 23).map(str)),
        },
        optional={
            "days": _selection(st.sampled_from(["MON", "TUE", "WED", "1", "15", "L"])),
            "months": _selection(st.integers(1, 12).map(str)),
            "expiration": st.one_of(st.none(), st.just("2030-01-23T04:56:07.000Z")),
            "timeZoneId": st.sampled_from(["CST", "UTC", "Europe/Paris"]),
        },
    )


def invalid_schedules() -> st.SearchStrategy[tuple[dict, str]]:
    base = {"type": "WEEKLY", "hours": {"type": "LIST", "values": ["1"]}}
    return st.sampled_from(
        [
            ({"hours": base["hours"]}, "type is required"),
            ({"type": "WEEKLY"}, "hours is required"),
            ({**base, "type": "DAILY"}, "type is WEEKLY, MONTHLY, ANNUALLY or CALENDAR"),
            ({**base, "hours": {"type": "LIST"}}, "values is required"),
            ({**base, "hours": {"type": "EVERY", "values": ["1"]}}, "LIST or RANGE"),
            ({**base, "expiration": "soon"}, "expiration is a date-time"),
        ]
    )
