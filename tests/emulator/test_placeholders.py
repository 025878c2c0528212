"""Tests for template name/description date placeholders (java.util.Formatter %t suffixes)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.domain.placeholders import format_placeholders

# Saturday 2020-03-07 15:04:05.123456 UTC
AFTERNOON = datetime(2020, 3, 7, 15, 4, 5, 123456, tzinfo=UTC)
# Tuesday 2021-01-05 00:09:08 in Los Angeles (PST, -08:00)
MIDNIGHT_LA = datetime(2021, 1, 5, 0, 9, 8, tzinfo=ZoneInfo("America/Los_Angeles"))


def test_two_digit_year() -> None:
    assert format_placeholders("Campaign for %y", AFTERNOON) == "Campaign for 20"


def test_four_digit_year() -> None:
    assert format_placeholders("Campaign for %Y", AFTERNOON) == "Campaign for 2020"


@pytest.mark.parametrize(
    ("suffix", "expected"),
    [
        ("H", "15"),
        ("I", "03"),
        ("k", "15"),
        ("l", "3"),
        ("M", "04"),
        ("S", "05"),
        ("L", "123"),
        ("N", "123456000"),
        ("p", "pm"),
        ("z", "+0000"),
        ("Z", "UTC"),
        ("s", "1583593445"),
        ("Q", "1583593445123"),
        ("B", "March"),
        ("b", "Mar"),
        ("h", "Mar"),
        ("A", "Saturday"),
        ("a", "Sat"),
        ("C", "20"),
        ("Y", "2020"),
        ("y", "20"),
        ("j", "067"),
        ("m", "03"),
        ("d", "07"),
        ("e", "7"),
        ("R", "15:04"),
        ("T", "15:04:05"),
        ("r", "03:04:05 PM"),
        ("D", "03/07/20"),
        ("F", "2020-03-07"),
        ("c", "Sat Mar 07 15:04:05 UTC 2020"),
    ],
)
def test_each_suffix_in_utc(suffix: str, expected: str) -> None:
    assert format_placeholders(f"%{suffix}", AFTERNOON) == expected


@pytest.mark.parametrize(
    ("suffix", "expected"),
    [
        ("H", "00"),
        ("I", "12"),
        ("k", "0"),
        ("l", "12"),
        ("p", "am"),
        ("r", "12:09:08 AM"),
        ("z", "-0800"),
        ("Z", "PST"),
        ("s", "1609834148"),
        ("A", "Tuesday"),
        ("j", "005"),
        ("e", "5"),
        ("c", "Tue Jan 05 00:09:08 PST 2021"),
        ("L", "000"),
        ("N", "000000000"),
    ],
)
def test_each_suffix_in_a_named_zone(suffix: str, expected: str) -> None:
    assert format_placeholders(f"%{suffix}", MIDNIGHT_LA) == expected


def test_fixed_offsets() -> None:
    india = datetime(2020, 1, 1, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    assert format_placeholders("%z %Z", india) == "+0530 +05:30"
    named = datetime(2020, 1, 1, tzinfo=timezone(timedelta(hours=-8), "PST"))
    assert format_placeholders("%z %Z", named) == "-0800 PST"
    zero = datetime(2020, 1, 1, tzinfo=timezone(timedelta(0)))
    assert format_placeholders("%Z", zero) == "UTC"


def test_small_years_and_century() -> None:
    when = datetime(999, 6, 1, tzinfo=UTC)
    assert format_placeholders("%Y %y %C", when) == "0999 99 09"


def test_epoch_counts_floor_before_1970() -> None:
    when = datetime(1969, 12, 31, 23, 59, 59, 500000, tzinfo=UTC)
    assert format_placeholders("%s %Q", when) == "-1 -500"


def test_percent_escapes_and_unknown_suffixes_are_kept() -> None:
    assert format_placeholders("100%% of %Y", AFTERNOON) == "100% of 2020"
    assert format_placeholders("%%Y", AFTERNOON) == "%Y"
    assert format_placeholders("50% done %q %t %", AFTERNOON) == "50% done %q %t %"
    assert format_placeholders("%%%Y%", AFTERNOON) == "%2020%"


def test_mixed_template() -> None:
    text = "Q%m review for %B %e, %Y (%a) at %l:%M %p"
    assert format_placeholders(text, AFTERNOON) == "Q03 review for March 7, 2020 (Sat) at 3:04 pm"


def test_naive_datetime_is_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        format_placeholders("%Y", datetime(2020, 1, 1))


@given(st.text(alphabet=st.characters(blacklist_characters="%")))
def test_text_without_percent_is_unchanged(text: str) -> None:
    assert format_placeholders(text, AFTERNOON) == text


@given(st.datetimes(timezones=st.just(UTC)))
def test_composites_agree_with_their_parts(when: datetime) -> None:
    assert format_placeholders("%F", when) == format_placeholders("%Y-%m-%d", when)
    assert format_placeholders("%T", when) == when.strftime("%H:%M:%S")
    assert format_placeholders("%s", when) == str(
        int((when - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(seconds=1))
    )
