"""Campaign template schedules, and schedules the schema refuses.

The schema (spec/SOURCES.md) fixes only the shape. Within it, values follow the vendor's
published conventions, so a tenant reads them as intended: hours "0".."23"; WEEKLY days
"1".."7"; MONTHLY days "1".."31" or "L"; ANNUALLY months "1".."12" with days of the month;
CALENDAR days as ISO-8601 dates, LIST only; a RANGE is two distinct values, first and last
(it may wrap, as "9" to "5" does for business hours).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import strategies as st

from strategies.json_values import json_values_except
from strategies.scalars import future_date_times
from strategies.spec_facts import member_enum

SCHEDULE_TYPES = member_enum("Schedule", "type")
SELECTION_TYPES = member_enum("ScheduleSelection", "type")
TIME_ZONE_IDS = ("UTC", "America/New_York", "America/Chicago", "Europe/Paris", "Asia/Kolkata")


def _numbers(low: int, high: int) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(str)


def selections(
    values: st.SearchStrategy[str], *, ranges: bool = True, most: int = 4
) -> st.SearchStrategy[dict]:
    """A ScheduleSelection: a LIST of 1..`most` distinct values, or (if `ranges`) a RANGE of
    two values; an optional positive `interval`."""
    as_list = st.fixed_dictionaries(
        {
            "type": st.just("LIST"),
            "values": st.lists(values, min_size=1, max_size=most, unique=True),
        }
    )
    as_range = st.fixed_dictionaries(
        {"type": st.just("RANGE"), "values": st.lists(values, min_size=2, max_size=2, unique=True)}
    )
    shape = st.one_of(as_list, as_range) if ranges else as_list
    return st.builds(
        lambda selection, extra: {**selection, **extra},
        shape,
        st.fixed_dictionaries({}, optional={"interval": st.integers(1, 12)}),
    )


def _calendar_days(now: datetime | None) -> st.SearchStrategy[str]:
    def day(offset: int) -> str:
        start = (now or datetime.now(UTC)).date()
        return (start + timedelta(days=offset)).isoformat()

    return st.integers(1, 730).map(day)


def _days_for(schedule_type: str, now: datetime | None) -> st.SearchStrategy[dict]:
    if schedule_type == "WEEKLY":
        return selections(_numbers(1, 7))
    if schedule_type == "CALENDAR":
        return selections(_calendar_days(now), ranges=False)
    return selections(st.one_of(_numbers(1, 31), st.just("L")))


@st.composite
def schedules(draw: st.DrawFn, now: datetime | None = None) -> dict:
    """A Schedule: `type` and `hours` always; `days` for every type; `months` sometimes on
    ANNUALLY schedules; `expiration` absent, null or at least two days after `now`;
    `timeZoneId` absent or a canonical IANA zone id. Valid against the Schedule schema."""
    schedule_type = draw(st.sampled_from(SCHEDULE_TYPES))
    schedule = {
        "type": schedule_type,
        "hours": draw(selections(_numbers(0, 23))),
        "days": draw(_days_for(schedule_type, now)),
    }
    if schedule_type == "ANNUALLY" and draw(st.booleans()):
        schedule["months"] = draw(selections(_numbers(1, 12)))
    optional = {
        "expiration": st.none() | future_date_times(now),
        "timeZoneId": st.sampled_from(TIME_ZONE_IDS),
    }
    return {**schedule, **draw(st.fixed_dictionaries({}, optional=optional))}


_BASE = {"type": "WEEKLY", "hours": {"type": "LIST", "values": ["9"]}}
_FIXED: tuple[tuple[object, str], ...] = (
    ({"hours": _BASE["hours"]}, "type is required"),
    ({"type": "WEEKLY"}, "hours is required"),
    ({**_BASE, "type": "DAILY"}, "type is not a documented value"),
    ({**_BASE, "type": "weekly"}, "type is not a documented value"),
    ({**_BASE, "hours": {"type": "LIST"}}, "a selection needs values"),
    ({**_BASE, "hours": {"values": ["9"]}}, "a selection needs a type"),
    ({**_BASE, "hours": {"type": "EVERY", "values": ["9"]}}, "a selection is LIST or RANGE"),
    ({**_BASE, "hours": {"type": "LIST", "values": [9]}}, "selection values are strings"),
    ({**_BASE, "hours": {"type": "LIST", "values": "9"}}, "selection values are a list"),
    ({**_BASE, "hours": {**_BASE["hours"], "interval": 1.5}}, "interval is an integer"),
    ({**_BASE, "expiration": "soon"}, "expiration is a date-time"),
    ({**_BASE, "expiration": date(2030, 1, 1).isoformat()}, "expiration is a date-time"),
    ({**_BASE, "timeZoneId": 5}, "timeZoneId is a string"),
    ([_BASE], "a schedule is an object"),
)


@st.composite
def _wrong_member_type(draw: st.DrawFn) -> tuple[dict, str]:
    schedule = draw(schedules())
    member, allowed = draw(
        st.sampled_from(
            [
                ("type", ("string",)),
                ("hours", ("object",)),
                ("days", ("object",)),
                ("months", ("object", "null")),  # nullable (spec/SOURCES.md)
                ("expiration", ("string", "null")),
                ("timeZoneId", ("string",)),
            ]
        )
    )
    return {**schedule, member: draw(json_values_except(allowed))}, f"{member} has the wrong type"


def invalid_schedules() -> st.SearchStrategy[tuple[object, str]]:
    """(schedule, reason): a schedule the Schedule schema rejects, for the stated reason."""
    return st.one_of(st.sampled_from(_FIXED), _wrong_member_type())
