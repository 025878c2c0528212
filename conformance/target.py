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

import requests

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

    def _url(self, path: str) -> str:
        return f"{self.base_url}/emulator/tenants/{self.tenant}{path}"

    def advance_clock(self, seconds: float) -> None:
        requests.post(
            self._url("/clock"), json={"advanceSeconds": seconds}, timeout=10
        ).raise_for_status()

    def now(self) -> datetime:
        """The tenant clock, which advance_clock has moved ahead of real time."""
        response = requests.get(self._url("/clock"), timeout=10)
        response.raise_for_status()
        return datetime.fromisoformat(response.json()["now"].replace("Z", "+00:00"))

    def certifications(self, campaign_id: str) -> list[dict]:
        response = requests.get(self._url(f"/campaigns/{campaign_id}/certifications"), timeout=10)
        response.raise_for_status()
        return response.json()

    def objects(self) -> dict:
        return requests.get(self._url("/objects"), timeout=10).json()

    def violations(self) -> list[dict]:
        return requests.get(self._url("/violations"), timeout=10).json()

    def register_client(self, client_id: str, secret: str, authorities: list[str]) -> Credentials:
        requests.post(
            f"{self.base_url}/emulator/clients",
            timeout=10,
            json={
                "clientId": client_id,
                "clientSecret": secret,
                "authorities": authorities,
                "tenant": self.tenant,
            },
        ).raise_for_status()
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
