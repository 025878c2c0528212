"""Every key the suite's plugins keep in pytest's stash, in one place, so no plugin imports
another to reach what it stored (schemathesis keeps its keys the same way)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    pass

# On the config, for the whole run.
RUN_OPTIONS = pytest.StashKey["RunOptions"]()  # the command line, resolved (options.py)
RUN_ID = pytest.StashKey[str]()  # the run's id, one for every pytest-xdist worker
BUDGET_FILE = pytest.StashKey[Path]()  # the rate budget pytest-xdist workers share
WORK_LEFT = pytest.StashKey[float]()  # requests a worker's current tests still plan
WORK_LEFT_BY_TEST = pytest.StashKey[dict]()  # the same for each test id (workers.py)
TARGET = pytest.StashKey["Target"]()  # the target in use, once the session has one
SESSION = pytest.StashKey["GuestSession"]()  # the guest session every request goes through
SESSION_STARTED = pytest.StashKey[float]()  # time.monotonic() when the session was made
OWN_TOKEN_REQUESTS = pytest.StashKey[int]()  # sent outside the rate budget (the 429 rule)
SECRETS = pytest.StashKey[set]()  # what the run held (client secret, tokens): redacted
CLEANUP_REPORT = pytest.StashKey["CleanupReport"]()  # what cleanup deleted, restored or left
CLEANUP_FOLDER = pytest.StashKey[Path]()  # where pytest-xdist workers leave their cleanup's
WORKERS_STARTED = pytest.StashKey[int]()  # pytest-xdist workers the controller configured
TARGET_STOPPED = pytest.StashKey[str]()  # the one line of a target that stopped answering
ANNOUNCED = pytest.StashKey[bool]()  # the tenant plan was said (once, under pytest-xdist)
WORKER_FIGURES = pytest.StashKey[list]()  # pytest-xdist workers' SessionFigures (progress.py)
WORKER_REQUESTS = pytest.StashKey[int]()  # pytest-xdist workers' request counts
COLLECTOR = pytest.StashKey["RunCollector"]()  # the run's records and outcomes
RUN_CLOCK = pytest.StashKey[tuple[float, str]]()  # the run's start: monotonic, ISO 8601
REPORT_FOLDER = pytest.StashKey[Path]()  # where the run folder was written
REPORT_ERROR = pytest.StashKey[str]()  # why it was not

# On a test item.
TALLY = pytest.StashKey["TestTally"]()  # what the test exercised and saw (run_report.py)
ANSWERS = pytest.StashKey[list]()  # every answer the test received (flaky_server.py)
FLAKY_EXPLANATION = pytest.StashKey[str]()  # the inconsistent server, explained
