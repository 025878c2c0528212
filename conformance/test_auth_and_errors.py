"""Authentication, authority and the documented error responses, for all 22 operations."""

from __future__ import annotations

import os
import secrets
import time

import pytest
import requests

import spec
from conformance.client import WITHOUT_TOKEN, Credentials, TokenSource
from conformance.judging.rules import described, expect
from conformance.scenario.suite_api import SuiteApi
from conformance.targets.rate_limit_probe import first_429
from spec.responses import is_error_response

OPERATIONS = sorted(op["operationId"] for _, _, op in spec.operations())
# An id no tenant has: it names no object, so even a destructive call changes nothing.
MISSING = "cc-run-missing-0000000000000000"
PATH = {"id": MISSING, "type": "CAMPAIGN_STATUS_REPORT"}


def _sample_body(operation_id: str):
    _, _, operation = spec.operation_by_id(operation_id)
    if "requestBody" not in operation:
        return None
    return {
        "createCampaign": {"name": "x", "description": None, "type": "MANAGER"},
        "createCampaignTemplate": {
            "name": "x",
            "description": "d",
            "campaign": {"name": "x", "description": "d", "type": "MANAGER"},
        },
        "deleteCampaigns": {"ids": [MISSING]},
        "move": {
            "certificationIds": ["c"],
            "reason": "r",
            "reassignTo": {"id": "i", "type": "IDENTITY"},
        },
        "patchCampaignTemplate": [{"op": "replace", "path": "/description", "value": "x"}],
        "updateCampaign": [{"op": "replace", "path": "/description", "value": "x"}],
        "setCampaignReportsConfig": {"identityAttributeColumns": []},
        "setCampaignTemplateSchedule": {
            "type": "WEEKLY",
            "hours": {"type": "LIST", "values": ["1"]},
        },
    }.get(operation_id, {})


@pytest.mark.rules("401")
@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_401_without_a_token(suite_api: SuiteApi, operation_id):
    skip_writes_when_read_only(suite_api, operation_id)
    response = suite_api.call(
        operation_id, body=_sample_body(operation_id), auth=WITHOUT_TOKEN, **PATH
    )
    expect(response.status_code == 401, "401", response)
    body = response.json()
    expect(
        isinstance(body, dict) and isinstance(body.get("error"), str),
        "401",
        f"answered the body {body!r}",
    )


@pytest.fixture(scope="module")
def limited_tokens(target, suite_api: SuiteApi):
    """A token without the authorities: the emulator makes one; a tenant needs it given."""
    if target.control is not None:
        client_id = f"cc-limited-{secrets.token_hex(4)}"
        credentials = target.control.register_client(client_id, secrets.token_hex(8), ["HELPDESK"])
    elif os.environ.get("SAIL_LIMITED_CLIENT_ID") and os.environ.get("SAIL_LIMITED_CLIENT_SECRET"):
        credentials = Credentials(
            os.environ["SAIL_LIMITED_CLIENT_ID"], os.environ["SAIL_LIMITED_CLIENT_SECRET"]
        )
    else:
        pytest.skip(
            "403 checks need a client without ORG_ADMIN/CERT_ADMIN/REPORT_ADMIN: set "
            "SAIL_LIMITED_CLIENT_ID and SAIL_LIMITED_CLIENT_SECRET"
        )
    return TokenSource(target.base_url, credentials)


@pytest.mark.rules("403", "error-response-body")
@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_403_with_a_token_lacking_the_authority(suite_api, limited_tokens, operation_id):
    skip_writes_when_read_only(suite_api, operation_id)
    token = limited_tokens.token()
    response = suite_api.call(
        operation_id,
        body=_sample_body(operation_id),
        headers={"Authorization": f"Bearer {token}"},
        **PATH,
    )
    expect(response.status_code == 403, "403", response)
    _error_shape(response)


ID_OPERATIONS = [op["operationId"] for _, path, op in spec.operations() if "{id}" in path]


@pytest.mark.rules("not-found", "error-response-body")
@pytest.mark.parametrize("operation_id", sorted(ID_OPERATIONS))
def test_unknown_ids_are_404(suite_api, operation_id):
    skip_writes_when_read_only(suite_api, operation_id)
    response = suite_api.call(operation_id, body=_sample_body(operation_id), **PATH)
    expect(response.status_code == 404, "not-found", response)
    _error_shape(response)


BODY_OPERATIONS = [op["operationId"] for _, _, op in spec.operations() if "requestBody" in op]


@pytest.fixture(scope="module")
def owned(suite_api: SuiteApi) -> dict[str, str]:
    """A STAGED campaign and a template of this run, so a malformed body to an operation with
    an `{id}` reaches the body's 400 rather than the unknown id's 404."""
    campaign = suite_api.create_campaign(name="malformed bodies")["id"]
    suite_api.wait_for_status(campaign, {"STAGED"}, {"PENDING"})
    body = {**_sample_body("createCampaignTemplate"), "name": suite_api.ledger.name("malformed")}
    template = suite_api.ok("createCampaignTemplate", body=body)
    return {"/campaigns/": campaign, "/campaign-templates/": template["id"]}


@pytest.mark.rules("400", "error-response-body")
@pytest.mark.parametrize("operation_id", sorted(BODY_OPERATIONS))
@pytest.mark.parametrize("raw", [b"{not json", b'"a string"'], ids=["not-json", "wrong-type"])
def test_malformed_bodies_are_400(suite_api, operation_id, raw, writable, request):
    path = spec.operation_by_id(operation_id)[1]
    ids = dict(PATH)
    if "{id}" in path:
        owned = request.getfixturevalue("owned")
        ids["id"] = next(found for prefix, found in owned.items() if path.startswith(prefix))
    response = suite_api.call(operation_id, body=raw, **ids)
    expect(response.status_code == 400, "400", response)
    _error_shape(response)


@pytest.mark.rules("429")
def test_429_carries_retry_after(target, run_options, request):
    if target.control is None:
        own = request.getfixturevalue("guest_with_its_own_token")
        _429_on_a_token_of_its_own(own, run_options.rate_limit)
        return
    tenant = f"cc-ratelimit-{secrets.token_hex(3)}"
    client_id, secret = f"cc-{tenant}", secrets.token_hex(8)
    base = target.base_url
    requests.post(
        f"{base}/emulator/clients",
        timeout=10,
        json={"clientId": client_id, "clientSecret": secret, "tenant": tenant},
    ).raise_for_status()
    requests.put(
        f"{base}/emulator/tenants/{tenant}/rate-limit",
        timeout=10,
        json={"requests": 2, "perSeconds": 30},
    ).raise_for_status()
    token = TokenSource(base, Credentials(client_id, secret)).token()
    headers = {"Authorization": f"Bearer {token}"}
    statuses = [requests.get(f"{base}/v3/campaigns", headers=headers, timeout=10) for _ in range(3)]
    limited = statuses[-1]
    expect(limited.status_code == 429, "429", limited)
    _documented_429(limited)


def _429_on_a_token_of_its_own(session, limit) -> None:
    """On a tenant: a token of the run's own, used for nothing else, sends cheap GETs until
    its first 429 (conformance/targets/rate_limit_probe.py); no other token's budget is touched. The
    Retry-After must be honoured: a GET after waiting it out succeeds."""
    if limit is None:
        pytest.skip("--rate-limit off: the run knows no limit to reach (give the target's)")
    probe = first_429(session, limit)
    if probe.limited is None:  # the rule speaks of the 429's header: there was no 429
        pytest.skip(
            f"no 429 to {probe.sent} GETs with one token in {probe.seconds:.1f} s: the target "
            f"does not limit a token to {limit} (--rate-limit), so the 429's Retry-After "
            "could not be checked"
        )
    seconds = _documented_429(probe.limited)
    time.sleep(seconds)
    after = session.get(f"{session.base_url}/v3/campaigns", params={"limit": 1})
    expect(
        after.status_code == 200,
        "429",
        f"after the Retry-After of {seconds} s ran out, answered {described(after)}",
        response=after,
    )


def _documented_429(limited: requests.Response) -> int:
    """A 429 as documented: Retry-After in whole seconds and a message; the seconds."""
    retry_after = limited.headers.get("Retry-After", "")
    expect(
        retry_after.isdigit() and int(retry_after) >= 1,
        "429",
        f"answered 429 with Retry-After={retry_after!r}",
        response=limited,
    )
    try:
        message = limited.json().get("message")
    except (ValueError, AttributeError):  # not JSON, or not an object
        message = None
    expect(isinstance(message, str), "429", f"answered {limited.text}", response=limited)
    return int(retry_after)


def skip_writes_when_read_only(suite_api: SuiteApi, operation_id: str) -> None:
    if suite_api.session.read_only and spec.operation_by_id(operation_id)[0] != "GET":
        pytest.skip(f"read-only run: {operation_id} is not a safe operation")


def _error_shape(response: requests.Response) -> None:
    body = response.json()
    expect(
        is_error_response(body),
        "error-response-body",
        f"answered an error without trackingId/messages: {body!r}",
        response=response,
    )
