"""The session's collector, and the run folder (junit.xml, results.json, report.html) it
becomes at the end of the run."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from conformance.plugins import keys
from conformance.run_report import RunCollector
from reports.model import (
    RunMetadata,
    RunResult,
    installed_versions,
    spec_file_digest,
)
from reports.redaction import default_redactor
from reports.run_folder import write_run


def pytest_configure(config: pytest.Config) -> None:
    collector = RunCollector(config)
    config.stash[keys.COLLECTOR] = collector
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    config.stash[keys.RUN_CLOCK] = (time.monotonic(), started_at)
    config.pluginmanager.register(collector, "conformance-run-collector")


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    guest = config.stash.get(keys.SESSION, None)
    if hasattr(config, "workeroutput"):
        # Under pytest-xdist each worker has its own target; hand its figures to the controller.
        config.workeroutput["conformance_requests"] = guest.request_count if guest else 0
        return
    workers = config.stash.get(keys.WORKER_REQUESTS, 0)
    requests_sent = (guest.request_count if guest else 0) + workers
    options = config.stash[keys.RUN_OPTIONS]
    target = config.stash.get(keys.TARGET, None)
    collector = config.stash[keys.COLLECTOR]
    started, started_at = config.stash[keys.RUN_CLOCK]
    metadata = RunMetadata(
        run_id=config.stash[keys.RUN_ID],
        target_url=guest.base_url
        if guest
        else (options.target.base_url if options.target else "embedded emulator"),
        target_kind="tenant" if target and target.control is None else "emulator",
        spec_digest=spec_file_digest(),
        suite_version=installed_versions(["certification-campaigns-conformance"])[
            "certification-campaigns-conformance"
        ],
        dependency_versions=installed_versions(
            ["schemathesis", "hypothesis", "pytest", "requests", "jsonschema"]
        ),
        started_at=started_at,
        duration_s=round(time.monotonic() - started, 3),
        request_count=requests_sent,
        hypothesis_profile=options.profile,
        read_only=options.read_only,
        strict=bool(config.getoption("strict")),
        completion=collector.completion(session, config.stash.get(keys.TARGET_STOPPED, None)),
        seed=options.seed,
    )
    result = RunResult(
        metadata,
        records=collector.records(),
        observed=collector.observed(),
        behaviour=collector.target_behaviour(),
        tests=list(collector.tests),
    )
    redactor = default_redactor()
    for secret in config.stash.get(keys.SECRETS, set()):
        if secret:
            redactor.register(secret)
    try:
        config.stash[keys.REPORT_FOLDER] = write_run(result, options.report_dir, redactor)
    except OSError as error:
        config.stash[keys.REPORT_ERROR] = str(error)


@pytest.hookimpl(optionalhook=True)  # an xdist hook: absent without pytest-xdist
def pytest_testnodedown(node, error) -> None:
    output = getattr(node, "workeroutput", {})
    node.config.stash[keys.WORKER_REQUESTS] = node.config.stash.get(
        keys.WORKER_REQUESTS, 0
    ) + output.get("conformance_requests", 0)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    folder = config.stash.get(keys.REPORT_FOLDER, None)
    if folder is not None:
        terminalreporter.write_line(f"conformance: report written to {folder}")
    elif keys.REPORT_ERROR in config.stash:
        error = config.stash[keys.REPORT_ERROR]
        terminalreporter.write_line(f"conformance: no report written: {error}")
