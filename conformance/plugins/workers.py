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
setting, whatever their module, go to one worker together.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from conformance.client import new_run_id
from conformance.client.operations import TENANT_SETTINGS
from conformance.plugins import keys
from conformance.targets.request_plan import planned_from_ids

SETTINGS_GROUP = "tenant-settings"  # the scheduling scope of the tests that change them
# Modules whose module-scoped objects cost many requests (the collections' seed, about 30):
# each worker running one of their tests would make them again, so they go to one worker.
WHOLE_MODULES = {"conformance/test_collections.py"}
_SHARED = "conformance_run"  # the workerinput entry a worker reads the shared run from


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):
        shared = config.workerinput[_SHARED]
        config.stash[keys.RUN_ID] = shared["run_id"]
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
    node.workerinput[_SHARED] = {
        "run_id": config.stash[keys.RUN_ID],
        "budget": str(budget) if budget else None,
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
        heaviest_first = False

        def _split_scope(self, nodeid: str) -> str:
            if touches_tenant_settings(nodeid):
                return SETTINGS_GROUP
            module, _, test = nodeid.partition("::")
            return module if module in WHOLE_MODULES else f"{module}::{test.split('[')[0]}"

        def _assign_work_unit(self, node) -> None:
            # The units that send the most requests first (by the tenant plan's figures), so
            # the run does not end waiting on one worker that was handed a big one last.
            if not self.heaviest_first:
                units = sorted(self.workqueue.items(), key=lambda unit: -planned_from_ids(unit[1]))
                self.workqueue.clear()
                self.workqueue.update(units)
                self.heaviest_first = True
            super()._assign_work_unit(node)

    return OneRunOverWorkers(config, log)


def touches_tenant_settings(nodeid: str) -> bool:
    """A test parametrized by the operation that changes a tenant-wide setting, or the test
    of the setting's round trip (`test_reports_configuration_round_trips`)."""
    return "reports_configuration" in nodeid or any(
        operation in nodeid for operation in TENANT_SETTINGS
    )


def pytest_unconfigure(config: pytest.Config) -> None:
    budget = config.stash.get(keys.BUDGET_FILE, None)
    if budget is not None and not hasattr(config, "workerinput"):
        budget.unlink(missing_ok=True)
