"""The suite's client layer against a real emulator: safety guard, retries, tokens, secrets."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import pytest
import requests

from conformance.client import (
    WITHOUT_TOKEN,
    Credentials,
    GuestSession,
    RefusedRequest,
    RunLedger,
    TokenSource,
)
from conformance.client.throttle import Throttle
from conformance.client.tokens import HeldToken
from emulator.control_client import ControlClient
from tests.conformance_client.loopback_servers import answering, oauth_token
from tests.harness import served_in_thread

SECRET = "conformance-secret"


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with served_in_thread("--transition-delay", "0") as url:
        yield url


def session_for(base_url: str, client_id: str = "conformance", secret: str = SECRET, **options):
    return GuestSession(base_url, Credentials(client_id, secret), RunLedger(), **options)


def raw_headers(base_url: str) -> dict[str, str]:
    token = TokenSource(base_url, Credentials("conformance", SECRET)).token()
    return {"Authorization": f"Bearer {token}"}


def test_created_objects_get_the_run_prefix_and_enter_the_ledger(base_url):
    session = session_for(base_url)
    created = session.post(
        f"{base_url}/v3/campaigns", json={"name": "mine", "description": None, "type": "MANAGER"}
    ).json()
    assert created["name"] == f"{session.ledger.name_prefix}mine"
    assert session.ledger.owns("campaign", created["id"])
    report = session.ledger.cleanup(session, base_url)
    assert report.deleted["campaign"] == 1
    assert (
        requests.get(
            f"{base_url}/v3/campaigns/{created['id']}", headers=raw_headers(base_url)
        ).status_code
        == 404
    )


def test_objects_of_others_are_never_changed(base_url):
    theirs = requests.post(
        f"{base_url}/v3/campaigns",
        headers=raw_headers(base_url),
        json={"name": "the tenant's", "description": None, "type": "MANAGER"},
    ).json()
    session = session_for(base_url)
    for method, path, body in (
        ("POST", "/campaigns/delete", {"ids": [theirs["id"]]}),
        ("POST", f"/campaigns/{theirs['id']}/activate", None),
        ("PATCH", f"/campaigns/{theirs['id']}", [{"op": "remove", "path": "/description"}]),
    ):
        with pytest.raises(RefusedRequest, match="was not created by run"):
            session.request(method, f"{base_url}/v3{path}", json=body)
    still = requests.get(f"{base_url}/v3/campaigns/{theirs['id']}", headers=raw_headers(base_url))
    assert still.json()["status"] == "STAGED"
    # An id that names nothing may be used: a 404 changes nothing.
    missing = session.post(f"{base_url}/v3/campaigns/nothing-here/activate")
    assert missing.status_code == 404


def test_read_only_sends_only_gets(base_url):
    session = session_for(base_url, read_only=True)
    assert session.get(f"{base_url}/v3/campaigns").status_code == 200
    with pytest.raises(RefusedRequest, match="read-only"):
        session.post(f"{base_url}/v3/campaigns", json={"name": "x", "type": "MANAGER"})


def test_tenant_settings_are_restored_exactly(base_url):
    prior = {"identityAttributeColumns": ["department"]}
    requests.put(
        f"{base_url}/v3/campaigns/reports-configuration", json=prior, headers=raw_headers(base_url)
    )
    session = session_for(base_url)
    session.put(
        f"{base_url}/v3/campaigns/reports-configuration", json={"identityAttributeColumns": []}
    )
    session.put(
        f"{base_url}/v3/campaigns/reports-configuration", json={"identityAttributeColumns": None}
    )
    session.ledger.cleanup(session, base_url)
    now = requests.get(
        f"{base_url}/v3/campaigns/reports-configuration", headers=raw_headers(base_url)
    ).json()
    assert now == prior


def test_429_is_waited_out_and_retried(base_url):
    requests.post(
        f"{base_url}/emulator/clients",
        json={"clientId": "limited", "clientSecret": "pw", "tenant": "limited"},
    ).raise_for_status()
    requests.put(
        f"{base_url}/emulator/tenants/limited/rate-limit", json={"requests": 2, "perSeconds": 1}
    ).raise_for_status()
    session = session_for(base_url, "limited", "pw", throttle=Throttle.unlimited())
    statuses = [session.get(f"{base_url}/v3/campaigns").status_code for _ in range(4)]
    assert statuses == [200] * 4
    assert session.request_count > 4, "some requests were answered 429 and sent again"
    assert session.throttle.waited_seconds >= 1


def test_the_throttle_keeps_under_the_limit(base_url):
    session = session_for(base_url, throttle=Throttle(5, 1.0))
    for _ in range(7):
        session.get(f"{base_url}/v3/campaigns")
    assert session.throttle.waited_seconds > 0.5


def test_a_token_refused_before_its_time_is_replaced_once(base_url):
    session = session_for(base_url)
    tokens = session.tokens
    tokens.token()
    tokens._held = HeldToken("expired.or.revoked", 3600, time.monotonic())  # server refuses it
    assert session.get(f"{base_url}/v3/campaigns").status_code == 200
    assert tokens.fetches == 2 and session.request_count == 2


def test_short_lived_tokens_are_refreshed_before_they_expire(base_url):
    ControlClient(base_url).add_client("brief", "pw", token_ttl_seconds=3)
    session = session_for(base_url, "brief", "pw")
    tokens = session.tokens
    statuses = []
    for _ in range(14):  # 3.5 s: more than one lifetime
        statuses.append(session.get(f"{base_url}/v3/campaigns").status_code)
        time.sleep(0.25)
    assert statuses == [200] * 14
    assert session.request_count == 14, "no request was refused and sent again"
    assert tokens.fetches >= 3, "refreshed halfway through each 3 s lifetime"
    assert tokens.first is not None and tokens.first.lifetime == 3
    assert tokens.first.seconds_expired() > 0, "the run's first token is kept, expired"
    assert tokens.first.value in tokens.secrets()


def test_no_secret_or_token_in_reprs_errors_or_logs(base_url, caplog):
    caplog.set_level(logging.DEBUG)
    session = session_for(base_url)
    token = session.tokens.token()
    session.get(f"{base_url}/v3/campaigns")
    with pytest.raises(Exception) as refused:
        session_for(base_url, read_only=True).post(f"{base_url}/v3/campaigns", json={})
    bad = TokenSource(base_url, Credentials("conformance", "wrong-" + SECRET))
    with pytest.raises(Exception) as token_error:
        bad.token()
    texts = [
        repr(session),
        repr(session.tokens),
        repr(Credentials("c", SECRET)),
        str(refused.value),
        str(token_error.value),
        caplog.text,
    ]
    for text in texts:
        assert SECRET not in text and token not in text


def test_without_token_is_a_per_request_switch(base_url):
    session = session_for(base_url)
    seen: list[str | None] = []
    session.observers.append(
        lambda op, request, _: seen.append(request.headers.get("Authorization"))
    )
    url = f"{base_url}/v3/campaigns"
    anyway = {"Authorization": "Bearer given-but-switched-off"}
    refused = session.get(url, auth=WITHOUT_TOKEN, headers=anyway)
    assert refused.status_code == 401 and "error" in refused.json()
    assert session.request_count == 1, "a 401 to a request sent without a token is not retried"
    assert session.tokens.fetches == 0
    assert session.get(url).status_code == 200, "the next request carries the token again"
    assert seen[0] is None and seen[1].startswith("Bearer ")


def test_a_redirected_request_keeps_the_switch():
    routes = {
        "/oauth/token": oauth_token(),
        "/v3/campaigns": (302, "text/plain", "", {"Location": "/v3/campaign-templates"}),
        "/v3/campaign-templates": (200, "application/json", "[]"),
    }
    with answering(routes) as url:
        session = session_for(url)
        switched_off = session.get(f"{url}/v3/campaigns", auth=WITHOUT_TOKEN)
        assert switched_off.history, "the redirect was followed"
        assert "Authorization" not in switched_off.request.headers
        assert session.get(f"{url}/v3/campaigns").request.headers["Authorization"] == (
            "Bearer a-token"
        )
