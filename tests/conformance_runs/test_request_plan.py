"""The tenant plan announced before a run is within 25% of the requests the run makes, for the
session's guest run and its read-only run (conftest.py): `--target` at a tenant-like emulator
(no control API, the tenant's rate limit), the tenant profile."""

from __future__ import annotations

import re

from tests.harness import SuiteRun


def assert_planned_within_a_quarter_of_made(run: SuiteRun) -> None:
    planned = re.search(r"tenant profile plans about (\d+) requests", run.process.stdout)
    made = re.search(r"conformance: (\d+) requests in ", run.process.stdout)
    assert planned and made, run.output[-5000:]
    planned_count, made_count = int(planned.group(1)), int(made.group(1))
    assert abs(planned_count - made_count) <= 0.25 * made_count, (planned_count, made_count)


def test_tenant_plan_is_within_a_quarter_of_the_requests_made(guest_run):
    assert_planned_within_a_quarter_of_made(guest_run.suite)


def test_read_only_plan_is_within_a_quarter_of_the_requests_made(read_only_run):
    assert_planned_within_a_quarter_of_made(read_only_run.suite)
    # The run was throttled as on a tenant: the default limit with --target is the tenant's.
    assert "at 100/10s" in read_only_run.suite.process.stdout, read_only_run.suite.output[-3000:]
