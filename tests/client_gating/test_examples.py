"""The client examples run in this project's CI: the good client passes the gate, the buggy
one fails it with a message naming the operation, the rule and what it sent."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("sailpoint.v3", reason="the examples use the vendor SDK (extra 'sdk')")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run_example(name: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(EXAMPLES / name),
            "--campaigns-gate",
            "-q",
            "-p",
            "no:cacheprovider",
            "-W",
            "ignore::UserWarning",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=EXAMPLES.parent,
    )


def test_the_example_client_passes_the_gate():
    result = run_example("campaign_closer")
    assert result.returncode == 0, result.stdout[-2000:]
    assert "2 passed" in result.stdout
    assert "contract violations" not in result.stdout


def test_the_buggy_client_fails_the_gate_with_a_clear_message():
    result = run_example("buggy_closer")
    assert result.returncode == 1, result.stdout[-2000:]
    assert "contract violations (gate: failing)" in result.stdout
    assert (
        "completeCampaign POST /v3/campaigns/" in result.stdout
        and "autoCompleteAction: 'DENY' is not one of ['APPROVE', 'REVOKE']" in result.stdout
    )


def test_clients_asking_for_tokens_with_basic_or_multipart_pass_the_gate():
    result = run_example("token_clients")
    assert result.returncode == 0, result.stdout[-2000:]
    assert "2 passed" in result.stdout
    assert "contract violations" not in result.stdout
