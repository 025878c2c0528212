"""What the person at the terminal sees: the tenant plan before the run, a progress line every
15 s of a long run, and the figures after it."""

from __future__ import annotations

import os
import sys
import time

import pytest

from conformance import request_plan
from conformance.plugins import keys


def pytest_report_collectionfinish(config: pytest.Config, items) -> list[str]:
    """Before a tenant run, say how many requests it plans, so the admin is never surprised."""
    options = config.stash[keys.RUN_OPTIONS]
    if options.profile != "tenant":
        return []
    planned = request_plan.planned_requests(items, options.read_only)
    return [request_plan.announcement(planned, options.rate_limit)]


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(_ProgressLines(config), "conformance-progress")


class _ProgressLines:
    """On a terminal, a progress line every 15 s of a long run; nothing in CI logs."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.done = 0
        self.last = time.monotonic()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "teardown" or os.environ.get("CI") or not sys.stdout.isatty():
            return
        self.done += 1
        if time.monotonic() - self.last < 15:
            return
        self.last = time.monotonic()
        session = self.config.stash.get(keys.SESSION, None)
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        collector = self.config.pluginmanager.get_plugin("conformance-run-collector")
        if reporter is not None and session is not None and collector is not None:
            reporter.write_line(
                f"conformance: {self.done} tests done, {session.request_count} requests, "
                f"{collector.failed_so_far()} failed so far"
            )


def _run_summary(config: pytest.Config) -> list[str]:
    session = config.stash.get(keys.SESSION, None)
    if session is None:
        return []
    elapsed = time.monotonic() - config.stash[keys.SESSION_STARTED]
    profile = config.stash[keys.RUN_OPTIONS].profile
    lines = [
        f"conformance: {session.request_count} requests in {elapsed:.1f}s against "
        f"{session.base_url} (run {session.ledger.run_id}, profile {profile})"
    ]
    summary = config.stash.get(keys.CLEANUP_SUMMARY, None)
    if summary:
        lines.append(f"conformance: {summary}")
    return lines


def pytest_sessionfinish(session: pytest.Session) -> None:
    if hasattr(session.config, "workeroutput"):
        session.config.workeroutput["conformance_summary"] = _run_summary(session.config)


@pytest.hookimpl(optionalhook=True)  # an xdist hook: absent without pytest-xdist
def pytest_testnodedown(node, error) -> None:
    output = getattr(node, "workeroutput", {})
    lines = output.get("conformance_summary", [])
    node.config.stash.setdefault(keys.WORKER_SUMMARIES, []).extend(lines)


@pytest.hookimpl(tryfirst=True)  # before the line naming the report folder
def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    for line in _run_summary(config) + config.stash.get(keys.WORKER_SUMMARIES, []):
        terminalreporter.write_line(line)
