"""Where the suite runs: the embedded emulator (default), or `--target URL`.

The embedded emulator is a real server process on a free loopback port, spoken to over HTTP
with the same client a tenant gets. A target that answers the emulator's control API (the
embedded one, or one started separately) lends the suite its clock, so rules that need a
campaign to be past due run in seconds; on a tenant they are skipped with the reason.

This is the one module of the suite that imports the emulator package: to start the
embedded emulator and to speak to an emulator's control API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import requests

from conformance.client.circuit_breaker import CircuitBreaker
from conformance.client.tokens import Credentials
from conformance.targets.preflight import TargetAddress
from emulator.control_client import ControlClient, TenantControl, fetch_token
from emulator.process import EmulatorDidNotStart, EmulatorProcess, start_emulator

EMBEDDED_CREDENTIALS = Credentials("conformance", "conformance-secret")


class TargetError(Exception):
    """The embedded emulator could not be started; said in one line."""


class EmulatorControl(TenantControl):
    """The emulator's control API, for the one tenant the suite's credentials belong to."""

    def __init__(self, base_url: str, tenant: str, breaker: CircuitBreaker | None = None) -> None:
        super().__init__(ControlClient(base_url, send=self._send), tenant)
        # The guest session's breaker, once there is one: a control call to a server that has
        # gone away ends the run with the same one line as any other request, not a traceback.
        self.breaker = breaker

    def _send(self, method: str, url: str, **options: Any) -> requests.Response:
        if self.breaker is not None:
            self.breaker.before_send()
        try:
            return requests.request(method, url, **options)
        except requests.RequestException as error:
            if self.breaker is not None:
                self.breaker.confirm(self.control.base_url, error)  # raises if the server is gone
            raise

    def register_client(self, client_id: str, secret: str, authorities: list[str]) -> Credentials:
        """A client of the suite's tenant with other authorities (the 403 rules need one)."""
        self.control.add_client(client_id, secret, authorities=authorities, tenant=self.name)
        return Credentials(client_id, secret)


@dataclass
class Target:
    base_url: str
    credentials: Credentials
    control: EmulatorControl | None = None
    server: EmulatorProcess | None = field(default=None, repr=False)

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()


def start_embedded(transition_delay: float = 0.05) -> Target:
    try:
        server = start_emulator("--transition-delay", str(transition_delay))
    except EmulatorDidNotStart as error:
        raise TargetError(str(error)) from None
    control = EmulatorControl(server.base_url, "default")
    return Target(server.base_url, EMBEDDED_CREDENTIALS, control, server)


def connect(address: TargetAddress) -> Target:
    """The target at `address` (the preflight's), with the control API if it is an emulator."""
    control = _probe_control(address.base_url, address.credentials)
    return Target(address.base_url, address.credentials, control)


def _probe_control(base_url: str, credentials: Credentials) -> EmulatorControl | None:
    """An emulator answers its control API; a tenant does not."""
    try:
        if ControlClient(base_url).health().get("status") != "ok":
            return None
    except (requests.RequestException, ValueError, AttributeError):
        return None
    try:
        tenant = fetch_token(base_url, credentials.client_id, credentials.client_secret).tenant
    except (requests.RequestException, ValueError, KeyError):
        tenant = None  # refused credentials: the preflight says so in its own words
    return EmulatorControl(base_url, tenant or "default")
