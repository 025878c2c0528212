"""The session's collector, and the run folder (junit.xml, results.json, report.html) it
becomes at the end of the run."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conformance import openapi_checks
from conformance.client import RunLedger
from conformance.plugins.guest import SECRETS, SESSION
from conformance.plugins.options import PROFILE, SEED
from conformance.plugins.target_fixtures import TARGET_IS_EMULATOR
from conformance.run_report import RunCollector
from reports.model import (
    RunMetadata,
    RunResult,
    installed_versions,
    spec_file_digest,
)
from reports.redaction import default_redactor
from reports.run_folder import write_run

COLLECTOR = pytest.StashKey[RunCollector]()
FOLDER = pytest.StashKey[Path]()
REPORT_ERROR = pytest.StashKey[str]()
WORKER_REQUESTS = pytest.StashKey[int]()
_T0 = pytest.StashKey[tuple[float, str]]()


def pytest_configure(config: pytest.Config) -> None:
    collector = RunCollector(
        config,
        check_kinds={name: kind for name, (kind, _) in openapi_checks.DESCRIBED.items()},
        check_documented={name: text for name, (_, text) in openapi_checks.DESCRIBED.items()},
    )
    config.stash[COLLECTOR] = collector
    config.stash[_T0] = (time.monotonic(), datetime.now(UTC).isoformat(timespec="seconds"))
    config.pluginmanager.register(collector, "conformance-run-collector")


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    guest = config.stash.get(SESSION, None)
    if hasattr(config, "workeroutput"):
        # Under pytest-xdist each worker has its own target; hand its figures to the controller.
        config.workeroutput["conformance_requests"] = guest.request_count if guest else 0
        return
    requests_sent = (guest.request_count if guest else 0) + config.stash.get(WORKER_REQUESTS, 0)
    target = config.getoption("--target")
    is_emulator = bool(config.stash.get(TARGET_IS_EMULATOR, False))
    collector = config.stash[COLLECTOR]
    started, started_at = config.stash[_T0]
    metadata = RunMetadata(
        run_id=guest.ledger.run_id if guest else RunLedger().run_id,
        target_url=guest.base_url if guest else (target or "embedded emulator"),
        target_kind="tenant" if target and not is_emulator else "emulator",
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
        hypothesis_profile=config.stash[PROFILE],
        read_only=bool(config.getoption("--read-only")),
        strict=bool(config.getoption("strict")),
        seed=config.stash.get(SEED, None),
    )
    result = RunResult(
        metadata,
        records=collector.records(),
        observed=collector.observed(),
        behaviour=collector.target_behaviour(),
        tests=list(collector.tests),
    )
    redactor = default_redactor()
    for secret in config.stash.get(SECRETS, set()):
        if secret:
            redactor.register(secret)
    try:
        config.stash[FOLDER] = write_run(result, config.getoption("--report-dir"), redactor)
    except OSError as error:
        config.stash[REPORT_ERROR] = str(error)


@pytest.hookimpl(optionalhook=True)  # an xdist hook: absent without pytest-xdist
def pytest_testnodedown(node, error) -> None:
    output = getattr(node, "workeroutput", {})
    node.config.stash[WORKER_REQUESTS] = node.config.stash.get(WORKER_REQUESTS, 0) + output.get(
        "conformance_requests", 0
    )


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    folder = config.stash.get(FOLDER, None)
    if folder is not None:
        terminalreporter.write_line(f"conformance: report written to {folder}")
    elif REPORT_ERROR in config.stash:
        terminalreporter.write_line(f"conformance: no report written: {config.stash[REPORT_ERROR]}")
