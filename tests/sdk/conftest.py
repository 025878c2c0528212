"""A real emulator process for the vendor-SDK tests, a fresh tenant per answer profile, and the
SDK configured for it as its users configure it for a tenant.

The SDK is an HTTP client, so it must meet the emulator as it would meet a tenant: over a
socket, on its own port, configured only by the SAIL_* variables it documents. Every test runs
against both answer profiles: `published` (the emulator's default, what tenants and the SDK
do) and `documented` (the documents' contract).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from emulator.control_client import ControlClient, TenantControl
from emulator.process import EmulatorProcess
from tests.harness import emulator_process as start_emulator

# Skipped only when the SDK is absent (it comes with the project's `sdk` extra); a broken
# SDK install fails loudly at the imports below instead of skipping.
pytest.importorskip("sailpoint", reason="the vendor SDK is not installed: pip install -e '.[sdk]'")

from sailpoint.configuration import Configuration
from sailpoint.v3.api.certification_campaigns_api import CertificationCampaignsApi
from sailpoint.v3.api.certifications_api import CertificationsApi
from sailpoint.v3.api_client import ApiClient
from sdk_coverage import COVERAGE, RecordingApi


@dataclass
class ControlledTenant(TenantControl):
    """A tenant of its own (so other tests never see its objects) plus the control API."""

    client_id: str = ""
    client_secret: str = ""
    profile: str = "published"

    @property
    def base_url(self) -> str:
        return self.control.base_url


@pytest.fixture(scope="session")
def emulator_process() -> Iterator[EmulatorProcess]:
    # No transition delay: background work settles on the next request, so polls are short.
    server = start_emulator("--transition-delay", "0")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module", params=["published", "documented"])
def sdk_tenant(request: pytest.FixtureRequest, emulator_process) -> ControlledTenant:
    name = f"sdk-{uuid.uuid4().hex[:12]}"
    control = ControlClient(emulator_process.base_url)
    tenant = ControlledTenant(control, name, f"{name}-client", uuid.uuid4().hex, request.param)
    control.add_client(tenant.client_id, tenant.client_secret, tenant=name)
    tenant.answers(request.param)
    return tenant


@pytest.fixture(scope="module")
def sdk_client(sdk_tenant: ControlledTenant) -> Iterator[ApiClient]:
    # Configuration() reads the variables once, when constructed (and fetches its token
    # then), so they need to be set only around that line, not for the whole module.
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SAIL_BASE_URL", sdk_tenant.base_url)
        env.setenv("SAIL_CLIENT_ID", sdk_tenant.client_id)
        env.setenv("SAIL_CLIENT_SECRET", sdk_tenant.client_secret)
        configuration = Configuration()
    # The SDK prints and swallows a failed token request; without this check every call
    # would fail later as an unexplained 401.
    assert configuration.access_token, "the SDK got no token from the emulator's /oauth/token"
    assert configuration.base_url == sdk_tenant.base_url
    with ApiClient(configuration) as client:
        yield client


@pytest.fixture
def api(request: pytest.FixtureRequest, sdk_client: ApiClient, sdk_tenant) -> Iterator:
    recording = RecordingApi(CertificationCampaignsApi(sdk_client))
    yield recording
    missing = COVERAGE.get(request.node.originalname, frozenset()) - recording.called
    assert not missing, f"the test did not drive {sorted(missing)}"
    # Every request the SDK sent must have met the contract the emulator enforces.
    assert sdk_tenant.violations() == []


@pytest.fixture
def certifications_api(sdk_client: ApiClient) -> CertificationsApi:
    """The neighbouring API a client reads certification ids from (reassign needs them)."""
    return CertificationsApi(sdk_client)
