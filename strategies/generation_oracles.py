"""Oracles for what a server computes from a request: a template's placeholders rendered at
an instant, a duration's span from an instant, the object a JSON Patch must produce.

Each is written from the standard it follows (java.util.Formatter's date/time conversions,
ISO 8601 durations, RFC 6902), small enough to read in one sitting, and shares no code with
the emulator: on a tenant it is the only judge.
"""

from __future__ import annotations

import calendar
import copy
import re
from datetime import UTC, datetime, timedelta
from typing import Any

# java.util.Formatter date/time conversions (written `%tX`; templates write `%X`), in UTC.
_RENDER = {
    "H": lambda t: f"{t.hour:02d}",
    "I": lambda t: f"{(t.hour % 12) or 12:02d}",
    "k": lambda t: str(t.hour),
    "l": lambda t: str((t.hour % 12) or 12),
    "M": lambda t: f"{t.minute:02d}",
    "S": lambda t: f"{t.second:02d}",
    "L": lambda t: f"{t.microsecond // 1000:03d}",
    "N": lambda t: f"{t.microsecond * 1000:09d}",
    "p": lambda t: "am" if t.hour < 12 else "pm",
    "z": lambda t: "+0000",
    "Z": lambda t: "UTC",
    "s": lambda t: str(calendar.timegm(t.timetuple())),
    "Q": lambda t: str(calendar.timegm(t.timetuple()) * 1000 + t.microsecond // 1000),
    "B": lambda t: calendar.month_name[t.month],
    "b": lambda t: calendar.month_abbr[t.month],
    "h": lambda t: calendar.month_abbr[t.month],
    "A": lambda t: calendar.day_name[t.weekday()],
    "a": lambda t: calendar.day_abbr[t.weekday()],
    "C": lambda t: f"{t.year // 100:02d}",
    "Y": lambda t: f"{t.year:04d}",
    "y": lambda t: f"{t.year % 100:02d}",
    "j": lambda t: f"{t.timetuple().tm_yday:03d}",
    "m": lambda t: f"{t.month:02d}",
    "d": lambda t: f"{t.day:02d}",
    "e": lambda t: str(t.day),
    "R": lambda t: f"{t.hour:02d}:{t.minute:02d}",
    "T": lambda t: f"{t.hour:02d}:{t.minute:02d}:{t.second:02d}",
    "r": lambda t: f"{_RENDER['I'](t)}:{t.minute:02d}:{t.second:02d} {_RENDER['p'](t).upper()}",
    "D": lambda t: f"{t.month:02d}/{t.day:02d}/{t.year % 100:02d}",
    "F": lambda t: f"{t.year:04d}-{t.month:02d}-{t.day:02d}",
    "c": lambda t: (
        f"{calendar.day_abbr[t.weekday()]} {calendar.month_abbr[t.month]} {t.day:02d} "
        f"{t.hour:02d}:{t.minute:02d}:{t.second:02d} UTC {t.year:04d}"
    ),
}
_PLACEHOLDER = re.compile(r"%([%" + "".join(_RENDER) + "])")


def render(text: str, moment: datetime) -> str:
    """`text` with every placeholder expanded at `moment` (as UTC); `%%` is a `%`."""
    at = moment.astimezone(UTC)
    return _PLACEHOLDER.sub(lambda m: "%" if m[1] == "%" else _RENDER[m[1]](at), text)


# The shortest time after which a conversion shows a value again (seconds): one that is the
# same at both ends of a shorter window is the same throughout it.
_CYCLE = {"L": 1, "N": 1, "S": 60, "T": 60, "r": 60, "c": 60, "M": 3600, "R": 3600}
_CYCLE.update(dict.fromkeys("HkIlp", 12 * 3600))
_LONGEST_CYCLE = 28 * 86400  # days of the month, and everything coarser


def rendered_between(text: str, before: datetime, after: datetime) -> re.Pattern[str]:
    """What `text` may become when rendered at an instant from `before` to `after`: each
    placeholder whose expansion is the same at both ends of a window shorter than its cycle
    exactly that, any other (seconds, milliseconds, ...) one run of digits, letters and
    `: +./-` (never a `%`)."""
    window = (after - before).total_seconds()
    pattern = ""
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        pattern += re.escape(text[position : match.start()])
        first, last = render(match[0], before), render(match[0], after)
        fixed = first == last and window < _CYCLE.get(match[1], _LONGEST_CYCLE)
        pattern += re.escape(first) if fixed else r"[0-9A-Za-z: +./-]+?"
        position = match.end()
    return re.compile(pattern + re.escape(text[position:]))


# --- ISO 8601 durations ------------------------------------------------------------------
_DURATION = re.compile(
    r"P(?:(?P<W>\d+)W|(?:(?P<Y>\d+)Y)?(?:(?P<Mo>\d+)M)?(?:(?P<D>\d+)D)?"
    r"(?:T(?:(?P<H>\d+)H)?(?:(?P<Mi>\d+)M)?(?:(?P<S>\d+)S)?)?)"
)


def _add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def add_duration(moment: datetime, duration: str) -> datetime:
    """`moment` plus an ISO 8601 duration: years and months on the calendar (the day clipped
    to the month's last), then weeks, days, hours, minutes and seconds as elapsed time."""
    match = _DURATION.fullmatch(duration)
    if match is None:
        raise ValueError(f"not an ISO 8601 duration: {duration!r}")
    part = {key: int(value or 0) for key, value in match.groupdict().items()}
    shifted = _add_months(moment, part["Y"] * 12 + part["Mo"])
    return shifted + timedelta(
        weeks=part["W"], days=part["D"], hours=part["H"], minutes=part["Mi"], seconds=part["S"]
    )


# --- RFC 6902 JSON Patch ---------------------------------------------------------------
class PatchTestFailed(ValueError):
    """A `test` operation did not hold: RFC 6902 says the whole patch is refused."""


def _parent(document: Any, path: str) -> tuple[Any, str]:
    parts = [p.replace("~1", "/").replace("~0", "~") for p in path.split("/")[1:]]
    node = document
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node, parts[-1]


def _get(document: Any, path: str) -> Any:
    if path == "":
        return document
    parent, key = _parent(document, path)
    return parent[int(key)] if isinstance(parent, list) else parent[key]


def apply_patch(document: dict, patch: list[dict]) -> dict:
    """The object `patch` must produce from `document` (objects only; the strategies write
    no array members). Raises PatchTestFailed when a `test` does not hold."""
    result = copy.deepcopy(document)
    for operation in patch:
        op, path = operation["op"], operation["path"]
        if op == "test":
            if _get(result, path) != operation["value"]:
                raise PatchTestFailed(f"{path} is not {operation['value']!r}")
            continue
        value = copy.deepcopy(
            _get(result, operation["from"]) if op in ("copy", "move") else operation.get("value")
        )
        if op == "move":
            source, key = _parent(result, operation["from"])
            del source[key]
        parent, key = _parent(result, path)
        if op == "remove":
            del parent[key]
        else:  # add, replace, copy, move: set the member
            parent[key] = value
    return result


def _instant(value: Any) -> Any:
    if isinstance(value, str) and len(value) >= 20 and value[10:11] == "T":
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    return value


def agrees(wanted: Any, seen: Any) -> bool:
    """`seen` holds what `wanted` says: every member of an object, date-times as instants.
    Where `wanted` has nothing (null, or a member a later write removed), the server may
    leave it out or fill in its default: not judged; so are members the server adds."""
    if wanted is None:
        return True
    if isinstance(wanted, dict):
        return isinstance(seen, dict) and all(
            agrees(value, seen.get(key)) for key, value in wanted.items()
        )
    return _instant(wanted) == _instant(seen)
