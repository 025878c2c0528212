"""An example client: close every past-due campaign, the way a nightly job would.

Built on the vendor's SDK (`sailpoint.v3`), configured only by SAIL_BASE_URL, SAIL_CLIENT_ID
and SAIL_CLIENT_SECRET, like any SDK user's code.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sailpoint.configuration import Configuration
from sailpoint.v3.api.certification_campaigns_api import CertificationCampaignsApi
from sailpoint.v3.api_client import ApiClient
from sailpoint.v3.models.campaign_complete_options import CampaignCompleteOptions

#: What to do with undecided items; the document allows APPROVE (default) and REVOKE.
DEFAULT_ACTION = "APPROVE"


def close_overdue(action: str = DEFAULT_ACTION, now: datetime | None = None) -> list[str]:
    """Complete every ACTIVE campaign whose deadline has passed; return their ids."""
    with ApiClient(Configuration()) as client:
        api = CertificationCampaignsApi(client)
        overdue = overdue_campaign_ids(api, now or datetime.now(UTC))
        for campaign_id in overdue:
            complete(api, campaign_id, action)
    return overdue


def overdue_campaign_ids(api: CertificationCampaignsApi, now: datetime) -> list[str]:
    """The ACTIVE campaigns whose deadline has passed."""
    overdue = []
    for campaign in api.get_active_campaigns(filters='status eq "ACTIVE"'):
        slim = campaign.actual_instance
        if slim.deadline is not None and slim.deadline <= now:
            overdue.append(slim.id)
    return overdue


def complete(api: CertificationCampaignsApi, campaign_id: str, action: str) -> None:
    """Complete one campaign, deciding its open items with `action`."""
    options = CampaignCompleteOptions(autoCompleteAction=action)
    api.complete_campaign(id=campaign_id, campaign_complete_options=options)
