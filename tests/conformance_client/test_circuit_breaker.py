"""A target that stops answering: the guest session's breaker opens after a few transport
failures in a row, cleanup still tries once and says what it left, and a suite run against a
server killed midway ends early with one line and exit code 6, also when it died under a
request a test sent itself."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import requests

from conformance.client import Credentials, GuestSession, RunLedger
from conformance.client.circuit_breaker import TargetStoppedAnswering
from conformance.targets.preflight import EXIT_TARGET_UNUSABLE
from conformance.targets.target import EmulatorControl
from tests import warm_python
from tests.conformance_client.loopback_servers import answering, closed_port
from tests.harness import (
    CLIENT_CREDENTIALS,
    emulator_process,
    run_suite,
    served_in_thread,
    suite_environment,
)

REPO = Path(__file__).resolve().parents[2]
CREDENTIALS = Credentials("conformance", "conformance-secret")


def session_for(base_url: str) -> GuestSession:
    return GuestSession(base_url, CREDENTIALS, RunLedger())


def test_breaker_opens_on_a_dead_target_and_then_sends_nothing():
    base = f"http://127.0.0.1:{closed_port()}"
    session = session_for(base)
    started = time.monotonic()
    with pytest.raises(TargetStoppedAnswering, match=r"stopped answering .*connection refused"):
        session.get(f"{base}/v3/campaigns")
    assert time.monotonic() - started < 5
    assert session.breaker.is_open
    started = time.monotonic()
    with pytest.raises(TargetStoppedAnswering):
        session.get(f"{base}/v3/campaigns", headers={"Authorization": "Bearer x"})
    assert time.monotonic() - started < 0.1, "an open breaker must not touch the network"


def test_a_control_call_to_a_dead_emulator_opens_the_same_breaker():
    """Rules on the emulator's clock call its control API beside the guest session; a server
    gone at that moment ends the run like any other request, not with a traceback."""
    base = f"http://127.0.0.1:{closed_port()}"
    session = session_for(base)
    control = EmulatorControl(base, "default", breaker=session.breaker)
    started = time.monotonic()
    with pytest.raises(TargetStoppedAnswering, match=r"stopped answering .*connections refused"):
        control.now()
    assert time.monotonic() - started < 10
    assert session.breaker.is_open


def test_breaker_is_not_caught_as_an_ordinary_exception():
    """hypothesis and schemathesis catch Exception to shrink or report an example."""
    assert not issubclass(TargetStoppedAnswering, Exception)


def test_any_http_answer_keeps_the_breaker_closed():
    server_error = (500, "application/json", '{"detailCode": "500.0 Internal Fault"}')
    routes = {"/oauth/token": (200, "application/json", '{"access_token": "t"}')}
    with answering({**routes, "/v3/campaigns": server_error}) as base:
        session = session_for(base)
        for _ in range(6):
            assert session.get(f"{base}/v3/campaigns").status_code == 500
        assert not session.breaker.is_open and session.breaker.failures_in_a_row == 0


def test_cleanup_after_an_outage_tries_once_and_says_what_is_left():
    with served_in_thread("--transition-delay", "0") as base_url:  # stopped after the block
        session = session_for(base_url)
        created = session.post(
            f"{base_url}/v3/campaigns", json={"name": "c", "description": "d", "type": "MANAGER"}
        )
        assert created.ok, created.text
    with pytest.raises(TargetStoppedAnswering):
        session.get(f"{base_url}/v3/campaigns")
    started = time.monotonic()
    report = session.ledger.cleanup(session, base_url)
    assert time.monotonic() - started < 5
    assert "stopped, the target is not answering; left 1 campaign(s), 0 template(s)" in (
        report.summary()
    )
    assert f"campaigns-conformance cleanup --target {base_url}" in report.summary()


def test_suite_run_against_a_server_killed_midway_ends_early_with_one_line(tmp_path):
    # The suite is forked from a warm Python (the same command line; `--assert=plain`, as the
    # imports it shares were not rewritten); its target is a process of its own, stopped midway.
    reports = tmp_path / "reports"
    command = ["-m", "pytest", "conformance", "-q", "-p", "no:cacheprovider", "--assert=plain"]
    output_file = tmp_path / "suite.out"
    with emulator_process("--transition-delay", "0.05") as server:
        options = ["--target", server.base_url, "--rate-limit", "off", "--report-dir", str(reports)]
        run = warm_python.start(
            [*command, *options],
            cwd=REPO,
            env=suite_environment(CLIENT_CREDENTIALS),
            stdout=output_file,
            stderr=output_file,
        )
        try:
            _wait_until_the_suite_created_something(server.base_url)
        except BaseException:
            run.kill()
            raise
    killed = time.monotonic()
    returncode = run.wait(timeout=120)
    output = output_file.read_text(encoding="utf-8", errors="replace")
    assert time.monotonic() - killed < 60, "the run must end soon after the target died"
    assert returncode == EXIT_TARGET_UNUSABLE, output[-3000:]
    assert "Traceback" not in output and len(output.splitlines()) < 40, output
    stopped = [line for line in output.splitlines() if "stopped answering" in line]
    assert stopped and stopped[-1].startswith("! Interrupted: conformance: "), output
    assert "connection refused" in stopped[-1] and "check the server" in stopped[-1]
    cleanup = [line for line in output.splitlines() if line.startswith("conformance: cleanup:")]
    assert cleanup and "the target is not answering; left" in cleanup[0], output
    # The run folder says the run was cut short, why, and how far it got.
    [results] = reports.glob("*/results.json")
    completion = json.loads(results.read_text(encoding="utf-8"))["run"]["completion"]
    assert (completion["completed"], completion["stopped"]) == (False, "target-stopped-answering")
    assert 0 < completion["tests_run"] < completion["tests_collected"], completion


def test_a_target_gone_under_a_tests_own_request_is_an_outage_too(tmp_path):
    """With the control API, the 429 rule registers a client itself, beside the guest session:
    a target that died under that request ends the run as an outage (one line, exit 6), not
    with the connection error's traceback."""
    with emulator_process() as server:
        # Forked from a warm Python (the same run; `--assert=plain`, as the imports it shares
        # were not rewritten).
        run = run_suite(
            "conformance/test_auth_and_errors.py::test_429_carries_retry_after",
            *("-q", "-p", "no:cacheprovider", "--assert=plain"),
            *("-p", "tests.conformance_client.kill_the_target_at_call"),
            *("--target", server.base_url, "--rate-limit", "off"),
            report_dir=tmp_path / "reports",
            env={**CLIENT_CREDENTIALS, "TARGET_PID": str(server.process.pid)},
            warm=True,
        )
    assert run.process.returncode == EXIT_TARGET_UNUSABLE, run.output[-3000:]
    assert "Traceback" not in run.output and "ConnectionError" not in run.output, run.output
    stopped = [line for line in run.output.splitlines() if "stopped answering" in line]
    assert stopped and stopped[-1].startswith("! Interrupted: conformance: "), run.output


def _wait_until_the_suite_created_something(base_url: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            objects = requests.get(f"{base_url}/emulator/tenants/default/objects", timeout=5)
            if objects.json()["campaigns"]:
                return
        except (requests.RequestException, ValueError, KeyError):
            pass
        time.sleep(0.2)
    raise AssertionError("the suite never created a campaign")


def test_a_request_the_client_cannot_even_build_does_not_count_against_the_target():
    with answering({"/oauth/token": (200, "application/json", '{"access_token": "t"}')}) as base:
        session = session_for(base)
        for _ in range(5):
            with pytest.raises(requests.exceptions.InvalidSchema):  # raised inside send
                session.get(base.replace("http://", "ftp://") + "/v3/campaigns")
        assert session.breaker.failures_in_a_row == 0 and not session.breaker.is_open


def test_a_connection_dropped_by_a_server_that_is_gone_opens_the_breaker_at_once():
    """The request was in flight when the server died: no need to fail two more tests."""
    with served_in_thread("--transition-delay", "0") as base_url:  # stopped after the block
        session = session_for(base_url)
        assert session.get(f"{base_url}/v3/campaigns").status_code == 200
    error = requests.ConnectionError("('Connection aborted.', RemoteDisconnected())")
    with pytest.raises(TargetStoppedAnswering, match="connection dropped, then connections"):
        session.breaker.confirm(base_url, error)
