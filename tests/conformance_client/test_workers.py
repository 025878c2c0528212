"""A `--target` run over pytest-xdist workers is one run: one run id, every worker cleans up
what it made, and only the worker that ran the tests changing the tenant-wide reports
configuration restores it, to the value the tenant had."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
import requests

from conformance.client.ledger import CleanupReport
from conformance.plugins import keys
from conformance.plugins.workers import cleanup_of_the_run
from emulator.control_client import ControlClient, fetch_token
from tests.harness import CLIENT_CREDENTIALS, run_suite, served_in_thread

TESTS = (
    "conformance/test_auth_and_errors.py",
    "conformance/test_template_lifecycle.py::test_reports_configuration_round_trips",
)


def test_workers_share_the_run_and_the_tenant_setting_is_restored_once(tmp_path):
    with served_in_thread("--transition-delay", "0.05") as base:
        token = fetch_token(base, *CLIENT_CREDENTIALS.values()).access_token
        prior = {"identityAttributeColumns": ["department"]}
        config = f"{base}/v3/campaigns/reports-configuration"
        bearer = {"Authorization": f"Bearer {token}"}
        requests.put(config, json=prior, headers=bearer, timeout=10).raise_for_status()
        # The run's controller is forked from a warm Python (the same run; `--assert=plain`, as
        # the imports it shares were not rewritten); its two workers are processes of their own.
        options = ("-q", "-p", "no:cacheprovider", "--assert=plain", "-n", "2")
        run = run_suite(
            *TESTS,
            *options,
            *("--rate-limit", "off", "--target", base),
            report_dir=tmp_path / "reports",
            env=CLIENT_CREDENTIALS,
            timeout=300,
            warm=True,
        )
        output = run.output
        assert run.process.returncode == 0, output[-3000:]
        runs = set(re.findall(r"\(run (\S+), profile", output))
        assert len(runs) == 1, output[-3000:]
        # One run, one summary: both workers' requests and cleanups together, the setting
        # restored once (by the worker that changed it; a worker that did not keeps out).
        assert ", 2 workers)" in output, output[-3000:]
        cleanups = [line for line in output.splitlines() if line.startswith("conformance: cleanup")]
        assert len(cleanups) == 1, output[-3000:]
        assert cleanups[0].endswith("; restored the campaign reports configuration"), cleanups
        assert requests.get(config, headers=bearer, timeout=10).json() == prior
        left = ControlClient(base).call("GET", "/tenants/default/objects").json()
        assert left["campaigns"] == [] and left["templates"] == [], left


def test_after_ctrl_c_the_cleanup_line_adds_up_the_workers_and_counts_the_silent(tmp_path):
    """The Ctrl-C ending on the controller: the reports the workers left, added up, and the
    workers that ended without one (killed mid-cleanup), with the command that sweeps."""
    config = SimpleNamespace(stash=pytest.Stash())
    config.stash[keys.CLEANUP_FOLDER] = tmp_path
    config.stash[keys.WORKERS_STARTED] = 3
    tenant = SimpleNamespace(base_url="https://acme.api.identitynow.com")
    config.stash[keys.RUN_OPTIONS] = SimpleNamespace(target=tenant)
    restored = ["the campaign reports configuration"]
    reports = {
        "gw0": CleanupReport({"campaign": 2, "template": 1}, restored),
        "gw1": CleanupReport({"campaign": 3, "template": 0}),
    }
    for worker, report in reports.items():
        (tmp_path / f"{worker}.json").write_text(report.to_json(), encoding="utf-8")
    assert cleanup_of_the_run(config) == (
        "cleanup: deleted 5 campaign(s) and 1 template(s); restored the campaign reports "
        "configuration; 1 worker(s) ended before saying what their cleanup did "
        "(`campaigns-conformance cleanup --target https://acme.api.identitynow.com` removes "
        "what is left)"
    )
