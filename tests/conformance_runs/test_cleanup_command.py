"""`python -m conformance cleanup`: sweeps what earlier runs left on a tenant (and only that),
and says what is wrong with its command line in one line."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.conformance_runs.tenant_runs import (
    create_their_campaign,
    headers,
    holdings,
    names,
    tenant_options,
)
from tests.harness import GUEST_CREDENTIALS, REPO, served_in_thread, suite_environment

ENV = suite_environment(GUEST_CREDENTIALS)


@pytest.fixture
def emulator() -> Iterator[str]:
    """A tenant-like emulator, served by a thread: the processes here are the command's."""
    with served_in_thread(*tenant_options()) as base_url:
        yield base_url


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
    cases = (
        (["--target", emulator], no_creds),
        (["--target", "ftp://x"], ENV),
        (["--target", emulator, "--prefix", "prod-"], ENV),
        ([], ENV),
    )

    def cleanup(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "conformance", "cleanup", *args],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )

    with ThreadPoolExecutor(max_workers=len(cases)) as pool:  # a process each, side by side
        results = list(pool.map(lambda case: cleanup(*case), cases))
    for (args, _), result in zip(cases, results, strict=True):
        assert result.returncode == 2, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
