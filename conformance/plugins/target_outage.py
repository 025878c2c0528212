"""pytest plugin: a target that stops answering mid-run ends the run with one line, exit 6.

The guest session's circuit breaker raises `TargetStoppedAnswering` once the target has failed
several requests in a row at the transport level; a request a test sent beside the guest
session (to the emulator's control API) that could not connect counts too, once the target
no longer accepts connections. The test that hit it is reported with that
one line instead of a traceback, pytest stops after it (no other test is started), session
teardown still runs the cleanup (which tries the target once more and prints what it could
not remove), and the exit code is 6, as for a target the preflight refused.
"""

from __future__ import annotations

import pytest
import requests

from conformance.client.circuit_breaker import CircuitBreaker, TargetStoppedAnswering
from conformance.plugins import keys
from conformance.targets.preflight import EXIT_TARGET_UNUSABLE


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    stopped = _stopped_answering(item, call.excinfo) if call.excinfo is not None else None
    if stopped is not None:
        line = f"conformance: {stopped}"
        report.longrepr = line
        report.sections = []  # what the test printed is about the test, not the outage
        item.config.stash.setdefault(keys.TARGET_STOPPED, line)
        item.session.shouldstop = line
    return report


def _stopped_answering(item: pytest.Item, excinfo: pytest.ExceptionInfo) -> str | None:
    if excinfo.errisinstance(TargetStoppedAnswering):
        return str(excinfo.value)
    # A request the test sent beside the guest session (to the emulator's control API) that
    # could not connect: if the target no longer accepts connections, it is the outage.
    target = item.config.stash.get(keys.TARGET, None)
    if target is None or not excinfo.errisinstance(requests.exceptions.ConnectionError):
        return None
    session = item.config.stash.get(keys.SESSION, None)
    breaker = session.breaker if session is not None else CircuitBreaker(target.base_url)
    try:
        breaker.confirm(target.base_url, excinfo.value)
    except TargetStoppedAnswering as stopped:
        return str(stopped)
    return None


@pytest.hookimpl(tryfirst=True)  # so every later sessionfinish hook sees the final code
def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    if keys.TARGET_STOPPED not in config.stash:
        return
    if hasattr(config, "workeroutput"):  # a pytest-xdist worker: tell the controller
        config.workeroutput["conformance_stopped"] = config.stash[keys.TARGET_STOPPED]
    session.exitstatus = EXIT_TARGET_UNUSABLE


@pytest.hookimpl(optionalhook=True)  # an xdist hook: absent without pytest-xdist
def pytest_testnodedown(node, error) -> None:
    line = getattr(node, "workeroutput", {}).get("conformance_stopped")
    if line:
        # xdist prints it as it stops the run
        node.config.stash.setdefault(keys.TARGET_STOPPED, line)
