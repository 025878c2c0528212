"""The tenant code path end to end: `--target` against an emulator started with
`--no-control-api` and the tenant's 100/10s rate limit, so the suite finds no control API and
behaves exactly as on a tenant (no clock, no client registration; the 403 checks use the
limited client an admin would provide). Cleanup and restore included; plus read-only runs and
the sweep. What the tenant holds is read through /v3, as an admin would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from emulator.control_client import fetch_token
from emulator.process import start_emulator

REPO = Path(__file__).resolve().parents[2]
ENV = {
    **os.environ,
    "SAIL_CLIENT_ID": "conformance",
    "SAIL_CLIENT_SECRET": "conformance-secret",
    "SAIL_LIMITED_CLIENT_ID": "cc-limited",
    "SAIL_LIMITED_CLIENT_SECRET": "cc-limited-secret",
}
PAST_DUE = "conformance/test_campaign_lifecycle.py::test_completing_without_an_action_approves"


@pytest.fixture
def emulator() -> Iterator[str]:
    server = start_emulator(
        "--no-control-api",
        "--client",
        "cc-limited:cc-limited-secret:HELPDESK",
        "--rate-limit",
        "100/10s",
        "--transition-delay",
        "0.05",
        cwd=REPO,
    )
    yield server.base_url
    server.stop()


def headers(base: str) -> dict[str, str]:
    token = fetch_token(base, "conformance", "conformance-secret").access_token
    return {"Authorization": f"Bearer {token}"}


def run_suite(
    base: str, *args: str, tests: str = "conformance", reports: Path | None = None
) -> subprocess.CompletedProcess:
    # A temporary folder keeps the repository's reports/out clean.
    reports = reports or Path(tempfile.mkdtemp(prefix="cc-reports-"))
    args = (*args, "--report-dir", str(reports))
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            tests,
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


def holdings(base: str) -> dict:
    """Everything the tenant holds that a run could change, as the API shows it."""
    auth = headers(base)

    def listed(path: str) -> list[dict]:
        response = requests.get(f"{base}/v3/{path}", headers=auth, timeout=10)
        response.raise_for_status()
        return sorted(response.json(), key=lambda item: item["id"])

    config = requests.get(f"{base}/v3/campaigns/reports-configuration", headers=auth, timeout=10)
    return {
        "campaigns": listed("campaigns?detail=FULL"),
        "templates": listed("campaign-templates"),
        "reports-configuration": config.json(),
    }


def names(items: list[dict]) -> list[str]:
    return sorted(item["name"] for item in items)


def test_without_its_control_api_the_emulator_is_taken_for_a_tenant(emulator, tmp_path):
    health = requests.get(f"{emulator}/emulator/health", timeout=10)
    assert health.status_code == 404 and "trackingId" in health.json(), health.text
    result = run_suite(emulator, "--profile", "tenant", tests=PAST_DUE, reports=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    (results,) = tmp_path.glob("*/results.json")
    run = json.loads(results.read_text())
    assert run["run"]["target_kind"] == "tenant", run["run"]
    (skipped,) = [t for t in run["tests"] if t["nodeid"] == PAST_DUE]
    assert skipped["outcome"] == "skipped" and "takes days on a tenant" in skipped["message"]


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

    left = holdings(base)
    assert names(left["campaigns"]) == ["the tenant's own campaign"], left
    assert left["templates"] == [], left
    config = requests.get(f"{base}/v3/campaigns/reports-configuration", headers=headers(base))
    assert config.json() == prior, "the reports configuration must be restored exactly"
    mine = requests.get(f"{base}/v3/campaigns/{theirs['id']}", headers=headers(base)).json()
    assert mine["status"] == "STAGED" and mine["name"] == "the tenant's own campaign"


def test_read_only_run_changes_nothing(emulator):
    base = emulator
    requests.post(
        f"{base}/v3/campaigns",
        headers=headers(base),
        json={"name": "the tenant's own campaign", "description": None, "type": "MANAGER"},
    ).raise_for_status()
    before = holdings(base)
    for _ in range(100):  # settled first: PENDING -> STAGED happens in the background
        if before["campaigns"][0]["status"] == "STAGED":
            break
        time.sleep(0.05)
        before = holdings(base)
    result = run_suite(base, "--read-only", "--profile", "tenant")
    assert result.returncode == 0, result.stdout[-3000:]
    # Full representations: any write, even one put back, would change `modified`.
    assert holdings(base) == before


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
