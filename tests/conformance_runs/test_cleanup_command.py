"""`python -m conformance cleanup`: sweeps what earlier runs left on a tenant (and only that),
and says what is wrong with its command line in one line."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
import requests

from tests.conformance_runs.tenant_runs import (
    create_their_campaign,
    headers,
    holdings,
    names,
    start_tenant,
)
from tests.harness import GUEST_CREDENTIALS, REPO, suite_environment

ENV = suite_environment(GUEST_CREDENTIALS)


@pytest.fixture
def emulator() -> Iterator[str]:
    with start_tenant() as server:
        yield server.base_url


def test_cleanup_command_sweeps_only_earlier_runs_objects(emulator):
    base = emulator
    for name in ("cc-run-20200101t000000-abcdef left behind", "a real campaign"):
        create_their_campaign(base, name)
    requests.post(
        f"{base}/v3/campaign-templates",
        headers=headers(base),
        json={
            "name": "cc-run-20200101t000000-abcdef template",
            "description": "d",
            "campaign": {"name": "x", "description": "d", "type": "MANAGER"},
        },
        timeout=10,
    ).raise_for_status()
    command = [sys.executable, "-m", "conformance", "cleanup", "--target", base]
    dry = subprocess.run(
        [*command, "--dry-run"], env=ENV, cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert dry.returncode == 0 and dry.stdout.count("cc-run-") == 2, dry.stdout
    done = subprocess.run(command, env=ENV, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "deleted 1 campaign(s) and 1 template(s)" in done.stdout
    assert names(holdings(base)["campaigns"]) == ["a real campaign"]


def test_cleanup_command_errors_are_one_line(emulator):
    no_creds = {k: v for k, v in ENV.items() if not k.startswith("SAIL_")}
    for args, env in (
        (["--target", emulator], no_creds),
        (["--target", "ftp://x"], ENV),
        (["--target", emulator, "--prefix", "prod-"], ENV),
        ([], ENV),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "conformance", "cleanup", *args],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 2, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
