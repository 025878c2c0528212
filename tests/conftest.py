"""Settings for the project's own tests.

CI machines are small and busy (two cores, tests in parallel with servers), so generation
speed is not a property under test: no deadline, no too-slow health check.
"""

from __future__ import annotations

import sys

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "project-tests", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("project-tests")

# Session fixtures that make the longest runs (the whole suite, or several suite runs at
# once), and the xdist group of the tests that read them. Under `-n 3 --dist loadgroup` (tox)
# a group goes to one worker, whole, so its run is made once per session, not once per worker.
SHARED_RUNS = {
    "guest_run": "tenant-runs",
    "read_only_run": "tenant-runs",
    "runs": "learned-profiles",
    "upgrade_runs": "upgrade-runs",
}


@pytest.fixture(scope="session")
def upgrade_runs(tmp_path_factory: pytest.TempPathFactory):
    """The README upgrade walkthrough's runs (tests/upgrade_runs.py), read by the README's test
    and by the upgrade verification."""
    from tests.upgrade_runs import make_upgrade_runs

    return make_upgrade_runs(tmp_path_factory.mktemp("reports-out"))


def pytest_configure(config: pytest.Config) -> None:
    # `pytest tests -n 3` distributes as `--dist loadgroup` too; the workers learn it from
    # the controller (pytest_configure_node), as they parse only the command line.
    if hasattr(config, "workerinput"):
        config.option.loadgroup = config.workerinput.get("loadgroup", False)
    elif config.getoption("dist", "no") == "load":
        config.option.dist = "loadgroup"
    if not hasattr(config, "workerinput") and config.getoption("numprocesses", None):
        # The workers fork their emulators and suite runs from one warm Python, started here:
        # its imports are made once for the session, while the workers start.
        from tests import warm_python

        warm_python.share_with_workers()


def pytest_unconfigure(config: pytest.Config) -> None:
    # The warm Python the harness forks processes from ends with the session, not at exit:
    # an xdist worker may leave without running atexit, and its CPU time is the session's.
    warm_python = sys.modules.get("tests.warm_python")
    if warm_python is not None:
        warm_python.stop_servers()


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist, when it is installed
def pytest_configure_node(node) -> None:
    node.workerinput["loadgroup"] = node.config.getoption("dist") == "loadgroup"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test reading a shared run joins that run's xdist group, and the groups go first (the
    longest units of work, so the other worker takes the rest meanwhile)."""
    for item in items:
        for fixture, group in SHARED_RUNS.items():
            if fixture in item.fixturenames:
                item.add_marker(pytest.mark.xdist_group(group))
    items.sort(key=lambda item: item.get_closest_marker("xdist_group") is None)
    if getattr(config.option, "loadgroup", False):
        for item in items:
            _name_the_group(item)


def _name_the_group(item: pytest.Item) -> None:
    """What `--dist loadgroup` does on a worker: the group is a suffix of the node id,
    `path::test@group`, by which the controller sends the group to one worker. pytest-xdist
    3.8 sets it through `item._nodeid`, which pytest 9.2 no longer reads (a node's id is its
    structured `_id` since); it is set here the way pytest 9.2 keeps it."""
    marker = item.get_closest_marker("xdist_group")
    if marker is None or "@" in item.nodeid:
        return
    group = marker.args[0] if marker.args else marker.kwargs.get("name", "default")
    if hasattr(item, "_id"):  # pytest 9.2 and later
        item._id = type(item._id).parse(f"{item.nodeid}@{group}")
    else:
        item._nodeid = f"{item.nodeid}@{group}"
    if not item.nodeid.endswith(f"@{group}"):  # another pytest: say so, do not split groups
        raise RuntimeError(f"cannot name the xdist group of {item.nodeid}: see tests/conftest.py")
