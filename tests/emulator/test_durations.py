"""Tests for ISO-8601 template deadline durations."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.domain.durations import IsoDuration, add_duration, format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P2W", IsoDuration(weeks=2)),
        ("P14D", IsoDuration(days=14)),
        ("P1M", IsoDuration(months=1)),
        ("PT36H", IsoDuration(hours=36)),
        ("P1Y2M3DT4H5M6S", IsoDuration(1, 2, 0, 3, 4, 5, 6)),
        ("PT0S", IsoDuration()),
        ("P1Y2W", IsoDuration(years=1, weeks=2)),
        ("PT5M", IsoDuration(minutes=5)),
    ],
)
def test_parse(text: str, expected: IsoDuration) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "", "P", "PT", "P1YT", "-P1D", "P-1D", "p1d", "P1d", "pt1h", "PT1h", "P1H", "PT1D",
        "P1.5D", "PT0.5S", " P1D", "P1D ", "1D", "P1D1Y", "P1M1Y", "PT1S1M", "P1W1Y",
        "P\u0661D", "P1Y1Y", "garbage",
    ],
)  # fmt: skip
def test_rejects_invalid_text(text: str) -> None:
    with pytest.raises(ValueError, match="Invalid ISO-8601 duration") as info:
        parse_duration(text)
    assert repr(text) in str(info.value)


def test_negative_components_are_rejected_by_the_dataclass() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        IsoDuration(days=-1)


@pytest.mark.parametrize(
    ("start", "text", "expected"),
    [
        (datetime(2021, 1, 31, 12, tzinfo=UTC), "P1M", datetime(2021, 2, 28, 12, tzinfo=UTC)),
        (datetime(2024, 1, 31, tzinfo=UTC), "P1M", datetime(2024, 2, 29, tzinfo=UTC)),
        (datetime(2024, 2, 29, tzinfo=UTC), "P1Y", datetime(2025, 2, 28, tzinfo=UTC)),
        (datetime(2021, 3, 31, tzinfo=UTC), "P1M1D", datetime(2021, 5, 1, tzinfo=UTC)),
        (datetime(2021, 11, 30, tzinfo=UTC), "P3M", datetime(2022, 2, 28, tzinfo=UTC)),
        (datetime(2021, 1, 1, tzinfo=UTC), "P2W", datetime(2021, 1, 15, tzinfo=UTC)),
        (datetime(2021, 1, 1, tzinfo=UTC), "PT36H", datetime(2021, 1, 2, 12, tzinfo=UTC)),
        (
            datetime(2020, 1, 31, tzinfo=UTC),
            "P1Y2M3DT4H5M6S",
            datetime(2021, 4, 3, 4, 5, 6, tzinfo=UTC),
        ),
        (datetime(2021, 1, 1), "P1DT1H", datetime(2021, 1, 2, 1)),
    ],
)
def test_add_duration(start: datetime, text: str, expected: datetime) -> None:
    assert add_duration(start, parse_duration(text)) == expected


def test_days_keep_wall_clock_but_hours_are_elapsed_time_across_dst() -> None:
    new_york = ZoneInfo("America/New_York")
    before_dst = datetime(2021, 3, 13, 12, tzinfo=new_york)
    assert add_duration(before_dst, parse_duration("P1D")) == datetime(
        2021, 3, 14, 12, tzinfo=new_york
    )
    later = add_duration(before_dst, parse_duration("PT24H"))
    assert (later.hour, later.day) == (13, 14)
    assert later.tzinfo is new_york


def test_out_of_range_raises_overflow_error() -> None:
    with pytest.raises(OverflowError):
        add_duration(datetime(9999, 6, 1, tzinfo=UTC), parse_duration("P1Y"))
    with pytest.raises(OverflowError):
        add_duration(datetime(2000, 1, 1, tzinfo=UTC), parse_duration("P99999999999D"))


def test_format_duration() -> None:
    assert format_duration(IsoDuration(weeks=2)) == "P2W"
    assert format_duration(IsoDuration(hours=36)) == "PT36H"
    assert format_duration(IsoDuration(1, 2, 0, 3, 4, 5, 6)) == "P1Y2M3DT4H5M6S"
    assert format_duration(IsoDuration()) == "P0D"


COMPONENT = st.integers(min_value=0, max_value=10**6)
DURATIONS = st.builds(IsoDuration, *([COMPONENT] * 7))


@given(DURATIONS)
def test_format_then_parse_round_trips(duration: IsoDuration) -> None:
    assert parse_duration(format_duration(duration)) == duration


@given(st.from_regex(r"P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?", fullmatch=True))
def test_parse_then_format_is_canonical(text: str) -> None:
    try:
        duration = parse_duration(text)
    except ValueError:
        return
    assert parse_duration(format_duration(duration)) == duration


@given(st.text(max_size=12))
def test_parse_accepts_or_raises_value_error(text: str) -> None:
    try:
        parse_duration(text)
    except ValueError as error:
        assert repr(text) in str(error)


@given(
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31)),
    st.integers(min_value=0, max_value=120),
)
def test_month_addition_never_moves_backwards_and_lands_in_target_month(
    start: datetime, months: int
) -> None:
    result = add_duration(start, IsoDuration(months=months))
    assert result >= start
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    assert result.day <= start.day
