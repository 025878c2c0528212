"""A tenant's clock: real UTC time plus an offset the control API can advance.

Advancing the clock is how "past due" becomes reachable in seconds rather than days.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class TenantClock:
    def __init__(self, offset_seconds: float = 0.0) -> None:
        self.offset_seconds = offset_seconds

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.offset_seconds)

    def advance(self, seconds: float) -> datetime:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self.offset_seconds += seconds
        return self.now()


def format_timestamp(moment: datetime) -> str:
    """ISO-8601 in UTC with milliseconds, as the documents show: 2020-03-03T22:15:13.611Z."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_timestamp(text: str) -> datetime:
    """Parse an RFC 3339 date-time; naive values are taken as UTC."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
