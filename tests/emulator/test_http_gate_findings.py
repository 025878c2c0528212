"""What the gate records beyond the refusals: requests a tenant answers but the client got
wrong. The answers stay a tenant's (the same as to the well-formed request); the records name
the culprit, the nearest declared name or operation, and the tracking id of the answer."""

from __future__ import annotations

import warnings

import pytest
from spec_checked_api import Api, future
from test_http_templates import make_template

from emulator import EmulatorConfig, create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


def findings(api: Api) -> list[dict]:
    return api.violations()


def sent(api: Api, method: str, path: str, **options):
    headers = {"Authorization": f"Bearer {api.token}", **options.pop("headers", {})}
    return api.http.request(method, path, headers=headers, **options)


def campaign_body(**members) -> dict:
    return {"name": "n", "description": "d", "type": "MANAGER", "deadline": future(), **members}


def search(**info) -> dict:
    return {"type": "SEARCH", "searchCampaignInfo": {"type": "IDENTITY", **info}}


@pytest.mark.parametrize(
    ("sound", "mistaken", "member", "suggestion"),
    [
        (
            {"emailNotificationEnabled": True},
            {"emailNotificationsEnabled": True},
            "emailNotificationsEnabled",
            "emailNotificationEnabled",
        ),
        ({}, {"colour": "blue"}, "colour", None),
        (
            search(identityIds=["a"]),
            search(identityIds=["a"], identityIdz=["a"]),
            "searchCampaignInfo.identityIdz",
            "identityIds",
        ),
    ],
)
def test_an_undeclared_member_is_answered_as_a_tenant_answers_and_recorded(
    api, sound, mistaken, member, suggestion
):
    plain = sent(api, "POST", "/v3/campaigns", json=campaign_body(**sound))
    assert findings(api) == []
    response = sent(api, "POST", "/v3/campaigns", json=campaign_body(**mistaken))
    assert response.status_code == plain.status_code
    assert member.split(".")[-1] not in response.text, "a tenant does not keep what it ignores"
    [record] = findings(api)
    assert (record["kind"], record["operationId"], record["member"]) == (
        "violation",
        "createCampaign",
        member,
    )
    assert record["status"] == response.status_code
    assert (f"did you mean {suggestion}?" in record["reason"]) == (suggestion is not None)


def test_a_patch_value_is_judged_against_the_member_its_path_names(api):
    template = make_template(api)
    patch = [{"op": "replace", "path": "/campaign", "value": {**template["campaign"], "colour": 1}}]
    response = api.call("patchCampaignTemplate", id=template["id"], body=patch)
    assert response.status_code == 200
    [record] = findings(api)
    assert record["member"] == "/campaign/colour"


def test_an_unknown_query_parameter_is_recorded_with_the_nearest_name(api):
    assert api.call("getActiveCampaigns", query={"limt": "5"}).status_code == 200
    [record] = findings(api)
    assert record["member"] == "query limt"
    assert "did you mean limit?" in record["reason"]


@pytest.mark.parametrize(
    ("method", "path", "status", "hint"),
    [
        ("GET", "/v3/campaign/abc", 404, "did you mean GET /v3/campaigns/{id}?"),
        ("GET", "/api/v3/campaigns", 404, "did you mean GET /v3/campaigns?"),
        ("PUT", "/v3/campaigns/abc", 405, "this path takes GET or PATCH"),
        ("GET", "/v3/campaigns/delete", 405, "this path takes POST"),
    ],
)
def test_an_operation_the_api_does_not_have_is_recorded_naming_the_nearest(
    api, method, path, status, hint
):
    response = sent(api, method, path)
    assert response.status_code == status
    [record] = findings(api)
    assert record["reason"] == f"no such operation; {hint}"
    assert (record["method"], record["path"], record["status"]) == (method, path, status)
    assert record["trackingId"] == response.json()["trackingId"]


def test_repeated_slashes_are_served_as_one_and_warned_about(http, api):
    token = http.post(
        "http://testserver//oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": api.client.client_id,
            "client_secret": api.client.client_secret,
        },
    )
    assert token.status_code == 200
    once = sent(api, "GET", "/v3/campaigns")
    twice = sent(api, "GET", "http://testserver//v3//campaigns")
    assert (twice.status_code, twice.json()) == (once.status_code, once.json())
    records = findings(api)
    assert [(r["kind"], r["path"]) for r in records] == [
        ("warning", "//oauth/token"),
        ("warning", "//v3//campaigns"),
    ]
    assert "a tenant serves it as /v3/campaigns" in records[1]["reason"]


def test_a_request_before_its_retry_after_ran_out_is_a_violation(api):
    api.control("PUT", "/rate-limit", {"requests": 1, "perSeconds": 60})
    assert api.call("getActiveCampaigns").status_code == 200
    refused = api.call("getActiveCampaigns")
    assert refused.status_code == 429
    assert findings(api) == [], "a 429 is the tenant's answer, not the client's mistake"
    assert api.call("getActiveCampaigns").status_code == 429
    [record] = findings(api)
    assert record["reason"] == "sent before the Retry-After its token was given ran out"


def test_a_new_token_for_most_requests_is_a_warning_naming_the_count(api):
    for _ in range(6):
        api.token = api.fetch_token()
        api.call("getActiveCampaigns")
    [record] = findings(api)
    assert record["kind"] == "warning"
    assert "asked for a new token 7 times for 6 API requests" in record["reason"]


# --- the control API beyond loopback ------------------------------------------------------
def control_app(**config) -> TestClient:
    return TestClient(create_app(EmulatorConfig(transition_delay=0, **config)))


NEW_CLIENT = {"clientId": "intruder", "clientSecret": "s", "authorities": ["ORG_ADMIN"]}


def test_on_loopback_the_control_api_needs_no_token():
    with control_app(host="127.0.0.1") as http:
        assert http.post("/emulator/clients", json=NEW_CLIENT).status_code == 201


def test_beyond_loopback_the_control_api_answers_only_the_control_token():
    with control_app(host="0.0.0.0", control_token="team-secret") as http:
        refused = http.post("/emulator/clients", json=NEW_CLIENT)
        assert refused.status_code == 401 and set(refused.json()) == {"error"}
        wrong = {"Authorization": "Bearer guess"}
        assert http.post("/emulator/clients", json=NEW_CLIENT, headers=wrong).status_code == 401
        grant = {"grant_type": "client_credentials", "client_id": "intruder", "client_secret": "s"}
        assert http.post("/oauth/token", data=grant).status_code == 401, "no client was added"
        right = {"Authorization": "Bearer team-secret"}
        assert http.post("/emulator/clients", json=NEW_CLIENT, headers=right).status_code == 201
        assert http.post("/oauth/token", data=grant).status_code == 200


def test_beyond_loopback_without_a_control_token_the_control_api_is_closed():
    with control_app(host="0.0.0.0") as http:
        refused = http.get("/emulator/health", headers={"Authorization": "Bearer anything"})
        assert refused.status_code == 401
        assert "--control-token" in refused.json()["error"]
        assert http.post("/oauth/token", data={"grant_type": "x"}).status_code == 400, (
            "the API itself is served as usual"
        )
