"""The server's time per request, as results.json records it (`behaviour.server_ms`): the
answered attempt's send to its headers, without the throttle's wait (conformance/client/
transport.py measures it; conformance/judging/observations.py records it per operation)."""

from __future__ import annotations

import requests

from conformance.client.circuit_breaker import CircuitBreaker
from conformance.client.throttle import Throttle
from conformance.client.transport import GuestTransport
from conformance.judging.observations import observe_response
from reports.behaviour import new_behaviour_data
from tests.conformance_client.loopback_servers import answering


def test_the_server_time_leaves_out_the_wait_for_the_rate_limit() -> None:
    with answering({"/v3/campaigns": (200, "application/json", "[]")}) as url:
        session = requests.Session()
        session.mount("http://", GuestTransport(Throttle(1, 1.0), CircuitBreaker(url)))
        session.get(f"{url}/v3/campaigns", timeout=10)
        waited = session.get(f"{url}/v3/campaigns", timeout=10)  # a slot frees in 1 s
    assert waited.elapsed.total_seconds() > 0.5  # requests' own measure holds the wait
    assert waited.server_elapsed.total_seconds() < 0.3
    behaviour = new_behaviour_data()
    observe_response(behaviour, "getActiveCampaigns", waited.request, waited)
    [recorded] = behaviour["server_ms"]["getActiveCampaigns"]
    assert recorded == round(waited.server_elapsed.total_seconds() * 1000, 1)
