"""Expand date/time placeholders in a campaign template's name and description.

A placeholder is ``%`` followed by one of the date/time suffix characters of
``java.util.Formatter``'s ``%t`` conversions, written without the ``t``: ``"%Y"`` in a
template becomes what Java's ``"%tY"`` gives (the 4-digit year). Output uses the English
(US) locale. Supported suffixes: ``H I k l M S L N p z Z s Q B b h A a C Y y j m d e R T r
D F c``.

Choices where the template language leaves room:

* ``%%`` yields a single ``%`` (so ``%%Y`` yields the literal text ``%Y``);
* ``%`` followed by any other character, or at the very end of the text, is kept verbatim
  rather than rejected, so free text like ``"100% done"`` survives unchanged;
* ``%Z`` gives the zone's abbreviation (``"UTC"`` for UTC, ``"PST"`` for a ZoneInfo zone);
  an unnamed fixed offset prints as Java prints a ``ZoneOffset`` id, e.g. ``"+05:30"``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

__all__ = ["format_placeholders"]

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_PLACEHOLDER_RE = re.compile(r"%(.?)", re.DOTALL)


def format_placeholders(text: str, when: datetime) -> str:
    """Return ``text`` with every date/time placeholder replaced using ``when``.

    ``when`` must be timezone-aware (``ValueError`` otherwise), since ``%z``, ``%Z``, ``%s``
    and ``%Q`` depend on its offset.
    """
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("format_placeholders needs a timezone-aware datetime")
    return _PLACEHOLDER_RE.sub(lambda match: _replace(match.group(1), when), text)


def _replace(suffix: str, when: datetime) -> str:
    if suffix == "%":
        return "%"
    conversion = _CONVERSIONS.get(suffix)
    return conversion(when) if conversion is not None else "%" + suffix


def _hour12(when: datetime) -> int:
    return when.hour % 12 or 12


def _am_pm(when: datetime) -> str:
    return "am" if when.hour < 12 else "pm"


def _offset_minutes(offset: timedelta) -> tuple[str, int, int]:
    # Java drops any seconds of the offset; the sign applies to hours and minutes alike.
    total = int(offset.total_seconds())
    sign = "-" if total < 0 else "+"
    total = abs(total)
    return sign, total // 3600, (total % 3600) // 60


def _numeric_offset(when: datetime) -> str:
    sign, hours, minutes = _offset_minutes(when.utcoffset() or timedelta(0))
    return f"{sign}{hours * 100 + minutes:04d}"


def _zone_name(when: datetime) -> str:
    offset = when.utcoffset() or timedelta(0)
    name = when.tzname()
    # Python names an unnamed fixed offset "UTC+05:30"; Java prints a ZoneOffset by its id.
    if isinstance(when.tzinfo, timezone) and (name is None or name.startswith("UTC")):
        if not offset:
            return "UTC"
        sign, hours, minutes = _offset_minutes(offset)
        seconds = abs(int(offset.total_seconds())) % 60
        return f"{sign}{hours:02d}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")
    return name or "UTC"


def _since_epoch(when: datetime, unit: timedelta) -> str:
    # Floor division matches Java's Instant fields for instants before the epoch.
    return str((when - _EPOCH) // unit)


def _composite(pattern: str) -> Callable[[datetime], str]:
    return lambda when: format_placeholders(pattern, when)


_CONVERSIONS: dict[str, Callable[[datetime], str]] = {
    "H": lambda w: f"{w.hour:02d}",
    "I": lambda w: f"{_hour12(w):02d}",
    "k": lambda w: str(w.hour),
    "l": lambda w: str(_hour12(w)),
    "M": lambda w: f"{w.minute:02d}",
    "S": lambda w: f"{w.second:02d}",
    "L": lambda w: f"{w.microsecond // 1000:03d}",
    "N": lambda w: f"{w.microsecond * 1000:09d}",
    "p": _am_pm,
    "z": _numeric_offset,
    "Z": _zone_name,
    "s": lambda w: _since_epoch(w, timedelta(seconds=1)),
    "Q": lambda w: _since_epoch(w, timedelta(milliseconds=1)),
    "B": lambda w: _MONTHS[w.month - 1],
    "b": lambda w: _MONTHS[w.month - 1][:3],
    "h": lambda w: _MONTHS[w.month - 1][:3],
    "A": lambda w: _WEEKDAYS[w.weekday()],
    "a": lambda w: _WEEKDAYS[w.weekday()][:3],
    "C": lambda w: f"{w.year // 100:02d}",
    "Y": lambda w: f"{w.year:04d}",
    "y": lambda w: f"{w.year % 100:02d}",
    "j": lambda w: f"{w.timetuple().tm_yday:03d}",
    "m": lambda w: f"{w.month:02d}",
    "d": lambda w: f"{w.day:02d}",
    "e": lambda w: str(w.day),
    "R": _composite("%H:%M"),
    "T": _composite("%H:%M:%S"),
    # Java's %tr is "%tI:%tM:%tS %Tp": the upper-case %T variant makes AM/PM capitals.
    "r": lambda w: f"{format_placeholders('%I:%M:%S', w)} {_am_pm(w).upper()}",
    "D": _composite("%m/%d/%y"),
    "F": _composite("%Y-%m-%d"),
    "c": _composite("%a %b %d %T %Z %Y"),
}
