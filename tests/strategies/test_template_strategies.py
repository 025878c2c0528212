"""Templates, schedules and placeholder text validate against the spec and expand safely."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from strategy_checks import NOW, SCHEDULE, TEMPLATE, campaign_rule_problems, errors, parse_date_time

from emulator.domain.campaign_rules import check_campaign_rules
from emulator.domain.durations import parse_duration
from emulator.domain.placeholders import format_placeholders
from strategies import invalid_schedules, placeholder_text, schedules, template_bodies
from strategies.placeholders import SUFFIXES, expanded_size_bound

PREFIX = "run-7f3a "
# Moments whose expansions are long: long month and weekday names, a named zone, an offset.
LONG_MOMENTS = [
    datetime(2026, 9, 23, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(9999, 12, 29, 12, 0, tzinfo=timezone(timedelta(hours=-9, minutes=-30))),
    datetime(1970, 1, 1, tzinfo=timezone(timedelta(hours=14))),
]
ONLY_PLACEHOLDERS = re.compile(f"(?:[^%]|%[{SUFFIXES}%])*", re.DOTALL)


@settings(max_examples=40)
@given(body=template_bodies(name_prefix=PREFIX, now=NOW))
def test_template_bodies_are_valid(body):
    assert not errors(TEMPLATE, body)
    campaign = body["campaign"]
    assert "deadline" not in campaign
    assert body["name"].startswith(PREFIX)
    assert campaign["name"].startswith(PREFIX)
    check_campaign_rules(campaign, where="campaign.")
    if "deadlineDuration" in body:
        parse_duration(body["deadlineDuration"])
    for moment in LONG_MOMENTS:
        generated = {**campaign, "name": format_placeholders(campaign["name"], moment)}
        assert not campaign_rule_problems(generated)


@settings(max_examples=60)
@given(text=placeholder_text(max_size=60))
def test_placeholder_text_leaves_no_percent_to_chance_and_fits_once_expanded(text):
    assert text.strip()
    assert ONLY_PLACEHOLDERS.fullmatch(text)
    assert len(text) <= expanded_size_bound(text) <= 60
    for moment in LONG_MOMENTS:
        expanded = format_placeholders(text, moment)
        assert expanded.strip()
        assert len(expanded) <= 60


@given(text=placeholder_text(prefix="P-", max_size=128))
@settings(max_examples=20)
def test_placeholder_text_starts_with_its_prefix(text):
    assert text.startswith("P-")


@pytest.mark.parametrize("prefix", ["100%", "x" * 128])
def test_a_prefix_with_a_percent_or_no_room_is_refused(prefix):
    with pytest.raises(ValueError):
        placeholder_text(prefix=prefix)


@settings(max_examples=60)
@given(schedule=schedules(now=NOW))
def test_schedules_are_valid(schedule):
    assert not errors(SCHEDULE, schedule)
    assert "days" in schedule
    assert all(0 <= int(hour) <= 23 for hour in schedule["hours"]["values"])
    if schedule.get("expiration") is not None:
        assert parse_date_time(schedule["expiration"]) > NOW + timedelta(days=1)
    for part in ("hours", "days", "months"):
        selection = schedule.get(part)
        if selection and selection["type"] == "RANGE":
            assert len(selection["values"]) == 2
    if schedule["type"] == "CALENDAR":
        assert schedule["days"]["type"] == "LIST"


@settings(max_examples=40)
@given(pair=invalid_schedules())
def test_invalid_schedules_are_refused_by_the_spec(pair):
    schedule, reason = pair
    assert errors(SCHEDULE, schedule), reason
