"""The gate outside pytest: `python -m emulator serve --fail-on-violations -- COMMAND`."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.harness import run_warm

TOKEN_CLIENTS = Path(__file__).resolve().parents[2] / "examples" / "token_clients"

CLIENT = """
import os, sys, requests
base = os.environ["SAIL_BASE_URL"]
token = requests.post(base + "/oauth/token", data={
    "grant_type": "client_credentials", "client_id": os.environ["SAIL_CLIENT_ID"],
    "client_secret": os.environ["SAIL_CLIENT_SECRET"]}).json()["access_token"]
headers = {"Authorization": "Bearer " + token}
body = {"name": "n", "description": None, "type": sys.argv[1]}
print(requests.post(base + "/v3/campaigns", json=body, headers=headers).status_code)
"""


def gate(*client_args: str, emulator_args: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    return gate_command([sys.executable, "-c", CLIENT, *client_args], emulator_args)


def gate_command(
    command: list[str], emulator_args: tuple[str, ...] = ()
) -> subprocess.CompletedProcess:
    """`python -m emulator serve --fail-on-violations --port 0 ARGS -- COMMAND`, forked from a
    warm Python (the same command line, its imports paid once)."""
    serve = ["-m", "emulator", "serve", "--fail-on-violations", "--port", "0", *emulator_args]
    return run_warm([*serve, "--", *command], timeout=60)


def test_a_conforming_client_passes_the_gate():
    result = gate("MANAGER")
    assert result.returncode == 0, result.stderr
    assert "gate: 0 contract violation(s), 0 warning(s)" in result.stderr


def test_a_violating_client_fails_the_gate_with_the_reason():
    result = gate("WEEKLY_REVIEW")
    assert result.returncode == 1
    assert "violation: createCampaign POST /v3/campaigns -> 400: type:" in result.stderr
    assert "WEEKLY_REVIEW" in result.stderr


def test_the_gate_answers_as_the_profile_it_is_given():
    """MACHINE_ACCOUNT is a type of the vendor's published description, not of the documents."""
    assert gate("MACHINE_ACCOUNT").returncode == 0
    documented = gate("MACHINE_ACCOUNT", emulator_args=("--answers", "documented"))
    assert documented.returncode == 1
    assert "violation: createCampaign POST /v3/campaigns -> 400: type:" in documented.stderr


@pytest.mark.parametrize("client", ["basic_auth_client.py", "multipart_client.py"])
@pytest.mark.parametrize("answers", ["documented", "published"])
def test_clients_that_ask_for_tokens_differently_pass_the_gate(client, answers):
    result = gate_command([sys.executable, str(TOKEN_CLIENTS / client)], ("--answers", answers))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "Nightly manager review"
    assert "gate: 0 contract violation(s), 0 warning(s); command exited 0" in result.stderr


@pytest.mark.parametrize("client", ["basic_auth_client.py", "multipart_client.py"])
def test_a_client_with_a_wrong_secret_fails_the_gate(client):
    wrong = ["env", "SAIL_CLIENT_SECRET=wrong", sys.executable, str(TOKEN_CLIENTS / client)]
    result = gate_command(wrong)
    assert result.returncode == 1
    assert "token request failed: 401 Client Error" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_command_failing_fails_the_gate():
    command = [sys.executable, "-c", "raise SystemExit(3)"]
    result = run_warm(["-m", "emulator", "--fail-on-violations", "--port", "0", "--", *command])
    assert result.returncode == 3


MISTAKES = Path(__file__).resolve().parents[2] / "examples" / "client_mistakes" / "client.py"


@pytest.mark.parametrize(
    ("mistake", "emulator_args", "line"),
    [
        (
            "misspelt-member",
            (),
            "violation: createCampaign POST /v3/campaigns -> 202: emailNotificationsEnabled is "
            "not a member createCampaign declares (a tenant ignores it); did you mean "
            "emailNotificationEnabled? (1 time; member emailNotificationsEnabled; client "
            "conformance)",
        ),
        ("unknown-member", (), "202: colour is not a member createCampaign declares"),
        (
            "wrong-path",
            (),
            "-> 404: no such operation; did you mean GET /v3/campaigns/{id}? (1 time; trackingId ",
        ),
        (
            "ignores-retry-after",
            # A one-second window: the client's retries 0.2 s apart still come before the
            # Retry-After (whole seconds, at least 1), and the run waits one second, not two.
            ("--rate-limit", "3/1s"),
            "violation: getActiveCampaigns GET /v3/campaigns -> 429: sent before the Retry-After "
            "its token was given ran out (",
        ),
    ],
)
def test_each_client_mistake_fails_the_gate_naming_it(mistake, emulator_args, line):
    result = gate_command([sys.executable, str(MISTAKES), mistake], emulator_args)
    assert result.returncode == 1, result.stderr
    assert line in result.stderr
    assert "Traceback" not in result.stderr


def test_the_sound_client_passes_reading_each_certification():
    result = gate_command([sys.executable, str(MISTAKES), "sound"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "2 certifications"
    assert "gate: 0 contract violation(s), 0 warning(s); command exited 0" in result.stderr


@pytest.mark.parametrize("mistake", ["trailing-slash", "token-per-request"])
def test_warnings_are_listed_apart_and_fail_only_when_asked(mistake, tmp_path):
    passed = gate_command([sys.executable, str(MISTAKES), mistake])
    assert passed.returncode == 0, passed.stderr
    assert "gate: 0 contract violation(s)," in passed.stderr
    assert "warning: " in passed.stderr
    junit = tmp_path / "gate.xml"
    failed = gate_command(
        [sys.executable, str(MISTAKES), mistake], ("--fail-on-warnings", "--junit", str(junit))
    )
    assert failed.returncode == 1
    suite = ET.parse(junit).getroot().find("testsuite")
    assert int(suite.get("failures")) == len(suite.findall("testcase/failure")) >= 1


def test_junit_has_one_failing_case_per_distinct_violation(tmp_path):
    junit = tmp_path / "gate.xml"
    result = gate_command(
        [sys.executable, str(MISTAKES), "ignores-retry-after"],
        ("--rate-limit", "3/1s", "--junit", str(junit)),
    )
    assert result.returncode == 1
    cases = ET.parse(junit).getroot().findall("testsuite/testcase")
    failures = [case for case in cases if case.find("failure") is not None]
    assert {case.get("name") for case in failures} == {
        "getActiveCampaigns: sent before the Retry-After its token was given ran out"
    }
    assert "times" in failures[0].find("failure").text


def test_a_clean_run_writes_a_passing_junit_file(tmp_path):
    junit = tmp_path / "gate.xml"
    assert gate("MANAGER", emulator_args=("--junit", str(junit))).returncode == 0
    suite = ET.parse(junit).getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures")) == ("1", "0")
