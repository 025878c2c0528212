"""The gate outside pytest: `python -m emulator serve --fail-on-violations -- COMMAND`."""

from __future__ import annotations

import subprocess
import sys

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


def gate(*client_args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "emulator",
            "serve",
            "--fail-on-violations",
            "--port",
            "0",
            "--",
            sys.executable,
            "-c",
            CLIENT,
            *client_args,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_conforming_client_passes_the_gate():
    result = gate("MANAGER")
    assert result.returncode == 0, result.stderr
    assert "gate: 0 contract violation(s)" in result.stderr


def test_a_violating_client_fails_the_gate_with_the_reason():
    result = gate("MACHINE_ACCOUNT")
    assert result.returncode == 1
    assert "violation: createCampaign POST /v3/campaigns -> 400: type:" in result.stderr
    assert "MACHINE_ACCOUNT" in result.stderr


def test_the_command_failing_fails_the_gate():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "emulator",
            "--fail-on-violations",
            "--port",
            "0",
            "--",
            sys.executable,
            "-c",
            "raise SystemExit(3)",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 3
