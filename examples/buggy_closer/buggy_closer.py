"""The example client with a contract bug, to show the gate failing.

The bug: it asks for autoCompleteAction "DENY", a value the document does not allow (only
APPROVE and REVOKE). The SDK only warns; the emulator answers 400 and records a violation.

Built on the vendor's SDK (`sailpoint.v3`), configured only by SAIL_BASE_URL, SAIL_CLIENT_ID
and SAIL_CLIENT_SECRET, like any SDK user's code.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sailpoint.configuration import Configuration
from sailpoint.v3.api.certification_campaigns_api import CertificationCampaignsApi
from sailpoint.v3.api_client import ApiClient
from sailpoint.v3.models.campaign_complete_options import CampaignCompleteOptions

#: The bug: the document allows only APPROVE and REVOKE.
DEFAULT_ACTION = "DENY"


def close_overdue(action: str = DEFAULT_ACTION, now: datetime | None = None) -> list[str]:
    """Complete every ACTIVE campaign whose deadline has passed; return their ids."""
    now = now or datetime.now(UTC)
    closed = []
    with ApiClient(Configuration()) as client:
        api = CertificationCampaignsApi(client)
        for campaign in api.get_active_campaigns(filters='status eq "ACTIVE"'):
            slim = campaign.actual_instance
            if slim.deadline is not None and slim.deadline <= now:
                options = CampaignCompleteOptions(autoCompleteAction=action)
                try:
                    api.complete_campaign(id=slim.id, campaign_complete_options=options)
                except Exception:  # the bug hides its own failure, as real bugs do
                    continue
                closed.append(slim.id)
    return closed
