"""The guest session's transport: a requests adapter that throttles, retries and trips the
circuit breaker, under every request the session sends (httpx's transport layer).

Each attempt first waits for a slot of the rate limit, then goes out once. A 429 is waited
out (its Retry-After, holding every sender of the throttle) and sent again; a 502 or 503 is
sent again after a short backoff; a request that could not even connect is sent again (it
cannot have had an effect, whatever its method). Transport failures feed the circuit
breaker, which ends the run when the target stopped answering. The last attempt's answer is
returned as it is, with `server_elapsed`: that attempt's time from sending to the answer's
headers (requests' own `elapsed` spans this whole method: the throttle's waits, the retries).
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from conformance.client.circuit_breaker import CircuitBreaker, never_reached_the_server
from conformance.client.throttle import Throttle, retry_after_seconds

RETRIED_STATUSES = (429, 502, 503)


class GuestTransport(HTTPAdapter):
    def __init__(
        self,
        throttle: Throttle,
        breaker: CircuitBreaker,
        *,
        retries: int = 4,
        timeout: float = 30,
        connections: int = 10,
    ) -> None:
        super().__init__(pool_connections=connections, pool_maxsize=connections)
        self.throttle = throttle
        self.breaker = breaker
        self.retries = retries
        self.timeout = timeout  # for a request that names none
        self.sent = 0  # every attempt that went out, retries included
        self._count = threading.Lock()

    def send(  # type: ignore[override]  # requests' own signature, with defaults
        self, request: requests.PreparedRequest, timeout: Any = None, **options: Any
    ) -> requests.Response:
        options["timeout"] = self.timeout if timeout is None else timeout
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            self.throttle.wait_for_slot()
            with self._count:
                self.sent += 1
            response = self._send_once(request, options, may_retry=not last)
            if response is None:  # no connection was made: safe to send again
                time.sleep(0.5 * 2**attempt)
                continue
            if response.status_code == 429 and not last:
                response.close()
                self.throttle.pause(retry_after_seconds(response.headers.get("Retry-After")))
                continue
            if response.status_code in (502, 503) and not last:
                response.close()
                time.sleep(min(0.25 * 2**attempt, 4.0))
                continue
            return response
        raise AssertionError("the last attempt returns or raises")

    def _send_once(self, request, options, *, may_retry: bool) -> requests.Response | None:
        """One send through the breaker: the response, or None when no connection was made
        and it may be retried; transport errors are counted, the others raised."""
        self.breaker.before_send()
        started = time.perf_counter()
        try:
            response = super().send(request, **options)
        except (requests.ConnectionError, requests.Timeout) as error:  # transport, not input
            self.breaker.failed(error)  # raises TargetStoppedAnswering once it opens
            if never_reached_the_server(error):
                if may_retry:
                    return None
            else:
                self.breaker.confirm(request.url or self.breaker.base_url, error)
            raise
        self.breaker.answered()
        response.server_elapsed = timedelta(seconds=time.perf_counter() - started)  # type: ignore[attr-defined]
        return response
