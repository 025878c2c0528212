"""`pytest conformance`: options, the target, the guest session, and the run's bookkeeping.

pytest conformance                         # the embedded emulator
pytest conformance --target URL            # a tenant or a separately started emulator
                                           # (SAIL_CLIENT_ID / SAIL_CLIENT_SECRET)
options: --read-only  --strict  --profile ci|fail-fast|thorough|tenant  --rate-limit 100/10s|off
         --report-dir reports/out
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, Phase, settings

from conformance import run_report
from conformance.client import GuestSession, RunLedger, TokenSource
from conformance.client.throttle import Throttle
from conformance.suite_api import SuiteApi
from conformance.target import Target, TargetError, connect, start_embedded
from emulator.config import RateLimit

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


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "Certification Campaigns conformance")
    group.addoption(
        "--target", help="base URL of a tenant or emulator (default: embedded emulator)"
    )
    group.addoption("--read-only", action="store_true", help="send only safe (GET) requests")
    group.addoption(
        "--profile",
        choices=["ci", "fail-fast", "thorough", "tenant"],
        help="hypothesis profile (default: ci, or tenant with --target)",
    )
    group.addoption(
        "--report-dir",
        default="reports/out",
        help="where the run folder (junit.xml, results.json, report.html) goes "
        "(default reports/out/<run id>)",
    )
    group.addoption(
        "--rate-limit",
        help="client-side request limit per token, or 'off' (default: 100/10s, "
        "the tenant's, with --target; off for the embedded emulator)",
    )


def pytest_configure(config: pytest.Config) -> None:
    profile = config.getoption("--profile") or ("tenant" if config.getoption("--target") else "ci")
    settings.load_profile(profile)
    config.stash[_PROFILE] = profile
    run_report.register(config)
    rate = config.getoption("--rate-limit") or (
        "100/10s" if config.getoption("--target") else "off"
    )
    try:
        config.stash[_RATE] = None if rate == "off" else RateLimit.parse(rate)
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None


_PROFILE = pytest.StashKey[str]()
_RATE = pytest.StashKey[RateLimit | None]()
_SESSION = pytest.StashKey[GuestSession]()
_STARTED = pytest.StashKey[float]()


@pytest.fixture(scope="session")
def target(pytestconfig: pytest.Config) -> Iterator[Target]:
    url = pytestconfig.getoption("--target")
    try:
        chosen = connect(url) if url is not None else start_embedded()
        pytestconfig.stash[_TARGET_IS_EMULATOR] = chosen.control is not None
    except TargetError as error:
        pytest.exit(f"conformance: {error}", returncode=2)
    yield chosen
    chosen.stop()


@pytest.fixture(scope="session")
def guest_session(pytestconfig: pytest.Config, target: Target) -> Iterator[GuestSession]:
    rate = pytestconfig.stash[_RATE]
    session = GuestSession(
        target.base_url,
        TokenSource(target.base_url, target.credentials),
        RunLedger(),
        throttle=Throttle(rate.requests, rate.per_seconds) if rate else Throttle.unlimited(),
        read_only=pytestconfig.getoption("--read-only"),
    )
    pytestconfig.stash[_SESSION] = session
    pytestconfig.stash[_STARTED] = time.monotonic()
    yield session
    # Runs after failures and after Ctrl-C too: pytest tears session fixtures down either way.
    report = session.ledger.cleanup(session, target.base_url)
    session.cleanup_summary = report.summary()  # type: ignore[attr-defined]
    session.close()


@pytest.fixture(autouse=True)
def _collect_for_the_report(request: pytest.FixtureRequest, guest_session: GuestSession):
    """Status codes and the deciding exchange of each test, for the run folder."""
    observer = run_report.observe(request.node)
    guest_session.observers.append(observer)
    yield
    guest_session.observers.remove(observer)


# The report hooks live in run_report; a conftest exposes hooks by having them as attributes.
pytest_runtest_makereport = run_report.pytest_runtest_makereport
pytest_runtest_logreport = run_report.pytest_runtest_logreport


@pytest.fixture(scope="session")
def suite_api(guest_session: GuestSession) -> SuiteApi:
    return SuiteApi(guest_session)


@pytest.fixture
def writable(pytestconfig: pytest.Config) -> None:
    """Skip a test that must create or change objects when the run is read-only."""
    if pytestconfig.getoption("--read-only"):
        pytest.skip("read-only run: this check needs to create objects")


@pytest.fixture(scope="session")
def clock(target: Target):
    """The emulator's clock; on a tenant, rules that need days are skipped, saying why."""
    if target.control is None:
        pytest.skip(
            "needs a campaign to become past due, which takes days on a tenant; "
            "run against the emulator to check this rule"
        )
    return target.control


# Rough requests per collected test, per kind of test, for the tenant profile's plan.
_PER_EXAMPLE = {
    "test_operation_honours_the_spec": 2,
    "test_stateful_links": 0,
    "test_campaign_lifecycle": 0,
    "test_template_lifecycle": 0,
}
_PER_STEP = {"test_stateful_links": 2, "test_campaign_lifecycle": 4, "test_template_lifecycle": 4}


def pytest_report_collectionfinish(config: pytest.Config, items) -> list[str]:
    """Before a tenant run, say how many requests it plans, so the admin is never surprised."""
    if config.stash[_PROFILE] != "tenant":
        return []
    current = settings()
    planned = 0
    for item in items:
        name = getattr(item, "originalname", item.name)
        planned += _PER_EXAMPLE.get(name, 3) * current.max_examples
        planned += _PER_STEP.get(name, 0) * current.max_examples * current.stateful_step_count
    rate = config.stash[_RATE]
    floor = (
        f", at least {planned * rate.per_seconds / rate.requests:.0f}s at {rate.requests}"
        f"/{rate.per_seconds:g}s"
        if rate
        else ""
    )
    return [
        f"conformance: tenant profile plans about {planned} requests{floor} "
        "(the summary at the end gives the real count)"
    ]


_PROGRESS = pytest.StashKey[dict]()


def pytest_runtest_logfinish(nodeid: str, location) -> None:
    """On a terminal, a progress line every 15 s of a long run; nothing in CI logs."""
    config = run_report._CONFIG.get("config")
    if config is None or os.environ.get("CI") or not sys.stdout.isatty():
        return
    state = config.stash.setdefault(_PROGRESS, {"done": 0, "last": time.monotonic()})
    state["done"] += 1
    if time.monotonic() - state["last"] < 15:
        return
    state["last"] = time.monotonic()
    session = config.stash.get(_SESSION, None)
    failed = sum(r.outcome == "fail" for r in config.stash.get(run_report._RECORDS, []))
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and session is not None:
        reporter.write_line(
            f"conformance: {state['done']} checks done, "
            f"{session.request_count} requests, {failed} failed so far"
        )


def _run_summary(config: pytest.Config) -> list[str]:
    session = config.stash.get(_SESSION, None)
    if session is None:
        return []
    elapsed = time.monotonic() - config.stash[_STARTED]
    lines = [
        f"conformance: {session.request_count} requests in {elapsed:.1f}s against "
        f"{session.base_url} (run {session.ledger.run_id}, profile {config.stash[_PROFILE]})"
    ]
    summary = getattr(session, "cleanup_summary", None)
    if summary:
        lines.append(f"conformance: {summary}")
    return lines


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    guest = config.stash.get(_SESSION, None)
    if hasattr(config, "workeroutput"):
        # Under pytest-xdist each worker has its own target; hand its figures to the controller.
        config.workeroutput["conformance_summary"] = _run_summary(config)
        config.workeroutput["conformance_requests"] = guest.request_count if guest else 0
        return
    requests_sent = (guest.request_count if guest else 0) + config.stash.get(_WORKER_REQUESTS, 0)
    target = config.getoption("--target")
    try:
        run_report.write(
            config,
            {
                "run_id": guest.ledger.run_id if guest else RunLedger().run_id,
                "target_url": guest.base_url if guest else (target or "embedded emulator"),
                "target_kind": "tenant" if target and not _is_emulator(config) else "emulator",
                "request_count": requests_sent,
                "hypothesis_profile": config.stash[_PROFILE],
                "read_only": bool(config.getoption("--read-only")),
                "strict": bool(config.getoption("strict")),
            },
        )
    except OSError as error:
        config.stash[_REPORT_ERROR] = str(error)


def _is_emulator(config: pytest.Config) -> bool:
    return bool(config.stash.get(_TARGET_IS_EMULATOR, False))


@pytest.hookimpl(optionalhook=True)  # an xdist hook: absent without pytest-xdist
def pytest_testnodedown(node, error) -> None:
    output = getattr(node, "workeroutput", {})
    node.config.stash.setdefault(_WORKER_LINES, []).extend(output.get("conformance_summary", []))
    node.config.stash[_WORKER_REQUESTS] = node.config.stash.get(_WORKER_REQUESTS, 0) + output.get(
        "conformance_requests", 0
    )


_WORKER_REQUESTS = pytest.StashKey[int]()
_REPORT_ERROR = pytest.StashKey[str]()
_TARGET_IS_EMULATOR = pytest.StashKey[bool]()
_WORKER_LINES = pytest.StashKey[list]()


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    for line in _run_summary(config) + config.stash.get(_WORKER_LINES, []):
        terminalreporter.write_line(line)
    folder = run_report.folder_of(config)
    if folder is not None:
        terminalreporter.write_line(f"conformance: report written to {folder}")
    elif _REPORT_ERROR in config.stash:
        terminalreporter.write_line(
            f"conformance: no report written: {config.stash[_REPORT_ERROR]}"
        )
