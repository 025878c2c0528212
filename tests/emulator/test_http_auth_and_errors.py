"""Tokens, authorities, and the documented error shapes for bad input."""

from __future__ import annotations

import time
from types import SimpleNamespace

import jwt
import pytest
from spec_checked_api import Api

import spec
from emulator import EmulatorConfig, auth, create_app
from emulator.config import make_client

ORG_ADMIN_ONLY = {"createCampaign", "getCampaign", "move", "setCampaignReportsConfig"}
REPORT_ADMIN_OK = {
    "getActiveCampaigns",
    "getCampaignReports",
    "startCampaignReport",
    "startCampaignRemediationScan",
}
SAMPLE_PATH = {"id": "any", "type": "CAMPAIGN_STATUS_REPORT"}


def test_token_endpoint_accepts_form_or_query(http):
    form = http.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "conformance",
            "client_secret": "conformance-secret",
        },
    )
    query = http.post(
        "/oauth/token",
        params={
            "grant_type": "client_credentials",
            "client_id": "conformance",
            "client_secret": "conformance-secret",
        },
    )
    for response in (form, query):
        assert response.status_code == 200
        body = response.json()
        assert body["token_type"] == "bearer" and body["expires_in"] == 3600
        assert body["access_token"].count(".") == 2, "a JWT"


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"grant_type": "password"}, 400),
        (
            {"grant_type": "client_credentials", "client_id": "conformance", "client_secret": "x"},
            401,
        ),
        ({"grant_type": "client_credentials", "client_id": "nobody", "client_secret": "x"}, 401),
    ],
)
def test_token_endpoint_refuses_bad_credentials(http, fields, status):
    assert http.post("/oauth/token", data=fields).status_code == status


def test_garbage_and_expired_tokens_are_401(http, monkeypatch):
    config = EmulatorConfig(token_ttl_seconds=1, transition_delay=0)
    from starlette.testclient import TestClient

    with TestClient(create_app(config)) as short_lived:
        api = Api(short_lived)
        assert api.call("getActiveCampaigns", token="not.a.jwt").status_code == 401
        assert api.call("getActiveCampaigns").status_code == 200
        move_past_expiry(monkeypatch, api.token)
        expired = api.call("getActiveCampaigns")
        assert expired.json() == {"error": "JWT validation failed: JWT is expired"}


def move_past_expiry(monkeypatch: pytest.MonkeyPatch, token: str) -> None:
    """The emulator's token clock moved just past the instant the token's `exp` names, rather
    than waiting for it (up to two seconds for a 1-second token: exp is rounded up to whole
    seconds). The suite's token-expiry test waits one out against a real process."""
    expires_at = jwt.decode(token, options={"verify_signature": False})["exp"]
    monkeypatch.setattr(auth, "time", SimpleNamespace(time=lambda: expires_at + 0.01))


def test_a_token_lives_at_least_its_expires_in_when_issued_late_in_a_second(monkeypatch):
    """exp is whole seconds: issued at x.99 with a 1-second lifetime, it names x + 2, not x + 1
    (which would have been 0.01 s away)."""
    config = EmulatorConfig(token_ttl_seconds=1, transition_delay=0)
    from starlette.testclient import TestClient

    monkeypatch.setattr(time, "time", lambda: 1_700_000_000.99)
    with TestClient(create_app(config)) as client:
        grant = _grant(client, "conformance", "conformance-secret")
        assert grant.status_code == 200, grant.text
        claims = jwt.decode(grant.json()["access_token"], options={"verify_signature": False})
        assert claims["exp"] - 1_700_000_000.99 >= grant.json()["expires_in"] == 1
        bearer = {"Authorization": f"Bearer {grant.json()['access_token']}"}
        assert client.get("/v3/campaigns", headers=bearer).status_code == 200


def _grant(http, client_id: str, secret: str):
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    return http.post("/oauth/token", data=form)


def test_a_client_can_be_given_its_own_token_lifetime(http, monkeypatch):
    record = {"clientId": "brief", "clientSecret": "pw", "tokenTtlSeconds": 1}
    assert http.post("/emulator/clients", json=record).status_code == 201
    brief = _grant(http, "brief", "pw").json()
    usual = _grant(http, "conformance", "conformance-secret").json()
    assert (brief["expires_in"], usual["expires_in"]) == (1, 3600)
    move_past_expiry(monkeypatch, brief["access_token"])
    for grant, status in ((brief, 401), (usual, 200)):
        bearer = {"Authorization": f"Bearer {grant['access_token']}"}
        assert http.get("/v3/campaigns", headers=bearer).status_code == status


@pytest.mark.parametrize("ttl", [0, -5, 1.5, "60", True])
def test_a_token_lifetime_that_is_not_whole_seconds_is_400(http, ttl):
    record = {"clientId": "brief", "clientSecret": "pw", "tokenTtlSeconds": ttl}
    refused = http.post("/emulator/clients", json=record)
    assert refused.status_code == 400 and "tokenTtlSeconds" in refused.json()["error"]
    assert _grant(http, "brief", "pw").status_code == 401, "no client was registered"


@pytest.fixture
def report_admin(http):
    client = make_client("auditor", "pw", {"REPORT_ADMIN"})
    http.post(
        "/emulator/clients",
        json={"clientId": "auditor", "clientSecret": "pw", "authorities": ["REPORT_ADMIN"]},
    )
    return Api(http, client)


@pytest.mark.parametrize(
    "operation_id", sorted(op["operationId"] for _, _, op in spec.operations())
)
def test_authority_is_enforced_per_operation(report_admin, operation_id):
    response = report_admin.call(operation_id, **SAMPLE_PATH)
    if operation_id in REPORT_ADMIN_OK:
        assert response.status_code != 403
    else:
        assert response.status_code == 403
        assert response.json()["detailCode"] == "403 Forbidden"


def test_every_error_carries_a_fresh_tracking_id(api):
    first = api.call("getCampaign", id="missing").json()
    second = api.call("getCampaign", id="missing").json()
    assert first["trackingId"] != second["trackingId"]
    assert len(first["trackingId"]) == 32


@pytest.mark.parametrize(
    ("raw", "named"),
    [
        (b"{not json", "body"),
        (b'{"name": "x", "description": null}', "type"),
        (b'{"name": "x", "description": null, "type": "MANAGER", "deadline": 5}', "deadline"),
        (
            b'{"name": "x", "description": null, "type": "MANAGER", '
            b'"emailNotificationEnabled": "y"}',
            "emailNotificationEnabled",
        ),
        (b"[]", "body"),
        (b"", "body"),
    ],
)
def test_malformed_bodies_are_400_naming_the_field(api, raw, named):
    response = api.call("createCampaign", raw=raw, content_type="application/json")
    assert response.status_code == 400
    assert named in response.json()["causes"][0]["text"]


def test_unknown_paths_and_methods(api):
    headers = {"Authorization": f"Bearer {api.token}"}
    assert api.http.get("/v3/nothing-here", headers=headers).status_code == 404
    response = api.http.put("/v3/campaigns", headers=headers)
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "POST"}


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/v3/campaigns", {"GET", "POST"}),
        ("DELETE", "/v3/campaigns/any", {"GET", "PATCH"}),
        ("GET", "/v3/campaigns/delete", {"POST"}),
        ("POST", "/v3/campaign-templates/any/schedule", {"GET", "PUT", "DELETE"}),
        ("TRACE", "/v3/campaign-templates", {"GET", "POST"}),
        ("PROPFIND", "/v3/campaigns/any/reports", {"GET"}),  # a method no route names
        ("POST", "/v3/certifications", {"GET"}),
        ("PATCH", "/oauth/token", {"POST"}),
    ],
)
def test_405_names_the_methods_the_path_allows(http, method, path, allowed):
    """RFC 9110 15.5.6: 405 with an Allow header; the body is the documented error shape,
    whether or not the request carried a token."""
    response = http.request(method, path)
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == allowed
    body = response.json()
    assert body["detailCode"] == "405 Method Not Allowed" and body["trackingId"]
    assert method in body["causes"][0]["text"] or path == "/oauth/token"


def test_rate_limit_answers_429_with_retry_after(api):
    api.control("PUT", "/rate-limit", {"requests": 3, "perSeconds": 10})
    statuses = [api.call("getActiveCampaigns").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = api.call("getActiveCampaigns")
    assert limited.json() == {"message": " Rate Limit Exceeded "}
    assert 1 <= int(limited.headers["Retry-After"]) <= 10


def test_injected_faults(api):
    api.control("PUT", "/faults", {"errorRate": 1.0, "errorStatus": 500})
    response = api.call("getActiveCampaigns")
    assert response.status_code == 500 and response.json()["detailCode"] == "500.0 Internal Fault"
    api.control("PUT", "/faults", {"errorRate": 0})
    assert api.call("getActiveCampaigns").status_code == 200


def test_violations_list_what_clients_got_wrong(api):
    api.call("getActiveCampaigns", query={"limit": 900})
    api.call("getCampaign", id="missing")  # asking about a missing object is not a violation
    api.call("createCampaign", body={"name": "x"})
    violations = api.violations()
    assert [(v["operationId"], v["status"]) for v in violations] == [
        ("getActiveCampaigns", 400),
        ("createCampaign", 400),
    ]
    assert "limit" in violations[0]["reason"]
    api.control("DELETE", "/violations")
    assert api.violations() == []


def test_never_a_500_for_hostile_input(api):
    hostile = ["(" * 500, '"' * 30, "name eq " + "9" * 5000, "\x00", "name in ()", "not not"]
    for filters in hostile:
        assert api.call("getActiveCampaigns", query={"filters": filters}).status_code == 400
    for raw in (b"\xff\xfe", b"1e999", b'{"name": "\\ud800"}', b"[" * 2000):
        response = api.call("createCampaign", raw=raw, content_type="application/json")
        assert response.status_code == 400, raw
