"""Stop talking to a target that stopped answering, instead of failing every test slowly.

A target that goes away mid-run (the server crashed, the network dropped, the tenant is
down) would otherwise turn each remaining request into a transport error and each test into
a traceback. The breaker counts transport failures in a row (connection refused or reset,
timeouts, TLS failures; any HTTP answer, even a 500, resets the count): at `threshold` it
opens, and every later send raises `TargetStoppedAnswering` without touching the network.

`TargetStoppedAnswering` is a BaseException on purpose: hypothesis, schemathesis and test
code catch `Exception` to shrink, retry or report a failing example; an outage is none of
those, and must travel up to the runner, which ends the run with one line.
"""

from __future__ import annotations

import socket
import threading
import time
from urllib.parse import urlsplit

import requests


class TargetStoppedAnswering(BaseException):
    """The target stopped answering; the text is one line: what happened and what to do."""


class CircuitBreaker:
    def __init__(self, base_url: str, threshold: int = 3) -> None:
        self.base_url = base_url
        self.threshold = threshold
        self.failures_in_a_row = 0
        self.answers = 0
        self.last_error = ""
        self._open = False
        self._lock = threading.Lock()

    @property
    def is_open(self) -> bool:
        return self._open

    def before_send(self) -> None:
        if self._open:
            raise TargetStoppedAnswering(self.explain())

    def answered(self) -> None:
        with self._lock:
            self.failures_in_a_row = 0
            self.answers += 1

    def failed(self, error: BaseException) -> None:
        """Count a transport failure; at the threshold, open and raise."""
        with self._lock:
            self.failures_in_a_row += 1
            self.last_error = describe(error)
            if self.failures_in_a_row >= self.threshold:
                self._open = True
        if self._open:
            raise TargetStoppedAnswering(self.explain()) from None

    def confirm(self, url: str, error: BaseException) -> None:
        """After a failure mid-request (a dropped connection, no answer): if the server no
        longer even accepts connections, it is gone; open now rather than fail more tests."""
        where = urlsplit(url)
        port = where.port or (443 if where.scheme == "https" else 80)
        for attempt in range(2):
            if attempt:  # half a second for a server that is restarting to accept again
                time.sleep(0.5)
            try:
                socket.create_connection((where.hostname or "", port), timeout=2).close()
                return
            except OSError:
                pass
        with self._lock:
            self.failures_in_a_row = max(self.failures_in_a_row, self.threshold)
            self.last_error = f"{describe(error)}, then connections refused"
            self._open = True
        raise TargetStoppedAnswering(self.explain()) from None

    def try_again(self) -> None:
        """Let the next request through (cleanup at the end deserves one more attempt)."""
        with self._lock:
            self._open = False
            self.failures_in_a_row = max(0, self.threshold - 1)

    def explain(self) -> str:
        return (
            f"{self.base_url} stopped answering ({self.failures_in_a_row} requests in a row "
            f"failed: {self.last_error}); the run ends here: check the server, then run again"
        )


def describe(error: BaseException) -> str:
    """A transport error in a few words (requests' own text is a nested urllib3 repr)."""
    text = str(error)
    if isinstance(error, requests.exceptions.SSLError):
        return "TLS failure"
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return "connect timeout"
    if isinstance(error, requests.exceptions.ReadTimeout):
        return "no answer in time"
    if "Connection refused" in text or "NewConnectionError" in text:
        return "connection refused"
    if "Name or service not known" in text or "NameResolutionError" in text:
        return "host does not resolve"
    if "reset" in text.lower() or "aborted" in text.lower() or "RemoteDisconnected" in text:
        return "connection dropped"
    return type(error).__name__


def never_reached_the_server(error: BaseException) -> bool:
    """True when the request cannot have had an effect (no connection was made), so sending
    it again is safe for any method."""
    return isinstance(error, requests.exceptions.ConnectTimeout) or describe(error) in (
        "connection refused",
        "host does not resolve",
    )
