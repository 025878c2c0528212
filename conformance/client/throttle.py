"""A throttle that stays under the tenant's rate limit (spec/rate_limit.py), and Retry-After."""

from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
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
    every request of the run's tokens against it. A Retry-After holds every process too.

    When the window is full, the slots go to the processes in the order of `priority()`
    (highest first; a worker says how many requests its current tests still plan), so the
    longest chain of requests that wait on each other is not starved by short tests and the
    run does not end waiting on it. A process keeps its place while its answer is in flight
    (`HOLD` s after its last slot): the others leave it a slot for when the answer is in,
    rather than take every slot that frees meanwhile. A place lapses once unused for `HOLD`
    s past the process's wait (a process killed while it waited, a test that ended)."""

    HOLD = 1.0

    def __init__(
        self,
        path: Path,
        requests: int,
        per_seconds: float,
        priority: Callable[[], float] = lambda: 0.0,
    ) -> None:
        super().__init__(requests, per_seconds)
        self.path = path
        self.priority = priority
        self._name = f"{os.getpid()}-{id(self)}"

    def wait_for_slot(self) -> None:
        while True:
            priority = self.priority()
            with self._window() as window:
                now = time.time()  # wall clock: the one clock every process shares
                sent = [at for at in window["sent"] if at > now - self.per_seconds]
                places = {
                    name: (rank, until)
                    for name, (rank, until) in window.get("places", {}).items()
                    if until > now and name != self._name
                }
                ahead = sorted(until for rank, until in places.values() if rank > priority)
                free = self.requests - len(sent)
                held = window["held_until"] - now  # a Retry-After
                if held <= 0 and free > len(ahead):
                    window["sent"] = [*sent, now]
                    window["places"] = {**places, self._name: (priority, now + self.HOLD)}
                    return
                turn = now
                if free <= len(ahead):  # the slot left once those ahead had theirs...
                    frees = sent[min(len(ahead) - free, len(sent) - 1)] if sent else now
                    turn = min([frees + self.per_seconds, *ahead])  # ...or a place ahead lapses
                pause = max(held, turn - now, 0.005)
                window["places"] = {**places, self._name: (priority, now + pause + self.HOLD)}
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
