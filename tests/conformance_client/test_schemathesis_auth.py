"""How schemathesis' requests meet the guest session's per-request token switch.

Schemathesis hands its transport keyword arguments to `session.request`, so `auth=WITHOUT_TOKEN`
reaches the guest session like any requests call. Its `ignored_auth` check is another matter:
it sends its probes (no token, then an invalid one) through a session of its own, never the
one it was given, and only for apiKey or http security schemes. The spec declares oauth2, so
today it sends none; if it ever does, those probes skip the guest session's throttle, guard
and request count, which these tests would be the first to say.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator

import pytest
import requests
import schemathesis

import spec
from conformance.client import WITHOUT_TOKEN, Credentials, GuestSession, RunLedger
from tests.harness import emulator_process


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with emulator_process("--transition-delay", "0") as server:
        yield server.base_url


@pytest.fixture
def session(base_url: str) -> GuestSession:
    return GuestSession(base_url, Credentials("conformance", "conformance-secret"), RunLedger())


def list_campaigns(document: dict) -> schemathesis.Case:
    schema = schemathesis.openapi.from_dict(document)
    operation = schema.find_operation_by_path("GET", "/campaigns")
    return operation.Case(query={})


def test_without_token_reaches_the_session_through_schemathesis(base_url, session):
    case = list_campaigns(spec.load_spec())
    api = f"{base_url}/v3"
    without = case.call(base_url=api, session=session, auth=WITHOUT_TOKEN)
    assert without.status_code == 401
    assert "Authorization" not in without.request.headers
    assert case.call(base_url=api, session=session).status_code == 200
    assert session.request_count == 2


@pytest.fixture
def sent(monkeypatch) -> list[tuple[str, str]]:
    """Every request any requests session sends: (session class, Authorization header)."""
    seen: list[tuple[str, str]] = []
    original = requests.Session.send

    def send(self, request, **options):
        if "/v3/" in (request.url or ""):
            seen.append((type(self).__name__, request.headers.get("Authorization", "")))
        return original(self, request, **options)

    monkeypatch.setattr(requests.Session, "send", send)
    return seen


def test_ignored_auth_sends_no_probe_for_the_spec_oauth2_scheme(base_url, session, sent):
    from schemathesis.specs.openapi.checks import ignored_auth

    case = list_campaigns(spec.load_spec())
    case.call_and_validate(base_url=f"{base_url}/v3", session=session, checks=[ignored_auth])
    assert [name for name, _ in sent] == ["GuestSession"]


def test_ignored_auth_probes_go_around_the_given_session(base_url, session, sent):
    from schemathesis.specs.openapi.checks import ignored_auth

    document = copy.deepcopy(spec.load_spec())
    document["components"]["securitySchemes"]["applicationAuth"] = {
        "type": "http",
        "scheme": "bearer",
    }
    case = list_campaigns(document)
    token = {"Authorization": f"Bearer {session.tokens.token()}"}
    case.call_and_validate(
        base_url=f"{base_url}/v3", session=session, headers=token, checks=[ignored_auth]
    )
    first, *probes = sent
    assert first == ("GuestSession", token["Authorization"])
    assert probes and all(name != "GuestSession" for name, _ in probes)
    assert probes[0][1] == "", "the first probe carries no token"
    assert session.request_count == 1, "the probes are not the guest session's"
