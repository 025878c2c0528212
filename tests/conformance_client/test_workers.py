"""A `--target` run over pytest-xdist workers is one run: one run id, every worker cleans up
what it made, and only the worker that ran the tests changing the tenant-wide reports
configuration restores it, to the value the tenant had."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

from emulator.control_client import ControlClient, fetch_token
from emulator.process import start_emulator

REPO = Path(__file__).resolve().parents[2]
CREDENTIALS = {"SAIL_CLIENT_ID": "conformance", "SAIL_CLIENT_SECRET": "conformance-secret"}
TESTS = (
    "conformance/test_auth_and_errors.py",
    "conformance/test_template_lifecycle.py::test_reports_configuration_round_trips",
)


def test_workers_share_the_run_and_the_tenant_setting_is_restored_once():
    with start_emulator("--transition-delay", "0.05", cwd=REPO) as server:
        base = server.base_url
        token = fetch_token(base, *CREDENTIALS.values()).access_token
        prior = {"identityAttributeColumns": ["department"]}
        config = f"{base}/v3/campaigns/reports-configuration"
        bearer = {"Authorization": f"Bearer {token}"}
        requests.put(config, json=prior, headers=bearer, timeout=10).raise_for_status()
        reports = tempfile.mkdtemp(prefix="cc-workers-")
        options = ("-q", "-p", "no:cacheprovider", "-n", "2", "--rate-limit", "off")
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                *TESTS,
                *options,
                "--target",
                base,
                "--report-dir",
                reports,
            ],
            cwd=REPO,
            env={**os.environ, **CREDENTIALS},
            capture_output=True,
            text=True,
            timeout=300,
        )
        output = run.stdout + run.stderr
        assert run.returncode == 0, output[-3000:]
        runs = set(re.findall(r"\(run (\S+), profile", output))
        assert len(runs) == 1, output[-3000:]
        cleanups = [line for line in output.splitlines() if line.startswith("conformance: cleanup")]
        assert len(cleanups) == 2, output[-3000:]  # one per worker
        assert sum("restored the campaign reports configuration" in x for x in cleanups) == 1
        assert requests.get(config, headers=bearer, timeout=10).json() == prior
        left = ControlClient(base).call("GET", "/tenants/default/objects").json()
        assert left["campaigns"] == [] and left["templates"] == [], left
