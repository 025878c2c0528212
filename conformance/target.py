"""Where the suite runs: the embedded emulator (default), or `--target URL`.

The embedded emulator is a real server process on a free loopback port, spoken to over HTTP
with the same client a tenant gets. A target that answers the emulator's control API (the
embedded one, or one started separately) lends the suite its clock, so rules that need a
campaign to be past due run in seconds; on a tenant they are skipped with the reason.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import requests

from conformance.client.circuit_breaker import CircuitBreaker
from conformance.client.tokens import Credentials
from emulator.process import EmulatorDidNotStart, EmulatorProcess, start_emulator

EMBEDDED_CREDENTIALS = Credentials("conformance", "conformance-secret")


class TargetError(Exception):
    """The target cannot be used (no credentials, not reachable); said in one line."""


@dataclass
class EmulatorControl:
    """The emulator's control API, for the one tenant the suite's credentials belong to."""

    base_url: str
    tenant: str
    # The guest session's breaker, once there is one: a control call to a server that has gone
    # away ends the run with the same one line as any other request, not a traceback.
    breaker: CircuitBreaker | None = None

    def _send(self, method: str, path: str, **options: Any) -> requests.Response:
        if self.breaker is not None:
            self.breaker.before_send()
        try:
            response = requests.request(method, f"{self.base_url}{path}", timeout=10, **options)
        except requests.RequestException as error:
            if self.breaker is not None:
                self.breaker.confirm(self.base_url, error)  # raises if the server is gone
            raise
        response.raise_for_status()
        return response

    def _tenant_path(self, path: str) -> str:
        return f"/emulator/tenants/{self.tenant}{path}"

    def advance_clock(self, seconds: float) -> None:
        self._send("POST", self._tenant_path("/clock"), json={"advanceSeconds": seconds})

    def now(self) -> datetime:
        """The tenant clock, which advance_clock has moved ahead of real time."""
        now = self._send("GET", self._tenant_path("/clock")).json()["now"]
        return datetime.fromisoformat(now.replace("Z", "+00:00"))

    def certifications(self, campaign_id: str) -> list[dict]:
        return self._send(
            "GET", self._tenant_path(f"/campaigns/{campaign_id}/certifications")
        ).json()

    def register_client(self, client_id: str, secret: str, authorities: list[str]) -> Credentials:
        self._send(
            "POST",
            "/emulator/clients",
            json={
                "clientId": client_id,
                "clientSecret": secret,
                "authorities": authorities,
                "tenant": self.tenant,
            },
        )
        return Credentials(client_id, secret)


@dataclass
class Target:
    base_url: str
    kind: str  # "embedded", "emulator" (started separately) or "tenant"
    credentials: Credentials
    control: EmulatorControl | None = None
    server: EmulatorProcess | None = field(default=None, repr=False)

    @property
    def is_tenant(self) -> bool:
        return self.kind == "tenant"

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()


def start_embedded(transition_delay: float = 0.05) -> Target:
    try:
        server = start_emulator("--transition-delay", str(transition_delay))
    except EmulatorDidNotStart as error:
        raise TargetError(str(error)) from None
    control = EmulatorControl(server.base_url, "default")
    return Target(server.base_url, "embedded", EMBEDDED_CREDENTIALS, control, server)


def connect(url: str, environ: dict[str, str] | None = None) -> Target:
    environ = dict(os.environ if environ is None else environ)
    client_id, secret = environ.get("SAIL_CLIENT_ID"), environ.get("SAIL_CLIENT_SECRET")
    if not client_id or not secret:
        raise TargetError("--target needs SAIL_CLIENT_ID and SAIL_CLIENT_SECRET in the environment")
    base_url = url.rstrip("/").removesuffix("/v3")
    if not base_url.startswith(("http://", "https://")):
        raise TargetError(f"--target must be an http(s) URL, got {url!r}")
    control = _probe_control(base_url, Credentials(client_id, secret))
    return Target(
        base_url, "emulator" if control else "tenant", Credentials(client_id, secret), control
    )


def _probe_control(base_url: str, credentials: Credentials) -> EmulatorControl | None:
    """An emulator answers its control API; a tenant does not."""
    try:
        health = requests.get(f"{base_url}/emulator/health", timeout=10)
        if health.status_code != 200 or health.json().get("status") != "ok":
            return None
        token = requests.post(
            f"{base_url}/oauth/token",
            timeout=10,
            data={
                "grant_type": "client_credentials",
                "client_id": credentials.client_id,
                "client_secret": credentials.client_secret,
            },
        ).json()
    except (requests.RequestException, ValueError):
        return None
    return EmulatorControl(base_url, token.get("tenant", "default"))
