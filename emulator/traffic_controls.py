"""Realism switches a tenant can turn on: the rate limit, injected faults and latency."""

from __future__ import annotations

import math
import random
import time
from collections import deque
from dataclasses import dataclass, field

from spec.rate_limit import RateLimit


class RetryAfterLedger:
    """When the Retry-After each token was last given runs out: a request before that is a
    client that did not wait (the emulator's rate limit and the proxy both keep one)."""

    def __init__(self) -> None:
        self._due: dict[str, float] = {}  # token -> monotonic seconds

    def told(self, token: str, seconds: float) -> None:
        self._due[token] = time.monotonic() + seconds
        if len(self._due) > 10_000:  # forget what has run out, so memory stays bounded
            now = time.monotonic()
            self._due = {t: due for t, due in self._due.items() if due > now}

    def sent_early(self, token: str) -> bool:
        """Whether this request came before the Retry-After its token was given ran out."""
        due = self._due.get(token)
        if due is None:
            return False
        if due <= time.monotonic():
            del self._due[token]
            return False
        return True


class RateLimiter:
    """A sliding window per access token, like the tenant's "100 requests per token per 10 s"."""

    def __init__(self, limit: RateLimit | None) -> None:
        self.limit = limit
        self._windows: dict[str, deque[float]] = {}
        self.retry_afters = RetryAfterLedger()

    def retry_after(self, token: str) -> int | None:
        """Seconds to wait when this request exceeds the limit, else None (and count it)."""
        if self.limit is None:
            return None
        now = time.monotonic()
        window = self._windows.setdefault(token, deque())
        while window and window[0] <= now - self.limit.per_seconds:
            window.popleft()
        if len(window) >= self.limit.requests:
            seconds = max(1, math.ceil(window[0] + self.limit.per_seconds - now))
            self.retry_afters.told(token, seconds)
            return seconds
        window.append(now)
        if len(self._windows) > 10_000:  # forget idle tokens, so memory stays bounded
            self._windows = {t: w for t, w in self._windows.items() if w and w[-1] > now - 60}
        return None


@dataclass
class FaultProfile:
    """Injected trouble: extra latency, and a share of requests answered with an error."""

    latency_ms: float = 0.0
    error_rate: float = 0.0
    error_status: int = 502
    _random: random.Random = field(default_factory=random.Random, repr=False)

    def __post_init__(self) -> None:
        if not 0.0 <= self.error_rate <= 1.0:
            raise ValueError("errorRate must be between 0 and 1")
        if self.error_status not in (500, 502, 503):
            raise ValueError("errorStatus must be 500, 502 or 503")
        if self.latency_ms < 0:
            raise ValueError("latencyMs must not be negative")

    def should_fail(self) -> bool:
        return self.error_rate > 0 and self._random.random() < self.error_rate

    def as_dict(self) -> dict:
        return {
            "latencyMs": self.latency_ms,
            "errorRate": self.error_rate,
            "errorStatus": self.error_status,
        }
