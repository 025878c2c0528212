"""The target of the run: the embedded emulator, or `--target URL` (a tenant or an emulator)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conformance.plugins import keys
from conformance.run.run_options import RunOptions
from conformance.targets.preflight import EXIT_TARGET_UNUSABLE
from conformance.targets.target import Target, TargetError, connect, start_embedded


@pytest.fixture(scope="session")
def target(pytestconfig: pytest.Config, run_options: RunOptions) -> Iterator[Target]:
    try:
        chosen = connect(run_options.target) if run_options.target else start_embedded()
        pytestconfig.stash[keys.TARGET] = chosen
    except TargetError as error:
        pytest.exit(f"conformance: {error}", returncode=EXIT_TARGET_UNUSABLE)
    yield chosen
    chosen.stop()


@pytest.fixture
def writable(run_options: RunOptions) -> None:
    """Skip a test that must create or change objects when the run is read-only."""
    if run_options.read_only:
        pytest.skip("read-only run: this check needs to create objects")


@pytest.fixture(scope="session")
def emulator_control(target: Target):
    """The emulator's control API (its clock, certifications, clients); on a tenant, rules
    that need days are skipped, saying why."""
    if target.control is None:
        pytest.skip(
            "needs a campaign to become past due, which takes days on a tenant; "
            "run against the emulator to check this rule"
        )
    return target.control
