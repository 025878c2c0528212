"""What the person at the terminal sees: the tenant plan before the run, a progress line every
15 s of a long run, and the figures after it."""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from dataclasses import dataclass

import pytest

from conformance.client.ledger import CleanupReport
from conformance.plugins import keys
from conformance.targets import request_plan


def pytest_report_collectionfinish(config: pytest.Config, items) -> list[str]:
    """Before a tenant run, say how many requests it plans and how long it will take, so the
    admin is never surprised."""
    options = config.stash[keys.RUN_OPTIONS]
    if options.profile != "tenant":
        return []
    planned = request_plan.planned_requests(items, options.read_only, options.rate_limit)
    names = [item.nodeid for item in items]
    return [_announcement(options, planned, names, workers=1)]


@pytest.hookimpl(optionalhook=True)  # an xdist hook: the controller learns the collection
def pytest_xdist_node_collection_finished(node, ids: list[str]) -> None:
    config = node.config
    options = config.stash[keys.RUN_OPTIONS]
    if options.profile != "tenant" or keys.ANNOUNCED in config.stash:
        return
    config.stash[keys.ANNOUNCED] = True
    planned = request_plan.planned_from_ids(ids, options.read_only, options.rate_limit)
    workers = int(config.getoption("numprocesses", 1) or 1)
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(_announcement(options, planned, ids, workers))


def _announcement(options, planned: int, names: list[str], workers: int) -> str:
    round_trip = options.target.round_trip_seconds if options.target else 0.0
    outside = request_plan.outside_the_budget(names, options.rate_limit)
    return request_plan.announcement(planned, options.rate_limit, round_trip, workers, outside)


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(_ProgressLines(config), "conformance-progress")


class _ProgressLines:
    """Progress with an end, on every run longer than 15 s: tests done of the total, requests
    made (of those planned, on a tenant plan), failures so far and the time left. On a terminal
    a line every 15 s; in a CI log (CI set, or no terminal) a line at each tenth of the tests
    or each minute, whichever comes first, so a log shows the run moving without flooding."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.done = 0
        self.total = 0
        self.planned: int | None = None
        self.started = self.last = time.monotonic()
        self.tenths = 0
        self.in_a_log = bool(os.environ.get("CI")) or not sys.stdout.isatty()

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.total = len(session.items)
        options = self.config.stash.get(keys.RUN_OPTIONS, None)
        if options is not None and options.profile == "tenant":
            self.planned = request_plan.planned_requests(
                session.items, options.read_only, options.rate_limit
            )

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "teardown":
            return
        self.done += 1
        now = time.monotonic()
        if not self.due(now):
            return
        session = self.config.stash.get(keys.SESSION, None)
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        collector = self.config.pluginmanager.get_plugin("conformance-run-collector")
        if reporter is not None and session is not None and collector is not None:
            if reporter._tw.width_of_current_line:  # after -q's dots: a line of its own
                reporter.write("\n")
            reporter.write_line(self.line(session.request_count, collector.failed_so_far(), now))

    def due(self, now: float) -> bool:
        """Whether a line is due now (and then it counts as shown)."""
        tenths = self.done * 10 // self.total if self.total else 0
        if self.in_a_log:
            due = now - self.last >= 60 or tenths > self.tenths
        else:
            due = now - self.last >= 15
        if now - self.started < 15 or not due:
            return False
        self.last, self.tenths = now, tenths
        return True

    def line(self, requests: int, failed: int, now: float) -> str:
        of_total = f"/{self.total}" if self.total else ""
        of_planned = f" of ~{self.planned}" if self.planned else ""
        text = (
            f"conformance: {self.done}{of_total} tests, {requests}{of_planned} requests, "
            f"{failed} failed so far"
        )
        shares = [self.done / self.total] if self.total else []
        shares += [min(requests / self.planned, 1.0)] if self.planned else []
        share = max(shares, default=0.0)
        if 0 < share < 1:
            left = (now - self.started) * (1 - share) / share
            ends = time.strftime("%H:%M:%S", time.localtime(time.time() + left))
            text += f", about {_duration(left)} left (ends ~{ends})"
        return text


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


@dataclass
class SessionFigures:
    """What a run's guest session did: one process's, or pytest-xdist workers' together."""

    requests: int
    elapsed_s: float
    outside_budget: int  # on the 429 rule's own token
    base_url: str
    run_id: str
    profile: str
    cleanup: CleanupReport | None
    workers: int = 1

    @classmethod
    def combined(cls, parts: list[SessionFigures]) -> SessionFigures:
        """The workers' figures as one run's: their requests summed over the longest time."""
        cleanups = [part.cleanup for part in parts if part.cleanup is not None]
        # One target, or without --target an embedded emulator of each worker's own.
        urls = sorted({part.base_url for part in parts})
        return cls(
            requests=sum(part.requests for part in parts),
            elapsed_s=max(part.elapsed_s for part in parts),
            outside_budget=sum(part.outside_budget for part in parts),
            base_url=urls[0] if len(urls) == 1 else f"{len(urls)} emulators, one a worker",
            run_id=parts[0].run_id,
            profile=parts[0].profile,
            cleanup=CleanupReport.combined(cleanups) if cleanups else None,
            workers=len(parts),
        )

    def lines(self) -> list[str]:
        notes = f", {self.workers} workers" if self.workers > 1 else ""
        if self.outside_budget:
            notes += f"; {self.outside_budget} on the 429 rule's own token, outside the budget"
        lines = [
            f"conformance: {self.requests} requests in {self.elapsed_s:.1f}s against "
            f"{self.base_url} (run {self.run_id}, profile {self.profile}{notes})"
        ]
        if self.cleanup is not None:
            lines.append(f"conformance: {self.cleanup.summary()}")
        return lines


def _own_figures(config: pytest.Config) -> SessionFigures | None:
    session = config.stash.get(keys.SESSION, None)
    if session is None:
        return None
    return SessionFigures(
        requests=session.request_count,
        elapsed_s=time.monotonic() - config.stash[keys.SESSION_STARTED],
        outside_budget=config.stash.get(keys.OWN_TOKEN_REQUESTS, 0),
        base_url=session.base_url,
        run_id=session.ledger.run_id,
        profile=config.stash[keys.RUN_OPTIONS].profile,
        cleanup=config.stash.get(keys.CLEANUP_REPORT, None),
    )


def pytest_sessionfinish(session: pytest.Session) -> None:
    figures = _own_figures(session.config)
    if hasattr(session.config, "workeroutput") and figures is not None:
        session.config.workeroutput["conformance_figures"] = dataclasses.asdict(figures)


@pytest.hookimpl(optionalhook=True)  # an xdist hook: absent without pytest-xdist
def pytest_testnodedown(node, error) -> None:
    figures = getattr(node, "workeroutput", {}).get("conformance_figures")
    if figures is not None:  # plain data across the process boundary: made whole again
        cleanup = figures["cleanup"] and CleanupReport(**figures["cleanup"])
        parts = node.config.stash.setdefault(keys.WORKER_FIGURES, [])
        parts.append(SessionFigures(**{**figures, "cleanup": cleanup}))


@pytest.hookimpl(tryfirst=True)  # before the line naming the report folder
def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    figures = _own_figures(config)
    workers = config.stash.get(keys.WORKER_FIGURES, [])
    if figures is None and workers:
        figures = SessionFigures.combined(workers)
    for line in figures.lines() if figures is not None else []:
        terminalreporter.write_line(line)
