"""The two runs of the whole suite against a tenant-like emulator (tenant_runs.py) that several
tests read: a guest run (it may write) and a read-only run.

Each costs a CI worker the better part of a minute, so each is made once per session:
tests/conftest.py puts the tests that read them in one xdist group, which goes to one worker.
The guest run's emulator stays up until the session ends, so tests can ask what it holds.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.conformance_runs.tenant_runs import (
    PRIOR_CONFIGURATION,
    GuestRun,
    ReadOnlyRun,
    create_their_campaign,
    headers,
    holdings,
    settled_holdings,
    start_tenant,
)
from tests.harness import GUEST_CREDENTIALS, WHOLE_SUITE, run_suite

GUEST_RATE_LIMIT = "100/1s"
# Assertion rewriting only details the failure text of the suite's bare asserts (the tests
# here read the exit code, the output and the records), and it recompiles the project's
# modules in every run that cannot cache them; without it a run may fork from a warm Python.
PLAIN = ("--assert=plain",)


@pytest.fixture(scope="session")
def read_only_run_started(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Future]:
    """The read-only run, made in a thread (which only waits on its processes)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        yield pool.submit(make_read_only_run, tmp_path_factory.mktemp("read-only-run"))


@pytest.fixture(scope="session")
def read_only_run(read_only_run_started: Future) -> ReadOnlyRun:
    return read_only_run_started.result()


@pytest.fixture(scope="session")
def guest_run(
    tmp_path_factory: pytest.TempPathFactory, read_only_run_started: Future
) -> Iterator[GuestRun]:
    """`pytest conformance --target URL --profile tenant --seed N`, against a tenant holding a
    campaign and a reports configuration of its own and limiting each token's rate as a tenant
    does, the client-side limit set to it. At the tenant's 100/10s the run's ~760 requests
    take at least 76 s of waiting, so both sides run ten times faster (100/1s): the same
    throttle against the same limit; the read-only run keeps the client's default (the
    tenant's).
    The read-only run is started first, so that it runs in this run's waits."""
    with start_tenant(GUEST_RATE_LIMIT) as server:
        base = server.base_url
        health = requests.get(f"{base}/emulator/health", timeout=10)
        requests.put(
            f"{base}/v3/campaigns/reports-configuration",
            json=PRIOR_CONFIGURATION,
            headers=headers(base),
            timeout=10,
        ).raise_for_status()
        theirs = create_their_campaign(base)
        seed = random.randrange(1, 2**31)
        suite = run_suite(
            *WHOLE_SUITE,
            *("--target", base, "--profile", "tenant", "--seed", str(seed)),
            *("--rate-limit", GUEST_RATE_LIMIT, *PLAIN),
            report_dir=tmp_path_factory.mktemp("guest-run"),
            env=GUEST_CREDENTIALS,
            warm=True,
        )
        yield GuestRun(base, suite, seed, health, theirs)


def make_read_only_run(workdir: Path) -> ReadOnlyRun:
    """`pytest conformance --target URL --read-only --profile tenant` against a tenant holding
    a campaign of its own, with the default client-side rate limit (the tenant's, 100/10s).
    A read-only run sends fewer requests than that limit within its budget, so the limit
    the emulator enforces only sets how long the 429 rule's probe waits out its Retry-After:
    100/1s, where the tenant's 100/10s made it wait about ten seconds."""
    with start_tenant(GUEST_RATE_LIMIT) as server:
        base = server.base_url
        create_their_campaign(base)
        before = settled_holdings(base)
        suite = run_suite(
            *WHOLE_SUITE,
            *("--target", base, "--read-only", "--profile", "tenant", *PLAIN),
            report_dir=workdir,
            env=GUEST_CREDENTIALS,
            warm=True,
        )
        return ReadOnlyRun(suite, before, holdings(base))
