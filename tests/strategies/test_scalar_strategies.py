"""Durations, time-zone offsets, names and future date-times."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from strategy_checks import NOW, TIME_ZONE, draw_once, errors, parse_date_time

from emulator.domain.durations import add_duration, parse_duration
from strategies import (
    durations,
    future_date_times,
    invalid_durations,
    invalid_time_zones,
    names,
    time_zones,
)

# ISO 8601-1 durations written out independently of both the strategy and the emulator:
# weeks alone, or date and time components in order, at least one, ASCII digits only.
ISO_DURATION = re.compile(
    r"P(?:[0-9]+W|(?=[0-9]|T[0-9])(?:[0-9]+Y)?(?:[0-9]+M)?(?:[0-9]+D)?"
    r"(?:T(?=[0-9])(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+S)?)?)"
)


@settings(max_examples=80)
@given(duration=durations())
def test_durations_are_iso_8601_and_parse(duration):
    assert ISO_DURATION.fullmatch(duration), duration
    assert not re.search(r"(?<![0-9])0", duration), "no zero components, no leading zeros"
    parsed = parse_duration(duration)
    assert add_duration(NOW, parsed) > NOW


@settings(max_examples=80)
@given(text=invalid_durations())
def test_invalid_durations_are_refused(text):
    assert not ISO_DURATION.fullmatch(text)
    with pytest.raises(ValueError):
        parse_duration(text)


@settings(max_examples=60)
@given(zone=time_zones())
def test_time_zones_match_the_spec_pattern(zone):
    assert not errors(TIME_ZONE, zone)


@settings(max_examples=60)
@given(text=invalid_time_zones())
def test_invalid_time_zones_do_not_match_the_spec_pattern(text):
    assert errors(TIME_ZONE, text)


@settings(max_examples=60)
@given(name=names("run-7f3a "))
def test_names_carry_the_prefix_and_fit(name):
    assert name.startswith("run-7f3a ")
    assert name.strip() and len(name) <= 128
    assert name.isprintable()


@settings(max_examples=60)
@given(moment=future_date_times(NOW))
def test_future_date_times_are_utc_milliseconds_at_least_two_days_ahead(moment):
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", moment)
    assert NOW + timedelta(days=2) <= parse_date_time(moment) <= NOW + timedelta(days=365)


@settings(max_examples=5)
@given(moment=future_date_times())
def test_without_now_the_wall_clock_is_read_at_draw_time(moment):
    assert parse_date_time(moment) > datetime.now(UTC) + timedelta(days=1)


def test_a_naive_now_is_refused():
    with pytest.raises(ValueError):
        draw_once(future_date_times(datetime(2031, 1, 1)))
