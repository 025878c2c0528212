"""The command line (its options are added by conformance/run/pytest_entry.py, the suite's
entry-point plugin), resolved once into the run's options; hypothesis profiles, markers; the
preflight of a `--target` run."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import core as hypothesis_core

from conformance.plugins import keys
from conformance.run.run_options import NAMES, RunOptions, resolve
from conformance.run.settings_file import settings_source
from conformance.targets import preflight
from conformance.targets.preflight import EXIT_TARGET_UNUSABLE, TargetUnusable

_QUIET = [
    HealthCheck.too_slow,
    HealthCheck.filter_too_much,
    HealthCheck.data_too_large,
    HealthCheck.function_scoped_fixture,
]
settings.register_profile(
    "ci",
    max_examples=12,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=_QUIET,
    database=None,
)
settings.register_profile(
    "thorough",
    max_examples=150,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=_QUIET,
)
# Like ci, but stops at the first failing example instead of shrinking it to a minimal one:
# for gates where "it fails" is the whole answer (and for the suite's own self-test).
settings.register_profile(
    "fail-fast",
    parent=settings.get_profile("ci"),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
settings.register_profile(
    "tenant",
    max_examples=3,
    stateful_step_count=6,
    deadline=None,
    suppress_health_check=_QUIET,
    database=None,
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "rules(*rule_ids, drawn=False): the documented rules (conformance/judging/rules.py) a test "
        "checks on every run (drawn=True: only when hypothesis draws the step)",
    )
    config.addinivalue_line(
        "markers", "checks(*names): the response checks a schemathesis test runs"
    )
    if config.getoption("help", False):
        return
    command_line = {name: config.getoption(name) for name in NAMES}
    try:
        options = resolve([command_line, settings_source()], reach=_preflight(config))
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
    except TargetUnusable as error:  # a --target that cannot be used: one line, exit 6
        pytest.exit(f"conformance: {error}", returncode=EXIT_TARGET_UNUSABLE)
    config.stash[keys.RUN_OPTIONS] = options
    settings.load_profile(options.profile)
    if options.seed is not None:
        # What hypothesis' own --hypothesis-seed does: every test draws from this seed, so
        # the same examples come in the same order on every run.
        hypothesis_core.global_force_seed = options.seed


def _preflight(config: pytest.Config):
    """Check the target before anything is collected, in the process that runs the session;
    a pytest-xdist worker only reads the address its controller already checked."""
    if hasattr(config, "workerinput"):
        return lambda url: preflight.address(url, os.environ)
    return lambda url: preflight.check(url, os.environ)


@pytest.fixture(scope="session")
def run_options(pytestconfig: pytest.Config) -> RunOptions:
    """The run's options, resolved once (conformance/run/run_options.py)."""
    return pytestconfig.stash[keys.RUN_OPTIONS]
