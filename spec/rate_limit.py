"""The API's rate limit as a value: what the emulator enforces and what the suite stays under.

The limit is per access token; the vendor documents 100 requests per 10 seconds, answered
429 with Retry-After beyond it (spec/SOURCES.md, "rate-limit").
"""

from __future__ import annotations

from dataclasses import dataclass

# The vendor's documented limit: 100 requests per access token per 10 seconds.
TENANT_RATE_LIMIT = "100/10s"


@dataclass(frozen=True)
class RateLimit:
    requests: int
    per_seconds: float

    @classmethod
    def parse(cls, text: str) -> RateLimit:
        """'100/10s' -> 100 requests per 10 seconds."""
        try:
            count, window = text.split("/")
            limit = cls(int(count), float(window.removesuffix("s") or 1))
        except ValueError as error:
            raise ValueError(f"rate limit must look like 100/10s or off, got {text!r}") from error
        if limit.requests < 1 or limit.per_seconds <= 0:
            raise ValueError(f"rate limit must be positive, got {text!r}")
        return limit

    def seconds_for(self, requests: int) -> float:
        """The least time `requests` take at this limit."""
        return requests * self.per_seconds / self.requests

    def __str__(self) -> str:
        return f"{self.requests}/{self.per_seconds:g}s"
