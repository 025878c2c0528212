"""A real emulator process for the vendor-SDK tests, and a fresh tenant in it.

The SDK is an HTTP client, so it must meet the emulator as it would meet a tenant: over a
socket, on its own port, configured only by the SAIL_* variables it documents.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import pytest
import requests

from emulator.process import EmulatorProcess, start_emulator


@dataclass(frozen=True)
class ControlledTenant:
    """A tenant of its own (so other tests never see its objects) plus the control API."""

    base_url: str
    name: str
    client_id: str
    client_secret: str

    def _control(self, method: str, path: str, **kwargs) -> requests.Response:
        url = f"{self.base_url}/emulator/tenants/{self.name}{path}"
        response = requests.request(method, url, timeout=10, **kwargs)
        response.raise_for_status()
        return response

    def now(self) -> datetime:
        """The tenant clock, which runs ahead of real time once advanced."""
        return datetime.fromisoformat(self._control("GET", "/clock").json()["now"])

    def advance_clock(self, seconds: float) -> None:
        self._control("POST", "/clock", json={"advanceSeconds": seconds})

    def certifications(self, campaign_id: str) -> list[dict]:
        """The certifications an ACTIVE campaign has (the API itself does not list them)."""
        return self._control("GET", f"/campaigns/{campaign_id}/certifications").json()

    def violations(self) -> list[dict]:
        return self._control("GET", "/violations").json()


@pytest.fixture(scope="module")
def emulator_process() -> Iterator[EmulatorProcess]:
    # No transition delay: background work settles on the next request, so polls are short.
    server = start_emulator("--transition-delay", "0")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def sdk_tenant(emulator_process: EmulatorProcess) -> ControlledTenant:
    name = f"sdk-{uuid.uuid4().hex[:12]}"
    tenant = ControlledTenant(emulator_process.base_url, name, f"{name}-client", uuid.uuid4().hex)
    response = requests.post(
        f"{tenant.base_url}/emulator/clients",
        json={
            "clientId": tenant.client_id,
            "clientSecret": tenant.client_secret,
            "authorities": ["ORG_ADMIN"],
            "tenant": tenant.name,
        },
        timeout=10,
    )
    response.raise_for_status()
    return tenant
