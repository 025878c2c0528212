"""A run split over pytest-xdist workers (`-n 4`) is still one run: one run id (every object
is named for it, and one `cleanup` sweeps them), one rate budget against a tenant (the
tenant counts every request of the run's tokens against the limit), and the tenant-wide
setting (the reports configuration) changed by one worker only, so the value each worker's
ledger restores is the tenant's, never one another worker set meanwhile.

Why workers: a tenant is a round trip away, and a test's requests wait on each other's
answers, but tests do not wait on each other. pytest runs one test at a time per process,
so with answers in flight one process leaves most of the rate budget unused; several
workers keep it busy. In a `--target` run the cases of one test go to one worker, a module
with costly module-scoped objects goes whole, and the tests that touch the tenant-wide
setting, whatever their module, go to one worker together. Once the budget is the limit, a
worker whose tests still have the most requests to send has the next slot (its throttle's
priority), so the run does not end waiting on one long chain that short tests starved.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from conformance.client import new_run_id
from conformance.client.ledger import CleanupReport
from conformance.client.operations import TENANT_SETTINGS
from conformance.plugins import keys
from conformance.targets.request_plan import RATE_LIMIT_TEST, per_test_from_ids

SETTINGS_GROUP = "tenant-settings"  # the scheduling scope of the tests that change them
# Modules whose module-scoped objects cost many requests (the collections' seed, about 30):
# each worker running one of their tests would make them again, so they go to one worker.
WHOLE_MODULES = {"conformance/test_collections.py"}
_SHARED = "conformance_run"  # the workerinput entry a worker reads the shared run from


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):
        shared = config.workerinput[_SHARED]
        config.stash[keys.RUN_ID] = shared["run_id"]
        config.stash[keys.CLEANUP_FOLDER] = Path(shared["cleanups"])
        if shared["budget"]:
            config.stash[keys.BUDGET_FILE] = Path(shared["budget"])
        return
    config.stash[keys.RUN_ID] = new_run_id()


@pytest.hookimpl(optionalhook=True)  # an xdist hook: absent without pytest-xdist
def pytest_configure_node(node) -> None:
    config = node.config
    options = config.stash[keys.RUN_OPTIONS]
    if options.target and options.rate_limit and keys.BUDGET_FILE not in config.stash:
        handle, name = tempfile.mkstemp(prefix="cc-rate-budget-", suffix=".json")
        os.close(handle)
        config.stash[keys.BUDGET_FILE] = Path(name)
    budget = config.stash.get(keys.BUDGET_FILE, None)
    if keys.CLEANUP_FOLDER not in config.stash:
        config.stash[keys.CLEANUP_FOLDER] = Path(tempfile.mkdtemp(prefix="cc-cleanups-"))
    config.stash[keys.WORKERS_STARTED] = config.stash.get(keys.WORKERS_STARTED, 0) + 1
    node.workerinput[_SHARED] = {
        "run_id": config.stash[keys.RUN_ID],
        "budget": str(budget) if budget else None,
        "cleanups": str(config.stash[keys.CLEANUP_FOLDER]),
    }


@pytest.hookimpl(optionalhook=True, tryfirst=True)  # an xdist hook, before its own
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """For a `--target` run: the cases of one test to one worker (a module of WHOLE_MODULES
    whole), and every test that may change the tenant-wide setting to one worker together.
    (pytest-xdist's `xdist_group` marks would say the same, but only marks written in the
    source: the ones a plugin adds at collection never reach its scheduler with pytest 9.)"""
    if config.stash[keys.RUN_OPTIONS].target is None:
        return None  # pytest-xdist's own choice: each worker has an emulator of its own
    from xdist.scheduler import LoadScopeScheduling

    class OneRunOverWorkers(LoadScopeScheduling):
        ordered = False

        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

        def _assign_work_unit(self, node) -> None:
            if not self.ordered:
                units = sorted(self.workqueue.items(), key=lambda unit: _first(list(unit[1])))
                self.workqueue.clear()
                self.workqueue.update(units)
                self.ordered = True
            super()._assign_work_unit(node)

    return OneRunOverWorkers(config, log)


def work_unit(nodeid: str) -> str:
    """The tests one worker runs together: a test's cases, a module of WHOLE_MODULES, or
    every test that may change the tenant-wide setting."""
    if touches_tenant_settings(nodeid):
        return SETTINGS_GROUP
    module, _, test = nodeid.partition("::")
    return module if module in WHOLE_MODULES else f"{module}::{test.split('[')[0]}"


def _first(unit: list[str]) -> tuple[bool, float]:
    """The order units are handed out in. First the 429 rule's: it waits out a Retry-After
    (up to the limit's window) with a token of its own, leaving the budget to the others, so
    it must not be the run's last. Then the units that send the most requests (by the tenant
    plan's figures), so the run does not end waiting on one worker handed a big one last."""
    probe = any(RATE_LIMIT_TEST in nodeid for nodeid in unit)
    return (not probe, -sum(per_test_from_ids(unit)))


def pytest_collection_finish(session: pytest.Session) -> None:
    """In a worker sharing a tenant's budget: for each test, the requests it and the rest of
    its unit plan, the throttle's priority while it runs (see `SharedThrottle`)."""
    if keys.BUDGET_FILE not in session.config.stash or not hasattr(session.config, "workerinput"):
        return
    read_only = session.config.stash[keys.RUN_OPTIONS].read_only
    ids = [item.nodeid for item in session.items]
    left: dict[str, float] = {}
    units: dict[str, float] = {}
    for nodeid, planned in reversed(list(zip(ids, per_test_from_ids(ids, read_only), strict=True))):
        unit = work_unit(nodeid)
        units[unit] = left[nodeid] = units.get(unit, 0.0) + planned
    session.config.stash[keys.WORK_LEFT_BY_TEST] = left


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item) -> None:
    left = item.config.stash.get(keys.WORK_LEFT_BY_TEST, None)
    if left is not None:
        item.config.stash[keys.WORK_LEFT] = left.get(item.nodeid, 0.0)


def touches_tenant_settings(nodeid: str) -> bool:
    """A test parametrized by the operation that changes a tenant-wide setting, or the test
    of the setting's round trip (`test_reports_configuration_round_trips`)."""
    return "reports_configuration" in nodeid or any(
        operation in nodeid for operation in TENANT_SETTINGS
    )


def cleanup_of_the_run(config: pytest.Config) -> str:
    """What the run's cleanup did, in one line, for the Ctrl-C ending: this process's, or on
    the controller of pytest-xdist workers, every worker's together, with how many ended
    without a report (killed before their cleanup was done). Each worker leaves its report in
    a file as it ends: after Ctrl-C the controller no longer hears the workers' own output,
    which carries their figures to the end of an uninterrupted run (progress.py)."""
    own = config.stash.get(keys.CLEANUP_REPORT, None)
    folder = config.stash.get(keys.CLEANUP_FOLDER, None)
    if own is not None or folder is None or hasattr(config, "workerinput"):
        return own.summary() if own is not None else "cleanup: nothing to undo"
    reports = [CleanupReport.from_json(path.read_text()) for path in sorted(folder.glob("*.json"))]
    line = CleanupReport.combined(reports).summary()
    silent = config.stash.get(keys.WORKERS_STARTED, 0) - len(reports)
    if silent > 0:
        line += f"; {silent} worker(s) ended before saying what their cleanup did"
        target = config.stash[keys.RUN_OPTIONS].target
        if target is not None:
            command = f"campaigns-conformance cleanup --target {target.base_url}"
            line += f" (`{command}` removes what is left)"
    return line


@pytest.hookimpl(trylast=True)  # after the line that reads the workers' cleanup reports
def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(keys.CLEANUP_FOLDER, None)
    if hasattr(config, "workerinput"):
        # Session fixtures are torn down by now: the cleanup, if this worker made a session.
        report = config.stash.get(keys.CLEANUP_REPORT, None) or CleanupReport()
        if folder is not None and folder.is_dir():
            worker = config.workerinput["workerid"]
            (folder / f"{worker}.json").write_text(report.to_json(), encoding="utf-8")
        return
    budget = config.stash.get(keys.BUDGET_FILE, None)
    if budget is not None:
        budget.unlink(missing_ok=True)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
