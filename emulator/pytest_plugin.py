"""A pytest plugin for client authors: a real emulator tenant instead of hand-written mocks.

Installing this package makes the fixtures available (entry point `pytest11`); nothing runs
unless a test asks for them.

    def test_my_client(campaigns_tenant):         # SAIL_BASE_URL/ID/SECRET are set
        my_client.create_campaign(...)             # the vendor SDK picks them up

    pytest --campaigns-gate                        # fail each test that made a violation

With --campaigns-gate, a test whose tenant recorded a contract violation fails, naming each
distinct violation once with its count; warnings (what a tenant tolerates: repeated slashes, a
new token for most requests) fail it only with --campaigns-fail-on-warnings. Without the gate
the findings are only listed at the end of the session.

Fixtures: `campaigns_emulator` (the server, once per session), `campaigns_tenant` (a fresh,
isolated tenant per test, exported as SAIL_* variables, with switches: rate_limit, faults,
transition_delay, answers, like), `seed` (campaigns in a given status, templates with schedules,
past-due campaigns via the tenant clock).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from emulator.control_client import ControlClient, TenantControl, fetch_token
from emulator.domain.clock import parse_timestamp
from emulator.gate import gate_report
from emulator.process import EmulatorProcess, start_emulator

_VIOLATIONS = pytest.StashKey[list]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("campaigns-emulator", "Certification Campaigns emulator")
    group.addoption(
        "--campaigns-gate",
        action="store_true",
        help="fail the session when the client made any contract violation",
    )
    group.addoption(
        "--campaigns-fail-on-warnings",
        action="store_true",
        help="with --campaigns-gate: warnings fail the test too",
    )
    group.addoption(
        "--campaigns-emulator-args",
        default="",
        help="extra emulator options, e.g. '--rate-limit 100/10s --token-ttl 60'",
    )
    group.addoption(
        "--campaigns-like",
        metavar="RESULTS.json",
        help="every tenant answers as the tenant of that conformance run was seen to answer "
        "where it differs from the documents (the emulator's --like)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_VIOLATIONS] = []


class EmulatorServer(EmulatorProcess):
    """The emulator process, with its control API."""

    @property
    def control(self) -> ControlClient:
        return ControlClient(self.base_url)


@dataclass
class Tenant(TenantControl):
    """An isolated tenant: its credentials, and the switches for the realism a client must
    face (clock, rate_limit, faults, transition_delay, answers, like, violations: see
    `emulator.control_client.TenantControl`)."""

    client_id: str = ""
    client_secret: str = field(default="", repr=False)

    @property
    def base_url(self) -> str:
        return self.control.base_url

    @property
    def env(self) -> dict[str, str]:
        return {
            "SAIL_BASE_URL": self.base_url,
            "SAIL_CLIENT_ID": self.client_id,
            "SAIL_CLIENT_SECRET": self.client_secret,
        }

    def token(self) -> str:
        return fetch_token(self.base_url, self.client_id, self.client_secret).access_token


def start_server(extra_args: list[str]) -> EmulatorServer:
    started = start_emulator("--transition-delay", "0", *extra_args)
    return EmulatorServer(started.base_url, started.process)


def new_tenant(server: EmulatorServer, authorities: list[str] | None = None) -> Tenant:
    name = f"client-test-{secrets.token_hex(4)}"
    secret = secrets.token_urlsafe(16)
    server.control.add_client(name, secret, authorities=authorities or ["ORG_ADMIN"], tenant=name)
    return Tenant(server.control, name, name, secret)


@pytest.fixture(scope="session")
def campaigns_emulator(pytestconfig: pytest.Config) -> Iterator[EmulatorServer]:
    arguments = pytestconfig.getoption("--campaigns-emulator-args").split()
    like = pytestconfig.getoption("--campaigns-like")
    if like:
        arguments += ["--like", str(Path(like).resolve())]
    server = start_server(arguments)
    yield server
    server.stop()


@pytest.fixture
def campaigns_tenant(
    campaigns_emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Tenant]:
    tenant = new_tenant(campaigns_emulator)
    for key, value in tenant.env.items():
        monkeypatch.setenv(key, value)
    yield tenant


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """After a test that used a tenant: its findings are kept for the summary, and under the
    gate a violation fails this test (the one whose client caused it), naming it."""
    tenant = getattr(item, "funcargs", {}).get("campaigns_tenant")
    if not isinstance(tenant, Tenant):
        return (yield)
    try:
        result = yield
    except BaseException:
        _findings(item, tenant)  # the test failed already: its own failure comes first
        raise
    failing = _findings(item, tenant)
    if failing and item.config.getoption("--campaigns-gate"):
        lines = "\n".join(finding.line() for finding in failing)
        pytest.fail(f"the client broke the contract:\n{lines}", pytrace=False)
    return result


def _findings(item: pytest.Item, tenant: Tenant) -> list[gate_report.Finding]:
    """Keep the tenant's findings for the summary; return those that fail the gate."""
    records = tenant.violations()
    item.config.stash[_VIOLATIONS].extend((item.nodeid, record) for record in records)
    fail_on_warnings = item.config.getoption("--campaigns-fail-on-warnings")
    return gate_report.failing(gate_report.distinct(records), fail_on_warnings)


class Seeder:
    """Objects in the states a client's tests need, made through the public API."""

    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant
        self._headers = {"Authorization": f"Bearer {tenant.token()}"}

    def _api(self, method: str, path: str, **kwargs) -> requests.Response:
        response = requests.request(
            method, f"{self.tenant.base_url}/v3{path}", headers=self._headers, timeout=10, **kwargs
        )
        response.raise_for_status()
        return response

    def campaign(self, status: str = "STAGED", **fields) -> dict:
        """A campaign in STAGED, ACTIVE, COMPLETED, or ACTIVE and past due ("PAST_DUE")."""
        body = {
            "name": "Seeded campaign",
            "description": "seeded",
            "type": "MANAGER",
            "deadline": "2100-01-01T00:00:00Z",
            **fields,
        }
        campaign = self._api("POST", "/campaigns", json=body).json()
        if status in ("ACTIVE", "PAST_DUE", "COMPLETED"):
            self._api("POST", f"/campaigns/{campaign['id']}/activate")
            self._api("GET", f"/campaigns/{campaign['id']}")  # let ACTIVATING settle
        if status in ("PAST_DUE", "COMPLETED"):
            deadline = self._api("GET", f"/campaigns/{campaign['id']}").json()["deadline"]
            self.tenant.advance_clock(
                (parse_timestamp(deadline) - self.tenant.now()).total_seconds() + 60
            )
        if status == "COMPLETED":
            self._api("POST", f"/campaigns/{campaign['id']}/complete")
        return self._api("GET", f"/campaigns/{campaign['id']}", params={"detail": "FULL"}).json()

    def template(self, schedule: dict | None = None, **fields) -> dict:
        body = {
            "name": "Seeded template",
            "description": "seeded",
            "deadlineDuration": "P2W",
            "campaign": {"name": "Campaign %Y-%m", "description": "seeded", "type": "MANAGER"},
            **fields,
        }
        template = self._api("POST", "/campaign-templates", json=body).json()
        if schedule is not None:
            self._api("PUT", f"/campaign-templates/{template['id']}/schedule", json=schedule)
        return self._api("GET", f"/campaign-templates/{template['id']}").json()


@pytest.fixture
def seed(campaigns_tenant: Tenant) -> Seeder:
    return Seeder(campaigns_tenant)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    found = config.stash.get(_VIOLATIONS, [])
    if not found:
        return
    gate = config.getoption("--campaigns-gate")
    terminalreporter.section("contract violations" + (" (gate: failing)" if gate else ""))
    by_test: dict[str, list[dict]] = {}
    for nodeid, record in found:
        by_test.setdefault(nodeid, []).append(record)
    findings = []
    for nodeid, records in by_test.items():
        for finding in gate_report.distinct(records):
            terminalreporter.write_line(f"{nodeid}: {finding.line()}")
            findings.append(finding)
    terminalreporter.write_line(f"gate: {gate_report.summary(findings)}")
