"""The tenant code path end to end: `--target` against a separately started emulator with the
tenant's 100/10s rate limit, cleanup and restore included; plus read-only runs and the sweep."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from emulator.process import start_emulator

REPO = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "SAIL_CLIENT_ID": "conformance", "SAIL_CLIENT_SECRET": "conformance-secret"}


@pytest.fixture
def emulator() -> Iterator[str]:
    server = start_emulator("--rate-limit", "100/10s", "--transition-delay", "0.05", cwd=REPO)
    yield server.base_url
    server.stop()


def headers(base: str) -> dict[str, str]:
    token = requests.post(
        f"{base}/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "conformance",
            "client_secret": "conformance-secret",
        },
    ).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def run_suite(base: str, *args: str) -> subprocess.CompletedProcess:
    reports = tempfile.mkdtemp(prefix="cc-reports-")  # keep the repository's reports/out clean
    args = (*args, "--report-dir", reports)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "conformance",
            "--target",
            base,
            "-p",
            "no:cacheprovider",
            "-q",
            *args,
        ],
        cwd=REPO,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=900,
    )


def objects(base: str) -> dict:
    return requests.get(f"{base}/emulator/tenants/default/objects").json()


def test_suite_passes_as_a_guest_and_leaves_the_tenant_as_it_found_it(emulator):
    base = emulator
    prior = {"identityAttributeColumns": ["costCenter", "department"]}
    requests.put(f"{base}/v3/campaigns/reports-configuration", json=prior, headers=headers(base))
    theirs = requests.post(
        f"{base}/v3/campaigns",
        headers=headers(base),
        json={"name": "the tenant's own campaign", "description": None, "type": "MANAGER"},
    ).json()

    result = run_suite(base, "--profile", "tenant")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "requests in" in result.stdout and "cleanup: deleted" in result.stdout

    left = objects(base)
    assert left["campaigns"] == ["the tenant's own campaign"], left
    assert left["templates"] == [], left
    config = requests.get(f"{base}/v3/campaigns/reports-configuration", headers=headers(base))
    assert config.json() == prior, "the reports configuration must be restored exactly"
    mine = requests.get(f"{base}/v3/campaigns/{theirs['id']}", headers=headers(base)).json()
    assert mine["status"] == "STAGED" and mine["name"] == "the tenant's own campaign"


def test_read_only_run_changes_nothing(emulator):
    base = emulator
    before = objects(base)
    result = run_suite(base, "--read-only", "--profile", "tenant")
    assert result.returncode == 0, result.stdout[-3000:]
    assert objects(base) == before
    violations = requests.get(f"{base}/emulator/tenants/default/violations").json()
    assert all(v["method"] == "GET" for v in violations), violations


def test_cleanup_command_sweeps_only_earlier_runs_objects(emulator):
    base = emulator
    for name in ("cc-run-20200101t000000-abcdef left behind", "a real campaign"):
        requests.post(
            f"{base}/v3/campaigns",
            headers=headers(base),
            json={"name": name, "description": None, "type": "MANAGER"},
        ).raise_for_status()
    requests.post(
        f"{base}/v3/campaign-templates",
        headers=headers(base),
        json={
            "name": "cc-run-20200101t000000-abcdef template",
            "description": "d",
            "campaign": {"name": "x", "description": "d", "type": "MANAGER"},
        },
    ).raise_for_status()
    command = [sys.executable, "-m", "conformance", "cleanup", "--target", base]
    dry = subprocess.run(
        [*command, "--dry-run"], env=ENV, cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert dry.returncode == 0 and dry.stdout.count("cc-run-") == 2, dry.stdout
    done = subprocess.run(command, env=ENV, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "deleted 1 campaign(s) and 1 template(s)" in done.stdout
    assert objects(base)["campaigns"] == ["a real campaign"]


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
