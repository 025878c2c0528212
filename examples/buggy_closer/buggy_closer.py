"""The example client with a contract bug, to show the gate failing.

It is the sound client of `examples/campaign_closer` (whose pieces it imports) with two
changes. The bug: it asks for autoCompleteAction "DENY", a value the document does not allow
(only APPROVE and REVOKE). The SDK only warns; the emulator answers 400 and records a
violation. And it hides that failure, as real bugs do, so its own test passes.

Built on the vendor's SDK (`sailpoint.v3`), configured only by SAIL_BASE_URL, SAIL_CLIENT_ID
and SAIL_CLIENT_SECRET, like any SDK user's code.
"""

from __future__ import annotations

from datetime import UTC, datetime

from campaign_closer import complete, overdue_campaign_ids
from sailpoint.configuration import Configuration
from sailpoint.v3.api.certification_campaigns_api import CertificationCampaignsApi
from sailpoint.v3.api_client import ApiClient

#: The bug: the document allows only APPROVE and REVOKE.
DEFAULT_ACTION = "DENY"


def close_overdue(action: str = DEFAULT_ACTION, now: datetime | None = None) -> list[str]:
    """Complete every ACTIVE campaign whose deadline has passed; return their ids."""
    closed = []
    with ApiClient(Configuration()) as client:
        api = CertificationCampaignsApi(client)
        for campaign_id in overdue_campaign_ids(api, now or datetime.now(UTC)):
            try:
                complete(api, campaign_id, action)
            except Exception:  # the bug hides its own failure
                continue
            closed.append(campaign_id)
    return closed
