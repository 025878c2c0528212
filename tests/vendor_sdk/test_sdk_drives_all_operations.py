"""The vendor's own SDK (sailpoint==1.4.2, sailpoint.v3) cannot tell the emulator from a tenant.

Configured only through SAIL_BASE_URL / SAIL_CLIENT_ID / SAIL_CLIENT_SECRET, it calls all 22
methods of CertificationCampaignsApi against a running emulator; every call succeeds and
deserializes into the SDK's models.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests

pytest.importorskip("sailpoint.v3", reason="the vendor SDK is in the 'sdk' extra")

from sailpoint.configuration import Configuration
from sailpoint.v3 import models
from sailpoint.v3.api.certification_campaigns_api import CertificationCampaignsApi
from sailpoint.v3.api_client import ApiClient

from emulator.process import start_emulator

SDK_METHODS = {
    "complete_campaign",
    "create_campaign",
    "create_campaign_template",
    "delete_campaign_template",
    "delete_campaign_template_schedule",
    "delete_campaigns",
    "get_active_campaigns",
    "get_campaign",
    "get_campaign_reports",
    "get_campaign_reports_config",
    "get_campaign_template",
    "get_campaign_template_schedule",
    "get_campaign_templates",
    "move",
    "patch_campaign_template",
    "set_campaign_reports_config",
    "set_campaign_template_schedule",
    "start_campaign",
    "start_campaign_remediation_scan",
    "start_campaign_report",
    "start_generate_campaign_template",
    "update_campaign",
}
CALLED: set[str] = set()


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server = start_emulator("--transition-delay", "0")
    yield server.base_url
    server.stop()


@pytest.fixture(scope="module")
def sdk(base_url) -> Iterator[CertificationCampaignsApi]:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SAIL_BASE_URL", base_url)
        env.setenv("SAIL_CLIENT_ID", "conformance")
        env.setenv("SAIL_CLIENT_SECRET", "conformance-secret")
        with ApiClient(Configuration()) as client:
            yield _Recording(CertificationCampaignsApi(client))


class _Recording:
    """Remembers which SDK methods the tests called, so the last test can insist on all 22."""

    def __init__(self, api: CertificationCampaignsApi) -> None:
        self._api = api

    def __getattr__(self, name: str):
        CALLED.add(name.removesuffix("_with_http_info"))
        return getattr(self._api, name)


def advance_clock(base_url: str, seconds: float) -> None:
    requests.post(
        f"{base_url}/emulator/tenants/default/clock", json={"advanceSeconds": seconds}, timeout=10
    ).raise_for_status()


def certification_ids(base_url: str, campaign_id: str) -> list[str]:
    url = f"{base_url}/emulator/tenants/default/campaigns/{campaign_id}/certifications"
    return [c["id"] for c in requests.get(url, timeout=10).json()]


def new_campaign(sdk, name: str = "SDK campaign", days: int = 30) -> models.Campaign:
    """Create through the SDK.

    The document answers createCampaign with 200; sailpoint 1.4.2 maps only 202 to Campaign,
    so its `create_campaign()` returns None for a documented answer (known drift, listed in
    spec/README.md). The call succeeds; the body is read with the SDK's own model.
    """
    deadline = datetime.now(UTC) + timedelta(days=days)
    info = models.CampaignAllOfSearchCampaignInfo(type="IDENTITY", identity_ids=["id-1", "id-2"])
    body = models.Campaign(
        name=name,
        description="made by the SDK",
        type="SEARCH",
        deadline=deadline,
        search_campaign_info=info,
    )
    response = sdk.create_campaign_with_http_info(campaign=body)
    assert response.status_code == 200
    assert response.data is None, "the SDK now maps 200: drop this workaround and the drift line"
    return models.Campaign.from_json(response.raw_data.decode())


def test_campaign_lifecycle_through_the_sdk(sdk, base_url):
    created = new_campaign(sdk)
    assert isinstance(created, models.Campaign)
    assert (created.name, created.status) == ("SDK campaign", "PENDING")

    full = sdk.get_campaign(id=created.id, detail="FULL")
    assert isinstance(full.actual_instance, models.Campaign | models.SlimCampaign)
    assert full.actual_instance.status == "STAGED"

    patch = [
        models.JsonPatchOperation(
            op="replace", path="/description", value=models.JsonPatchOperationValue("patched")
        )
    ]
    slim = sdk.update_campaign(id=created.id, json_patch_operation=patch)
    assert isinstance(slim, models.SlimCampaign) and slim.description == "patched"

    sdk.start_campaign(
        id=created.id, activate_campaign_options=models.ActivateCampaignOptions(timeZone="-05:00")
    )
    active = sdk.get_campaign(id=created.id).actual_instance
    assert active.status == "ACTIVE" and active.total_certifications == 2

    for report_type in models.ReportType:
        sdk.start_campaign_report(id=created.id, type=report_type)
    reports = sdk.get_campaign_reports(id=created.id)
    assert {r.report_type for r in reports} == set(models.ReportType)
    assert all(isinstance(r, models.CampaignReport) for r in reports)
    sdk.start_campaign_remediation_scan(id=created.id)

    reassign = models.AdminReviewReassign(
        certification_ids=certification_ids(base_url, created.id)[:1],
        reason="on leave",
        reassign_to=models.AdminReviewReassignReassignTo(id="new-reviewer", type="IDENTITY"),
    )
    task = sdk.move(id=created.id, admin_review_reassign=reassign)
    assert isinstance(task, models.CertificationTask) and task.target_id == created.id

    advance_clock(base_url, 31 * 86400)
    sdk.complete_campaign(
        id=created.id,
        campaign_complete_options=models.CampaignCompleteOptions(autoCompleteAction="REVOKE"),
    )
    assert sdk.get_campaign(id=created.id).actual_instance.status == "COMPLETED"

    listed = sdk.get_active_campaigns(
        detail="FULL",
        limit=10,
        offset=0,
        count=True,
        filters=f'id eq "{created.id}"',
        sorters="-created",
    )
    assert [item.actual_instance.id for item in listed] == [created.id]

    sdk.delete_campaigns(campaigns_delete_request=models.CampaignsDeleteRequest(ids=[created.id]))
    assert sdk.get_active_campaigns(filters=f'id eq "{created.id}"') == []


def test_templates_and_schedules_through_the_sdk(sdk):
    template = models.CampaignTemplate(
        name="SDK template",
        description="made by the SDK",
        deadline_duration="P2W",
        created=datetime.now(UTC),
        modified=None,
        campaign=models.Campaign(name="Campaign %Y", description="for %B", type="MANAGER"),
    )
    created = sdk.create_campaign_template(campaign_template=template)
    assert isinstance(created, models.CampaignTemplate) and created.owner_ref.type == "IDENTITY"
    assert created.scheduled is False and created.modified is None

    patch = [
        models.JsonPatchOperation(
            op="replace", path="/name", value=models.JsonPatchOperationValue("SDK template 2")
        )
    ]
    assert sdk.patch_campaign_template(id=created.id, json_patch_operation=patch).name == (
        "SDK template 2"
    )
    assert sdk.get_campaign_template(id=created.id).name == "SDK template 2"
    found = sdk.get_campaign_templates(
        limit=5, count=True, sorters="name", filters='name eq "SDK template 2"'
    )
    assert [t.id for t in found] == [created.id]

    schedule = models.Schedule(
        type="WEEKLY",
        hours=models.ScheduleHours(type="LIST", values=["9"]),
        days=models.ScheduleDays(type="LIST", values=["MON"]),
    )
    sdk.set_campaign_template_schedule(id=created.id, schedule=schedule)
    stored = sdk.get_campaign_template_schedule(id=created.id)
    assert isinstance(stored, models.Schedule) and stored.hours.values == ["9"]
    assert sdk.get_campaign_template(id=created.id).scheduled is True
    sdk.delete_campaign_template_schedule(id=created.id)

    reference = sdk.start_generate_campaign_template(id=created.id)
    assert isinstance(reference, models.CampaignReference)
    assert reference.name == f"Campaign {datetime.now(UTC):%Y}"
    assert reference.campaign_type == "MANAGER"

    sdk.delete_campaign_template(id=created.id)
    assert sdk.get_campaign_templates(filters=f'id eq "{created.id}"') == []


def test_reports_configuration_through_the_sdk(sdk):
    config = models.CampaignReportsConfig(identity_attribute_columns=["firstname", "lastname"])
    stored = sdk.set_campaign_reports_config(campaign_reports_config=config)
    assert isinstance(stored, models.CampaignReportsConfig)
    assert sdk.get_campaign_reports_config().identity_attribute_columns == ["firstname", "lastname"]


def test_all_22_methods_were_called():
    assert CALLED >= SDK_METHODS, sorted(SDK_METHODS - CALLED)
    assert len(SDK_METHODS) == 22


@pytest.fixture(autouse=True)
def _sdk_enum_warnings_are_errors():
    """The SDK only warns on values outside its enums; here such a warning is a failure."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        yield
