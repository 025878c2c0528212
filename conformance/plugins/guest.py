"""The guest session every request of the run goes through, and the suite's API helper."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

import pytest
import requests

from conformance.client import GuestSession, RunLedger
from conformance.client.circuit_breaker import TargetStoppedAnswering
from conformance.client.ledger import adopt
from conformance.client.throttle import SharedThrottle, Throttle
from conformance.judging.observations import observe_response
from conformance.judging.tally import current_tally
from conformance.plugins import keys
from conformance.run.run_options import RunOptions
from conformance.scenario.suite_api import SuiteApi
from conformance.targets.target import Target
from spec.rate_limit import RateLimit


@pytest.fixture(scope="session")
def guest_session(
    request: pytest.FixtureRequest,
    pytestconfig: pytest.Config,
    run_options: RunOptions,
    target: Target,
) -> Iterator[GuestSession]:
    session = GuestSession(
        target.base_url,
        target.credentials,
        RunLedger(pytestconfig.stash[keys.RUN_ID]),
        throttle=_throttle(pytestconfig, run_options.rate_limit),
        read_only=run_options.read_only,
    )
    if target.control is not None:
        target.control.breaker = session.breaker
    secrets = pytestconfig.stash[keys.SECRETS] = {target.credentials.client_secret}
    session.observers.append(_observer(secrets))
    pytestconfig.stash[keys.SESSION] = session
    pytestconfig.stash[keys.SESSION_STARTED] = time.monotonic()
    yield session
    # Runs after failures and after Ctrl-C too: pytest tears session fixtures down either way.
    if request.session.exitstatus == pytest.ExitCode.INTERRUPTED:  # Ctrl-C
        _adopt_what_was_in_flight(session, target.base_url)
    report = session.ledger.cleanup(session, target.base_url)
    pytestconfig.stash[keys.CLEANUP_REPORT] = report
    secrets.update(session.tokens.secrets())
    session.close()


def _adopt_what_was_in_flight(session: GuestSession, base_url: str) -> None:
    """After Ctrl-C a create may have been in flight (the server made the object, the answer
    never came): the objects named for this run are the run's, so the ledger adopts them.
    Under pytest-xdist every worker was interrupted together, so none is still using them."""
    # If the listing fails, the ledger's own list is cleaned up all the same.
    with contextlib.suppress(requests.RequestException, TargetStoppedAnswering):
        adopt(session, session.ledger, base_url, session.ledger.name_prefix)


def _throttle(config: pytest.Config, limit: RateLimit | None) -> Throttle:
    """The run's rate budget: shared with the other pytest-xdist workers when there are."""
    shared = config.stash.get(keys.BUDGET_FILE, None)
    if limit is not None and shared is not None:
        # The worker whose tests have the most requests left goes first (plugins/workers.py).
        priority = lambda: config.stash.get(keys.WORK_LEFT, 0.0)  # noqa: E731
        return SharedThrottle(shared, limit.requests, limit.per_seconds, priority)
    return Throttle.of(limit)


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


@pytest.fixture
def guest_with_its_own_token(
    pytestconfig: pytest.Config, target: Target, guest_session: GuestSession
) -> Iterator[GuestSession]:
    """A read-only guest with a token of its own (the run's client), outside the run's rate
    budget and without retries, so a 429 reaches the test as sent: the 429 rule's probe.
    Its token is redacted like the run's, and its requests count in the run's total."""
    secrets = pytestconfig.stash[keys.SECRETS]
    session = GuestSession(
        target.base_url,
        target.credentials,
        guest_session.ledger,
        throttle=Throttle.unlimited(),
        read_only=True,
        retries=0,
    )
    session.observers.append(_observer(secrets))
    yield session
    secrets.update(session.tokens.secrets())
    guest_session.transport.sent += session.request_count  # the run's count, not its budget
    outside = pytestconfig.stash.get(keys.OWN_TOKEN_REQUESTS, 0) + session.request_count
    pytestconfig.stash[keys.OWN_TOKEN_REQUESTS] = outside
    session.close()


@pytest.fixture(scope="session")
def suite_api(guest_session: GuestSession) -> SuiteApi:
    return SuiteApi(guest_session)
