"""What the target did, as data: the facts a learned emulator profile is built from.

Per operation the status codes seen with their counts; per response location the members the
schema does not declare (one example value each, a synthetic placeholder of the same type and
format, never the target's value); enum values outside the documented set; and the header
facts clients depend on (`Retry-After` format, `X-Total-Count` presence).

A test's tally gathers these as plain JSON data (`new_behaviour_data`, `merge_behaviour_data`,
so pytest-xdist workers can send them); the run keeps them as one `TargetBehaviour`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# Enum values are kept only when they look like the constants enums hold: a value of any
# other shape could be a name or an id, and the file leaves the tenant.
ENUM_CONSTANT = re.compile(r"^[A-Z][A-Z0-9_]{0,63}$")
# Member names are kept only when they look like member names, not like ids or addresses.
MEMBER_NAME = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]{0,63}$")
_HEX_ID = re.compile(r"[0-9a-fA-F]{16,}")

_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_HEX = re.compile(r"^[0-9a-fA-F]{16,}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_INTEGER = re.compile(r"^-?\d+$")
# The string formats a placeholder keeps, first match wins (a hex string keeps its length).
_STRING_FORMATS = (
    (_DATE_TIME, "2000-01-01T00:00:00Z"),
    (_DATE, "2000-01-01"),
    (_UUID, "00000000-0000-0000-0000-000000000000"),
    (_EMAIL, "someone@example.com"),
    (_URL, "https://example.com/"),
    (_INTEGER, "0"),
    (ENUM_CONSTANT, "EXAMPLE"),
)

RETRY_AFTER_FORMATS = ("delta-seconds", "http-date", "other")


def placeholder(value: Any) -> Any:
    """A synthetic value of the same JSON type (and, for strings, the same format) as
    `value`, carrying nothing of it: what a report may show of a tenant's data."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return 0
    if isinstance(value, float):
        return 0.0
    if isinstance(value, str):
        return _string_placeholder(value)
    if isinstance(value, list):
        return [placeholder(value[0])] if value else []
    if isinstance(value, dict):
        return {
            (key if is_member_name(key) else f"member{index}"): placeholder(item)
            for index, (key, item) in enumerate(value.items())
        }
    return None


def _string_placeholder(text: str) -> str:
    # An id first: one of only digits or capitals would pass for an integer or a constant.
    if _HEX.match(text):
        return "0" * len(text)
    return next((example for pattern, example in _STRING_FORMATS if pattern.match(text)), "example")


def is_member_name(key: str) -> bool:
    return bool(MEMBER_NAME.match(key)) and not _HEX_ID.search(key)


def retry_after_format(value: str) -> str:
    """RFC 9110 section 10.2.3: delay-seconds or an HTTP-date."""
    from email.utils import parsedate_to_datetime

    if value.strip().isdigit():
        return "delta-seconds"
    try:
        parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return "other"
    return "http-date"


# --- as a test's tally carries it (plain JSON) ---------------------------------------------
def new_behaviour_data() -> dict[str, Any]:
    return {
        "status_counts": {},  # operation id -> status (text) -> count
        # "op status pointer" -> {operation_id, status, pointer, schema, example, count}
        "members": {},
        "enum_values": {},  # "op status pointer value" -> {..., value, count}
        "retry_after": {},  # format -> count
        # operation id -> {requested_present, requested_absent, unrequested_present} -> count
        "total_count": {},
        # operation id -> ms from sending each request to its answer's headers (requests'
        # `elapsed` of the attempt that was answered: no throttle wait, retry or token fetch)
        "server_ms": {},
        # known drift item -> {follows: documents|published|neither, status, operation_id}
        "drift": {},
    }


def merge_behaviour_data(into: dict[str, Any], part: dict[str, Any]) -> None:
    for operation, codes in part["status_counts"].items():
        held = into["status_counts"].setdefault(operation, {})
        for code, count in codes.items():
            held[code] = held.get(code, 0) + count
    for kind in ("members", "enum_values"):
        for key, item in part[kind].items():
            if key in into[kind]:
                into[kind][key]["count"] += item["count"]
            else:
                into[kind][key] = dict(item)
    for fmt, count in part["retry_after"].items():
        into["retry_after"][fmt] = into["retry_after"].get(fmt, 0) + count
    for operation, facts in part["total_count"].items():
        held = into["total_count"].setdefault(operation, {})
        for fact, count in facts.items():
            held[fact] = held.get(fact, 0) + count
    for operation, samples in part["server_ms"].items():
        into["server_ms"].setdefault(operation, []).extend(samples)
    into["drift"].update(part["drift"])


# --- as the run keeps it -------------------------------------------------------------------
@dataclass(frozen=True)
class UndocumentedMember:
    """A member a response carried that its schema does not declare."""

    operation_id: str
    status: int
    pointer: str  # where in the response body; array items are "*": "/*/revision"
    schema: str  # the spec location of the object schema that does not declare it
    example: Any  # a placeholder of the observed type, never the target's value
    count: int


@dataclass(frozen=True)
class EnumValueSeen:
    """A value a response carried at an enum that does not list it."""

    operation_id: str
    status: int
    pointer: str
    schema: str  # the spec location of the enum
    value: str
    count: int


@dataclass(frozen=True)
class DriftFinding:
    """Which source the target followed for one known drift item (conformance/
    test_vendor_drift.py): the documents, the vendor's published description, or neither;
    what each says, and the status it answered."""

    follows: str  # "documents", "published" or "neither"
    documents: str
    published: str
    status: int | None
    operation_id: str | None = None


@dataclass(frozen=True)
class TargetBehaviour:
    status_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    members: tuple[UndocumentedMember, ...] = ()
    enum_values: tuple[EnumValueSeen, ...] = ()
    retry_after: dict[str, int] = field(default_factory=dict)
    total_count: dict[str, dict[str, int]] = field(default_factory=dict)
    server_ms: dict[str, tuple[float, ...]] = field(default_factory=dict)
    drift: dict[str, DriftFinding] = field(default_factory=dict)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> TargetBehaviour:
        return cls(
            status_counts={
                op: dict(sorted(codes.items()))
                for op, codes in sorted(data["status_counts"].items())
            },
            members=tuple(
                UndocumentedMember(**item)
                for _, item in sorted(data["members"].items(), key=lambda pair: pair[0])
            ),
            enum_values=tuple(
                EnumValueSeen(**item)
                for _, item in sorted(data["enum_values"].items(), key=lambda pair: pair[0])
            ),
            retry_after=dict(sorted(data["retry_after"].items())),
            total_count={
                op: dict(sorted(f.items())) for op, f in sorted(data["total_count"].items())
            },
            server_ms={op: tuple(ms) for op, ms in sorted(data["server_ms"].items())},
            drift={item: DriftFinding(**found) for item, found in sorted(data["drift"].items())},
        )

    def to_data(self) -> dict[str, Any]:
        return {
            "status_counts": {op: dict(codes) for op, codes in self.status_counts.items()},
            "undocumented_members": [vars(member).copy() for member in self.members],
            "enum_values": [vars(value).copy() for value in self.enum_values],
            "retry_after_formats": dict(self.retry_after),
            "total_count": {op: dict(facts) for op, facts in self.total_count.items()},
            "server_ms": {op: list(samples) for op, samples in self.server_ms.items()},
            "drift": {item: vars(found).copy() for item, found in self.drift.items()},
        }

    @classmethod
    def from_document(cls, data: dict[str, Any]) -> TargetBehaviour:
        return cls(
            status_counts={op: dict(codes) for op, codes in data["status_counts"].items()},
            members=tuple(UndocumentedMember(**m) for m in data["undocumented_members"]),
            enum_values=tuple(EnumValueSeen(**v) for v in data["enum_values"]),
            retry_after=dict(data["retry_after_formats"]),
            total_count={op: dict(f) for op, f in data["total_count"].items()},
            # Added in version 4: absent from older files.
            server_ms={op: tuple(ms) for op, ms in data.get("server_ms", {}).items()},
            drift={item: DriftFinding(**f) for item, f in data.get("drift", {}).items()},
        )
