"""Settings for the project's own tests.

CI machines are small and busy (two cores, tests in parallel with servers), so generation
speed is not a property under test: no deadline, no too-slow health check.
"""

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "project-tests", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("project-tests")

# Session fixtures that make a run of a minute or more (the whole suite, or several suite
# runs), and the xdist group of the tests that read them. Under `-n 2` every test module
# reading one goes to one worker, whole, so the run is made once per session, not once per
# worker; the other tests are sent one by one, as xdist's `load` does.
SHARED_RUN_FIXTURES = {
    "guest_run": "tenant-runs",
    "read_only_run": "tenant-runs",
    "runs": "learned-profiles",
}
SHARED_RUN_MODULES = {
    "tests/conformance_runs/test_request_plan.py": "tenant-runs",
    "tests/conformance_runs/test_run_results.py": "tenant-runs",
    "tests/conformance_runs/test_tenant_mode.py": "tenant-runs",
    "tests/learned_profiles/test_learned_profile_cli.py": "learned-profiles",
    "tests/learned_profiles/test_learned_profile_proof.py": "learned-profiles",
    "tests/learned_profiles/test_learned_profile_sdk.py": "learned-profiles",
}


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test reading a shared run from a module outside its group would make the run again
    on the other worker: it fails, saying so, instead of silently paying for it."""
    module = item.nodeid.split("::")[0]
    for fixture in sorted(SHARED_RUN_FIXTURES.keys() & set(item.fixturenames)):
        if SHARED_RUN_MODULES.get(module) != SHARED_RUN_FIXTURES[fixture]:
            pytest.fail(
                f"{item.nodeid} reads the shared run {fixture!r}: list {module} in "
                f"tests/conftest.py's SHARED_RUN_MODULES as {SHARED_RUN_FIXTURES[fixture]!r}",
                pytrace=False,
            )


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist, when it is installed
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """For xdist's default `load`: one work unit per shared-run group, one per other test.
    Units go out largest first (the groups), then in collection order."""
    if config.getoption("dist") != "load":
        return None  # a distribution mode chosen on the command line is kept
    from xdist.scheduler import LoadScopeScheduling

    class SharedRunScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return SHARED_RUN_MODULES.get(nodeid.split("::")[0], nodeid)

    return SharedRunScheduling(config, log)
