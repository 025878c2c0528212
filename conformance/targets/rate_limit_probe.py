"""The documented 429 on a tenant, reached without disturbing anyone.

The rate limit counts requests per access token, so a token of the run's own, used for
nothing else, can be driven to its first 429 while every other token of the tenant (the
run's included) keeps its whole budget. `first_429` sends cheap GETs (`limit=1`) with that
token, several at a time so that even a far tenant sees more than the limit inside one
window, and stops at the first 429: at most the limit and `OVERSHOOT` more.
"""

from __future__ import annotations

import contextvars
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import requests

from conformance.client import GuestSession, RateLimit

IN_FLIGHT = 10  # GETs at once: 100 in 10 s even at 300 ms a round trip
OVERSHOOT = IN_FLIGHT  # past the limit: the ones in flight when the 429 came, and a margin


def planned_requests(limit: RateLimit) -> int:
    """At most: up to the first 429, the ones in flight then, and the one after the wait."""
    return limit.requests + OVERSHOOT + 1


@dataclass
class Probe:
    limited: requests.Response | None  # the first 429, if one came
    sent: int
    seconds: float


def first_429(session: GuestSession, limit: RateLimit) -> Probe:
    """GETs with `session`'s token until the first 429, at most limit + OVERSHOOT of them."""
    url = f"{session.base_url}/v3/campaigns"
    found: list[requests.Response] = []
    lock = threading.Lock()
    sent = 0

    def one() -> None:
        nonlocal sent
        with lock:
            if found or sent >= limit.requests + OVERSHOOT:
                return
            sent += 1
        response = session.get(url, params={"limit": 1})
        if response.status_code == 429:
            with lock:
                found.append(response)

    started = time.monotonic()
    with ThreadPoolExecutor(IN_FLIGHT) as pool:
        # Each GET in the test's context, so its answer counts in the running test's tally.
        sending = [
            pool.submit(contextvars.copy_context().run, one)
            for _ in range(limit.requests + OVERSHOOT)
        ]
    for done in sending:
        done.result()  # a GET that raised (the target stopped answering) raises here
    return Probe(found[0] if found else None, sent, time.monotonic() - started)
