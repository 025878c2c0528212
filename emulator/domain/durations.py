"""ISO-8601 durations as used by a campaign template's ``deadlineDuration``.

Accepted: ``P[nY][nM][nW][nD][T[nH][nM][nS]]`` with non-negative integer components, at
least one component, and at least one time component after ``T``. Weeks may be combined
with other components (as ``java.time.Period`` allows). Fractions, signs, lower-case
designators and surrounding whitespace are rejected.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta

__all__ = ["IsoDuration", "add_duration", "format_duration", "parse_duration"]

_DURATION_RE = re.compile(
    r"P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?",
    re.ASCII,  # only ASCII digits; \d would otherwise accept e.g. Arabic-Indic digits
)
_DATE_DESIGNATORS = (("years", "Y"), ("months", "M"), ("weeks", "W"), ("days", "D"))
_TIME_DESIGNATORS = (("hours", "H"), ("minutes", "M"), ("seconds", "S"))


@dataclass(frozen=True)
class IsoDuration:
    """A duration split into its ISO-8601 components (all non-negative integers)."""

    years: int = 0
    months: int = 0
    weeks: int = 0
    days: int = 0
    hours: int = 0
    minutes: int = 0
    seconds: int = 0

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"IsoDuration.{field.name} must be a non-negative int: {value!r}")


def parse_duration(text: str) -> IsoDuration:
    """Parse an ISO-8601 duration such as ``"P2W"`` or ``"PT36H"``.

    Raises ``ValueError`` naming ``text`` if it is not an accepted duration.
    """
    match = _DURATION_RE.fullmatch(text)
    # A bare "P" matches the pattern with every group empty, so require one component.
    if match is None or not any(match.groupdict().values()):
        raise ValueError(f"Invalid ISO-8601 duration: {text!r}")
    values = {name: int(value) for name, value in match.groupdict().items() if value}
    return IsoDuration(**values)


def format_duration(duration: IsoDuration) -> str:
    """Render ``duration`` so that ``parse_duration`` returns an equal value.

    Zero components are omitted; the zero duration is ``"P0D"``.
    """
    date_part = "".join(
        f"{getattr(duration, name)}{symbol}"
        for name, symbol in _DATE_DESIGNATORS
        if getattr(duration, name)
    )
    time_part = "".join(
        f"{getattr(duration, name)}{symbol}"
        for name, symbol in _TIME_DESIGNATORS
        if getattr(duration, name)
    )
    if not date_part and not time_part:
        return "P0D"
    return "P" + date_part + (f"T{time_part}" if time_part else "")


def add_duration(start: datetime, duration: IsoDuration) -> datetime:
    """Return ``start`` plus ``duration`` using calendar arithmetic.

    Years and months move the calendar month and clamp the day to that month's length
    (Jan 31 + P1M is Feb 28 or 29); then weeks and days move the wall-clock date; then
    hours, minutes and seconds are added as elapsed time (on aware datetimes this is
    done in UTC, so a daylight-saving change does not stretch or shrink them).
    Raises ``OverflowError`` if the result is outside the range of ``datetime``.
    """
    try:
        month_index = start.month - 1 + duration.months + 12 * duration.years
        year = start.year + month_index // 12
        month = month_index % 12 + 1
        if not 1 <= year <= 9999:
            raise OverflowError
        day = min(start.day, calendar.monthrange(year, month)[1])
        result = start.replace(year=year, month=month, day=day)
        result += timedelta(weeks=duration.weeks, days=duration.days)
        elapsed = timedelta(
            hours=duration.hours, minutes=duration.minutes, seconds=duration.seconds
        )
        if result.tzinfo is None:
            return result + elapsed
        return (result.astimezone(UTC) + elapsed).astimezone(result.tzinfo)
    except OverflowError:
        raise OverflowError(
            f"{start.isoformat()} + {format_duration(duration)} is out of range"
        ) from None
