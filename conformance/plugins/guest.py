"""The guest session every request of the run goes through, and the suite's API helper."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from conformance.client import GuestSession, RunLedger, TokenSource
from conformance.client.throttle import Throttle
from conformance.observations import observe_response
from conformance.plugins.options import RATE
from conformance.suite_api import SuiteApi
from conformance.tally import current_tally
from conformance.target import Target

SESSION = pytest.StashKey[GuestSession]()
STARTED = pytest.StashKey[float]()
SECRETS = pytest.StashKey[set]()  # what the session held: client secret, tokens


@pytest.fixture(scope="session")
def guest_session(pytestconfig: pytest.Config, target: Target) -> Iterator[GuestSession]:
    rate = pytestconfig.stash[RATE]
    tokens = TokenSource(target.base_url, target.credentials)
    session = GuestSession(
        target.base_url,
        tokens,
        RunLedger(),
        throttle=Throttle(rate.requests, rate.per_seconds) if rate else Throttle.unlimited(),
        read_only=pytestconfig.getoption("--read-only"),
    )
    if target.control is not None:
        target.control.breaker = session.breaker
    secrets = pytestconfig.stash[SECRETS] = {target.credentials.client_secret}
    session.observers.append(_observer(secrets))
    pytestconfig.stash[SESSION] = session
    pytestconfig.stash[STARTED] = time.monotonic()
    yield session
    # Runs after failures and after Ctrl-C too: pytest tears session fixtures down either way.
    report = session.ledger.cleanup(session, target.base_url)
    session.cleanup_summary = report.summary()  # type: ignore[attr-defined]
    secrets.update(tokens.secrets())
    session.close()


def _observer(secrets: set[str]):
    """Status-code coverage (every answer, per operation, into the running test's tally) and
    every bearer token the run sent, so no report ever shows one."""

    def observe(operation, request, response) -> None:
        tally = current_tally()
        tally.saw_status(operation.operation_id, response.status_code)
        observe_response(tally.behaviour, operation.operation_id, request, response)
        authorization = request.headers.get("Authorization", "")
        if authorization.startswith("Bearer "):
            secrets.add(authorization.removeprefix("Bearer "))

    return observe


@pytest.fixture(scope="session")
def suite_api(guest_session: GuestSession) -> SuiteApi:
    return SuiteApi(guest_session)
