"""The session's collector, and the run folder (junit.xml, results.json, report.html) it
becomes at the end of the run."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from conformance.client.ledger import new_run_id
from conformance.plugins import keys
from conformance.run.run_options import DEFAULT_REPORT_DIR
from conformance.run.run_report import RunCollector
from conformance.targets.preflight import EXIT_TARGET_UNUSABLE
from reports.model import (
    Completion,
    RunMetadata,
    RunResult,
    installed_versions,
    spec_file_digest,
)
from reports.redaction import default_redactor
from reports.run_folder import write_run


# First: the options plugin's preflight may end a refused run in its own pytest_configure.
@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    collector = RunCollector(config)
    config.stash[keys.COLLECTOR] = collector
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    config.stash[keys.RUN_CLOCK] = (time.monotonic(), started_at)
    config.pluginmanager.register(collector, "conformance-run-collector")
    config.pluginmanager.register(RefusedTarget(config), "conformance-refused-target")


@dataclass(eq=False)  # a plugin object: pluggy keeps it in sets
class RefusedTarget:
    """A --target the preflight refused ends the run before any session (one line, exit 6);
    its run folder still says so, and that nothing ran, so a diff or a profile of it refuses
    it naming why instead of reading an empty run as a clean one."""

    config: pytest.Config

    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo) -> None:
        refused = excinfo.value
        if (
            keys.RUN_OPTIONS in self.config.stash  # the preflight passed: another ending
            or not isinstance(refused, pytest.exit.Exception)
            or refused.returncode != EXIT_TARGET_UNUSABLE
            or hasattr(self.config, "workerinput")
        ):
            return
        # The options did not resolve: the command line is all there is to go by.
        given = self.config.getoption
        metadata = _metadata(
            self.config,
            run_id=new_run_id(),
            target_url=str(given("target") or ""),
            target_kind="tenant",
            hypothesis_profile=str(given("profile") or "tenant"),
            completion=Completion(False, "preflight", refused.msg),
        )
        with contextlib.suppress(OSError):  # the one line already said why nothing ran
            write_run(RunResult(metadata), given("report_dir") or DEFAULT_REPORT_DIR)


def _metadata(config: pytest.Config, **fields) -> RunMetadata:
    """The run's metadata: `fields`, and what every run records of the suite itself."""
    started, started_at = config.stash[keys.RUN_CLOCK]
    return RunMetadata(
        spec_digest=spec_file_digest(),
        suite_version=installed_versions(["certification-campaigns-conformance"])[
            "certification-campaigns-conformance"
        ],
        dependency_versions=installed_versions(
            ["schemathesis", "hypothesis", "pytest", "requests", "jsonschema"]
        ),
        started_at=started_at,
        duration_s=round(time.monotonic() - started, 3),
        strict=bool(config.getoption("strict")),
        **fields,
    )


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
    metadata = _metadata(
        config,
        run_id=config.stash[keys.RUN_ID],
        target_url=guest.base_url
        if guest
        else (options.target.base_url if options.target else "embedded emulator"),
        target_kind="tenant" if target and target.control is None else "emulator",
        request_count=requests_sent,
        hypothesis_profile=options.profile,
        read_only=options.read_only,
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
