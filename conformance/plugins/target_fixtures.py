"""The target of the run: the embedded emulator, or `--target URL` (a tenant or an emulator)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conformance.preflight import EXIT_TARGET_UNUSABLE
from conformance.target import Target, TargetError, connect, start_embedded

TARGET_IS_EMULATOR = pytest.StashKey[bool]()


@pytest.fixture(scope="session")
def target(pytestconfig: pytest.Config) -> Iterator[Target]:
    url = pytestconfig.getoption("--target")
    try:
        chosen = connect(url) if url is not None else start_embedded()
        pytestconfig.stash[TARGET_IS_EMULATOR] = chosen.control is not None
    except TargetError as error:
        pytest.exit(f"conformance: {error}", returncode=EXIT_TARGET_UNUSABLE)
    yield chosen
    chosen.stop()


@pytest.fixture
def writable(pytestconfig: pytest.Config) -> None:
    """Skip a test that must create or change objects when the run is read-only."""
    if pytestconfig.getoption("--read-only"):
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
