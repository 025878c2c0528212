"""Stay under the tenant's rate limit, and wait out the times the server says to."""

from __future__ import annotations

import threading
import time
from collections import deque


class Throttle:
    """A client-side sliding window: at most `requests` sends in any `per_seconds`."""

    def __init__(self, requests: int = 100, per_seconds: float = 10.0) -> None:
        self.requests = requests
        self.per_seconds = per_seconds
        self._sent: deque[float] = deque()
        self._lock = threading.Lock()
        self.waited_seconds = 0.0

    @classmethod
    def unlimited(cls) -> Throttle:
        return cls(requests=0)

    def wait_for_slot(self) -> None:
        if self.requests == 0:  # unlimited: the target has no rate limit to respect
            return
        while True:
            with self._lock:
                now = time.monotonic()
                while self._sent and self._sent[0] <= now - self.per_seconds:
                    self._sent.popleft()
                if len(self._sent) < self.requests:
                    self._sent.append(now)
                    return
                pause = self._sent[0] + self.per_seconds - now
            self.waited_seconds += pause
            time.sleep(pause)

    def pause(self, seconds: float) -> None:
        """The server asked for a pause (Retry-After): hold every sender, not just this one."""
        with self._lock:
            self.waited_seconds += seconds
            time.sleep(seconds)


def retry_after_seconds(value: str | None, default: float = 1.0) -> float:
    """Retry-After is delta-seconds here (DESIGN.md section 3); anything else: the default."""
    try:
        return max(0.0, float(value)) if value is not None else default
    except ValueError:
        return default
