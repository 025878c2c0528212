"""A throttle that stays under the tenant's rate limit (spec/rate_limit.py), and Retry-After."""

from __future__ import annotations

import fcntl
import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from spec.rate_limit import RateLimit


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

    @classmethod
    def of(cls, limit: RateLimit | None) -> Throttle:
        """A throttle for `limit`; None (`--rate-limit off`) lets every request through."""
        return cls(limit.requests, limit.per_seconds) if limit else cls.unlimited()

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


class SharedThrottle(Throttle):
    """The same sliding window, kept in a file that every process of the run locks and
    updates: the pytest-xdist workers of one tenant run share one budget, as the tenant counts
    every request of the run's tokens against it. A Retry-After holds every process too."""

    def __init__(self, path: Path, requests: int, per_seconds: float) -> None:
        super().__init__(requests, per_seconds)
        self.path = path

    def wait_for_slot(self) -> None:
        while True:
            with self._window() as window:
                now = time.time()  # wall clock: the one clock every process shares
                sent = [at for at in window["sent"] if at > now - self.per_seconds]
                pause = window["held_until"] - now
                if pause <= 0 and len(sent) < self.requests:
                    window["sent"] = [*sent, now]
                    return
                if pause <= 0:
                    pause = sent[0] + self.per_seconds - now
            self.waited_seconds += pause
            time.sleep(pause)

    def pause(self, seconds: float) -> None:
        with self._window() as window:
            window["held_until"] = max(window["held_until"], time.time() + seconds)
        self.waited_seconds += seconds
        time.sleep(seconds)

    @contextmanager
    def _window(self) -> Iterator[dict]:
        """The window, locked against the other processes; what the block changes is kept."""
        with self._lock, open(self.path, "a+") as file:
            fcntl.flock(file, fcntl.LOCK_EX)  # released when the file closes
            file.seek(0)
            text = file.read()
            window = json.loads(text) if text else {"sent": [], "held_until": 0.0}
            before = json.dumps(window)
            yield window
            if json.dumps(window) != before:
                file.seek(0)
                file.truncate()
                file.write(json.dumps(window))


def retry_after_seconds(value: str | None, default: float = 1.0) -> float:
    """Retry-After in delta-seconds, as the vendor documents it; anything else: the default."""
    try:
        return max(0.0, float(value)) if value is not None else default
    except ValueError:
        return default
